// GGUF language models checked against llama.cpp itself (tests/llama_cpp/llama_oracle, on
// node-llama-cpp's prebuilt libraries): the files are written by ggml's own GGUF writer and
// quantized by llama_model_quantize; our dequantization must equal ggml's bit for bit, our
// tokenizers llama.cpp's ids, our logits llama.cpp's within each type's stated tolerance, and
// greedy tokens must agree for F32, F16 and Q8_0. Then the private levels against local, a
// document task through core/analysis, and hostile files.
#include "analysis/analyzer.h"
#include "ingest/gguf_file.h"
#include "ingest/gguf_quants.h"
#include "llm/internal/language_model_impl.h"
#include "llm/internal/q8_rows.h"
#include "llm/language_model.h"
#include "test_miners.h"
#include "test_tensors.h"

#include <ATen/ATen.h>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <cstring>
#include <fstream>

using namespace nesa;
using namespace nesa::llm;
namespace fs = std::filesystem;
namespace gguf = nesa::ingest::gguf;

namespace {

const char *const kTypes[] = {"f16", "bf16", "q8_0", "q4_0", "q4_k", "q5_k", "q6_k"};

/// Runs llama_oracle with `args`; its standard output, or a failure naming its error output.
Result<std::string> oracle(const QStringList &args) {
  if (std::strlen(NESA_LLAMA_ORACLE) == 0)
    return fail(ErrorCode::Unavailable, "llama.cpp's libraries were missing at configure time: run "
                                        "scripts/install-deps.sh, then cmake again");
  QProcess process;
  process.start(QStringLiteral(NESA_LLAMA_ORACLE), args);
  if (!process.waitForFinished(120'000) || process.exitCode() != 0)
    return fail(ErrorCode::Internal, "llama_oracle " + args.join(' ').toStdString() + ": " +
                                         process.readAllStandardError().toStdString());
  return process.readAllStandardOutput().trimmed().toStdString();
}

std::vector<float> readFloats(const fs::path &file) {
  std::ifstream in(file, std::ios::binary);
  std::vector<char> bytes{std::istreambuf_iterator<char>(in), {}};
  std::vector<float> values(bytes.size() / sizeof(float));
  std::memcpy(values.data(), bytes.data(), values.size() * sizeof(float));
  return values;
}

std::vector<std::int64_t> idsOf(const std::string &line) {
  std::vector<std::int64_t> ids;
  std::istringstream in(line);
  for (std::int64_t id; in >> id;)
    ids.push_back(id);
  return ids;
}

QStringList idArguments(const std::vector<std::int64_t> &ids) {
  QStringList args;
  for (auto id : ids)
    args << QString::number(id);
  return args;
}

/// max |a − b| / max |b|.
double relativeDifference(const std::vector<float> &a, const std::vector<float> &b) {
  if (a.size() != b.size() || b.empty())
    return INFINITY;
  double worst = 0, scale = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    worst = std::max(worst, std::abs(double(a[i]) - double(b[i])));
    scale = std::max(scale, std::abs(double(b[i])));
  }
  return worst / scale;
}

/// Writes GGUF files byte by byte, for files no honest writer makes.
class GgufBytes {
public:
  GgufBytes(std::uint32_t version = 3, const char *magic = "GGUF") {
    m_header.append(magic, 4);
    u32(m_header, version);
  }
  GgufBytes &text(const std::string &key, const std::string &value) {
    string(m_kv, key);
    u32(m_kv, 8);
    string(m_kv, value);
    ++m_keys;
    return *this;
  }
  GgufBytes &number(const std::string &key, std::uint32_t value) {
    string(m_kv, key);
    u32(m_kv, 4);
    u32(m_kv, value);
    ++m_keys;
    return *this;
  }
  /// A tensor entry; `data` bytes are appended to the data section.
  GgufBytes &tensor(const std::string &name, std::vector<std::uint64_t> shape, std::uint32_t type,
                    std::uint64_t offset) {
    string(m_tensors, name);
    u32(m_tensors, static_cast<std::uint32_t>(shape.size()));
    for (auto n : shape)
      u64(m_tensors, n);
    u32(m_tensors, type);
    u64(m_tensors, offset);
    ++m_tensorCount;
    return *this;
  }
  GgufBytes &data(std::size_t bytes) {
    m_data.append(bytes, '\0');
    return *this;
  }
  GgufBytes &claimTensors(std::uint64_t count) {
    m_tensorCount = count;
    return *this;
  }
  std::string bytes() const {
    std::string out = m_header;
    u64(out, m_tensorCount);
    u64(out, m_keys);
    out += m_kv + m_tensors;
    out.append((32 - out.size() % 32) % 32, '\0');
    return out + m_data;
  }

private:
  static void u32(std::string &out, std::uint32_t v) {
    out.append(reinterpret_cast<char *>(&v), 4);
  }
  static void u64(std::string &out, std::uint64_t v) {
    out.append(reinterpret_cast<char *>(&v), 8);
  }
  static void string(std::string &out, const std::string &s) {
    u64(out, s.size());
    out += s;
  }
  std::string m_header, m_kv, m_tensors, m_data;
  std::uint64_t m_keys = 0, m_tensorCount = 0;
};

} // namespace

class TestGguf : public QObject {
  Q_OBJECT
  QTemporaryDir m_dir;
  fs::path dir() const { return m_dir.path().toStdString(); }
  fs::path file(const QString &family, const QString &type) const {
    return dir() / (family + "-" + type + ".gguf").toStdString();
  }
  RunSetup local() const {
    RunSetup setup;
    setup.options.level = privacy::PrivacyLevel::Local;
    return setup;
  }
  /// A prompt as the model's tokenizer writes it, with its start token (llama's BOS) first.
  std::vector<std::int64_t> prompt(const LanguageModel &m) const {
    auto ids = m.tokenizer().encode("the patient scan is in the contract, note");
    std::vector<std::int64_t> out = ids.ok() ? *ids : std::vector<std::int64_t>{};
    if (auto start = m.tokenizer().startToken())
      out.insert(out.begin(), *start);
    return out;
  }

private Q_SLOTS:
  void initTestCase() {
    for (const char *family : {"llama", "gpt2"}) {
      auto made = oracle({"make", QString::fromStdString(file(family, "f32")), family, "7"});
      QVERIFY2(made.ok(), made.ok() ? "" : made.error().message.c_str());
      for (const char *type : kTypes) {
        auto quantized = oracle({"quantize", QString::fromStdString(file(family, "f32")),
                                 QString::fromStdString(file(family, type)), type});
        QVERIFY2(quantized.ok(), quantized.ok() ? "" : quantized.error().message.c_str());
      }
    }
  }

