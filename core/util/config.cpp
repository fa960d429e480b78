#include "util/config.h"

#include "util/paths.h"

#include <nlohmann/json.hpp>

#include <array>
#include <fstream>
#include <sstream>

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

} // namespace

Result<void> Config::validate() const {
  if (!oneOf(network, {"devnet", "join"}))
    return invalid("network", "must be \"devnet\" or \"join\", not \"" + network + "\"");
  if (network == "join" && nodeAddress.empty())
    return invalid("nodeAddress", "must be host:port when network is \"join\"");
  if (devnetMiners < 1 || devnetMiners > 16)
    return invalid("devnetMiners", "must be between 1 and 16");
  if (!oneOf(defaultPrivacy, {"local", "ee", "hss", "hss-ee"}))
    return invalid("defaultPrivacy", "must be local, ee, hss or hss-ee");
  if (minerThreads < 0 || minerThreads > 1024)
    return invalid("minerThreads", "must be 0 (all cores) or a thread count");
  if (!oneOf(language, {"en", "fr"}))
    return invalid("language", "must be \"en\" or \"fr\"");
  if (autoLockMinutes < 0)
    return invalid("autoLockMinutes", "must be 0 (never) or a number of minutes");
  if (!oneOf(logLevel, {"trace", "debug", "info", "warn", "error", "off"}))
    return invalid("logLevel", "must be trace, debug, info, warn, error or off");
  return {};
}

std::filesystem::path Config::effectiveDataDir() const {
  return dataDir.empty() ? paths::dataDir() : dataDir;
}

std::vector<std::pair<std::string, std::string>> configEntries(const Config &config) {
  return {
      {"network", config.network},
      {"nodeAddress", config.nodeAddress},
      {"devnetMiners", std::to_string(config.devnetMiners)},
      {"defaultPrivacy", config.defaultPrivacy},
      {"minerThreads", std::to_string(config.minerThreads)},
      {"language", config.language},
      {"autoLockMinutes", std::to_string(config.autoLockMinutes)},
      {"logLevel", config.logLevel},
      {"dataDir", config.effectiveDataDir().string()},
  };
}

Result<void> setConfigValue(Config &config, const std::string &key, const std::string &text) {
  Config changed = config;
  auto number = [&](int &out) -> Result<void> {
    std::size_t used = 0;
    try {
      out = std::stoi(text, &used);
    } catch (const std::exception &) {
      used = 0;
    }
    if (used == 0 || used != text.size())
      return invalid(key, "must be a whole number, not \"" + text + "\"");
    return {};
  };
  Result<void> parsed;
  if (key == "network")
    changed.network = text;
  else if (key == "nodeAddress")
    changed.nodeAddress = text;
  else if (key == "devnetMiners")
    parsed = number(changed.devnetMiners);
  else if (key == "defaultPrivacy")
    changed.defaultPrivacy = text;
  else if (key == "minerThreads")
    parsed = number(changed.minerThreads);
  else if (key == "language")
    changed.language = text;
  else if (key == "autoLockMinutes")
    parsed = number(changed.autoLockMinutes);
  else if (key == "logLevel")
    changed.logLevel = text;
  else if (key == "dataDir")
    changed.dataDir = text;
  else
    return fail(ErrorCode::InvalidInput, "there is no setting named '" + key + "'");
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

  std::string dataDir;
  for (auto r : std::array<Result<void>, 9>{
           readKey(root, "network", config.network),
           readKey(root, "nodeAddress", config.nodeAddress),
           readKey(root, "devnetMiners", config.devnetMiners),
           readKey(root, "defaultPrivacy", config.defaultPrivacy),
           readKey(root, "minerThreads", config.minerThreads),
           readKey(root, "language", config.language),
           readKey(root, "autoLockMinutes", config.autoLockMinutes),
           readKey(root, "logLevel", config.logLevel),
           readKey(root, "dataDir", dataDir),
       }) {
    if (!r)
      return r.error().withContext(file.string());
  }
  config.dataDir = dataDir;
  if (auto valid = config.validate(); !valid)
    return valid.error().withContext(file.string());
  return config;
}

Result<void> saveConfig(const Config &config, const std::filesystem::path &file) {
  if (auto valid = config.validate(); !valid)
    return valid.error();
  json root = {
      {"network", config.network},
      {"nodeAddress", config.nodeAddress},
      {"devnetMiners", config.devnetMiners},
      {"defaultPrivacy", config.defaultPrivacy},
      {"minerThreads", config.minerThreads},
      {"language", config.language},
      {"autoLockMinutes", config.autoLockMinutes},
      {"logLevel", config.logLevel},
      {"dataDir", config.dataDir.string()},
  };
  std::error_code ec;
  std::filesystem::create_directories(file.parent_path(), ec);
  if (ec)
    return fail(ErrorCode::Io,
                "cannot create " + file.parent_path().string() + ": " + ec.message());
  auto temporary = file;
  temporary += ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << root.dump(2) << '\n';
    if (!out.flush())
      return fail(ErrorCode::Io, "cannot write " + temporary.string());
  }
  std::filesystem::rename(temporary, file, ec);
  if (ec)
    return fail(ErrorCode::Io, "cannot replace " + file.string() + ": " + ec.message());
  return {};
}

} // namespace nesa
