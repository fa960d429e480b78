// What the installed policy lets the person at this computer do, and the one place each rule is
// checked: core/analysis before a query reads, sends or pays anything; the miner before it
// starts; the PACS and export commands before a result leaves.
#pragma once

#include "policy/policy.h"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nesa::policy {

/// Who is asking: the operating system's user and the groups it belongs to (in an organisation,
/// the directory's, through the system's name service).
struct Identity {
  std::string user;
  std::vector<std::string> groups;
};

/// The name of the user running this process ("uid N" when it has none).
std::string currentUserName();

/// The user running this process and its groups.
Identity currentIdentity();

/// The administrator's verifier key in `file` (policy.pub: one line, trailing white space
/// ignored), read the same way by enforcement and by `nesa policy verify`; NotFound when it
/// cannot be read, InvalidInput when it is not a verifier key.
Result<audit::VerifierKey> readVerifierKey(const std::filesystem::path &file);

/// Who the audit log names as acting: the signed-in person under an installed policy that names
/// a provider to sign in with (signIn), else the operating system's user.
std::string currentActor();

/// Where `nesa login` keeps the signed-in person's ID token: `<dataDir>/identity/session.json`.
std::filesystem::path signInSessionFile(const std::filesystem::path &dataDir);

/// The policy folder: /etc/nesa when it holds an administrator key (policy.pub), else
/// $NESA_POLICY_DIR when set, else /etc/nesa. An installed system policy cannot be switched off
/// from the environment.
std::filesystem::path installedPolicyFolder();

/// The rules that apply to one person under the installed policy, or none.
class Enforcement {
public:
  enum class Mode {
    Open,     ///< no administrator key installed: a single-user computer, nothing is enforced
    Enforced, ///< a valid policy: the person's roles decide
    Lockdown, ///< a key is installed but its policy is missing, unsigned, tampered or expired
  };

  /// Loads `folder`'s policy (policy.pub and policy) for `who` at `nowMs`: Open without
  /// policy.pub, Lockdown when the policy cannot be used, else Enforced. Never fails: a broken
  /// policy is the most restrictive mode, not an error that a caller could skip. When the policy
  /// names a provider to sign in with (signIn), the person is instead the one the ID token in
  /// `signInSession` names, checked against the keys the policy pins; without a valid one the
  /// person holds no role.
  static Enforcement load(const std::filesystem::path &folder, const Identity &who,
                          std::int64_t nowMs, const std::filesystem::path &signInSession = {});
  /// load() of installedPolicyFolder() for currentIdentity(), now, with the sign-in kept in
  /// the data folder of the user's settings.
  static Enforcement installed();

  Mode mode() const { return m_mode; }
  /// Lockdown: why the policy cannot be used.
  const std::string &problem() const { return m_problem; }
  /// Enforced: the policy and the names of the roles the person holds.
  const std::optional<Policy> &policy() const { return m_policy; }
  const std::vector<std::string> &roles() const { return m_roles; }
  /// Who the rules apply to: the operating system's user, or the signed-in person.
  const Identity &person() const { return m_who; }
  /// Under a policy with signIn: why nobody is signed in ("" when someone is).
  const std::string &signInProblem() const { return m_signInProblem; }
  /// Where the audit log and the history live and what they keep: the policy's; with no
  /// policy the defaults; in lockdown no history and the audit log as the settings say (every
  /// action it would record but wallet actions is refused then, and a log it required could
  /// not be opened without stopping the refusal from being said).
  Storage storage() const;
  /// What the person may do, as lines for people (nesa policy show).
  std::vector<std::string> describe() const;

  /// A query at `level` ("local"…"hss-ee") of `model` (a built-in model's id, else the model
  /// file's canonical path) on an input of `kind` ("scan", "image", "array", "document"),
  /// allowed when one of the person's roles allows all three; Forbidden names the rule that
  /// refuses it.
  Result<void> allowsQuery(std::string_view level, std::string_view model,
                           std::string_view kind) const;
  /// True when the person's roles cap daily spending.
  bool limitsSpending() const;
  /// A query costing about `costMicroNes` after `spentToday` (µNES paid today, UTC; none: not
  /// known, which a spending limit refuses for a paid query).
  Result<void> allowsSpending(std::optional<std::uint64_t> spentToday,
                              std::uint64_t costMicroNes) const;
  Result<void> allowsExport() const;       ///< writing a result to a file outside Nesa
  Result<void> allowsPacsTransfer() const; ///< sending a result to a PACS
  Result<void> allowsMiner() const;        ///< running this computer's miner
  /// Reading the audit trail (the app's audit page, nesa audit list, export and prove); in Open
  /// mode the person reads their own.
  Result<void> allowsAuditReview() const;

private:
  Result<void> allowsRight(bool Role::*right, const std::string &what) const;
  Error refusal(const std::string &why) const;

  Mode m_mode = Mode::Open;
  std::string m_folder;
  std::string m_problem;
  std::string m_signInProblem;
  std::optional<Policy> m_policy;
  Identity m_who;
  std::vector<std::string> m_roles;
};

} // namespace nesa::policy