  // Every tensor type: our dequantization is ggml's, bit for bit, and the quantization error
  // against the float32 original is what the type promises.
  void dequantizationIsGgmls_data() {
    QTest::addColumn<QString>("type");
    QTest::addColumn<double>("expectedError"); // relative RMS error against F32, at most
    const double errors[] = {1e-3, 1e-2, 1e-2, 0.15, 0.1, 0.05, 0.03};
    for (std::size_t i = 0; i < std::size(kTypes); ++i)
      QTest::newRow(kTypes[i]) << QString(kTypes[i]) << errors[i];
  }
  void dequantizationIsGgmls() {
    QFETCH(QString, type);
    QFETCH(double, expectedError);
    auto quantized = gguf::File::open(file("llama", type));
    auto original = gguf::File::open(file("llama", "f32"));
    QVERIFY2(quantized.ok(), quantized.ok() ? "" : quantized.error().message.c_str());
    QVERIFY(original.ok());
    QCOMPARE(QString::fromStdString(gguf::typeName(quantized->tensor("blk.0.attn_q.weight")->type))
                 .toLower(),
             type);
    double squaredError = 0, squared = 0;
    for (const char *name : {"token_embd.weight", "blk.0.attn_q.weight", "blk.1.ffn_down.weight",
                             "output.weight", "blk.0.attn_norm.weight"}) {
      const auto *info = quantized->tensor(name);
      QVERIFY(info);
      std::vector<float> ours(static_cast<std::size_t>(info->elements())), exact(ours.size());
      quantized->dequantize(*info, ours.data());
      original->dequantize(*original->tensor(name), exact.data());
      const auto out = dir() / "dequantized.f32";
      auto ran = oracle({"dequantize", QString::fromStdString(file("llama", type)), name,
                         QString::fromStdString(out)});
      QVERIFY2(ran.ok(), ran.ok() ? "" : ran.error().message.c_str());
      const auto ggml = readFloats(out);
      QCOMPARE(ggml.size(), ours.size());
      QVERIFY2(std::memcmp(ggml.data(), ours.data(), ours.size() * sizeof(float)) == 0, name);
      for (std::size_t i = 0; i < ours.size(); ++i) {
        squaredError += (double(ours[i]) - exact[i]) * (double(ours[i]) - exact[i]);
        squared += double(exact[i]) * exact[i];
      }
    }
    const double error = std::sqrt(squaredError / squared);
    qInfo("%s: dequantization error %.2e (relative RMS against F32)", qPrintable(type), error);
    QVERIFY2(error <= expectedError, qPrintable(QString::number(error)));
    QVERIFY(type == "f16" || type == "bf16" || error > 1e-4); // the file was quantized
  }

