// Results that carry either a value or an error a user can act on.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace nesa {

/// What went wrong, coarse enough for callers to branch on.
enum class ErrorCode {
  InvalidInput,    ///< the caller or the user gave something malformed
  NotFound,        ///< a file, key or record does not exist
  AlreadyExists,   ///< refusing to overwrite something that exists
  WrongPassphrase, ///< a secret did not unlock what it should
  Corrupt,         ///< stored data failed an integrity check
  Io,              ///< the operating system refused a read or write
  Unavailable,     ///< a feature or device is not present on this machine
  Cancelled,       ///< the user stopped the work
  Internal,        ///< a bug: an invariant of ours did not hold
  Busy,            ///< the other side is full for now: try again shortly, or elsewhere
  Forbidden,       ///< the organisation's policy does not allow it (docs/enterprise.md)
};

/// A short stable name for a code ("wrong-passphrase"), for logs and scripts.
const char *errorCodeName(ErrorCode code);

/// An error with a message written for the user (what failed and what to do about it).
struct Error {
  ErrorCode code = ErrorCode::Internal;
  std::string message;

  /// "message" prefixed with context: `Error{..}.withContext("Opening wallet")`.
  Error withContext(const std::string &context) const { return {code, context + ": " + message}; }
};

/// Either a T or an Error; errors are values at module boundaries, never exceptions.
template <typename T> class [[nodiscard]] Result {
public:
  Result(T value) : m_state(std::in_place_index<0>, std::move(value)) {}
  Result(Error error) : m_state(std::in_place_index<1>, std::move(error)) {}

  /// True when the result holds a value.
  bool ok() const { return m_state.index() == 0; }
  explicit operator bool() const { return ok(); }

  /// The value; only valid when ok().
  T &value() & { return std::get<0>(m_state); }
  const T &value() const & { return std::get<0>(m_state); }
  T &&value() && { return std::get<0>(std::move(m_state)); }
  T *operator->() { return &value(); }
  const T *operator->() const { return &value(); }
  T &operator*() & { return value(); }
  const T &operator*() const & { return value(); }

  /// The error; only valid when !ok().
  const Error &error() const { return std::get<1>(m_state); }

private:
  std::variant<T, Error> m_state;
};

/// A result with no value: success, or an Error.
template <> class [[nodiscard]] Result<void> {
public:
  Result() = default;
  Result(Error error) : m_error(std::move(error)), m_ok(false) {}

  bool ok() const { return m_ok; }
  explicit operator bool() const { return m_ok; }
  const Error &error() const { return m_error; }

private:
  Error m_error;
  bool m_ok = true;
};

/// Shorthand for building an error result: `return fail(ErrorCode::NotFound, "no such file")`.
inline Error fail(ErrorCode code, std::string message) { return Error{code, std::move(message)}; }

} // namespace nesa
