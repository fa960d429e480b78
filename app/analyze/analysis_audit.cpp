#include "analysis_audit.h"

#include "policy/enforcement.h"

#include <sodium.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>

namespace nesa::app {
namespace {

namespace fs = std::filesystem;

void hashFileInto(crypto_generichash_state &state, const fs::path &file) {
  std::ifstream in(file, std::ios::binary);
  std::vector<char> chunk(1 << 16);
  while (in) {
    in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char *>(chunk.data()),
                              static_cast<unsigned long long>(in.gcount()));
  }
}

// "blake2b-256:HEX" of a file, or of a folder's regular files (relative names and bytes, in
// name order); "unreadable" when it cannot be read.
std::string inputDigest(const fs::path &input) {
  std::error_code ec;
  crypto_generichash_state state;
  std::array<unsigned char, 32> digest{};
  crypto_generichash_init(&state, nullptr, 0, digest.size());
  if (fs::is_directory(input, ec)) {
    std::set<fs::path> files;
    for (const auto &item : fs::recursive_directory_iterator(input, ec))
      if (item.is_regular_file())
        files.insert(fs::relative(item.path(), input));
    for (const fs::path &file : files) {
      const std::string name = file.generic_string();
      crypto_generichash_update(&state, reinterpret_cast<const unsigned char *>(name.c_str()),
                                name.size() + 1);
      hashFileInto(state, input / file);
    }
  } else if (fs::is_regular_file(input, ec)) {
    hashFileInto(state, input);
  } else {
    return "unreadable";
  }
  crypto_generichash_final(&state, digest.data(), digest.size());
  std::array<char, 65> hex{};
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  return std::string("blake2b-256:") + hex.data();
}

} // namespace

audit::AuditEntry analysisStartEntry(const analysis::Request &request) {
  audit::AuditEntry entry;
  entry.timeMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::system_clock::now().time_since_epoch())
                     .count();
  entry.actor = policy::currentActor();
  entry.action = "analysis";
  entry.subject = inputDigest(request.input);
  entry.outcome = "started";
  entry.details =
      nlohmann::json{{"model", request.model}, {"level", privacy::privacyLevelName(request.level)}}
          .dump();
  return entry;
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
  entry.outcome = outcome ? std::string("ok")
                          : std::string("failed (") + errorCodeName(outcome.error().code) + ")";
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

analysis::Events auditHooks(std::shared_ptr<audit::AuditLog> log) {
  struct Shared {
    std::shared_ptr<audit::AuditLog> log;
    std::mutex mutex;
    std::optional<audit::AuditEntry> started;
  };
  auto shared = std::make_shared<Shared>();
  shared->log = std::move(log);
  analysis::Events hooks;
  hooks.starting = [shared](const analysis::Request &request) -> Result<void> {
    std::lock_guard lock(shared->mutex);
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
  hooks.spentToday = [shared]() -> Result<std::uint64_t> {
    std::lock_guard lock(shared->mutex);
    return spentTodayIn(*shared->log, policy::currentActor());
  };
  return hooks;
}

Result<std::optional<audit::AuditLog>> openAuditLogIfEnabled(const Config &config,
                                                             const SecureBuffer &passphrase) {
  if (!config.auditLog)
    return std::optional<audit::AuditLog>{};
  auto log = audit::AuditLog::open(config.effectiveDataDir() / "audit", passphrase);
  if (!log)
    return log.error().withContext("the audit log (setting auditLog)");
  if (!log->appendable())
    return fail(ErrorCode::Corrupt,
                "the audit log in " + (config.effectiveDataDir() / "audit").string() +
                    " was changed outside Nesa and takes no more records, so nothing runs; "
                    "`nesa audit verify` says what changed");
  return std::optional<audit::AuditLog>(std::move(*log));
}

} // namespace nesa::app
