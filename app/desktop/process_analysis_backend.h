// The desktop app's AnalysisBackend: models from the registry; estimates and runs by one
// nesa-analyze --session child process kept for them (the engine and libtorch stay out of the
// app's own process, which starts fast and survives a failing run; the session reads the input
// and compiles the model once for an estimate and its run), progress and result from its JSON
// lines, the output from its .npy file and what one miner saw from its show_share files.
#pragma once

#include "ui/analysis_backend.h"

#include <QTemporaryDir>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace nesa::app {

class AnalyzerSession;

/// The session's counters after its last answer (docs/engine.md, "work"); -1 before any.
struct AnalyzerWork {
  int inputsRead = -1;     ///< inputs read and prepared so far
  int modelsCompiled = -1; ///< models compiled or loaded so far
  int poolsOpened = -1;    ///< times miners were found (a run; never an estimate)
};

/// Runs analyses with the nesa-analyze program beside this one.
class ProcessAnalysisBackend : public ui::AnalysisBackend {
public:
  /// `sessionArguments`: how nesa-analyze is started (tests add --in-process).
  explicit ProcessAnalysisBackend(std::vector<std::string> sessionArguments = {"--session"});
  ~ProcessAnalysisBackend() override;
  std::vector<ui::ModelOption> models() override;
  /// The session's estimate op: the registry's prices for the query's share jobs.
  ui::CostEstimate estimateCost(const ui::AnalysisRequest &request) override;
  ui::AnalysisOutcome run(const ui::AnalysisRequest &request,
                          const std::function<void(const ui::AnalysisProgress &)> &progress,
                          const std::atomic<bool> &cancelled) override;
  /// The installed organisation policy's refusal of exports (policy::Enforcement), if any.
  QString exportRefusal() override;
  QString recordExport(const ui::AnalysisRequest &request, const QString &format,
                       ui::ExportStage stage) override;
  /// What the session had done after its last answer (tests check that nothing is done twice).
  AnalyzerWork work() const;

private:
  std::unique_ptr<AnalyzerSession> m_session;
  /// The last run's DICOM results (private to this user, removed with the next run).
  std::unique_ptr<QTemporaryDir> m_dicom;
  mutable std::mutex m_mutex;
  AnalyzerWork m_work;
  void noteWork(const QByteArray &line);
};

/// Reads an estimate line of nesa-analyze (`--estimate --json`, a session's estimate op);
/// without an estimate there, none, with `failure` as the reason.
ui::CostEstimate parseCostEstimate(const QByteArray &json, const QString &failure);

/// Reads one line of `nesa-analyze --json` (docs/engine.md): a finished call is passed to
/// `progress` (when set) and its verified miners added to `outcome.miners`; the result fills the
/// outcome's counts, cost, summary and output shape and sets `ok`; an error sets
/// `outcome.error`. Returns false for a line that is not one of its objects (it is ignored).
bool readAnalysisEvent(const QByteArray &line, ui::AnalysisOutcome &outcome,
                       const std::function<void(const ui::AnalysisProgress &)> &progress);

} // namespace nesa::app
