// Compiling TorchScript models: what is offloaded and fused, the bundle format, bad files.
#include "model/compiled_model.h"
#include "reference_models.h"

#include <QTemporaryDir>
#include <QTest>

#include <cstring>
#include <fstream>
#include <iterator>

using namespace nesa;
using namespace nesa::model;
namespace fs = std::filesystem;

namespace {

std::vector<std::uint8_t> readAll(const fs::path &file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

void writeAll(const fs::path &file, const std::vector<std::uint8_t> &bytes) {
  std::ofstream(file, std::ios::binary | std::ios::trunc)
      .write(reinterpret_cast<const char *>(bytes.data()),
             static_cast<std::streamsize>(bytes.size()));
}

} // namespace

class TestModelCompiler : public QObject {
  Q_OBJECT
  QTemporaryDir m_dir;
  fs::path path(const char *name) const { return fs::path(m_dir.path().toStdString()) / name; }

private Q_SLOTS:
  void mlpFusesTheLinearChain() {
    auto compiled = compileModel(testing::writeMlp(path("mlp.pt")).file);
    QVERIFY2(compiled.ok(), compiled.ok() ? "" : compiled.error().message.c_str());
    QCOMPARE(compiled->report().remoteOps, 3);
    QCOMPARE(compiled->report().remoteCalls, 2); // layer 1, then layers 2+3 fused
    QCOMPARE(compiled->report().fusedChains, 1);
    auto unfused = compileModel(path("mlp.pt"), {/*fuse=*/false});
    QCOMPARE(unfused->report().remoteCalls, 3);
  }

  void cnnFoldsBatchNormAndKeepsGroups() {
    auto compiled = compileModel(testing::writeCnn(path("cnn.pt")).file);
    QVERIFY2(compiled.ok(), compiled.ok() ? "" : compiled.error().message.c_str());
    const auto &ops = compiled->bundle().ops;
    QCOMPARE(ops.size(), std::size_t{4});
    QCOMPARE(ops[0].kind, LinearKind::Conv2d);
    QVERIFY(ops[1].bias.has_value()); // the conv had no bias; folding batch-norm gave it one
    QCOMPARE(ops[1].stride, (std::vector<std::int64_t>{2, 2}));
    QCOMPARE(ops[2].groups, std::int64_t{16});
    QCOMPARE(ops[3].kind, LinearKind::Linear);
  }

  void transformerOffloadsProjectionsOnly() {
    auto compiled = compileModel(testing::writeTransformer(path("tf.pt")).file);
    QVERIFY2(compiled.ok(), compiled.ok() ? "" : compiled.error().message.c_str());
    // q, k, v, o, MLP up and down, head: the attention products of two activations stay local.
    QCOMPARE(compiled->report().remoteOps, 7);
    QCOMPARE(compiled->report().fusedChains, 0);
  }

  void volumeModelUsesConv3d() {
    auto compiled = compileModel(testing::writeVolumeCnn(path("vol.pt")).file);
    QVERIFY(compiled.ok());
    QCOMPARE(compiled->bundle().ops[0].kind, LinearKind::Conv3d);
  }

  // A bundle's id against one computed apart from our code: Python's hashlib.blake2b
  // (digest_size=32) over the bytes docs/engine.md describes, built by hand with struct.pack.
  // One op with a bias and one without; and the bundle without ops.
  void bundleIdIsTheHashOfTheDocumentedBytes() {
    LinearBundle bundle;
    LinearOp linear;
    linear.weight = TensorData::fromFloats({2, 3}, {1, 2, 3, 4, 5, 6});
    linear.bias = TensorData::fromFloats({2}, {0.5f, -1});
    LinearOp conv;
    conv.kind = LinearKind::Conv1d;
    conv.weight = TensorData::fromFloats({2, 1, 2}, {1, -1, 0.25f, 2});
    conv.stride = {1};
    conv.padding = {0};
    conv.dilation = {1};
    conv.groups = 2;
    QVERIFY(linear.validate() && conv.validate());
    bundle.ops = {linear, conv};
    QCOMPARE(bundle.id(),
             std::string("d14aee390e53c4c31c69ac6c044ed2a0901497522f637566c1797324b7f0b89f"));
    QCOMPARE(contentId(bundle.serialize()), bundle.id());
    QCOMPARE(LinearBundle{}.id(),
             std::string("00bb7a4cca15c135fd2edd5517a4efc091de08550d4c5f2f92fc53eef99bbf0d"));
  }

