// The folder a retrieval fills: hidden and private (0700) beside its final name, which it takes
// only when everything has arrived, and removed when it does not get there.
#pragma once

#include "util/result.h"

#include <filesystem>

namespace nesa::pacs {

/// A hidden folder beside `target`, named `target` by commit() and removed otherwise.
class PartialFolder {
public:
  /// Makes the hidden folder. AlreadyExists when `target` exists; Io when nothing can be made
  /// in its parent.
  static Result<PartialFolder> beside(const std::filesystem::path &target);

  PartialFolder(PartialFolder &&other) noexcept;
  PartialFolder &operator=(PartialFolder &&) = delete;
  ~PartialFolder();

  /// Where the instances go meanwhile.
  const std::filesystem::path &path() const { return m_path; }

  /// Renames the folder to its target, never over something made there meanwhile (not even an
  /// empty folder). On failure the folder is removed.
  Result<void> commit();

private:
  PartialFolder(std::filesystem::path path, std::filesystem::path target)
      : m_path(std::move(path)), m_target(std::move(target)) {}

  std::filesystem::path m_path, m_target;
  bool m_done = false;
};

} // namespace nesa::pacs