  // Our tokenizers give llama.cpp's ids: SentencePiece by score with byte fallback (llama) and
  // byte-level BPE with GPT-2's pre-tokenizer (gpt2).
  void tokenizersAreLlamaCpps_data() {
    QTest::addColumn<QString>("family");
    QTest::addColumn<QString>("text");
    const char *texts[] = {"the patient scan is in the contract",
                           "  two  spaces, then: caf\xC3\xA9 42!", "summary\nnote\tthe end  ",
                           "thethe contractnote", "a\n\nb  c!'s it's \n\n"};
    for (const char *family : {"llama", "gpt2"})
      for (std::size_t i = 0; i < std::size(texts); ++i)
        QTest::addRow("%s %zu", family, i) << QString(family) << QString::fromUtf8(texts[i]);
  }
  void tokenizersAreLlamaCpps() {
    QFETCH(QString, family);
    QFETCH(QString, text);
    auto model = LanguageModel::load(file(family, "f32"));
    QVERIFY2(model.ok(), model.ok() ? "" : model.error().message.c_str());
    auto ours = model->tokenizer().encode(text.toStdString());
    QVERIFY2(ours.ok(), ours.ok() ? "" : ours.error().message.c_str());
    auto theirs = oracle({"tokenize", QString::fromStdString(file(family, "f32")), text});
    QVERIFY2(theirs.ok(), theirs.ok() ? "" : theirs.error().message.c_str());
    QCOMPARE(*ours, idsOf(*theirs));
    QCOMPARE(QString::fromStdString(model->tokenizer().decode(*ours)), text);
    // Sequences begin as llama.cpp begins them: BOS for SentencePiece, nothing for GPT-2.
    QCOMPARE(model->tokenizer().startToken(),
             family == "llama" ? std::optional<std::int64_t>(1) : std::nullopt);
  }

