#include "policy/audit_records.h"

#include "policy/enforcement.h"
#include "policy/storage_places.h"

#include <sodium.h>

#include <array>
#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

namespace nesa::policy {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void hashFileInto(crypto_generichash_state &state, const fs::path &file) {
  std::ifstream in(file, std::ios::binary);
  std::vector<char> chunk(1 << 16);
  while (in) {
    in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char *>(chunk.data()),
                              static_cast<unsigned long long>(in.gcount()));
  }
}

std::string hexDigest(crypto_generichash_state &state) {
  std::array<unsigned char, 32> digest{};
  crypto_generichash_final(&state, digest.data(), digest.size());
  std::array<char, 65> hex{};
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  return std::string("blake2b-256:") + hex.data();
}

/// The newest record of `action`, if any.
Result<std::optional<audit::AuditEntry>> lastRecord(audit::AuditLog &log,
                                                    const std::string &action) {
  audit::AuditFilter filter;
  filter.action = action;
  filter.limit = 1;
  auto found = log.list(filter);
  if (!found)
    return found.error();
  if (found->empty())
    return std::optional<audit::AuditEntry>{};
  return std::optional<audit::AuditEntry>(found->back());
}

/// The "policy" record of `enforcement`'s policy; none for no policy at all (the state a new
/// log starts in, so a computer without a policy records none).
std::optional<audit::AuditEntry> policyRecord(const Enforcement &enforcement) {
  switch (enforcement.mode()) {
  case Enforcement::Mode::Open:
    return auditRecord("policy", "none", "ok", json{{"mode", "open"}}.dump());
  case Enforcement::Mode::Lockdown:
    return auditRecord("policy", "unusable", "lockdown",
                       json{{"mode", "lockdown"}, {"problem", enforcement.problem()}}.dump());
  case Enforcement::Mode::Enforced: break;
  }
  const Policy &policy = *enforcement.policy();
  return auditRecord("policy", policy.organisation + " version " + std::to_string(policy.version),
                     "ok",
                     json{{"mode", "enforced"},
                          {"organisation", policy.organisation},
                          {"version", policy.version},
                          {"expires", formatUtcTime(policy.expiresMs)},
                          {"signInWith", policy.signIn ? policy.signIn->issuer : ""}}
                         .dump());
}

/// The person `nesa login` kept, as a "sign-in" record; none when nobody is signed in.
std::optional<audit::AuditEntry> signInRecord(const fs::path &sessionFile,
                                              const Enforcement &enforcement) {
  std::ifstream in(sessionFile);
  if (!in)
    return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  const json kept = json::parse(text.str(), nullptr, false);
  if (!kept.is_object() || !kept.contains("idToken") || !kept["idToken"].is_string())
    return auditRecord("sign-in", "unknown", "damaged", json{{"session", "unreadable"}}.dump());
  const auto field = [&kept](const char *name) {
    return kept.contains(name) && kept[name].is_string() ? kept[name].get<std::string>()
                                                         : std::string();
  };
  const std::string token = kept["idToken"].get<std::string>();
  crypto_generichash_state state;
  crypto_generichash_init(&state, nullptr, 0, 32);
  crypto_generichash_update(&state, reinterpret_cast<const unsigned char *>(token.data()),
                            token.size());
  json details{{"issuer", field("issuer")},
               {"session", hexDigest(state)}}; // names the sign-in; the token is not kept here
  // A kept time beyond year 9999 (or one that would overflow in milliseconds) is not named.
  constexpr std::int64_t kLastSecond = 253402300799; // 9999-12-31T23:59:59Z
  if (kept.contains("expiresAt") && kept["expiresAt"].is_number_integer() &&
      kept["expiresAt"].get<std::int64_t>() >= 0 &&
      kept["expiresAt"].get<std::int64_t>() <= kLastSecond)
    details["expires"] = formatUtcTime(kept["expiresAt"].get<std::int64_t>() * 1000);
  // Only a policy that names the provider checks the token against its keys; without one the
  // kept name is what nesa login wrote, and the record says it was not checked.
  std::string outcome = "unverified (no policy names a provider)";
  if (enforcement.policy() && enforcement.policy()->signIn) {
    outcome = enforcement.signInProblem().empty() ? "ok" : "not accepted by the policy";
    if (!enforcement.signInProblem().empty())
      details["problem"] = enforcement.signInProblem();
  }
  const std::string person = field("userName");
  return auditRecord("sign-in", person.empty() ? "unknown" : person, outcome, details.dump());
}

