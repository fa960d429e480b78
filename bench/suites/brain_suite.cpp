// brain: what a clinician's query costs. The built-in brain-extraction model on the Colin27 T1
// scan (mricron-data), prepared as `nesa analyze` prepares it, at ee, hss f64-masked and hss
// ring64 against local, with two in-process miners; the same model with miner services a LAN
// and a WAN away (net::LinkEmulator) against loopback; and a query's large buffers reused from
// the heap (util/process_tuning.h) against mapped afresh for every use. For each run it prints
// the round trips and bytes of one query on stderr. Slow: about 15 minutes.
#include "analysis/model_input.h"
#include "harness.h"
#include "model/compiled_model.h"
#include "privacy/engine.h"
#include "privacy/local_miner.h"
#include "registry/model_locations.h"
#include "registry/model_registry.h"
#include "suites/linked_miners.h"
#include "suites/or_die.h"
#include "suites/run_traffic.h"
#include "suites/suites.h"

#include <cstdlib>
#include <iostream>
#include <malloc.h>
#include <set>
#include <unistd.h>

namespace nesa::bench {
namespace {

using namespace nesa::privacy;
namespace fs = std::filesystem;

const fs::path kScan = "/usr/share/mricron/templates/ch2.nii.gz";
constexpr const char *kModel = "brain-extraction";

template <typename T> T orDie(Result<T> result, const char *what) {
  return bench::orDie(std::move(result), "brain", what);
}

struct BrainFixture {
  BrainFixture(fs::path folder, model::CompiledModel model, model::TensorData scan)
      : home(std::move(folder)), compiled(std::move(model)), input(std::move(scan)) {}
  ~BrainFixture() {
    far.reset();
    std::error_code ec;
    fs::remove_all(home, ec);
  }

