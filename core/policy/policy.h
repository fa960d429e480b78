// An organisation's policy: which roles its people hold (by user or group) and what each role
// may do. An administrator writes it as JSON and signs it with an Ed25519 key (a C2SP signed
// note); Nesa accepts it only under that key and before it expires (docs/enterprise.md).
#pragma once

#include "audit/checkpoint.h"
#include "util/result.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace nesa::policy {

/// What one role may do. A person with several roles may do what any of them may.
struct Role {
  /// The lowest privacy level its queries may run at ("local" < "ee" < "hss" < "hss-ee").
  std::string minimumLevel = "local";
  /// Models it may run: installed model ids or model file paths, '*' and '?' as wildcards.
  std::vector<std::string> models{"*"};
  /// Inputs it may give: "scan", "image", "array", "document" (all four when absent).
  std::vector<std::string> inputs{"scan", "image", "array", "document"};
  /// µNES its queries may pay miners per day (UTC); none: no limit.
  std::optional<std::uint64_t> dailySpendMicroNes;
  bool exportResults = true; ///< results may be written to files outside Nesa
  bool sendToPacs = true;    ///< results may be sent to a PACS
  bool runMiner = true;      ///< this computer's miner may run
  bool reviewAudit = false; ///< the audit trail may be read (the app's audit page, nesa audit list)
};

/// The organisation's OpenID Connect provider, when people sign in with it (nesa login): who a
/// person is and their groups then come from its ID token, not from the operating system.
struct SignIn {
  std::string issuer;             ///< https, or http on this computer (a test provider)
  std::string clientId;           ///< Nesa's public client at the provider
  std::uint16_t redirectPort = 0; ///< of http://127.0.0.1:PORT/callback, registered there
  /// The provider's signing keys (a JWKS, as JSON text), pinned by the administrator's signature:
  /// a kept ID token is checked against these, never against keys from a file the user could
  /// edit. A provider that rotates its keys needs the policy signed again.
  std::string keys;
};

/// What the desktop's history keeps of each analysis.
enum class HistoryKeeps {
  Everything, ///< the input's path, the model, the level, the result in words and the receipt
  Reports,    ///< all of that but the input's path (a file name can name a patient)
  Nothing,    ///< no history at all
};

/// Where the stores holding what was done with patient or confidential data live, and what they
/// keep: the audit log and the desktop's history.
struct Storage {
  /// The audit log is kept whatever the settings say ("auditLog": "required").
  bool auditRequired = false;
  /// The folder of the audit log and the history, "{user}" standing for the operating system's
  /// user name (an absolute path); empty: the data folder of the settings.
  std::string folder;
  HistoryKeeps history = HistoryKeeps::Everything;
  /// History records older than this many days are deleted (0: kept until the user deletes them).
  std::uint32_t historyDays = 0;
};

/// A signed policy's content.
struct Policy {
  std::string organisation;
  std::uint64_t version = 0;  ///< the administrator's revision number
  std::int64_t expiresMs = 0; ///< Unix time in ms after which the policy is refused
  std::map<std::string, Role> roles;
  std::map<std::string, std::vector<std::string>> users;  ///< user name → role names
  std::map<std::string, std::vector<std::string>> groups; ///< group name → role names
  std::optional<SignIn> signIn; ///< none: people are the operating system's users and groups
  Storage storage;              ///< the defaults when the policy has no storage section
};

/// The first line of a policy note's text.
inline constexpr std::string_view kPolicyHeader = "nesa-policy v1";

/// Parses a policy's JSON (the administrator's file); InvalidInput says what is wrong.
Result<Policy> parsePolicyJson(std::string_view json);

/// The signed note of a policy's JSON: checks it parses, then signs "nesa-policy v1\n" and the
/// JSON (reformatted) with the administrator's key.
Result<std::string> signPolicy(std::string_view json, const audit::SignerKey &key);

/// The policy in a signed note, when `key` signed it and it has not expired at `nowMs`;
/// Corrupt (unsigned, tampered, malformed) or Forbidden (expired) otherwise.
Result<Policy> openPolicy(std::string_view note, const audit::VerifierKey &key, std::int64_t nowMs);

/// "2027-06-30T00:00:00Z" as Unix ms; InvalidInput when not that form.
Result<std::int64_t> parseUtcTime(std::string_view text);

/// Unix ms as "2027-06-30T00:00:00Z".
std::string formatUtcTime(std::int64_t ms);

} // namespace nesa::policy
