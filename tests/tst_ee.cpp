// Equivariant encryption for compiled TorchScript models: keyed models equal the original at
// the ee and hss-ee levels, differ from it in every transformed tensor, depend on the key, and
// refuse models the transforms do not commute with.
#include "model/compiled_model.h"
#include "privacy/engine.h"
#include "privacy/keyed_model.h"
#include "privacy/local_miner.h"
#include "reference_models.h"
#include "test_miners.h"
#include "test_tensors.h"

#include <QTemporaryDir>
#include <QTest>

using namespace nesa;
using namespace nesa::privacy;
using nesa::model::TensorData;
using namespace nesa::testing;
using nesa::testing::relativeError;
namespace fs = std::filesystem;

namespace {

double maxAbsDifference(const TensorData &a, const TensorData &b) {
  const auto x = a.toFloats(), y = b.toFloats();
  double diff = 0;
  for (std::size_t i = 0; i < x.size(); ++i)
    diff = std::max(diff, std::abs(double(x[i]) - y[i]));
  return diff;
}

} // namespace

class TestEe : public QObject {
  Q_OBJECT
  QTemporaryDir m_dir;
  std::map<std::string, testing::ReferenceModel> m_models;
  std::map<std::string, model::CompiledModel> m_compiled;

  const model::CompiledModel &compiled(const std::string &name) { return m_compiled.at(name); }
  const std::vector<std::int64_t> &shape(const std::string &name) {
    return m_models.at(name).inputShape;
  }

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

  void keyedLevelsEqualLocal_data() {
    QTest::addColumn<QString>("model");
    QTest::addColumn<int>("level");
    QTest::addColumn<int>("arithmetic");
    QTest::addColumn<double>("tolerance");
    for (const char *name : {"mlp", "cnn", "volume"}) {
      QTest::addRow("%s ee f32", name)
          << QString(name) << int(PrivacyLevel::Ee) << int(ShareArithmetic::F32) << 1e-4;
      QTest::addRow("%s ee f64", name)
          << QString(name) << int(PrivacyLevel::Ee) << int(ShareArithmetic::F64Masked) << 1e-4;
      QTest::addRow("%s hss-ee f64-masked", name)
          << QString(name) << int(PrivacyLevel::HssEe) << int(ShareArithmetic::F64Masked) << 1e-4;
      QTest::addRow("%s hss-ee ring64", name)
          << QString(name) << int(PrivacyLevel::HssEe) << int(ShareArithmetic::Ring64) << 2e-3;
    }
  }

  void keyedLevelsEqualLocal() {
    QFETCH(QString, model);
    QFETCH(int, level);
    QFETCH(int, arithmetic);
    QFETCH(double, tolerance);
    const auto &m = compiled(model.toStdString());
    const auto input = randomInput(shape(model.toStdString()), 21);
    Engine engine(honestPool(3));
    RunOptions local;
    local.level = PrivacyLevel::Local;
    auto expected = engine.run(m, input, local);
    QVERIFY(expected.ok());
    RunOptions options;
    options.level = static_cast<PrivacyLevel>(level);
    options.arithmetic = static_cast<ShareArithmetic>(arithmetic);
    options.key = freshEeKey();
    auto got = engine.run(m, input, options);
    QVERIFY2(got.ok(), got.ok() ? "" : got.error().message.c_str());
    const double error = relativeError(got->output, expected->output);
    QVERIFY2(error <= tolerance, qPrintable(QStringLiteral("relative error %1").arg(error)));
    QCOMPARE(got->report.level, options.level);
    QCOMPARE(got->report.checksFailed, 0);
    const int shares = options.level == PrivacyLevel::Ee ? 1 : options.miners;
    QVERIFY(!got->report.calls.empty());
    for (const auto &call : got->report.calls)
      QCOMPARE(static_cast<int>(call.miners.size()), shares);
    // A second run reuses the keyed model and gives the same answer.
    auto again = engine.run(m, input, options);
    QVERIFY(again.ok());
    QVERIFY(relativeError(again->output, expected->output) <= tolerance);
  }

