#include "util/secure_buffer.h"

#include <sodium.h>

#include <cstring>
#include <utility>

namespace nesa {

Result<void> ensureSodium() {
  // sodium_init is thread-safe and returns 1 when already initialized.
  static const int status = sodium_init();
  if (status < 0)
    return fail(ErrorCode::Internal, "libsodium could not initialize (no usable random source?)");
  return {};
}

Result<SecureBuffer> SecureBuffer::allocate(std::size_t size) {
  if (auto ready = ensureSodium(); !ready)
    return ready.error();
  if (size == 0)
    return SecureBuffer();
  auto *data = static_cast<std::uint8_t *>(sodium_malloc(size));
  if (data == nullptr)
    return fail(ErrorCode::Unavailable,
                "could not allocate " + std::to_string(size) +
                    " bytes of locked memory for a secret (raise `ulimit -l`?)");
  sodium_memzero(data, size);
  return SecureBuffer(data, size);
}

Result<SecureBuffer> SecureBuffer::copyOf(std::span<const std::uint8_t> bytes) {
  auto buffer = allocate(bytes.size());
  if (buffer && !bytes.empty())
    std::memcpy(buffer->data(), bytes.data(), bytes.size());
  return buffer;
}

Result<SecureBuffer> SecureBuffer::copyOf(std::string_view text) {
  return copyOf(std::span(reinterpret_cast<const std::uint8_t *>(text.data()), text.size()));
}

Result<SecureBuffer> SecureBuffer::random(std::size_t size) {
  auto buffer = allocate(size);
  if (buffer && size > 0)
    randombytes_buf(buffer->data(), size);
  return buffer;
}

SecureBuffer::SecureBuffer(SecureBuffer &&other) noexcept
    : m_data(std::exchange(other.m_data, nullptr)), m_size(std::exchange(other.m_size, 0)) {}

SecureBuffer &SecureBuffer::operator=(SecureBuffer &&other) noexcept {
  if (this != &other) {
    release();
    m_data = std::exchange(other.m_data, nullptr);
    m_size = std::exchange(other.m_size, 0);
  }
  return *this;
}

SecureBuffer::~SecureBuffer() { release(); }

void SecureBuffer::release() {
  // sodium_free zeroes the region before unlocking and unmapping it.
  if (m_data != nullptr)
    sodium_free(m_data);
  m_data = nullptr;
  m_size = 0;
}

void SecureBuffer::wipe() {
  if (m_data != nullptr)
    sodium_memzero(m_data, m_size);
}

bool SecureBuffer::equals(const SecureBuffer &other) const {
  if (m_size != other.m_size)
    return false;
  return m_size == 0 || sodium_memcmp(m_data, other.m_data, m_size) == 0;
}

} // namespace nesa
