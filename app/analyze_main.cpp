// nesa-analyze: runs a model privately on a file (what `nesa analyze` runs): shares go to the
// miners of the configured node, or of a local network started for this run when none is.
#include "cli/arguments.h"
#include "cli/commands.h"
#include "cli/daemon.h"
#include "cli/secret_input.h"
#include "document_task.h"
#include "ingest/dicom_reader.h"
#include "ingest/image_reader.h"
#include "ingest/model_manifest.h"
#include "ingest/nifti_reader.h"
#include "ingest/preprocess.h"
#include "miner/network_miners.h"
#include "model/compiled_model.h"
#include "model/npy.h"
#include "node/node_chain.h"
#include "privacy/engine.h"
#include "privacy/local_miner.h"
#include "util/config.h"
#include "util/paths.h"
#include "util/process_tuning.h"
#include "wallet/wallet.h"

#include <cmath>
#include <cstring>
#include <iostream>

namespace {

using namespace nesa;
namespace fs = std::filesystem;

const std::vector<cli::OptionSpec> kOptions = {
    {"model", true, "the TorchScript model to run, or a language-model folder", "MODEL"},
    {"task", true, "with a language-model folder: summarize or classify (default summarize)",
     "TASK"},
    {"labels", true, "classify: the labels, comma-separated", "A,B,..."},
    {"manifest", true, "how to prepare INPUT for the model (default: MODEL.json when present)",
     "FILE"},
    {"privacy", true, "local, hss, ee or hss-ee (default hss)", "LEVEL"},
    {"arithmetic", true, "f64-masked or ring64 (default f64-masked)", "KIND"},
    {"miners", true, "shares per remote call, 2 to 8 (default 2)", "N"},
    {"node", true, "use the miners of the node at HOST:PORT (default: the configured network)",
     "HOST:PORT"},
    {"in-process", false, "compute the shares in this process instead of on miners"},
    {"timeout", true, "give up on a miner after SECONDS without an answer (default 60)", "SECONDS"},
    {"config", true, "read settings from FILE instead of the default", "FILE"},
    {"output", true, "write the model's output to a NumPy file", "OUT.npy"},
    {"help", false, "show this help"},
};

int failWith(const Error &error) {
  std::cerr << "nesa analyze: " << error.message << '\n';
  switch (error.code) {
  case ErrorCode::InvalidInput: return cli::kExitUsage;
  case ErrorCode::Unavailable: return cli::kExitUnavailable;
  default: return cli::kExitFailure;
  }
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
    // channels first, scaled to [0, 1]
    for (int c = 0; c < image->channels; ++c)
      for (int i = 0; i < image->width * image->height; ++i)
        values.push_back(image->pixels[static_cast<std::size_t>(i * image->channels + c)] / 255.0f);
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

void printResult(const model::TensorData &output,
                 const std::optional<ingest::ModelManifest> &manifest) {
  const auto values = output.toFloats();
  std::cout << "output " << output.shapeText() << '\n';
  if (manifest && !manifest->labels.empty() && values.size() == manifest->labels.size()) {
    const float top = *std::max_element(values.begin(), values.end());
    double sum = 0;
    for (float v : values)
      sum += std::exp(static_cast<double>(v - top));
    for (std::size_t i = 0; i < values.size(); ++i)
      std::cout << "  " << manifest->labels[i] << ": "
                << std::exp(static_cast<double>(values[i] - top)) / sum << '\n';
    return;
  }
  std::cout << " ";
  for (std::size_t i = 0; i < std::min<std::size_t>(values.size(), 8); ++i)
    std::cout << ' ' << values[i];
  std::cout << (values.size() > 8 ? " ...\n" : "\n");
}

// Where the miners come from: --node, the configured node, a running devnet, or a new one.
Result<miner::NetworkOptions> networkOptions(const cli::Arguments &args) {
  auto config = loadConfig(args.value("config", paths::configFile().string()));
  if (!config)
    return config.error();
  miner::NetworkOptions setup;
  setup.minerThreads = config->minerThreads;
  try {
    setup.remote.jobTimeout = std::chrono::seconds(std::stoi(args.value("timeout", "60")));
  } catch (const std::exception &) {
    return fail(ErrorCode::InvalidInput, "--timeout takes a number of seconds");
  }
  // No node at all is fine: NetworkMiners then starts a devnet for this run.
  auto node = cli::resolveNode(*config, args.value("node"));
  if (node)
    setup.node = *node;
  else if (node.error().code != ErrorCode::NotFound)
    return node.error();
  return setup;
}

// Who pays the miners: on the local devnet its well-known demo account; on any other network
// account 0 of the user's wallet (the passphrase from $NESA_WALLET_PASSPHRASE or the terminal).
Result<std::shared_ptr<miner::Payer>> makePayer(miner::NetworkMiners &network) {
  auto chain = network.ledger();
  if (!chain)
    return chain.error();
  auto status = (*chain)->status();
  if (!status)
    return status.error();
  if (status->chainId == "nesa-devnet") {
    auto demo = node::devnetDemoKey();
    if (!demo)
      return demo.error();
    auto key = std::make_shared<wallet::KeyPair>(std::move(*demo));
    return std::make_shared<miner::Payer>(
        *chain, key->publicKey,
        [key](std::span<const std::uint8_t> bytes) { return wallet::sign(*key, bytes); },
        miner::Payer::Terms{});
  }
  auto config = loadConfig(paths::configFile());
  const auto file =
      wallet::defaultWalletFile(config ? config->effectiveDataDir() : paths::dataDir());
  auto passphrase = cli::readPassphrase(false);
  if (!passphrase)
    return passphrase.error();
  auto opened = wallet::Wallet::open(file, *passphrase);
  if (!opened)
    return opened.error().withContext("the wallet pays the miners");
  auto w = std::make_shared<wallet::Wallet>(std::move(*opened));
  const auto key = w->accounts().front().publicKey;
  return std::make_shared<miner::Payer>(
      *chain, key,
      [w](std::span<const std::uint8_t> bytes) {
        auto signature = w->sign(0, bytes);
        return signature ? *signature : std::array<std::uint8_t, 64>{};
      },
      miner::Payer::Terms{});
}

// The EE key for ee and hss-ee: the one in the user's wallet when there is a wallet (its
// passphrase from $NESA_WALLET_PASSPHRASE or the terminal), else a key for this run only.
Result<std::shared_ptr<const privacy::EeKey>> eeKey() {
  auto config = loadConfig(paths::configFile());
  const auto file =
      wallet::defaultWalletFile(config ? config->effectiveDataDir() : paths::dataDir());
  if (!fs::exists(file)) {
    auto fresh = privacy::EeKey::generate();
    if (!fresh)
      return fresh.error();
    std::cerr << "no wallet: using a one-off EE key for this run (create a wallet to keep one)\n";
    return std::make_shared<const privacy::EeKey>(std::move(*fresh));
  }
  auto passphrase = cli::readPassphrase(false);
  if (!passphrase)
    return passphrase.error();
  auto opened = wallet::Wallet::open(file, *passphrase);
  if (!opened)
    return opened.error().withContext("the wallet keeps the EE key");
  auto secret = opened->eeKeySecret();
  if (!secret)
    return secret.error();
  auto key = privacy::EeKey::fromBytes(secret->bytes());
  if (!key)
    return key.error();
  return std::make_shared<const privacy::EeKey>(std::move(*key));
}

} // namespace

int main(int argc, char **argv) {
  tuneProcess(argv); // the miners may share this machine's cores
  auto args = cli::parseArguments(argc, argv, 1, kOptions);
  if (!args)
    return failWith(args.error());
  if (args->has("help") || args->positional.size() != 1 || !args->has("model")) {
    (args->has("help") ? std::cout : std::cerr)
        << "usage: nesa analyze INPUT --model MODEL.pt [OPTIONS]\n\n"
           "Runs MODEL on INPUT (an .npy array, a NIfTI/DICOM scan or an image with --manifest) at "
           "a\n"
           "privacy level, verifying every miner, and prints the result and the per-call report.\n"
           "With a language-model folder (config.json, *.safetensors, tokenizer.json: your own;\n"
           "none ships with Nesa) it summarizes or classifies a document (PDF, DOCX, text).\n"
           "Without --node it uses the configured network: the node in 'nodeAddress' when "
           "joining,\n"
           "else a running local devnet (nesa-node --devnet), else it starts one for this run.\n\n"
           "Options:\n"
        << cli::formatOptions(kOptions);
    return args->has("help") ? cli::kExitOk : cli::kExitUsage;
  }
  const fs::path modelFile = args->value("model");
  std::optional<ingest::ModelManifest> manifest;
  fs::path manifestFile = args->value("manifest");
  if (manifestFile.empty() && fs::exists(fs::path(modelFile).replace_extension(".json")))
    manifestFile = fs::path(modelFile).replace_extension(".json");
  if (!manifestFile.empty()) {
    auto loaded = ingest::loadManifest(manifestFile);
    if (!loaded)
      return failWith(loaded.error());
    manifest = *loaded;
    if (!manifest->notice.empty())
      std::cerr << manifest->name << ": " << manifest->notice << '\n';
  }
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

  if (fs::is_directory(modelFile)) // a language-model folder: a document task
    return app::runDocumentTask(*args, options);
  auto input = loadInput(args->positional.front(), manifest);
  if (!input)
    return failWith(input.error());
  auto compiled = model::compileModel(modelFile);
  if (!compiled)
    return failWith(compiled.error());
  if (privacy::isKeyed(options.level)) {
    auto key = eeKey();
    if (!key)
      return failWith(key.error());
    options.key = std::move(*key);
  }
  // The keyed model (ee, hss-ee) is what the miners get; the original never leaves.
  std::optional<privacy::KeyedModel> keyed;
  std::vector<std::shared_ptr<privacy::MinerEndpoint>> noMiners;
  if (privacy::isKeyed(options.level)) {
    privacy::Engine keying(noMiners);
    auto made = keying.keyedModel(*compiled, options, input->shape);
    if (!made)
      return failWith(made.error());
    keyed = *made;
  }
  const auto &served = keyed ? keyed->compiled() : *compiled;
  auto clientIdentity = net::Identity::generate(); // a fresh identity per run: unlinkable
  if (!clientIdentity)
    return failWith(clientIdentity.error());
  std::unique_ptr<miner::NetworkMiners> network;
  ledger::PublicKey payerAccount{};
  std::vector<std::shared_ptr<privacy::MinerEndpoint>> miners;
  if (options.level == privacy::PrivacyLevel::Local) {
    // nothing leaves this computer
  } else if (args->has("in-process")) {
    const int shares = privacy::isShared(options.level) ? options.miners : 1;
    for (int i = 0; i <= shares; ++i) // one spare, to recompute a share that failed
      miners.push_back(
          std::make_shared<privacy::LocalMiner>("local-miner-" + std::to_string(i + 1)));
  } else {
    auto setup = networkOptions(*args);
    if (!setup)
      return failWith(setup.error());
    setup->devnetMiners = (privacy::isShared(options.level) ? options.miners : 1) + 1;
    setup->onStatus = [](const std::string &status) { std::cerr << status << "...\n"; };
    auto opened = miner::NetworkMiners::open(*clientIdentity, *setup);
    if (!opened)
      return failWith(opened.error());
    network = std::move(*opened);
    auto payer = makePayer(*network);
    if (!payer)
      return failWith(payer.error());
    payerAccount = (*payer)->account();
    network->setPayer(*payer);
    auto found = network->minersFor(
        served.bundle(),
        static_cast<std::size_t>(privacy::isShared(options.level) ? options.miners : 1));
    if (!found)
      return failWith(found.error());
    miners = std::move(*found);
    std::cerr << "node " << network->node().text() << ": " << miners.size() << " miners\n";
    // The cost, before anything is paid: every share job at the dearest miner's price.
    const auto &calls = compiled->report();
    const int jobs = (options.arithmetic == privacy::ShareArithmetic::Ring64 ? calls.remoteOps
                                                                             : calls.remoteCalls) *
                     (privacy::isShared(options.level) ? options.miners : 1);
    std::uint64_t perJob = 0;
    for (const auto &endpoint : miners)
      perJob = std::max(
          perJob,
          static_cast<const miner::RemoteMiner &>(*endpoint).record().announcement.pricePerQuery);
    std::cerr << "cost estimate: about " << jobs * perJob << " µNES (" << jobs
              << " share jobs at up to " << perJob
              << " µNES, plus any per-byte price), paid only for verified answers; "
              << "opening a session with a miner locks a deposit of "
              << miner::Payer::Terms{}.deposit << " µNES and costs one transaction fee\n";
  }
  options.onProgress = [](const privacy::RunProgress &p) {
    std::cerr << "call " << p.callsDone << "/" << p.callsExpected << " " << p.call->kind << ": ";
    for (const auto &work : p.call->miners)
      std::cerr << work.miner << " (" << work.role << ", " << (work.passed ? "verified" : "FAILED")
                << ") ";
    std::cerr << '\n';
  };
  privacy::Engine engine(miners);
  if (keyed)
    std::cerr << "EE key " << options.key->id() << ": the miners get a keyed model ("
              << keyed->compiled().bundleId().substr(0, 16) << "…) and transformed data only\n";
  auto result = engine.run(*compiled, *input, options);
  if (!result)
    return failWith(result.error());
  printResult(result->output, manifest);
  std::cout << result->report.summary() << '\n';
  if (network) {
    // Wrong answers are reported to the node, which has them recomputed and slashes the miner.
    for (const auto &evidence : result->report.failures) {
      auto reported = network->reportEvidence(evidence, ledger::keyHashOf(payerAccount));
      std::cerr << "reported " << evidence.miner << ": "
                << (reported ? "slashed on the ledger" : reported.error().message) << '\n';
    }
    if (!result->report.missing.empty())
      std::cerr << network->reportMissing(result->report.missing)
                << " silent miner(s) recorded on the ledger\n";
    auto paid = network->finishPayments();
    if (!paid)
      return failWith(paid.error().withContext("paying the miners"));
    std::cout << "paid " << *paid << " µNES for verified answers (the miners settle the receipts "
              << "on the ledger)\n";
  }
  if (args->has("output"))
    if (auto written = model::writeNpy(args->value("output"), result->output); !written)
      return failWith(written.error());
  return cli::kExitOk;
}
