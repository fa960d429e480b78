#include "analysis_session.h"

#include "analysis/analyzer.h"
#include "analysis/json_schema.h"
#include "analysis/output_file.h"
#include "analysis_audit.h"
#include "policy/audit_records.h"
#include "policy/enforcement.h"
#include "policy/storage_places.h"
#include "wallet_secrets.h"

#include <nlohmann/json.hpp>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <iostream>
#include <mutex>
#include <thread>

namespace nesa::app {

namespace fs = std::filesystem;
namespace {

/// Lines written from the query's thread (calls) and the reading one (refusals), whole.
class LineWriter {
public:
  explicit LineWriter(std::ostream &out) : m_out(out) {}
  void write(const std::string &line) {
    std::lock_guard lock(m_mutex);
    m_out << line << std::endl;
  }

private:
  std::ostream &m_out;
  std::mutex m_mutex;
};

/// The passphrase the running op brought, for its query only (none: opening the wallet fails,
/// saying so).
class PassphraseHolder {
public:
  void set(SecureBuffer secret) {
    std::lock_guard lock(m_mutex);
    m_secret = std::move(secret);
  }
  void clear() { set(SecureBuffer()); }
  Result<SecureBuffer> get() {
    std::lock_guard lock(m_mutex);
    if (m_secret.empty())
      return fail(ErrorCode::WrongPassphrase, "the wallet is locked: unlock it first");
    return SecureBuffer::copyOf(m_secret.bytes());
  }

private:
  std::mutex m_mutex;
  SecureBuffer m_secret;
};

/// One op of the session, checked.
struct Op {
  std::string name; ///< "estimate", "run", "record" or "cancel"
  analysis::Request request;
  std::string output;
  /// When set: a segmentation of a scan is also written there as DICOM SEG + SR, and the
  /// result line names the files ("dicom"), or says why they could not be written.
  std::string outputDicom;
  SecureBuffer passphrase; ///< the wallet's, for this op's query (may be empty)
  std::string format;      ///< a record op: the form the result leaves in ("npy", "report")
  std::string stage;       ///< a record op: "started", "written" or "failed"
};

/// Where a run op may write its result: anywhere when the organisation's policy lets results
/// out as files; else only inside the private scratch folder of the program that started this
/// session (the desktop keeps what it shows there: "<temp>/nesa-private-<its pid>-…").
Result<void> mayWriteResultTo(const fs::path &file) {
  auto allowed = policy::Enforcement::installed().allowsExport();
  if (allowed)
    return {};
  std::error_code ec;
  const std::string scratch = "nesa-private-" + std::to_string(::getppid()) + "-";
  const fs::path temp = fs::weakly_canonical(fs::temp_directory_path(ec), ec);
  const fs::path where = fs::weakly_canonical(fs::absolute(file, ec), ec);
  const auto relative = where.lexically_relative(temp);
  if (!ec && !relative.empty() && relative.begin()->string().starts_with(scratch) &&
      std::distance(relative.begin(), relative.end()) >= 2)
    return {};
  return allowed.error();
}

/// Longest op line read: a request is small (paths and a few labels).
constexpr std::size_t kLongestOp = 1 << 20;

Result<Op> parseOp(const std::string &text) {
  if (text.size() > kLongestOp)
    return fail(ErrorCode::InvalidInput, "an op is at most 1 MiB of JSON");
  auto object = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!object.is_object() || !object.contains("op") || !object["op"].is_string())
    return fail(ErrorCode::InvalidInput, "an op is one JSON object with an \"op\"");
  Op op;
  op.name = object["op"].get<std::string>();
  if (op.name == "cancel")
    return op;
  if (op.name != "estimate" && op.name != "run" && op.name != "record")
    return fail(ErrorCode::InvalidInput,
                "unknown op '" + op.name + "' (estimate, run, record or cancel)");
  if (op.name == "record") {
    if (!object.contains("format") || !object["format"].is_string() || !object.contains("stage") ||
        (object["stage"] != "started" && object["stage"] != "written" &&
         object["stage"] != "failed"))
      return fail(ErrorCode::InvalidInput,
                  "a record op carries the result's \"format\" and its \"stage\" (started, "
                  "written or failed)");
    op.format = object["format"].get<std::string>();
    op.stage = object["stage"].get<std::string>();
  }
  if (object.contains("passphrase") && object["passphrase"].is_string()) {
    auto &secret = object["passphrase"].get_ref<std::string &>();
    if (auto copy = SecureBuffer::copyOf(std::string_view(secret)); copy)
      op.passphrase = std::move(*copy);
    std::fill(secret.begin(), secret.end(), '\0');
  }
  if (!object.contains("request") || !object["request"].is_object())
    return fail(ErrorCode::InvalidInput, "a " + op.name + " op carries a \"request\" object");
  auto request = analysis::requestFromJson(object["request"].dump());
  if (!request)
    return request.error();
  op.request = std::move(*request);
  for (const char *file : {"output", "output_dicom"})
    if (object.contains(file) && object[file].is_string())
      if (auto allowed = mayWriteResultTo(object[file].get<std::string>()); !allowed)
        return allowed.error();
  if (object.contains("output") && object["output"].is_string()) {
    op.output = object["output"].get<std::string>();
    if (auto named = analysis::checkOutputFile(op.output); !named) // before anything runs
      return named.error();
  }
  if (object.contains("output_dicom") && object["output_dicom"].is_string()) {
    op.outputDicom = object["output_dicom"].get<std::string>();
    if (auto folder = analysis::checkDicomFolder(op.outputDicom); !folder)
      return folder.error();
  }
  return op;
}

/// The audit log a run op must be recorded in (none when the setting auditLog is off), opened
/// with the op's passphrase.
Result<std::optional<audit::AuditLog>> auditLogFor(const Config &config,
                                                   PassphraseHolder &passphrase) {
  if (!policy::auditLogOn(config))
    return std::optional<audit::AuditLog>{};
  auto secret = passphrase.get();
  if (!secret)
    return secret.error().withContext("the audit log (setting auditLog)");
  return policy::openAuditLogIfEnabled(config, *secret);
}

/// Runs `op` on `analyzer` and writes its answer; a run is recorded in the audit log first when
/// the settings keep one (and does not start when it cannot be).
void answer(analysis::Analyzer &analyzer, const Config &config, PassphraseHolder &passphrase,
            const Op &op, const std::atomic<bool> &cancel, LineWriter &out) {
  if (op.name == "estimate") {
    auto estimate = analyzer.estimate(op.request);
    out.write(estimate ? analysis::estimateLine(*estimate, analyzer.counters())
                       : analysis::errorLine(estimate.error()));
    return;
  }
  auto auditLog = auditLogFor(config, passphrase);
  if (!auditLog) {
    out.write(analysis::errorLine(auditLog.error()));
    return;
  }
  if (op.name == "record") { // a result the program that started this session writes out
    if (*auditLog)
      if (auto recorded =
              (*auditLog)->append(exportEntry(op.request, op.format, op.stage, "the desktop app"));
          !recorded) {
        out.write(analysis::errorLine(
            recorded.error().withContext("recording the export in the audit log")));
        return;
      }
    out.write(nlohmann::json{{"event", "recorded"}, {"version", 1}, {"kept", auditLog->has_value()}}
                  .dump());
    return;
  }
  std::optional<audit::AuditEntry> started;
  if (*auditLog) {
    started = analysisStartEntry(op.request);
    if (auto recorded = (*auditLog)->append(*started); !recorded) {
      out.write(analysis::errorLine(
          recorded.error().withContext("recording the analysis in the audit log")));
      return;
    }
  }
  auto outcome = analyzer.run(op.request, &cancel);
  if (*auditLog)
    if (auto recorded = (*auditLog)->append(analysisEndEntry(*started, outcome)); !recorded) {
      out.write(analysis::errorLine(
          recorded.error().withContext("recording the analysis in the audit log")));
      return;
    }
  if (!outcome) {
    out.write(analysis::errorLine(outcome.error()));
    return;
  }
  // A document task's result is its text: an .npy asked for it stays unwritten.
  const bool noArray = !outcome->output && fs::path(op.output).extension() == ".npy";
  if (!op.output.empty() && !noArray)
    if (auto written = analysis::writeOutput(op.output, *outcome); !written) {
      out.write(analysis::errorLine(written.error()));
      return;
    }
  std::string line = analysis::resultLine(*outcome, analyzer.counters());
  if (!op.outputDicom.empty() && outcome->scanLabels) {
    auto result = nlohmann::json::parse(line);
    auto written = analysis::writeDicomOutput(op.outputDicom, *outcome);
    if (written)
      result["dicom"] = {written->segmentation.string(), written->report.string()};
    else // the run stands: only its DICOM form is missing
      result["dicom_error"] = written.error().message;
    line = result.dump();
  }
  out.write(line);
}

/// The analyzer of a session, made again when the settings file changes.
class SessionAnalyzer {
public:
  SessionAnalyzer(std::filesystem::path settings,
                  std::function<Result<analysis::NetworkChoice>()> network,
                  PassphraseHolder &passphrase, LineWriter &lines)
      : m_settings(std::move(settings)), m_network(std::move(network)), m_passphrase(passphrase),
        m_lines(lines) {}

