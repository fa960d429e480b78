// storage: what encryption costs. The baseline is plaintext SQLite from the very same engine
// (SQLCipher without a key) with the same page size, so the ratio isolates the cryptography.
#include "harness.h"
#include "storage/encrypted_store.h"
#include "suites/or_die.h"
#include "suites/suites.h"

#include <sqlcipher/sqlite3.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <vector>

namespace nesa::bench {
namespace {

namespace fs = std::filesystem;
using storage::EncryptedStore;

constexpr int kRows = 1000;
constexpr const char *kSchemaSql =
    "CREATE TABLE IF NOT EXISTS records (id INTEGER PRIMARY KEY, payload BLOB NOT NULL);";

// This suite's fixtures: exit with a message when their setup fails.
template <typename T> T orDie(Result<T> result, const char *what) {
  return bench::orDie(std::move(result), "storage", what);
}

void orDie(Result<void> result, const char *what) {
  if (!result) {
    std::cerr << "storage suite: " << what << ": " << result.error().message << '\n';
    std::exit(1);
  }
}

void sqliteOrDie(sqlite3 *db, int rc, const char *what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    std::cerr << "storage suite: " << what << ": " << sqlite3_errmsg(db) << '\n';
    std::exit(1);
  }
}

struct Fixture {
  fs::path dir;
  SecureBuffer passphrase;
  std::unique_ptr<EncryptedStore> encrypted;
  sqlite3 *plain = nullptr;
  std::vector<std::uint8_t> payload = std::vector<std::uint8_t>(256, 0x5a);

  ~Fixture() {
    encrypted.reset();
    sqlite3_close_v2(plain);
    std::error_code ec;
    fs::remove_all(dir, ec);
  }

  fs::path encryptedPath() const { return dir / "encrypted.db"; }
  fs::path plainPath() const { return dir / "plain.db"; }
};

std::shared_ptr<Fixture> makeFixture() {
  auto f = std::make_shared<Fixture>();
  f->dir = fs::temp_directory_path() / ("nesa-bench-storage-" + std::to_string(::getpid()));
  fs::create_directories(f->dir);
  f->passphrase =
      orDie(SecureBuffer::copyOf(std::string_view("correct horse battery staple")), "passphrase");
  const storage::Schema schema{{1, "records", kSchemaSql}};
  f->encrypted = std::make_unique<EncryptedStore>(
      orDie(EncryptedStore::create(f->encryptedPath(), f->passphrase, schema), "create store"));
  sqliteOrDie(f->plain, sqlite3_open(f->plainPath().c_str(), &f->plain), "open plain db");
  sqliteOrDie(f->plain,
              sqlite3_exec(f->plain, "PRAGMA page_size = 1024;", nullptr, nullptr, nullptr),
              "page size");
  sqliteOrDie(f->plain, sqlite3_exec(f->plain, kSchemaSql, nullptr, nullptr, nullptr), "schema");
  return f;
}

double insertEncrypted(Fixture &f) {
  return timeMs([&] {
    orDie(f.encrypted->transaction([&]() -> Result<void> {
      if (auto cleared = f.encrypted->execute("DELETE FROM records;"); !cleared)
        return cleared;
      auto insert = f.encrypted->prepare("INSERT INTO records (id, payload) VALUES (?, ?);");
      if (!insert)
        return insert.error();
      for (int i = 0; i < kRows; ++i) {
        insert->reset();
        if (auto ran = insert->bind(1, std::int64_t{i}).bindBlob(2, f.payload).run(); !ran)
          return ran;
      }
      return {};
    }),
          "insert");
  });
}

double insertPlain(Fixture &f) {
  return timeMs([&] {
    sqlite3_exec(f.plain, "BEGIN IMMEDIATE; DELETE FROM records;", nullptr, nullptr, nullptr);
    sqlite3_stmt *insert = nullptr;
    sqlite3_prepare_v2(f.plain, "INSERT INTO records (id, payload) VALUES (?, ?);", -1, &insert,
                       nullptr);
    for (int i = 0; i < kRows; ++i) {
      sqlite3_reset(insert);
      sqlite3_bind_int64(insert, 1, i);
      sqlite3_bind_blob(insert, 2, f.payload.data(), static_cast<int>(f.payload.size()),
                        SQLITE_STATIC);
      sqliteOrDie(f.plain, sqlite3_step(insert), "plain insert");
    }
    sqlite3_finalize(insert);
    sqliteOrDie(f.plain, sqlite3_exec(f.plain, "COMMIT;", nullptr, nullptr, nullptr), "commit");
  });
}

double selectEncrypted(Fixture &f) {
  return timeMs([&] {
    auto select =
        orDie(f.encrypted->prepare("SELECT payload FROM records WHERE id = ?;"), "select");
    for (int i = 0; i < kRows; ++i) {
      select.reset();
      if (!orDie(select.bind(1, std::int64_t{(i * 7919) % kRows}).step(), "select row"))
        std::exit(1);
    }
  });
}

double selectPlain(Fixture &f) {
  return timeMs([&] {
    sqlite3_stmt *select = nullptr;
    sqlite3_prepare_v2(f.plain, "SELECT payload FROM records WHERE id = ?;", -1, &select, nullptr);
    for (int i = 0; i < kRows; ++i) {
      sqlite3_reset(select);
      sqlite3_bind_int64(select, 1, (i * 7919) % kRows);
      sqliteOrDie(f.plain, sqlite3_step(select), "plain select");
    }
    sqlite3_finalize(select);
  });
}

double openEncrypted(Fixture &f) {
  const storage::Schema schema{{1, "records", kSchemaSql}};
  return timeMs(
      [&] { orDie(EncryptedStore::open(f.encryptedPath(), f.passphrase, schema), "open"); });
}

double openPlain(Fixture &f) {
  return timeMs([&] {
    sqlite3 *db = nullptr;
    sqlite3_open_v2(f.plainPath().c_str(), &db, SQLITE_OPEN_READWRITE, nullptr);
    sqliteOrDie(db,
                sqlite3_exec(db, "SELECT count(*) FROM sqlite_master;", nullptr, nullptr, nullptr),
                "plain open");
    sqlite3_close_v2(db);
  });
}

std::vector<Comparison> makeComparisons() {
  auto f = makeFixture();
  // The selects read what the inserts wrote: prime both tables once.
  insertEncrypted(*f);
  insertPlain(*f);
  return {
      {"insert_1000_rows_tx", "ms", [f] { return insertPlain(*f); },
       [f] { return insertEncrypted(*f); }},
      {"select_1000_by_key", "ms", [f] { return selectPlain(*f); },
       [f] { return selectEncrypted(*f); }},
      {"open_with_argon2id", "ms", [f] { return openPlain(*f); },
       [f] { return openEncrypted(*f); }},
  };
}

} // namespace

void registerStorageSuite() {
  registerSuite({"storage", "encrypted store vs plaintext SQLite (same engine, same page size)",
                 makeComparisons});
}

} // namespace nesa::bench
