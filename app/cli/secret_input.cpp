#include "cli/secret_input.h"

#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>

namespace nesa::cli {
namespace {

constexpr std::size_t kMaxSecret = 4096;

// Restores the terminal's echo setting when it goes out of scope.
class EchoOff {
public:
  EchoOff() {
    if (isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &m_saved) == 0) {
      termios quiet = m_saved;
      quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
      m_active = tcsetattr(STDIN_FILENO, TCSANOW, &quiet) == 0;
    }
  }
  ~EchoOff() {
    if (m_active) {
      tcsetattr(STDIN_FILENO, TCSANOW, &m_saved);
      std::fputc('\n', stderr);
    }
  }

private:
  termios m_saved{};
  bool m_active = false;
};

} // namespace

Result<SecureBuffer> readSecretLine(const std::string &prompt, bool echo) {
  if (isatty(STDIN_FILENO)) {
    std::fputs(prompt.c_str(), stderr);
    std::fflush(stderr);
  }
  auto buffer = SecureBuffer::allocate(kMaxSecret);
  if (!buffer)
    return buffer.error();
  std::size_t length = 0;
  {
    std::optional<EchoOff> quiet;
    if (!echo)
      quiet.emplace();
    char c = 0;
    while (read(STDIN_FILENO, &c, 1) == 1 && c != '\n') {
      if (length == kMaxSecret)
        return fail(ErrorCode::InvalidInput, "the input line is too long");
      buffer->data()[length++] = static_cast<std::uint8_t>(c);
    }
  }
  while (length > 0 && (buffer->data()[length - 1] == '\r' || buffer->data()[length - 1] == ' '))
    --length;
  if (length == 0)
    return fail(ErrorCode::InvalidInput, "nothing was entered");
  return SecureBuffer::copyOf(std::span<const std::uint8_t>(buffer->data(), length));
}

Result<SecureBuffer> readPassphrase(bool confirm) {
  if (const char *fromEnvironment = std::getenv("NESA_WALLET_PASSPHRASE");
      fromEnvironment && *fromEnvironment)
    return SecureBuffer::copyOf(std::string_view(fromEnvironment));
  auto first = readSecretLine("Wallet passphrase: ");
  if (!first)
    return first.error();
  if (!confirm)
    return first;
  if (first->size() < 8)
    return fail(ErrorCode::InvalidInput, "choose a passphrase of at least 8 characters");
  auto second = readSecretLine("Repeat the passphrase: ");
  if (!second)
    return second.error();
  if (!first->equals(*second))
    return fail(ErrorCode::InvalidInput, "the two passphrases differ");
  return first;
}

} // namespace nesa::cli
