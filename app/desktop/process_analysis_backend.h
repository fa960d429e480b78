// The desktop app's AnalysisBackend: models from the registry, runs by nesa-analyze in a child
// process (the engine and libtorch stay out of the app's own process, which starts fast and
// survives a failing run), progress and result from its JSON lines (--json), the output from its
// .npy file, the cost estimate from its --estimate mode and what one miner saw from its
// --show-share files.
#pragma once

#include "ui/analysis_backend.h"

namespace nesa::app {

/// Runs analyses with the nesa-analyze program beside this one.
class ProcessAnalysisBackend : public ui::AnalysisBackend {
public:
  std::vector<ui::ModelOption> models() override;
  /// `nesa-analyze --estimate --json`: the registry's prices for the query's share jobs.
  ui::CostEstimate estimateCost(const ui::AnalysisRequest &request) override;
  ui::AnalysisOutcome run(const ui::AnalysisRequest &request,
                          const std::function<void(const ui::AnalysisProgress &)> &progress,
                          const std::atomic<bool> &cancelled) override;
};

/// Reads `nesa-analyze --estimate --json`; without an estimate there, none, with `failure` as
/// the reason.
ui::CostEstimate parseCostEstimate(const QByteArray &json, const QString &failure);

/// Reads one line of `nesa-analyze --json` (docs/engine.md): a finished call is passed to
/// `progress` (when set) and its verified miners added to `outcome.miners`; the result fills the
/// outcome's counts, cost, summary and output shape and sets `ok`; an error sets
/// `outcome.error`. Returns false for a line that is not one of its objects (it is ignored).
bool readAnalysisEvent(const QByteArray &line, ui::AnalysisOutcome &outcome,
                       const std::function<void(const ui::AnalysisProgress &)> &progress);

} // namespace nesa::app
