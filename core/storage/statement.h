// A prepared SQL statement of an EncryptedStore, without exposing SQLCipher's headers.
#pragma once

#include "util/result.h"
#include "util/secure_buffer.h"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

struct sqlite3_stmt;
struct sqlite3;

namespace nesa::storage {

/// A compiled statement; bind parameters (1-based), then step() through the rows.
/// Owned by value, valid while its store lives. Move-only.
class Statement {
public:
  Statement(Statement &&other) noexcept;
  Statement &operator=(Statement &&other) noexcept;
  Statement(const Statement &) = delete;
  Statement &operator=(const Statement &) = delete;
  ~Statement();

  /// Binders return *this so calls chain; a failed bind is reported by the next step().
  Statement &bind(int index, std::int64_t value);
  Statement &bind(int index, double value);
  Statement &bind(int index, std::string_view text);
  Statement &bindBlob(int index, std::span<const std::uint8_t> bytes);
  Statement &bindNull(int index);

  /// Advances: true when a row is available, false when done, or an error.
  Result<bool> step();
  /// Runs a statement that returns no rows (INSERT, UPDATE, DDL).
  Result<void> run();
  /// Rewinds to run again, keeping the bindings.
  void reset();

  std::int64_t columnInt64(int column) const;
  double columnDouble(int column) const;
  std::string columnText(int column) const;
  std::vector<std::uint8_t> columnBlob(int column) const;
  /// A blob column copied straight into locked memory (for secrets).
  Result<SecureBuffer> columnSecret(int column) const;
  bool columnIsNull(int column) const;

private:
  friend class EncryptedStore;
  Statement(sqlite3 *db, sqlite3_stmt *statement) : m_db(db), m_statement(statement) {}
  void noteBind(int rc);

  sqlite3 *m_db = nullptr;
  sqlite3_stmt *m_statement = nullptr;
  int m_bindError = 0;
};

} // namespace nesa::storage
