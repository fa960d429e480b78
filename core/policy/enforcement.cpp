#include "policy/enforcement.h"

#include "identity/id_token.h"
#include "util/config.h"
#include "util/paths.h"

#include <nlohmann/json.hpp>

#include <fnmatch.h>
#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

namespace nesa::policy {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kSystemFolder = "/etc/nesa";

int levelRank(std::string_view level) {
  static const std::array<std::string_view, 4> levels{"local", "ee", "hss", "hss-ee"};
  const auto found = std::find(levels.begin(), levels.end(), level);
  return found == levels.end() ? -1 : static_cast<int>(found - levels.begin());
}

std::string joined(const std::vector<std::string> &items) {
  std::string out;
  for (const auto &item : items)
    out += (out.empty() ? "" : ", ") + item;
  return out;
}

std::optional<std::string> readFile(const fs::path &file) {
  std::ifstream in(file, std::ios::binary);
  if (!in)
    return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string trimmed(std::string text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.pop_back();
  return text;
}

} // namespace

std::string currentUserName() {
  if (const passwd *user = getpwuid(getuid()); user != nullptr && user->pw_name != nullptr)
    return user->pw_name;
  return "uid " + std::to_string(getuid());
}

Identity currentIdentity() {
  Identity who;
  who.user = currentUserName();
  const passwd *user = getpwuid(getuid());
  if (user == nullptr)
    return who;
  int count = 64;
  std::vector<gid_t> ids(static_cast<std::size_t>(count));
  if (getgrouplist(user->pw_name, user->pw_gid, ids.data(), &count) < 0) {
    ids.resize(static_cast<std::size_t>(count));
    getgrouplist(user->pw_name, user->pw_gid, ids.data(), &count);
  }
  ids.resize(static_cast<std::size_t>(std::max(count, 0)));
  for (const gid_t id : ids)
    if (const group *entry = getgrgid(id); entry != nullptr && entry->gr_name != nullptr)
      who.groups.emplace_back(entry->gr_name);
  return who;
}

Result<audit::VerifierKey> readVerifierKey(const fs::path &file) {
  const auto text = readFile(file);
  if (!text)
    return fail(ErrorCode::NotFound, "the administrator key " + file.string() + " cannot be read");
  auto key = audit::VerifierKey::parse(trimmed(*text));
  if (!key)
    return key.error().withContext(file.string());
  return key;
}

namespace {

/// The person the kept ID token names, checked against the keys and provider `signIn` pins.
Result<Identity> signedInPerson(const SignIn &signIn, const fs::path &session, std::int64_t nowMs) {
  const auto text = readFile(session);
  if (!text)
    return fail(ErrorCode::NotFound, "nobody is signed in on this computer");
  const auto kept = nlohmann::json::parse(*text, nullptr, false);
  if (!kept.is_object() || !kept.contains("idToken") || !kept["idToken"].is_string())
    return fail(ErrorCode::Corrupt, session.string() + " is damaged");
  identity::IdTokenExpectations expect;
  expect.issuer = signIn.issuer;
  expect.clientId = signIn.clientId;
  expect.nowSeconds = nowMs / 1000;
  expect.keptToken = true;
  auto claims = identity::verifyIdToken(kept["idToken"].get<std::string>(), signIn.keys, expect);
  if (!claims)
    return claims.error();
  return Identity{claims->userName, claims->groups};
}

} // namespace

fs::path signInSessionFile(const fs::path &dataDir) {
  return dataDir / "identity" / "session.json";
}

fs::path installedPolicyFolder() {
  std::error_code ec;
  // A system folder that cannot be searched is not "no policy": load() locks down there.
  if (fs::exists(fs::path(kSystemFolder) / "policy.pub", ec) || ec)
    return kSystemFolder;
  if (const char *folder = std::getenv("NESA_POLICY_DIR"); folder != nullptr && *folder != '\0')
    return folder;
  return kSystemFolder;
}

Enforcement Enforcement::load(const fs::path &folder, const Identity &who, std::int64_t nowMs,
                              const fs::path &signInSession) {
  Enforcement enforcement;
  enforcement.m_folder = folder.string();
  enforcement.m_who = who;
  std::error_code ec;
  const bool keyInstalled = fs::exists(folder / "policy.pub", ec);
  if (!keyInstalled && !ec)
    return enforcement; // Open
  enforcement.m_mode = Mode::Lockdown;
  if (ec) { // exists() reports no error for a missing file: this is another (a permission)
    enforcement.m_problem = (folder / "policy.pub").string() + " cannot be read: " + ec.message();
    return enforcement;
  }
  auto key = readVerifierKey(folder / "policy.pub");
  if (!key) {
    enforcement.m_problem = key.error().message;
    return enforcement;
  }
  const auto note = readFile(folder / "policy");
  if (!note) {
    enforcement.m_problem = "there is no policy at " + (folder / "policy").string();
    return enforcement;
  }
  auto policy = openPolicy(*note, *key, nowMs);
  if (!policy) {
    enforcement.m_problem = policy.error().message;
    return enforcement;
  }
  enforcement.m_mode = Mode::Enforced;
  if (policy->signIn) { // the provider says who this is, not the operating system
    auto person = signedInPerson(*policy->signIn, signInSession, nowMs);
    if (!person) {
      enforcement.m_signInProblem = person.error().message;
      enforcement.m_policy = std::move(*policy);
      return enforcement; // no role
    }
    enforcement.m_who = *person;
  }
  const Identity &holder = enforcement.m_who;
  std::set<std::string> held;
  if (const auto found = policy->users.find(holder.user); found != policy->users.end())
    held.insert(found->second.begin(), found->second.end());
  for (const auto &group : holder.groups)
    if (const auto found = policy->groups.find(group); found != policy->groups.end())
      held.insert(found->second.begin(), found->second.end());
  enforcement.m_roles.assign(held.begin(), held.end());
  enforcement.m_policy = std::move(*policy);
  return enforcement;
}

Enforcement Enforcement::installed() {
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  const auto config = loadConfig(paths::configFile());
  const fs::path dataDir = config ? config->effectiveDataDir() : paths::dataDir();
  return load(installedPolicyFolder(), currentIdentity(), now, signInSessionFile(dataDir));
}

Error Enforcement::refusal(const std::string &why) const {
  if (m_mode == Mode::Lockdown)
    return fail(ErrorCode::Forbidden,
                "the organisation's policy in " + m_folder +
                    " cannot be used, so Nesa runs in its most restrictive mode (no analyses, "
                    "exports, PACS transfers, mining or reading the audit trail) until an "
                    "administrator installs a valid one: " +
                    m_problem);
  const std::string source = "the policy of " + m_policy->organisation + " (version " +
                             std::to_string(m_policy->version) + ")";
  if (m_roles.empty() && !m_signInProblem.empty())
    return fail(ErrorCode::Forbidden, "refused by " + source + ": sign in with " +
                                          m_policy->signIn->issuer +
                                          " first (nesa login): " + m_signInProblem);
  if (m_roles.empty())
    return fail(ErrorCode::Forbidden, "refused by " + source + ": " + m_who.user +
                                          " holds no role in it (ask an administrator)");
  return fail(ErrorCode::Forbidden, "refused by " + source + ": " + why);
}

Storage Enforcement::storage() const {
  if (m_mode == Mode::Open)
    return {};
  if (m_mode == Mode::Lockdown) { // nothing is analysed, so nothing new for the history
    Storage strictest;
    strictest.history = HistoryKeeps::Nothing;
    return strictest;
  }
  return m_policy->storage;
}

std::vector<std::string> Enforcement::describe() const {
  if (m_mode == Mode::Open)
    return {"no organisation policy is installed (" + m_folder +
            "/policy.pub is absent): nothing is restricted"};
  if (m_mode == Mode::Lockdown)
    return {refusal({}).message};
  std::vector<std::string> lines{
      "policy of " + m_policy->organisation + ", version " + std::to_string(m_policy->version) +
          ", valid until " + formatUtcTime(m_policy->expiresMs),
      "user " + m_who.user + "; roles: " + (m_roles.empty() ? "none" : joined(m_roles))};
  if (m_policy->signIn)
    lines.insert(
        lines.begin() + 1,
        m_signInProblem.empty()
            ? "signed in at " + m_policy->signIn->issuer + " as " + m_who.user +
                  " (groups: " + (m_who.groups.empty() ? "none" : joined(m_who.groups)) + ")"
            : "not signed in at " + m_policy->signIn->issuer + " (nesa login): " + m_signInProblem);
  const Storage &storage = m_policy->storage;
  const char *keeps = storage.history == HistoryKeeps::Everything ? "everything"
                      : storage.history == HistoryKeeps::Reports  ? "reports without their inputs"
                                                                  : "nothing";
  lines.push_back(
      std::string("storage: audit log ") +
      (storage.auditRequired ? "required" : "as the settings say") + "; history keeps " + keeps +
      (storage.historyDays ? " for " + std::to_string(storage.historyDays) + " days"
                           : std::string()) +
      "; stores in " + (storage.folder.empty() ? std::string("the data folder") : storage.folder));
  for (const auto &name : m_roles) {
    const Role &role = m_policy->roles.at(name);
    lines.push_back(name + ": privacy level " + role.minimumLevel + " or higher; models " +
                    joined(role.models) + "; inputs " + joined(role.inputs) + "; spending " +
                    (role.dailySpendMicroNes
                         ? std::to_string(*role.dailySpendMicroNes) + " µNES a day"
                         : std::string("unlimited")) +
                    "; export " + (role.exportResults ? "yes" : "no") + "; PACS " +
                    (role.sendToPacs ? "yes" : "no") + "; miner " + (role.runMiner ? "yes" : "no") +
                    "; audit " + (role.reviewAudit ? "yes" : "no"));
  }
  return lines;
}

Result<void> Enforcement::allowsQuery(std::string_view level, std::string_view model,
                                      std::string_view kind) const {
  if (m_mode == Mode::Open)
    return {};
  if (m_mode == Mode::Lockdown || m_roles.empty())
    return refusal({});
  const std::string roleNames = "your roles (" + joined(m_roles) + ")";
  // One role must allow the level, the model and the input together: rules of different roles
  // are not combined into a grant none of them gives. The refusal names the first rule that
  // stops the role that comes closest (the level first, then the model, then the input).
  const std::string modelText(model);
  int closest = -1;
  std::string why;
  for (const auto &name : m_roles) {
    const Role &role = m_policy->roles.at(name);
    if (levelRank(level) < levelRank(role.minimumLevel)) {
      if (closest < 0) {
        closest = 0;
        why = "require privacy level " + role.minimumLevel + " or higher; this query asked for " +
              std::string(level);
      }
      continue;
    }
    const bool modelAllowed =
        std::any_of(role.models.begin(), role.models.end(), [&](const std::string &pattern) {
          // A pattern with a folder is a path's, whose '*' stays within one folder
          // ("/opt/models/*" is not "/opt/models/../x"); "*" alone matches every model.
          const bool pathPattern = pattern.find('/') != std::string::npos;
          return fnmatch(pattern.c_str(), modelText.c_str(), pathPattern ? FNM_PATHNAME : 0) == 0;
        });
    if (!modelAllowed) {
      if (closest < 1) {
        closest = 1;
        why = "may run only the models " + joined(role.models) + " at " + std::string(level) +
              ", not " + modelText;
      }
      continue;
    }
    if (std::find(role.inputs.begin(), role.inputs.end(), kind) == role.inputs.end()) {
      if (closest < 2) {
        closest = 2;
        why = "may give only " + joined(role.inputs) + " inputs to " + modelText +
              ", and this one is " + (kind == "array" || kind == "image" ? "an " : "a ") +
              std::string(kind);
      }
      continue;
    }
    return {};
  }
  return refusal(roleNames + " " + why);
}

bool Enforcement::limitsSpending() const {
  if (m_mode != Mode::Enforced)
    return m_mode == Mode::Lockdown;
  if (m_roles.empty())
    return true;
  return std::all_of(m_roles.begin(), m_roles.end(), [this](const std::string &name) {
    return m_policy->roles.at(name).dailySpendMicroNes.has_value();
  });
}

Result<void> Enforcement::allowsSpending(std::optional<std::uint64_t> spentToday,
                                         std::uint64_t costMicroNes) const {
  if (m_mode == Mode::Open || !limitsSpending())
    return {};
  if (m_mode == Mode::Lockdown || m_roles.empty())
    return refusal({});
  std::uint64_t limit = 0; // the most generous of the person's roles
  for (const auto &name : m_roles)
    limit = std::max(limit, *m_policy->roles.at(name).dailySpendMicroNes);
  const std::string roleNames = "your roles (" + joined(m_roles) + ")";
  if (!spentToday)
    return refusal(roleNames + " may spend " + std::to_string(limit) +
                   " µNES a day, and what was spent today is not known: turn the audit log on "
                   "(nesa config set auditLog true), which keeps that count");
  if (*spentToday + costMicroNes > limit)
    return refusal(roleNames + " may spend " + std::to_string(limit) + " µNES a day (UTC); " +
                   std::to_string(*spentToday) +
                   " µNES were spent today and this query would cost about " +
                   std::to_string(costMicroNes) + " µNES more");
  return {};
}

Result<void> Enforcement::allowsRight(bool Role::*right, const std::string &what) const {
  if (m_mode == Mode::Open)
    return {};
  if (m_mode == Mode::Lockdown || m_roles.empty())
    return refusal({});
  for (const auto &name : m_roles)
    if (m_policy->roles.at(name).*right)
      return {};
  return refusal("your roles (" + joined(m_roles) + ") may not " + what);
}

Result<void> Enforcement::allowsExport() const {
  return allowsRight(&Role::exportResults, "write results to files outside Nesa");
}

Result<void> Enforcement::allowsPacsTransfer() const {
  return allowsRight(&Role::sendToPacs, "send results to a PACS");
}

Result<void> Enforcement::allowsMiner() const {
  return allowsRight(&Role::runMiner, "run this computer's miner");
}

Result<void> Enforcement::allowsAuditReview() const {
  return allowsRight(&Role::reviewAudit, "read the audit trail");
}

std::string currentActor() {
  const Enforcement installed = Enforcement::installed();
  const bool signedIn =
      installed.policy() && installed.policy()->signIn && installed.signInProblem().empty();
  return signedIn ? installed.person().user : currentUserName();
}

} // namespace nesa::policy
