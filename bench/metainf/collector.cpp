#include "collector.h"

#include "harness.h"
#include "metainf/arm.h"
#include "metainf/dataset.h"
#include "model/compiled_model.h"
#include "net/identity.h"
#include "net/link_emulator.h"
#include "privacy/engine.h"
#include "privacy/linear_work.h"
#include "suites/linked_miners.h"
#include "task_models.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <unistd.h>

namespace nesa::metainf {
namespace {

namespace fs = std::filesystem;
using privacy::ShareArithmetic;

/// A float32 GEMM rate on the current threads: the client's hardware feature.
double measureGflops() {
  const auto a = at::randn({768, 768}), b = at::randn({768, 768});
  (void)at::mm(a, b);
  std::vector<double> ms;
  for (int i = 0; i < 7; ++i)
    ms.push_back(bench::timeMs([&] { (void)at::mm(a, b); }));
  return 2.0 * 768 * 768 * 768 / (bench::median(ms) * 1e6);
}

Result<Network> measureNetwork(const std::string &name) {
  net::LinkProfile profile{"loopback", {}, 0};
  if (name != "loopback") {
    auto named = net::LinkProfile::named(name);
    if (!named)
      return named.error();
    profile = *named;
  }
  auto measured = net::measureLink(profile);
  if (!measured)
    return measured.error();
  return Network{measured->rttMs, measured->megabitsPerSecond};
}

privacy::RunOptions runOptions(const Arm &arm, const std::shared_ptr<const privacy::EeKey> &key) {
  privacy::RunOptions o;
  o.level = *privacy::parsePrivacyLevel(arm.level);
  o.arithmetic = arm.arithmetic == "f32"      ? ShareArithmetic::F32
                 : arm.arithmetic == "ring64" ? ShareArithmetic::Ring64
                                              : ShareArithmetic::F64Masked;
  o.miners = std::max(2, arm.shares);
  o.wholeProgram = arm.wholeProgram;
  o.key = key;
  return o;
}

/// One generated model, compiled with and without fusion, and its input.
struct Prepared {
  TaskModel spec;
  std::unique_ptr<model::CompiledModel> fused, unfused;
  model::TensorData input;
  ModelProfile profile;
};

Result<Prepared> prepare(int index, std::uint64_t seed, const fs::path &dir) {
  Prepared p;
  p.spec = makeTaskModel(index, seed);
  const auto file = dir / (p.spec.name + ".pt");
  try {
    saveTaskModel(p.spec, file);
  } catch (const std::exception &e) {
    return fail(ErrorCode::Internal, p.spec.name + " could not be written: " + e.what());
  }
  for (bool fuse : {true, false}) {
    auto compiled = model::compileModel(file, {fuse});
    if (!compiled)
      return compiled.error().withContext(p.spec.name);
    (fuse ? p.fused : p.unfused) = std::make_unique<model::CompiledModel>(std::move(*compiled));
  }
  at::manual_seed(static_cast<std::int64_t>(p.spec.seed));
  const auto x = at::randn(p.spec.inputShape);
  p.input = {model::DType::F32, p.spec.inputShape, {}};
  p.input.bytes.assign(static_cast<const std::uint8_t *>(x.data_ptr()),
                       static_cast<const std::uint8_t *>(x.data_ptr()) + x.nbytes());
  auto fused = privacy::measureLinearWork(*p.fused, p.spec.inputShape);
  auto unfused = privacy::measureLinearWork(*p.unfused, p.spec.inputShape);
  if (!fused || !unfused)
    return (fused ? unfused.error() : fused.error()).withContext(p.spec.name);
  p.profile = {fused->parameters, fused->flops,     fused->ops,         fused->calls,
               unfused->calls,    fused->callBytes, unfused->callBytes, fused->inputElements};
  return p;
}

constexpr int kMiners = 4; // miner services: 3 shares and a spare

/// A folder removed with everything in it when the collection ends, however it ends.
struct TempDir {
  fs::path folder;
  explicit TempDir(fs::path p) : folder(std::move(p)) { fs::create_directories(folder); }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(folder, ec);
  }
};

/// A stable hash of a task's name (FNV-1a): where its arms' order starts.
std::size_t rotationOf(const std::string &task, std::size_t arms) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : task)
    h = (h ^ c) * 1099511628211ULL;
  return static_cast<std::size_t>(h % arms);
}

/// Runs the arms of one task and times them.
class TaskRunner {
public:
  TaskRunner(std::map<std::string, std::shared_ptr<privacy::Engine>> engines,
             std::array<std::shared_ptr<const privacy::EeKey>, 2> keys)
      : m_engines(std::move(engines)), m_keys(std::move(keys)) {}

