#include "document_task.h"

#include "ingest/document_reader.h"
#include "llm/document_tasks.h"
#include "privacy/local_miner.h"

#include <iostream>
#include <sstream>

namespace nesa::app {
namespace {

int failWith(const Error &error) {
  std::cerr << "nesa analyze: " << error.message << '\n';
  return error.code == ErrorCode::InvalidInput ? 2 : 1;
}

std::vector<std::string> splitLabels(const std::string &text) {
  std::vector<std::string> labels;
  std::stringstream in(text);
  for (std::string label; std::getline(in, label, ',');)
    if (!label.empty())
      labels.push_back(label);
  return labels;
}

} // namespace

int runDocumentTask(const cli::Arguments &args, privacy::RunOptions options) {
  const std::string task = args.value("task", "summarize");
  if (task != "summarize" && task != "classify")
    return failWith(fail(ErrorCode::InvalidInput, "--task is summarize or classify"));
  if (options.level != privacy::PrivacyLevel::Local && !args.has("in-process"))
    return failWith(fail(ErrorCode::Unavailable,
                         "running language models on network miners is not built yet; "
                         "add --in-process or use --privacy local"));
  auto document = ingest::readDocument(args.positional.front());
  if (!document)
    return failWith(document.error());
  std::cerr << "loading " << args.value("model") << "...\n";
  auto model = llm::LanguageModel::load(args.value("model"));
  if (!model)
    return failWith(model.error());
  if (privacy::isKeyed(options.level) && !options.key) {
    auto key = privacy::EeKey::generate();
    if (!key)
      return failWith(key.error());
    options.key = std::make_shared<const privacy::EeKey>(std::move(*key));
  }
  std::vector<std::shared_ptr<privacy::MinerEndpoint>> miners;
  const int shares = privacy::isShared(options.level) ? options.miners : 1;
  for (int i = 0; i <= shares; ++i)
    miners.push_back(std::make_shared<privacy::LocalMiner>("local-miner-" + std::to_string(i + 1)));
  privacy::Engine engine(miners);
  const llm::RunSetup setup{&engine, options};
  if (task == "summarize") {
    auto summary = llm::summarize(*model, document->text, setup, 48, [](int done, int total) {
      std::cerr << "part " << done << "/" << total << " summarized\n";
    });
    if (!summary)
      return failWith(summary.error());
    std::cout << "summary (" << summary->chunks << " parts):\n" << summary->text << '\n';
    if (options.level != privacy::PrivacyLevel::Local)
      std::cout << summary->report.summary() << '\n';
    return 0;
  }
  const auto labels = splitLabels(args.value("labels"));
  auto scores = llm::classify(*model, document->text, labels, setup);
  if (!scores)
    return failWith(scores.error());
  for (const auto &score : *scores)
    std::cout << score.label << ": " << score.probability << '\n';
  return 0;
}

} // namespace nesa::app
