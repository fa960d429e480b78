#include "llm/language_model.h"

#include "llm/internal/gguf_model.h"
#include "llm/internal/keyed_transformer.h"
#include "llm/internal/language_model_impl.h"
#include "llm/internal/safetensors.h"
#include "llm/internal/transformer.h"
#include "model/internal/tensor_convert.h"

#include <ATen/ATen.h>

#include <random>

namespace nesa::llm {

namespace {

// The model's tensors from every *.safetensors file of the folder.
Result<std::map<std::string, at::Tensor>> readFolder(const std::filesystem::path &folder) {
  std::map<std::string, at::Tensor> tensors;
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (const auto &entry : std::filesystem::directory_iterator(folder, ec))
    if (entry.path().extension() == ".safetensors")
      files.push_back(entry.path());
  if (ec)
    return fail(ErrorCode::NotFound, "cannot read the model folder " + folder.string());
  if (files.empty())
    return fail(ErrorCode::NotFound, "no *.safetensors file in " + folder.string());
  std::sort(files.begin(), files.end());
  for (const auto &file : files) {
    auto read = readSafetensors(file);
    if (!read)
      return read.error();
    tensors.merge(*read);
  }
  return tensors;
}

// The next token from the last row of logits.
std::int64_t pick(const at::Tensor &logits, const Sampling &sampling, std::mt19937_64 &rng) {
  if (sampling.temperature <= 0)
    return logits.argmax().item<std::int64_t>();
  auto scaled = logits.to(at::kDouble) / sampling.temperature;
  if (sampling.topK > 0 && sampling.topK < scaled.size(0)) {
    auto threshold = std::get<0>(scaled.topk(sampling.topK)).min();
    scaled = scaled.masked_fill(scaled < threshold, -std::numeric_limits<double>::infinity());
  }
  auto probabilities = at::softmax(scaled, 0).contiguous();
  const double *p = probabilities.data_ptr<double>();
  double u = std::uniform_real_distribution<double>(0, 1)(rng);
  for (std::int64_t i = 0; i < probabilities.size(0); ++i) {
    u -= p[i];
    if (u <= 0)
      return i;
  }
  return probabilities.size(0) - 1;
}

} // namespace

namespace {

// The GGUF file `path` names: the file itself, or the only *.gguf of a folder without a
// config.json. Empty when the path is a Hugging Face folder.
Result<std::filesystem::path> ggufOf(const std::filesystem::path &path) {
  std::error_code ec;
  if (!std::filesystem::is_directory(path, ec))
    return path;
  if (std::filesystem::exists(path / "config.json", ec))
    return std::filesystem::path();
  std::vector<std::filesystem::path> found;
  for (const auto &entry : std::filesystem::directory_iterator(path, ec))
    if (entry.path().extension() == ".gguf")
      found.push_back(entry.path());
  if (found.size() > 1)
    return fail(ErrorCode::InvalidInput, path.string() + " holds several .gguf files: name one");
  return found.empty() ? std::filesystem::path() : found.front();
}

Result<LanguageModel> loadGguf(const std::filesystem::path &file) {
  auto read = readGgufModel(file);
  if (!read)
    return read.error();
  auto weights = buildWeights(read->config, std::move(read->tensors), std::move(read->q8));
  if (!weights)
    return weights.error().withContext(file.string());
  auto impl = std::make_shared<LanguageModel::Impl>();
  impl->weights = std::move(*weights);
  impl->tokenizer = std::move(read->tokenizer);
  return LanguageModel(std::move(impl));
}

} // namespace

Result<LanguageModel> LanguageModel::load(const std::filesystem::path &folder) {
  // libtorch reports tensors that do not fit together (a file's shapes checked one by one can
  // still disagree) by throwing; a broken model is an error, not a crash.
  try {
    return loadChecked(folder);
  } catch (const std::bad_alloc &) {
    return fail(ErrorCode::Unavailable,
                folder.string() + ": not enough memory to load this model on this computer");
  } catch (const std::exception &e) {
    return fail(ErrorCode::InvalidInput, folder.string() +
                                             ": the model's tensors do not fit together (" +
                                             std::string(e.what()).substr(0, 200) + ")");
  }
}

Result<LanguageModel> LanguageModel::loadChecked(const std::filesystem::path &folder) {
  auto gguf = ggufOf(folder);
  if (!gguf)
    return gguf.error();
  if (!gguf->empty())
    return loadGguf(*gguf);
  auto config = ModelConfig::load(folder / "config.json");
  if (!config)
    return config.error();
  auto tokenizer = Tokenizer::load(folder / "tokenizer.json");
  if (!tokenizer)
    return tokenizer.error().withContext(folder.string());
  if (tokenizer->size() > config->vocabSize)
    return fail(ErrorCode::InvalidInput, folder.string() + ": the tokenizer has " +
                                             std::to_string(tokenizer->size()) +
                                             " pieces, more than the model's vocabulary of " +
                                             std::to_string(config->vocabSize));
  auto tensors = readFolder(folder);
  if (!tensors)
    return tensors.error();
  auto weights = buildWeights(*config, std::move(*tensors));
  if (!weights)
    return weights.error().withContext(folder.string());
  auto impl = std::make_shared<Impl>();
  impl->weights = std::move(*weights);
  impl->tokenizer = std::move(*tokenizer);
  return LanguageModel(std::move(impl));
}

const ModelConfig &LanguageModel::config() const { return m_impl->weights.config; }
const Tokenizer &LanguageModel::tokenizer() const { return m_impl->tokenizer; }
const model::LinearBundle &LanguageModel::bundle() const { return m_impl->weights.bundle; }
const std::string &LanguageModel::bundleId() const { return m_impl->weights.bundleId; }
bool LanguageModel::isKeyed() const { return !m_impl->weights.vocabPerm.empty(); }

LanguageModel LanguageModel::keyed(const privacy::EeKey &key) const {
  std::lock_guard lock(m_impl->mutex);
  auto &slot = m_impl->keyed[key.id()];
  if (!slot) {
    auto impl = std::make_shared<Impl>();
    impl->weights = keyWeights(m_impl->weights, key);
    impl->tokenizer = m_impl->tokenizer;
    slot = std::move(impl);
  }
  return LanguageModel(slot);
}

namespace {

// Runs `steps` (forward passes over `impl`'s weights) at the setup's level: directly at local,
// else through the engine with every linear op a remote call.
Result<privacy::RunReport> runAt(const std::shared_ptr<const LanguageModel::Impl> &impl,
                                 const RunSetup &setup,
                                 const std::function<Result<void>(bool remote)> &steps) {
  if (setup.options.level == privacy::PrivacyLevel::Local) {
    c10::InferenceMode guard;
    if (auto r = steps(false); !r)
      return r.error();
    return privacy::RunReport{};
  }
  if (!setup.engine)
    return fail(ErrorCode::InvalidInput, "this privacy level needs miners (an engine)");
  // The bundle shared with the model that holds it, so in-process miners need no copy.
  const std::shared_ptr<const model::LinearBundle> bundle(impl, &impl->weights.bundle);
  return setup.engine->runCalls(bundle, impl->weights.bundleId, setup.options,
                                [&]() -> Result<void> {
                                  c10::InferenceMode guard;
                                  return steps(true);
                                });
}

// The weights a run at `setup`'s level uses: the keyed copy at ee and hss-ee (with the run's
// key, else the engine's own).
Result<LanguageModel> modelFor(const LanguageModel &model, const RunSetup &setup) {
  if (!privacy::isKeyed(setup.options.level) || model.isKeyed())
    return model;
  if (setup.options.key)
    return model.keyed(*setup.options.key);
  if (!setup.engine)
    return fail(ErrorCode::InvalidInput, "this privacy level needs miners (an engine)");
  auto key = setup.engine->sessionKey();
  if (!key)
    return key.error();
  return model.keyed(**key);
}

at::Tensor idsTensor(const std::vector<std::int64_t> &ids, const TransformerWeights &w) {
  auto t = at::tensor(ids, at::kLong);
  if (!w.vocabPerm.empty())
    t = at::tensor(w.vocabPerm, at::kLong).index_select(0, t);
  return t;
}

// Logits back in the original vocabulary order.
at::Tensor originalOrder(const at::Tensor &logits, const TransformerWeights &w) {
  if (w.vocabPerm.empty())
    return logits;
  return logits.index_select(-1, at::tensor(w.vocabPerm, at::kLong));
}

Result<void> checkIds(const std::vector<std::int64_t> &ids, const ModelConfig &c) {
  if (ids.empty())
    return fail(ErrorCode::InvalidInput, "the prompt is empty");
  for (auto id : ids)
    if (id < 0 || id >= c.vocabSize)
      return fail(ErrorCode::InvalidInput,
                  "token id " + std::to_string(id) + " is outside the vocabulary");
  return {};
}

} // namespace

Result<LogitsResult> LanguageModel::logits(const std::vector<std::int64_t> &ids,
                                           const RunSetup &setup) const {
  if (auto valid = checkIds(ids, config()); !valid)
    return valid.error();
  if (static_cast<std::int64_t>(ids.size()) > config().maxPositions)
    return fail(ErrorCode::InvalidInput, "the input is longer than the model's context");
  auto model = modelFor(*this, setup);
  if (!model)
    return model.error();
  const auto &w = model->m_impl->weights;
  at::Tensor out;
  auto report = runAt(model->m_impl, setup, [&](bool remote) -> Result<void> {
    KvCache cache;
    out = originalOrder(forward(w, idsTensor(ids, w), cache, remote), w);
    return {};
  });
  if (!report)
    return report.error();
  return LogitsResult{model::fromTensor(out.to(at::kFloat).contiguous()), std::move(*report)};
}

Result<Generation> LanguageModel::generate(const std::vector<std::int64_t> &prompt,
                                           const GenerationOptions &options,
                                           const RunSetup &setup) const {
  if (auto valid = checkIds(prompt, config()); !valid)
    return valid.error();
  auto model = modelFor(*this, setup);
  if (!model)
    return model.error();
  const auto &w = model->m_impl->weights;
  const auto &c = config();
  const auto room = c.maxPositions - static_cast<std::int64_t>(prompt.size());
  if (room <= 0)
    return fail(ErrorCode::InvalidInput, "the prompt fills the model's whole context");
  const int total = static_cast<int>(std::min<std::int64_t>(options.maxNewTokens, room));
  Generation result;
  auto report = runAt(model->m_impl, setup, [&](bool remote) -> Result<void> {
    std::mt19937_64 rng(options.sampling.seed);
    KvCache cache;
    auto logits = forward(w, idsTensor(prompt, w), cache, remote);
    for (int step = 0; step < total; ++step) {
      const auto next = pick(originalOrder(logits[logits.size(0) - 1], w), options.sampling, rng);
      result.tokens.push_back(next);
      if (options.onToken)
        options.onToken(step + 1, total);
      if (options.stopAtEos && c.eosId && next == *c.eosId)
        break;
      if (step + 1 < total)
        logits = forward(w, idsTensor({next}, w), cache, remote);
    }
    return {};
  });
  if (!report)
    return report.error();
  result.report = std::move(*report);
  result.text = m_impl->tokenizer.decode(result.tokens);
  return result;
}

} // namespace nesa::llm
