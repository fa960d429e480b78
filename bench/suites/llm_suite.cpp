// llm: our native forward pass on a GGUF Llama of 1.1 B parameters in Q8_0 (random weights,
// Llama 3.2 1B's shape: hidden 2048, 16 blocks, 32 heads, 8 key/value heads, MLP 8192, a
// 32 000-piece vocabulary) against llama.cpp on the same file and machine. Each side runs an
// 8-token prompt's pass and 16 greedy tokens, loading excluded. llama.cpp is driven by
// llama_oracle (tests/llama_cpp), which a build with tests puts beside nesa-bench; it also
// writes the model (about 55 s and 5.6 GB of temporary files, removed at the end). Then the same
// run at hss-ee against our local run (one repeat each: minutes): on two in-process miners, and
// on two miner services of this process reached through emulated LAN and WAN links. The services
// are sent the keyed bundle (4.15 GB, in pieces) once, over loopback, before anything is timed;
// being in this process, they hold the client's copy of it rather than one each.
#include "harness.h"
#include "llm/language_model.h"
#include "privacy/local_miner.h"
#include "suites/linked_miners.h"
#include "suites/or_die.h"
#include "suites/run_traffic.h"
#include "suites/suites.h"
#include "util/child_process.h"

#include <cmath>
#include <filesystem>
#include <iomanip>
#include <optional>
#include <set>
#include <string>
#include <unistd.h>