  void keyedModelDiffersInEveryTensor() {
    const auto &m = compiled("cnn");
    auto keyed = keyModel(m, *freshEeKey(), shape("cnn"));
    QVERIFY2(keyed.ok(), keyed.ok() ? "" : keyed.error().message.c_str());
    const auto &original = m.bundle().ops;
    const auto &transformed = keyed->compiled().bundle().ops;
    QCOMPARE(transformed.size(), original.size());
    QCOMPARE(keyed->transforms().size(), original.size());
    for (std::size_t i = 0; i < original.size(); ++i) {
      QCOMPARE(transformed[i].weight.shape, original[i].weight.shape);
      QVERIFY2(maxAbsDifference(transformed[i].weight, original[i].weight) > 1e-3,
               qPrintable(QStringLiteral("weight of op %1 unchanged").arg(i)));
      QCOMPARE(transformed[i].bias.has_value(), original[i].bias.has_value());
      if (original[i].bias)
        QVERIFY(maxAbsDifference(*transformed[i].bias, *original[i].bias) > 1e-3);
    }
    QVERIFY(keyed->compiled().bundleId() != m.bundleId());
  }

  // One key, one keyed bundle: what makes a user's runs on one model linkable by their miners at
  // ee and hss-ee (docs/privacy.md, "Runs are linkable").
  void keyingIsDeterministicPerKey() {
    const auto &m = compiled("mlp");
    auto bytes = std::vector<std::uint8_t>(EeKey::kSize, 7);
    auto a = EeKey::fromBytes(bytes);
    auto b = EeKey::fromBytes(bytes);
    bytes[0] = 8;
    auto c = EeKey::fromBytes(bytes);
    QVERIFY(a.ok() && b.ok() && c.ok());
    QCOMPARE(a->id(), b->id());
    QVERIFY(a->id() != c->id());
    QVERIFY(a->id().rfind("ee-", 0) == 0);
    auto ka = keyModel(m, *a, shape("mlp"));
    auto kb = keyModel(m, *b, shape("mlp"));
    auto kc = keyModel(m, *c, shape("mlp"));
    QVERIFY(ka.ok() && kb.ok() && kc.ok());
    QCOMPARE(ka->compiled().bundleId(), kb->compiled().bundleId());
    QVERIFY(ka->compiled().bundleId() != kc->compiled().bundleId());
    QVERIFY(!EeKey::fromBytes(std::vector<std::uint8_t>(31, 1)).ok());
  }

  // Un-transforming with another key's transforms gives garbage, far from the true output.
  void wrongKeyGivesGarbage() {
    const auto &m = compiled("cnn");
    const auto input = randomInput(shape("cnn"), 5);
    auto right = keyModel(m, *freshEeKey(), shape("cnn"));
    auto wrong = keyModel(m, *freshEeKey(), shape("cnn"));
    QVERIFY(right.ok() && wrong.ok());
    Engine engine(honestPool(2));
    RunOptions local;
    local.level = PrivacyLevel::Local;
    auto expected = engine.run(m, input, local);
    // An hss run of the keyed program itself, on the transformed input: the keyed output.
    auto transformed = right->transformInput(input);
    QVERIFY(transformed.ok());
    auto keyedOut = engine.run(right->compiled(), *transformed, RunOptions{});
    QVERIFY(expected.ok() && keyedOut.ok());
    auto decoded = right->untransformOutput(keyedOut->output);
    auto garbled = wrong->untransformOutput(keyedOut->output);
    QVERIFY(decoded.ok() && garbled.ok());
    QVERIFY(relativeError(*decoded, expected->output) < 1e-4);
    const double error = relativeError(*garbled, expected->output);
    QVERIFY2(error > 0.1, qPrintable(QStringLiteral("wrong key error only %1").arg(error)));
  }

  // At ee the miner gets the transformed activation, not the input itself.
  void eeMinerSeesTransformedInput() {
    const auto &m = compiled("mlp");
    const auto input = randomInput(shape("mlp"), 9);
    auto recorder = std::make_shared<RecordingMiner>("recorder");
    Engine engine({recorder});
    RunOptions options;
    options.level = PrivacyLevel::Ee;
    options.key = freshEeKey();
    auto got = engine.run(m, input, options);
    QVERIFY2(got.ok(), got.ok() ? "" : got.error().message.c_str());
    QVERIFY(!recorder->jobs.empty());
    const auto &first = recorder->jobs.front();
    QVERIFY(first.input.has_value());
    QCOMPARE(first.input->shape, input.shape);
    QVERIFY(maxAbsDifference(*first.input, input) > 0.1);
    QVERIFY(first.bundleId != m.bundleId());
  }

