// Where the stores of what was done with patient or confidential data live — the audit log and
// the desktop's history — and whether the audit log is kept: the settings' choice, unless the
// installed policy's storage section decides (policy.h, Storage).
#pragma once

#include "util/config.h"

#include <filesystem>

namespace nesa::policy {

/// Whether the audit log is kept: the setting auditLog, or the installed policy requiring it
/// (also in lockdown).
bool auditLogOn(const Config &config);

/// The folder of the audit log and the history: the policy's storage folder ("{user}" replaced
/// by the operating system's user name), else `config`'s data folder.
std::filesystem::path privateStoresFolder(const Config &config);

/// The audit log's folder: `audit` in privateStoresFolder().
std::filesystem::path auditFolder(const Config &config);

/// The desktop's history store: `history.db` in privateStoresFolder().
std::filesystem::path historyFile(const Config &config);

} // namespace nesa::policy
