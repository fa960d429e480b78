// The main page: drop a scan, an image or a document, look at it, pick a model and a privacy
// level, run, watch the progress, read the result (a segmentation over the scan, labels with
// probabilities) and how it was verified. Everything slow runs off the GUI thread.
#pragma once

#include "ui/analysis_backend.h"
#include "ui/history_backend.h"
#include "ui/open_from_pacs_dialog.h"
#include "ui/pacs_backend.h"

#include <QFutureWatcher>
#include <QPointer>
#include <QWidget>

#include <memory>

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QStackedWidget;
class QTabWidget;

namespace nesa::ui {

class DropFileList;
class ShareView;
class SliceViewer;
struct OpenedInput;
struct RunResult;

/// The analyze page. `backend` must outlive it.
class AnalyzePage : public QWidget {
  Q_OBJECT
public:
  explicit AnalyzePage(AnalysisBackend &backend, QWidget *parent = nullptr);
  ~AnalyzePage() override;

  DropFileList *fileList() const { return m_files; }
  SliceViewer *viewer() const { return m_viewer; }
  QComboBox *modelPicker() const { return m_model; }
  QComboBox *levelPicker() const { return m_level; }
  QPushButton *runButton() const { return m_run; }
  QPushButton *cancelButton() const { return m_cancel; }
  QProgressBar *progressBar() const { return m_progress; }
  /// The sentence under the privacy picker.
  QString levelSentence() const;
  /// The result in words, and the verification badge.
  QString resultText() const;
  QString badgeText() const;
  /// The last error shown ("" when none).
  QString errorText() const;
  /// The document text shown for a document input.
  QString documentText() const;
  /// True while a file is being opened or a run is going on.
  bool isBusy() const;
  /// Picks the model with `id` (false when it does not fit the input or is not installed).
  bool selectModel(const QString &id);
  /// Picks a privacy level ("local", "ee", "hss", "hss-ee"); false for an unknown one.
  bool selectLevel(const QString &level);
  /// Starts a run as the Run button does (nothing when it is disabled).
  void run();
  /// Writes the last run's output to `file` (.npy, float32); false (with the error shown) when
  /// there is none, the organisation's policy refuses exports, or it cannot be written.
  bool exportOutput(const QString &file);
  /// The cost line ("About 0.005800 NES, …"; "Free: …" at local).
  QString costText() const;
  /// The wallet's passphrase while it is unlocked (empty when locked): runs get it.
  void setWalletPassphrase(const QString &passphrase);
  /// Brings the "What the miners saw" tab to the front.
  void showMinersView();
  /// The share view.
  ShareView *shareView() const { return m_shareView; }
  /// Shows "Open from PACS…" and "Send result to PACS" backed by `pacs` (which must outlive the
  /// page); without a call they stay hidden.
  void setPacsBackend(PacsBackend *pacs);
  QPushButton *openFromPacsButton() const { return m_openFromPacs; }
  QPushButton *sendToPacsButton() const { return m_sendToPacs; }
  /// Opens the "Open from PACS" dialog (as its button does); a retrieved series is added to the
  /// files and opened.
  void openFromPacs();
  /// The dialog while it is open (for scripts and tests), else null.
  OpenFromPacsDialog *pacsDialog() const { return m_pacsDialog; }
  /// Sends the last result's DICOM SEG and SR to the PACS (as its button does).
  void sendResultToPacs();
  /// What the page last said about the PACS ("Sent to …", or why not).
  QString pacsText() const;

Q_SIGNALS:
  /// Emitted when an opened input is on screen (or failed to open).
  void inputShown();
  /// Emitted when a run ended, well or not.
  void runFinished();
  /// Emitted when a cost estimate is shown.
  void costEstimated();
  /// Emitted when sending a result to the PACS ended, well or not.
  void resultSent();
  /// Emitted when the "Open from PACS" dialog closed, with a series or without.
  void pacsDialogClosed();
  /// Emitted when a run ended (not when cancelled), with what the history keeps of it.
  void analysisRecorded(const nesa::ui::AnalysisRecord &record);

private:
  void openSelected();
  void showOpened(const OpenedInput &opened);
  /// Opens the file the user picked while another was opening or a run was going on.
  void openPickedMeanwhile();
  void refreshModels();
  void refreshLevel();
  /// Input, model and level as one key: an estimate belongs to one of them.
  QString estimateKey() const;
  void estimateCost();
  void showEstimate(const CostEstimate &estimate);
  void start();
  void showProgress(const AnalysisProgress &progress);
  void finish(RunResult result);
  void showError(const QString &message);
  /// True when the backend lets results leave as files; else shows why and returns false.
  bool exportAllowed();
  /// Writes the last run's result as a file in `format` with `write`, recorded in the audit
  /// log before (nothing is written when that cannot be recorded) and after, through the
  /// backend. False, with the reason shown, when nothing was written.
  bool exportRecorded(const QString &format, const std::function<bool()> &write);
  void saveReport();
  const ModelOption *selectedModel() const;

  AnalysisBackend &m_backend;
  PacsBackend *m_pacs = nullptr;
  QPushButton *m_openFromPacs = nullptr;
  QPushButton *m_sendToPacs = nullptr;
  QLabel *m_pacsStatus = nullptr;
  QPointer<OpenFromPacsDialog> m_pacsDialog;
  QFutureWatcher<PacsAnswer<bool>> *m_sending = nullptr;
  QStringList m_dicomFiles; ///< the last result as DICOM SEG + SR (empty: none)
  std::vector<ModelOption> m_models;
  std::shared_ptr<OpenedInput> m_input;
  QString m_inputPath;
  QString m_inputFamily;     ///< "volume", "image", "text" or ""
  AnalysisRequest m_request; ///< the run going on, or the last one
  std::shared_ptr<std::atomic<bool>> m_cancelled;
  QFutureWatcher<OpenedInput> *m_opening = nullptr;
  QFutureWatcher<RunResult> *m_running = nullptr;
  QFutureWatcher<CostEstimate> *m_estimating = nullptr;
  QString m_estimatedFor; ///< the estimateKey() of the estimate running or shown
  QString m_estimateText; ///< the cost line of the last finished estimate
  QString m_passphrase;

  DropFileList *m_files = nullptr;
  QStackedWidget *m_views = nullptr;
  QTabWidget *m_middleTabs = nullptr;
  ShareView *m_shareView = nullptr;
  SliceViewer *m_viewer = nullptr;
  QPlainTextEdit *m_document = nullptr;
  QLabel *m_inputInfo = nullptr;
  QComboBox *m_model = nullptr;
  QLabel *m_notice = nullptr;
  QComboBox *m_level = nullptr;
  QLabel *m_sentence = nullptr;
  QLabel *m_cost = nullptr;
  QPushButton *m_run = nullptr;
  QPushButton *m_cancel = nullptr;
  QProgressBar *m_progress = nullptr;
  QLabel *m_status = nullptr;
  QPlainTextEdit *m_result = nullptr;
  QLabel *m_badge = nullptr;
  QLabel *m_error = nullptr;
  QPushButton *m_save = nullptr;
  QPushButton *m_export = nullptr;
  std::vector<std::int64_t> m_lastShape; ///< the last successful run's output
  std::vector<float> m_lastOutput;
};

} // namespace nesa::ui
