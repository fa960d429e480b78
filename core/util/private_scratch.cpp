#include "util/private_scratch.h"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <system_error>

namespace nesa::paths {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kPrefix = "nesa-private-";

// The process that made a scratch folder named `name`, or 0 when the name is not one of ours.
pid_t ownerOf(const std::string &name) {
  if (!name.starts_with(kPrefix))
    return 0;
  const char *begin = name.data() + kPrefix.size(), *end = name.data() + name.size();
  pid_t pid = 0;
  const auto [next, error] = std::from_chars(begin, end, pid);
  if (error != std::errc() || next == end || *next != '-' || pid <= 0)
    return 0;
  return pid;
}

} // namespace

std::string privateScratchTemplate() {
  std::error_code ec;
  fs::path temp = fs::temp_directory_path(ec);
  if (ec)
    temp = "/tmp";
  return (temp / (std::string(kPrefix) + std::to_string(::getpid()) + "-XXXXXX")).string();
}

int sweepStalePrivateScratch(const fs::path &temp) {
  int removed = 0;
  std::error_code ec;
  for (fs::directory_iterator it(temp, ec), end; !ec && it != end; it.increment(ec)) {
    const pid_t pid = ownerOf(it->path().filename().string());
    struct stat info {};
    if (pid == 0 || ::lstat(it->path().c_str(), &info) != 0 || !S_ISDIR(info.st_mode) ||
        info.st_uid != ::geteuid())
      continue;
    if (::kill(pid, 0) == 0 || errno != ESRCH) // alive (or not ours to signal): in use
      continue;
    std::error_code ignored;
    if (fs::remove_all(it->path(), ignored) > 0)
      ++removed;
  }
  return removed;
}

} // namespace nesa::paths
