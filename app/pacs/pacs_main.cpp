// nesa-pacs: the hospital's PACS from the command line (what `nesa pacs` runs): check the
// connection, find studies and series, retrieve a series to analyze, send results back.
#include "cli/arguments.h"
#include "cli/commands.h"
#include "cli/secret_input.h"
#include "pacs/pacs_client.h"
#include "policy/audit_records.h"
#include "policy/storage_places.h"
#include "util/config.h"
#include "util/paths.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <iomanip>
#include <iostream>

namespace {

using namespace nesa;
namespace fs = std::filesystem;

const std::vector<cli::OptionSpec> kOptions = {
    {"pacs", true,
     "the PACS: its DICOM address, or the base URL of its DICOMweb services (default: the "
     "settings' pacsNode)",
     "AET@HOST:PORT|URL"},
    {"ae-title", true, "our AE title (default: the settings' pacsAeTitle, NESA)", "AET"},
    {"tls-trusted", true,
     "talk DICOM over TLS, or trust FILE rather than the system's authorities for https; the "
     "PACS's certificate must chain to FILE (default: the settings' pacsTlsTrusted)",
     "FILE.pem"},
    {"tls-certificate", true,
     "our TLS certificate, for a PACS that asks (with --tls-key; default: the settings' "
     "pacsTlsCertificate)",
     "FILE.pem"},
    {"tls-key", true, "the private key of --tls-certificate (default: the settings' pacsTlsKey)",
     "FILE.pem"},
    {"patient-name", true, "find: the patient's name (DICOM wildcards: Doe^*)", "NAME"},
    {"patient-id", true, "find: the patient's ID", "ID"},
    {"study-date", true, "find: the study date or a range (20240101-20241231)", "DATE"},
    {"accession", true, "find: the accession number", "NUMBER"},
    {"study", true, "find: one study by its instance UID", "UID"},
    {"series", true, "get: one series of the study (default: the whole study)", "UID"},
    {"to", true, "get: the new folder to retrieve into", "DIR"},
    {"json", false,
     "print JSON for programs: find and series an array, get a line per instance "
     "{\"received\": N, \"remaining\": M} and a last {\"retrieved\": N, \"folder\": DIR}"},
    {"config", true, "read settings from FILE instead of the default", "FILE"},
    {"help", false, "show this help"},
};

const char *kUsage =
    "usage: nesa pacs echo                        check that the PACS answers us\n"
    "       nesa pacs find [--patient-name N] [--patient-id ID] [--study-date D]\n"
    "                      [--accession A] [--study UID] [--json]\n"
    "       nesa pacs series STUDY_UID [--json]   the series of a study\n"
    "       nesa pacs get STUDY_UID [--series UID] --to DIR\n"
    "       nesa pacs send FILE|DIR...            store DICOM files (results) on the PACS; a DIR\n"
    "                                             gives the files directly in it\n\n"
    "Talks DICOM (C-ECHO, C-FIND, C-GET, C-STORE) to the PACS given with --pacs or set with\n"
    "'nesa config set pacsNode AET@HOST:PORT'; the PACS must list our AE title among its DICOM\n"
    "modalities. Given a URL (--pacs https://pacs.example.org/dicom-web) it talks DICOMweb\n"
    "instead (QIDO-RS, WADO-RS, STOW-RS). Patient details go only between this computer and\n"
    "the PACS (docs/pacs.md).\n"
    "Exit codes: 0 done, 1 failed, 2 wrong input or refused by the PACS, 3 no answer.\n\n"
    "Options:\n";

int failWith(const Error &error) {
  std::cerr << "nesa pacs: " << error.message << '\n';
  return cli::exitCodeFor(error);
}

Result<pacs::PacsNode> nodeOf(const cli::Arguments &args) {
  auto config = loadConfig(args.value("config", paths::configFile().string()));
  if (!config)
    return config.error();
  const std::string address = args.value("pacs", config->pacsNode);
  if (address.empty())
    return fail(ErrorCode::InvalidInput,
                "no PACS: give --pacs AET@HOST:PORT (or a DICOMweb URL) or set one with 'nesa "
                "config set pacsNode AET@HOST:PORT'");
  auto node = pacs::parsePacsNode(address, args.value("ae-title", config->pacsAeTitle));
  if (!node)
    return node.error();
  node->trustedCertificates = args.value("tls-trusted", config->pacsTlsTrusted.string());
  node->certificate = args.value("tls-certificate", config->pacsTlsCertificate.string());
  node->privateKey = args.value("tls-key", config->pacsTlsKey.string());
  if (auto files = pacs::checkTlsFiles(*node); !files)
    return files.error();
  return node;
}

// The audit log a transfer is recorded in when the settings keep one (the passphrase asked for,
// or taken as handed over); none when they do not.
Result<std::optional<audit::AuditLog>> auditLogFor(const cli::Arguments &args) {
  auto config = loadConfig(args.value("config", paths::configFile().string()));
  if (!config)
    return config.error();
  if (!policy::auditLogOn(*config))
    return std::optional<audit::AuditLog>{};
  auto passphrase = cli::readPassphrase(false);
  if (!passphrase)
    return passphrase.error().withContext(
        "transfers are recorded in the audit log, which opens with the wallet's passphrase "
        "(unlock the wallet in the app, or set $NESA_WALLET_PASSPHRASE)");
  return policy::openAuditLogIfEnabled(*config, *passphrase);
}

// Records that a transfer (`action` "pacs-get" or "pacs-send") of what `subject` names starts
// with `node`, in `log` when there is one: a transfer cut short is on record too.
Result<void> recordStart(std::optional<audit::AuditLog> &log, const std::string &action,
                         const std::string &subject, const pacs::PacsNode &node) {
  if (!log)
    return {};
  if (auto recorded = log->append(policy::auditRecord(
          action, subject, "started", nlohmann::json{{"pacs", pacs::describe(node)}}.dump()));
      !recorded)
    return recorded.error().withContext("recording the transfer in the audit log");
  return {};
}

// Records how the transfer ended: `objects` moved when it worked. The transfer's own error,
// else the recording's, is returned.
Result<void> recordEnd(std::optional<audit::AuditLog> &log, const std::string &action,
                       const std::string &subject, const pacs::PacsNode &node, std::size_t objects,
                       const Result<void> &done) {
  if (!log)
    return done;
  nlohmann::json details{{"pacs", pacs::describe(node)}};
  if (done)
    details["objects"] = objects;
  auto recorded =
      log->append(policy::auditRecord(action, subject, policy::outcomeOf(done), details.dump()));
  if (!done)
    return done;
  if (!recorded)
    return recorded.error().withContext("recording the transfer in the audit log");
  return {};
}

// Text from the PACS as it goes to a terminal: control characters (escape sequences) dropped.
std::string shown(const std::string &text) {
  std::string clean;
  for (char c : text)
    if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f)
      clean += c;
  return clean;
}

