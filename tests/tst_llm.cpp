// Native language models: loading Hugging Face folders (and refusing broken ones), tokenizers,
// and exactness of every privacy level against local for tiny GPT-2 and Llama models, plus the
// honesty tests of docs/privacy.md (what EE does not hide).
#include "llm/document_tasks.h"
#include "llm/internal/language_model_impl.h"
#include "llm/internal/safetensors.h"
#include "llm/internal/transformer.h"
#include "llm/language_model.h"
#include "test_miners.h"
#include "test_tensors.h"
#include "tiny_language_models.h"

#include <ATen/ATen.h>
#include <QTemporaryDir>
#include <QTest>

#include <fstream>
#include <map>

using namespace nesa;
using namespace nesa::llm;
namespace fs = std::filesystem;

namespace {

void copyFolder(const fs::path &from, const fs::path &to) {
  fs::create_directories(to);
  for (const auto &entry : fs::directory_iterator(from))
    fs::copy_file(entry.path(), to / entry.path().filename());
}

std::string readText(const fs::path &file) {
  std::ifstream in(file);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

} // namespace

class TestLlm : public QObject {
  Q_OBJECT
  QTemporaryDir m_dir;
  std::map<std::string, fs::path> m_folders;
  std::map<std::string, std::shared_ptr<LanguageModel>> m_models;

  fs::path dir() const { return m_dir.path().toStdString(); }
  const LanguageModel &lm(const std::string &name) { return *m_models.at(name); }

private Q_SLOTS:
  void initTestCase() {
    m_folders["gpt2"] = dir() / "gpt2";
    m_folders["llama"] = dir() / "llama";
    testing::writeTinyGpt2(m_folders["gpt2"]);
    testing::writeTinyLlama(m_folders["llama"]);
    for (const auto &[name, folder] : m_folders) {
      auto loaded = LanguageModel::load(folder);
      QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.error().message.c_str());
      m_models[name] = std::make_shared<LanguageModel>(*loaded);
    }
    QCOMPARE(lm("llama").config().family, Family::Llama);
    QCOMPARE(lm("llama").config().kvHeads, std::int64_t{2});
    QCOMPARE(lm("gpt2").bundle().ops.size(), std::size_t{2 * 4 + 1});
  }

  void tokenizersRoundTrip_data() {
    QTest::addColumn<QString>("model");
    QTest::newRow("gpt2") << "gpt2";
    QTest::newRow("llama") << "llama";
  }
  void tokenizersRoundTrip() {
    QFETCH(QString, model);
    const auto &t = lm(model.toStdString()).tokenizer();
    const std::string text = "the cat and the hat, in 1999: Ça va?  Yes!\nthe end";
    auto ids = t.encode(text);
    QVERIFY2(ids.ok(), ids.ok() ? "" : ids.error().message.c_str());
    QVERIFY(ids->size() < text.size()); // the merges did something
    QCOMPARE(QString::fromStdString(t.decode(*ids)), QString::fromStdString(text));
  }

  void specialTokensAreOneId() {
    const auto &t = lm("gpt2").tokenizer();
    auto word = t.encode("the");
    auto ids = t.encode("the<|endoftext|>the");
    QVERIFY(ids.ok() && word.ok());
    QCOMPARE(ids->size(), 2 * word->size() + 1);
    QCOMPARE((*ids)[word->size()], *t.addedToken("<|endoftext|>"));
  }

