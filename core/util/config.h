// The user's settings, stored as JSON in paths::configFile().
#pragma once

#include "util/result.h"

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace nesa {

/// Every setting the app and the daemons read at start-up, with the defaults a new user gets.
struct Config {
  /// Which network to use: "devnet" (a local EVM devnet on this computer) or "join" (the EVM
  /// network of nodeAddress and deploymentFile).
  std::string network = "devnet";
  /// host:port of the joined network's chain node (its JSON-RPC); required when joining.
  std::string nodeAddress;
  /// The joined network's deployment file: its chain id and the addresses of the Nesa contracts
  /// there (docs/chain.md); required when joining.
  std::filesystem::path deploymentFile;
  /// Miners the local devnet starts (1..16).
  int devnetMiners = 2;
  /// Privacy level preselected for new analyses: "local", "ee", "hss" or "hss-ee".
  std::string defaultPrivacy = "hss";
  /// CPU threads a miner may use; 0 = all cores.
  int minerThreads = 0;
  /// Jobs the miner computes at the same time (1..64): how much of a GPU (or of the threads)
  /// it takes at once.
  int minerMaxJobs = 1;
  /// What the miner computes on: "auto" (a GPU when there is one), "cpu" or "cuda".
  std::string minerBackend = "auto";
  /// The miner pauses while other programs keep the processor busy.
  bool minerOnlyWhenIdle = false;
  /// The miner keeps serving after the desktop app's window closes (else the app stops it).
  bool minerKeepsRunning = true;
  /// User-interface language: "en" or "fr".
  std::string language = "en";
  /// Minutes of inactivity before the wallet locks; 0 = never.
  int autoLockMinutes = 10;
  /// The desktop app serves the local API (what `nesa serve` serves) while it runs.
  bool apiEnabled = false;
  /// The local API's port on 127.0.0.1 (1..65535), for the desktop and `nesa serve`.
  int apiPort = 11435;
  /// "trace", "debug", "info", "warn", "error" or "off".
  std::string logLevel = "info";
  /// Every analysis is appended to the tamper-evident audit log in `<data folder>/audit`
  /// (docs/enterprise.md); each run then asks for the wallet's passphrase, which keys it.
  bool auditLog = false;
  /// The PACS `nesa pacs` and `--send-to pacs` use: "AET@HOST:PORT" for DIMSE, or the
  /// DICOMweb base URL "https://HOST/PATH" (empty: none set).
  std::string pacsNode;
  /// Our AE title towards the PACS (1 to 16 characters); the PACS must list it to answer us.
  std::string pacsAeTitle = "NESA";
  /// DICOM over TLS with the PACS when set: the PEM file its certificate must chain to.
  std::filesystem::path pacsTlsTrusted;
  /// Our TLS certificate and private key (PEM) for a PACS that asks for one; empty: none.
  std::filesystem::path pacsTlsCertificate, pacsTlsKey;
  /// Where stores and bundles live; empty = paths::dataDir().
  std::filesystem::path dataDir;

  /// Checks every field; the error names the offending key and the accepted values.
  Result<void> validate() const;
  /// dataDir if set, else paths::dataDir().
  std::filesystem::path effectiveDataDir() const;
};

/// The settings as (key, value-as-text) pairs in a stable order, for display.
std::vector<std::pair<std::string, std::string>> configEntries(const Config &config);

/// Sets one setting from text ("devnetMiners", "3"); the result is validated.
Result<void> setConfigValue(Config &config, const std::string &key, const std::string &text);

/// Reads `file`; a missing file yields the defaults. Broken JSON, a wrong type or an invalid
/// value is an error that names the file and the key, never a silent reset to defaults.
Result<Config> loadConfig(const std::filesystem::path &file);

/// loadConfig() of `file`, or of the default settings file (paths::configFile()) when `file` is
/// empty: what a program given an optional --config reads.
Result<Config> loadConfigOrDefault(const std::filesystem::path &file);

/// Writes `config` to `file` atomically (temporary file + rename), creating the folder.
Result<void> saveConfig(const Config &config, const std::filesystem::path &file);

} // namespace nesa