  void bundleRoundTripsAndIsContentAddressed() {
    auto compiled = compileModel(testing::writeCnn(path("cnn2.pt")).file);
    const auto bytes = compiled->bundle().serialize();
    auto parsed = LinearBundle::parse(bytes);
    QVERIFY(parsed.ok());
    QCOMPARE(parsed->serialize(), bytes);
    QCOMPARE(QString::fromStdString(parsed->id()), QString::fromStdString(compiled->bundleId()));
    QCOMPARE(compiled->bundleId().size(), std::size_t{64});
    QCOMPARE(compiled->bundle().id(), contentId(bytes)); // id() hashes the pieces as it goes

    QVERIFY(compiled->bundle().save(path("cnn.bundle")).ok());
    QVERIFY(LinearBundle::load(path("cnn.bundle"), compiled->bundleId()).ok());
    auto tampered = bytes;
    tampered[tampered.size() / 2] ^= 0x10; // a weight changes: still parses, but the id differs
    writeAll(path("tampered.bundle"), tampered);
    auto refused = LinearBundle::load(path("tampered.bundle"), compiled->bundleId());
    QVERIFY(!refused.ok());
    QCOMPARE(refused.error().code, ErrorCode::Corrupt);
    QVERIFY(LinearBundle::load(path("tampered.bundle")).ok()); // no id: only parsed

    // Loaded in one pass, parsing as it reads: a cut file is refused for what it is.
    writeAll(path("cut.bundle"), std::vector<std::uint8_t>(bytes.begin(), bytes.end() - 5));
    auto cut = LinearBundle::load(path("cut.bundle"));
    QVERIFY(!cut.ok() && cut.error().message.find("truncated") != std::string::npos);
    cut = LinearBundle::load(path("cut.bundle"), compiled->bundleId());
    QVERIFY(!cut.ok() && cut.error().message.find("does not hash to") != std::string::npos);
    auto longer = bytes;
    longer.push_back(0);
    writeAll(path("longer.bundle"), longer);
    auto extra = LinearBundle::load(path("longer.bundle"));
    QVERIFY(!extra.ok() && extra.error().message.find("after the last op") != std::string::npos);
    // A damaged header announcing 2^20 times the first op's rows is not allocated: the file
    // is shorter than that.
    auto huge = bytes;
    const std::int64_t rows = std::int64_t{1} << 20;
    std::memcpy(huge.data() + 8 + 4 + 8, &rows, sizeof rows);
    writeAll(path("huge.bundle"), huge);
    auto hugeLoad = LinearBundle::load(path("huge.bundle"));
    QVERIFY(!hugeLoad.ok() && hugeLoad.error().message.find("truncated") != std::string::npos);
  }

  // Pieces of the binary form, as a large bundle is sent to a miner: in order, of the asked
  // size, together the serialized bytes; a refused piece stops the rest.
  void bundlesAreWrittenInPieces() {
    auto compiled = compileModel(testing::writeCnn(path("cnn3.pt")).file);
    QVERIFY(compiled.ok());
    const auto &bundle = compiled->bundle();
    const auto bytes = bundle.serialize();
    QCOMPARE(bundle.serializedBytes(), std::uint64_t{bytes.size()});
    for (std::size_t pieceBytes :
         {std::size_t{1000}, std::size_t{4096}, bytes.size(), bytes.size() + 1}) {
      std::vector<std::uint8_t> joined;
      std::vector<std::size_t> sizes;
      ContentHasher hasher; // as a miner hashes an upload in pieces
      auto written = bundle.writeInPieces(
          pieceBytes, [&](std::uint64_t offset, std::span<const std::uint8_t> piece) {
            if (offset != joined.size())
              return Result<void>(fail(ErrorCode::Internal, "out of order"));
            joined.insert(joined.end(), piece.begin(), piece.end());
            sizes.push_back(piece.size());
            hasher.update(piece);
            return Result<void>();
          });
      QVERIFY2(written.ok(), written.ok() ? "" : written.error().message.c_str());
      QVERIFY(joined == bytes);
      QCOMPARE(hasher.finish(), compiled->bundleId());
      QCOMPARE(sizes.size(), (bytes.size() + pieceBytes - 1) / pieceBytes);
      for (std::size_t i = 0; i + 1 < sizes.size(); ++i)
        QCOMPARE(sizes[i], pieceBytes);
    }
    int calls = 0;
    auto stopped = bundle.writeInPieces(1000, [&](std::uint64_t, std::span<const std::uint8_t>) {
      return ++calls == 3 ? Result<void>(fail(ErrorCode::Io, "the link broke")) : Result<void>();
    });
    QVERIFY(!stopped.ok());
    QCOMPARE(stopped.error().message, std::string("the link broke"));
    QCOMPARE(calls, 3);
    QVERIFY(!bundle.writeInPieces(0, [](auto, auto) { return Result<void>(); }).ok());

    ContentHasher altered; // one byte different: another id
    altered.update(std::span(bytes).first(bytes.size() - 1));
    const std::uint8_t last = bytes.back() ^ 1;
    altered.update(std::span(&last, 1));
    QVERIFY(altered.finish() != compiled->bundleId());

    QVERIFY(bundle.save(path("pieces.bundle")).ok());
    QVERIFY(LinearBundle::load(path("pieces.bundle"), compiled->bundleId()).ok());
    QCOMPARE(LinearBundle::load(path("absent.bundle")).error().code, ErrorCode::NotFound);
  }

