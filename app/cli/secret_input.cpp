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

namespace {

/// One line from `fd`, byte by byte (nothing after the newline is consumed), into locked memory.
Result<SecureBuffer> readLineFrom(int fd, bool echo) {
  auto buffer = SecureBuffer::allocate(kMaxSecret);
  if (!buffer)
    return buffer.error();
  std::size_t length = 0;
  {
    std::optional<EchoOff> quiet;
    if (!echo && fd == STDIN_FILENO)
      quiet.emplace();
    char c = 0;
    while (read(fd, &c, 1) == 1 && c != '\n') {
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

/// The passphrase handed over by whoever started this program, read once and kept (a program
/// may open the wallet twice); none when it was not handed over.
Result<std::optional<SecureBuffer>> handedPassphrase() {
  static std::optional<SecureBuffer> kept;
  static std::optional<Error> failed;
  static bool looked = false;
  if (!looked) {
    looked = true;
    if (const char *fd = std::getenv("NESA_PASSPHRASE_FD"); fd && *fd) {
      char *end = nullptr;
      const long number = std::strtol(fd, &end, 10);
      ::unsetenv("NESA_PASSPHRASE_FD"); // not for the programs this one starts
      if (*end != '\0' || number < 0 || number > 1'000'000) {
        failed = fail(ErrorCode::InvalidInput, "$NESA_PASSPHRASE_FD is not a file descriptor");
      } else {
        auto line = readLineFrom(static_cast<int>(number), true);
        if (number != STDIN_FILENO)
          ::close(static_cast<int>(number));
        if (line)
          kept = std::move(*line);
        else
          failed = line.error().withContext("reading the passphrase from $NESA_PASSPHRASE_FD");
      }
    } else if (char *value = std::getenv("NESA_WALLET_PASSPHRASE"); value && *value) {
      auto copy = SecureBuffer::copyOf(std::string_view(value));
      // Wiped and removed: the programs this one starts do not inherit it.
      std::memset(value, 0, std::strlen(value));
      ::unsetenv("NESA_WALLET_PASSPHRASE");
      if (copy)
        kept = std::move(*copy);
      else
        failed = copy.error();
    }
  }
  if (failed)
    return *failed;
  if (!kept)
    return std::optional<SecureBuffer>();
  auto copy = SecureBuffer::copyOf(std::span<const std::uint8_t>(kept->data(), kept->size()));
  if (!copy)
    return copy.error();
  return std::optional<SecureBuffer>(std::move(*copy));
}

} // namespace

Result<SecureBuffer> readSecretLine(const std::string &prompt, bool echo) {
  if (isatty(STDIN_FILENO)) {
    std::fputs(prompt.c_str(), stderr);
    std::fflush(stderr);
  }
  return readLineFrom(STDIN_FILENO, echo);
}

void takeHandedPassphrase() { (void)handedPassphrase(); }

Result<SecureBuffer> readPassphrase(bool confirm) {
  auto handed = handedPassphrase();
  if (!handed)
    return handed.error();
  if (*handed)
    return std::move(**handed);
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
