#include "analysis/analyzer.h"

#include "analysis/document_task.h"
#include "analysis/model_input.h"
#include "analysis/share_peek.h"
#include "model/compiled_model.h"
#include "model/npy.h"
#include "policy/enforcement.h"
#include "registry/model_locations.h"
#include "registry/model_registry.h"

#include <map>
#include <mutex>

namespace nesa::analysis {
namespace {

namespace fs = std::filesystem;

/// A file's identity for the caches: its path, size and when it last changed; for a folder (a
/// DICOM series, a language model) also its files' (a file edited between two queries is read
/// again).
std::string fileStamp(const fs::path &file) {
  std::error_code ec;
  const auto stampOf = [&ec](const fs::path &path) {
    const auto changed = fs::last_write_time(path, ec);
    const auto when = ec ? 0 : changed.time_since_epoch().count();
    const auto size = fs::is_regular_file(path, ec) ? fs::file_size(path, ec) : 0;
    return "@" + std::to_string(when) + "+" + std::to_string(ec ? 0 : size);
  };
  std::string stamp = file.string() + stampOf(file);
  if (fs::is_directory(file, ec))
    for (const auto &entry : fs::directory_iterator(file, ec))
      stamp += "|" + entry.path().filename().string() + stampOf(entry.path());
  return stamp;
}

/// Runs `forget` when a query ends, however it ends.
struct ForgetAtEnd {
  const std::function<void()> &forget;
  ~ForgetAtEnd() {
    if (forget)
      forget();
  }
};

/// The model a request names, with how to prepare its input.
struct ResolvedModel {
  fs::path file; ///< TorchScript file, language-model folder or GGUF file
  std::optional<ingest::ModelManifest> manifest;
  /// What an organisation's policy matches: a built-in model's id, else the file's canonical
  /// path (a name the user chose, for a file or an added model, proves nothing).
  std::string policyName;
  bool isLanguageModel() const {
    std::error_code ec;
    return fs::is_directory(file, ec) || file.extension() == ".gguf";
  }
};

/// What kind of input a query gives, as a policy names it: "document" for a language model (or
/// a manifest's text input), "array" for an .npy file (the only input a model without a
/// manifest reads), else the manifest's "scan" (volume) or "image".
std::string inputKindOf(const Request &request, const ResolvedModel &resolved) {
  if (resolved.isLanguageModel() || (resolved.manifest && resolved.manifest->input == "text"))
    return "document";
  if (request.input.extension() == ".npy" || !resolved.manifest)
    return "array";
  return resolved.manifest->input == "volume" ? "scan" : resolved.manifest->input;
}

/// The request's privacy settings as the engine takes them, checked.
Result<privacy::RunOptions> runOptionsOf(const Request &request) {
  privacy::RunOptions options;
  options.level = request.level;
  options.arithmetic = request.arithmetic.value_or(privacy::defaultArithmetic(request.level));
  options.miners = request.shares;
  if (auto valid = options.validate(); !valid)
    return valid.error();
  return options;
}

/// Share jobs a compiled model's run sends.
std::int64_t jobsOf(const model::CompiledModel &compiled, const privacy::RunOptions &options) {
  const auto &calls = compiled.report();
  return (options.arithmetic == privacy::ShareArithmetic::Ring64 ? calls.remoteOps
                                                                 : calls.remoteCalls) *
         options.sharesPerCall();
}

} // namespace

struct Analyzer::State {
  NetworkChoice network;
  Secrets secrets;
  Events events;
  std::mutex mutex; // one query at a time
  Counters counters;
  std::map<std::string, std::shared_ptr<const model::CompiledModel>> compiled;
  std::map<std::string, std::shared_ptr<const DocumentTask>> documents;
  std::string languageModelStamp;
  std::shared_ptr<const llm::LanguageModel> languageModel;
  std::map<std::string, std::shared_ptr<const llm::LanguageModel>> keyedLanguageModels;
  // The last input read (scans are large: one is kept).
  std::string inputStamp;
  std::shared_ptr<const PreparedInput> input;
  /// The organisation's rules for this run (read again for each run: a new policy applies at
  /// once).
  policy::Enforcement enforcement;

  void tell(const std::string &line) const {
    if (events.notice)
      events.notice(line);
  }

  /// Reads the organisation's policy again (a new one applies at once) and checks the query's
  /// level, model and input against it.
  Result<void> allowedByPolicy(const Request &request, const privacy::RunOptions &options,
                               const ResolvedModel &resolved) {
    enforcement = policy::Enforcement::installed();
    return enforcement.allowsQuery(privacy::privacyLevelName(options.level), resolved.policyName,
                                   inputKindOf(request, resolved));
  }

