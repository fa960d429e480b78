#include "policy/storage_places.h"

#include "policy/enforcement.h"

namespace nesa::policy {

bool auditLogOn(const Config &config) {
  return config.auditLog || Enforcement::installed().storage().auditRequired;
}

std::filesystem::path privateStoresFolder(const Config &config) {
  std::string folder = Enforcement::installed().storage().folder;
  if (folder.empty())
    return config.effectiveDataDir();
  const std::string user = currentUserName();
  for (std::size_t at = folder.find("{user}"); at != std::string::npos;
       at = folder.find("{user}", at + user.size()))
    folder.replace(at, 6, user);
  return folder;
}

std::filesystem::path auditFolder(const Config &config) {
  return privateStoresFolder(config) / "audit";
}

std::filesystem::path historyFile(const Config &config) {
  return privateStoresFolder(config) / "history.db";
}

} // namespace nesa::policy
