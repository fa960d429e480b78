#include "util/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace nesa {

namespace {
Error ioError(const std::string &what, const std::filesystem::path &path) {
  return fail(ErrorCode::Io, "cannot " + what + " " + path.string() + ": " + std::strerror(errno));
}
} // namespace

Result<void> writeFileAtomically(const std::filesystem::path &file, std::string_view contents) {
  const auto folder = file.has_parent_path() ? file.parent_path() : std::filesystem::path(".");
  std::error_code ec;
  std::filesystem::create_directories(folder, ec);
  if (ec)
    return fail(ErrorCode::Io, "cannot create " + folder.string() + ": " + ec.message());
  auto temporary = file;
  temporary += ".tmp";
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0)
    return ioError("create", temporary);
  std::size_t written = 0;
  while (written < contents.size()) {
    const ssize_t n = ::write(fd, contents.data() + written, contents.size() - written);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      ::close(fd);
      return ioError("write", temporary);
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) {
    ::close(fd);
    return ioError("flush", temporary);
  }
  ::close(fd);
  std::filesystem::rename(temporary, file, ec);
  if (ec)
    return fail(ErrorCode::Io, "cannot replace " + file.string() + ": " + ec.message());
  if (const int dir = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dir >= 0) {
    ::fsync(dir); // the rename itself reaches the disk
    ::close(dir);
  }
  return {};
}

} // namespace nesa
