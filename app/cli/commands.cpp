#include "cli/commands.h"

#include "cli/arguments.h"
#include "cli/audit_command.h"
#include "cli/chain_command.h"
#include "cli/context.h"
#include "cli/gov_command.h"
#include "cli/miner_command.h"
#include "cli/policy_command.h"
#include "cli/wallet_command.h"
#include "gpu/device_probe.h"
#include "util/config.h"
#include "util/log.h"
#include "util/paths.h"
#include "util/version.h"

#include <unistd.h>

#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

namespace nesa::cli {
namespace {

namespace fs = std::filesystem;

using Handler = std::function<int(Context &)>;

struct Command {
  const char *name;
  const char *summary;
  const char *usage;
  const char *arrivesWith; // non-null: not available in this build yet
  Handler run;
};

const std::vector<OptionSpec> kGlobalOptions = {
    {"config", true, "read settings from FILE instead of the default", "FILE"},
    {"data-dir", true, "keep stores and bundles in DIR (overrides the setting)", "DIR"},
    {"log-level", true, "trace, debug, info, warn, error or off", "LEVEL"},
    {"help", false, "show this help, or a command's help after its name"},
    {"version", false, "print the version"},
};

int configCommand(Context &ctx) {
  const std::string action = ctx.args.empty() ? "show" : ctx.args[0];
  if (action == "show" && ctx.args.size() <= 1) {
    ctx.out << "# " << ctx.configFile.string() << '\n';
    for (const auto &[key, value] : configEntries(ctx.config))
      ctx.out << key << " = " << value << '\n';
    return kExitOk;
  }
  if (action == "path" && ctx.args.size() == 1) {
    ctx.out << "config file: " << ctx.configFile.string() << '\n'
            << "data dir:    " << ctx.config.effectiveDataDir().string() << '\n'
            << "cache dir:   " << paths::cacheDir().string() << '\n';
    return kExitOk;
  }
  if (action == "set" && ctx.args.size() == 3) {
    if (auto set = setConfigValue(ctx.config, ctx.args[1], ctx.args[2]); !set) {
      ctx.err << "nesa config: " << set.error().message << '\n';
      return kExitUsage;
    }
    if (auto saved = saveConfig(ctx.config, ctx.configFile); !saved) {
      ctx.err << "nesa config: " << saved.error().message << '\n';
      return kExitFailure;
    }
    ctx.out << ctx.args[1] << " = " << ctx.args[2] << '\n';
    return kExitOk;
  }
  ctx.err << "usage: nesa config [show | path | set KEY VALUE]\n";
  return kExitUsage;
}

// `nesa gpu --json`: the probe's report as one object, for programs.
nlohmann::json gpuReportJson(const gpu::Report &report) {
  nlohmann::json devices = nlohmann::json::array();
  for (const auto &d : report.devices)
    devices.push_back(
        {{"index", d.index},
         {"name", d.name},
         {"memory_mib", d.memoryBytes >> 20},
         {"compute", std::to_string(d.computeMajor) + "." + std::to_string(d.computeMinor)}});
  return {{"cuda_built", report.builtWithCuda}, {"devices", devices}, {"reason", report.reason}};
}

int gpuCommand(Context &ctx) {
  bool selfTest = false, json = false;
  for (const auto &arg : ctx.args) {
    if (arg == "--self-test" && !selfTest) {
      selfTest = true;
    } else if (arg == "--json" && !json) {
      json = true;
    } else {
      ctx.err << "usage: nesa gpu [--self-test | --json]\n";
      return kExitUsage;
    }
  }
  if (selfTest && json) {
    ctx.err << "nesa gpu: --json lists the GPUs; the self-test reports in text\n";
    return kExitUsage;
  }
  const gpu::Report report = gpu::probe();
  if (json)
    ctx.out << gpuReportJson(report).dump() << '\n';
  else
    ctx.out << gpu::describe(report);
  if (!selfTest)
    return kExitOk;
  if (auto tested = gpu::selfTest(0); !tested) {
    ctx.err << "GPU self-test: " << tested.error().message << '\n';
    return exitCodeFor(tested.error());
  }
  ctx.out << "GPU self-test: passed\n";
  return kExitOk;
}

// Runs `program` (installed beside this one) with the subcommand's arguments, in place of this
// process: `nesa bench` and `nesa analyze` link libtorch, `nesa` does not (that would slow every
// start by about a second).
int execSibling(Context &ctx, const char *program) {
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  const fs::path target = self.parent_path() / program;
  if (ec || !fs::exists(target)) {
    ctx.err << "nesa: " << target.string() << " was not found; build the " << program
            << " target (it is built with the project)\n";
    return kExitFailure;
  }
  std::vector<std::string> words{target.string()};
  words.insert(words.end(), ctx.args.begin(), ctx.args.end());
  std::vector<char *> argv;
  for (auto &w : words)
    argv.push_back(w.data());
  argv.push_back(nullptr);
  ctx.out.flush();
  execv(target.c_str(), argv.data());
  ctx.err << "nesa: cannot run " << target.string() << '\n';
  return kExitFailure;
}

int benchCommand(Context &ctx) { return execSibling(ctx, "nesa-bench"); }

int metainfCommand(Context &ctx) { return execSibling(ctx, "nesa-metainf"); }

int analyzeCommand(Context &ctx) { return execSibling(ctx, "nesa-analyze"); }

int modelCommand(Context &ctx) { return execSibling(ctx, "nesa-model"); }

int pacsCommand(Context &ctx) { return execSibling(ctx, "nesa-pacs"); }

int loginCommand(Context &ctx) { return execSibling(ctx, "nesa-login"); }

int serveCommand(Context &ctx) {
  ctx.args.insert(ctx.args.begin(), "--serve");
  return execSibling(ctx, "nesa-analyze");
}

const std::vector<Command> &commands() {
  static const std::vector<Command> table = {
      {"analyze", "run a model on a file privately (nesa analyze --help)",
       "nesa analyze INPUT --model M --privacy local|ee|hss|hss-ee [--shares N] [--output OUT.npy]",
       nullptr, analyzeCommand},
      {"serve", "serve the local API on 127.0.0.1: OpenAI, Ollama and /v1/analyze (docs/api.md)",
       "nesa serve [--port N] [--max-queries N] [--json]", nullptr, serveCommand},
      {"model", "list, add, inspect and remove installed models (nesa model --help)",
       "nesa model list | info ID | add FILE|FOLDER [--manifest M.json] [--id ID] | remove ID",
       nullptr, modelCommand},
      {"pacs",
       "the hospital's PACS over DICOM or DICOMweb: echo, find, series, get, send (nesa pacs "
       "--help)",
       "nesa pacs echo | find [--patient-name N] [--study-date D] | series STUDY | get STUDY "
       "[--series UID] --to DIR | send FILE|DIR... [--pacs AET@HOST:PORT|URL]",
       nullptr, pacsCommand},
      {"wallet", "create, restore and use the NES wallet (nesa wallet --help)",
       "nesa wallet create|restore|address|add-account|balance|send|history|sessions|stake|"
       "unstake|withdraw [--file F]",
       nullptr, walletCommand},
      {"miner", "start, stop and inspect this computer's miner",
       "nesa miner start [--threads N] [--backend auto|cpu|cuda] [--only-when-idle] [--price N] "
       "[--max-jobs N] | stop | status [--json]  (on the running local devnet, or --chain-rpc "
       "HOST:PORT --chain-id N --deployment FILE)",
       nullptr, minerCommand},
      {"gov", "propose and vote on network parameters (OpenZeppelin Governor)",
       "nesa gov list | propose PARAMETER VALUE | vote PROPOSAL yes|no|abstain | queue PROPOSAL | "
       "execute PROPOSAL | delegate [0xADDRESS]",
       nullptr, govCommand},
      {"chain",
       "run the local EVM devnet (anvil, the Nesa contracts, miners) or show a network's state "
       "(docs/chain.md)",
       "nesa chain devnet [--miners N] [--once] [--json] | status [--json]", nullptr, chainCommand},
      {"audit", "verify, list, prove and export the tamper-evident audit log (nesa audit --help)",
       "nesa audit verify [CHECKPOINT...] | list [--action A] [--since YYYY-MM-DD] | checkpoint | "
       "key | prove N | export [--format dicom|json] | ship --to HOST:PORT --ca FILE",
       nullptr, auditCommand},
      {"login", "sign in with the organisation's identity provider (nesa login --help)",
       "nesa login --issuer URL --client-id ID --port PORT [--no-browser] | --status | --forget",
       nullptr, loginCommand},
      {"policy", "what the organisation's policy lets you do; sign a policy (nesa policy --help)",
       "nesa policy show [--json] | keygen NAME --output FILE | sign POLICY.json --key FILE "
       "[--output NOTE] | verify NOTE [--pub FILE]",
       nullptr, policyCommand},
      {"bench", "run a benchmark suite (nesa bench --list)", "nesa bench [--list] [SUITE...]",
       nullptr, benchCommand},
      {"metainf",
       "measure how each way of running a query performs; judge the selectors (nesa metainf "
       "--help)",
       "nesa metainf collect [--models N] [--networks LIST] ... | evaluate [--split NAME]", nullptr,
       metainfCommand},
      {"gpu", "list GPUs, optionally run the GPU self-test", "nesa gpu [--self-test | --json]",
       nullptr, gpuCommand},
      {"config", "show or change settings", "nesa config [show | path | set KEY VALUE]", nullptr,
       configCommand},
  };
  return table;
}

void printHelp(std::ostream &out) {
  out << "nesa " << kVersion
      << " — private AI on other people's GPUs, paid in NES\n\n"
         "usage: nesa [OPTIONS] COMMAND [ARGS]\n\nCommands:\n";
  for (const auto &c : commands()) {
    std::string name = c.name;
    out << "  " << name << std::string(10 - name.size(), ' ') << c.summary
        << (c.arrivesWith ? " (not yet available)" : "") << '\n';
  }
  out << "\nOptions:\n"
      << formatOptions(kGlobalOptions)
      << "\nEnvironment: NESA_HOME puts config, data and cache in one folder.\n"
         "Run 'nesa COMMAND --help' for a command's usage.\n";
}

} // namespace

int runNesa(int argc, const char *const *argv, std::ostream &out, std::ostream &err) {
  // Global options come before the command; everything after it belongs to the command.
  int commandIndex = 1;
  while (commandIndex < argc && argv[commandIndex][0] == '-') {
    const std::string word = argv[commandIndex];
    const bool takesValue = word == "--config" || word == "--data-dir" || word == "--log-level";
    commandIndex += takesValue ? 2 : 1;
  }
  auto global = parseArguments(std::min(commandIndex, argc), argv, 1, kGlobalOptions);
  if (!global) {
    err << "nesa: " << global.error().message << "\nRun 'nesa --help' for usage.\n";
    return kExitUsage;
  }
  if (global->has("version")) {
    out << "nesa " << kVersion << '\n';
    return kExitOk;
  }
  if (commandIndex >= argc) {
    printHelp(global->has("help") ? out : err);
    return global->has("help") ? kExitOk : kExitUsage;
  }

  const std::string name = argv[commandIndex];
  const Command *command = nullptr;
  for (const auto &c : commands())
    if (name == c.name)
      command = &c;
  if (command == nullptr) {
    err << "nesa: unknown command '" << name << "'. Run 'nesa --help' for the list.\n";
    return kExitUsage;
  }
  std::vector<std::string> rest(argv + commandIndex + 1, argv + argc);
  const bool wantsHelp =
      global->has("help") || (!rest.empty() && (rest[0] == "--help" || rest[0] == "-h"));
  if (wantsHelp && name != "bench" && name != "metainf" && name != "wallet" && name != "analyze" &&
      name != "model" && name != "serve" && name != "gov" && name != "pacs" && name != "audit" &&
      name != "policy" && name != "login") {
    out << "usage: " << command->usage << "\n\n" << command->summary << '\n';
    if (command->arrivesWith)
      out << "Not yet available in this build: it arrives with " << command->arrivesWith << ".\n";
    return kExitOk;
  }
  if (command->arrivesWith) {
    err << "nesa " << name << ": not yet available in this build; it arrives with "
        << command->arrivesWith << ".\n";
    return kExitUnavailable;
  }

  const fs::path configFile = global->value("config", paths::configFile().string());
  auto config = loadConfig(configFile);
  if (!config) {
    err << "nesa: " << config.error().message << '\n';
    return kExitFailure;
  }
  if (global->has("data-dir"))
    config->dataDir = global->value("data-dir");
  auto level = log::parseLevel(global->value("log-level", config->logLevel));
  if (!level) {
    err << "nesa: " << level.error().message << '\n';
    return kExitUsage;
  }
  (void)log::init({*level, {}});

  Context context{std::move(*config), configFile, std::move(rest), out, err};
  return command->run(context);
}

int exitCodeFor(const Error &error) {
  switch (error.code) {
  case ErrorCode::InvalidInput: return kExitUsage;
  case ErrorCode::Unavailable:
  case ErrorCode::Busy: return kExitUnavailable;
  case ErrorCode::Forbidden: return kExitForbidden;
  default: return kExitFailure;
  }
}

int failWith(Context &ctx, const std::string &command, const Error &error) {
  ctx.err << "nesa " << command << ": " << error.message << '\n';
  return exitCodeFor(error);
}

} // namespace nesa::cli
