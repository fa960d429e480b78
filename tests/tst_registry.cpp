// The model registry: built-in models found beside the program, TorchScript files and
// language-model folders copied in with hashes, sizes and licences, kept across restarts,
// removed again; and the refusals (duplicate or invalid ids, missing manifests, files that are
// not models, damaged catalogues, built-ins).
#include "registry/model_registry.h"

#include <QTemporaryDir>
#include <QTest>

#include <fstream>

using namespace nesa;
using namespace nesa::registry;
namespace fs = std::filesystem;

namespace {

const char *kManifest = R"({"name": "Test net", "task": "classification", "input": "image",
  "inputShape": [1, 3, 8, 8], "labels": ["a", "b"], "licence": "MIT",
  "provenance": "written by tst_registry"})";

void write(const fs::path &file, const std::string &bytes) {
  fs::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << bytes;
}

std::string fakeTorchScript(char fill) {
  return std::string("PK\x03\x04", 4) + std::string(100, fill);
}

} // namespace

class TestRegistry : public QObject {
  Q_OBJECT
  QTemporaryDir m_dir;
  fs::path root() const { return m_dir.path().toStdString(); }
  fs::path userFolder() const { return root() / "user"; }
  fs::path builtIns() const { return root() / "builtin"; }
  Result<ModelRegistry> open() const { return ModelRegistry::open(userFolder(), {builtIns()}); }

private Q_SLOTS:
  void initTestCase() {
    write(builtIns() / "shipped.pt", fakeTorchScript('s'));
    write(builtIns() / "shipped.json", kManifest);
    write(builtIns() / "no-manifest.pt", fakeTorchScript('n')); // ignored: no manifest beside it
    write(root() / "mine.pt", fakeTorchScript('m'));
    write(root() / "mine.json", kManifest);
  }

  void listsBuiltInModels() {
    auto registry = open();
    QVERIFY2(registry.ok(), registry.ok() ? "" : registry.error().message.c_str());
    const auto all = registry->list();
    QCOMPARE(all.size(), std::size_t{1});
    QCOMPARE(all[0].id, std::string("shipped"));
    QCOMPARE(all[0].source, ModelSource::BuiltIn);
    QCOMPARE(all[0].licence, std::string("MIT"));
    QCOMPARE(all[0].bytes, std::uint64_t{104});
    QCOMPARE(all[0].sha256, *contentHash(builtIns() / "shipped.pt"));
    QCOMPARE(all[0].sha256.size(), std::size_t{64});
    QVERIFY(!registry->remove("shipped").ok());
  }

  void addsATorchScriptModelThatPersists() {
    {
      auto registry = open();
      QVERIFY(registry.ok());
      auto added = registry->addTorchScript(root() / "mine.pt", root() / "mine.json", "");
      QVERIFY2(added.ok(), added.ok() ? "" : added.error().message.c_str());
      QCOMPARE(added->id, std::string("mine"));
      QCOMPARE(added->sha256, *contentHash(root() / "mine.pt"));
      QVERIFY(added->path != root() / "mine.pt"); // a copy inside the registry
      QVERIFY(!added->added.empty());
    }
    fs::remove(root() / "mine.pt"); // the registry keeps its own copy
    auto reopened = open();
    QVERIFY(reopened.ok());
    auto found = reopened->find("mine");
    QVERIFY(found.ok());
    QCOMPARE(found->name, std::string("Test net"));
    QVERIFY(found->manifest.has_value());
    QCOMPARE(found->manifest->labels, (std::vector<std::string>{"a", "b"}));
    QCOMPARE(*reopened->verify("mine"), true);
    write(found->path, fakeTorchScript('x')); // tampered with
    QCOMPARE(*reopened->verify("mine"), false);
    write(root() / "mine.pt", fakeTorchScript('m'));
  }

