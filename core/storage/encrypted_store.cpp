#include "storage/encrypted_store.h"

#include <sodium.h>
#include <sqlcipher/sqlite3.h>

#include <cstring>
#include <fstream>
#include <utility>

namespace nesa::storage {
namespace {

constexpr char kPlainSqliteHeader[] = "SQLite format 3";

Error sqliteError(sqlite3 *db, const std::string &what) {
  return fail(ErrorCode::Io, what + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
}

// Length of SQLCipher's raw-key form x'<64 hex key><32 hex salt>'.
constexpr int kRawKeyLength = 2 + 64 + 32 + 1;

// Builds the raw-key form in locked memory, followed by a NUL that is not part of the key.
Result<SecureBuffer> rawKeyWithSalt(const SecureBuffer &key, const StoreSalt &salt) {
  auto text = SecureBuffer::allocate(kRawKeyLength + 1);
  if (!text)
    return text.error();
  char *out = reinterpret_cast<char *>(text->data());
  out[0] = 'x';
  out[1] = '\'';
  sodium_bin2hex(out + 2, 65, key.data(), key.size());
  sodium_bin2hex(out + 66, 33, salt.data(), salt.size());
  out[kRawKeyLength - 1] = '\'';
  return text;
}

Result<StoreSalt> readSalt(const std::filesystem::path &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return fail(ErrorCode::Io, "cannot read " + path.string() + " (check its permissions)");
  StoreSalt salt{};
  in.read(reinterpret_cast<char *>(salt.data()), salt.size());
  if (in.gcount() == 0)
    return fail(ErrorCode::Corrupt, path.string() + " is empty: it is not a Nesa store");
  if (in.gcount() < static_cast<std::streamsize>(salt.size()))
    return fail(ErrorCode::Corrupt, path.string() + " is truncated: it is not a Nesa store");
  if (std::memcmp(salt.data(), kPlainSqliteHeader, sizeof kPlainSqliteHeader - 1) == 0)
    return fail(ErrorCode::InvalidInput,
                path.string() + " is an unencrypted SQLite database, not a Nesa store");
  return salt;
}

} // namespace

Result<EncryptedStore> EncryptedStore::create(const std::filesystem::path &path,
                                              const SecureBuffer &passphrase, const Schema &schema,
                                              const KdfParams &kdf) {
  std::error_code ec;
  if (std::filesystem::exists(path, ec))
    return fail(ErrorCode::AlreadyExists,
                path.string() + " already exists; refusing to overwrite it");
  if (passphrase.empty())
    return fail(ErrorCode::InvalidInput, "the passphrase must not be empty");
  if (path.has_parent_path()) {
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec)
      return fail(ErrorCode::Io,
                  "cannot create " + path.parent_path().string() + ": " + ec.message());
  }
  auto salt = makeSalt(kdf);
  if (!salt)
    return salt.error();
  auto store = openKeyed(path, passphrase, *salt, /*creating=*/true);
  if (!store) {
    std::filesystem::remove(path, ec); // leave nothing half-made behind
    return store.error();
  }
  if (auto migrated = store->migrate(schema); !migrated) {
    store = Error{};
    std::filesystem::remove(path, ec);
    return migrated.error();
  }
  return store;
}

Result<EncryptedStore> EncryptedStore::open(const std::filesystem::path &path,
                                            const SecureBuffer &passphrase, const Schema &schema) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    return fail(ErrorCode::NotFound, "no store at " + path.string());
  auto salt = readSalt(path);
  if (!salt)
    return salt.error();
  auto store = openKeyed(path, passphrase, *salt, /*creating=*/false);
  if (!store)
    return store.error();
  if (auto migrated = store->migrate(schema); !migrated)
    return migrated.error();
  return store;
}

