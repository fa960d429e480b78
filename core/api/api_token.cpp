#include "api/api_token.h"

#include <sodium.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <fstream>
#include <sstream>

namespace nesa::api {
namespace {

constexpr std::size_t kTokenBytes = 32;

Result<std::string> readToken(const std::filesystem::path &file) {
  struct stat info {};
  if (::stat(file.c_str(), &info) != 0)
    return fail(ErrorCode::Io, "cannot read " + file.string());
  if (info.st_mode & (S_IRWXG | S_IRWXO))
    return fail(ErrorCode::InvalidInput,
                file.string() + " may be read by other users: chmod 600 it (or delete it for a "
                                "new token)");
  std::ifstream in(file);
  std::string token;
  std::getline(in, token);
  if (!in && !in.eof())
    return fail(ErrorCode::Io, "cannot read " + file.string());
  while (!token.empty() && (token.back() == '\r' || token.back() == ' '))
    token.pop_back();
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
  // O_EXCL: when two servers start at once, one makes the file and the other reads it.
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    return errno == EEXIST ? readToken(file)
                           : fail(ErrorCode::Io, "cannot create " + file.string());
  const std::string line = token + "\n";
  const bool written = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!written || !synced) {
    std::filesystem::remove(file, ec);
    return fail(ErrorCode::Io, "cannot write " + file.string());
  }
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