  void refusesBadAdditions_data() {
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("manifest");
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("expected");
    QTest::newRow("duplicate id") << "mine.pt"
                                  << "mine.json"
                                  << "mine"
                                  << "already installed";
    QTest::newRow("built-in id") << "mine.pt"
                                 << "mine.json"
                                 << "shipped"
                                 << "already installed";
    QTest::newRow("invalid id") << "mine.pt"
                                << "mine.json"
                                << "../escape"
                                << "not a valid model id";
    QTest::newRow("no manifest") << "mine.pt"
                                 << ""
                                 << "other"
                                 << "needs a manifest";
    QTest::newRow("broken manifest") << "mine.pt"
                                     << "broken.json"
                                     << "other"
                                     << "not valid JSON";
    QTest::newRow("not torchscript") << "mine.json"
                                     << "mine.json"
                                     << "other"
                                     << "not a TorchScript file";
    QTest::newRow("missing file") << "absent.pt"
                                  << "mine.json"
                                  << "other"
                                  << "is not a file";
  }

  void refusesBadAdditions() {
    QFETCH(QString, file);
    QFETCH(QString, manifest);
    QFETCH(QString, id);
    QFETCH(QString, expected);
    write(root() / "broken.json", "{\"name\": ");
    auto registry = open();
    QVERIFY(registry.ok());
    const auto before = registry->list().size();
    auto added = registry->addTorchScript(
        root() / file.toStdString(),
        manifest.isEmpty() ? fs::path() : root() / manifest.toStdString(), id.toStdString());
    QVERIFY(!added.ok());
    QVERIFY2(added.error().message.find(expected.toStdString()) != std::string::npos,
             added.error().message.c_str());
    QCOMPARE(open()->list().size(), before);
    QVERIFY(!fs::exists(userFolder() / ".adding-other"));
  }

  void addsALanguageModelFolder() {
    const fs::path folder = root() / "Tiny-LM";
    write(folder / "config.json", R"({"model_type": "gpt2"})");
    write(folder / "tokenizer.json", "{}");
    write(folder / "model.safetensors", std::string(64, 'w'));
    write(folder / "README.md", "---\nlicense: apache-2.0\n---\n# Tiny\n");
    write(folder / "notes.bin", "not copied");
    auto registry = open();
    auto added = registry->addLanguageModel(folder, "");
    QVERIFY2(added.ok(), added.ok() ? "" : added.error().message.c_str());
    QCOMPARE(added->id, std::string("tiny-lm"));
    QCOMPARE(added->kind, ModelKind::LanguageModel);
    QCOMPARE(added->licence, std::string("apache-2.0"));
    QVERIFY(fs::exists(added->path / "model.safetensors"));
    QVERIFY(!fs::exists(added->path / "notes.bin"));
    QCOMPARE(*registry->verify("tiny-lm"), true);

    fs::remove(folder / "tokenizer.json");
    auto incomplete = registry->addLanguageModel(folder, "other");
    QVERIFY(!incomplete.ok());
    QVERIFY(incomplete.error().message.find("tokenizer.json") != std::string::npos);
  }

