#include "llm/document_tasks.h"

#include <algorithm>
#include <cmath>

namespace nesa::llm {
namespace {

const std::string kSummaryCue = "\nTL;DR:";
const std::string kCategoryCue = "\nCategory:";

// Splits ids into chunks of at most `size`.
std::vector<std::vector<std::int64_t>> chunk(const std::vector<std::int64_t> &ids,
                                             std::size_t size) {
  std::vector<std::vector<std::int64_t>> out;
  for (std::size_t at = 0; at < ids.size(); at += size)
    out.emplace_back(ids.begin() + static_cast<std::ptrdiff_t>(at),
                     ids.begin() + static_cast<std::ptrdiff_t>(std::min(ids.size(), at + size)));
  return out;
}

} // namespace

Result<Summary> summarize(const LanguageModel &model, const std::string &text,
                          const RunSetup &setup, int maxTokensPerChunk,
                          const std::function<void(int, int, const std::string &)> &onChunk) {
  auto ids = model.tokenizer().encode(text);
  if (!ids)
    return ids.error();
  if (ids->empty())
    return fail(ErrorCode::InvalidInput, "the document has no text to summarize");
  auto cue = model.tokenizer().encode(kSummaryCue);
  if (!cue)
    return cue.error();
  const auto start = model.tokenizer().startToken();
  const auto room = model.config().maxPositions - static_cast<std::int64_t>(cue->size()) -
                    maxTokensPerChunk - (start ? 1 : 0);
  if (room < 8)
    return fail(ErrorCode::InvalidInput, "the model's context (" +
                                             std::to_string(model.config().maxPositions) +
                                             " tokens) is too short to summarize anything");
  Summary summary;
  const auto pieces = chunk(*ids, static_cast<std::size_t>(room));
  summary.chunks = static_cast<int>(pieces.size());
  GenerationOptions options;
  options.maxNewTokens = maxTokensPerChunk;
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    auto prompt = pieces[i];
    if (start)
      prompt.insert(prompt.begin(), *start);
    prompt.insert(prompt.end(), cue->begin(), cue->end());
    auto generated = model.generate(prompt, options, setup);
    if (!generated)
      return generated.error().withContext("summarizing part " + std::to_string(i + 1));
    const std::string piece = (summary.text.empty() ? "" : "\n") + generated->text;
    summary.text += piece;
    summary.report.add(generated->report);
    if (onChunk)
      onChunk(static_cast<int>(i + 1), summary.chunks, piece);
  }
  return summary;
}

Result<Classification> classify(const LanguageModel &model, const std::string &text,
                                const std::vector<std::string> &labels, const RunSetup &setup) {
  if (labels.size() < 2)
    return fail(ErrorCode::InvalidInput, "classification needs at least two labels");
  auto ids = model.tokenizer().encode(text);
  auto cue = model.tokenizer().encode(kCategoryCue);
  if (!ids || !cue)
    return ids ? cue.error() : ids.error();
  std::vector<double> scores;
  Classification out;
  for (const auto &label : labels) {
    auto labelIds = model.tokenizer().encode(" " + label);
    if (!labelIds)
      return labelIds.error();
    const auto start = model.tokenizer().startToken();
    const auto tail = cue->size() + labelIds->size() + (start ? 1 : 0);
    if (static_cast<std::int64_t>(tail) + 1 > model.config().maxPositions)
      return fail(ErrorCode::InvalidInput, "the label '" + label + "' does not fit the context");
    const auto keep = std::min<std::size_t>(
        ids->size(), static_cast<std::size_t>(model.config().maxPositions) - tail);
    std::vector<std::int64_t> sequence(ids->begin(),
                                       ids->begin() + static_cast<std::ptrdiff_t>(keep));
    if (sequence.empty())
      return fail(ErrorCode::InvalidInput, "the document has no text to classify");
    if (start)
      sequence.insert(sequence.begin(), *start);
    sequence.insert(sequence.end(), cue->begin(), cue->end());
    const auto labelStart = sequence.size();
    sequence.insert(sequence.end(), labelIds->begin(), labelIds->end());
    auto logits = model.logits(sequence, setup);
    if (!logits)
      return logits.error();
    out.report.add(logits->report);
    // Mean log-probability of the label's tokens, each predicted from the position before it.
    const auto vocab = logits->logits.shape[1];
    const auto values = logits->logits.toFloats();
    double total = 0;
    for (std::size_t i = labelStart; i < sequence.size(); ++i) {
      const float *row = values.data() + (i - 1) * static_cast<std::size_t>(vocab);
      const float top = *std::max_element(row, row + vocab);
      double sum = 0;
      for (std::int64_t v = 0; v < vocab; ++v)
        sum += std::exp(static_cast<double>(row[v] - top));
      total += row[sequence[i]] - top - std::log(sum);
    }
    scores.push_back(total / static_cast<double>(labelIds->size()));
  }
  const double best = *std::max_element(scores.begin(), scores.end());
  double norm = 0;
  for (double s : scores)
    norm += std::exp(s - best);
  for (std::size_t i = 0; i < labels.size(); ++i)
    out.scores.push_back({labels[i], std::exp(scores[i] - best) / norm});
  std::sort(out.scores.begin(), out.scores.end(),
            [](const auto &a, const auto &b) { return a.probability > b.probability; });
  return out;
}

} // namespace nesa::llm