  void eeCatchesALiarAndUsesAnotherMiner_data() {
    QTest::addColumn<int>("arithmetic");
    QTest::addColumn<double>("lie");
    // The smallest lies each arithmetic's allowance still catches on this model.
    QTest::addRow("f32") << int(ShareArithmetic::F32) << 1e-2;
    QTest::addRow("f64") << int(ShareArithmetic::F64Masked) << 1e-3;
  }

  void eeCatchesALiarAndUsesAnotherMiner() {
    QFETCH(int, arithmetic);
    QFETCH(double, lie);
    const auto &m = compiled("cnn");
    const auto input = randomInput(shape("cnn"), 4);
    std::vector<std::shared_ptr<MinerEndpoint>> miners{
        std::make_shared<DishonestMiner>("liar", lie, 5), std::make_shared<LocalMiner>("honest")};
    Engine engine(miners);
    RunOptions local;
    local.level = PrivacyLevel::Local;
    auto expected = engine.run(m, input, local);
    RunOptions options;
    options.level = PrivacyLevel::Ee;
    options.arithmetic = static_cast<ShareArithmetic>(arithmetic);
    auto got = engine.run(m, input, options);
    QVERIFY2(got.ok(), got.ok() ? "" : got.error().message.c_str());
    QVERIFY(relativeError(got->output, expected->output) < 1e-4);
    QCOMPARE(got->report.arithmetic, options.arithmetic);
    QVERIFY(got->report.checksFailed >= 1);
    QCOMPARE(got->report.failures.front().miner, std::string("liar"));
  }

  // An answer of another rank (the right numbers, flattened) fails the check and goes elsewhere;
  // it must never reach code that indexes its sizes.
  void anAnswerOfAnotherRankIsRefused_data() {
    QTest::addColumn<int>("arithmetic");
    QTest::addRow("f32") << int(ShareArithmetic::F32);
    QTest::addRow("f64") << int(ShareArithmetic::F64Masked);
  }

  void anAnswerOfAnotherRankIsRefused() {
    QFETCH(int, arithmetic);
    const auto &m = compiled("cnn");
    const auto input = randomInput(shape("cnn"), 3);
    Engine engine({std::make_shared<FlatteningMiner>("flat"), std::make_shared<LocalMiner>("ok")});
    RunOptions options;
    options.level = PrivacyLevel::Ee;
    options.arithmetic = static_cast<ShareArithmetic>(arithmetic);
    auto got = engine.run(m, input, options);
    QVERIFY2(got.ok(), got.ok() ? "" : got.error().message.c_str());
    QVERIFY(!got->report.failures.empty());
    QCOMPARE(got->report.failures.front().miner, std::string("flat"));
  }

  // f32 calls are the ee level's own: half the bytes of float64 each way, and never shared.
  void f32CallsHalveTheBytesAndAreNeverShared() {
    const auto &m = compiled("cnn");
    const auto input = randomInput(shape("cnn"), 6);
    Engine engine(honestPool(3));
    RunOptions f64;
    f64.level = PrivacyLevel::Ee;
    f64.arithmetic = ShareArithmetic::F64Masked;
    f64.key = freshEeKey();
    RunOptions f32 = f64;
    f32.arithmetic = ShareArithmetic::F32;
    auto wide = engine.run(m, input, f64);
    auto narrow = engine.run(m, input, f32);
    QVERIFY(wide.ok() && narrow.ok());
    QCOMPARE(narrow->report.calls.size(), wide->report.calls.size());
    // Payload halves; the fixed headers of each job do not.
    QVERIFY2(narrow->report.bytesSent * 2 < wide->report.bytesSent + 4096 &&
                 narrow->report.bytesReceived * 2 < wide->report.bytesReceived + 4096,
             qPrintable(QStringLiteral("f32 %1/%2 bytes, f64 %3/%4")
                            .arg(narrow->report.bytesSent)
                            .arg(narrow->report.bytesReceived)
                            .arg(wide->report.bytesSent)
                            .arg(wide->report.bytesReceived)));
    QCOMPARE(defaultArithmetic(PrivacyLevel::Ee), ShareArithmetic::F32);
    QCOMPARE(defaultArithmetic(PrivacyLevel::Hss), ShareArithmetic::F64Masked);
    QCOMPARE(parseArithmetic("f32").value(), ShareArithmetic::F32);
    for (auto level : {PrivacyLevel::Hss, PrivacyLevel::HssEe}) {
      RunOptions shared = f32;
      shared.level = level;
      auto refused = engine.run(m, input, shared);
      QVERIFY(!refused.ok());
      QCOMPARE(refused.error().code, ErrorCode::InvalidInput);
      QVERIFY2(refused.error().message.find("f32") != std::string::npos,
               refused.error().message.c_str());
    }
  }

