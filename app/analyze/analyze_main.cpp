// nesa-analyze: runs a model privately on a file (what `nesa analyze` runs): shares go to the
// miners of the configured EVM network, or of a local devnet started for this run when none is.
#include "cli/arguments.h"
#include "cli/commands.h"
#include "cli/secret_input.h"
#include "document_task.h"
#include "ingest/dicom_reader.h"
#include "ingest/image_reader.h"
#include "ingest/model_manifest.h"
#include "ingest/nifti_reader.h"
#include "ingest/preprocess.h"
#include "miner_pool.h"
#include "model/compiled_model.h"
#include "model/npy.h"
#include "privacy/engine.h"
#include "registry/model_locations.h"
#include "registry/model_registry.h"
#include "share_peek.h"
#include "util/process_tuning.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <nlohmann/json.hpp>

#include <iostream>
#include <mutex>
#include <sstream>

namespace {

using namespace nesa;
namespace fs = std::filesystem;

const std::vector<cli::OptionSpec> kOptions = {
    {"model", true,
     "the model: an installed model's id (nesa model list), a TorchScript file or a language-model "
     "folder",
     "MODEL"},
    {"task", true, "with a language-model folder: summarize or classify (default summarize)",
     "TASK"},
    {"labels", true, "classify: the labels, comma-separated", "A,B,..."},
    {"manifest", true, "how to prepare INPUT for the model (default: MODEL.json when present)",
     "FILE"},
    {"privacy", true, "local, hss, ee or hss-ee (default hss)", "LEVEL"},
    {"arithmetic", true, "f64-masked or ring64 (default f64-masked)", "KIND"},
    {"miners", true, "shares per remote call, 2 to 8 (default 2)", "N"},
    {"chain-rpc", true,
     "use the miners registered on the EVM network whose chain node's JSON-RPC is at HOST:PORT, "
     "paid from the wallet's account (default: the settings' network, else the running local "
     "devnet, else a local devnet for this run)",
     "HOST:PORT"},
    {"chain-id", true, "with --chain-rpc: the chain id the node must have", "N"},
    {"deployment", true, "with --chain-rpc: the network's deployment file", "FILE"},
    {"max-price", true,
     "on an EVM network, use only miners asking at most this many µNES per share job (default "
     "1000)",
     "N"},
    {"in-process", false, "compute the shares in this process instead of on miners"},
    {"timeout", true, "give up on a miner after SECONDS without an answer (default 60)", "SECONDS"},
    {"config", true, "read settings from FILE instead of the default", "FILE"},
    {"output", true, "write the model's output to a NumPy file", "OUT.npy"},
    {"estimate", false, "print what the run would cost on the network's miners, and stop"},
    {"json", false,
     "print JSON for programs: the estimate as one object, or a run's progress and result as "
     "one object a line (docs/engine.md)"},
    {"show-share", true,
     "write the prepared input (DIR/input.npy) and the first share a miner received "
     "(DIR/share.npy), to compare what the miners saw with the original",
     "DIR"},
    {"help", false, "show this help"},
};

// Text a model wrote (a summary) may hold bytes that are not UTF-8: JSON carries U+FFFD for them.
constexpr auto kReplaceBadUtf8 = nlohmann::json::error_handler_t::replace;

/// Prints what --estimate found, as a sentence or as JSON.
void printEstimate(const app::CostEstimate &e, bool json) {
  if (json) {
    std::cout << nlohmann::json{{"total", e.total()},     {"jobs", e.jobs},
                                {"per_job", e.perJob},    {"per_mib", e.perMiB},
                                {"sessions", e.sessions}, {"deposit", e.deposit},
                                {"miners", e.miners},     {"chain_id", e.chainId}}
                     .dump(-1, ' ', false, kReplaceBadUtf8)
              << '\n';
    return;
  }
  std::cout << "cost estimate: " << e.total() << " µNES (" << e.jobs << " share jobs at up to "
            << e.perJob << " µNES";
  if (e.perMiB)
    std::cout << " plus up to " << e.perMiB
              << " µNES per MiB of share data and of the model sent to a miner that lacks it";
  std::cout << "; opening " << e.sessions << " payment sessions on chain " << e.chainId
            << " costs gas and locks a refundable deposit of " << e.deposit << " µNES each)\n";
}

bool g_json = false; // --json: stdout carries JSON objects only

int failWith(const Error &error) {
  std::cerr << "nesa analyze: " << error.message << '\n';
  if (g_json)
    std::cout << nlohmann::json{{"event", "error"},
                                {"code", errorCodeName(error.code)},
                                {"message", error.message}}
                     .dump(-1, ' ', false, kReplaceBadUtf8)
              << std::endl;
  switch (error.code) {
  case ErrorCode::InvalidInput: return cli::kExitUsage;
  case ErrorCode::Unavailable:
  case ErrorCode::Busy: return cli::kExitUnavailable;
  default: return cli::kExitFailure;
  }
}

/// --estimate: prints what a run of `jobs` share jobs would cost; runs and pays nothing.
int printCostOf(const cli::Arguments &args, const privacy::RunOptions &options, std::int64_t jobs) {
  auto estimate = app::estimateCost(args, options, jobs);
  if (!estimate)
    return failWith(estimate.error());
  printEstimate(*estimate, args.has("json"));
  return cli::kExitOk;
}

bool endsWith(const std::string &text, const char *suffix) {
  const std::size_t n = std::strlen(suffix);
  return text.size() >= n && text.compare(text.size() - n, n, suffix) == 0;
}

model::TensorData floats(std::vector<std::int64_t> shape, const std::vector<float> &values) {
  return model::TensorData::fromFloats(std::move(shape), values);
}

// The model's input tensor from INPUT: an .npy array as is, or a scan/image prepared as the
// manifest says and shaped to its inputShape.
Result<model::TensorData> loadInput(const fs::path &input,
                                    const std::optional<ingest::ModelManifest> &manifest) {
  const std::string name = input.filename().string();
  if (endsWith(name, ".npy")) {
    auto tensor = model::readNpy(input);
    if (tensor && tensor->dtype == model::DType::I64)
      return fail(ErrorCode::InvalidInput, "the input array must hold floats");
    return tensor;
  }
  if (!manifest)
    return fail(ErrorCode::InvalidInput, "say how to prepare " + name +
                                             " for this model with --manifest "
                                             "(or give the input as an .npy array)");
  std::vector<float> values;
  if (manifest->input == "volume") {
    std::error_code ec;
    auto volume = endsWith(name, ".nii") || endsWith(name, ".nii.gz") ? ingest::readNifti(input)
                  : fs::is_directory(input, ec) || name == "DICOMDIR"
                      ? ingest::readDicomSeries(input)
                      : ingest::readDicomFile(input);
    if (!volume)
      return volume.error();
    if (!volume->identifying.empty())
      std::cerr << "Patient details in the file stay on this computer ("
                << volume->identifying.size() << " attributes are never sent).\n";
    auto prepared = ingest::preprocess(*volume, manifest->preprocessing);
    if (!prepared)
      return prepared.error();
    values = std::move(prepared->voxels);
  } else if (manifest->input == "image") {
    auto image = ingest::readImage(input);
    if (!image)
      return image.error();
    const auto &shape = manifest->inputShape;
    if (shape.size() != 4)
      return fail(ErrorCode::InvalidInput, "an image model's inputShape must be [1, C, H, W]");
    auto prepared = ingest::prepareImage(*image, shape[1], shape[2], shape[3]);
    if (!prepared)
      return prepared.error();
    values = std::move(*prepared);
  } else {
    return fail(ErrorCode::Unavailable, "text models arrive with the language-model issue");
  }
  std::int64_t expected = 1;
  for (auto d : manifest->inputShape)
    expected *= d;
  if (static_cast<std::int64_t>(values.size()) != expected)
    return fail(ErrorCode::InvalidInput, "the prepared input has " + std::to_string(values.size()) +
                                             " values but the model takes " +
                                             std::to_string(expected));
  return floats(manifest->inputShape, values);
}

// Per class: how many voxels (or pixels) the segmentation gives it, and their volume in mL when
// the manifest resamples to a known spacing. Output [N, classes, ...] with N slices.
void printSegmentation(const model::TensorData &output, const ingest::ModelManifest &manifest,
                       std::ostream &out) {
  const auto values = output.toFloats();
  const auto classes = static_cast<std::size_t>(output.shape[1]);
  std::size_t plane = 1;
  for (std::size_t d = 2; d < output.shape.size(); ++d)
    plane *= static_cast<std::size_t>(output.shape[d]);
  std::vector<std::int64_t> counts(classes, 0);
  for (std::size_t n = 0; n < static_cast<std::size_t>(output.shape[0]); ++n)
    for (std::size_t p = 0; p < plane; ++p) {
      std::size_t best = 0;
      for (std::size_t c = 1; c < classes; ++c)
        if (values[(n * classes + c) * plane + p] > values[(n * classes + best) * plane + p])
          best = c;
      ++counts[best];
    }
  const auto &spacing = manifest.preprocessing.spacing;
  for (std::size_t c = 0; c < classes; ++c) {
    out << "  " << manifest.labels[c] << ": " << counts[c] << " voxels";
    if (spacing)
      out << " ("
          << static_cast<double>(counts[c]) * (*spacing)[0] * (*spacing)[1] * (*spacing)[2] / 1000.0
          << " mL)";
    out << '\n';
  }
}

// What the output means, a line each: the segmentation's volumes, the labels' probabilities, or
// the first values.
void describeResult(const model::TensorData &output,
                    const std::optional<ingest::ModelManifest> &manifest, std::ostream &out) {
  const auto values = output.toFloats();
  if (manifest && manifest->task == "segmentation" && output.shape.size() >= 3 &&
      output.shape[1] == static_cast<std::int64_t>(manifest->labels.size())) {
    printSegmentation(output, *manifest, out);
    return;
  }
  if (manifest && !manifest->labels.empty() && values.size() == manifest->labels.size()) {
    // Probabilities are printed as they are; anything else goes through a softmax first.
    double sum = 0;
    bool unit = true;
    for (float v : values)
      sum += v, unit = unit && v >= 0 && v <= 1;
    const bool probabilities = unit && std::abs(sum - 1) < 1e-3;
    const float top = *std::max_element(values.begin(), values.end());
    double total = 0;
    for (float v : values)
      total += std::exp(static_cast<double>(v - top));
    for (std::size_t i = 0; i < values.size(); ++i)
      out << "  " << manifest->labels[i] << ": "
          << (probabilities ? values[i] : std::exp(static_cast<double>(values[i] - top)) / total)
          << '\n';
    return;
  }
  out << " ";
  for (std::size_t i = 0; i < std::min<std::size_t>(values.size(), 8); ++i)
    out << ' ' << values[i];
  out << (values.size() > 8 ? " ...\n" : "\n");
}

// After a run: reports and pays (app::settle), saying what was paid unless --json.
Result<std::optional<app::Payment>> settleAndSay(app::MinerPool &pool,
                                                 const privacy::RunReport &report) {
  auto payment = app::settle(pool, report);
  if (payment && *payment && !g_json)
    std::cout << app::describePayment(**payment) << '\n';
  return payment;
}

// describeResult's lines, without their indentation.
std::vector<std::string> resultLines(const model::TensorData &output,
                                     const std::optional<ingest::ModelManifest> &manifest) {
  std::ostringstream described;
  describeResult(output, manifest, described);
  std::vector<std::string> found;
  std::istringstream lines(described.str());
  for (std::string line; std::getline(lines, line);)
    if (const auto start = line.find_first_not_of(' '); start != std::string::npos)
      found.push_back(line.substr(start));
  return found;
}

// --json: one finished remote call, as one line.
void printCallAsJson(const privacy::RunProgress &p) {
  static std::mutex printing;
  nlohmann::json miners = nlohmann::json::array();
  for (const auto &work : p.call->miners)
    miners.push_back({{"miner", work.miner}, {"role", work.role}, {"verified", work.passed}});
  const auto line = nlohmann::json{
      {"event", "call"},
      {"done", p.callsDone},
      {"expected", p.callsExpected},
      {"kind", p.call->kind},
      {"miners",
       miners}}.dump(-1, ' ', false, kReplaceBadUtf8);
  std::lock_guard lock(printing);
  std::cout << line << std::endl;
}

// --json: the run's result, as the last line.
// (`shape` is null for a document task, which has no output tensor.)
void printRunAsJson(const nlohmann::json &shape, const std::vector<std::string> &summary,
                    const privacy::RunReport &report, const std::optional<app::Payment> &payment) {
  nlohmann::json result{{"event", "result"},
                        {"shape", shape},
                        {"summary", summary},
                        {"report",
                         {{"level", privacy::privacyLevelName(report.level)},
                          {"arithmetic", privacy::arithmeticName(report.arithmetic)},
                          {"shares_per_call", report.sharesPerCall},
                          {"calls", report.calls.size()},
                          {"checks_passed", report.checksPassed},
                          {"checks_failed", report.checksFailed},
                          {"bytes_sent", report.bytesSent},
                          {"bytes_received", report.bytesReceived},
                          {"ms", report.totalMs}}},
                        {"payment", nullptr}};
  if (payment) {
    result["payment"] = {{"paid", payment->paid}, {"chain_id", payment->chainId}};
    if (payment->settled)
      result["payment"]["settled"] = *payment->settled;
  }
  std::cout << result.dump(-1, ' ', false, kReplaceBadUtf8) << std::endl;
}

} // namespace