  /// The analyzer for the settings as they are now.
  Result<analysis::Analyzer *> get() {
    std::error_code ec;
    const auto changed = std::filesystem::last_write_time(m_settings, ec);
    const auto stamp = ec ? 0 : changed.time_since_epoch().count();
    if (m_analyzer && stamp == m_stamp)
      return m_analyzer.get();
    auto network = m_network();
    if (!network)
      return network.error();
    analysis::Events events;
    events.notice = [](const std::string &line) { std::cerr << line << '\n'; };
    events.call = [lines = &m_lines](const privacy::RunProgress &p) {
      lines->write(analysis::callLine(p));
    };
    const Config config = network->config;
    auto *holder = &m_passphrase;
    if (policy::auditLogOn(config)) // what an organisation's spending limit is checked against
      events.spentToday = [config, holder]() -> Result<std::uint64_t> {
        auto log = auditLogFor(config, *holder);
        if (!log)
          return log.error();
        if (!*log)
          return fail(ErrorCode::NotFound, "the audit log is off");
        return spentTodayIn(**log, policy::currentActor());
      };
    m_analyzer =
        std::make_unique<analysis::Analyzer>(std::move(*network),
                                             walletSecrets(
                                                 config, [holder] { return holder->get(); },
                                                 events.notice, [holder] { holder->clear(); }),
                                             events);
    m_stamp = stamp;
    m_config = config;
    return m_analyzer.get();
  }