  void unsupportedModelIsRefusedClearly() {
    Engine engine(honestPool(2));
    RunOptions options;
    options.level = PrivacyLevel::Ee;
    auto got = engine.run(compiled("transformer"), randomInput(shape("transformer"), 1), options);
    QVERIFY(!got.ok());
    QCOMPARE(got.error().code, ErrorCode::InvalidInput);
    QVERIFY2(got.error().message.find("cannot key this model") != std::string::npos &&
                 got.error().message.find("aten::") != std::string::npos,
             got.error().message.c_str());
  }

  // ee in f32 (nesa analyze's default): one miner runs the whole keyed program as one job, and the
  // client, replaying the program against its answer and checking every call, gets exactly what the
  // calls sent one by one give.
  void eeRunsTheWholeProgramInOneJob_data() {
    QTest::addColumn<QString>("model");
    for (const char *name : {"mlp", "cnn", "volume"})
      QTest::newRow(name) << QString(name);
  }

  void eeRunsTheWholeProgramInOneJob() {
    QFETCH(QString, model);
    const auto &m = compiled(model.toStdString());
    const auto input = randomInput(shape(model.toStdString()), 21);
    auto recorder = std::make_shared<RecordingMiner>("recorder");
    Engine engine({recorder});
    RunOptions options;
    options.level = PrivacyLevel::Ee;
    options.arithmetic = ShareArithmetic::F32;
    options.key = freshEeKey();
    auto whole = engine.run(m, input, options);
    QVERIFY2(whole.ok(), whole.ok() ? "" : whole.error().message.c_str());
    QCOMPARE(recorder->jobs.size(), std::size_t{1});
    QVERIFY(recorder->jobs.front().wholeProgram && recorder->jobs.front().ops.empty());
    const auto calls = static_cast<std::size_t>(m.report().remoteCalls);
    QCOMPARE(whole->report.calls.size(), calls);
    QCOMPARE(whole->report.checksPassed, static_cast<int>(calls));
    QVERIFY(whole->report.missing.empty() && whole->report.failures.empty());
    for (const auto &call : whole->report.calls) {
      QCOMPARE(call.miners.size(), std::size_t{1});
      QCOMPARE(call.miners.front().role, std::string("whole program"));
      QVERIFY(call.miners.front().passed);
    }
    options.wholeProgram = false;
    auto perCall = engine.run(m, input, options);
    QVERIFY(perCall.ok());
    QCOMPARE(recorder->jobs.size(), 1 + calls);
    QCOMPARE(maxAbsDifference(whole->output, perCall->output), 0.0);
    QCOMPARE(whole->report.roundTrips, 1);
    QCOMPARE(perCall->report.roundTrips, static_cast<int>(calls));
    // The input goes once instead of every call's input.
    QVERIFY(calls == 1 || whole->report.bytesSent < perCall->report.bytesSent);
  }

