#include "util/config.h"

#include "util/atomic_file.h"

#include "util/paths.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <fstream>
#include <sstream>
#include <type_traits>
#include <variant>

namespace nesa {
namespace {

using nlohmann::json;

bool oneOf(const std::string &value, std::initializer_list<const char *> allowed) {
  for (const char *a : allowed)
    if (value == a)
      return true;
  return false;
}

Error invalid(const std::string &key, const std::string &why) {
  return fail(ErrorCode::InvalidInput, "setting '" + key + "' " + why);
}

// Reads `key` into `out` when present; a value of the wrong JSON type is an error.
template <typename T> Result<void> readKey(const json &object, const char *key, T &out) {
  auto it = object.find(key);
  if (it == object.end())
    return {};
  try {
    out = it->template get<T>();
  } catch (const json::exception &) {
    return invalid(key, std::string("has the wrong type (found ") + it->type_name() + ")");
  }
  return {};
}

// One setting: its key in the file and on the command line, and where it lives in Config.
struct Field {
  const char *key;
  std::variant<std::string Config::*, int Config::*, bool Config::*,
               std::filesystem::path Config::*>
      member;
};

const std::array<Field, 22> kFields{{
    {"network", &Config::network},
    {"nodeAddress", &Config::nodeAddress},
    {"deploymentFile", &Config::deploymentFile},
    {"devnetMiners", &Config::devnetMiners},
    {"defaultPrivacy", &Config::defaultPrivacy},
    {"minerThreads", &Config::minerThreads},
    {"minerMaxJobs", &Config::minerMaxJobs},
    {"minerBackend", &Config::minerBackend},
    {"minerOnlyWhenIdle", &Config::minerOnlyWhenIdle},
    {"minerKeepsRunning", &Config::minerKeepsRunning},
    {"language", &Config::language},
    {"autoLockMinutes", &Config::autoLockMinutes},
    {"apiEnabled", &Config::apiEnabled},
    {"apiPort", &Config::apiPort},
    {"logLevel", &Config::logLevel},
    {"auditLog", &Config::auditLog},
    {"pacsNode", &Config::pacsNode},
    {"pacsAeTitle", &Config::pacsAeTitle},
    {"pacsTlsTrusted", &Config::pacsTlsTrusted},
    {"pacsTlsCertificate", &Config::pacsTlsCertificate},
    {"pacsTlsKey", &Config::pacsTlsKey},
    {"dataDir", &Config::dataDir},
}};

// A DICOM application entity title: 1 to 16 printable ASCII characters, no backslash.
bool isAeTitle(const std::string &title) {
  if (title.empty() || title.size() > 16)
    return false;
  for (char c : title)
    if (c == '\\' || c < 0x20 || c > 0x7e)
      return false;
  return true;
}

// "AET@HOST:PORT" with a valid title, a host and a port from 1 to 65535; or a DICOMweb URL,
// "http[s]://HOST..." (nesa pacs checks the rest when it connects).
bool isPacsAddress(const std::string &text) {
  for (const char *scheme : {"http://", "https://"})
    if (text.starts_with(scheme))
      return text.size() > std::string(scheme).size() &&
             std::none_of(text.begin(), text.end(), [](char c) {
               return static_cast<unsigned char>(c) <= 0x20 ||
                      static_cast<unsigned char>(c) == 0x7f;
             });
  const auto at = text.find('@');
  const auto colon = text.rfind(':');
  if (at == std::string::npos || colon == std::string::npos || colon <= at + 1)
    return false;
  const std::string port = text.substr(colon + 1);
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos)
    return false;
  const int value = std::stoi(port);
  return isAeTitle(text.substr(0, at)) && value >= 1 && value <= 65535;
}

Result<void> parseNumber(const std::string &key, const std::string &text, int &out) {
  std::size_t used = 0;
  try {
    out = std::stoi(text, &used);
  } catch (const std::exception &) {
    used = 0;
  }
  if (used == 0 || used != text.size())
    return invalid(key, "must be a whole number, not \"" + text + "\"");
  return {};
}

} // namespace