  fs::path home;
  model::CompiledModel compiled;
  model::TensorData input;
  std::shared_ptr<Engine> inProcess =
      std::make_shared<Engine>(std::vector<std::shared_ptr<MinerEndpoint>>{
          std::make_shared<LocalMiner>("a"), std::make_shared<LocalMiner>("b")});
  std::shared_ptr<const EeKey> key =
      std::make_shared<const EeKey>(orDie(EeKey::generate(), "EE key"));
  net::Identity client = orDie(net::Identity::generate(), "client identity");
  std::shared_ptr<LinkedMiners> far;
  std::set<std::string> described; // runs whose round trips and bytes were printed
};

std::shared_ptr<BrainFixture> makeFixture() {
  const fs::path home =
      fs::temp_directory_path() / ("nesa-bench-brain-" + std::to_string(::getpid()));
  fs::create_directories(home);
  ::setenv("NESA_HOME", home.c_str(), 1); // the registry's user folder: not the user's
  const auto models = orDie(
      registry::ModelRegistry::open(registry::userModelsFolder(), registry::builtInModelFolders()),
      "model registry");
  const auto brain = orDie(models.find(kModel), "the built-in brain model");
  if (!fs::exists(kScan)) {
    std::cerr << "brain suite: " << kScan << " is missing (install mricron-data)\n";
    std::exit(1);
  }
  auto input = orDie(analysis::loadInput(kScan, brain.manifest, {}), "prepare Colin27");
  auto fixture = std::make_shared<BrainFixture>(
      home, orDie(model::compileModel(brain.path), "compile the brain model"),
      std::move(input.tensor));
  fixture->far = startLinkedMiners(fixture->client, 2, "brain");
  return fixture;
}

// One query; the first of each label prints what it sent.
double query(BrainFixture &f, Engine &engine, PrivacyLevel level, ShareArithmetic arithmetic,
             const std::string &label, bool verify = true, bool wholeProgram = true) {
  RunOptions options;
  options.level = level;
  options.arithmetic = arithmetic;
  options.key = f.key;
  options.verify = verify;
  options.wholeProgram = wholeProgram;
  RunReport report;
  const double ms = timeMs(
      [&] { report = orDie(engine.run(f.compiled, f.input, options), label.c_str()).report; });
  if (f.described.insert(label).second)
    printTraffic("brain", label, report, "scan");
  return ms;
}

// Buffers above the mmap threshold are mapped (and every page faulted in) on each allocation;
// below it they come from the heap and are reused. 64 MiB is what the programs used before.
void mapBuffersAbove(int mebibytes) { ::mallopt(M_MMAP_THRESHOLD, mebibytes << 20); }

std::vector<Comparison> makeComparisons() {
  auto f = makeFixture();
  const auto at = [f](PrivacyLevel level, ShareArithmetic arithmetic, Engine *engine,
                      std::string label) {
    return [f, level, arithmetic, engine, label] {
      return query(*f, *engine, level, arithmetic, label);
    };
  };
  const auto f64 = ShareArithmetic::F64Masked, f32 = ShareArithmetic::F32;
  Engine *near = f->inProcess.get();
  const auto local = at(PrivacyLevel::Local, f64, near, "local");
  const auto eeNear = at(PrivacyLevel::Ee, f32, near, "ee in process");
  std::vector<Comparison> out = {
      {"ee_vs_local", "ms", local, eeNear},
      {"ee_f32_vs_f64", "ms", at(PrivacyLevel::Ee, f64, near, "ee f64 in process"), eeNear},
      // What checking every answer costs the client.
      {"ee_checked_vs_unchecked", "ms",
       [f] {
         return query(*f, *f->inProcess, PrivacyLevel::Ee, ShareArithmetic::F32,
                      "ee in process, unchecked", false);
       },
       eeNear},
      {"hss_f64_vs_local", "ms", local, at(PrivacyLevel::Hss, f64, near, "hss f64 in process")},
      {"hss_f64_checked_vs_unchecked", "ms",
       [f] {
         return query(*f, *f->inProcess, PrivacyLevel::Hss, ShareArithmetic::F64Masked,
                      "hss f64 in process, unchecked", false);
       },
       at(PrivacyLevel::Hss, f64, near, "hss f64 in process"), 3},
      {"hss_ring64_vs_local", "ms", local,
       at(PrivacyLevel::Hss, ShareArithmetic::Ring64, near, "hss ring64 in process"), 3},
      {"hss_f64_heap_buffers_vs_fresh_mappings", "ms",
       [f] {
         mapBuffersAbove(64);
         const double ms = query(*f, *f->inProcess, PrivacyLevel::Hss, ShareArithmetic::F64Masked,
                                 "hss f64, buffers mapped afresh");
         mapBuffersAbove(1024); // what util/process_tuning.h sets
         return ms;
       },
       at(PrivacyLevel::Hss, f64, near, "hss f64 in process"), 3},
  };
  // Over the wire: the same miner services directly, a LAN away and a WAN away.
  for (const auto &[name, engine, repeats] :
       {std::tuple{"lan", f->far->lan.get(), 3}, std::tuple{"wan", f->far->wan.get(), 1}}) {
    const std::string distance = name;
    for (const auto &[levelName, level, arithmetic] :
         {std::tuple{"ee", PrivacyLevel::Ee, f32}, std::tuple{"hss_f64", PrivacyLevel::Hss, f64}}) {
      const std::string levelText = levelName;
      out.push_back({levelText + "_" + distance + "_vs_loopback", "ms",
                     at(level, arithmetic, f->far->loopback.get(), levelText + " over loopback"),
                     at(level, arithmetic, engine, levelText + " over " + distance), repeats});
    }
  }
  // ee's whole program in one round trip against one round trip per call, here and a WAN away.
  for (const auto &[name, engine, repeats] :
       {std::tuple{"", f->inProcess.get(), 0}, std::tuple{"wan_", f->far->wan.get(), 1}}) {
    const std::string where = *name ? " over wan" : " in process";
    Engine *on = engine;
    out.push_back({std::string("ee_") + name + "whole_program_vs_per_call", "ms",
                   [f, on, where] {
                     return query(*f, *on, PrivacyLevel::Ee, ShareArithmetic::F32,
                                  "ee" + where + ", call by call", true, false);
                   },
                   at(PrivacyLevel::Ee, f32, on, "ee" + where), repeats});
  }
  // What compressing ee's activations (zstd) saves a WAN away.
  out.push_back(
      {"ee_wan_compressed_vs_uncompressed", "ms",
       at(PrivacyLevel::Ee, f32, f->far->wanUncompressed.get(), "ee over wan, uncompressed"),
       at(PrivacyLevel::Ee, f32, f->far->wan.get(), "ee over wan"), 1});
  return out;
}

} // namespace

void registerBrainSuite() {
  registerSuite({"brain",
                 "the built-in brain model on the Colin27 scan: ee (f32, and f64 vs f32), hss "
                 "f64 and hss ring64 vs local in process; ee and hss with miners a LAN and a WAN "
                 "away vs loopback; ee a WAN away with its activations compressed vs not; ee's "
                 "whole program in one round trip vs call by call, in process and a WAN away; "
                 "buffers reused vs mapped afresh (slow: about 17 minutes)",
                 makeComparisons});
}

} // namespace nesa::bench
