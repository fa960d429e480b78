#include "analysis_audit.h"

#include "policy/audit_records.h"
#include "policy/enforcement.h"

#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>

namespace nesa::app {

audit::AuditEntry analysisStartEntry(const analysis::Request &request) {
  return policy::auditRecord(
      "analysis", policy::contentDigest(request.input), "started",
      nlohmann::json{{"model", request.model}, {"level", privacy::privacyLevelName(request.level)}}
          .dump());
}

audit::AuditEntry analysisEndEntry(const audit::AuditEntry &start,
                                   const Result<analysis::Outcome> &outcome) {
  audit::AuditEntry entry = start;
  entry.timeMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::system_clock::now().time_since_epoch())
                     .count();
  nlohmann::json details = nlohmann::json::parse(start.details);
  if (outcome) {
    entry.outcome = "ok";
    const privacy::RunReport &report = outcome->report;
    std::set<std::string> miners;
    for (const auto &call : report.calls)
      for (const auto &work : call.miners)
        miners.insert(work.miner);
    details["modelVersion"] = outcome->modelVersion;
    details["calls"] = report.calls.size();
    details["miners"] = miners;
    details["checksPassed"] = report.checksPassed;
    details["checksFailed"] = report.checksFailed;
    details["bytesSent"] = report.bytesSent;
    details["bytesReceived"] = report.bytesReceived;
    details["paidMicroNes"] = outcome->payment ? outcome->payment->paid : 0;
    if (outcome->settlementError)
      details["settlement"] =
          std::string("failed (") + errorCodeName(outcome->settlementError->code) + ")";
  } else {
    entry.outcome = std::string("failed (") + errorCodeName(outcome.error().code) + ")";
  }
  entry.details = details.dump();
  return entry;
}

audit::AuditEntry resultEntry(const analysis::Request &request, const std::string &action,
                              const std::string &detailsJson, const Result<void> &outcome) {
  audit::AuditEntry entry = analysisStartEntry(request);
  entry.action = action;
  entry.details = detailsJson;
  entry.outcome = policy::outcomeOf(outcome);
  return entry;
}

audit::AuditEntry exportEntry(const analysis::Request &request, const std::string &format,
                              const std::string &stage, const std::string &by) {
  const Result<void> written =
      stage == "failed" ? fail(ErrorCode::Io, "the file was not written") : Result<void>();
  audit::AuditEntry entry = resultEntry(
      request, "export", nlohmann::json{{"format", format}, {"by", by}}.dump(), written);
  if (stage == "started")
    entry.outcome = "started";
  return entry;
}

Result<std::uint64_t> spentTodayIn(audit::AuditLog &log, const std::string &actor) {
  constexpr std::int64_t kDayMs = 24 * 60 * 60 * 1000;
  const std::int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
  audit::AuditFilter filter;
  filter.action = "analysis";
  filter.actor = actor;
  filter.sinceMs = now - now % kDayMs;
  auto records = log.list(filter);
  if (!records)
    return records.error();
  std::uint64_t spent = 0;
  for (const audit::AuditEntry &record : *records) {
    const auto details = nlohmann::json::parse(record.details, nullptr, false);
    if (record.outcome == "ok" && details.is_object() && details.contains("paidMicroNes") &&
        details["paidMicroNes"].is_number_unsigned())
      spent += details["paidMicroNes"].get<std::uint64_t>();
  }
  return spent;
}

analysis::Events auditHooks(std::shared_ptr<audit::AuditLog> log, std::filesystem::path dataDir) {
  struct Shared {
    std::shared_ptr<audit::AuditLog> log;
    std::mutex mutex;
    std::optional<audit::AuditEntry> started;
  };
  auto shared = std::make_shared<Shared>();
  shared->log = std::move(log);
  analysis::Events hooks;
  hooks.starting = [shared, dataDir](const analysis::Request &request) -> Result<void> {
    std::lock_guard lock(shared->mutex);
    if (auto noted = policy::recordContextChanges(*shared->log, dataDir); !noted)
      return noted.error();
    shared->started = analysisStartEntry(request);
    if (auto recorded = shared->log->append(*shared->started); !recorded)
      return recorded.error().withContext("recording the analysis in the audit log");
    return {};
  };
  hooks.finished = [shared](const analysis::Request &request,
                            const Result<analysis::Outcome> &outcome) -> Result<void> {
    std::lock_guard lock(shared->mutex);
    const audit::AuditEntry start =
        shared->started ? *shared->started : analysisStartEntry(request);
    shared->started.reset();
    if (auto recorded = shared->log->append(analysisEndEntry(start, outcome)); !recorded)
      return recorded.error().withContext("recording the analysis in the audit log");
    return {};
  };
  hooks.exporting = [shared](const analysis::Request &request, const std::string &format,
                             const std::string &stage) -> Result<void> {
    std::lock_guard lock(shared->mutex);
    if (auto recorded = shared->log->append(exportEntry(request, format, stage, "the local API"));
        !recorded)
      return recorded.error().withContext("recording the export in the audit log");
    return {};
  };
  hooks.spentToday = [shared]() -> Result<std::uint64_t> {
    std::lock_guard lock(shared->mutex);
    return spentTodayIn(*shared->log, policy::currentActor());
  };
  return hooks;
}

} // namespace nesa::app