void printStudies(const std::vector<pacs::StudyMatch> &studies, bool json) {
  if (json) {
    auto list = nlohmann::json::array();
    for (const auto &s : studies)
      list.push_back({{"studyInstanceUid", s.studyInstanceUid},
                      {"patientName", s.patientName},
                      {"patientId", s.patientId},
                      {"studyDate", s.studyDate},
                      {"studyDescription", s.studyDescription},
                      {"accessionNumber", s.accessionNumber},
                      {"modalities", s.modalities}});
    std::cout << list.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    return;
  }
  if (studies.empty()) {
    std::cout << "No study matches.\n";
    return;
  }
  for (const auto &s : studies)
    std::cout << shown(s.studyDate) << "  " << std::left << std::setw(24) << shown(s.patientName)
              << ' ' << std::setw(12) << shown(s.patientId) << ' ' << std::setw(12)
              << shown(s.modalities) << ' ' << shown(s.studyDescription) << "\n  study "
              << shown(s.studyInstanceUid) << '\n';
}

void printSeries(const std::vector<pacs::SeriesMatch> &series, bool json) {
  if (json) {
    auto list = nlohmann::json::array();
    for (const auto &s : series)
      list.push_back({{"seriesInstanceUid", s.seriesInstanceUid},
                      {"modality", s.modality},
                      {"seriesNumber", s.seriesNumber},
                      {"seriesDescription", s.seriesDescription},
                      {"instances", s.instances}});
    std::cout << list.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    return;
  }
  for (const auto &s : series)
    std::cout << std::left << std::setw(5) << shown(s.seriesNumber) << std::setw(5)
              << shown(s.modality) << std::setw(6)
              << (s.instances < 0 ? std::string("?") : std::to_string(s.instances))
              << shown(s.seriesDescription) << "\n  series " << shown(s.seriesInstanceUid) << '\n';
}

