#include "storage/statement.h"

#include <sqlcipher/sqlite3.h>

#include <utility>

namespace nesa::storage {

Statement::Statement(Statement &&other) noexcept
    : m_db(other.m_db), m_statement(std::exchange(other.m_statement, nullptr)),
      m_bindError(other.m_bindError) {}

Statement &Statement::operator=(Statement &&other) noexcept {
  if (this != &other) {
    sqlite3_finalize(m_statement);
    m_db = other.m_db;
    m_statement = std::exchange(other.m_statement, nullptr);
    m_bindError = other.m_bindError;
  }
  return *this;
}

Statement::~Statement() { sqlite3_finalize(m_statement); }

void Statement::noteBind(int rc) {
  if (rc != SQLITE_OK && m_bindError == SQLITE_OK)
    m_bindError = rc;
}

Statement &Statement::bind(int index, std::int64_t value) {
  noteBind(sqlite3_bind_int64(m_statement, index, value));
  return *this;
}

Statement &Statement::bind(int index, double value) {
  noteBind(sqlite3_bind_double(m_statement, index, value));
  return *this;
}

Statement &Statement::bind(int index, std::string_view text) {
  noteBind(sqlite3_bind_text64(m_statement, index, text.data(), text.size(), SQLITE_TRANSIENT,
                               SQLITE_UTF8));
  return *this;
}

Statement &Statement::bindBlob(int index, std::span<const std::uint8_t> bytes) {
  // A zero-length blob must still be a blob, not NULL: sqlite treats a null pointer as NULL.
  static const std::uint8_t empty = 0;
  noteBind(sqlite3_bind_blob64(m_statement, index, bytes.empty() ? &empty : bytes.data(),
                               bytes.size(), SQLITE_TRANSIENT));
  return *this;
}

Statement &Statement::bindNull(int index) {
  noteBind(sqlite3_bind_null(m_statement, index));
  return *this;
}

Result<bool> Statement::step() {
  if (m_bindError != SQLITE_OK)
    return fail(ErrorCode::InvalidInput,
                std::string("cannot bind a statement parameter: ") + sqlite3_errstr(m_bindError));
  const int rc = sqlite3_step(m_statement);
  if (rc == SQLITE_ROW)
    return true;
  if (rc == SQLITE_DONE)
    return false;
  const ErrorCode code = (rc == SQLITE_CONSTRAINT)                       ? ErrorCode::InvalidInput
                         : (rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB) ? ErrorCode::Corrupt
                                                                         : ErrorCode::Io;
  return fail(code, std::string("database error: ") + sqlite3_errmsg(m_db));
}

Result<void> Statement::run() {
  auto stepped = step();
  if (!stepped)
    return stepped.error();
  return {};
}

void Statement::reset() { sqlite3_reset(m_statement); }

std::int64_t Statement::columnInt64(int column) const {
  return sqlite3_column_int64(m_statement, column);
}

double Statement::columnDouble(int column) const {
  return sqlite3_column_double(m_statement, column);
}

std::string Statement::columnText(int column) const {
  const auto *text = sqlite3_column_text(m_statement, column);
  const int size = sqlite3_column_bytes(m_statement, column);
  return text ? std::string(reinterpret_cast<const char *>(text), size) : std::string();
}

std::vector<std::uint8_t> Statement::columnBlob(int column) const {
  const auto *blob = static_cast<const std::uint8_t *>(sqlite3_column_blob(m_statement, column));
  const int size = sqlite3_column_bytes(m_statement, column);
  return blob ? std::vector<std::uint8_t>(blob, blob + size) : std::vector<std::uint8_t>();
}

Result<SecureBuffer> Statement::columnSecret(int column) const {
  const auto *blob = static_cast<const std::uint8_t *>(sqlite3_column_blob(m_statement, column));
  const int size = sqlite3_column_bytes(m_statement, column);
  return SecureBuffer::copyOf(
      std::span<const std::uint8_t>(blob, blob ? static_cast<std::size_t>(size) : 0));
}

bool Statement::columnIsNull(int column) const {
  return sqlite3_column_type(m_statement, column) == SQLITE_NULL;
}

} // namespace nesa::storage