  void brokenTokenizersAreRefused() {
    auto gpt2 = readText(m_folders["gpt2"] / "tokenizer.json");
    QVERIFY(!Tokenizer::parse("{not json").ok());
    auto unknownPiece = gpt2;
    const auto at = unknownPiece.find("\"merges\"");
    QVERIFY(at != std::string::npos);
    unknownPiece.insert(unknownPiece.find('[', at) + 1, "\"zz qq\",");
    auto parsed = Tokenizer::parse(unknownPiece);
    QVERIFY(!parsed.ok());
    QVERIFY2(parsed.error().message.find("unknown piece") != std::string::npos,
             parsed.error().message.c_str());
    auto fractionalId = R"({"model": {"type": "BPE", "vocab": {"a": 1e30}, "merges": []}})";
    QVERIFY(Tokenizer::parse(fractionalId).error().message.find("not a whole number") !=
            std::string::npos);
    auto fractionalAdded = R"({"model": {"type": "BPE", "vocab": {"a": 0}, "merges": []},
                               "added_tokens": [{"id": 2.5, "content": "<x>"}]})";
    QVERIFY(Tokenizer::parse(fractionalAdded).error().message.find("not a whole number") !=
            std::string::npos);
    auto wordLevel = R"({"model": {"type": "WordLevel", "vocab": {}}})";
    QVERIFY(Tokenizer::parse(wordLevel).error().message.find("BPE") != std::string::npos);
  }

  void brokenFoldersAreRefused() {
    // Malformed config.json.
    const auto bad = dir() / "bad-config";
    copyFolder(m_folders["gpt2"], bad);
    std::ofstream(bad / "config.json") << R"({"model_type": "gpt2", "n_embd": -3})";
    auto loaded = LanguageModel::load(bad);
    QVERIFY(!loaded.ok());
    QVERIFY2(loaded.error().message.find("config.json") != std::string::npos,
             loaded.error().message.c_str());
    std::ofstream(bad / "config.json")
        << R"({"model_type": "gpt2", "vocab_size": 50, "n_embd": 4611686018427387904})"; // 4·n_embd
                                                                                         // overflows
    loaded = LanguageModel::load(bad);
    QVERIFY2(!loaded.ok() && loaded.error().message.find("up to 2^30") != std::string::npos,
             loaded.ok() ? "loaded" : loaded.error().message.c_str());
    std::ofstream(bad / "config.json") << R"({"model_type": "bert"})";
    QVERIFY(LanguageModel::load(bad).error().message.find("bert") != std::string::npos);
    // Truncated safetensors.
    const auto cut = dir() / "truncated";
    copyFolder(m_folders["llama"], cut);
    fs::resize_file(cut / "model.safetensors", fs::file_size(cut / "model.safetensors") / 2);
    loaded = LanguageModel::load(cut);
    QVERIFY(!loaded.ok());
    QCOMPARE(loaded.error().code, ErrorCode::Corrupt);
    QVERIFY2(loaded.error().message.find("truncated") != std::string::npos,
             loaded.error().message.c_str());
    fs::resize_file(cut / "model.safetensors", 5);
    QCOMPARE(LanguageModel::load(cut).error().code, ErrorCode::Corrupt);
    // A fractional size in a safetensors header.
    const std::string header =
        R"({"w": {"dtype": "F32", "shape": [1e30], "data_offsets": [0, 4]}})";
    std::string file(8, '\0');
    for (int i = 0; i < 8; ++i)
      file[static_cast<std::size_t>(i)] = static_cast<char>((header.size() >> (8 * i)) & 0xff);
    std::ofstream(dir() / "fractional.safetensors", std::ios::binary)
        << file << header << std::string(4, '\0');
    auto fractional = readSafetensors(dir() / "fractional.safetensors");
    QVERIFY2(!fractional.ok() &&
                 fractional.error().message.find("not a whole number") != std::string::npos,
             fractional.ok() ? "read" : fractional.error().message.c_str());
    // A tensor missing.
    const auto missing = dir() / "missing";
    copyFolder(m_folders["gpt2"], missing);
    auto tensors = readSafetensors(missing / "model.safetensors");
    QVERIFY(tensors.ok());
    tensors->erase("h.1.mlp.c_fc.weight");
    QVERIFY(writeSafetensors(missing / "model.safetensors", *tensors).ok());
    loaded = LanguageModel::load(missing);
    QVERIFY(!loaded.ok());
    QVERIFY(loaded.error().message.find("h.1.mlp.c_fc.weight") != std::string::npos);
  }

  void levelsEqualLocal_data() {
    QTest::addColumn<QString>("model");
    QTest::addColumn<int>("level");
    for (const char *name : {"gpt2", "llama"})
      for (auto level :
           {privacy::PrivacyLevel::Ee, privacy::PrivacyLevel::Hss, privacy::PrivacyLevel::HssEe})
        QTest::addRow("%s %s", name, privacy::privacyLevelName(level))
            << QString(name) << int(level);
  }
  void levelsEqualLocal() {
    QFETCH(QString, model);
    QFETCH(int, level);
    const auto &m = lm(model.toStdString());
    auto prompt = m.tokenizer().encode("the cat and the hat");
    QVERIFY(prompt.ok());
    RunSetup local;
    local.options.level = privacy::PrivacyLevel::Local;
    auto expected = m.logits(*prompt, local);
    QVERIFY2(expected.ok(), expected.ok() ? "" : expected.error().message.c_str());
    privacy::Engine engine(testing::honestPool(3));
    RunSetup setup{&engine, {}};
    setup.options.level = static_cast<privacy::PrivacyLevel>(level);
    setup.options.key = testing::freshEeKey();
    auto got = m.logits(*prompt, setup);
    QVERIFY2(got.ok(), got.ok() ? "" : got.error().message.c_str());
    const double error = testing::relativeError(got->logits, expected->logits);
    QVERIFY2(error <= 1e-4, qPrintable(QStringLiteral("relative error %1").arg(error)));
    QCOMPARE(got->report.checksFailed, 0);
    QCOMPARE(static_cast<int>(got->report.calls.size()), static_cast<int>(m.bundle().ops.size()));

    GenerationOptions greedy;
    greedy.maxNewTokens = 8;
    greedy.stopAtEos = false;
    auto reference = m.generate(*prompt, greedy, local);
    auto generated = m.generate(*prompt, greedy, setup);
    QVERIFY(reference.ok() && generated.ok());
    QCOMPARE(generated->tokens, reference->tokens);
    QCOMPARE(generated->tokens.size(), std::size_t{8});
    // The KV cache: one call per op for each new token after the prompt's pass.
    QCOMPARE(static_cast<int>(generated->report.calls.size()),
             8 * static_cast<int>(m.bundle().ops.size()));
  }

  // Document tasks: a long text is chunked to the context, and the hss-ee answers equal local.
  void documentTasksAtEveryLevel() {
    const auto &m = lm("gpt2");
    std::string document;
    for (int i = 0; i < 40; ++i)
      document += "the cat and the hat sat on the mat in the sun. ";
    RunSetup local;
    local.options.level = privacy::PrivacyLevel::Local;
    privacy::Engine engine(testing::honestPool(2));
    RunSetup hssEe{&engine, {}};
    hssEe.options.level = privacy::PrivacyLevel::HssEe;
    hssEe.options.key = testing::freshEeKey();
    int progress = 0;
    std::string pieces;
    auto a = summarize(m, document, local, 8, [&](int done, int, const std::string &piece) {
      progress = done;
      pieces += piece;
    });
    auto b = summarize(m, document, hssEe, 8);
    QVERIFY2(a.ok(), a.ok() ? "" : a.error().message.c_str());
    QVERIFY(b.ok());
    QVERIFY(a->chunks > 1);
    QCOMPARE(progress, a->chunks);
    QCOMPARE(pieces, a->text); // the streamed pieces make up the summary
    QCOMPARE(QString::fromStdString(b->text), QString::fromStdString(a->text));
    QVERIFY(b->report.checksPassed > 0);
    const std::vector<std::string> labels{"contract", "invoice", "letter"};
    auto x = classify(m, document, labels, local);
    auto y = classify(m, document, labels, hssEe);
    QVERIFY(x.ok() && y.ok());
    QCOMPARE(x->scores.size(), labels.size());
    double total = 0;
    for (std::size_t i = 0; i < labels.size(); ++i) {
      QCOMPARE(y->scores[i].label, x->scores[i].label);
      QVERIFY(std::abs(y->scores[i].probability - x->scores[i].probability) < 1e-4);
      total += x->scores[i].probability;
    }
    // Every chunk's and every label's calls are in the report.
    QVERIFY(static_cast<int>(b->report.calls.size()) > 8 * static_cast<int>(m.bundle().ops.size()));
    QCOMPARE(static_cast<int>(y->report.calls.size()), 3 * static_cast<int>(m.bundle().ops.size()));
    QVERIFY(std::abs(total - 1) < 1e-9);
    QVERIFY(!classify(m, document, {"only"}, local).ok());
    QVERIFY(!summarize(m, "", local).ok());
  }

  void samplingIsSeeded() {
    const auto &m = lm("gpt2");
    RunSetup local;
    local.options.level = privacy::PrivacyLevel::Local;
    GenerationOptions sampled;
    sampled.maxNewTokens = 12;
    sampled.stopAtEos = false;
    sampled.sampling = {1.0, 50, 42};
    auto a = m.generate({10, 20, 30}, sampled, local);
    auto b = m.generate({10, 20, 30}, sampled, local);
    sampled.sampling.seed = 43;
    auto c = m.generate({10, 20, 30}, sampled, local);
    QVERIFY(a.ok() && b.ok() && c.ok());
    QCOMPARE(a->tokens, b->tokens);
    QVERIFY(a->tokens != c->tokens);
    QVERIFY(!m.generate({}, sampled, local).ok());
    QVERIFY(!m.generate({100000}, sampled, local).ok());
    QVERIFY(!m.generate(std::vector<std::int64_t>(64, 5), sampled, local).ok()); // no room left
  }

  void keyedModelDiffersInEveryTensor_data() {
    QTest::addColumn<QString>("model");
    QTest::newRow("gpt2") << "gpt2";
    QTest::newRow("llama") << "llama";
  }
  void keyedModelDiffersInEveryTensor() {
    QFETCH(QString, model);
    const auto &m = lm(model.toStdString());
    const auto keyed = m.keyed(*testing::freshEeKey());
    QVERIFY(keyed.isKeyed() && !m.isKeyed());
    QVERIFY(keyed.bundleId() != m.bundleId());
    const auto &a = m.impl().weights, &b = keyed.impl().weights;
    for (std::size_t i = 0; i < a.opWeight.size(); ++i) {
      QCOMPARE(a.opWeight[i].sizes(), b.opWeight[i].sizes());
      QVERIFY2((a.opWeight[i] - b.opWeight[i]).abs().max().item<double>() > 1e-3,
               qPrintable(QStringLiteral("op %1 unchanged").arg(i)));
    }
    QVERIFY((a.embed - b.embed).abs().max().item<double>() > 1e-3);
    if (a.config.family == Family::Gpt2) {
      QVERIFY((a.positions - b.positions).abs().max().item<double>() > 1e-3);
      for (std::size_t l = 0; l < a.layers.size(); ++l)
        QVERIFY((a.layers[l].norm1Weight - b.layers[l].norm1Weight).abs().max().item<double>() > 0);
    }
  }

  // Decoding a keyed model's logits with another key's vocabulary permutation gives garbage:
  // the argmax token differs almost everywhere.
  void wrongKeyGivesGarbage() {
    const auto &m = lm("llama");
    // Fixed keys: with fresh ones, one wrong permutation in a few hundred maps a token that the
    // model predicts twice onto itself, and the check below failed by chance once in CI.
    auto right = m.keyed(*testing::fixedEeKey(1));
    auto wrong = m.keyed(*testing::fixedEeKey(2));
    const std::vector<std::int64_t> ids{5, 40, 77, 120, 33, 9, 250, 18};
    KvCache cache;
    const auto &w = right.impl().weights;
    auto keyedLogits =
        forward(w, at::tensor(w.vocabPerm, at::kLong).index_select(0, at::tensor(ids, at::kLong)),
                cache, false);
    const auto decode = [&](const std::vector<std::int64_t> &perm) {
      return keyedLogits.index_select(-1, at::tensor(perm, at::kLong)).argmax(-1);
    };
    RunSetup local;
    local.options.level = privacy::PrivacyLevel::Local;
    auto expected = m.logits(ids, local);
    auto truth = at::from_blob(expected->logits.bytes.data(), {8, m.config().vocabSize}, at::kFloat)
                     .argmax(-1);
    QVERIFY(at::equal(decode(w.vocabPerm), truth));
    const auto agree = (decode(wrong.impl().weights.vocabPerm) == truth).sum().item<int>();
    QVERIFY2(agree <= 1, qPrintable(QStringLiteral("%1 of 8 tokens agree").arg(agree)));
  }

  // docs/privacy.md: a miner who knows the public weights recovers the vocabulary and hidden
  // permutations of a keyed GPT-2 by matching sorted rows and columns.
  void publicWeightsRevealTheGpt2Permutations() {
    const auto &m = lm("gpt2");
    const auto keyed = m.keyed(*testing::freshEeKey());
    const auto original = m.impl().weights.opWeight.back(); // LM head [V, H]
    const auto transformed = keyed.impl().weights.opWeight.back();
    const auto V = original.size(0), H = original.size(1);
    // Each row keeps its multiset of values: sort and match.
    auto sortedOriginal = std::get<0>(original.sort(1)),
         sortedKeyed = std::get<0>(transformed.sort(1));
    auto distances = at::cdist(sortedKeyed, sortedOriginal);
    auto rowMatch = distances.argmin(1); // keyed row r came from original row rowMatch[r]
    int vocabRecovered = 0;
    const auto &perm = keyed.impl().weights.vocabPerm;
    for (std::int64_t t = 0; t < V; ++t)
      vocabRecovered += rowMatch[perm[static_cast<std::size_t>(t)]].item<std::int64_t>() == t;
    // With rows aligned, each keyed column is an original column: match them too.
    auto aligned = original.index_select(0, rowMatch);
    auto columnMatch = at::cdist(transformed.t().contiguous(), aligned.t().contiguous()).argmin(1);
    auto rebuilt = aligned.index_select(1, columnMatch);
    const double residual = (rebuilt - transformed).abs().max().item<double>();
    qInfo("GPT-2 keyed head: %d of %lld vocabulary positions recovered, hidden permutation "
          "residual %g (%lld dims)",
          vocabRecovered, static_cast<long long>(V), residual, static_cast<long long>(H));
    QCOMPARE(vocabRecovered, static_cast<int>(V));
    QVERIFY(residual < 1e-5);
  }

  // ... and for Llama the rotation does not help either: row norms give the vocabulary
  // permutation, least squares the rotation.
  void publicWeightsRevealTheLlamaRotation() {
    const auto &m = lm("llama");
    const auto keyed = m.keyed(*testing::freshEeKey());
    const auto original = m.impl().weights.embed.to(at::kDouble);
    const auto transformed = keyed.impl().weights.embed.to(at::kDouble);
    auto norms = original.norm(2, 1), keyedNorms = transformed.norm(2, 1);
    auto rowMatch = (keyedNorms.unsqueeze(1) - norms.unsqueeze(0)).abs().argmin(1);
    const auto &perm = keyed.impl().weights.vocabPerm;
    int recovered = 0;
    for (std::size_t t = 0; t < perm.size(); ++t)
      recovered += rowMatch[perm[t]].item<std::int64_t>() == static_cast<std::int64_t>(t);
    auto aligned = original.index_select(0, rowMatch);
    auto solution = at::linalg_lstsq(aligned, transformed);
    auto rotation = std::get<0>(solution); // E Rᵀ = E'
    const double residual =
        (at::matmul(aligned, rotation) - transformed).abs().max().item<double>();
    qInfo("Llama keyed embedding: %d of %zu vocabulary positions recovered from row norms, "
          "rotation fitted with residual %g",
          recovered, perm.size(), residual);
    QVERIFY(recovered >= static_cast<int>(perm.size()) * 95 / 100);
    QVERIFY(residual < 1e-4);
  }

  // A permuted token stream is a substitution cipher: frequency analysis against another text
  // decodes a share of it. Reported as a figure (docs/privacy.md).
  void frequencyAnalysisOfPermutedTokens() {
    const fs::path reference = "/usr/share/common-licenses/GPL-3";
    const fs::path target = "/usr/share/common-licenses/Apache-2.0";
    // base-files is an essential Debian package: these texts are on every Debian machine.
    QVERIFY2(fs::exists(reference) && fs::exists(target),
             "the licence texts of Debian's base-files are missing");
    const auto &m = lm("gpt2");
    const auto keyed = m.keyed(*testing::freshEeKey());
    const auto &perm = keyed.impl().weights.vocabPerm;
    auto known = m.tokenizer().encode(readText(reference));
    auto secret = m.tokenizer().encode(readText(target));
    QVERIFY(known.ok() && secret.ok());
    const auto V = static_cast<std::size_t>(m.config().vocabSize);
    std::vector<std::pair<int, std::int64_t>> knownCounts(V), seenCounts(V);
    for (std::size_t i = 0; i < V; ++i)
      knownCounts[i] = seenCounts[i] = {0, static_cast<std::int64_t>(i)};
    for (auto id : *known)
      ++knownCounts[static_cast<std::size_t>(id)].first;
    for (auto id : *secret) // what an observer of the keyed ids sees
      ++seenCounts[static_cast<std::size_t>(perm[static_cast<std::size_t>(id)])].first;
    std::sort(knownCounts.rbegin(), knownCounts.rend());
    std::sort(seenCounts.rbegin(), seenCounts.rend());
    std::vector<std::int64_t> guess(V);
    for (std::size_t r = 0; r < V; ++r)
      guess[static_cast<std::size_t>(seenCounts[r].second)] = knownCounts[r].second;
    std::size_t right = 0;
    for (auto id : *secret)
      right += guess[static_cast<std::size_t>(perm[static_cast<std::size_t>(id)])] == id;
    const double share = static_cast<double>(right) / static_cast<double>(secret->size());
    qInfo("frequency analysis decodes %.1f%% of %zu permuted tokens (chance: %.2f%%)", 100 * share,
          secret->size(), 100.0 / static_cast<double>(V));
    QVERIFY(share > 10.0 / static_cast<double>(V)); // far better than chance: a real leak
  }
};

QTEST_GUILESS_MAIN(TestLlm)
#include "tst_llm.moc"
