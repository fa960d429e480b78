#include "policy/policy.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>

namespace nesa::policy {
namespace {

using nlohmann::json;

const std::array<std::string_view, 4> kLevels{"local", "ee", "hss", "hss-ee"};
const std::array<std::string_view, 4> kInputs{"scan", "image", "array", "document"};

Error invalid(const std::string &why) {
  return fail(ErrorCode::InvalidInput, "not a valid Nesa policy: " + why);
}

Result<std::vector<std::string>> stringList(const json &value, const std::string &where) {
  if (!value.is_array())
    return invalid(where + " must be a list of strings");
  std::vector<std::string> out;
  for (const auto &item : value) {
    if (!item.is_string())
      return invalid(where + " must be a list of strings");
    out.push_back(item.get<std::string>());
  }
  return out;
}

Result<bool> flag(const json &role, const char *name, const std::string &where,
                  bool absent = true) {
  if (!role.contains(name))
    return absent;
  if (!role[name].is_boolean())
    return invalid(where + "." + name + " must be true or false");
  return role[name].get<bool>();
}

Result<Role> parseRole(const json &value, const std::string &where) {
  if (!value.is_object())
    return invalid(where + " must be an object");
  static const std::array<std::string_view, 8> known{
      "minimumLevel", "models", "inputs", "dailySpendMicroNes", "export", "pacs", "miner", "audit"};
  for (const auto &[key, unused] : value.items())
    if (std::find(known.begin(), known.end(), key) == known.end())
      return invalid(where + " has an unknown rule \"" + key + "\"");
  Role role;
  if (value.contains("minimumLevel")) {
    const auto &level = value["minimumLevel"];
    if (!level.is_string() ||
        std::find(kLevels.begin(), kLevels.end(), level.get<std::string>()) == kLevels.end())
      return invalid(where + ".minimumLevel must be local, ee, hss or hss-ee");
    role.minimumLevel = level.get<std::string>();
  }
  if (value.contains("models")) {
    auto models = stringList(value["models"], where + ".models");
    if (!models)
      return models.error();
    role.models = std::move(*models);
  }
  if (value.contains("inputs")) {
    auto inputs = stringList(value["inputs"], where + ".inputs");
    if (!inputs)
      return inputs.error();
    for (const auto &input : *inputs)
      if (std::find(kInputs.begin(), kInputs.end(), input) == kInputs.end())
        return invalid(where + ".inputs: \"" + input +
                       "\" is not one of scan, image, array, document");
    role.inputs = std::move(*inputs);
  }
  if (value.contains("dailySpendMicroNes")) {
    const auto &limit = value["dailySpendMicroNes"];
    if (!limit.is_number_unsigned())
      return invalid(where + ".dailySpendMicroNes must be a whole number of µNES");
    role.dailySpendMicroNes = limit.get<std::uint64_t>();
  }
  auto exportResults = flag(value, "export", where);
  auto sendToPacs = flag(value, "pacs", where);
  auto runMiner = flag(value, "miner", where);
  auto reviewAudit = flag(value, "audit", where, false);
  for (const auto *result : {&exportResults, &sendToPacs, &runMiner, &reviewAudit})
    if (!*result)
      return result->error();
  role.exportResults = *exportResults;
  role.sendToPacs = *sendToPacs;
  role.runMiner = *runMiner;
  role.reviewAudit = *reviewAudit;
  return role;
}

Result<SignIn> parseSignIn(const json &value) {
  if (!value.is_object())
    return invalid("signIn must be an object");
  for (const auto &[key, unused] : value.items())
    if (key != "issuer" && key != "clientId" && key != "redirectPort" && key != "keys")
      return invalid("signIn has an unknown field \"" + key +
                     "\" (issuer, clientId, redirectPort, keys)");
  SignIn signIn;
  if (!value.contains("issuer") || !value["issuer"].is_string() ||
      !(value["issuer"].get<std::string>().starts_with("https://") ||
        value["issuer"].get<std::string>().starts_with("http://127.0.0.1:")))
    return invalid("signIn.issuer must be the provider's https URL");
  signIn.issuer = value["issuer"].get<std::string>();
  if (!value.contains("clientId") || !value["clientId"].is_string() ||
      value["clientId"].get<std::string>().empty())
    return invalid("signIn.clientId must name Nesa's client at the provider");
  signIn.clientId = value["clientId"].get<std::string>();
  if (!value.contains("redirectPort") || !value["redirectPort"].is_number_unsigned() ||
      value["redirectPort"].get<std::uint64_t>() == 0 ||
      value["redirectPort"].get<std::uint64_t>() > 65535)
    return invalid("signIn.redirectPort must be the port of the registered redirect "
                   "(http://127.0.0.1:PORT/callback)");
  signIn.redirectPort = value["redirectPort"].get<std::uint16_t>();
  if (!value.contains("keys") || !value["keys"].is_object() || !value["keys"].contains("keys") ||
      !value["keys"]["keys"].is_array() || value["keys"]["keys"].empty())
    return invalid("signIn.keys must be the provider's key set (its JWKS: {\"keys\": [...]})");
  signIn.keys = value["keys"].dump();
  return signIn;
}

Result<Storage> parseStorage(const json &value) {
  if (!value.is_object())
    return invalid("storage must be an object");
  for (const auto &[key, unused] : value.items())
    if (key != "auditLog" && key != "folder" && key != "history" && key != "historyDays")
      return invalid("storage has an unknown field \"" + key +
                     "\" (auditLog, folder, history, historyDays)");
  Storage storage;
  if (value.contains("auditLog")) {
    if (value["auditLog"] != "required" && value["auditLog"] != "optional")
      return invalid("storage.auditLog must be \"required\" or \"optional\"");
    storage.auditRequired = value["auditLog"] == "required";
  }
  if (value.contains("folder")) {
    if (!value["folder"].is_string() || !value["folder"].get<std::string>().starts_with("/"))
      return invalid("storage.folder must be an absolute path (\"{user}\" stands for the user)");
    storage.folder = value["folder"].get<std::string>();
  }
  if (value.contains("history")) {
    const json &keeps = value["history"];
    if (keeps == "everything")
      storage.history = HistoryKeeps::Everything;
    else if (keeps == "reports")
      storage.history = HistoryKeeps::Reports;
    else if (keeps == "nothing")
      storage.history = HistoryKeeps::Nothing;
    else
      return invalid("storage.history must be \"everything\", \"reports\" or \"nothing\"");
  }
  if (value.contains("historyDays")) {
    if (!value["historyDays"].is_number_unsigned() ||
        value["historyDays"].get<std::uint64_t>() > 36500)
      return invalid("storage.historyDays must be a whole number of days (0: no limit)");
    storage.historyDays = value["historyDays"].get<std::uint32_t>();
  }
  return storage;
}

Result<std::map<std::string, std::vector<std::string>>> members(const json &root, const char *name,
                                                                const Policy &policy) {
  std::map<std::string, std::vector<std::string>> out;
  if (!root.contains(name))
    return out;
  if (!root[name].is_object())
    return invalid(std::string(name) + " must map names to lists of roles");
  for (const auto &[member, roles] : root[name].items()) {
    auto list = stringList(roles, std::string(name) + "." + member);
    if (!list)
      return list.error();
    for (const auto &role : *list)
      if (!policy.roles.contains(role))
        return invalid(std::string(name) + "." + member + " names the unknown role \"" + role +
                       "\"");
    out[member] = std::move(*list);
  }
  return out;
}

} // namespace

Result<std::int64_t> parseUtcTime(std::string_view text) {
  std::tm parts{};
  char zone = 0;
  int consumed = 0;
  const std::string copy(text);
  if (std::sscanf(copy.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%c%n", &parts.tm_year, &parts.tm_mon,
                  &parts.tm_mday, &parts.tm_hour, &parts.tm_min, &parts.tm_sec, &zone,
                  &consumed) != 7 ||
      zone != 'Z' || consumed != static_cast<int>(copy.size()) || parts.tm_mon < 1 ||
      parts.tm_mon > 12 || parts.tm_mday < 1 || parts.tm_mday > 31 || parts.tm_hour > 23 ||
      parts.tm_min > 59 || parts.tm_sec > 60)
    return fail(ErrorCode::InvalidInput, "\"" + copy +
                                             "\" is not a UTC time like "
                                             "2027-06-30T00:00:00Z");
  parts.tm_year -= 1900;
  parts.tm_mon -= 1;
  const std::int64_t ms = static_cast<std::int64_t>(timegm(&parts)) * 1000;
  // Exactly that form and a real date: "2027-02-31", " 7:00" or "-1" do not read back the same.
  if (formatUtcTime(ms) != copy)
    return fail(ErrorCode::InvalidInput, "\"" + copy +
                                             "\" is not a UTC time like "
                                             "2027-06-30T00:00:00Z");
  return ms;
}

std::string formatUtcTime(std::int64_t ms) {
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  std::array<char, 32> text{};
  std::strftime(text.data(), text.size(), "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text.data();
}

Result<Policy> parsePolicyJson(std::string_view text) {
  const json root = json::parse(text, nullptr, false);
  if (!root.is_object())
    return invalid("it is not a JSON object");
  static const std::array<std::string_view, 8> known{
      "organisation", "version", "expires", "roles", "users", "groups", "signIn", "storage"};
  for (const auto &[key, unused] : root.items())
    if (std::find(known.begin(), known.end(), key) == known.end())
      return invalid("unknown field \"" + key +
                     "\" (the fields are organisation, version, "
                     "expires, roles, users, groups, signIn, storage)");
  Policy policy;
  if (!root.contains("organisation") || !root["organisation"].is_string() ||
      root["organisation"].get<std::string>().empty())
    return invalid("it names no organisation");
  policy.organisation = root["organisation"].get<std::string>();
  if (!root.contains("version") || !root["version"].is_number_unsigned())
    return invalid("its version must be a whole number");
  policy.version = root["version"].get<std::uint64_t>();
  if (!root.contains("expires") || !root["expires"].is_string())
    return invalid("it has no expiry (\"expires\": \"2027-06-30T00:00:00Z\")");
  auto expires = parseUtcTime(root["expires"].get<std::string>());
  if (!expires)
    return invalid("expires: " + expires.error().message);
  policy.expiresMs = *expires;
  if (!root.contains("roles") || !root["roles"].is_object() || root["roles"].empty())
    return invalid("it defines no roles");
  for (const auto &[name, value] : root["roles"].items()) {
    auto role = parseRole(value, "roles." + name);
    if (!role)
      return role.error();
    policy.roles[name] = std::move(*role);
  }
  auto users = members(root, "users", policy);
  if (!users)
    return users.error();
  auto groups = members(root, "groups", policy);
  if (!groups)
    return groups.error();
  policy.users = std::move(*users);
  policy.groups = std::move(*groups);
  if (root.contains("signIn")) {
    auto signIn = parseSignIn(root["signIn"]);
    if (!signIn)
      return signIn.error();
    policy.signIn = std::move(*signIn);
  }
  if (root.contains("storage")) {
    auto storage = parseStorage(root["storage"]);
    if (!storage)
      return storage.error();
    policy.storage = std::move(*storage);
  }
  return policy;
}

Result<std::string> signPolicy(std::string_view text, const audit::SignerKey &key) {
  if (auto parsed = parsePolicyJson(text); !parsed)
    return parsed.error();
  // Reformatted: one JSON value per line has no blank line, as a signed note's text must not.
  const std::string body = std::string(kPolicyHeader) + "\n" + json::parse(text).dump(2) + "\n";
  return audit::signNote(body, key);
}

Result<Policy> openPolicy(std::string_view note, const audit::VerifierKey &key,
                          std::int64_t nowMs) {
  auto text = audit::openNote(note, key);
  if (!text)
    return fail(ErrorCode::Corrupt, "the policy is not signed by the administrator's key " +
                                        key.toString() + " (" + text.error().message + ")");
  const std::string header = std::string(kPolicyHeader) + "\n";
  if (!text->starts_with(header))
    return fail(ErrorCode::Corrupt, "the signed note is not a Nesa policy (its first line is not "
                                    "\"" +
                                        std::string(kPolicyHeader) + "\")");
  auto policy = parsePolicyJson(std::string_view(*text).substr(header.size()));
  if (!policy)
    return fail(ErrorCode::Corrupt, policy.error().message);
  if (nowMs >= policy->expiresMs)
    return fail(ErrorCode::Forbidden, "the policy of " + policy->organisation + " (version " +
                                          std::to_string(policy->version) + ") expired at " +
                                          formatUtcTime(policy->expiresMs));
  return policy;
}

} // namespace nesa::policy
