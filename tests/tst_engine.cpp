// The private execution engine end to end, with in-process miners: exactness against the local
// run, what miners see, verification of dishonest miners, progress, cancellation, bad input.
#include "model/compiled_model.h"
#include "model/internal/remote_call.h"
#include "privacy/engine.h"
#include "privacy/field.h"
#include "privacy/internal/share_kernels.h"
#include "privacy/local_miner.h"
#include "reference_models.h"
#include "test_miners.h"
#include "test_tensors.h"

#include <ATen/ATen.h>

#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <mutex>
#include <random>
#include <set>

using namespace nesa;
using namespace nesa::privacy;
using nesa::model::TensorData;
using namespace nesa::testing;
using nesa::testing::relativeError;
namespace fs = std::filesystem;

namespace {

std::vector<double> asDoubles(const TensorData &t) {
  std::vector<double> v(static_cast<std::size_t>(t.numel()));
  std::memcpy(v.data(), t.bytes.data(), t.bytes.size());
  return v;
}

double correlation(const std::vector<double> &a, const std::vector<double> &b) {
  const double n = static_cast<double>(a.size());
  double ma = 0, mb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    ma += a[i] / n;
    mb += b[i] / n;
  }
  double cov = 0, va = 0, vb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    cov += (a[i] - ma) * (b[i] - mb);
    va += (a[i] - ma) * (a[i] - ma);
    vb += (b[i] - mb) * (b[i] - mb);
  }
  return cov / std::sqrt(va * vb);
}

} // namespace

class TestEngine : public QObject {
  Q_OBJECT
  QTemporaryDir m_dir;
  std::map<std::string, testing::ReferenceModel> m_models;
  std::map<std::string, model::CompiledModel> m_compiled;

  const model::CompiledModel &compiled(const std::string &name) { return m_compiled.at(name); }

private Q_SLOTS:
  void initTestCase() {
    const fs::path dir = m_dir.path().toStdString();
    m_models.emplace("mlp", testing::writeMlp(dir / "mlp.pt"));
    m_models.emplace("cnn", testing::writeCnn(dir / "cnn.pt"));
    m_models.emplace("volume", testing::writeVolumeCnn(dir / "volume.pt"));
    m_models.emplace("transformer", testing::writeTransformer(dir / "transformer.pt"));
    for (const auto &[name, reference] : m_models) {
      auto c = model::compileModel(reference.file);
      QVERIFY2(c.ok(), c.ok() ? "" : c.error().message.c_str());
      m_compiled.emplace(name, *c);
    }
  }

  void hssEqualsLocal_data() {
    QTest::addColumn<QString>("model");
    QTest::addColumn<int>("arithmetic");
    QTest::addColumn<int>("miners");
    QTest::addColumn<double>("tolerance");
    for (const char *name : {"mlp", "cnn", "volume", "transformer"})
      for (int miners : {2, 3}) {
        QTest::addRow("%s f64-masked %d miners", name, miners)
            << QString(name) << int(ShareArithmetic::F64Masked) << miners << 1e-4;
        // ring64 at 18 fractional bits: rounding of weights and activations (docs/privacy.md).
        QTest::addRow("%s ring64 %d miners", name, miners)
            << QString(name) << int(ShareArithmetic::Ring64) << miners << 2e-3;
      }
  }

  void hssEqualsLocal() {
    QFETCH(QString, model);
    QFETCH(int, arithmetic);
    QFETCH(int, miners);
    QFETCH(double, tolerance);
    const auto &m = compiled(model.toStdString());
    const auto input = randomInput(m_models.at(model.toStdString()).inputShape, 11);
    Engine engine(honestPool(miners));
    RunOptions local;
    local.level = PrivacyLevel::Local;
    auto expected = engine.run(m, input, local);
    QVERIFY2(expected.ok(), expected.ok() ? "" : expected.error().message.c_str());
    RunOptions options;
    options.arithmetic = static_cast<ShareArithmetic>(arithmetic);
    options.miners = miners;
    auto got = engine.run(m, input, options);
    QVERIFY2(got.ok(), got.ok() ? "" : got.error().message.c_str());
    const double error = relativeError(got->output, expected->output);
    QVERIFY2(error <= tolerance, qPrintable(QStringLiteral("relative error %1").arg(error)));
    QCOMPARE(got->report.checksFailed, 0);
    QVERIFY(got->report.checksPassed >= static_cast<int>(got->report.calls.size()) * miners);
    for (const auto &call : got->report.calls)
      QCOMPARE(static_cast<int>(call.miners.size()), miners);
  }

