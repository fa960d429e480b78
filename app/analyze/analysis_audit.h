// The audit record of one analysis (who, when, input digest, model, level, miners, checks,
// cost), appended to the audit log when the settings turn it on (auditLog).
#pragma once

#include "analysis/analyzer.h"
#include "audit/audit_log.h"
#include "util/result.h"

#include <memory>
#include <optional>

namespace nesa::app {

/// The record written before `request` runs (so that a run killed half-way is on record too):
/// who, when, the input by its BLAKE2b-256 digest (a folder by the digest of its files' names
/// and bytes) — never its content or file name —, the model and the level; outcome "started".
audit::AuditEntry analysisStartEntry(const analysis::Request &request);

/// The record of the run's end: `start`'s subject and request, and the outcome — "ok" with the
/// miners, checks, bytes and cost, or "failed (CODE)". The error's text is not kept: it often
/// quotes file names, which can name a patient.
audit::AuditEntry analysisEndEntry(const audit::AuditEntry &start,
                                   const Result<analysis::Outcome> &outcome);

/// The record of what became of a run's result: `action` "export" (a result file written for
/// the user, `details` naming its format) or "pacs-send" (`details` naming the PACS); the
/// subject is the input's digest, as in the analysis's records, and the outcome "ok" or
/// "failed (CODE)".
audit::AuditEntry resultEntry(const analysis::Request &request, const std::string &action,
                              const std::string &detailsJson, const Result<void> &outcome);

/// The "export" record of `request`'s result leaving as a file in `format` at `stage`:
/// "started" (before it is written), "written" (outcome "ok") or "failed" (outcome
/// "failed (io)"); `by` names who wrote it ("the desktop app", "the local API").
audit::AuditEntry exportEntry(const analysis::Request &request, const std::string &format,
                              const std::string &stage, const std::string &by);

/// µNES that `actor`'s analyses recorded in `log` paid since 00:00 UTC today (the count an
/// organisation's spending limit is checked against).
Result<std::uint64_t> spentTodayIn(audit::AuditLog &log, const std::string &actor);

/// Events whose `starting` and `finished` record each run of an analyzer in `log` (its start,
/// then its end: runs are one at a time, as an Analyzer serves them), and whose `spentToday`
/// counts the current user's payments today in it, and whose `exporting` records a result
/// leaving for the local API's client. Each run first records a change of policy or sign-in
/// (the sign-in kept in `dataDir`) since the log's last records of them.
analysis::Events auditHooks(std::shared_ptr<audit::AuditLog> log, std::filesystem::path dataDir);

} // namespace nesa::app
