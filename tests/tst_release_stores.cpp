// A newer version opens the stores of an older one (docs/install.md). Each folder under
// tests/data/stores/ holds the wallet, history and settings that release's own code wrote (this
// program's --write-fixtures DIR, run by that release), committed once and never regenerated; this
// test opens copies of them with today's code. A release that changes a store's schema adds a
// migration (docs/storage.md), and the stores of every earlier release must still open here.
#include "encrypted_history.h"
#include "util/config.h"
#include "util/secure_buffer.h"
#include "util/version.h"
#include "wallet/wallet.h"

#include <QCoreApplication>
#include <QDir>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using namespace nesa;

namespace {

// What every release's fixture holds: the devnet's public demo phrase (so no secret is
// committed) under this passphrase, one finished analysis, and settings changed from defaults.
constexpr const char *kPassphrase = "release fixture";
constexpr const char *kDemoPhrase =
    "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon "
    "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon "
    "abandon art";
// Account 0 of the demo phrase at m/44'/60'/0'/0/0 (docs/wallet.md).
constexpr const char *kDemoAddress = "0xF278cF59F82eDcf871d630F28EcC8056f25C1cdb";

Result<SecureBuffer> passphrase() { return SecureBuffer::copyOf(std::string_view(kPassphrase)); }

ui::AnalysisRecord fixtureRecord() {
  ui::AnalysisRecord record;
  record.finishedAt = QDateTime(QDate(2026, 12, 5), QTime(18, 0), QTimeZone::utc());
  record.input = QStringLiteral("/scans/ch2.nii.gz");
  record.model = QStringLiteral("brain-extraction");
  record.level = QStringLiteral("hss");
  record.ok = true;
  record.summary = QStringLiteral("brain: 1 751 408 voxels");
  record.receipt = QStringLiteral("2 miners, 20 checks passed, 200 µNES");
  record.costNes = 0.0002;
  record.miners = {QStringLiteral("miner-a"), QStringLiteral("miner-b")};
  return record;
}

/// Writes this release's stores into `dir` (which must not hold them yet).
int writeFixtures(const fs::path &dir) {
  fs::create_directories(dir);
  auto wallet = wallet::Wallet::create(dir / "wallet.db", *passphrase(), kDemoPhrase, true);
  if (!wallet) {
    std::fprintf(stderr, "wallet: %s\n", wallet.error().message.c_str());
    return 1;
  }
  app::EncryptedHistory history(dir / "history.db");
  if (const QString error = history.open(QString::fromLatin1(kPassphrase));
      !error.isEmpty() || !history.add(fixtureRecord()).isEmpty()) {
    std::fprintf(stderr, "history: %s\n", qPrintable(error));
    return 1;
  }
  Config config;
  config.language = "fr";
  config.devnetMiners = 3;
  if (auto saved = saveConfig(config, dir / "config.json"); !saved) {
    std::fprintf(stderr, "config: %s\n", saved.error().message.c_str());
    return 1;
  }
  std::ofstream(dir / "VERSION") << kVersion << '\n';
  std::printf("wrote the stores of %s into %s\n", kVersion, dir.c_str());
  return 0;
}

} // namespace

class TestReleaseStores : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void storesOfEveryReleaseOpen_data() {
    QTest::addColumn<QString>("folder");
    const QDir stores(QStringLiteral(NESA_RELEASE_STORES));
    const auto releases = stores.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    QVERIFY2(!releases.isEmpty(), "no release stores under tests/data/stores");
    for (const QString &release : releases)
      QTest::newRow(qPrintable(release)) << stores.filePath(release);
  }

  void storesOfEveryReleaseOpen() {
    QFETCH(QString, folder);
    QTemporaryDir scratch;
    QVERIFY(scratch.isValid());
    const fs::path copy = scratch.path().toStdString();
    // Opening may migrate a store in place: work on copies, never on the committed files.
    fs::copy(folder.toStdString(), copy,
             fs::copy_options::recursive | fs::copy_options::overwrite_existing);

    auto wallet = wallet::Wallet::open(copy / "wallet.db", *passphrase());
    QVERIFY2(wallet.ok(), wallet ? "" : wallet.error().message.c_str());
    QCOMPARE(wallet->accounts().size(), std::size_t(1));
    QCOMPARE(QString::fromStdString(wallet->accounts()[0].ethereumAddress),
             QString::fromLatin1(kDemoAddress));
    // And it stays usable: a new account is written into the (migrated) store and read back.
    QVERIFY(wallet->addAccount("added by " + std::string(kVersion)).ok());
    auto reopened = wallet::Wallet::open(copy / "wallet.db", *passphrase());
    QVERIFY(reopened.ok());
    QCOMPARE(reopened->accounts().size(), std::size_t(2));

    app::EncryptedHistory history(copy / "history.db");
    QCOMPARE(history.open(QString::fromLatin1(kPassphrase)), QString());
    const auto records = history.list({});
    QCOMPARE(records.size(), std::size_t(1));
    const auto expected = fixtureRecord();
    QCOMPARE(records[0].finishedAt, expected.finishedAt);
    QCOMPARE(records[0].input, expected.input);
    QCOMPARE(records[0].model, expected.model);
    QCOMPARE(records[0].level, expected.level);
    QCOMPARE(records[0].summary, expected.summary);
    QCOMPARE(records[0].receipt, expected.receipt);
    QCOMPARE(records[0].miners, expected.miners);
    QCOMPARE(history.add(expected), QString());

    auto config = loadConfig(copy / "config.json");
    QVERIFY2(config.ok(), config ? "" : config.error().message.c_str());
    QCOMPARE(QString::fromStdString(config->language), QStringLiteral("fr"));
    QCOMPARE(config->devnetMiners, 3);
  }
};

int main(int argc, char **argv) {
  if (argc == 3 && std::string_view(argv[1]) == "--write-fixtures")
    return writeFixtures(argv[2]);
  QCoreApplication app(argc, argv);
  TestReleaseStores test;
  return QTest::qExec(&test, argc, argv);
}

#include "tst_release_stores.moc"