  // A whole program's answer with one wrong call output is caught at that call and kept as
  // evidence; that call and the rest go one by one to another miner.
  void aWrongWholeProgramAnswerIsCaughtAtItsCall() {
    const auto &m = compiled("cnn");
    const auto input = randomInput(shape("cnn"), 22);
    Engine engine({std::make_shared<DishonestMiner>("liar", 1e-2, 7),
                   std::make_shared<LocalMiner>("honest")});
    RunOptions local;
    local.level = PrivacyLevel::Local;
    auto expected = engine.run(m, input, local);
    RunOptions options;
    options.level = PrivacyLevel::Ee;
    options.arithmetic = ShareArithmetic::F32;
    auto got = engine.run(m, input, options);
    QVERIFY2(got.ok(), got.ok() ? "" : got.error().message.c_str());
    QVERIFY(relativeError(got->output, expected->output) < 1e-4);
    QCOMPARE(got->report.failures.size(), std::size_t{1});
    const auto &evidence = got->report.failures.front();
    QCOMPARE(evidence.miner, std::string("liar"));
    QCOMPARE(evidence.role, std::string("whole program"));
    QVERIFY(evidence.job.wholeProgram);
    const auto &calls = got->report.calls;
    QCOMPARE(calls.size(), static_cast<std::size_t>(m.report().remoteCalls));
    for (const auto &call : calls) {
      const auto &last = call.miners.back();
      QVERIFY(last.passed);
      if (call.call < evidence.call) {
        QCOMPARE(last.miner, std::string("liar"));
        QCOMPARE(last.role, std::string("whole program"));
      } else {
        QCOMPARE(last.miner, std::string("honest"));
        QCOMPARE(last.role, std::string("transformed input"));
      }
    }
    const auto &failed = calls[static_cast<std::size_t>(evidence.call)];
    QCOMPARE(failed.miners.size(), std::size_t{2});
    QVERIFY(!failed.miners.front().passed);
    QCOMPARE(failed.retries, 1);
    // The whole program's job, then each call from the failed one on.
    QCOMPARE(got->report.roundTrips, 1 + static_cast<int>(calls.size()) - evidence.call);
  }

  // A miner runs a client program (TorchScript IR text) only when every op in it is on the
  // allow-list: no loops, no I/O, no integer or list arithmetic, no sizes beyond the bounds,
  // nothing that is not IR.
  void aMinerRunsOnlyAllowedPrograms_data() {
    QTest::addColumn<QString>("program");
    QTest::addColumn<QString>("refusal");
    const QString head = QStringLiteral("graph(%x : Tensor):\n");
    QTest::newRow("allowed") << head + "  %y : Tensor = aten::relu(%x)\n  return (%y)\n"
                             << QString();
    QTest::newRow("loop") << head + "  %n : int = prim::Constant[value=3]()\n"
                                    "  %t : bool = prim::Constant[value=1]()\n"
                                    "  %y : Tensor = prim::Loop(%n, %t, %x)\n"
                                    "    block0(%i : int, %a : Tensor):\n"
                                    "      %b : Tensor = aten::relu(%a)\n"
                                    "      -> (%t, %b)\n"
                                    "  return (%y)\n"
                          << QStringLiteral("uses prim::Loop");
    QTest::newRow("a file") << head +
                                   "  %f : str = prim::Constant[value=\"/etc/passwd\"]()\n"
                                   "  %n : NoneType = prim::Constant()\n"
                                   "  %s : int = prim::Constant[value=10]()\n"
                                   "  %y : Tensor = aten::from_file(%f, %n, %s, %n, %n, %n, %n)\n"
                                   "  return (%y)\n"
                            << QStringLiteral("uses aten::from_file");
    QTest::newRow("integer division") << head + "  %a : int = prim::Constant[value=7]()\n"
                                                "  %b : int = prim::Constant[value=-1]()\n"
                                                "  %c : int = aten::floordiv(%a, %b)\n"
                                                "  return (%c)\n"
                                      << QStringLiteral("uses aten::floordiv");
    QTest::newRow("list arithmetic") << head + "  %a : int = prim::Constant[value=0]()\n"
                                               "  %n : int = prim::Constant[value=1000000000]()\n"
                                               "  %l : int[] = prim::ListConstruct(%a)\n"
                                               "  %m : int[] = aten::mul(%l, %n)\n"
                                               "  return (%m)\n"
                                     << QStringLiteral("on something other than a tensor");
    QTest::newRow("huge upsampling")
        << head + "  %s : int[] = prim::Constant[value=[100000, 100000]]()\n"
                  "  %n : NoneType = prim::Constant()\n"
                  "  %y : Tensor = aten::upsample_nearest2d(%x, %s, %n)\n"
                  "  return (%y)\n"
        << QStringLiteral("beyond the bounds");
    QTest::newRow("an if with one branch")
        << head + "  %c : bool = prim::Constant[value=1]()\n"
                  "  %a : Tensor, %b : Tensor = prim::If(%c)\n"
                  "    block0():\n"
                  "      -> ()\n"
                  "  return (%a)\n"
        << QStringLiteral("without both branches");
    QTest::newRow("an if yielding less than it says")
        << head + "  %c : bool = prim::Constant[value=1]()\n"
                  "  %a : Tensor, %b : Tensor = prim::If(%c)\n"
                  "    block0():\n"
                  "      -> ()\n"
                  "    block1():\n"
                  "      -> ()\n"
                  "  return (%a)\n"
        << QStringLiteral("other values than it declares");
    QTest::newRow("division with a rounding mode")
        << head + "  %m : str = prim::Constant[value=\"trunc\"]()\n"
                  "  %y : Tensor = aten::div(%x, %x, %m)\n"
                  "  return (%y)\n"
        << QStringLiteral("rounding mode");
    QTest::newRow("a dtype") << head + "  %d : int = prim::Constant[value=1]()\n"
                                       "  %t : int = prim::Constant[value=-1]()\n"
                                       "  %y : Tensor = aten::softmax(%x, %d, %t)\n"
                                       "  return (%y)\n"
                             << QStringLiteral("for a dtype");
    QTest::newRow("a wide pooling window")
        << head + "  %k : int[] = prim::Constant[value=[1000]]()\n"
                  "  %s : int[] = prim::Constant[value=[1]]()\n"
                  "  %p : int[] = prim::Constant[value=[0]]()\n"
                  "  %f : bool = prim::Constant[value=0]()\n"
                  "  %y : Tensor = aten::max_pool1d(%x, %k, %s, %p, %s, %f)\n"
                  "  return (%y)\n"
        << QStringLiteral("window beyond the bounds");
    QTest::newRow("tabs") << head + "\t%y : Tensor = aten::relu(%x)\n  return (%y)\n"
                          << QStringLiteral("characters IR text does not");
    QTest::newRow("not ir") << QStringLiteral("PK\x03\x04 a TorchScript archive, say")
                            << QStringLiteral("not TorchScript IR");
  }

