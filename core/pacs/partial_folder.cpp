#include "pacs/internal/partial_folder.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <cstdio>
#include <random>
#include <system_error>

namespace nesa::pacs {

namespace fs = std::filesystem;

Result<PartialFolder> PartialFolder::beside(const fs::path &given) {
  // "scan/" names the folder "scan": its parent is where the hidden folder goes.
  fs::path target = given.lexically_normal();
  if (!target.empty() && !target.has_filename())
    target = target.parent_path();
  if (target.empty() || target.filename() == "." || target.filename() == "..")
    return fail(ErrorCode::InvalidInput,
                "retrieve into a new folder, not \"" + given.string() + "\"");
  std::error_code ec;
  if (fs::exists(target, ec))
    return fail(ErrorCode::AlreadyExists, target.string() + " exists: retrieve into a new folder");
  const fs::path parent = target.has_parent_path() ? target.parent_path() : fs::path(".");
  fs::create_directories(parent, ec);
  std::random_device device;
  const fs::path partial = parent / ("." + target.filename().string() + ".retrieving-" +
                                     std::to_string(device()) + std::to_string(device()));
  // Patient data: readable by this user alone from the start, or not at all.
  if (ec || ::mkdir(partial.c_str(), 0700) != 0)
    return fail(
        ErrorCode::Io,
        "cannot make a folder in " + parent.string() + ": " +
            (ec ? ec.message() : std::error_code(errno, std::generic_category()).message()));
  PartialFolder folder(partial, target);
  struct stat info {};
  if (::stat(partial.c_str(), &info) != 0 || (info.st_mode & 0077) != 0)
    return fail(ErrorCode::Io, "cannot keep " + parent.string() +
                                   " private (mode 0700): the series is not retrieved there");
  return folder;
}

PartialFolder::PartialFolder(PartialFolder &&other) noexcept
    : m_path(std::move(other.m_path)), m_target(std::move(other.m_target)), m_done(other.m_done) {
  other.m_done = true;
}

PartialFolder::~PartialFolder() {
  if (m_done)
    return;
  std::error_code ignored;
  fs::remove_all(m_path, ignored);
}

Result<void> PartialFolder::commit() {
  if (::renameat2(AT_FDCWD, m_path.c_str(), AT_FDCWD, m_target.c_str(), RENAME_NOREPLACE) != 0)
    return fail(ErrorCode::Io, "cannot name the retrieved folder " + m_target.string() + ": " +
                                   std::error_code(errno, std::generic_category()).message());
  m_done = true;
  return {};
}

} // namespace nesa::pacs