  // Logits of every position against llama.cpp's (flash attention off, float32 KV cache).
  // llama.cpp rounds activations to F16/BF16 for those weights and quantizes them to Q8 for
  // the quantized types; we dequantize the weights and compute in float32.
  void logitsAreLlamaCpps_data() {
    QTest::addColumn<QString>("family");
    QTest::addColumn<QString>("type");
    QTest::addColumn<double>("tolerance");
    const std::map<QString, double> tolerance = {{"f16", 5e-3},  {"bf16", 3e-2}, {"q8_0", 2e-2},
                                                 {"q4_0", 5e-2}, {"q4_k", 5e-2}, {"q5_k", 5e-2},
                                                 {"q6_k", 5e-2}};
    for (const char *family : {"llama", "gpt2"}) {
      // ggml's GELU reads an F16 table: GPT-2 at F32 is 3e-4 away, Llama 1e-6.
      QTest::addRow("%s f32", family)
          << QString(family) << "f32" << (family == std::string("gpt2") ? 1e-3 : 1e-5);
      for (const char *type : kTypes)
        QTest::addRow("%s %s", family, type)
            << QString(family) << QString(type) << tolerance.at(type);
    }
  }
  void logitsAreLlamaCpps() {
    QFETCH(QString, family);
    QFETCH(QString, type);
    QFETCH(double, tolerance);
    auto model = LanguageModel::load(file(family, type));
    QVERIFY2(model.ok(), model.ok() ? "" : model.error().message.c_str());
    const auto ids = prompt(*model);
    auto ours = model->logits(ids, local());
    QVERIFY2(ours.ok(), ours.ok() ? "" : ours.error().message.c_str());
    const auto out = dir() / "logits.f32";
    auto ran = oracle(QStringList{"logits", QString::fromStdString(file(family, type)),
                                  QString::fromStdString(out)} +
                      idArguments(ids));
    QVERIFY2(ran.ok(), ran.ok() ? "" : ran.error().message.c_str());
    const double difference = relativeDifference(ours->logits.toFloats(), readFloats(out));
    qInfo("%s %s: logits differ from llama.cpp's by %.2e of the largest", qPrintable(family),
          qPrintable(type), difference);
    QVERIFY2(difference <= tolerance, qPrintable(QString::number(difference)));
  }

  // Greedy generation gives llama.cpp's tokens where its arithmetic is close enough to ours.
  void greedyTokensAreLlamaCpps_data() {
    QTest::addColumn<QString>("family");
    QTest::addColumn<QString>("type");
    for (const char *family : {"llama", "gpt2"})
      for (const char *type : {"f32", "f16", "q8_0"})
        QTest::addRow("%s %s", family, type) << QString(family) << QString(type);
  }
  void greedyTokensAreLlamaCpps() {
    QFETCH(QString, family);
    QFETCH(QString, type);
    auto model = LanguageModel::load(file(family, type));
    QVERIFY2(model.ok(), model.ok() ? "" : model.error().message.c_str());
    const auto ids = prompt(*model);
    GenerationOptions greedy;
    greedy.maxNewTokens = 12;
    greedy.stopAtEos = false;
    auto ours = model->generate(ids, greedy, local());
    QVERIFY2(ours.ok(), ours.ok() ? "" : ours.error().message.c_str());
    auto theirs = oracle(QStringList{"generate", QString::fromStdString(file(family, type)), "12"} +
                         idArguments(ids));
    QVERIFY2(theirs.ok(), theirs.ok() ? "" : theirs.error().message.c_str());
    QCOMPARE(ours->tokens, idsOf(*theirs));
  }

  // Local generation reads Q8_0 matrices as stored: each such op (gains, concatenated q/k/v
  // and rotary row order included) equals its float32 weights on any input.
  void q8OpsEqualTheirFloatWeights_data() {
    QTest::addColumn<QString>("family");
    QTest::newRow("llama") << "llama";
    QTest::newRow("gpt2") << "gpt2";
  }
  void q8OpsEqualTheirFloatWeights() {
    QFETCH(QString, family);
    auto model = LanguageModel::load(file(family, "q8_0"));
    QVERIFY2(model.ok(), model.ok() ? "" : model.error().message.c_str());
    const auto &w = model->impl().weights;
    QCOMPARE(w.opQ8.size(), w.bundle.ops.size());
    at::manual_seed(3);
    for (std::size_t op = 0; op < w.opQ8.size(); ++op) {
      QVERIFY2(w.opQ8[op], qPrintable(QStringLiteral("op %1 has no Q8_0 copy").arg(op)));
      for (std::int64_t tokens : {1, 5, 8, 9, 17}) { // one row, a chunk, chunks and a rest
        const auto x = at::randn({tokens, w.opWeight[op].size(1)});
        const auto expected = at::linear(x, w.opWeight[op]);
        const auto got = q8MatMul(*w.opQ8[op], x);
        const double error =
            (got - expected).abs().max().item<double>() / expected.abs().max().item<double>();
        QVERIFY2(error < 1e-5,
                 qPrintable(QStringLiteral("op %1, %2 rows: %3").arg(op).arg(tokens).arg(error)));
      }
    }
    auto other = LanguageModel::load(file(family, "q4_k"));
    QVERIFY(other.ok());
    for (const auto &q8 : other->impl().weights.opQ8)
      QVERIFY(!q8); // only Q8_0 is kept as stored
  }

