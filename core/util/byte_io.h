// Little-endian encoding of integers and byte runs, for every binary format of ours (linear
// bundles, transactions, blocks, payloads), whatever the host's byte order.
#pragma once

#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

namespace nesa {

/// Appends little-endian values to a growing buffer.
class ByteWriter {
public:
  void u8(std::uint8_t v) { m_bytes.push_back(v); }
  void u16(std::uint16_t v) { unsigned_(v, 2); }
  void u32(std::uint32_t v) { unsigned_(v, 4); }
  void u64(std::uint64_t v) { unsigned_(v, 8); }
  void i64(std::int64_t v) { unsigned_(static_cast<std::uint64_t>(v), 8); }
  void raw(std::span<const std::uint8_t> bytes) {
    m_bytes.insert(m_bytes.end(), bytes.begin(), bytes.end());
  }
  /// The bytes written so far; the writer is empty afterwards.
  std::vector<std::uint8_t> take() { return std::move(m_bytes); }

private:
  void unsigned_(std::uint64_t v, int size) {
    for (int i = 0; i < size; ++i)
      m_bytes.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  }
  std::vector<std::uint8_t> m_bytes;
};

/// Reads little-endian values from a byte span; every read says whether enough bytes were left.
class ByteReader {
public:
  explicit ByteReader(std::span<const std::uint8_t> bytes) : m_bytes(bytes) {}
  bool u8(std::uint8_t &v) { return raw(&v, 1); }
  bool u16(std::uint16_t &v) { return unsigned_(v, 2); }
  bool u32(std::uint32_t &v) { return unsigned_(v, 4); }
  bool u64(std::uint64_t &v) { return unsigned_(v, 8); }
  bool i64(std::int64_t &v) {
    std::uint64_t u = 0;
    if (!unsigned_(u, 8))
      return false;
    v = static_cast<std::int64_t>(u);
    return true;
  }
  /// Copies the next `n` bytes into `out`.
  bool raw(std::uint8_t *out, std::size_t n) {
    if (remaining() < n)
      return false;
    if (n > 0)
      std::memcpy(out, m_bytes.data() + m_pos, n);
    m_pos += n;
    return true;
  }
  /// Replaces `out` with the next `n` bytes.
  bool bytes(std::vector<std::uint8_t> &out, std::size_t n) {
    if (remaining() < n)
      return false;
    out.assign(m_bytes.begin() + static_cast<std::ptrdiff_t>(m_pos),
               m_bytes.begin() + static_cast<std::ptrdiff_t>(m_pos + n));
    m_pos += n;
    return true;
  }
  std::size_t remaining() const { return m_bytes.size() - m_pos; }
  bool atEnd() const { return m_pos == m_bytes.size(); }

private:
  template <typename T> bool unsigned_(T &v, int size) {
    if (remaining() < static_cast<std::size_t>(size))
      return false;
    std::uint64_t value = 0;
    for (int i = size - 1; i >= 0; --i)
      value = (value << 8) | m_bytes[m_pos + static_cast<std::size_t>(i)];
    v = static_cast<T>(value);
    m_pos += static_cast<std::size_t>(size);
    return true;
  }
  std::span<const std::uint8_t> m_bytes;
  std::size_t m_pos = 0;
};

} // namespace nesa
