#include "policy/enforcement.h"

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

fs::path installedPolicyFolder() {
  std::error_code ec;
  if (fs::exists(fs::path(kSystemFolder) / "policy.pub", ec))
    return kSystemFolder;
  if (const char *folder = std::getenv("NESA_POLICY_DIR"); folder != nullptr && *folder != '\0')
    return folder;
  return kSystemFolder;
}

Enforcement Enforcement::load(const fs::path &folder, const Identity &who, std::int64_t nowMs) {
  Enforcement enforcement;
  enforcement.m_folder = folder.string();
  enforcement.m_who = who;
  std::error_code ec;
  if (!fs::exists(folder / "policy.pub", ec))
    return enforcement; // Open
  enforcement.m_mode = Mode::Lockdown;
  const auto keyText = readFile(folder / "policy.pub");
  if (!keyText) {
    enforcement.m_problem =
        "the administrator key " + (folder / "policy.pub").string() + " cannot be read";
    return enforcement;
  }
  auto key = audit::VerifierKey::parse(trimmed(*keyText));
  if (!key) {
    enforcement.m_problem = (folder / "policy.pub").string() + ": " + key.error().message;
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
  std::set<std::string> held;
  if (const auto found = policy->users.find(who.user); found != policy->users.end())
    held.insert(found->second.begin(), found->second.end());
  for (const auto &group : who.groups)
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
  return load(installedPolicyFolder(), currentIdentity(), now);
}

Error Enforcement::refusal(const std::string &why) const {
  if (m_mode == Mode::Lockdown)
    return fail(ErrorCode::Forbidden,
                "the organisation's policy in " + m_folder +
                    " cannot be used, so Nesa runs in its most restrictive mode (no analyses, "
                    "exports, PACS transfers or mining) until an administrator installs a valid "
                    "one: " +
                    m_problem);
  const std::string source = "the policy of " + m_policy->organisation + " (version " +
                             std::to_string(m_policy->version) + ")";
  if (m_roles.empty())
    return fail(ErrorCode::Forbidden, "refused by " + source + ": " + m_who.user +
                                          " holds no role in it (ask an administrator)");
  return fail(ErrorCode::Forbidden, "refused by " + source + ": " + why);
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
  for (const auto &name : m_roles) {
    const Role &role = m_policy->roles.at(name);
    lines.push_back(name + ": privacy level " + role.minimumLevel + " or higher; models " +
                    joined(role.models) + "; inputs " + joined(role.inputs) + "; spending " +
                    (role.dailySpendMicroNes
                         ? std::to_string(*role.dailySpendMicroNes) + " µNES a day"
                         : std::string("unlimited")) +
                    "; export " + (role.exportResults ? "yes" : "no") + "; PACS " +
                    (role.sendToPacs ? "yes" : "no") + "; miner " + (role.runMiner ? "yes" : "no"));
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
  int lowest = 4;
  bool modelAllowed = false, inputAllowed = false;
  std::vector<std::string> models, inputs;
  for (const auto &name : m_roles) {
    const Role &role = m_policy->roles.at(name);
    lowest = std::min(lowest, levelRank(role.minimumLevel));
    for (const auto &pattern : role.models) {
      models.push_back(pattern);
      modelAllowed |= fnmatch(pattern.c_str(), std::string(model).c_str(), 0) == 0;
    }
    for (const auto &input : role.inputs) {
      inputs.push_back(input);
      inputAllowed |= input == kind;
    }
  }
  if (levelRank(level) < lowest) {
    static const std::array<const char *, 4> names{"local", "ee", "hss", "hss-ee"};
    return refusal(roleNames + " require privacy level " + names[lowest] +
                   " or higher; this query asked for " + std::string(level));
  }
  if (!modelAllowed)
    return refusal(roleNames + " may run only the models " + joined(models) + ", not " +
                   std::string(model));
  if (!inputAllowed)
    return refusal(roleNames + " may give only " + joined(inputs) + " inputs, and this one is " +
                   (kind == "array" || kind == "image" ? "an " : "a ") + std::string(kind));
  return {};
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

} // namespace nesa::policy