  /// Hands a paid run's estimate to the policy's spending limit, with what was spent today.
  SpendingApproval spendingApproval() const {
    if (!enforcement.limitsSpending())
      return {};
    return [this](std::uint64_t estimate) -> Result<void> {
      std::optional<std::uint64_t> spent;
      if (events.spentToday) {
        auto counted = events.spentToday();
        if (!counted)
          return counted.error().withContext("counting today's spending");
        spent = *counted;
      }
      return enforcement.allowsSpending(spent, estimate);
    };
  }

  /// A query's checked privacy options and its model.
  struct Query {
    privacy::RunOptions options;
    ResolvedModel model;
  };
  Result<Query> begin(const Request &request) const {
    auto options = runOptionsOf(request);
    if (!options)
      return options.error();
    auto resolved = resolve(request);
    if (!resolved)
      return resolved.error();
    // A language model's layers are tens of thousands of outputs wide, and float32's check sums
    // its rounding over all of them: lies in one logit would pass it (docs/privacy.md). Their
    // ee calls stay float64 unless the request says otherwise.
    if (!request.arithmetic && resolved->isLanguageModel() &&
        options->arithmetic == privacy::ShareArithmetic::F32)
      options->arithmetic = privacy::ShareArithmetic::F64Masked;
    return Query{std::move(*options), std::move(*resolved)};
  }

  Result<ResolvedModel> resolve(const Request &request) const {
    ResolvedModel resolved{request.model, std::nullopt, {}};
    fs::path manifestFile = request.manifest;
    std::error_code ec;
    if (request.model.empty())
      return fail(ErrorCode::InvalidInput, "name a model");
    if (!fs::exists(resolved.file, ec)) { // not a path: an installed model's id
      auto models = registry::ModelRegistry::open(registry::userModelsFolder(),
                                                  registry::builtInModelFolders());
      if (!models)
        return models.error();
      auto found = models->find(request.model);
      if (!found)
        return fail(ErrorCode::NotFound, request.model +
                                             " is neither a file nor an installed model (see "
                                             "'nesa model list')");
      resolved.file = found->path;
      if (found->source == registry::ModelSource::BuiltIn)
        resolved.policyName = found->id;
      if (manifestFile.empty() && found->manifest)
        resolved.manifest = found->manifest;
    }
    if (resolved.policyName.empty()) {
      resolved.policyName = fs::weakly_canonical(resolved.file, ec).string();
      if (ec || resolved.policyName.empty())
        resolved.policyName = fs::absolute(resolved.file, ec).lexically_normal().string();
    }
    const auto beside = fs::path(resolved.file).replace_extension(".json");
    if (manifestFile.empty() && !resolved.isLanguageModel() && fs::exists(beside, ec))
      manifestFile = beside;
    if (!manifestFile.empty()) {
      auto loaded = ingest::loadManifest(manifestFile);
      if (!loaded)
        return loaded.error();
      resolved.manifest = *loaded;
    }
    if (resolved.manifest && !resolved.manifest->notice.empty())
      tell(resolved.manifest->name + ": " + resolved.manifest->notice);
    return resolved;
  }

  Result<std::shared_ptr<const PreparedInput>> inputFor(const Request &request,
                                                        const ResolvedModel &model) {
    // The input as prepared for this model: by what its manifest says now.
    std::string stamp = fileStamp(request.input) + "|" + fileStamp(model.file);
    if (model.manifest) {
      stamp += "|" + model.manifest->input + "|" + model.manifest->preprocessingJson;
      for (auto d : model.manifest->inputShape)
        stamp += "," + std::to_string(d);
    }
    if (input && stamp == inputStamp)
      return input;
    auto loaded = loadInput(request.input, model.manifest, events.notice);
    if (!loaded)
      return loaded.error();
    ++counters.inputsRead;
    input = std::make_shared<const PreparedInput>(std::move(*loaded));
    inputStamp = stamp;
    return input;
  }

  Result<std::shared_ptr<const model::CompiledModel>> compiledFor(const fs::path &file) {
    const auto stamp = fileStamp(file);
    if (auto known = compiled.find(stamp); known != compiled.end())
      return known->second;
    auto made = model::compileModel(file);
    if (!made)
      return made.error();
    ++counters.modelsCompiled;
    auto shared = std::make_shared<const model::CompiledModel>(std::move(*made));
    compiled[stamp] = shared;
    return shared;
  }