  // Miners of one process hold one copy of a bundle; the registry keeps none alive itself.
  void bundlesAreSharedInProcessWhileHeld() {
    auto compiled = compileModel(testing::writeMlp(path("mlp4.pt")).file);
    QVERIFY(compiled.ok());
    const auto id = compiled->bundleId();
    QVERIFY(!sharedInProcess(id));
    auto held = std::make_shared<const LinearBundle>(compiled->bundle());
    shareInProcess(held, id);
    QCOMPARE(sharedInProcess(id).get(), held.get());
    held.reset();
    QVERIFY(!sharedInProcess(id));
  }

  void malformedBundlesAreRefused_data() {
    QTest::addColumn<int>("cut");
    QTest::newRow("empty") << 0;
    QTest::newRow("magic only") << 8;
    QTest::newRow("inside an op header") << 20;
    QTest::newRow("inside the weights") << 200;
  }

  void malformedBundlesAreRefused() {
    QFETCH(int, cut);
    auto compiled = compileModel(testing::writeMlp(path("mlp3.pt")).file);
    auto bytes = compiled->bundle().serialize();
    bytes.resize(static_cast<std::size_t>(cut));
    auto parsed = LinearBundle::parse(bytes);
    QVERIFY(!parsed.ok());
    QCOMPARE(parsed.error().code, ErrorCode::Corrupt);
  }

  // A keyed bundle carries its client program (format version 2); a bundle without one keeps
  // version 1's bytes, and so its id.
  void aBundleCarriesItsProgramInVersionTwo() {
    auto compiled = compileModel(testing::writeMlp(path("mlp5.pt")).file);
    QVERIFY(compiled.ok() && compiled->bundle().program.empty());
    QCOMPARE(int(compiled->bundle().serialize()[7]), 1);
    LinearBundle withProgram = compiled->bundle();
    withProgram.program = {'P', 'K', 1, 2, 3};
    const auto bytes = withProgram.serialize();
    QCOMPARE(int(bytes[7]), 2);
    QCOMPARE(bytes.size(), compiled->bundle().serialize().size() + 8 + 5);
    auto parsed = LinearBundle::parse(bytes);
    QVERIFY2(parsed.ok(), parsed.ok() ? "" : parsed.error().message.c_str());
    QCOMPARE(parsed->program, withProgram.program);
    QCOMPARE(parsed->id(), withProgram.id());
    QVERIFY(withProgram.id() != compiled->bundleId());
    QVERIFY(withProgram.save(path("program.bundle")).ok());
    auto loaded = LinearBundle::load(path("program.bundle"), withProgram.id());
    QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.error().message.c_str());
    QCOMPARE(loaded->program, withProgram.program);
    auto cut = LinearBundle::parse(std::span(bytes).first(bytes.size() - 2));
    QVERIFY(!cut.ok() && cut.error().message.find("program is truncated") != std::string::npos);
    auto empty = bytes;
    empty.resize(bytes.size() - 5);
    std::fill(empty.end() - 8, empty.end(), 0); // version 2 announcing a program of 0 bytes
    auto none = LinearBundle::parse(empty);
    QVERIFY(!none.ok() && none.error().message.find("program size") != std::string::npos);
  }

  void trailingBytesAndBadMagicAreRefused() {
    auto compiled = compileModel(testing::writeMlp(path("mlp4.pt")).file);
    auto bytes = compiled->bundle().serialize();
    bytes.push_back(0);
    QVERIFY(!LinearBundle::parse(bytes).ok());
    bytes.pop_back();
    bytes[0] = 'X';
    QVERIFY(QString::fromStdString(LinearBundle::parse(bytes).error().message)
                .contains(QStringLiteral("magic")));
  }

  void notTorchScriptIsAClearError() {
    writeAll(path("notes.pt"), {'h', 'e', 'l', 'l', 'o'});
    auto compiled = compileModel(path("notes.pt"));
    QVERIFY(!compiled.ok());
    QCOMPARE(compiled.error().code, ErrorCode::InvalidInput);
    QVERIFY(
        QString::fromStdString(compiled.error().message).contains(QStringLiteral("TorchScript")));
  }

  void truncatedModelIsAClearError() {
    auto model = testing::writeCnn(path("whole.pt"));
    auto bytes = readAll(model.file);
    bytes.resize(bytes.size() / 2);
    writeAll(path("half.pt"), bytes);
    auto compiled = compileModel(path("half.pt"));
    QVERIFY(!compiled.ok());
    QCOMPARE(compiled.error().code, ErrorCode::InvalidInput);
  }

  void missingFileIsNotFound() {
    auto compiled = compileModel(path("absent.pt"));
    QVERIFY(!compiled.ok());
    QCOMPARE(compiled.error().code, ErrorCode::NotFound);
  }

  void nothingToOffloadIsAClearError() {
    auto compiled = compileModel(testing::writeNonLinearOnly(path("relu.pt")).file);
    QVERIFY(!compiled.ok());
    QVERIFY(
        QString::fromStdString(compiled.error().message).contains(QStringLiteral("local level")));
  }
};

QTEST_GUILESS_MAIN(TestModelCompiler)
#include "tst_model_compiler.moc"