  /// Every arm of `base`'s level: `repeats` timed runs each, the median kept. The arms go in an
  /// order rotated per task, so that no arm is always the first after a change of threads or
  /// network; one untimed run of the first comes before any timed one, and one warm-up run of
  /// each (network, model, arm) the first time it is seen (the bundle's upload, the keying).
  Result<std::vector<Measurement>> measure(const Prepared &p, const Measurement &base,
                                           int repeats) {
    auto arms = armsOf(base.features.level);
    std::rotate(arms.begin(), arms.begin() + rotationOf(base.task, arms.size()), arms.end());
    auto &engine = *m_engines.at(base.network);
    std::vector<Measurement> rows;
    for (std::size_t i = 0; i < arms.size(); ++i) {
      const Arm &arm = allArms()[arms[i]];
      const auto &compiled = arm.fused ? *p.fused : *p.unfused;
      const auto options = runOptions(arm, m_keys[arm.fused ? 0 : 1]);
      double wallMs = 0;
      privacy::RunReport report;
      const auto once = [&]() -> Result<void> {
        Result<privacy::RunResult> ran = Error{};
        wallMs = bench::timeMs([&] { ran = engine.run(compiled, p.input, options); });
        if (!ran)
          return ran.error().withContext(arm.name());
        report = std::move(ran->report);
        return {};
      };
      const bool firstSight =
          m_warmed.insert(base.network + "/" + p.spec.name + "/" + arm.name()).second;
      if (firstSight || i == 0)
        if (auto warm = once(); !warm)
          return warm.error();
      std::vector<double> ms, bytes, trips;
      for (int r = 0; r < repeats; ++r) {
        if (auto ran = once(); !ran)
          return ran.error();
        ms.push_back(wallMs);
        bytes.push_back(static_cast<double>(report.bytesSent + report.bytesReceived));
        trips.push_back(report.roundTrips);
      }
      Measurement m = base;
      m.arm = arm.name();
      m.latencyMs = bench::median(ms);
      m.bytes = bench::median(bytes);
      m.roundTrips = bench::median(trips);
      m.runs = repeats;
      rows.push_back(std::move(m));
    }
    return rows;
  }

private:
  std::map<std::string, std::shared_ptr<privacy::Engine>> m_engines;
  std::array<std::shared_ptr<const privacy::EeKey>, 2> m_keys;
  std::set<std::string> m_warmed; // network, model and arm already run once
};

std::set<std::string> tasksIn(const fs::path &file) {
  std::set<std::string> out;
  if (!fs::exists(file))
    return out;
  if (auto rows = readCsv(file))
    for (const auto &row : *rows)
      out.insert(row.task);
  return out;
}

} // namespace

Result<int> collect(const CollectOptions &options,
                    const std::function<void(const std::string &)> &log) {
  for (const auto &level : options.levels)
    if (armsOf(level).empty())
      return fail(ErrorCode::InvalidInput,
                  "'" + level + "' is not a private level (ee, hss, hss-ee)");
  if (fs::exists(options.out))
    if (auto rows = readCsv(options.out); !rows)
      return rows.error().withContext("the data set to append to");
  const auto done = tasksIn(options.out);
  const TempDir dir(fs::temp_directory_path() / ("nesa-metainf-" + std::to_string(::getpid())));
  auto client = net::Identity::generate();
  if (!client)
    return client.error();
  auto miners = bench::startLinkedMiners(*client, kMiners, "metainf");
  std::map<std::string, std::shared_ptr<privacy::Engine>> engines = {
      {"loopback", miners->loopback}, {"lan", miners->lan}, {"wan", miners->wan}};
  std::map<std::string, Network> networks;
  for (const auto &name : options.networks) {
    if (!engines.count(name))
      return fail(ErrorCode::InvalidInput, "'" + name + "' is not a network (loopback, lan, wan)");
    auto measured = measureNetwork(name);
    if (!measured)
      return measured.error().withContext("measuring the " + name + " link");
    networks[name] = *measured;
    log(name + ": " + std::to_string(measured->rttMs) + " ms RTT, " +
        std::to_string(measured->megabitsPerS) + " Mbit/s measured");
  }
  // One EE key for the fused compile and one for the unfused: the engine keys a model once per
  // bundle and key, and both compiles have the same bundle (fusion changes only the program).
  std::array<std::shared_ptr<const privacy::EeKey>, 2> keys;
  for (auto &key : keys) {
    auto made = privacy::EeKey::generate();
    if (!made)
      return made.error();
    key = std::make_shared<const privacy::EeKey>(std::move(*made));
  }
  const int available = at::get_num_threads();
  std::map<int, double> gflopsAt; // measured once per hardware setting, as a product caches it
  for (int threads : options.threads) {
    at::set_num_threads(std::min(threads, available));
    gflopsAt[threads] = measureGflops();
    log("threads" + std::to_string(threads) + ": " + std::to_string(gflopsAt[threads]) +
        " GFLOP/s (float32 GEMM)");
  }
  TaskRunner runner{engines, keys};
  int appended = 0;
  for (int index = options.firstModel; index < options.firstModel + options.models; ++index) {
    auto prepared = prepare(index, options.seed, dir.folder);
    if (!prepared) {
      log("skipped model " + std::to_string(index) + ": " + prepared.error().message);
      continue;
    }
    const Prepared &p = *prepared;
    for (int threads : options.threads) {
      const int used = std::min(threads, available);
      at::set_num_threads(used);
      const std::string hardware = "threads" + std::to_string(used);
      for (const auto &network : options.networks)
        for (const auto &level : options.levels) {
          Measurement base;
          base.task = p.spec.name + "/" + level + "/" + hardware + "/" + network;
          if (done.count(base.task))
            continue;
          base.family = p.spec.family;
          base.model = p.spec.name;
          base.hardware = hardware;
          base.network = network;
          base.features = {level,
                           p.profile,
                           {double(used), gflopsAt[threads], double(kMiners), gflopsAt[threads]},
                           networks[network]};
          auto rows = runner.measure(p, base, options.repeats);
          if (!rows) {
            log("left out " + base.task + ": " + rows.error().message);
            continue;
          }
          if (auto written = appendCsv(options.out, *rows); !written)
            return written.error();
          ++appended;
          log(base.task + ": " + std::to_string(rows->size()) + " arms");
        }
    }
    std::error_code ec;
    fs::remove(dir.folder / (p.spec.name + ".pt"), ec);
  }
  at::set_num_threads(available);
  return appended;
}

} // namespace nesa::metainf
