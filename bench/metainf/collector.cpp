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

#include <map>
#include <set>
#include <unistd.h>

namespace nesa::metainf {
namespace {

namespace fs = std::filesystem;
using privacy::PrivacyLevel;
using privacy::ShareArithmetic;

/// A float32 GEMM rate on the current threads: the client's hardware feature.
double measureGflops() {
  const auto a = at::randn({384, 384}), b = at::randn({384, 384});
  (void)at::mm(a, b);
  std::vector<double> ms;
  for (int i = 0; i < 7; ++i)
    ms.push_back(bench::timeMs([&] { (void)at::mm(a, b); }));
  return 2.0 * 384 * 384 * 384 / (bench::median(ms) * 1e6);
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
  const fs::path dir = fs::temp_directory_path() / ("nesa-metainf-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  auto client = net::Identity::generate();
  if (!client)
    return client.error();
  auto miners = bench::startLinkedMiners(*client, 4, "metainf");
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
  auto key = privacy::EeKey::generate();
  if (!key)
    return key.error();
  const auto eeKey = std::make_shared<const privacy::EeKey>(std::move(*key));
  const int available = at::get_num_threads();
  std::map<int, double> gflopsAt; // measured once per hardware setting, as a product caches it
  for (int threads : options.threads) {
    at::set_num_threads(std::min(threads, available));
    gflopsAt[threads] = measureGflops();
    log("threads" + std::to_string(threads) + ": " + std::to_string(gflopsAt[threads]) +
        " GFLOP/s (float32 GEMM)");
  }
  std::set<std::string> warmed; // engine, model variant and arm already run once
  int appended = 0;
  for (int index = options.firstModel; index < options.firstModel + options.models; ++index) {
    auto prepared = prepare(index, options.seed, dir);
    if (!prepared) {
      log("skipped model " + std::to_string(index) + ": " + prepared.error().message);
      continue;
    }
    const Prepared &p = *prepared;
    for (int threads : options.threads) {
      at::set_num_threads(std::min(threads, available));
      const double gflops = gflopsAt[threads];
      const std::string hardware = "threads" + std::to_string(threads);
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
          base.features = {
              level, p.profile, {double(threads), gflops, 4, gflops}, networks[network]};
          std::vector<Measurement> rows;
          std::string failure;
          for (int armIndex : armsOf(level)) {
            const Arm &arm = allArms()[armIndex];
            const auto &compiled = arm.fused ? *p.fused : *p.unfused;
            const auto options2 = runOptions(arm, eeKey);
            auto &engine = *engines[network];
            double wallMs = 0;
            const auto once = [&]() -> Result<privacy::RunReport> {
              Result<privacy::RunResult> ran = Error{};
              wallMs = bench::timeMs([&] { ran = engine.run(compiled, p.input, options2); });
              if (!ran)
                return ran.error();
              return ran->report;
            };
            const auto warmKey = network + "/" + p.spec.name + "/" + arm.name();
            if (warmed.insert(warmKey).second)
              if (auto warm = once(); !warm) {
                failure = arm.name() + ": " + warm.error().message;
                break;
              }
            std::vector<double> ms, bytes, trips;
            for (int r = 0; r < options.repeats && failure.empty(); ++r) {
              auto report = once();
              if (!report) {
                failure = arm.name() + ": " + report.error().message;
                break;
              }
              ms.push_back(wallMs);
              bytes.push_back(static_cast<double>(report->bytesSent + report->bytesReceived));
              trips.push_back(report->roundTrips);
            }
            if (!failure.empty())
              break;
            Measurement m = base;
            m.arm = arm.name();
            m.latencyMs = bench::median(ms);
            m.bytes = bench::median(bytes);
            m.roundTrips = bench::median(trips);
            m.runs = options.repeats;
            rows.push_back(std::move(m));
          }
          if (!failure.empty()) {
            log("left out " + base.task + ": " + failure);
            continue;
          }
          if (auto written = appendCsv(options.out, rows); !written)
            return written.error();
          ++appended;
          log(base.task + ": " + std::to_string(rows.size()) + " arms");
        }
    }
    std::error_code ec;
    fs::remove(dir / (p.spec.name + ".pt"), ec);
  }
  at::set_num_threads(available);
  std::error_code ec;
  fs::remove_all(dir, ec);
  return appended;
}

} // namespace nesa::metainf