  // The engine and its in-process miners hold one preparation of the weights between them
  // (with one each, a 1 B-parameter model cost over 20 GB per holder), freed with the last of
  // them; and a native program's bundle reaches the miners without a copy.
  void inProcessMinersShareThePreparedWeights() {
    const auto &m = compiled("mlp");
    const auto input = randomInput(m_models.at("mlp").inputShape, 12);
    const auto prepared = [&] {
      return sharedPreparedOps(m.bundle(), m.bundleId(), ShareArithmetic::F64Masked, 18);
    };
    const auto bundle = std::make_shared<const model::LinearBundle>(m.bundle());
    {
      Engine engine(honestPool(2));
      RunOptions options;
      options.level = PrivacyLevel::Hss;
      options.arithmetic = ShareArithmetic::F64Masked;
      auto got = engine.run(m, input, options);
      QVERIFY2(got.ok(), got.ok() ? "" : got.error().message.c_str());
      QCOMPARE(prepared().use_count(), 4L); // here, the engine's session and both miners
      const auto x = at::ones({1, m.bundle().ops[0].weight.shape[1]}, at::kFloat);
      auto native = engine.runCalls(bundle, m.bundleId(), options, [&]() -> Result<void> {
        const auto y = model::callRemoteLinear({0}, x);
        if (y.size(1) != m.bundle().ops[0].weight.shape[0])
          return fail(ErrorCode::Internal, "the call returned the wrong shape");
        return {};
      });
      QVERIFY2(native.ok(), native.ok() ? "" : native.error().message.c_str());
      QCOMPARE(native->calls.size(), std::size_t{1});
      // The miners had the compiled model's copy of this bundle (same id) already, so they
      // kept that; with a fresh pool they hold this one.
      QCOMPARE(bundle.use_count(), 1L);
      Engine fresh(honestPool(2));
      QVERIFY(fresh.runCalls(bundle, m.bundleId(), options, [&]() -> Result<void> {
        model::callRemoteLinear({0}, x);
        return {};
      }));
      QCOMPARE(bundle.use_count(), 3L); // here and both fresh miners
    }
    QCOMPARE(bundle.use_count(), 1L);
    QCOMPARE(prepared().use_count(), 1L); // a new preparation: nobody held the old one
  }

  void seededMinersNeverReceiveTheInput() {
    auto a = std::make_shared<RecordingMiner>("a");
    auto b = std::make_shared<RecordingMiner>("b");
    auto c = std::make_shared<RecordingMiner>("c");
    Engine engine({a, b, c});
    RunOptions options;
    options.miners = 3;
    const auto &m = compiled("cnn");
    QVERIFY(engine.run(m, randomInput(m_models.at("cnn").inputShape, 3), options).ok());
    QVERIFY(!a->jobs.empty());
    for (const auto &job : a->jobs)
      QVERIFY(job.input.has_value());
    std::set<std::vector<std::uint8_t>> seeds;
    for (auto *seeded : {b.get(), c.get()}) {
      QCOMPARE(seeded->jobs.size(), a->jobs.size());
      for (const auto &job : seeded->jobs) {
        QVERIFY(!job.input.has_value()); // a 32-byte seed and a shape, nothing derived from x
        QVERIFY(job.wireBytes() < 256);
        seeds.insert(std::vector<std::uint8_t>(job.seed.begin(), job.seed.end()));
      }
    }
    QCOMPARE(seeds.size(), a->jobs.size() * 2); // a fresh seed per share and per call
  }