  // A quantized GGUF at the private levels equals its local run.
  void privateLevelsEqualLocal_data() {
    QTest::addColumn<int>("level");
    for (auto level :
         {privacy::PrivacyLevel::Ee, privacy::PrivacyLevel::Hss, privacy::PrivacyLevel::HssEe})
      QTest::addRow("%s", privacy::privacyLevelName(level)) << int(level);
  }
  void privateLevelsEqualLocal() {
    QFETCH(int, level);
    auto model = LanguageModel::load(file("llama", "q4_k"));
    QVERIFY2(model.ok(), model.ok() ? "" : model.error().message.c_str());
    const auto ids = prompt(*model);
    auto expected = model->logits(ids, local());
    QVERIFY(expected.ok());
    privacy::Engine engine(testing::honestPool(3));
    RunSetup setup{&engine, {}};
    setup.options.level = static_cast<privacy::PrivacyLevel>(level);
    setup.options.key = testing::freshEeKey();
    auto got = model->logits(ids, setup);
    QVERIFY2(got.ok(), got.ok() ? "" : got.error().message.c_str());
    const double error = testing::relativeError(got->logits, expected->logits);
    QVERIFY2(error <= 1e-4, qPrintable(QStringLiteral("relative error %1").arg(error)));
    QCOMPARE(got->report.checksFailed, 0);
    QVERIFY(got->report.checksPassed > 0);
  }

  // `nesa analyze DOC --model file.gguf` goes through core/analysis as a document task.
  void documentTaskThroughAnalysis() {
    analysis::Request request;
    request.model = file("llama", "q8_0").string();
    request.input = dir() / "letter.txt";
    std::ofstream(request.input) << "Dear patient, the scan is in the contract note.";
    request.task = "classify";
    request.labels = {"contract", "note"};
    request.level = privacy::PrivacyLevel::Hss;
    analysis::NetworkChoice network;
    network.inProcess = true;
    network.config.dataDir = dir() / "data";
    analysis::Secrets secrets;
    secrets.eeKey = []() -> Result<std::shared_ptr<const privacy::EeKey>> {
      return fail(ErrorCode::InvalidInput, "hss needs no EE key");
    };
    secrets.payer = [](bool, std::uint64_t) -> Result<chain::AccountKey> {
      return fail(ErrorCode::InvalidInput, "in-process miners are not paid");
    };
    analysis::Analyzer analyzer(network, secrets);
    auto outcome = analyzer.run(request);
    QVERIFY2(outcome.ok(), outcome.ok() ? "" : outcome.error().message.c_str());
    QCOMPARE(outcome->summary.size(), std::size_t{2});
    QVERIFY2(outcome->summary[0].rfind("contract: ", 0) == 0 ||
                 outcome->summary[0].rfind("note: ", 0) == 0,
             outcome->summary[0].c_str());
    QVERIFY(outcome->report.checksPassed > 0);
    QCOMPARE(outcome->report.checksFailed, 0);
  }