namespace nesa::bench {
namespace {

namespace fs = std::filesystem;

template <typename T> T orDie(Result<T> result, const char *what) {
  return bench::orDie(std::move(result), "llm", what);
}

constexpr int kNewTokens = 16;
const std::vector<std::int64_t> kPrompt = {1, 300, 301, 302, 303, 304, 305, 306};

fs::path oraclePath() {
  const auto path = executableDir() / "llama_oracle";
  if (!fs::exists(path)) {
    std::cerr << "llm suite: " << path.string()
              << " is missing: it is built with the tests once scripts/install-deps.sh has "
                 "installed llama.cpp's libraries (tests/llama_cpp)\n";
    std::exit(1);
  }
  return path;
}

// Runs llama_oracle to the end; its last line of output.
std::string oracle(const std::vector<std::string> &arguments, const char *what) {
  auto child = orDie(ChildProcess::start(oraclePath(), arguments, true), what);
  std::string last;
  for (;;) {
    auto line = child.readLine(std::chrono::minutes(10));
    if (!line)
      break;
    last = *line;
  }
  if (child.stop() != 0) {
    std::cerr << "llm suite: " << what << ": llama_oracle failed\n";
    std::exit(1);
  }
  return last;
}

struct Fixture {
  fs::path folder;
  fs::path file;
  std::shared_ptr<llm::LanguageModel> model;
  // hss-ee: two in-process miners, which share the client's prepared weights (float64, 8.8 GB
  // for 1.1 B parameters) instead of holding a copy each.
  std::shared_ptr<privacy::Engine> engine;
  std::shared_ptr<const privacy::EeKey> key;
  // The miner services behind emulated links, and the engines over them already warmed up.
  std::optional<net::Identity> client;
  std::shared_ptr<LinkedMiners> far;
  std::set<const privacy::Engine *> warm;
  ~Fixture() {
    std::error_code ec;
    fs::remove_all(folder, ec);
  }
};

std::shared_ptr<Fixture> makeFixture() {
  auto f = std::make_shared<Fixture>();
  f->folder = fs::temp_directory_path() / ("nesa-bench-llm-" + std::to_string(getpid()));
  fs::create_directories(f->folder);
  const auto f32 = f->folder / "llama-1b-f32.gguf";
  f->file = f->folder / "llama-1b-q8_0.gguf";
  std::cerr << "llm suite: writing a random Llama of 1.1 B parameters (about a minute)...\n";
  oracle({"make", f32.string(), "llama-1b", "1"}, "write the model");
  oracle({"quantize", f32.string(), f->file.string(), "q8_0"}, "quantize it");
  fs::remove(f32);
  f->model = std::make_shared<llm::LanguageModel>(
      orDie(llm::LanguageModel::load(f->file), "load the model"));
  return f;
}

double llamaCpp(const Fixture &f) {
  std::vector<std::string> arguments = {"speed", f.file.string(), std::to_string(kNewTokens)};
  for (auto id : kPrompt)
    arguments.push_back(std::to_string(id));
  return std::stod(oracle(arguments, "llama.cpp's run"));
}

double ours(const Fixture &f) {
  llm::RunSetup local;
  local.options.level = privacy::PrivacyLevel::Local;
  llm::GenerationOptions greedy;
  greedy.maxNewTokens = kNewTokens;
  greedy.stopAtEos = false;
  return timeMs([&] { orDie(f.model->generate(kPrompt, greedy, local), "our run"); });
}

// The first hss-ee run on `engine`'s miners (`where` names them), untimed: it keys the model
// (once), installs its bundle on the miners and prepares it.
void warmUp(Fixture &f, privacy::Engine &engine, const std::string &where,
            const llm::RunSetup &setup) {
  if (f.warm.count(&engine))
    return;
  llm::GenerationOptions once;
  once.maxNewTokens = 1;
  once.stopAtEos = false;
  std::cerr << "llm suite: keying the model (once), installing and preparing it on the " << where
            << " miners...\n";
  const double ms =
      timeMs([&] { orDie(f.model->generate(kPrompt, once, setup), "the hss-ee warm-up"); });
  std::cerr << "llm suite: ready in " << std::lround(ms / 1000) << " s\n";
  f.warm.insert(&engine);
}

llm::RunSetup hssEeOn(const Fixture &f, privacy::Engine &engine) {
  llm::RunSetup setup;
  setup.engine = &engine;
  setup.options.level = privacy::PrivacyLevel::HssEe;
  setup.options.key = f.key;
  return setup;
}

// Our run at hss-ee on `engine`'s miners: the keyed model's every linear op split into two
// shares, one per miner, each answer checked.
double oursAtHssEe(Fixture &f, privacy::Engine &engine, const std::string &where) {
  const auto setup = hssEeOn(f, engine);
  warmUp(f, engine, where, setup);
  llm::GenerationOptions greedy;
  greedy.maxNewTokens = kNewTokens;
  greedy.stopAtEos = false;
  llm::Generation run;
  const double ms =
      timeMs([&] { run = orDie(f.model->generate(kPrompt, greedy, setup), "hss-ee"); });
  printTraffic("llm", "hss-ee f64 " + where, run.report, "run (8-token prompt, 16 tokens)");
  const double tokens = static_cast<double>(kNewTokens);
  std::cerr << "# llm hss-ee f64 " << where << ": " << std::fixed << std::setprecision(2)
            << tokens / (ms / 1000) << " tokens/s, "
            << (run.report.bytesSent + run.report.bytesReceived) / 1e6 / tokens
            << " MB per token (the prompt's pass counted in)\n"
            << std::defaultfloat;
  return ms;
}

std::vector<Comparison> makeComparisons() {
  auto f = makeFixture();
  f->engine =
      std::make_shared<privacy::Engine>(std::vector<std::shared_ptr<privacy::MinerEndpoint>>{
          std::make_shared<privacy::LocalMiner>("a"), std::make_shared<privacy::LocalMiner>("b")});
  f->key = std::make_shared<const privacy::EeKey>(orDie(privacy::EeKey::generate(), "an EE key"));
  Comparison local{"q8_0_1b_local_vs_llama_cpp", "ms", [f] { return llamaCpp(*f); },
                   [f] { return ours(*f); }};
  local.maxRepeats = 3;
  Comparison hssEe{"q8_0_1b_hss_ee_vs_local", "ms", [f] { return ours(*f); },
                   [f] { return oursAtHssEe(*f, *f->engine, "in-process"); }};
  hssEe.maxRepeats = 1;
  // Room for the 4.15 GB keyed bundle (more than a miner keeps by default).
  f->client = orDie(net::Identity::generate(), "a client identity");
  f->far = startLinkedMiners(*f->client, 2, "llm", std::size_t{24} << 30);
  const auto overLink = [f](const char *name, privacy::Engine &engine, const char *where) {
    Comparison c{name, "ms", [f] { return ours(*f); },
                 [f, &engine, where] {
                   // Sent over loopback first: the bundle's upload is not part of a query.
                   auto &loopback = *f->far->loopback;
                   warmUp(*f, loopback, "loopback", hssEeOn(*f, loopback));
                   return oursAtHssEe(*f, engine, where);
                 }};
    c.maxRepeats = 1;
    return c;
  };
  return {local, hssEe, overLink("q8_0_1b_hss_ee_lan_vs_local", *f->far->lan, "LAN"),
          overLink("q8_0_1b_hss_ee_wan_vs_local", *f->far->wan, "WAN")};
}

} // namespace

void registerLlmSuite() {
  registerSuite({"llm",
                 "a GGUF Llama of 1.1 B parameters in Q8_0 at local vs llama.cpp on the same "
                 "file (prompt pass + 16 greedy tokens), and at hss-ee vs local in process and "
                 "over emulated LAN and WAN links",
                 makeComparisons});
}

} // namespace nesa::bench