  // f64-masked: over many runs, miner A's share is uncorrelated with the input, whether the
  // input is fixed or random, and its statistics do not depend on which. (The mask scale follows
  // the input's bound rounded up to a power of two, which a miner can see: docs/privacy.md. So
  // every input here is scaled to the same bound.)
  void maskedShareIsUncorrelatedWithInput() {
    const auto &m = compiled("mlp");
    const auto shape = m_models.at("mlp").inputShape;
    auto a = std::make_shared<RecordingMiner>("a");
    Engine engine({a, std::make_shared<LocalMiner>("b")});
    auto withBound = [](TensorData t) {
      auto v = t.toFloats();
      float largest = 0;
      for (float x : v)
        largest = std::max(largest, std::abs(x));
      for (float &x : v)
        x *= 3.0f / largest;
      return TensorData::fromFloats(t.shape, v);
    };
    const auto fixed = withBound(randomInput(shape, 5));
    std::vector<double> xs, shares, fixedShares, randomShares;
    for (int run = 0; run < 150; ++run) {
      const auto input = run % 2 ? fixed : withBound(randomInput(shape, 100 + run));
      a->jobs.clear();
      QVERIFY(engine.run(m, input, RunOptions{}).ok());
      const auto share = asDoubles(*a->jobs.front().input);
      const auto x = input.toFloats();
      xs.insert(xs.end(), x.begin(), x.end());
      shares.insert(shares.end(), share.begin(), share.end());
      (run % 2 ? fixedShares : randomShares)
          .insert((run % 2 ? fixedShares : randomShares).end(), share.begin(), share.end());
    }
    // Independent samples give |r| ~ 1/sqrt(n); 4/sqrt(n) keeps false alarms below 1e-4.
    const double limit = 4.0 / std::sqrt(static_cast<double>(xs.size()));
    QVERIFY2(std::abs(correlation(xs, shares)) < limit,
             qPrintable(QString::number(correlation(xs, shares))));
    auto meanStd = [](const std::vector<double> &v) {
      double mean = 0, var = 0;
      for (double x : v)
        mean += x / v.size();
      for (double x : v)
        var += (x - mean) * (x - mean) / v.size();
      return std::make_pair(mean, std::sqrt(var));
    };
    const auto [fm, fs] = meanStd(fixedShares);
    const auto [rm, rs] = meanStd(randomShares);
    QVERIFY(std::abs(fm - rm) < 0.1 * fs); // ~7 standard errors of the difference
    QVERIFY(std::abs(fs / rs - 1.0) < 0.08);
  }

  // ring64: every byte of miner A's share is uniform (chi-square), for a fixed input.
  void ringShareBytesAreUniform() {
    const auto &m = compiled("mlp");
    auto a = std::make_shared<RecordingMiner>("a");
    Engine engine({a, std::make_shared<LocalMiner>("b")});
    RunOptions options;
    options.arithmetic = ShareArithmetic::Ring64;
    const auto input = randomInput(m_models.at("mlp").inputShape, 9);
    std::array<std::array<double, 256>, 8> histogram{};
    double words = 0;
    for (int run = 0; run < 120; ++run) {
      a->jobs.clear();
      QVERIFY(engine.run(m, input, options).ok());
      const auto &bytes = a->jobs.front().input->bytes;
      for (std::size_t i = 0; i < bytes.size(); ++i)
        histogram[i % 8][bytes[i]] += 1;
      words += bytes.size() / 8.0;
    }
    // Field elements are below 2^61: bytes 0..6 take 256 values, byte 7 takes 32.
    for (int position = 0; position < 8; ++position) {
      const int bins = position < 7 ? 256 : 32;
      const double expected = words / bins;
      double chi2 = 0;
      for (int v = 0; v < 256; ++v) {
        if (v >= bins) {
          QCOMPARE(histogram[position][v], 0.0);
          continue;
        }
        chi2 +=
            (histogram[position][v] - expected) * (histogram[position][v] - expected) / expected;
      }
      // Each limit is passed by chance with probability below 3·10⁻⁸ (255 and 31 degrees of
      // freedom, Wilson–Hilferty); the 99.9% quantiles used before failed once in CI.
      const double limit = position < 7 ? 400.0 : 95.0;
      QVERIFY2(chi2 < limit,
               qPrintable(QStringLiteral("byte %1: chi2 %2").arg(position).arg(chi2)));
    }
  }

  void dishonestMinerIsCaughtAndWorkIsRedone_data() {
    QTest::addColumn<int>("arithmetic");
    QTest::addColumn<int>("liarPosition");
    QTest::newRow("f64, liar holds the masked share") << int(ShareArithmetic::F64Masked) << 0;
    QTest::newRow("f64, liar holds a seeded share") << int(ShareArithmetic::F64Masked) << 1;
    QTest::newRow("ring64, liar holds the masked share") << int(ShareArithmetic::Ring64) << 0;
    QTest::newRow("ring64, liar holds a seeded share") << int(ShareArithmetic::Ring64) << 1;
  }