  Result<std::shared_ptr<const DocumentTask>> documentFor(const Request &request,
                                                          const ResolvedModel &model) {
    std::string stamp = fileStamp(request.input) + "|" + fileStamp(model.file) + "|" + request.task;
    for (const auto &label : request.labels)
      stamp += "|" + label;
    if (auto known = documents.find(stamp); known != documents.end())
      return known->second;
    // The model is loaded once for every document it works on (a language model is large:
    // the last one is kept).
    const auto modelStamp = fileStamp(model.file);
    if (!languageModel || languageModelStamp != modelStamp) {
      languageModel.reset();
      auto loaded = loadLanguageModel(model.file, events.notice);
      if (!loaded)
        return loaded.error();
      ++counters.modelsCompiled;
      languageModel = std::move(*loaded);
      languageModelStamp = modelStamp;
    }
    auto task = prepareDocumentTask(request.input, languageModel, request.task, request.labels);
    if (!task)
      return task.error();
    ++counters.inputsRead;
    documents.clear(); // one document is kept
    auto shared = std::make_shared<const DocumentTask>(std::move(*task));
    documents[stamp] = shared;
    return shared;
  }

  /// The user's EE key, asked of the wallet for each run (never kept: a wallet locked meanwhile
  /// stays locked, and a one-off key serves one run).
  Result<std::shared_ptr<const privacy::EeKey>> eeKey() const {
    if (!secrets.eeKey)
      return fail(ErrorCode::InvalidInput, "no EE key: ee and hss-ee need the wallet's key");
    return secrets.eeKey();
  }

