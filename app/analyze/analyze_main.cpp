// nesa-analyze: runs a model privately on a file (what `nesa analyze` runs): shares go to the
// miners of the configured EVM network, or of a local devnet started for this run when none is.
#include "analysis/analyzer.h"
#include "analysis/json_schema.h"
#include "analysis/output_file.h"
#include "analysis_audit.h"
#include "analysis_session.h"
#include "cli/arguments.h"
#include "cli/commands.h"
#include "cli/daemon.h"
#include "cli/secret_input.h"
#include "pacs/pacs_client.h"
#include "policy/audit_records.h"
#include "policy/enforcement.h"
#include "policy/storage_places.h"
#include "privacy/local_miner.h"
#include "serve_api.h"
#include "util/paths.h"
#include "util/process_tuning.h"
#include "wallet_secrets.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include <fstream>
#include <functional>
#include <iostream>
#include <mutex>
#include <sstream>

namespace {

using namespace nesa;
namespace fs = std::filesystem;

const std::vector<cli::OptionSpec> kOptions = {
    {"model", true,
     "the model: an installed model's id (nesa model list), a TorchScript file, a language-model "
     "folder or a GGUF file",
     "MODEL"},
    {"task", true, "with a language model: summarize or classify (default summarize)",
     "TASK"},
    {"labels", true, "classify: the labels, comma-separated", "A,B,..."},
    {"manifest", true, "how to prepare INPUT for the model (default: MODEL.json when present)",
     "FILE"},
    {"privacy", true, "local, hss, ee or hss-ee (default hss)", "LEVEL"},
    {"arithmetic", true,
     "f64-masked, ring64 or f32 (default: f32 at ee for compiled models, f64-masked otherwise)",
     "KIND"},
    {"shares", true,
     "shares per remote call at the hss levels, each to its own miner, 2 to 8 "
     "(default 2)",
     "N"},
    {"miners", true, "the old name of --shares", "N"},
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
    {"output", true,
     "write the model's output (.npy), or a segmentation on the scan's grid (.nii, .nii.gz)",
     "FILE"},
    {"output-dicom", true,
     "write a segmentation as a DICOM SEG and a Comprehensive SR of its volumes into DIR, in the "
     "scan's own study when it was DICOM (docs/pacs.md)",
     "DIR"},
    {"send-to", true,
     "store the DICOM SEG and SR on this PACS (C-STORE, or STOW-RS to a DICOMweb URL); 'pacs' "
     "is the settings' pacsNode, with the settings' AE title and TLS files. Without "
     "--output-dicom they are written to a private folder, removed afterwards (kept, and named, "
     "when sending fails)",
     "AET@HOST:PORT|URL|pacs"},
    {"estimate", false, "print what the run would cost on the network's miners, and stop"},
    {"json", false,
     "print JSON for programs: the estimate as one object, or a run's progress and result as "
     "one object a line (docs/engine.md)"},
    {"show-share", true,
     "write the prepared input (DIR/input.npy) and the first share a miner received "
     "(DIR/share.npy), to compare what the miners saw with the original",
     "DIR"},
    {"request", true,
     "read the query (input, model, task, labels, privacy, arithmetic, shares) from a JSON file "
     "instead of INPUT and the options above; - reads standard input (docs/engine.md)",
     "FILE"},
    {"session", false,
     "serve a program's queries: JSON ops on standard input, JSON lines on standard output, one "
     "analyzer for them all (docs/engine.md)"},
    {"serve", false,
     "serve the local API on 127.0.0.1 until Ctrl-C: OpenAI's /v1 and Ollama's /api text "
     "endpoints and /v1/analyze, with the bearer token in DATA/api-token (docs/api.md)"},
    {"port", true,
     "with --serve: the port (default: the settings' apiPort, 11435; 0: any free one)", "N"},
    {"max-queries", true,
     "with --serve: queries waiting or running at once before the next is refused (default 32)",
     "N"},
    {"help", false, "show this help"},
};

/// Prints what --estimate found, as a sentence or as JSON.
void printEstimate(const analysis::CostEstimate &e, const analysis::Analyzer::Counters &work,
                   bool json) {
  if (json) {
    std::cout << analysis::estimateLine(e, work) << '\n';
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
    std::cout << analysis::errorLine(error) << std::endl;
  return cli::exitCodeFor(error);
}

// --json: one finished remote call, as one line.
void printCallAsJson(const privacy::RunProgress &p) {
  static std::mutex printing;
  const auto line = analysis::callLine(p);
  std::lock_guard lock(printing);
  std::cout << line << std::endl;
}

/// Prints one finished remote call for people (stderr).
void printCall(const privacy::RunProgress &p) {
  std::ostringstream line;
  line << "call " << p.callsDone << "/" << p.callsExpected << " " << p.call->kind << ": ";
  for (const auto &work : p.call->miners)
    line << work.miner << " (" << work.role << ", " << (work.passed ? "verified" : "FAILED")
         << ") ";
  std::cerr << line.str() << '\n';
}

/// Records what became of a run's result in the audit log (does nothing when it is off): an
/// action, its details as JSON, its outcome.
using ResultRecorder =
    std::function<void(const std::string &, const std::string &, const Result<void> &)>;

/// Writes the DICOM SEG and SR of `outcome` into --output-dicom (else into a private folder)
/// and stores them on `sendTo` when given. The private folder is removed, unless sending failed:
/// then the error says where the files wait (the run was paid for; they are the user's result).
Result<void> writeAndSendDicom(const cli::Arguments &args, const analysis::Outcome &outcome,
                               const std::optional<pacs::PacsNode> &sendTo,
                               const ResultRecorder &record) {
  const bool keep = args.has("output-dicom");
  fs::path folder;
  if (keep) {
    folder = args.value("output-dicom");
  } else {
    std::error_code ec;
    std::string pattern = (fs::temp_directory_path(ec) / "nesa-dicom-XXXXXX").string();
    if (ec || ::mkdtemp(pattern.data()) == nullptr) // made for this user alone (0700)
      return fail(ErrorCode::Io, "cannot make a private temporary folder for the DICOM results");
    folder = pattern;
  }
  bool removeFolder = !keep; // they hold the patient's details
  struct Remover {
    const fs::path &folder;
    const bool &remove;
    ~Remover() {
      std::error_code ignored;
      if (remove)
        fs::remove_all(folder, ignored);
    }
  } remover{folder, removeFolder};
  auto written = analysis::writeDicomOutput(folder, outcome);
  if (keep)
    record("export", nlohmann::json{{"format", "dicom"}}.dump(),
           written ? Result<void>{} : Result<void>(written.error()));
  if (!written)
    return written.error();
  auto &out = g_json ? std::cerr : std::cout;
  if (keep)
    out << "DICOM SEG " << written->segmentation.string() << "\nDICOM SR  "
        << written->report.string() << '\n';
  if (!sendTo)
    return {};
  auto sent = pacs::store(*sendTo, {written->segmentation, written->report});
  record("pacs-send", nlohmann::json{{"pacs", pacs::describe(*sendTo)}}.dump(), sent);
  if (sent) {
    out << "Sent the SEG and the SR to " << pacs::describe(*sendTo) << ".\n";
    return {};
  }
  if (sent.error().code == ErrorCode::Forbidden)
    return sent.error(); // the policy keeps the result in: the private folder goes
  removeFolder = false;
  return fail(sent.error().code, sent.error().message + "; the SEG and the SR wait in " +
                                     folder.string() +
                                     (keep ? std::string() : " (readable by you alone)") +
                                     ": send them with 'nesa pacs send " + folder.string() + "'");
}

/// The run's result for people: what the output means, the per-call report and the payment.
void printRun(const analysis::Outcome &outcome) {
  if (outcome.output) {
    std::cout << "output " << outcome.output->shapeText() << '\n';
    for (const auto &line : outcome.summary)
      std::cout << "  " << line << '\n';
  } else {
    for (const auto &line : outcome.summary)
      std::cout << line << '\n';
  }
  if (outcome.report.level != privacy::PrivacyLevel::Local || outcome.output)
    std::cout << outcome.report.summary() << '\n';
  if (outcome.payment)
    std::cout << analysis::describePayment(*outcome.payment) << '\n';
}

/// The query the command line asks for.
Result<analysis::Request> requestOf(const cli::Arguments &args) {
  analysis::Request request;
  request.input = args.positional.front();
  request.model = args.value("model");
  request.manifest = args.value("manifest");
  request.task = args.value("task", "summarize");
  std::stringstream labels(args.value("labels"));
  for (std::string label; std::getline(labels, label, ',');)
    if (!label.empty())
      request.labels.push_back(label);
  auto level = privacy::parsePrivacyLevel(args.value("privacy", "hss"));
  if (!level)
    return level.error();
  request.level = *level;
  if (args.has("arithmetic")) {
    auto arithmetic = privacy::parseArithmetic(args.value("arithmetic"));
    if (!arithmetic)
      return arithmetic.error();
    request.arithmetic = *arithmetic;
  }
  if (args.has("miners") && !args.has("shares"))
    std::cerr << "--miners is now called --shares (nesa-node's --miners counts miner processes)\n";
  auto shares = args.integer(args.has("shares") ? "shares" : "miners", 2, 1, 64);
  if (!shares)
    return shares.error();
  request.shares = static_cast<int>(*shares);
  request.showShare = args.value("show-share");
  return request;
}

/// The query in the JSON file `file` ("-": standard input).
Result<analysis::Request> readRequest(const std::string &file) {
  std::ostringstream text;
  if (file == "-") {
    text << std::cin.rdbuf();
  } else {
    std::ifstream in(file);
    if (!in)
      return fail(ErrorCode::NotFound, "cannot read the request " + file);
    text << in.rdbuf();
  }
  return analysis::requestFromJson(text.str());
}

/// Where the miners are, as the command line and the settings say.
Result<analysis::NetworkChoice> networkOf(const cli::Arguments &args, const Config &config) {
  analysis::NetworkChoice network;
  network.config = config;
  network.inProcess = args.has("in-process");
  if (args.has("chain-rpc")) {
    auto named = cli::resolveChain(config, args.value("chain-rpc"), args.value("chain-id"),
                                   args.value("deployment"));
    if (!named)
      return named.error();
    network.chain = *named;
  }
  auto maxPrice = args.integer("max-price", 1'000, 0, 1LL << 50);
  if (!maxPrice)
    return maxPrice.error();
  network.maxPricePerJob = static_cast<std::uint64_t>(*maxPrice);
  auto seconds = args.integer("timeout", 60, 1, 86'400);
  if (!seconds)
    return seconds.error();
  network.jobTimeout = std::chrono::seconds(*seconds);
  return network;
}

} // namespace

int main(int argc, char **argv) {
  tuneProcess(argv);           // the miners share these cores (it may execute this program again)
  privacy::setComputeThreads(0); // the client's own work on every core (docs/engine.md)
  cli::takeHandedPassphrase(); // then, before anything is started: no child inherits it
  // Known before parsing, so that a command line it cannot parse is an error line too.
  g_json =
      std::any_of(argv + 1, argv + argc, [](const char *a) { return !std::strcmp(a, "--json"); });
  auto args = cli::parseArguments(argc, argv, 1, kOptions);
  if (!args)
    return failWith(args.error());
  const bool named = args->has("request") || args->has("session") || args->has("serve")
                         ? args->positional.empty() && !args->has("model")
                         : args->positional.size() == 1 && args->has("model");
  if (!args->has("help") && !named && g_json)
    return failWith(fail(ErrorCode::InvalidInput,
                         "give one INPUT and --model, or --request or --session alone (nesa "
                         "analyze --help says more)"));
  if (args->has("help") || !named) {
    (args->has("help") ? std::cout : std::cerr)
        << "usage: nesa analyze INPUT --model MODEL.pt [OPTIONS]\n"
           "       nesa analyze --request QUERY.json [OPTIONS]\n"
           "       nesa-analyze --session [OPTIONS]   (queries as JSON lines on stdin)\n"
           "       nesa serve [--port N] [OPTIONS]    (the local API: docs/api.md)\n\n"
           "Runs MODEL on INPUT (an .npy array, a NIfTI/DICOM scan or an image with --manifest) at "
           "a\n"
           "privacy level, verifying every miner, and prints the result and the per-call report.\n"
           "With a language model (a folder of config.json, *.safetensors and tokenizer.json, or a\n"
           "GGUF file of the llama or gpt2 architecture: your own; none ships with Nesa) it\n"
           "summarizes or classifies a document (PDF, DOCX, text).\n"
           "Without --chain-rpc it uses the settings' network when joining one, else a running\n"
           "local devnet (nesa chain devnet), else it starts one for this run.\n\n"
           "Options:\n"
        << cli::formatOptions(kOptions);
    return args->has("help") ? cli::kExitOk : cli::kExitUsage;
  }
  auto config = loadConfig(args->value("config", paths::configFile().string()));
  if (!config)
    return failWith(config.error());
  if (args->has("serve")) {
    auto network = networkOf(*args, *config);
    if (!network)
      return failWith(network.error());
    return app::serveApi(*args, *config, std::move(*network), g_json);
  }
  if (args->has("session")) {
    const std::filesystem::path settings = args->value("config", paths::configFile().string());
    return app::serveSession(std::cin, std::cout, settings,
                             [&]() -> Result<analysis::NetworkChoice> {
                               auto now = loadConfig(settings);
                               if (!now)
                                 return now.error();
                               return networkOf(*args, *now);
                             });
  }
  auto request = args->has("request") ? readRequest(args->value("request")) : requestOf(*args);
  if (!request)
    return failWith(request.error());
  if (args->has("output") || args->has("output-dicom")) // the result would leave Nesa
    if (auto allowed = policy::Enforcement::installed().allowsExport(); !allowed)
      return failWith(allowed.error());
  if (args->has("output"))
    if (auto outputName = analysis::checkOutputFile(args->value("output")); !outputName)
      return failWith(outputName.error());
  if (args->has("output-dicom"))
    if (auto folder = analysis::checkDicomFolder(args->value("output-dicom")); !folder)
      return failWith(folder.error());
  if (args->has("send-to")) // before anything is paid: a refused send would strand the result
    if (auto allowed = policy::Enforcement::installed().allowsPacsTransfer(); !allowed)
      return failWith(allowed.error());
  std::optional<pacs::PacsNode> sendTo;
  if (args->has("send-to")) {
    const std::string address =
        args->value("send-to") == "pacs" ? config->pacsNode : args->value("send-to");
    if (address.empty())
      return failWith(Error{ErrorCode::InvalidInput,
                            "--send-to pacs: no PACS in the settings (nesa config set pacsNode "
                            "AET@HOST:PORT)"});
    auto node = pacs::parsePacsNode(address, config->pacsAeTitle);
    if (!node)
      return failWith(node.error());
    node->trustedCertificates = config->pacsTlsTrusted; // TLS as the settings say
    node->certificate = config->pacsTlsCertificate;
    node->privateKey = config->pacsTlsKey;
    if (auto answers = pacs::echo(*node); !answers) // before the run: it costs
      return failWith(answers.error());
    sendTo = *node;
  }
  auto network = networkOf(*args, *config);
  if (!network)
    return failWith(network.error());
  const auto toStderr = [](const std::string &line) { std::cerr << line << '\n'; };
  analysis::Events events;
  events.notice = toStderr;
  events.call = g_json ? printCallAsJson : printCall;
  // One passphrase for the wallet and the audit log, asked for at most once.
  auto asked = std::make_shared<std::optional<SecureBuffer>>();
  const app::PassphraseSource passphraseOnce = [asked]() -> Result<SecureBuffer> {
    if (!*asked) {
      auto read = cli::readPassphrase(false);
      if (!read)
        return read.error();
      asked->emplace(std::move(*read));
    }
    return SecureBuffer::copyOf((*asked)->view());
  };
  // With the setting auditLog, each run is recorded as it starts and as it ends; the log opens
  // first, so that a run that could not be recorded does not start.
  std::shared_ptr<audit::AuditLog> auditLog; // when the settings keep one
  if (policy::auditLogOn(*config) && !args->has("estimate")) {
    auto passphrase = passphraseOnce();
    if (!passphrase)
      return failWith(passphrase.error().withContext("the audit log (setting auditLog)"));
    auto opened = policy::openAuditLogIfEnabled(*config, *passphrase);
    if (!opened)
      return failWith(opened.error());
    auditLog = std::make_shared<audit::AuditLog>(std::move(**opened));
    const auto hooks = app::auditHooks(auditLog, config->effectiveDataDir());
    events.starting = hooks.starting;
    events.finished = hooks.finished;
    events.spentToday = hooks.spentToday;
  }
  analysis::Analyzer analyzer(std::move(*network),
                              app::walletSecrets(*config, passphraseOnce, toStderr), events);
  if (args->has("estimate")) { // the price only: nothing runs, nobody is paid
    auto estimate = analyzer.estimate(*request);
    if (!estimate)
      return failWith(estimate.error());
    printEstimate(*estimate, analyzer.counters(), g_json);
    return cli::kExitOk;
  }
  auto outcome = analyzer.run(*request);
  if (!outcome)
    return failWith(outcome.error());
  // A document task's result is its text: an .npy asked for it stays unwritten.
  const bool noArray = !outcome->output && fs::path(args->value("output")).extension() == ".npy";
  // Exports and PACS sends are on record beside the analysis (the run itself is recorded).
  const ResultRecorder record = [&](const std::string &action, const std::string &details,
                                    const Result<void> &done) {
    if (!auditLog)
      return;
    if (auto recorded = auditLog->append(app::resultEntry(*request, action, details, done));
        !recorded)
      std::cerr << "nesa analyze: recording the " << action
                << " in the audit log failed: " << recorded.error().message << '\n';
  };
  if (args->has("output") && !noArray) {
    auto written = analysis::writeOutput(args->value("output"), *outcome);
    record("export",
           nlohmann::json{
               {"format", fs::path(args->value("output")).extension() == ".npy" ? "npy" : "nifti"}}
               .dump(),
           written);
    if (!written)
      return failWith(written.error());
  }
  // The result first: a failure to write or send its DICOM form does not hide what was paid for.
  if (g_json)
    std::cout << analysis::resultLine(*outcome, analyzer.counters()) << std::endl;
  else
    printRun(*outcome);
  if (args->has("output-dicom") || sendTo) {
    if (auto stored = writeAndSendDicom(*args, *outcome, sendTo, record); !stored) {
      if (const auto &unpaid = outcome->settlementError)
        std::cerr << "nesa analyze: " << unpaid->message << '\n';
      return failWith(stored.error());
    }
  }
  if (const auto &unpaid = outcome->settlementError) { // the result stands; the payment failed
    std::cerr << "nesa analyze: " << unpaid->message << '\n';
    return cli::exitCodeFor(*unpaid);
  }
  return cli::kExitOk;
}