  void dishonestMinerIsCaughtAndWorkIsRedone() {
    QFETCH(int, arithmetic);
    QFETCH(int, liarPosition);
    const auto &m = compiled("cnn");
    const auto shape = m_models.at("cnn").inputShape;
    RunOptions options;
    options.arithmetic = static_cast<ShareArithmetic>(arithmetic);
    RunOptions local;
    local.level = PrivacyLevel::Local;
    for (int trial = 0; trial < 10; ++trial) {
      auto liar = std::make_shared<DishonestMiner>("liar", 1e-3, 1000 + trial);
      auto pool = honestPool(2);
      pool.insert(pool.begin() + liarPosition, liar);
      Engine engine(pool);
      const auto input = randomInput(shape, 200 + trial);
      auto got = engine.run(m, input, options);
      QVERIFY2(got.ok(), got.ok() ? "" : got.error().message.c_str());
      QVERIFY(liar->lies >= 1);
      QCOMPARE(static_cast<int>(got->report.failures.size()), liar->lies); // every lie caught
      for (const auto &evidence : got->report.failures) {
        QCOMPARE(QString::fromStdString(evidence.miner), QStringLiteral("liar"));
        QCOMPARE(evidence.replyDigest.size(), std::size_t{64});
        QVERIFY(evidence.expected != evidence.got);
      }
      QVERIFY(got->report.calls.front().retries >= 1);
      auto expected = engine.run(m, input, local);
      QVERIFY(relativeError(got->output, expected->output) <= (arithmetic == 1 ? 1e-4 : 2e-3));
    }
  }

  void honestMinersAreNeverFlagged() {
    const auto &m = compiled("transformer");
    Engine engine(honestPool(3));
    for (int trial = 0; trial < 15; ++trial) {
      RunOptions options;
      options.arithmetic = trial % 2 ? ShareArithmetic::Ring64 : ShareArithmetic::F64Masked;
      options.miners = 2 + trial % 2;
      auto got =
          engine.run(m, randomInput(m_models.at("transformer").inputShape, 300 + trial), options);
      QVERIFY(got.ok());
      QCOMPARE(got->report.checksFailed, 0);
      QVERIFY(got->report.failures.empty());
    }
  }

  // A seeded share never depends on the input, so on a network it is computed while the masked
  // share travels: one dependent round trip per call instead of two (docs/engine.md).
  void seededSharesOverlapTheMaskedShare() {
    auto shared = std::make_shared<OverlapWatcher::Shared>();
    const auto patience = std::chrono::seconds(3); // per call, only when they do not overlap
    Engine engine({std::make_shared<OverlapWatcher>("a", shared, patience),
                   std::make_shared<OverlapWatcher>("b", shared, patience)});
    const auto &m = compiled("cnn");
    auto got = engine.run(m, randomInput(m_models.at("cnn").inputShape, 5), RunOptions{});
    QVERIFY2(got.ok(), got.ok() ? "" : got.error().message.c_str());
    QCOMPARE(got->report.checksFailed, 0);
    QVERIFY(!got->report.calls.empty());
    QCOMPARE(shared->seeded, static_cast<int>(got->report.calls.size()));
    QCOMPARE(shared->overlapped, shared->seeded);
  }

  void missingAnswerIsRetriedElsewhere() {
    const auto &m = compiled("mlp");
    Engine engine({std::make_shared<MuteMiner>("mute"), std::make_shared<LocalMiner>("b"),
                   std::make_shared<LocalMiner>("c")});
    auto got = engine.run(m, randomInput(m_models.at("mlp").inputShape, 1), RunOptions{});
    QVERIFY2(got.ok(), got.ok() ? "" : got.error().message.c_str());
    QCOMPARE(got->report.missing.size(), std::size_t{1});
    QVERIFY(QString::fromStdString(got->report.missing.front()).contains(QStringLiteral("mute")));
  }