// The files to send: each file named, and the DICOM files directly in each folder named.
std::vector<fs::path> filesToSend(const std::vector<std::string> &names) {
  std::vector<fs::path> files;
  for (const auto &name : names) {
    std::error_code ec;
    if (fs::is_directory(name, ec)) {
      for (const auto &entry : fs::directory_iterator(name, ec))
        if (entry.is_regular_file(ec) && entry.path().filename().string().front() != '.')
          files.push_back(entry.path());
    } else {
      files.emplace_back(name);
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

} // namespace

int main(int argc, char **argv) {
  cli::takeHandedPassphrase(); // first: no child inherits it
  auto args = cli::parseArguments(argc, argv, 1, kOptions);
  if (!args)
    return failWith(args.error());
  const auto &words = args->positional;
  if (args->has("help") || words.empty()) {
    (args->has("help") ? std::cout : std::cerr) << kUsage << cli::formatOptions(kOptions);
    return args->has("help") ? cli::kExitOk : cli::kExitUsage;
  }
  const std::string &command = words.front();
  const bool json = args->has("json");
  if (command != "echo" && command != "find" && command != "series" && command != "get" &&
      command != "send")
    return failWith(Error{ErrorCode::InvalidInput,
                          "unknown command \"" + command + "\"\n" + std::string(kUsage)});
  auto node = nodeOf(*args);
  if (!node)
    return failWith(node.error());

  if (command == "echo") {
    if (auto answered = pacs::echo(*node); !answered)
      return failWith(answered.error());
    std::cout << "The PACS " << pacs::describe(*node) << " answers " << node->callingAeTitle
              << ".\n";
    return cli::kExitOk;
  }
  if (command == "find") {
    pacs::StudyQuery query{args->value("patient-name"), args->value("patient-id"),
                           args->value("study-date"), args->value("accession"),
                           args->value("study")};
    auto studies = pacs::findStudies(*node, query);
    if (!studies)
      return failWith(studies.error());
    printStudies(*studies, json);
    return cli::kExitOk;
  }
  if (words.size() < 2)
    return failWith(Error{ErrorCode::InvalidInput, command == "send"
                                                       ? "say which files to send"
                                                       : "say which study (its instance UID)"});
  if (command == "series") {
    auto series = pacs::findSeries(*node, words[1]);
    if (!series)
      return failWith(series.error());
    printSeries(*series, json);
    return cli::kExitOk;
  }
  // A transfer that cannot be recorded does not start.
  auto log = auditLogFor(*args);
  if (!log)
    return failWith(log.error());
  if (command == "get") {
    if (!args->has("to"))
      return failWith(Error{ErrorCode::InvalidInput, "say where to: --to DIR (a new folder)"});
    if (auto started = recordStart(*log, "pacs-get", "(not received yet)", *node); !started)
      return failWith(started.error());
    // Progress: a line each with --json ({"received": N, "remaining": M}), else one line
    // rewritten on stderr.
    auto received = pacs::retrieve(
        *node, words[1], args->value("series"), args->value("to"), [json](int done, int remaining) {
          if (json)
            std::cout << nlohmann::json{{"received", done}, {"remaining", remaining}} << std::endl;
          else
            std::cerr << "\rreceived " << done << ", " << remaining << " to come" << std::flush;
          return true;
        });
    if (!json)
      std::cerr << '\n';
    // The record names what arrived by its digest, never by the study's identifiers.
    const Result<void> done = received ? Result<void>() : Result<void>(received.error());
    if (auto recorded = recordEnd(*log, "pacs-get", policy::contentDigest(args->value("to")), *node,
                                  received ? static_cast<std::size_t>(*received) : 0, done);
        !recorded)
      return failWith(recorded.error());
    if (json)
      std::cout << nlohmann::json{{"retrieved", *received}, {"folder", args->value("to")}}
                << std::endl;
    else
      std::cout << "Retrieved " << *received << " instances into " << args->value("to") << ".\n";
    return cli::kExitOk;
  }
  const auto files = filesToSend({words.begin() + 1, words.end()});
  std::string sent; // the digest of each file or folder named
  for (auto word = words.begin() + 1; word != words.end(); ++word)
    sent += (sent.empty() ? "" : " ") + policy::contentDigest(*word);
  if (auto started = recordStart(*log, "pacs-send", sent, *node); !started)
    return failWith(started.error());
  if (auto stored =
          recordEnd(*log, "pacs-send", sent, *node, files.size(), pacs::store(*node, files));
      !stored)
    return failWith(stored.error());
  std::cout << "Stored " << files.size() << " objects on " << pacs::describe(*node) << ".\n";
  return cli::kExitOk;
}
