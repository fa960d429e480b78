// An encrypted SQL database on disk: SQLCipher keyed from a passphrase with Argon2id.
#pragma once

#include "storage/key_derivation.h"
#include "storage/migration.h"
#include "storage/statement.h"
#include "util/result.h"
#include "util/secure_buffer.h"

#include <filesystem>
#include <functional>
#include <string_view>

struct sqlite3;

namespace nesa::storage {

/// One encrypted database file. Every page on disk is AES-256 encrypted and authenticated
/// (SQLCipher 3); the key is derived from the user's passphrase with Argon2id and never leaves
/// locked memory. Open or create it with the schema it must have; newer migrations are applied
/// on open. Not thread-safe: use one store object per thread. Move-only.
class EncryptedStore {
public:
  /// Creates a new store at `path` (AlreadyExists if the file exists; the folder is created).
  static Result<EncryptedStore> create(const std::filesystem::path &path,
                                       const SecureBuffer &passphrase, const Schema &schema,
                                       const KdfParams &kdf = {});

  /// Opens an existing store. NotFound if there is no file; WrongPassphrase if the passphrase
  /// does not unlock it (or it is not a Nesa store); Corrupt if it is damaged; an error if it was
  /// written by a newer schema than `schema` knows.
  static Result<EncryptedStore> open(const std::filesystem::path &path,
                                     const SecureBuffer &passphrase, const Schema &schema);

  EncryptedStore(EncryptedStore &&other) noexcept;
  EncryptedStore &operator=(EncryptedStore &&other) noexcept;
  EncryptedStore(const EncryptedStore &) = delete;
  EncryptedStore &operator=(const EncryptedStore &) = delete;
  /// Closes the database.
  ~EncryptedStore();

  /// Compiles one SQL statement.
  Result<Statement> prepare(std::string_view sql);
  /// Runs SQL that returns no rows (one or more statements).
  Result<void> execute(std::string_view sql);
  /// Runs `work` inside a transaction: committed if it succeeds, rolled back if it fails.
  Result<void> transaction(const std::function<Result<void>()> &work);
  /// The last applied migration version (0 for an empty schema).
  int schemaVersion() const;
  /// The file this store lives in.
  const std::filesystem::path &path() const { return m_path; }

private:
  EncryptedStore(sqlite3 *db, std::filesystem::path path) : m_db(db), m_path(std::move(path)) {}
  static Result<EncryptedStore> openKeyed(const std::filesystem::path &path,
                                          const SecureBuffer &passphrase, const StoreSalt &salt,
                                          bool creating);
  Result<void> migrate(const Schema &schema);

  sqlite3 *m_db = nullptr;
  std::filesystem::path m_path;
};

} // namespace nesa::storage