  // The rule that keeps shares apart: no miner that received a share of a call ever receives
  // another share of the same call — not the masked share's retry after a lie or a silence, not
  // a seeded share's, not with precomputed seeded shares. (Reports and jurors: the Disputes
  // contract and ChainMiners keep every miner of the call off the jury; tst_evm_chain and
  // tst_network.)
  void noMinerEverHoldsTwoSharesOfOneCall_data() {
    QTest::addColumn<int>("arithmetic");
    QTest::addColumn<int>("shares");
    QTest::addColumn<bool>("prepared");
    for (const int arithmetic : {1, 2})
      for (const int shares : {2, 3})
        for (const bool prepared : {false, true})
          QTest::addRow("%s, %d shares%s", arithmetic == 1 ? "f64" : "ring64", shares,
                        prepared ? ", precomputed" : "")
              << arithmetic << shares << prepared;
  }
  void noMinerEverHoldsTwoSharesOfOneCall() {
    QFETCH(int, arithmetic);
    QFETCH(int, shares);
    QFETCH(bool, prepared);
    const auto &m = compiled("cnn");
    for (int trial = 0; trial < 4; ++trial) {
      // A liar and a mute miner among honest ones, in every position over the trials.
      std::vector<std::shared_ptr<MinerEndpoint>> inner = {
          std::make_shared<DishonestMiner>("liar", 1e-3, 500 + trial),
          std::make_shared<MuteMiner>("mute")};
      for (int i = 0; i < shares + 2; ++i)
        inner.push_back(std::make_shared<LocalMiner>("honest-" + std::to_string(i)));
      std::rotate(inner.begin(), inner.begin() + trial % static_cast<int>(inner.size()),
                  inner.end());
      std::vector<std::shared_ptr<CallLog>> logs;
      std::vector<std::shared_ptr<MinerEndpoint>> pool;
      for (auto &miner : inner) {
        logs.push_back(std::make_shared<CallLog>(miner));
        pool.push_back(logs.back());
      }
      Engine engine(pool);
      RunOptions options;
      options.arithmetic = static_cast<ShareArithmetic>(arithmetic);
      options.miners = shares;
      const auto input = randomInput(m_models.at("cnn").inputShape, 700 + trial);
      std::shared_ptr<PreparedQuery> query;
      if (prepared) {
        auto made = engine.prepare(m, m_models.at("cnn").inputShape, options);
        QVERIFY2(made.ok(), made.ok() ? "" : made.error().message.c_str());
        query = *made;
      }
      auto got = engine.run(m, input, options, query);
      QVERIFY2(got.ok(), got.ok() ? "" : got.error().message.c_str());
      std::size_t jobs = 0;
      for (const auto &log : logs) {
        const std::set<Seed> distinct(log->calls.begin(), log->calls.end());
        QVERIFY2(distinct.size() == log->calls.size(), log->id().c_str());
        jobs += log->calls.size();
      }
      QVERIFY(jobs > got->report.calls.size() * static_cast<std::size_t>(shares - 1));
    }
  }

  // "Nothing leaves this computer" at the local level: no miner is sent anything.
  void theLocalLevelSendsNothing() {
    std::vector<std::shared_ptr<CallLog>> logs;
    std::vector<std::shared_ptr<MinerEndpoint>> pool;
    for (int i = 0; i < 3; ++i) {
      logs.push_back(
          std::make_shared<CallLog>(std::make_shared<LocalMiner>("m" + std::to_string(i))));
      pool.push_back(logs.back());
    }
    Engine engine(pool);
    RunOptions local;
    local.level = PrivacyLevel::Local;
    for (const char *name : {"mlp", "cnn", "transformer"})
      QVERIFY(engine.run(compiled(name), randomInput(m_models.at(name).inputShape, 3), local).ok());
    for (const auto &log : logs)
      QVERIFY(log->calls.empty());
    QVERIFY(engine.run(compiled("mlp"), randomInput(m_models.at("mlp").inputShape, 3), {}).ok());
    QVERIFY(!logs[0]->calls.empty() || !logs[1]->calls.empty()); // the log does see hss jobs
  }

  void noSpareMinerIsAClearError() {
    const auto &m = compiled("mlp");
    Engine engine(
        {std::make_shared<DishonestMiner>("liar", 1.0, 1), std::make_shared<LocalMiner>("b")});
    auto got = engine.run(m, randomInput(m_models.at("mlp").inputShape, 1), RunOptions{});
    QVERIFY(!got.ok());
    QCOMPARE(got.error().code, ErrorCode::Unavailable);
    QVERIFY(QString::fromStdString(got.error().message).contains(QStringLiteral("no miner")));
  }