std::string sessionOf(const audit::AuditEntry &record) {
  const json details = json::parse(record.details, nullptr, false);
  return details.is_object() ? details.value("session", "") : "";
}

} // namespace

audit::AuditEntry auditRecord(std::string action, std::string subject, std::string outcome,
                              std::string details) {
  audit::AuditEntry entry;
  entry.timeMs = nowMs();
  entry.actor = currentActor();
  entry.action = std::move(action);
  entry.subject = std::move(subject);
  entry.outcome = std::move(outcome);
  entry.details = std::move(details);
  return entry;
}

std::string outcomeOf(const Result<void> &done) {
  return done ? std::string("ok")
              : std::string("failed (") + errorCodeName(done.error().code) + ")";
}

std::string contentDigest(const fs::path &input) {
  std::error_code ec;
  crypto_generichash_state state;
  crypto_generichash_init(&state, nullptr, 0, 32);
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
  return hexDigest(state);
}

Result<void> recordContextChanges(audit::AuditLog &log, const fs::path &dataDir) {
  const fs::path sessionFile = signInSessionFile(dataDir);
  const Enforcement enforcement =
      Enforcement::load(installedPolicyFolder(), currentIdentity(), nowMs(), sessionFile);
  std::vector<audit::AuditEntry> changes;

  auto lastPolicy = lastRecord(log, "policy");
  if (!lastPolicy)
    return lastPolicy.error();
  const auto policy = policyRecord(enforcement);
  const bool policyChanged = *lastPolicy ? ((*lastPolicy)->subject != policy->subject ||
                                            (*lastPolicy)->outcome != policy->outcome ||
                                            (*lastPolicy)->details != policy->details)
                                         : enforcement.mode() != Enforcement::Mode::Open;
  if (policyChanged)
    changes.push_back(*policy);

  auto lastSignIn = lastRecord(log, "sign-in");
  auto lastSignOut = lastRecord(log, "sign-out");
  if (!lastSignIn)
    return lastSignIn.error();
  if (!lastSignOut)
    return lastSignOut.error();
  const bool signedInLast =
      *lastSignIn && (!*lastSignOut || (*lastSignOut)->sequence < (*lastSignIn)->sequence);
  if (const auto signIn = signInRecord(sessionFile, enforcement)) {
    if (!signedInLast || sessionOf(**lastSignIn) != sessionOf(*signIn) ||
        (*lastSignIn)->outcome != signIn->outcome)
      changes.push_back(*signIn);
  } else if (signedInLast) {
    changes.push_back(auditRecord("sign-out", (*lastSignIn)->subject, "ok",
                                  json{{"session", sessionOf(**lastSignIn)}}.dump()));
  }

  if (changes.empty())
    return {};
  if (auto appended = log.appendAll(std::move(changes)); !appended)
    return appended.error().withContext("recording the policy and sign-in in the audit log");
  return {};
}

Result<std::optional<audit::AuditLog>> openAuditLogIfEnabled(const Config &config,
                                                             const SecureBuffer &passphrase) {
  if (!auditLogOn(config))
    return std::optional<audit::AuditLog>{};
  const fs::path folder = auditFolder(config);
  auto log = audit::AuditLog::open(folder, passphrase);
  if (!log)
    return log.error().withContext("the audit log (setting auditLog)");
  if (!log->appendable())
    return fail(ErrorCode::Corrupt,
                "the audit log in " + folder.string() +
                    " was changed outside Nesa and takes no more records, so nothing runs; "
                    "`nesa audit verify` says what changed");
  if (auto noted = recordContextChanges(*log, config.effectiveDataDir()); !noted)
    return noted.error();
  return std::optional<audit::AuditLog>(std::move(*log));
}

} // namespace nesa::policy