  // A GGUF file becomes a folder holding model.gguf; its header is read first.
  void addsAGgufFile() {
    auto text = [](const std::string &value) {
      const std::uint64_t length = value.size();
      return std::string(reinterpret_cast<const char *>(&length), 8) + value;
    };
    const std::uint32_t version = 3, stringType = 8;
    const std::uint64_t tensors = 0, keys = 2;
    std::string gguf = "GGUF";
    gguf += std::string(reinterpret_cast<const char *>(&version), 4);
    gguf += std::string(reinterpret_cast<const char *>(&tensors), 8);
    gguf += std::string(reinterpret_cast<const char *>(&keys), 8);
    for (const auto &[key, value] :
         {std::pair{"general.architecture", "llama"}, std::pair{"general.license", "mit"}})
      gguf += text(key) + std::string(reinterpret_cast<const char *>(&stringType), 4) + text(value);
    const fs::path file = root() / "Tiny-Q4.gguf";
    write(file, gguf);
    auto registry = open();
    auto added = registry->addGguf(file, "");
    QVERIFY2(added.ok(), added.ok() ? "" : added.error().message.c_str());
    QCOMPARE(added->id, std::string("tiny-q4"));
    QCOMPARE(added->kind, ModelKind::LanguageModel);
    QCOMPARE(added->name, std::string("tiny-q4 (llama, GGUF)"));
    QCOMPARE(added->licence, std::string("mit"));
    QVERIFY(fs::exists(added->path / "model.gguf"));
    QCOMPARE(*registry->verify("tiny-q4"), true);

    std::string mamba = gguf;
    mamba.replace(mamba.find("llama"), 5, "mamba");
    write(file, mamba);
    auto other = registry->addGguf(file, "other");
    QVERIFY(!other.ok());
    QVERIFY2(other.error().message.find("'mamba' is not supported") != std::string::npos,
             other.error().message.c_str());

    write(file, "GGML and something else");
    auto broken = registry->addGguf(file, "broken");
    QVERIFY(!broken.ok());
    QVERIFY2(broken.error().message.find("does not start with GGUF") != std::string::npos,
             broken.error().message.c_str());
    QVERIFY(!registry->find("broken").ok());
  }

  void removesAddedModels() {
    auto registry = open();
    QVERIFY(registry->remove("tiny-lm").ok());
    QVERIFY(!fs::exists(userFolder() / "tiny-lm"));
    QCOMPARE(registry->remove("tiny-lm").error().code, ErrorCode::NotFound);
    auto reopened = open();
    QVERIFY(!reopened->find("tiny-lm").ok());
    QVERIFY(reopened->find("mine").ok());
  }

  void damagedCatalogueIsAnError() {
    write(userFolder() / "catalogue.json", "{\"models\": [{\"id\": 3}]}");
    auto registry = open();
    QVERIFY(!registry.ok());
    QCOMPARE(registry.error().code, ErrorCode::Corrupt);
    QVERIFY(registry.error().message.find("catalogue.json") != std::string::npos);
  }

  // A size in the catalogue that is not a whole number of bytes is refused by name, never
  // converted (1e30 would be undefined behaviour as an integer, -1 would wrap around).
  void sizesThatAreNotWholeNumbersAreRefused_data() {
    QTest::addColumn<QString>("bytes");
    QTest::newRow("huge") << "1e30";
    QTest::newRow("negative") << "-1";
    QTest::newRow("fractional") << "2.5";
    QTest::newRow("text") << "\"12\"";
  }

  void sizesThatAreNotWholeNumbersAreRefused() {
    QFETCH(QString, bytes);
    write(userFolder() / "catalogue.json",
          R"({"models": [{"id": "lm", "kind": "language-model", "source": "user", "path": "lm",
              "name": "LM", "task": "text", "licence": "MIT", "sha256": "00", "added": "today",
              "bytes": )" +
              bytes.toStdString() + "}]}");
    auto registry = open();
    QVERIFY(!registry.ok());
    QCOMPARE(registry.error().code, ErrorCode::Corrupt);
    QVERIFY2(registry.error().message.find("not a whole number of bytes") != std::string::npos,
             registry.error().message.c_str());
  }

  // The same entry with a whole size opens (so the refusals above are the size's alone).
  void aWholeSizeOpens() {
    write(userFolder() / "catalogue.json",
          R"({"models": [{"id": "lm", "kind": "language-model", "source": "user", "path": "lm",
              "name": "LM", "task": "text", "licence": "MIT", "sha256": "00", "added": "today",
              "bytes": 12}]})");
    auto registry = open();
    QVERIFY2(registry.ok(), registry.ok() ? "" : registry.error().message.c_str());
    QCOMPARE(registry->find("lm")->bytes, std::uint64_t{12});
  }
};

QTEST_GUILESS_MAIN(TestRegistry)
#include "tst_registry.moc"