  void tooFewMinersIsAClearError() {
    Engine engine(honestPool(2));
    RunOptions options;
    options.miners = 3;
    auto got = engine.run(compiled("mlp"), randomInput(m_models.at("mlp").inputShape, 1), options);
    QVERIFY(!got.ok());
    QCOMPARE(got.error().code, ErrorCode::Unavailable);
  }

  void wrongInputShapeIsAClearError() {
    Engine engine(honestPool(2));
    for (auto level : {PrivacyLevel::Local, PrivacyLevel::Hss}) {
      RunOptions options;
      options.level = level;
      auto got = engine.run(compiled("cnn"), randomInput({1, 3, 32, 32}, 1), options);
      QVERIFY(!got.ok());
      QCOMPARE(got.error().code, ErrorCode::InvalidInput);
      QVERIFY(
          QString::fromStdString(got.error().message).contains(QStringLiteral("could not run")));
    }
    TensorData broken{model::DType::F32, {2, 16}, std::vector<std::uint8_t>(10)};
    QVERIFY(!engine.run(compiled("mlp"), broken, RunOptions{}).ok());
  }

  void progressIsReportedPerCall() {
    Engine engine(honestPool(2));
    std::vector<int> seen;
    RunOptions options;
    options.onProgress = [&](const RunProgress &p) {
      seen.push_back(p.callsDone);
      QCOMPARE(p.callsExpected, 4);
      QVERIFY(p.call != nullptr);
    };
    auto got = engine.run(compiled("cnn"), randomInput(m_models.at("cnn").inputShape, 1), options);
    QVERIFY(got.ok());
    QCOMPARE(seen, (std::vector<int>{1, 2, 3, 4}));
  }

  void cancellationStopsTheRun() {
    Engine engine(honestPool(2));
    std::atomic<bool> cancel{false};
    int calls = 0;
    RunOptions options;
    options.cancel = &cancel;
    options.onProgress = [&](const RunProgress &) {
      ++calls;
      cancel = true;
    };
    auto got = engine.run(compiled("cnn"), randomInput(m_models.at("cnn").inputShape, 1), options);
    QVERIFY(!got.ok());
    QCOMPARE(got.error().code, ErrorCode::Cancelled);
    QCOMPARE(calls, 1);
  }

  void precomputedSeededSharesGiveTheSameAnswer() {
    const auto &m = compiled("cnn");
    const auto shape = m_models.at("cnn").inputShape;
    auto b = std::make_shared<RecordingMiner>("b");
    Engine engine({std::make_shared<LocalMiner>("a"), b});
    for (auto arithmetic : {ShareArithmetic::F64Masked, ShareArithmetic::Ring64}) {
      RunOptions options;
      options.arithmetic = arithmetic;
      auto prepared = engine.prepare(m, shape, options);
      QVERIFY2(prepared.ok(), prepared.ok() ? "" : prepared.error().message.c_str());
      const auto jobsBefore = b->jobs.size();
      const auto input = randomInput(shape, 77);
      auto got = engine.run(m, input, options, *prepared);
      QVERIFY2(got.ok(), got.ok() ? "" : got.error().message.c_str());
      QCOMPARE(b->jobs.size(), jobsBefore); // nothing asked of the seeded miner online
      QVERIFY(got->report.precomputeMs > 0);
      for (const auto &call : got->report.calls)
        for (const auto &work : call.miners)
          QCOMPARE(work.precomputed, work.role == "seeded share");
      RunOptions local;
      local.level = PrivacyLevel::Local;
      QVERIFY(relativeError(got->output, engine.run(m, input, local)->output) <= 2e-3);
      auto again = engine.run(m, input, options, *prepared);
      QVERIFY(!again.ok()); // masks are single use
    }
  }

  void levelNames() {
    QCOMPARE(parsePrivacyLevel("hss").value(), PrivacyLevel::Hss);
    QCOMPARE(parsePrivacyLevel("ee").value(), PrivacyLevel::Ee);
    QCOMPARE(parsePrivacyLevel("hss-ee").value(), PrivacyLevel::HssEe);
    QCOMPARE(parsePrivacyLevel("secret").error().code, ErrorCode::InvalidInput);
    QCOMPARE(parseArithmetic("ring64").value(), ShareArithmetic::Ring64);
    QVERIFY(!parseArithmetic("int8").ok());
    RunOptions options;
    options.miners = 1;
    QVERIFY(!options.validate().ok());
  }
};

QTEST_GUILESS_MAIN(TestEngine)
#include "tst_engine.moc"