  void aMinerRunsOnlyAllowedPrograms() {
    QFETCH(QString, program);
    QFETCH(QString, refusal);
    model::LinearBundle bundle = compiled("mlp").bundle();
    const auto text = program.toStdString();
    bundle.program.assign(text.begin(), text.end());
    LocalMiner miner("m");
    QVERIFY(miner.installBundle(bundle, bundle.id()).ok());
    ShareJob job;
    job.bundleId = bundle.id();
    job.arithmetic = ShareArithmetic::F32;
    job.wholeProgram = true;
    job.input = randomInput({4, 16}, 23);
    auto reply = miner.compute(job);
    if (refusal.isEmpty()) {
      QVERIFY2(reply.ok(), reply.ok() ? "" : reply.error().message.c_str());
      QVERIFY(reply->callOutputs.empty());
      QCOMPARE(reply->output.shape, job.input->shape);
      return;
    }
    QVERIFY(!reply.ok());
    QCOMPARE(reply.error().code, ErrorCode::InvalidInput);
    QVERIFY2(reply.error().message.find(refusal.toStdString()) != std::string::npos,
             reply.error().message.c_str());
  }

  void levelNamesRoundTrip() {
    for (auto level :
         {PrivacyLevel::Local, PrivacyLevel::Ee, PrivacyLevel::Hss, PrivacyLevel::HssEe}) {
      auto parsed = parsePrivacyLevel(privacyLevelName(level));
      QVERIFY(parsed.ok());
      QCOMPARE(*parsed, level);
    }
    QVERIFY(!parsePrivacyLevel("fhe").ok());
  }

  void hssEePreparedQueryMatches() {
    const auto &m = compiled("cnn");
    const auto input = randomInput(shape("cnn"), 14);
    Engine engine(honestPool(2));
    RunOptions local;
    local.level = PrivacyLevel::Local;
    auto expected = engine.run(m, input, local);
    RunOptions options;
    options.level = PrivacyLevel::HssEe;
    auto prepared = engine.prepare(m, shape("cnn"), options);
    QVERIFY2(prepared.ok(), prepared.ok() ? "" : prepared.error().message.c_str());
    auto got = engine.run(m, input, options, *prepared);
    QVERIFY2(got.ok(), got.ok() ? "" : got.error().message.c_str());
    QVERIFY(relativeError(got->output, expected->output) < 1e-4);
    QVERIFY(got->report.precomputeMs > 0);
  }
};

QTEST_GUILESS_MAIN(TestEe)
#include "tst_ee.moc"
