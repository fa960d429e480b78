#include "analysis/document_task.h"

#include "ingest/document_reader.h"
#include "llm/document_tasks.h"

#include <sstream>

namespace nesa::analysis {
namespace {

constexpr int kSummaryTokens = 48; // new tokens per summarized chunk

} // namespace

Result<std::shared_ptr<const llm::LanguageModel>>
loadLanguageModel(const std::filesystem::path &folder,
                  const std::function<void(const std::string &)> &onNotice) {
  if (onNotice)
    onNotice("loading " + folder.string() + "...");
  auto model = llm::LanguageModel::load(folder);
  if (!model)
    return model.error();
  return std::make_shared<const llm::LanguageModel>(std::move(*model));
}

Result<DocumentTask> prepareDocumentTask(const std::filesystem::path &document,
                                         std::shared_ptr<const llm::LanguageModel> model,
                                         const std::string &task,
                                         const std::vector<std::string> &labels) {
  if (task != "summarize" && task != "classify")
    return fail(ErrorCode::InvalidInput, "the task is summarize or classify");
  if (task == "classify" && labels.size() < 2)
    return fail(ErrorCode::InvalidInput, "classify needs at least two labels");
  auto read = ingest::readDocument(document);
  if (!read)
    return read.error();
  // One call per linear op for each token (prompt pass included). Keying permutes and scales
  // the weights; it adds no op, so the unkeyed model's count holds at every level.
  const auto perPass = static_cast<std::int64_t>(model->bundle().ops.size());
  const std::int64_t passes =
      task == "summarize"
          ? (1 + kSummaryTokens) * (1 + static_cast<std::int64_t>(read->text.size()) /
                                            (4 * model->config().maxPositions))
          : static_cast<std::int64_t>(labels.size());
  return DocumentTask{task, labels, std::move(read->text), std::move(model), perPass, passes};
}

Result<DocumentOutcome>
runDocumentTask(const MinerPool &pool, const DocumentTask &task, const llm::LanguageModel &served,
                const privacy::RunOptions &options,
                const std::function<void(int, int, const std::string &)> &onPart) {
  privacy::Engine engine(pool.miners);
  const llm::RunSetup setup{&engine, options};
  DocumentOutcome outcome;
  if (task.task == "summarize") {
    auto summary = llm::summarize(served, task.text, setup, kSummaryTokens, onPart);
    if (!summary)
      return summary.error();
    outcome.lines = {"summary (" + std::to_string(summary->chunks) + " parts):", summary->text};
    outcome.text = summary->text;
    outcome.report = std::move(summary->report);
  } else {
    auto classified = llm::classify(served, task.text, task.labels, setup);
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

} // namespace nesa::analysis
