#include "api/internal/query_runner.h"

#include "analysis/json_schema.h"
#include "analysis/output_file.h"
#include "policy/enforcement.h"

#include <sodium.h>
#include <sys/stat.h>

#include <fstream>
#include <iterator>

namespace nesa::api {

namespace fs = std::filesystem;

Result<std::shared_ptr<WorkFolder>>
WorkFolder::make(const fs::path &parent, std::shared_ptr<std::atomic<std::uint64_t>> live) {
  std::error_code ec;
  fs::create_directories(parent, ec);
  ::chmod(parent.c_str(), 0700);
  unsigned char random[12];
  randombytes_buf(random, sizeof random);
  char hex[sizeof random * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, random, sizeof random);
  const fs::path folder = parent / ("query-" + std::string(hex));
  if (::mkdir(folder.c_str(), 0700) != 0)
    return fail(ErrorCode::Io, "cannot make a folder for the query under " + parent.string());
  ++*live;
  return std::shared_ptr<WorkFolder>(new WorkFolder(folder, std::move(live)));
}

WorkFolder::~WorkFolder() {
  std::error_code ec;
  fs::remove_all(m_path, ec);
  --*m_live;
}

QueryJob::Progress QueryJob::take() {
  std::lock_guard lock(m_mutex);
  Progress copy = m_progress;
  m_progress.text.clear();
  return copy;
}

void QueryJob::addText(const std::string &piece) {
  std::lock_guard lock(m_mutex);
  m_progress.text += piece;
}

void QueryJob::finish(Progress done) {
  std::lock_guard lock(m_mutex);
  done.text = std::move(m_progress.text) + done.text;
  done.finished = true;
  m_progress = std::move(done);
}

namespace {

std::string joined(const std::vector<std::string> &lines) {
  std::string out;
  for (const auto &line : lines)
    out += (out.empty() ? "" : "\n") + line;
  return out;
}

} // namespace

QueryRunner::QueryRunner(analysis::NetworkChoice network, analysis::Secrets secrets,
                         std::function<void(const std::string &)> notice, std::size_t maxQueries,
                         const analysis::Events &hooks)
    : m_notice(std::move(notice)), m_exporting(hooks.exporting), m_maxQueries(maxQueries) {
  analysis::Events events;
  events.starting = hooks.starting;
  events.finished = hooks.finished;
  events.spentToday = hooks.spentToday;
  events.notice = m_notice;
  // Queries run one at a time on this runner's thread: the running job is the one to tell.
  events.text = [this](const std::string &piece) {
    std::shared_ptr<QueryJob> job;
    {
      std::lock_guard lock(m_mutex);
      job = m_running;
    }
    if (job)
      job->addText(piece);
  };
  m_analyzer = std::make_unique<analysis::Analyzer>(std::move(network), std::move(secrets), events);
  m_thread = std::thread([this] { work(); });
}

QueryRunner::~QueryRunner() { stop(); }

Result<void> QueryRunner::submit(std::shared_ptr<QueryJob> job) {
  std::lock_guard lock(m_mutex);
  if (m_stopping)
    return fail(ErrorCode::Unavailable, "the server is stopping");
  if (m_queue.size() + (m_running ? 1 : 0) >= m_maxQueries)
    return fail(ErrorCode::Busy, std::to_string(m_maxQueries) +
                                     " queries are waiting or running: try again shortly");
  m_queue.push_back(std::move(job));
  m_wake.notify_one();
  return {};
}

void QueryRunner::stop() {
  std::deque<std::shared_ptr<QueryJob>> refused;
  {
    std::lock_guard lock(m_mutex);
    if (m_stopping && !m_thread.joinable())
      return;
    m_stopping = true;
    if (m_running)
      m_running->cancel = true;
    refused.swap(m_queue);
    m_wake.notify_one();
  }
  for (auto &job : refused) {
    QueryJob::Progress done;
    done.error = Error{ErrorCode::Unavailable, "the server stopped before the query ran"};
    job->finish(std::move(done));
  }
  if (m_thread.joinable())
    m_thread.join();
}

std::size_t QueryRunner::waiting() const {
  std::lock_guard lock(m_mutex);
  return m_queue.size() + (m_running ? 1 : 0);
}

void QueryRunner::work() {
  for (;;) {
    std::shared_ptr<QueryJob> job;
    {
      std::unique_lock lock(m_mutex);
      m_wake.wait(lock, [this] { return m_stopping || !m_queue.empty(); });
      if (m_stopping)
        return;
      job = std::move(m_queue.front());
      m_queue.pop_front();
      m_running = job;
    }
    runOne(*job);
    std::lock_guard lock(m_mutex);
    m_running.reset();
  }
}

void QueryRunner::runOne(QueryJob &job) {
  QueryJob::Progress done;
  if (job.cancel) { // its client left while it waited
    ++m_stoppedRuns;
    done.error = Error{ErrorCode::Cancelled, "the client went away before the query ran"};
    job.finish(std::move(done));
    return;
  }
  if (!job.outputFormat.empty()) // the result would leave Nesa as a file
    if (auto allowed = policy::Enforcement::installed().allowsExport(); !allowed) {
      done.error = allowed.error();
      job.finish(std::move(done));
      return;
    }
  auto outcome = m_analyzer->run(job.request, &job.cancel);
  if (!outcome && outcome.error().code == ErrorCode::Cancelled)
    ++m_stoppedRuns;
  if (!outcome) {
    done.error = outcome.error();
    job.finish(std::move(done));
    return;
  }
  done.finalText = outcome->text.empty() ? joined(outcome->summary) : outcome->text;
  done.resultJson = analysis::resultLine(*outcome, m_analyzer->counters());
  // A document's result is its text: an array asked for it is left out, as on the command line.
  const bool noArray = job.outputFormat == "npy" && !outcome->output;
  if (!job.outputFormat.empty() && job.folder && !noArray) {
    const auto file =
        job.folder->path() / (job.outputFormat == "nifti" ? "output.nii.gz" : "output.npy");
    // On record before and after (the file is handed to the client only once both are).
    Result<void> written =
        m_exporting ? m_exporting(job.request, job.outputFormat, "started") : Result<void>();
    if (written) {
      written = analysis::writeOutput(file, *outcome);
      if (m_exporting)
        if (auto recorded =
                m_exporting(job.request, job.outputFormat, written ? "written" : "failed");
            written && !recorded)
          written = recorded.error();
    }
    if (!written) {
      done.error = written.error();
    } else {
      std::ifstream in(file, std::ios::binary);
      done.outputFile.assign(std::istreambuf_iterator<char>(in), {});
    }
  }
  job.finish(std::move(done));
}

} // namespace nesa::api