int main(int argc, char **argv) {
  tuneProcess(argv);           // the miners share these cores (it may execute this program again)
  cli::takeHandedPassphrase(); // then, before anything is started: no child inherits it
  // Known before parsing, so that a command line it cannot parse is an error line too.
  g_json =
      std::any_of(argv + 1, argv + argc, [](const char *a) { return !std::strcmp(a, "--json"); });
  auto args = cli::parseArguments(argc, argv, 1, kOptions);
  if (!args)
    return failWith(args.error());
  if (!args->has("help") && (args->positional.size() != 1 || !args->has("model")) && g_json)
    return failWith(fail(ErrorCode::InvalidInput,
                         "give one INPUT and --model (nesa analyze --help says more)"));
  if (args->has("help") || args->positional.size() != 1 || !args->has("model")) {
    (args->has("help") ? std::cout : std::cerr)
        << "usage: nesa analyze INPUT --model MODEL.pt [OPTIONS]\n\n"
           "Runs MODEL on INPUT (an .npy array, a NIfTI/DICOM scan or an image with --manifest) at "
           "a\n"
           "privacy level, verifying every miner, and prints the result and the per-call report.\n"
           "With a language-model folder (config.json, *.safetensors, tokenizer.json: your own;\n"
           "none ships with Nesa) it summarizes or classifies a document (PDF, DOCX, text).\n"
           "Without --chain-rpc it uses the settings' network when joining one, else a running\n"
           "local devnet (nesa chain devnet), else it starts one for this run.\n\n"
           "Options:\n"
        << cli::formatOptions(kOptions);
    return args->has("help") ? cli::kExitOk : cli::kExitUsage;
  }
  fs::path modelFile = args->value("model");
  std::optional<ingest::ModelManifest> manifest;
  fs::path manifestFile = args->value("manifest");
  std::error_code ec;
  if (!fs::exists(modelFile, ec)) { // not a path: an installed model's id
    auto models = registry::ModelRegistry::open(registry::userModelsFolder(),
                                                registry::builtInModelFolders());
    if (!models)
      return failWith(models.error());
    auto found = models->find(args->value("model"));
    if (!found)
      return failWith(fail(ErrorCode::NotFound, args->value("model") +
                                                    " is neither a file nor an installed model "
                                                    "(see 'nesa model list')"));
    modelFile = found->path;
    if (manifestFile.empty() && found->manifest)
      manifest = found->manifest;
  }
  if (manifestFile.empty() && fs::exists(fs::path(modelFile).replace_extension(".json")))
    manifestFile = fs::path(modelFile).replace_extension(".json");
  if (!manifestFile.empty()) {
    auto loaded = ingest::loadManifest(manifestFile);
    if (!loaded)
      return failWith(loaded.error());
    manifest = *loaded;
  }
  if (manifest && !manifest->notice.empty())
    std::cerr << manifest->name << ": " << manifest->notice << '\n';
  privacy::RunOptions options;
  auto level = privacy::parsePrivacyLevel(args->value("privacy", "hss"));
  if (!level)
    return failWith(level.error());
  options.level = *level;
  auto arithmetic = privacy::parseArithmetic(args->value("arithmetic", "f64-masked"));
  if (!arithmetic)
    return failWith(arithmetic.error());
  options.arithmetic = *arithmetic;
  try {
    options.miners = std::stoi(args->value("miners", "2"));
  } catch (const std::exception &) {
    return failWith(fail(ErrorCode::InvalidInput, "--miners takes a number"));
  }
  if (auto valid = options.validate(); !valid)
    return failWith(valid.error());

  if (privacy::isKeyed(options.level)) {
    auto key = app::eeKey();
    if (!key)
      return failWith(key.error());
    options.key = std::move(*key);
  }
  if (fs::is_directory(modelFile)) { // a language-model folder: a document task
    auto task = app::prepareDocumentTask(*args, modelFile, options);
    if (!task)
      return failWith(task.error());
    if (args->has("estimate")) // the price only: nothing runs, nobody is paid
      return printCostOf(*args, options, task->jobs);
    auto pool = app::openMinerPool(*args, options, task->served.bundle(), task->jobs);
    if (!pool)
      return failWith(pool.error());
    auto done = app::runDocumentTask(*pool, *task, options);
    if (!done)
      return failWith(done.error());
    if (!g_json) {
      for (const auto &line : done->lines)
        std::cout << line << '\n';
      if (options.level != privacy::PrivacyLevel::Local)
        std::cout << done->report.summary() << '\n';
    }
    auto payment = settleAndSay(*pool, done->report);
    if (!payment)
      return failWith(payment.error());
    if (g_json)
      printRunAsJson(nullptr, done->lines, done->report, *payment);
    return cli::kExitOk;
  }
  auto input = loadInput(args->positional.front(), manifest);
  if (!input)
    return failWith(input.error());
  auto compiled = model::compileModel(modelFile);
  if (!compiled)
    return failWith(compiled.error());
  // At ee and hss-ee the miners get the keyed model; the original never leaves.
  privacy::Engine engine({});
  std::optional<privacy::KeyedModel> keyed;
  if (privacy::isKeyed(options.level)) {
    auto made = engine.keyedModel(*compiled, options, input->shape);
    if (!made)
      return failWith(made.error());
    keyed = *made;
    std::cerr << "EE key " << options.key->id() << ": the miners get a keyed model ("
              << keyed->compiled().bundleId().substr(0, 16) << "…) and transformed data only\n";
  }
  const auto &calls = compiled->report();
  const std::int64_t jobs =
      (options.arithmetic == privacy::ShareArithmetic::Ring64 ? calls.remoteOps
                                                              : calls.remoteCalls) *
      options.sharesPerCall();
  if (args->has("estimate"))
    return printCostOf(*args, options, jobs);
  auto pool = app::openMinerPool(*args, options,
                                 keyed ? keyed->compiled().bundle() : compiled->bundle(), jobs);
  if (!pool)
    return failWith(pool.error());
  if (args->has("show-share")) {
    const fs::path folder = args->value("show-share");
    fs::create_directories(folder, ec);
    if (auto written = model::writeNpy(folder / "input.npy", *input); !written)
      return failWith(written.error());
    engine.setMiners(app::peekAtShares(pool->miners, folder / "share.npy"));
  } else {
    engine.setMiners(pool->miners);
  }
  options.onProgress = g_json ? printCallAsJson : app::printCall;
  auto result = engine.run(*compiled, *input, options);
  if (!result)
    return failWith(result.error());
  if (!g_json) {
    std::cout << "output " << result->output.shapeText() << '\n';
    describeResult(result->output, manifest, std::cout);
    std::cout << result->report.summary() << '\n';
  }
  auto payment = settleAndSay(*pool, result->report);
  if (!payment)
    return failWith(payment.error());
  if (args->has("output"))
    if (auto written = model::writeNpy(args->value("output"), result->output); !written)
      return failWith(written.error());
  if (g_json)
    printRunAsJson(result->output.shape, resultLines(result->output, manifest), result->report,
                   *payment);
  return cli::kExitOk;
}