Result<void> Config::validate() const {
  if (!oneOf(network, {"devnet", "join"}))
    return invalid("network", "must be \"devnet\" or \"join\", not \"" + network + "\"");
  if (network == "join" && nodeAddress.empty())
    return invalid("nodeAddress", "must be the chain node's host:port when network is \"join\"");
  if (network == "join" && deploymentFile.empty())
    return invalid("deploymentFile",
                   "must name the network's deployment file when network is \"join\"");
  if (devnetMiners < 1 || devnetMiners > 16)
    return invalid("devnetMiners", "must be between 1 and 16");
  if (!oneOf(defaultPrivacy, {"local", "ee", "hss", "hss-ee"}))
    return invalid("defaultPrivacy", "must be local, ee, hss or hss-ee");
  if (minerThreads < 0 || minerThreads > 1024)
    return invalid("minerThreads", "must be 0 (all cores) or a thread count");
  if (!oneOf(language, {"en", "fr"}))
    return invalid("language", "must be \"en\" or \"fr\"");
  if (minerMaxJobs < 1 || minerMaxJobs > 64)
    return invalid("minerMaxJobs", "must be a number of jobs from 1 to 64");
  if (!oneOf(minerBackend, {"auto", "cpu", "cuda"}))
    return invalid("minerBackend",
                   "must be \"auto\", \"cpu\" or \"cuda\", not \"" + minerBackend + "\"");
  if (apiPort < 1 || apiPort > 65535)
    return invalid("apiPort", "must be a port from 1 to 65535");
  if (autoLockMinutes < 0)
    return invalid("autoLockMinutes", "must be 0 (never) or a number of minutes");
  if (!oneOf(logLevel, {"trace", "debug", "info", "warn", "error", "off"}))
    return invalid("logLevel", "must be trace, debug, info, warn, error or off");
  if (!pacsNode.empty() && !isPacsAddress(pacsNode))
    return invalid("pacsNode", "must be AET@HOST:PORT (the PACS's AE title of 1 to 16 "
                               "characters, its host, and a DICOM port from 1 to 65535) or a "
                               "DICOMweb URL (https://HOST/PATH)");
  if (pacsTlsCertificate.empty() != pacsTlsKey.empty())
    return invalid("pacsTlsCertificate", "and pacsTlsKey are set together, or neither");
  if (!isAeTitle(pacsAeTitle))
    return invalid("pacsAeTitle", "must be 1 to 16 printable ASCII characters, no backslash");
  return {};
}

std::filesystem::path Config::effectiveDataDir() const {
  return dataDir.empty() ? paths::dataDir() : dataDir;
}

std::vector<std::pair<std::string, std::string>> configEntries(const Config &config) {
  std::vector<std::pair<std::string, std::string>> entries;
  for (const auto &field : kFields) {
    std::string text = std::visit(
        [&](auto member) -> std::string {
          using Value = std::decay_t<decltype(config.*member)>;
          if constexpr (std::is_same_v<Value, int>)
            return std::to_string(config.*member);
          else if constexpr (std::is_same_v<Value, bool>)
            return config.*member ? "true" : "false";
          else if constexpr (std::is_same_v<Value, std::filesystem::path>)
            return member == &Config::dataDir ? config.effectiveDataDir().string()
                                              : (config.*member).string();
          else
            return config.*member;
        },
        field.member);
    entries.emplace_back(field.key, std::move(text));
  }
  return entries;
}

Result<void> setConfigValue(Config &config, const std::string &key, const std::string &text) {
  const auto field =
      std::find_if(kFields.begin(), kFields.end(), [&](const Field &f) { return key == f.key; });
  if (field == kFields.end())
    return fail(ErrorCode::InvalidInput, "there is no setting named '" + key + "'");
  Config changed = config;
  auto parsed = std::visit(
      [&](auto member) -> Result<void> {
        using Value = std::decay_t<decltype(changed.*member)>;
        if constexpr (std::is_same_v<Value, int>)
          return parseNumber(key, text, changed.*member);
        else if constexpr (std::is_same_v<Value, bool>) {
          if (text != "true" && text != "false")
            return invalid(key, "must be true or false, not \"" + text + "\"");
          changed.*member = text == "true";
        } else
          changed.*member = text;
        return {};
      },
      field->member);
  if (!parsed)
    return parsed;
  if (auto valid = changed.validate(); !valid)
    return valid;
  config = std::move(changed);
  return {};
}

Result<Config> loadConfig(const std::filesystem::path &file) {
  Config config;
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    std::error_code ec;
    if (!std::filesystem::exists(file, ec))
      return config;
    return fail(ErrorCode::Io, "cannot read " + file.string());
  }
  std::stringstream text;
  text << in.rdbuf();

  json root;
  try {
    root = json::parse(text.str());
  } catch (const json::parse_error &e) {
    return fail(ErrorCode::Corrupt, file.string() + " is not valid JSON (at byte " +
                                        std::to_string(e.byte) + "); fix or delete it");
  }
  if (!root.is_object())
    return fail(ErrorCode::Corrupt, file.string() + " must hold a JSON object");

  for (const auto &field : kFields) {
    auto read = std::visit(
        [&](auto member) -> Result<void> {
          using Value = std::decay_t<decltype(config.*member)>;
          if constexpr (std::is_same_v<Value, std::filesystem::path>) {
            std::string path = (config.*member).string();
            auto r = readKey(root, field.key, path);
            config.*member = path;
            return r;
          } else {
            return readKey(root, field.key, config.*member);
          }
        },
        field.member);
    if (!read)
      return read.error().withContext(file.string());
  }
  if (auto valid = config.validate(); !valid)
    return valid.error().withContext(file.string());
  return config;
}

Result<Config> loadConfigOrDefault(const std::filesystem::path &file) {
  return loadConfig(file.empty() ? paths::configFile() : file);
}

Result<void> saveConfig(const Config &config, const std::filesystem::path &file) {
  if (auto valid = config.validate(); !valid)
    return valid.error();
  json root = json::object();
  for (const auto &field : kFields)
    std::visit(
        [&](auto member) {
          using Value = std::decay_t<decltype(config.*member)>;
          if constexpr (std::is_same_v<Value, std::filesystem::path>)
            root[field.key] = (config.*member).string();
          else
            root[field.key] = config.*member;
        },
        field.member);
  return writeFileAtomically(file, root.dump(2) + "\n");
}

} // namespace nesa
