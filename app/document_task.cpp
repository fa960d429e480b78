#include "document_task.h"

#include "ingest/document_reader.h"
#include "llm/document_tasks.h"
#include "miner_pool.h"

#include <iostream>
#include <sstream>

namespace nesa::app {
namespace {

std::vector<std::string> splitLabels(const std::string &text) {
  std::vector<std::string> labels;
  std::stringstream in(text);
  for (std::string label; std::getline(in, label, ',');)
    if (!label.empty())
      labels.push_back(label);
  return labels;
}

constexpr int kSummaryTokens = 48; // new tokens per summarized chunk

} // namespace

Result<void> runDocumentTask(const cli::Arguments &args, const std::filesystem::path &folder,
                             const privacy::RunOptions &options) {
  const std::string task = args.value("task", "summarize");
  if (task != "summarize" && task != "classify")
    return fail(ErrorCode::InvalidInput, "--task is summarize or classify");
  const auto labels = splitLabels(args.value("labels"));
  auto document = ingest::readDocument(args.positional.front());
  if (!document)
    return document.error();
  std::cerr << "loading " << folder.string() << "...\n";
  auto model = llm::LanguageModel::load(folder);
  if (!model)
    return model.error();
  // The miners compute on the keyed model at the ee levels; the original never leaves.
  const auto served = options.key ? model->keyed(*options.key) : *model;
  // For the cost estimate: one call per linear op for each token (prompt pass included).
  const auto perPass = static_cast<std::int64_t>(served.bundle().ops.size());
  const std::int64_t passes =
      task == "summarize"
          ? (1 + kSummaryTokens) * (1 + static_cast<std::int64_t>(document->text.size()) /
                                            (4 * model->config().maxPositions))
          : static_cast<std::int64_t>(labels.size());
  auto pool =
      openMinerPool(args, options, served.bundle(), perPass * passes * options.sharesPerCall());
  if (!pool)
    return pool.error();
  privacy::Engine engine(pool->miners);
  const llm::RunSetup setup{&engine, options};
  privacy::RunReport report;
  if (task == "summarize") {
    auto summary =
        llm::summarize(served, document->text, setup, kSummaryTokens, [](int done, int total) {
          std::cerr << "part " << done << "/" << total << " summarized\n";
        });
    if (!summary)
      return summary.error();
    std::cout << "summary (" << summary->chunks << " parts):\n" << summary->text << '\n';
    report = std::move(summary->report);
  } else {
    auto classified = llm::classify(served, document->text, labels, setup);
    if (!classified)
      return classified.error();
    for (const auto &score : classified->scores)
      std::cout << score.label << ": " << score.probability << '\n';
    report = std::move(classified->report);
  }
  if (options.level != privacy::PrivacyLevel::Local)
    std::cout << report.summary() << '\n';
  return settle(*pool, report);
}

} // namespace nesa::app
