#include "api/api_token.h"

#include <sodium.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cctype>
#include <cerrno>

namespace nesa::api {
namespace {

constexpr std::size_t kTokenBytes = 32;

Result<std::string> readToken(const std::filesystem::path &file) {
  // Opened without following a link, and checked on the open file: a regular file of this
  // user that nobody else may read.
  const int fd = ::open(file.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    return fail(ErrorCode::Io, "cannot read " + file.string() + " (a link is not followed)");
  struct stat info {};
  const bool statted = ::fstat(fd, &info) == 0;
  std::string token(128, '\0');
  const auto got = statted && S_ISREG(info.st_mode) ? ::read(fd, token.data(), token.size()) : -1;
  ::close(fd);
  if (!statted || !S_ISREG(info.st_mode) || got < 0)
    return fail(ErrorCode::Io, file.string() + " is not a readable file");
  if (info.st_uid != ::geteuid() || (info.st_mode & (S_IRWXG | S_IRWXO)))
    return fail(ErrorCode::InvalidInput,
                file.string() + " belongs to another user or may be read by others: chmod 600 "
                                "it (or delete it for a new token)");
  token.resize(static_cast<std::size_t>(got));
  token = token.substr(0, token.find_first_of("\r\n "));
  if (token.size() < kTokenBytes)
    return fail(ErrorCode::InvalidInput,
                file.string() +
                    " holds no token of 32 characters or more (delete it for a new one)");
  return token;
}

} // namespace

std::filesystem::path apiTokenFile(const std::filesystem::path &dataDir) {
  return dataDir / "api-token";
}

Result<std::string> loadOrCreateApiToken(const std::filesystem::path &file) {
  std::error_code ec;
  if (std::filesystem::exists(file, ec))
    return readToken(file);
  std::filesystem::create_directories(file.parent_path(), ec);
  if (sodium_init() < 0)
    return fail(ErrorCode::Internal, "libsodium failed to start");
  std::array<unsigned char, kTokenBytes> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  std::array<char, kTokenBytes * 2 + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), bytes.data(), bytes.size());
  sodium_memzero(bytes.data(), bytes.size());
  const std::string token(hex.data(), kTokenBytes * 2);
  sodium_memzero(hex.data(), hex.size());
  // Written whole to a file of its own, then linked to the name: a server starting at the same
  // time either wins the link or reads the winner's complete file.
  const auto temporary =
      file.parent_path() / (file.filename().string() + ".new-" + std::to_string(::getpid()));
  const int fd =
      ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0)
    return fail(ErrorCode::Io, "cannot create " + temporary.string());
  const std::string line = token + "\n";
  const bool written = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  const bool linked = written && synced && ::link(temporary.c_str(), file.c_str()) == 0;
  const int linkError = errno;
  std::filesystem::remove(temporary, ec);
  if (!linked && written && synced && linkError == EEXIST)
    return readToken(file);
  if (!linked)
    return fail(ErrorCode::Io, "cannot write " + file.string());
  return token;
}

bool bearerMatches(std::string_view authorization, std::string_view token) {
  constexpr std::string_view kScheme = "Bearer ";
  if (authorization.size() != kScheme.size() + token.size() || token.empty())
    return false;
  for (std::size_t i = 0; i < kScheme.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(authorization[i])) !=
        std::tolower(static_cast<unsigned char>(kScheme[i])))
      return false;
  return sodium_memcmp(authorization.data() + kScheme.size(), token.data(), token.size()) == 0;
}

} // namespace nesa::api
