// EncryptedStore: round trips, encryption on disk, wrong passphrases, broken files, migrations.
#include "storage/encrypted_store.h"

#include <QTemporaryDir>
#include <QTest>

#include <sqlcipher/sqlite3.h>

#include <fstream>
#include <iterator>

using namespace nesa;
using namespace nesa::storage;
namespace fs = std::filesystem;

namespace {

const std::string kMarker = "PATIENT-NAME-Doe^Jane-7f3a9c";

const Schema kSchemaV1{
    {1, "notes table", "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);"}};
const Schema kSchemaV2{
    kSchemaV1[0],
    {2, "tags column", "ALTER TABLE notes ADD COLUMN tag TEXT NOT NULL DEFAULT 'none';"}};

SecureBuffer secret(std::string_view text) { return SecureBuffer::copyOf(text).value(); }

std::string fileBytes(const fs::path &path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

void writeBytes(const fs::path &path, const std::string &bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

Result<void> insertNote(EncryptedStore &store, std::int64_t id, const std::string &body) {
  auto insert = store.prepare("INSERT INTO notes (id, body) VALUES (?, ?);");
  if (!insert)
    return insert.error();
  return insert->bind(1, id).bind(2, body).run();
}

std::string readNote(EncryptedStore &store, std::int64_t id) {
  auto select = store.prepare("SELECT body FROM notes WHERE id = ?;");
  if (!select || !select->bind(1, id).step().value())
    return {};
  return select->columnText(0);
}

} // namespace

class TestEncryptedStore : public QObject {
  Q_OBJECT
  QTemporaryDir m_dir;
  fs::path path(const char *name) const { return fs::path(m_dir.path().toStdString()) / name; }
  const KdfParams kFast = KdfParams::forTestsOnly();

private Q_SLOTS:
  void roundTripsAcrossReopen() {
    const auto file = path("roundtrip.db");
    {
      auto store = EncryptedStore::create(file, secret("pass phrase"), kSchemaV1, kFast);
      QVERIFY2(store.ok(), store.ok() ? "" : store.error().message.c_str());
      QVERIFY(insertNote(*store, 1, kMarker).ok());
      QCOMPARE(store->schemaVersion(), 1);
    }
    auto reopened = EncryptedStore::open(file, secret("pass phrase"), kSchemaV1);
    QVERIFY2(reopened.ok(), reopened.ok() ? "" : reopened.error().message.c_str());
    QCOMPARE(QString::fromStdString(readNote(*reopened, 1)), QString::fromStdString(kMarker));
  }

  // The proof that matters: the plaintext is nowhere in the file, while the same data written
  // by the same engine without a key is (so this check would catch an unencrypted store).
  void fileOnDiskHoldsNoPlaintext() {
    const auto file = path("secret.db");
    {
      auto store = EncryptedStore::create(file, secret("pass phrase"), kSchemaV1, kFast);
      QVERIFY(store.ok());
      for (int i = 0; i < 50; ++i)
        QVERIFY(insertNote(*store, i, kMarker + std::to_string(i)).ok());
    }
    const std::string bytes = fileBytes(file);
    QVERIFY(bytes.size() > 1024);
    QVERIFY(bytes.find(kMarker) == std::string::npos);
    QVERIFY(bytes.find("CREATE TABLE") == std::string::npos);
    QVERIFY(bytes.find("SQLite format 3") == std::string::npos);

    const auto control = path("control-plain.db");
    sqlite3 *db = nullptr;
    QCOMPARE(sqlite3_open(control.c_str(), &db), SQLITE_OK);
    const std::string sql = "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);"
                            "INSERT INTO notes VALUES (1, '" +
                            kMarker + "');";
    QCOMPARE(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
    QVERIFY(fileBytes(control).find(kMarker) != std::string::npos);
  }

  void wrongPassphraseIsAClearError() {
    const auto file = path("locked.db");
    {
      auto store = EncryptedStore::create(file, secret("right"), kSchemaV1, kFast);
      QVERIFY(store.ok());
      QVERIFY(insertNote(*store, 1, "kept").ok());
    }
    const auto before = fileBytes(file);
    auto store = EncryptedStore::open(file, secret("wrong"), kSchemaV1);
    QVERIFY(!store.ok());
    QCOMPARE(store.error().code, ErrorCode::WrongPassphrase);
    QVERIFY(QString::fromStdString(store.error().message).contains(QStringLiteral("passphrase")));
    QCOMPARE(fileBytes(file), before); // a failed open loses and changes nothing
    auto again = EncryptedStore::open(file, secret("right"), kSchemaV1);
    QVERIFY(again.ok());
    QCOMPARE(QString::fromStdString(readNote(*again, 1)), QStringLiteral("kept"));
  }

  void createRefusesToOverwrite() {
    const auto file = path("exists.db");
    QVERIFY(EncryptedStore::create(file, secret("a"), kSchemaV1, kFast).ok());
    auto second = EncryptedStore::create(file, secret("b"), kSchemaV1, kFast);
    QVERIFY(!second.ok());
    QCOMPARE(second.error().code, ErrorCode::AlreadyExists);
    QVERIFY(EncryptedStore::open(file, secret("a"), kSchemaV1).ok());
  }

  void emptyPassphraseIsRefused() {
    auto store = EncryptedStore::create(path("nopass.db"), SecureBuffer(), kSchemaV1, kFast);
    QVERIFY(!store.ok());
    QCOMPARE(store.error().code, ErrorCode::InvalidInput);
    QVERIFY(!fs::exists(path("nopass.db")));
  }

  void missingFileIsNotFound() {
    auto store = EncryptedStore::open(path("absent.db"), secret("x"), kSchemaV1);
    QVERIFY(!store.ok());
    QCOMPARE(store.error().code, ErrorCode::NotFound);
    QVERIFY(!fs::exists(path("absent.db"))); // open never creates
  }

  void brokenFilesAreRefused_data() {
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<int>("code");
    QTest::newRow("empty") << QByteArray() << int(ErrorCode::Corrupt);
    QTest::newRow("truncated") << QByteArray("0123456789") << int(ErrorCode::Corrupt);
    QByteArray garbage(4096, 'g');
    garbage[14] = 3;  // plausible Argon2id passes
    garbage[15] = 13; // plausible memory, so the key is derived and the HMAC check fails
    QTest::newRow("random bytes") << garbage << int(ErrorCode::WrongPassphrase);
    QTest::newRow("bad kdf header") << QByteArray(4096, '\xff') << int(ErrorCode::Corrupt);
  }

  void brokenFilesAreRefused() {
    QFETCH(QByteArray, content);
    QFETCH(int, code);
    const auto file = path("broken.db");
    writeBytes(file, content.toStdString());
    auto store = EncryptedStore::open(file, secret("x"), kSchemaV1);
    QVERIFY(!store.ok());
    QCOMPARE(int(store.error().code), code);
    QCOMPARE(QByteArray::fromStdString(fileBytes(file)), content);
  }

  void plainSqliteIsNamedAsSuch() {
    const auto file = path("plain.db");
    sqlite3 *db = nullptr;
    QCOMPARE(sqlite3_open(file.c_str(), &db), SQLITE_OK);
    QCOMPARE(sqlite3_exec(db, "CREATE TABLE t (x);", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
    auto store = EncryptedStore::open(file, secret("x"), kSchemaV1);
    QVERIFY(!store.ok());
    QVERIFY(QString::fromStdString(store.error().message).contains(QStringLiteral("unencrypted")));
  }

  void tamperedPageIsDetected() {
    const auto file = path("tampered.db");
    {
      auto store = EncryptedStore::create(file, secret("p"), kSchemaV1, kFast);
      for (int i = 0; i < 200; ++i)
        QVERIFY(insertNote(*store, i, std::string(100, 'a' + i % 26)).ok());
    }
    std::string bytes = fileBytes(file);
    QVERIFY(bytes.size() > 4 * 1024);
    bytes[3 * 1024 + 100] ^= 0x01; // one bit in a data page
    writeBytes(file, bytes);
    auto store = EncryptedStore::open(file, secret("p"), kSchemaV1);
    if (!store.ok())
      return; // refused at open: fine
    auto count = store->prepare("SELECT count(*), sum(length(body)) FROM notes;");
    QVERIFY(count.ok());
    QVERIFY2(!count->step().ok(), "a flipped bit was read back without an error");
  }

  void migrationsApplyOnOpen() {
    const auto file = path("migrate.db");
    {
      auto v1 = EncryptedStore::create(file, secret("p"), kSchemaV1, kFast);
      QVERIFY(insertNote(*v1, 1, "old").ok());
    }
    auto v2 = EncryptedStore::open(file, secret("p"), kSchemaV2);
    QVERIFY2(v2.ok(), v2.ok() ? "" : v2.error().message.c_str());
    QCOMPARE(v2->schemaVersion(), 2);
    auto tag = v2->prepare("SELECT tag FROM notes WHERE id = 1;");
    QVERIFY(tag->step().value());
    QCOMPARE(QString::fromStdString(tag->columnText(0)), QStringLiteral("none"));
  }

  void newerStoreIsRefusedNotDowngraded() {
    const auto file = path("newer.db");
    QVERIFY(EncryptedStore::create(file, secret("p"), kSchemaV2, kFast).ok());
    auto old = EncryptedStore::open(file, secret("p"), kSchemaV1);
    QVERIFY(!old.ok());
    QVERIFY(QString::fromStdString(old.error().message).contains(QStringLiteral("newer")));
    auto current = EncryptedStore::open(file, secret("p"), kSchemaV2);
    QVERIFY(current.ok());
    QCOMPARE(current->schemaVersion(), 2);
  }

  void failedMigrationRollsBack() {
    const auto file = path("failing.db");
    {
      auto v1 = EncryptedStore::create(file, secret("p"), kSchemaV1, kFast);
      QVERIFY(insertNote(*v1, 1, "survives").ok());
    }
    const Schema broken{kSchemaV1[0],
                        {2, "broken step", "ALTER TABLE notes ADD COLUMN x; SELEC nonsense;"}};
    auto failed = EncryptedStore::open(file, secret("p"), broken);
    QVERIFY(!failed.ok());
    QVERIFY(QString::fromStdString(failed.error().message).contains(QStringLiteral("broken step")));
    auto v1 = EncryptedStore::open(file, secret("p"), kSchemaV1);
    QVERIFY(v1.ok());
    QCOMPARE(v1->schemaVersion(), 1);
    QCOMPARE(QString::fromStdString(readNote(*v1, 1)), QStringLiteral("survives"));
    QVERIFY(!v1->prepare("SELECT x FROM notes;").ok()); // the half-applied column is gone
  }

  void transactionRollsBackOnError() {
    auto store = EncryptedStore::create(path("tx.db"), secret("p"), kSchemaV1, kFast);
    auto result = store->transaction([&]() -> Result<void> {
      if (auto r = insertNote(*store, 1, "never committed"); !r)
        return r;
      return fail(ErrorCode::InvalidInput, "changed my mind");
    });
    QVERIFY(!result.ok());
    QVERIFY(readNote(*store, 1).empty());
    QVERIFY(store->transaction([&] { return insertNote(*store, 2, "committed"); }).ok());
    QCOMPARE(QString::fromStdString(readNote(*store, 2)), QStringLiteral("committed"));
  }

  void constraintViolationIsAnError() {
    auto store = EncryptedStore::create(path("constraint.db"), secret("p"), kSchemaV1, kFast);
    QVERIFY(insertNote(*store, 1, "a").ok());
    auto duplicate = insertNote(*store, 1, "b");
    QVERIFY(!duplicate.ok());
    QCOMPARE(duplicate.error().code, ErrorCode::InvalidInput);
  }

  void saltRecordsKdfParameters() {
    const auto salt = makeSalt({4, 15});
    QVERIFY(salt.ok());
    auto params = paramsFromSalt(*salt);
    QCOMPARE(int(params->passes), 4);
    QCOMPARE(int(params->memoryLog2KiB), 15);
    QVERIFY(!makeSalt({0, 15}).ok());
    QVERIFY(!makeSalt({3, 30}).ok());
    QVERIFY(!(*makeSalt({3, 16}) == *makeSalt({3, 16}))); // random part differs
  }

  void keyDerivationIsDeterministicPerSalt() {
    const auto salt = *makeSalt(KdfParams::forTestsOnly());
    auto a = deriveStoreKey(secret("pw"), salt);
    auto b = deriveStoreKey(secret("pw"), salt);
    auto c = deriveStoreKey(secret("pW"), salt);
    QVERIFY(a.ok() && b.ok() && c.ok());
    QCOMPARE(a->size(), std::size_t{32});
    QVERIFY(a->equals(*b));
    QVERIFY(!a->equals(*c));
  }
};

QTEST_GUILESS_MAIN(TestEncryptedStore)
#include "tst_encrypted_store.moc"
