// An advisory lock that only one process holds at a time (flock on a file beside the data it
// guards). The kernel releases it when the process dies, so a crash leaves nothing to clean up.
#pragma once

#include "util/result.h"

#include <filesystem>

namespace nesa {

/// An exclusive lock, held until the object is destroyed. Move-only.
class FileLock {
public:
  /// Takes the lock on `file` (created when missing, mode 0600) without waiting; Unavailable
  /// when another holder has it, with `holderHint` ("another nesa analyze paying from …") in the
  /// message.
  static Result<FileLock> acquire(const std::filesystem::path &file, const std::string &holderHint);
  FileLock(FileLock &&other) noexcept;
  FileLock &operator=(FileLock &&other) noexcept;
  FileLock(const FileLock &) = delete;
  FileLock &operator=(const FileLock &) = delete;
  ~FileLock();

private:
  explicit FileLock(int fd) : m_fd(fd) {}
  int m_fd = -1;
};

} // namespace nesa
