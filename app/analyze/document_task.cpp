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

Result<DocumentTask> prepareDocumentTask(const cli::Arguments &args,
                                         const std::filesystem::path &folder,
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
  auto served = options.key ? model->keyed(*options.key) : *model;
  // One call per linear op for each token (prompt pass included).
  const auto perPass = static_cast<std::int64_t>(served.bundle().ops.size());
  const std::int64_t passes =
      task == "summarize"
          ? (1 + kSummaryTokens) * (1 + static_cast<std::int64_t>(document->text.size()) /
                                            (4 * model->config().maxPositions))
          : static_cast<std::int64_t>(labels.size());
  return DocumentTask{task, labels, std::move(document->text), std::move(served),
                      perPass * passes * options.sharesPerCall()};
}

Result<DocumentOutcome> runDocumentTask(const MinerPool &pool, const DocumentTask &task,
                                        const privacy::RunOptions &options) {
  privacy::Engine engine(pool.miners);
  const llm::RunSetup setup{&engine, options};
  DocumentOutcome outcome;
  if (task.task == "summarize") {
    auto summary =
        llm::summarize(task.served, task.text, setup, kSummaryTokens, [](int done, int total) {
          std::cerr << "part " << done << "/" << total << " summarized\n";
        });
    if (!summary)
      return summary.error();
    outcome.lines = {"summary (" + std::to_string(summary->chunks) + " parts):", summary->text};
    outcome.report = std::move(summary->report);
  } else {
    auto classified = llm::classify(task.served, task.text, task.labels, setup);
    if (!classified)
      return classified.error();
    for (const auto &score : classified->scores) {
      std::ostringstream line;
      line << score.label << ": " << score.probability;
      outcome.lines.push_back(line.str());
    }
    outcome.report = std::move(classified->report);
  }
  return outcome;
}

} // namespace nesa::app
