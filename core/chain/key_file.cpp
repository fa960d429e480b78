#include "chain/key_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace nesa::chain {

Result<AccountKey> loadOrCreateKeyFile(const std::filesystem::path &file) {
  if (std::filesystem::exists(file)) {
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    auto text = SecureBuffer::allocate(64);
    if (fd < 0 || !text)
      return fail(ErrorCode::Io, "cannot read " + file.string());
    const ssize_t got = ::read(fd, text->data(), text->size());
    ::close(fd);
    auto secret = SecureBuffer::allocate(32);
    if (got != 64 || !secret)
      return fail(ErrorCode::Corrupt, file.string() + " is not a key");
    for (std::size_t i = 0; i < 32; ++i) {
      const auto nibble = [](std::uint8_t c) {
        return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
      };
      const int hi = nibble(text->data()[2 * i]), lo = nibble(text->data()[2 * i + 1]);
      if (hi < 0 || lo < 0)
        return fail(ErrorCode::Corrupt, file.string() + " is not a key");
      secret->data()[i] = static_cast<std::uint8_t>(hi << 4 | lo);
    }
    return AccountKey::fromSecret(secret->bytes());
  }
  while (true) {
    auto secret = SecureBuffer::random(32);
    if (!secret)
      return secret.error();
    if (!isValidSecret(secret->bytes()))
      continue;
    auto text = SecureBuffer::allocate(64);
    if (!text)
      return text.error();
    static constexpr char kDigits[] = "0123456789abcdef";
    for (std::size_t i = 0; i < 32; ++i) {
      text->data()[2 * i] = static_cast<std::uint8_t>(kDigits[secret->data()[i] >> 4]);
      text->data()[2 * i + 1] = static_cast<std::uint8_t>(kDigits[secret->data()[i] & 0xf]);
    }
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, S_IRUSR | S_IWUSR);
    if (fd < 0)
      return fail(ErrorCode::Io, "cannot create " + file.string());
    const bool written =
        ::write(fd, text->data(), text->size()) == static_cast<ssize_t>(text->size());
    const bool synced = ::fsync(fd) == 0;
    ::close(fd);
    if (!written || !synced)
      return fail(ErrorCode::Io, "cannot write " + file.string());
    return AccountKey::fromSecret(secret->bytes());
  }
}

} // namespace nesa::chain
