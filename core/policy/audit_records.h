// The audit log's records of what a person did: named by the policy's actor, and preceded by a
// record of the policy and of the sign-in in force whenever either changed, so that every record
// is read under the rules and the person it was made under.
#pragma once

#include "audit/audit_log.h"
#include "util/config.h"
#include "util/result.h"
#include "util/secure_buffer.h"

#include <filesystem>
#include <optional>
#include <string>

namespace nesa::policy {

/// A record of `action` on `subject` by currentActor(), timed now, with `outcome` and `details`
/// (a JSON object's text).
audit::AuditEntry auditRecord(std::string action, std::string subject, std::string outcome,
                              std::string details = "{}");

/// "ok", or "failed (CODE)" with the error's code only: error texts often quote file names,
/// which can name a patient.
std::string outcomeOf(const Result<void> &done);

/// "blake2b-256:HEX" of a file, or of a folder's regular files (relative names and bytes, in
/// name order); "unreadable" when it cannot be read. How records name inputs and results —
/// never by content or file name.
std::string contentDigest(const std::filesystem::path &input);

/// Appends what changed since the log's last records of them: a "policy" record when the
/// installed policy (its mode, organisation, version, expiry or problem) is not the one last
/// recorded, and a "sign-in" or "sign-out" record when the person `nesa login` kept in `dataDir`
/// is not the one last recorded. Appends nothing when neither changed.
Result<void> recordContextChanges(audit::AuditLog &log, const std::filesystem::path &dataDir);

/// The audit log of `config`'s data folder when the setting auditLog is on, opened with
/// `passphrase` (created when there is none) and brought up to date with recordContextChanges;
/// none when the setting is off. Corrupt when the log takes no more records.
Result<std::optional<audit::AuditLog>> openAuditLogIfEnabled(const Config &config,
                                                             const SecureBuffer &passphrase);

} // namespace nesa::policy
