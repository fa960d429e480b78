// Where a server reads a WebSocket message: straight into the byte vector handed on, with what
// it allocates drawn from a budget shared by connections (net/server.cpp only).
#pragma once

#include "net/internal/asio.h"
#include "net/secure_channel.h"

#include <algorithm>
#include <atomic>
#include <stdexcept>

namespace nesa::net {

/// Bytes that messages being received may hold at once, shared by connections. Thread-safe.
class ReceiveBudget {
public:
  explicit ReceiveBudget(std::size_t bytes) : m_left(bytes) {}
  /// Takes `bytes` from what is left; false (nothing taken) when too little is left.
  bool take(std::size_t bytes) {
    auto left = m_left.load();
    do {
      if (left < bytes)
        return false;
    } while (!m_left.compare_exchange_weak(left, left - bytes));
    return true;
  }
  void giveBack(std::size_t bytes) { m_left += bytes; }
  std::size_t left() const { return m_left.load(); }

private:
  std::atomic<std::size_t> m_left;
};

/// A dynamic buffer in Asio's first form (what Beast reads into) over `bytes`. It grows
/// geometrically up to `maxSize`, charging every growth to `budget`; a growth over the size or
/// the budget, or one the allocator refuses, fails the read (Beast's buffer_overflow). The
/// charge is given back by finish() or when the buffer goes. Read into it in small pieces
/// (async_read_some with a limit) so that what is charged follows the bytes that arrived, not
/// the size a frame's header announces.
class MessageBuffer {
public:
  using const_buffers_type = asio::const_buffer;
  using mutable_buffers_type = asio::mutable_buffer;

  MessageBuffer(Bytes &bytes, std::size_t maxSize, ReceiveBudget &budget)
      : m_bytes(bytes), m_max(maxSize), m_budget(&budget) {}
  ~MessageBuffer() { release(); }
  MessageBuffer(const MessageBuffer &) = delete;
  MessageBuffer &operator=(const MessageBuffer &) = delete;

  std::size_t size() const { return m_size; }
  std::size_t max_size() const { return m_max; }
  std::size_t capacity() const { return m_bytes.capacity(); }
  const_buffers_type data() const { return {m_bytes.data(), m_size}; }

  mutable_buffers_type prepare(std::size_t n) {
    if (n > m_max - m_size)
      throw std::length_error("a message over its size limit");
    const std::size_t needed = m_size + n;
    if (needed > m_bytes.capacity()) {
      const std::size_t grown = std::max(needed, std::min(m_max, 2 * m_bytes.capacity()));
      const std::size_t extra = grown - m_bytes.capacity();
      if (!m_budget->take(extra))
        throw std::length_error("the server's receive budget is spent");
      m_charged += extra;
      try {
        m_bytes.reserve(grown);
      } catch (const std::bad_alloc &) { // Beast turns only length_error into an error code
        throw std::length_error("out of memory for a message");
      }
    }
    if (needed > m_bytes.size())
      m_bytes.resize(needed);
    return {m_bytes.data() + m_size, n};
  }
  void commit(std::size_t n) { m_size += std::min(n, m_bytes.size() - m_size); }
  void consume(std::size_t n) {
    n = std::min(n, m_size);
    m_bytes.erase(m_bytes.begin(), m_bytes.begin() + static_cast<std::ptrdiff_t>(n));
    m_size -= n;
  }

  /// The message is whole: the vector holds exactly it, and it no longer counts as being
  /// received.
  void finish() {
    m_bytes.resize(m_size);
    release();
  }

private:
  void release() {
    if (m_charged)
      m_budget->giveBack(m_charged);
    m_charged = 0;
  }

  Bytes &m_bytes;
  std::size_t m_size = 0;
  std::size_t m_max;
  ReceiveBudget *m_budget;
  std::size_t m_charged = 0;
};

} // namespace nesa::net
