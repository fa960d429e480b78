// Memory for secrets: locked, guarded and wiped (libsodium's sodium_malloc).
#pragma once

#include "util/result.h"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace nesa {

/// A fixed-size byte buffer for secrets (passphrases, keys, masks, mnemonics).
///
/// The bytes live in pages that are mlock()ed (never swapped), surrounded by guard pages (an
/// overrun faults instead of leaking), and zeroed when the buffer is wiped or destroyed.
/// Move-only: a secret has exactly one owner. Never log the contents or copy them into
/// long-lived QStrings or std::strings.
class SecureBuffer {
public:
  /// An empty buffer (size 0) that owns nothing.
  SecureBuffer() = default;
  /// Allocates `size` zeroed bytes; fails only when the system refuses locked memory.
  static Result<SecureBuffer> allocate(std::size_t size);
  /// A buffer holding a copy of `bytes`.
  static Result<SecureBuffer> copyOf(std::span<const std::uint8_t> bytes);
  /// A buffer holding a copy of the characters of `text` (no terminating NUL).
  static Result<SecureBuffer> copyOf(std::string_view text);
  /// A buffer of `size` bytes from the operating system's CSPRNG.
  static Result<SecureBuffer> random(std::size_t size);

  SecureBuffer(SecureBuffer &&other) noexcept;
  SecureBuffer &operator=(SecureBuffer &&other) noexcept;
  SecureBuffer(const SecureBuffer &) = delete;
  SecureBuffer &operator=(const SecureBuffer &) = delete;
  /// Wipes and frees the memory.
  ~SecureBuffer();

  std::uint8_t *data() { return m_data; }
  const std::uint8_t *data() const { return m_data; }
  std::size_t size() const { return m_size; }
  bool empty() const { return m_size == 0; }
  std::span<std::uint8_t> bytes() { return {m_data, m_size}; }
  std::span<const std::uint8_t> bytes() const { return {m_data, m_size}; }
  /// The bytes viewed as characters (for passphrases); valid while the buffer lives.
  std::string_view view() const { return {reinterpret_cast<const char *>(m_data), m_size}; }

  /// Overwrites every byte with zero; the buffer keeps its size.
  void wipe();
  /// Constant-time equality: same size and same bytes, without leaking where they differ.
  bool equals(const SecureBuffer &other) const;

private:
  SecureBuffer(std::uint8_t *data, std::size_t size) : m_data(data), m_size(size) {}
  void release();

  std::uint8_t *m_data = nullptr;
  std::size_t m_size = 0;
};

/// Initializes libsodium once per process; safe to call from any thread, any number of times.
Result<void> ensureSodium();

} // namespace nesa
