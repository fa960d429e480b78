// The audit record of one analysis (who, when, input digest, model, level, miners, checks,
// cost), appended to the audit log when the settings turn it on (auditLog).
#pragma once

#include "analysis/analyzer.h"
#include "audit/audit_log.h"
#include "util/config.h"
#include "util/result.h"

#include <optional>

namespace nesa::app {

/// The record of `request`'s run: its outcome, or the error that stopped it. The input is named
/// by its BLAKE2b-256 digest (a folder by the digest of its files' names and bytes), never by
/// its content or file name.
audit::AuditEntry analysisAuditEntry(const analysis::Request &request,
                                     const Result<analysis::Outcome> &outcome);

/// Who is acting: the signed-in operating-system user's name.
std::string currentActor();

/// The audit log of `config`'s data folder when `config.auditLog` is on, opened with
/// `passphrase` (none when the setting is off).
Result<std::optional<audit::AuditLog>> openAuditLogIfEnabled(const Config &config,
                                                             const SecureBuffer &passphrase);

} // namespace nesa::app