Result<EncryptedStore> EncryptedStore::openKeyed(const std::filesystem::path &path,
                                                 const SecureBuffer &passphrase,
                                                 const StoreSalt &salt, bool creating) {
  if (auto valid = paramsFromSalt(salt); !valid)
    return valid.error().withContext(path.string());
  auto key = deriveStoreKey(passphrase, salt);
  if (!key)
    return key.error();
  auto rawKey = rawKeyWithSalt(*key, salt);
  if (!rawKey)
    return rawKey.error();

  sqlite3 *db = nullptr;
  const int flags =
      SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX | (creating ? SQLITE_OPEN_CREATE : 0);
  if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
    auto error = sqliteError(db, "cannot open " + path.string());
    sqlite3_close(db);
    return error;
  }
  EncryptedStore store(db, path);
  if (sqlite3_key(db, rawKey->data(), kRawKeyLength) != SQLITE_OK)
    return sqliteError(db, "cannot key " + path.string());
  sqlite3_busy_timeout(db, 5000);

  // The first read decrypts page 1: a wrong key fails its HMAC here, never later.
  const int rc = sqlite3_exec(db, "SELECT count(*) FROM sqlite_master;", nullptr, nullptr, nullptr);
  if (rc == SQLITE_NOTADB)
    return fail(ErrorCode::WrongPassphrase,
                "the passphrase does not unlock " + path.string() +
                    " (or the file is not a Nesa store, or it is damaged)");
  if (rc == SQLITE_CORRUPT)
    return fail(ErrorCode::Corrupt, path.string() + " is damaged");
  if (rc != SQLITE_OK)
    return sqliteError(db, "cannot read " + path.string());
  if (auto pragmas = store.execute("PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON;");
      !pragmas)
    return pragmas.error();
  return store;
}

EncryptedStore::EncryptedStore(EncryptedStore &&other) noexcept
    : m_db(std::exchange(other.m_db, nullptr)), m_path(std::move(other.m_path)) {}

EncryptedStore &EncryptedStore::operator=(EncryptedStore &&other) noexcept {
  if (this != &other) {
    sqlite3_close_v2(m_db);
    m_db = std::exchange(other.m_db, nullptr);
    m_path = std::move(other.m_path);
  }
  return *this;
}

EncryptedStore::~EncryptedStore() { sqlite3_close_v2(m_db); }

Result<Statement> EncryptedStore::prepare(std::string_view sql) {
  sqlite3_stmt *statement = nullptr;
  if (sqlite3_prepare_v2(m_db, sql.data(), static_cast<int>(sql.size()), &statement, nullptr) !=
      SQLITE_OK)
    return fail(ErrorCode::InvalidInput,
                std::string("cannot prepare SQL: ") + sqlite3_errmsg(m_db));
  return Statement(m_db, statement);
}

Result<void> EncryptedStore::execute(std::string_view sql) {
  const std::string text(sql); // sqlite3_exec needs a terminated string
  char *message = nullptr;
  if (sqlite3_exec(m_db, text.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    Error error = fail(ErrorCode::Io, std::string("database error: ") +
                                          (message ? message : sqlite3_errmsg(m_db)));
    sqlite3_free(message);
    return error;
  }
  return {};
}

Result<void> EncryptedStore::transaction(const std::function<Result<void>()> &work) {
  if (auto began = execute("BEGIN IMMEDIATE;"); !began)
    return began.error();
  auto result = work();
  if (!result) {
    (void)execute("ROLLBACK;");
    return result;
  }
  if (auto committed = execute("COMMIT;"); !committed) {
    (void)execute("ROLLBACK;");
    return committed.error();
  }
  return {};
}

int EncryptedStore::schemaVersion() const {
  sqlite3_stmt *statement = nullptr;
  int version = -1;
  if (sqlite3_prepare_v2(m_db, "PRAGMA user_version;", -1, &statement, nullptr) == SQLITE_OK &&
      sqlite3_step(statement) == SQLITE_ROW)
    version = sqlite3_column_int(statement, 0);
  sqlite3_finalize(statement);
  return version;
}

Result<void> EncryptedStore::migrate(const Schema &schema) {
  int expected = 1;
  for (const auto &step : schema) {
    if (step.version != expected++)
      return fail(ErrorCode::Internal, "schema migrations must be numbered 1, 2, 3, ... ('" +
                                           step.description + "' is out of order)");
  }
  const int current = schemaVersion();
  if (current < 0)
    return fail(ErrorCode::Corrupt, "cannot read the schema version of " + m_path.string());
  const int latest = static_cast<int>(schema.size());
  if (current > latest)
    return fail(ErrorCode::InvalidInput, m_path.string() + " was written by a newer Nesa (schema " +
                                             std::to_string(current) + ", this build knows " +
                                             std::to_string(latest) +
                                             "); update the app to open it");
  for (const auto &step : schema) {
    if (step.version <= current)
      continue;
    auto applied = transaction([&]() -> Result<void> {
      if (auto ran = execute(step.sql); !ran)
        return ran;
      return execute("PRAGMA user_version = " + std::to_string(step.version) + ";");
    });
    if (!applied)
      return applied.error().withContext("migration " + std::to_string(step.version) + " (" +
                                         step.description + ") of " + m_path.string());
  }
  return {};
}

} // namespace nesa::storage