  Result<Outcome> runModel(const Request &request, const ResolvedModel &resolved,
                           privacy::RunOptions options);
  Result<Outcome> runDocument(const Request &request, const ResolvedModel &resolved,
                              privacy::RunOptions options);
  /// Reports wrong answers and pays for the verified ones into `outcome` (a failure there is
  /// its settlementError: the result stands).
  void settleInto(Outcome &outcome, MinerPool &pool, const privacy::RunReport &report) {
    if (auto payment = settle(pool, report, events); payment)
      outcome.payment = std::move(*payment);
    else
      outcome.settlementError = payment.error();
  }
};

Result<Outcome> Analyzer::State::runModel(const Request &request, const ResolvedModel &resolved,
                                          privacy::RunOptions options) {
  auto prepared = inputFor(request, resolved);
  if (!prepared)
    return prepared.error();
  const model::TensorData &tensor = (*prepared)->tensor;
  auto model = compiledFor(resolved.file);
  if (!model)
    return model.error();
  // One engine a run: it knows which of its miners hold which bundle.
  privacy::Engine engine({});
  // At ee and hss-ee the miners get the keyed model; the original never leaves.
  std::optional<privacy::KeyedModel> keyed;
  if (options.key) {
    auto made = engine.keyedModel(**model, options, tensor.shape);
    if (!made)
      return made.error();
    keyed = *made;
    tell("EE key " + options.key->id() + ": the miners get a keyed model (" +
         keyed->compiled().bundleId().substr(0, 16) + "…) and transformed data only");
  }
  auto pool = openMinerPool(network, secrets, events, options,
                            keyed ? keyed->compiled().bundle() : (*model)->bundle(),
                            jobsOf(**model, options), spendingApproval());
  options.onProgress = events.call; // (a document task's calls are too many to tell one by one)
  if (!pool)
    return pool.error();
  ++counters.poolsOpened;
  if (!request.showShare.empty()) {
    std::error_code ec;
    fs::create_directories(request.showShare, ec);
    if (auto written = model::writeNpy(request.showShare / "input.npy", tensor); !written)
      return written.error();
    engine.setMiners(peekAtShares(pool->miners, request.showShare / "share.npy"));
  } else {
    engine.setMiners(pool->miners);
  }
  auto result = engine.run(**model, tensor, options);
  if (!result)
    return result.error();
  Outcome outcome;
  settleInto(outcome, *pool, result->report);
  outcome.modelName =
      resolved.manifest ? resolved.manifest->name : fs::path(resolved.file).filename().string();
  outcome.modelVersion = (*model)->bundleId();
  // The argmax once: the class volumes, the summary and the labels on the scan all come from it.
  const auto labels = segmentationLabels(result->output, resolved.manifest);
  if (labels.empty()) {
    outcome.summary = summarizeOutput(result->output, resolved.manifest);
  } else {
    outcome.segmentation = classVolumes(labels, *resolved.manifest);
    outcome.summary = describeVolumes(outcome.segmentation);
    if (const auto &geometry = (*prepared)->geometry) {
      auto onScan = ingest::labelsOnSourceGrid(labels, *geometry);
      if (onScan) {
        outcome.scanLabels = std::move(*onScan);
        outcome.scanSource = (*prepared)->dicom;
        outcome.labelNames = resolved.manifest->labels;
      } else
        tell("the segmentation cannot be put back on the scan: " + onScan.error().message);
    }
  }
  outcome.output = std::move(result->output);
  outcome.report = std::move(result->report);
  return outcome;
}

Result<Outcome> Analyzer::State::runDocument(const Request &request, const ResolvedModel &resolved,
                                             privacy::RunOptions options) {
  auto task = documentFor(request, resolved);
  if (!task)
    return task.error();
  // The miners compute on the keyed model at the ee levels; the original never leaves.
  std::shared_ptr<const llm::LanguageModel> served = (*task)->model;
  if (options.key) {
    const auto name = fileStamp(resolved.file) + "|" + options.key->id();
    auto known = keyedLanguageModels.find(name);
    if (known == keyedLanguageModels.end()) {
      keyedLanguageModels.clear(); // large: keep the last one
      known = keyedLanguageModels
                  .emplace(name, std::make_shared<const llm::LanguageModel>(
                                     (*task)->model->keyed(*options.key)))
                  .first;
    }
    served = known->second;
  }
  auto pool = openMinerPool(network, secrets, events, options, served->bundle(),
                            (*task)->jobs(options), spendingApproval());
  if (!pool)
    return pool.error();
  ++counters.poolsOpened;
  auto done = runDocumentTask(
      *pool, **task, *served, options, [this](int part, int parts, const std::string &piece) {
        tell("part " + std::to_string(part) + "/" + std::to_string(parts) + " summarized");
        if (events.text)
          events.text(piece);
      });
  if (!done)
    return done.error();
  Outcome outcome;
  settleInto(outcome, *pool, done->report);
  outcome.summary = std::move(done->lines);
  outcome.text = std::move(done->text);
  outcome.report = std::move(done->report);
  return outcome;
}

Analyzer::Analyzer(NetworkChoice network, Secrets secrets, Events events)
    : m(std::make_unique<State>()) {
  m->network = std::move(network);
  m->secrets = std::move(secrets);
  m->events = std::move(events);
}

Analyzer::~Analyzer() = default;

Analyzer::Counters Analyzer::counters() const {
  std::lock_guard lock(m->mutex);
  return m->counters;
}

Result<CostEstimate> Analyzer::estimate(const Request &request) {
  std::lock_guard lock(m->mutex);
  const ForgetAtEnd forget{m->secrets.forget};
  auto query = m->begin(request);
  if (!query)
    return query.error();
  auto &[options, resolved] = *query;
  // An estimate reads the input too: the same rules as a run, before it does.
  if (auto allowed = m->allowedByPolicy(request, options, resolved); !allowed)
    return allowed.error();
  std::int64_t jobs = 0;
  if (resolved.isLanguageModel()) {
    auto task = m->documentFor(request, resolved);
    if (!task)
      return task.error();
    jobs = (*task)->jobs(options);
  } else {
    // The input is read for the run that usually follows (and to fail early on a bad file).
    if (auto tensor = m->inputFor(request, resolved); !tensor)
      return tensor.error();
    auto model = m->compiledFor(resolved.file);
    if (!model)
      return model.error();
    jobs = jobsOf(**model, options);
  }
  return estimateCost(m->network, options, jobs);
}

Result<Outcome> Analyzer::run(const Request &request, const std::atomic<bool> *cancel) {
  std::lock_guard lock(m->mutex);
  const ForgetAtEnd forget{m->secrets.forget};
  if (m->events.starting)
    if (auto allowed = m->events.starting(request); !allowed)
      return allowed.error();
  auto outcome = [&]() -> Result<Outcome> {
    auto query = m->begin(request);
    if (!query)
      return query.error();
    auto &[options, resolved] = *query;
    // The organisation's rules, before anything is read, sent or paid.
    if (auto allowed = m->allowedByPolicy(request, options, resolved); !allowed)
      return allowed.error();
    if (privacy::isKeyed(options.level)) {
      auto key = m->eeKey();
      if (!key)
        return key.error();
      options.key = *key;
    }
    options.cancel = cancel;
    return resolved.isLanguageModel() ? m->runDocument(request, resolved, std::move(options))
                                      : m->runModel(request, resolved, std::move(options));
  }();
  if (m->events.finished)
    if (auto recorded = m->events.finished(request, outcome); !recorded)
      return recorded.error();
  return outcome;
}

} // namespace nesa::analysis
