#include "cli/audit_command.h"

#include "audit/audit_log.h"
#include "audit/dicom_audit_message.h"
#include "audit/syslog_shipping.h"
#include "cli/arguments.h"
#include "cli/commands.h"
#include "cli/secret_input.h"
#include "policy/enforcement.h"
#include "policy/storage_places.h"
#include "util/atomic_file.h"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <ctime>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace nesa::cli {
namespace {

namespace fs = std::filesystem;
using audit::AuditEntry;
using audit::AuditLog;

constexpr const char *kUsage =
    "usage: nesa audit COMMAND\n\n"
    "  verify [CHECKPOINT...]  re-hash every record and check the signed checkpoints, the\n"
    "                          sequence, the witness file, and checkpoints an auditor kept\n"
    "                          (files holding one signed note each; --key: the verifier\n"
    "                          key the auditor kept); exit 1 if anything fails\n"
    "  list                    the records, oldest first (--action A, --actor U,\n"
    "                          --since YYYY-MM-DD, --limit N, --json)\n"
    "  checkpoint              the latest signed checkpoint (C2SP tlog-checkpoint), to hand to\n"
    "                          an auditor\n"
    "  key                     the verifier key that signs the checkpoints\n"
    "  prove N                 JSON proof that record N is in the latest checkpoint\n"
    "  export                  every record as DICOM PS3.15 audit messages, one per line\n"
    "                          (--format dicom|json, --output FILE)\n"
    "  ship --to HOST:PORT --ca FILE\n"
    "                          send the records not sent yet to the organisation's audit\n"
    "                          repository over syslog with TLS (RFC 5425), as DICOM audit\n"
    "                          messages, then the latest signed checkpoint (--server-name N,\n"
    "                          --client-cert F --client-key F)\n\n"
    "The log lives in <data folder>/audit and is written by `nesa analyze` when the setting\n"
    "auditLog is true (nesa config set auditLog true). It is encrypted with the wallet's\n"
    "passphrase, asked for on the terminal or taken from $NESA_WALLET_PASSPHRASE. Under an\n"
    "organisation's policy, list, export and prove need a role with the audit right.\n";

const std::vector<OptionSpec> kOptions = {
    {"action", true, "only records of this action", "ACTION"},
    {"actor", true, "only records of this user", "USER"},
    {"since", true, "only records from this day on (UTC)", "YYYY-MM-DD"},
    {"limit", true, "at most the N newest records", "N"},
    {"format", true, "export format: dicom (default) or json", "FORMAT"},
    {"output", true, "write the export to FILE instead of standard output", "FILE"},
    {"key", true, "verify: the verifier key an auditor kept (nesa audit key)", "KEY"},
    {"to", true, "ship: the audit repository's syslog over TLS", "HOST:PORT"},
    {"ca", true, "ship: PEM certificates that signed the repository's", "FILE"},
    {"server-name", true, "ship: the name its certificate carries (default: HOST)", "NAME"},
    {"client-cert", true, "ship: this computer's certificate, when the repository asks", "FILE"},
    {"client-key", true, "ship: that certificate's private key", "FILE"},
    {"json", false, "machine-readable output"},
};

int failWith(Context &ctx, const Error &error) { return cli::failWith(ctx, "audit", error); }

fs::path auditFolder(const Context &ctx) { return policy::auditFolder(ctx.config); }

Result<AuditLog> openExisting(const Context &ctx) {
  const fs::path folder = auditFolder(ctx);
  if (!fs::exists(AuditLog::storePath(folder)) && !fs::exists(AuditLog::witnessPath(folder)))
    return fail(
        ErrorCode::NotFound,
        "no audit log in " + folder.string() +
            " yet: it starts with the first analysis after 'nesa config set auditLog true'");
  auto passphrase = readPassphrase(false);
  if (!passphrase)
    return passphrase.error();
  return AuditLog::open(folder, *passphrase);
}

std::string readFile(const fs::path &file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

nlohmann::json toJson(const AuditEntry &entry) {
  nlohmann::json details = nlohmann::json::parse(entry.details, nullptr, false);
  if (details.is_discarded())
    details = entry.details;
  return {{"sequence", entry.sequence}, {"time", audit::utcTimestamp(entry.timeMs)},
          {"actor", entry.actor},       {"action", entry.action},
          {"subject", entry.subject},   {"outcome", entry.outcome},
          {"details", details}};
}

// "YYYY-MM-DD" as milliseconds since the epoch at 00:00 UTC.
Result<std::int64_t> dayStartMs(const std::string &day) {
  std::tm tm{};
  std::istringstream in(day);
  in >> std::get_time(&tm, "%Y-%m-%d");
  if (in.fail() || day.size() != 10)
    return fail(ErrorCode::InvalidInput, "--since takes a day as YYYY-MM-DD, not '" + day + "'");
  return static_cast<std::int64_t>(timegm(&tm)) * 1000;
}

int verify(Context &ctx, AuditLog &log, const Arguments &args) {
  std::vector<std::string> kept;
  for (std::size_t i = 1; i < args.positional.size(); ++i) {
    const fs::path file = args.positional[i];
    if (!fs::is_regular_file(file))
      return failWith(ctx, fail(ErrorCode::NotFound, "no checkpoint file " + file.string()));
    kept.push_back(readFile(file));
  }
  auto report = log.verify(kept, args.value("key"));
  if (!report)
    return failWith(ctx, report.error());
  if (args.has("json")) {
    ctx.out << nlohmann::json{{"intact", report->intact()},
                              {"records", report->records},
                              {"checkpoints", report->checkpoints},
                              {"root", audit::toHex(report->root)},
                              {"problems", report->problems}}
                   .dump()
            << '\n';
  } else if (report->intact()) {
    ctx.out << "audit log intact: " << report->records << " records, " << report->checkpoints
            << " signed checkpoints checked, root " << audit::toHex(report->root) << '\n';
  } else {
    for (const std::string &problem : report->problems)
      ctx.out << "problem: " << problem << '\n';
  }
  if (report->intact())
    return kExitOk;
  ctx.err << "nesa audit: the audit log fails verification (" << report->problems.size()
          << (report->problems.size() == 1 ? " problem" : " problems") << ")\n";
  return kExitFailure;
}

int list(Context &ctx, AuditLog &log, const Arguments &args) {
  audit::AuditFilter filter;
  filter.action = args.value("action");
  filter.actor = args.value("actor");
  if (args.has("since")) {
    auto since = dayStartMs(args.value("since"));
    if (!since)
      return failWith(ctx, since.error());
    filter.sinceMs = *since;
  }
  auto limit = args.integer("limit", 0, 0, 1'000'000'000);
  if (!limit)
    return failWith(ctx, limit.error());
  filter.limit = static_cast<std::uint64_t>(*limit);
  auto entries = log.list(filter);
  if (!entries)
    return failWith(ctx, entries.error());
  for (const AuditEntry &entry : *entries) {
    if (args.has("json"))
      ctx.out << toJson(entry).dump() << '\n';
    else
      ctx.out << entry.sequence << "  " << audit::utcTimestamp(entry.timeMs) << "  " << entry.actor
              << "  " << entry.action << "  " << entry.subject << "  " << entry.outcome << '\n';
  }
  return kExitOk;
}

int prove(Context &ctx, AuditLog &log, const Arguments &args) {
  std::uint64_t sequence = 0;
  const std::string text = args.positional.size() == 2 ? args.positional[1] : "";
  const auto parsed = std::from_chars(text.data(), text.data() + text.size(), sequence);
  if (text.empty() || parsed.ec != std::errc{} || parsed.ptr != text.data() + text.size())
    return failWith(ctx, fail(ErrorCode::InvalidInput,
                              "usage: nesa audit prove N (N: a record's sequence number)"));
  auto proof = log.proveInclusion(sequence);
  if (!proof)
    return failWith(ctx, proof.error());
  auto entries = log.list();
  if (!entries)
    return failWith(ctx, entries.error());
  const auto found = std::find_if(entries->begin(), entries->end(),
                                  [&](const AuditEntry &e) { return e.sequence == sequence; });
  if (found == entries->end())
    return failWith(ctx, fail(ErrorCode::NotFound, "the audit log has no record " + text));
  nlohmann::json hashes = nlohmann::json::array();
  for (const audit::Hash &hash : *proof)
    hashes.push_back(audit::toHex(hash));
  const AuditEntry &entry = *found;
  ctx.out << nlohmann::json{{"record", toJson(entry)},
                            {"leaf", audit::toHex(audit::leafHash(entry.leafBytes()))},
                            {"proof", hashes},
                            {"checkpoint", log.latestCheckpoint()},
                            {"key", log.verifierKey().toString()}}
                 .dump(2)
          << '\n';
  return kExitOk;
}

int exportRecords(Context &ctx, AuditLog &log, const Arguments &args) {
  const std::string format = args.value("format", "dicom");
  if (format != "dicom" && format != "json")
    return failWith(ctx, fail(ErrorCode::InvalidInput, "--format is dicom or json"));
  auto entries = log.list();
  if (!entries)
    return failWith(ctx, entries.error());
  char host[256] = "localhost";
  gethostname(host, sizeof host - 1);
  std::string text;
  for (const AuditEntry &entry : *entries)
    text += (format == "json" ? toJson(entry).dump()
                              : audit::toDicomAuditMessage(entry, std::string("nesa@") + host)) +
            "\n";
  if (!args.has("output")) {
    ctx.out << text;
    return kExitOk;
  }
  if (auto written = writeFileAtomically(args.value("output"), text); !written)
    return failWith(ctx, written.error());
  ctx.out << "exported " << entries->size() << " records to " << args.value("output") << '\n';
  return kExitOk;
}

int ship(Context &ctx, AuditLog &log, const Arguments &args) {
  if (!args.has("to") || !args.has("ca"))
    return failWith(
        ctx, fail(ErrorCode::InvalidInput, "nesa audit ship needs --to HOST:PORT and --ca FILE"));
  auto target = audit::SyslogTarget::parse(args.value("to"));
  if (!target)
    return failWith(ctx, target.error());
  target->caFile = args.value("ca");
  target->serverName = args.value("server-name");
  target->certFile = args.value("client-cert");
  target->keyFile = args.value("client-key");
  if (target->certFile.empty() != target->keyFile.empty())
    return failWith(ctx,
                    fail(ErrorCode::InvalidInput, "--client-cert and --client-key go together"));
  auto shipped = audit::shipToSyslog(log, auditFolder(ctx), *target);
  if (!shipped)
    return failWith(ctx, shipped.error());
  if (shipped->records == 0)
    ctx.out << "no new records; the latest checkpoint was sent to " << args.value("to") << '\n';
  else
    ctx.out << "sent records " << shipped->firstSequence << "–"
            << shipped->firstSequence + shipped->records - 1 << " and the latest checkpoint to "
            << args.value("to") << '\n';
  return kExitOk;
}

} // namespace

int auditCommand(Context &ctx) {
  if (ctx.args.empty() || ctx.args[0] == "--help" || ctx.args[0] == "-h") {
    (ctx.args.empty() ? ctx.err : ctx.out) << kUsage << formatOptions(kOptions);
    return ctx.args.empty() ? kExitUsage : kExitOk;
  }
  auto args = parseWords("audit", ctx.args, kOptions);
  if (!args)
    return failWith(ctx, args.error());
  const std::string sub = args->positional.empty() ? "" : args->positional[0];
  if (sub != "verify" && sub != "list" && sub != "checkpoint" && sub != "key" && sub != "prove" &&
      sub != "export" && sub != "ship")
    return failWith(ctx, fail(ErrorCode::InvalidInput,
                              "unknown command '" + sub + "' (see nesa audit --help)"));
  // Reading the records is the organisation's audit right; verifying, shipping and handing out
  // the checkpoint stay open to everyone, so that each person's log can be checked and sent.
  if (sub == "list" || sub == "export" || sub == "prove")
    if (auto allowed = policy::Enforcement::installed().allowsAuditReview(); !allowed)
      return failWith(ctx, allowed.error());
  auto log = openExisting(ctx);
  if (!log)
    return failWith(ctx, log.error());
  if (sub == "verify")
    return verify(ctx, *log, *args);
  if (sub == "list")
    return list(ctx, *log, *args);
  if (sub == "prove")
    return prove(ctx, *log, *args);
  if (sub == "export")
    return exportRecords(ctx, *log, *args);
  if (sub == "ship")
    return ship(ctx, *log, *args);
  if (sub == "key")
    ctx.out << log->verifierKey().toString() << '\n';
  else
    ctx.out << log->latestCheckpoint();
  return kExitOk;
}

} // namespace nesa::cli