  // Broken and hostile files: a clear error naming what is wrong, never a crash.
  void brokenFilesGiveClearErrors_data() {
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("expected");
    auto row = [](const char *name, const std::string &bytes, const char *expected) {
      QTest::newRow(name) << QByteArray::fromStdString(bytes) << QString(expected);
    };
    row("empty", "", "is empty");
    row("not gguf", GgufBytes(3, "GGML").bytes(), "does not start with GGUF");
    row("version 1", GgufBytes(1).bytes(), "version 1");
    row("big-endian", GgufBytes(0x03000000).bytes(), "big-endian");
    row("cut header", GgufBytes().text("general.architecture", "llama").bytes().substr(0, 60),
        "it ends inside");
    row("absurd tensor count", GgufBytes().claimTensors(std::uint64_t{1} << 40).bytes(),
        "claims 1099511627776 tensors");
    auto longString = GgufBytes().text("general.name", "x").bytes();
    longString[24 + 8 + 12 + 4 + 7] = '\x7F'; // the value's length: huge
    row("string past the end", longString, "runs past the end");
    row("offset elsewhere", GgufBytes().tensor("w", {32}, 0, 4096).data(128).bytes(),
        "tensor w does not start where the previous one ends (at 0)");
    row("tensors sharing bytes",
        GgufBytes().tensor("a", {8}, 0, 0).tensor("b", {8}, 0, 0).data(64).bytes(),
        "tensor b does not start where the previous one ends (at 32)");
    row("data cut short", GgufBytes().tensor("w", {64}, 0, 0).data(100).bytes(),
        "lies outside the file");
    row("unreadable type",
        GgufBytes().tensor("blk.0.attn_q.weight", {256}, 11, 0).data(110).bytes(),
        "tensor blk.0.attn_q.weight: tensors of type Q3_K cannot be read");
    row("absurd shape",
        GgufBytes().tensor("w", {std::uint64_t{1} << 40, std::uint64_t{1} << 40}, 0, 0).bytes(),
        "absurdly large");
    row("five dimensions", GgufBytes().tensor("w", {1, 1, 1, 1, 1}, 0, 0).data(4).bytes(),
        "5 dimensions");
    row("rows off the block", GgufBytes().tensor("w", {33}, 8, 0).data(64).bytes(),
        "not a multiple of Q8_0's block of 32");
    row("key twice", GgufBytes().number("a", 1).number("a", 2).bytes(), "appears twice");
    row("tensor twice", GgufBytes().tensor("w", {8}, 0, 0).tensor("w", {8}, 0, 32).data(64).bytes(),
        "the tensor w appears twice");
    row("bad alignment", GgufBytes().number("general.alignment", 24).bytes(), "power of two");
    row("other architecture", GgufBytes().text("general.architecture", "mamba").bytes(),
        "the architecture 'mamba' is not supported");
    row("no tokenizer", GgufBytes().text("general.architecture", "llama").bytes(),
        "tokenizer.ggml.model");
    row("llama 3 pre-tokenizer",
        GgufBytes()
            .text("general.architecture", "gpt2")
            .text("tokenizer.ggml.model", "gpt2")
            .text("tokenizer.ggml.pre", "llama-bpe")
            .bytes(),
        "the pre-tokenizer 'llama-bpe' is not supported");
  }
  void brokenFilesGiveClearErrors() {
    QFETCH(QByteArray, bytes);
    QFETCH(QString, expected);
    const auto path = dir() / "broken.gguf";
    std::ofstream(path, std::ios::binary | std::ios::trunc).write(bytes.constData(), bytes.size());
    auto loaded = LanguageModel::load(path);
    QVERIFY(!loaded.ok());
    QVERIFY2(QString::fromStdString(loaded.error().message).contains(expected),
             loaded.error().message.c_str());
    QVERIFY2(loaded.error().message.find(path.string()) != std::string::npos,
             "the error names the file");
  }

  // A real file cut anywhere is refused, never read past its end.
  void truncatedFilesAreRefused() {
    std::ifstream in(file("llama", "q4_k"), std::ios::binary);
    const std::string whole{std::istreambuf_iterator<char>(in), {}};
    for (std::size_t cut : {std::size_t{3}, std::size_t{100}, whole.size() / 50, whole.size() / 2,
                            whole.size() - 1}) {
      const std::string part = whole.substr(0, cut);
      auto parsed =
          gguf::File::parse({reinterpret_cast<const std::uint8_t *>(part.data()), part.size()});
      QVERIFY2(!parsed.ok(), qPrintable(QString::number(cut)));
    }
  }
};

QTEST_GUILESS_MAIN(TestGguf)
#include "tst_gguf.moc"
