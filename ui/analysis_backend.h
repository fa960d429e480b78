// The analyze page's only view of the product: which models are installed, and running one on
// a file at a privacy level. The app implements it with the real engine (app/
// process_analysis_backend.h); tests implement it with fakes.
#pragma once

#include <QString>
#include <QStringList>

#include <atomic>
#include <cstdint>
#include <functional>
#include <vector>

namespace nesa::ui {

/// A model the user can pick.
struct ModelOption {
  QString id;                ///< what the backend runs: "brain-extraction"
  QString name;              ///< shown: "Brain extraction (Colin27-trained demo)"
  QString task;              ///< "segmentation", "classification", ...
  QString input;             ///< "volume", "image" or "text": which inputs it fits
  QStringList labels;        ///< one per output class
  QString notice;            ///< shown as is ("synthetic lesions — demonstration only")
  QString preprocessingJson; ///< the manifest's preprocessing (volumes), "" when none
};

/// One run: an input file, a model id and a privacy level ("local", "ee", "hss", "hss-ee").
struct AnalysisRequest {
  QString input;
  QString model;
  QString level;
  /// The wallet's passphrase when it is unlocked (it pays on a joined network and holds the EE
  /// key); empty otherwise.
  QString passphrase;
};

/// What a run would cost, before it starts.
struct CostEstimate {
  bool known = false; ///< false: see `detail` for why not
  double nes = 0;     ///< the total of the miners' prices (gas is paid apart, in ETH)
  QString detail;     ///< "20 share jobs at up to 10 µNES, …", or why there is no estimate
};

/// A tensor to show: its shape and its values as floats.
struct TensorView {
  std::vector<std::int64_t> shape;
  std::vector<float> values;
};

/// How far a run has come: `done` of `total` remote calls, and what the last one was.
struct AnalysisProgress {
  int done = 0;
  int total = 0;
  QString step;
};

/// What a run gave.
struct AnalysisOutcome {
  bool ok = false;
  QString error;                   ///< a readable sentence when !ok
  QString summary;                 ///< the result in words (labels with probabilities, volumes)
  std::vector<std::int64_t> shape; ///< the model's output
  std::vector<float> output;
  int calls = 0; ///< remote calls made
  int checksPassed = 0, checksFailed = 0;
  QStringList miners; ///< the miners that answered
  double costNes = 0; ///< what was paid
  TensorView input;   ///< the input as the model took it (after preparation), when kept
  TensorView share;   ///< the same data as one miner received it, when kept (not at local)
  /// A segmentation of a scan as DICOM SEG and SR, in a private folder the backend keeps until
  /// the next run (what "Send result to PACS" sends); empty for other results.
  QStringList dicomFiles;
  QString dicomError; ///< why there are no DICOM files for a segmentation of a scan
};

/// Where an export is: about to be written, written, or not written.
enum class ExportStage { Starting, Written, Failed };

/// The product behind the analyze page.
class AnalysisBackend {
public:
  virtual ~AnalysisBackend() = default;
  /// The installed models.
  virtual std::vector<ModelOption> models() = 0;
  /// What running `model` at `level` on `input` would cost (free at local). May block.
  virtual CostEstimate estimateCost(const AnalysisRequest &request) = 0;
  /// Runs `request`; called on a worker thread. `progress` may be called from that thread;
  /// `cancelled` becomes true when the user presses Cancel.
  virtual AnalysisOutcome run(const AnalysisRequest &request,
                              const std::function<void(const AnalysisProgress &)> &progress,
                              const std::atomic<bool> &cancelled) = 0;
  /// Why results may not leave Nesa as files here (the organisation's policy, naming its rule);
  /// empty when they may. Asked before a report is saved or an output exported.
  virtual QString exportRefusal() { return {}; }
  /// Records in the audit log (when the settings keep one) that `request`'s result is about
  /// to leave as a file in `format` ("npy", "report"), then that it was written or that writing
  /// it failed. Returns why it could not be recorded; empty when it was, or when there is no
  /// log. A result whose Starting cannot be recorded is not written.
  virtual QString recordExport(const AnalysisRequest &request, const QString &format,
                               ExportStage stage) {
    (void)request, (void)format, (void)stage;
    return {};
  }
};

} // namespace nesa::ui