  /// The settings the current analyzer was made with.
  const Config &config() const { return m_config; }

private:
  std::filesystem::path m_settings;
  std::function<Result<analysis::NetworkChoice>()> m_network;
  PassphraseHolder &m_passphrase;
  LineWriter &m_lines;
  std::unique_ptr<analysis::Analyzer> m_analyzer;
  Config m_config;
  std::int64_t m_stamp = 0;
};

} // namespace

int serveSession(std::istream &in, std::ostream &out, const std::filesystem::path &settings,
                 const std::function<Result<analysis::NetworkChoice>()> &network) {
  LineWriter lines(out);
  PassphraseHolder passphrase;
  SessionAnalyzer analyzers(settings, network, passphrase, lines);
  // The ops wait here in order, with the lines that refuse one (a malformed op, one cancelled
  // before it started) in their place; one thread answers them while this one reads the next.
  std::mutex mutex;
  std::condition_variable arrived;
  std::deque<Result<Op>> waiting;
  bool ended = false;
  std::atomic<bool> cancel{false};
  std::thread worker([&] {
    while (true) {
      std::unique_lock lock(mutex);
      arrived.wait(lock, [&] { return ended || !waiting.empty(); });
      if (waiting.empty())
        return;
      Result<Op> next = std::move(waiting.front());
      waiting.pop_front();
      cancel = false;
      lock.unlock();
      if (!next) {
        lines.write(analysis::errorLine(next.error()));
        continue;
      }
      passphrase.set(std::move(next->passphrase)); // forgotten when its query ends
      auto analyzer = analyzers.get();
      if (analyzer)
        answer(**analyzer, analyzers.config(), passphrase, *next, cancel, lines);
      else
        lines.write(analysis::errorLine(analyzer.error()));
      passphrase.clear();
    }
  });
  for (std::string text; std::getline(in, text);) {
    if (text.find_first_not_of(" \t\r") == std::string::npos)
      continue;
    auto op = parseOp(text);
    std::fill(text.begin(), text.end(), '\0'); // it may have carried the passphrase
    std::lock_guard lock(mutex);
    if (op && op->name == "cancel") { // the running op stops; those waiting are refused
      cancel = true;
      for (auto &pending : waiting)
        if (pending)
          pending = Error{ErrorCode::Cancelled, "cancelled before it started"};
      continue;
    }
    waiting.push_back(std::move(op));
    arrived.notify_one();
  }
  {
    std::lock_guard lock(mutex);
    ended = true;
  }
  arrived.notify_one();
  worker.join();
  return 0;
}

} // namespace nesa::app
