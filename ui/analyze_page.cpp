#include "ui/analyze_page.h"

#include "ingest/dicom_reader.h"
#include "ingest/document_reader.h"
#include "ingest/image_reader.h"
#include "ingest/nifti_reader.h"
#include "ingest/preprocess.h"
#include "ui/drop_file_list.h"
#include "ui/input_kind.h"
#include "ui/npy_export.h"
#include "ui/open_from_pacs_dialog.h"
#include "ui/privacy_levels.h"
#include "ui/share_view.h"
#include "ui/slice_viewer.h"

#include <QComboBox>
#include <QDateTime>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSaveFile>
#include <QStackedWidget>
#include <QTabWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <cmath>
#include <optional>

namespace nesa::ui {

/// What opening a dropped file gave (made on a worker thread).
struct OpenedInput {
  QString family; ///< "volume", "image", "text"; "" on error
  ingest::Volume volume;
  QImage image;
  QString text;
  QString description;
  int privateAttributes = 0;
  QString error;
};

/// What a run gave, with a segmentation's mask on the grid the model saw (made on the worker).
struct RunResult {
  AnalysisOutcome outcome;
  std::optional<ingest::Volume> grid;
  std::vector<std::uint8_t> mask;
};

namespace {

OpenedInput openInput(const QString &path) {
  OpenedInput opened;
  const std::filesystem::path file = path.toStdString();
  const InputKind kind = guessInputKind(path);
  auto failWith = [&](const Error &error) {
    opened.error = QString::fromStdString(error.message);
    return opened;
  };
  if (kind == InputKind::MedicalVolume || kind == InputKind::DicomSeries) {
    const bool nifti =
        path.endsWith(QLatin1String(".nii")) || path.endsWith(QLatin1String(".nii.gz"));
    auto volume = nifti                            ? ingest::readNifti(file)
                  : kind == InputKind::DicomSeries ? ingest::readDicomSeries(file)
                                                   : ingest::readDicomFile(file);
    if (!volume)
      return failWith(volume.error());
    opened.family = QStringLiteral("volume");
    QStringList dims;
    for (auto d : volume->shape)
      dims.prepend(QString::number(d));
    opened.description =
        AnalyzePage::tr("%1, %2 voxels of %3 × %4 × %5 mm")
            .arg(QString::fromStdString(volume->format), dims.join(QStringLiteral(" × ")))
            .arg(volume->spacing[0], 0, 'g', 3)
            .arg(volume->spacing[1], 0, 'g', 3)
            .arg(volume->spacing[2], 0, 'g', 3);
    opened.privateAttributes = static_cast<int>(volume->identifying.size());
    opened.volume = std::move(*volume);
  } else if (kind == InputKind::Image) {
    auto image = ingest::readImage(file);
    if (!image)
      return failWith(image.error());
    QImage picture(image->width, image->height, QImage::Format_RGB32);
    for (int y = 0; y < image->height; ++y)
      for (int x = 0; x < image->width; ++x) {
        const float *p =
            &image->pixels[(static_cast<std::size_t>(y) * image->width + x) * image->channels];
        const int r = static_cast<int>(p[0]), g = static_cast<int>(p[image->channels == 3 ? 1 : 0]),
                  b = static_cast<int>(p[image->channels == 3 ? 2 : 0]);
        picture.setPixel(x, y, qRgb(r, g, b));
      }
    opened.family = QStringLiteral("image");
    opened.image = picture;
    opened.description = AnalyzePage::tr("%1 image, %2 × %3 pixels")
                             .arg(QString::fromStdString(image->format).toUpper())
                             .arg(image->width)
                             .arg(image->height);
  } else if (kind == InputKind::Document) {
    auto document = ingest::readDocument(file);
    if (!document)
      return failWith(document.error());
    opened.family = QStringLiteral("text");
    opened.text = QString::fromStdString(document->text);
    opened.description =
        AnalyzePage::tr("%1 document, %n character(s)", "", static_cast<int>(opened.text.size()))
            .arg(QString::fromStdString(document->format));
  } else {
    opened.error = AnalyzePage::tr("%1 is not a scan, an image or a "
                                   "document this app can read.")
                       .arg(QFileInfo(path).fileName());
  }
  return opened;
}

// For a segmentation of axial slices: the volume as the model saw it (resampled, cropped) and
// the argmax mask on it. Nothing for other models or outputs.
void addOverlay(RunResult &result, const ModelOption &model, const OpenedInput &input) {
  const auto &out = result.outcome;
  if (model.task != QLatin1String("segmentation") || input.family != QLatin1String("volume") ||
      out.shape.size() != 4 || model.preprocessingJson.isEmpty())
    return;
  auto steps = ingest::parsePreprocessing(model.preprocessingJson.toStdString());
  if (!steps || steps->slices != ingest::Preprocessing::Slices::Axial)
    return;
  steps->slices = ingest::Preprocessing::Slices::None;
  steps->normalize = ingest::Preprocessing::Normalize::None;
  auto prepared = ingest::preprocess(input.volume, *steps);
  const auto n = out.shape[0], classes = out.shape[1], plane = out.shape[2] * out.shape[3];
  if (!prepared || prepared->count() != n * plane ||
      static_cast<std::int64_t>(out.output.size()) != n * classes * plane)
    return;
  result.mask.assign(static_cast<std::size_t>(n * plane), 0);
  for (std::int64_t s = 0; s < n; ++s)
    for (std::int64_t p = 0; p < plane; ++p) {
      std::int64_t best = 0;
      for (std::int64_t c = 1; c < classes; ++c)
        if (out.output[static_cast<std::size_t>((s * classes + c) * plane + p)] >
            out.output[static_cast<std::size_t>((s * classes + best) * plane + p)])
          best = c;
      result.mask[static_cast<std::size_t>(s * plane + p)] = best != 0 ? 1 : 0;
    }
  result.grid = std::move(*prepared);
}

} // namespace

AnalyzePage::AnalyzePage(AnalysisBackend &backend, QWidget *parent)
    : QWidget(parent), m_backend(backend), m_cancelled(std::make_shared<std::atomic<bool>>(false)) {
  m_files = new DropFileList;
  m_files->setObjectName(QStringLiteral("inputFiles"));
  auto *add = new QPushButton(tr("Add files…"));
  add->setObjectName(QStringLiteral("addFiles"));
  auto *remove = new QPushButton(tr("Remove"));
  remove->setObjectName(QStringLiteral("removeFiles"));
  remove->setEnabled(false);
  m_viewer = new SliceViewer;
  m_document = new QPlainTextEdit;
  m_document->setReadOnly(true);
  m_views = new QStackedWidget;
  m_views->addWidget(m_viewer);
  m_views->addWidget(m_document);
  m_inputInfo = new QLabel;
  m_inputInfo->setWordWrap(true);

  m_model = new QComboBox;
  m_notice = new QLabel;
  m_notice->setWordWrap(true);
  m_level = new QComboBox;
  for (const auto &level : privacyLevels())
    m_level->addItem(privacyLevelTitle(level), level);
  m_level->setCurrentIndex(2); // hss: private by default
  m_sentence = new QLabel;
  m_sentence->setWordWrap(true);
  m_cost = new QLabel;
  m_cost->setWordWrap(true);
  m_run = new QPushButton(tr("Run"));
  m_cancel = new QPushButton(tr("Cancel"));
  m_cancel->setEnabled(false);
  m_progress = new QProgressBar;
  m_progress->setRange(0, 1);
  m_progress->setValue(0);
  m_status = new QLabel;
  m_status->setWordWrap(true);
  m_result = new QPlainTextEdit;
  m_result->setReadOnly(true);
  m_badge = new QLabel;
  m_badge->setWordWrap(true);
  m_badge->setMinimumHeight(2 * m_badge->fontMetrics().lineSpacing() + 4);
  m_error = new QLabel;
  m_error->setWordWrap(true);
  m_error->setStyleSheet(QStringLiteral("color: #b00020"));
  m_save = new QPushButton(tr("Save report…"));
  m_save->setEnabled(false);
  m_export = new QPushButton(tr("Export output…"));
  m_export->setToolTip(tr("The model's output as a NumPy file (float32)"));
  m_export->setEnabled(false);

  m_openFromPacs = new QPushButton(tr("Open from PACS…"));
  m_openFromPacs->setObjectName(QStringLiteral("openFromPacs"));
  m_openFromPacs->setVisible(false);
  m_sendToPacs = new QPushButton(tr("Send result to PACS"));
  m_sendToPacs->setToolTip(tr("Store the segmentation (DICOM SEG) and its volumes (DICOM SR) in "
                              "the scan's study on the PACS"));
  m_sendToPacs->setVisible(false);
  m_sendToPacs->setEnabled(false);
  m_pacsStatus = new QLabel;
  m_pacsStatus->setWordWrap(true);
  m_sending = new QFutureWatcher<PacsAnswer<bool>>(this);

  auto *left = new QVBoxLayout;
  left->addWidget(m_files, 1);
  auto *fileButtons = new QHBoxLayout;
  fileButtons->addWidget(add);
  fileButtons->addWidget(remove);
  left->addLayout(fileButtons);
  left->addWidget(m_openFromPacs);
  auto *inputPane = new QWidget;
  auto *inputLayout = new QVBoxLayout(inputPane);
  inputLayout->setContentsMargins(0, 0, 0, 0);
  inputLayout->addWidget(m_views, 1);
  inputLayout->addWidget(m_inputInfo);
  m_shareView = new ShareView;
  m_middleTabs = new QTabWidget;
  m_middleTabs->addTab(inputPane, tr("Input"));
  m_middleTabs->addTab(m_shareView, tr("What the miners saw"));
  auto *middle = new QVBoxLayout;
  middle->addWidget(m_middleTabs, 1);
  auto *form = new QFormLayout;
  form->addRow(tr("Model"), m_model);
  form->addRow(QString(), m_notice);
  form->addRow(tr("Privacy"), m_level);
  form->addRow(QString(), m_sentence);
  form->addRow(tr("Cost"), m_cost);
  auto *buttons = new QHBoxLayout;
  buttons->addWidget(m_run);
  buttons->addWidget(m_cancel);
  auto *right = new QVBoxLayout;
  right->addLayout(form);
  right->addLayout(buttons);
  right->addWidget(m_progress);
  right->addWidget(m_status);
  right->addWidget(m_error);
  right->addWidget(new QLabel(tr("Result")));
  right->addWidget(m_badge);
  right->addWidget(m_result, 1);
  auto *saveRow = new QHBoxLayout;
  saveRow->addWidget(m_save);
  saveRow->addWidget(m_export);
  right->addLayout(saveRow);
  right->addWidget(m_sendToPacs);
  right->addWidget(m_pacsStatus);
  auto *layout = new QHBoxLayout(this);
  layout->addLayout(left, 1);
  layout->addLayout(middle, 3);
  layout->addLayout(right, 2);

  m_estimating = new QFutureWatcher<CostEstimate>(this);
  connect(m_estimating, &QFutureWatcher<CostEstimate>::finished, this,
          [this] { showEstimate(m_estimating->result()); });
  m_opening = new QFutureWatcher<OpenedInput>(this);
  m_running = new QFutureWatcher<RunResult>(this);
  connect(m_opening, &QFutureWatcher<OpenedInput>::finished, this,
          [this] { showOpened(m_opening->result()); });
  connect(m_running, &QFutureWatcher<RunResult>::finished, this,
          [this] { finish(m_running->result()); });
  connect(add, &QPushButton::clicked, this, [this] {
    m_files->addPaths(QFileDialog::getOpenFileNames(
        this, tr("Add files"), QString(),
        tr("Scans, images and documents (*.dcm *.nii *.nii.gz *.png *.jpg *.jpeg *.tif *.tiff "
           "*.bmp *.pdf *.docx *.txt *.md);;All files (*)")));
  });
  connect(remove, &QPushButton::clicked, m_files, &DropFileList::removeSelected);
  connect(m_files, &QListWidget::itemSelectionChanged, this,
          [this, remove] { remove->setEnabled(!m_files->selectedItems().isEmpty()); });
  connect(m_files, &DropFileList::filesAdded, this, [this](const QStringList &added) {
    if (!added.isEmpty())
      m_files->setCurrentRow(m_files->count() - 1);
  });
  connect(m_files, &DropFileList::currentRowChanged, this, [this] { openSelected(); });
  connect(m_model, &QComboBox::currentIndexChanged, this, [this] { refreshLevel(); });
  connect(m_level, &QComboBox::currentIndexChanged, this, [this] { refreshLevel(); });
  connect(m_run, &QPushButton::clicked, this, [this] { start(); });
  connect(m_cancel, &QPushButton::clicked, this, [this] {
    m_cancelled->store(true);
    m_status->setText(tr("Cancelling…"));
  });
  connect(m_save, &QPushButton::clicked, this, [this] { saveReport(); });
  connect(m_openFromPacs, &QPushButton::clicked, this, [this] { openFromPacs(); });
  connect(m_sendToPacs, &QPushButton::clicked, this, [this] { sendResultToPacs(); });
  connect(m_sending, &QFutureWatcher<PacsAnswer<bool>>::finished, this, [this] {
    const auto answer = m_sending->result();
    m_sendToPacs->setEnabled(!m_dicomFiles.isEmpty());
    refreshLevel(); // Run again
    m_pacsStatus->setStyleSheet(answer.ok() ? QString() : QStringLiteral("color: #b00020"));
    m_pacsStatus->setText(answer.ok() ? tr("The segmentation and its volumes are stored in the "
                                           "scan's study on %1.")
                                            .arg(m_pacs->pacsName())
                                      : answer.error);
    Q_EMIT resultSent();
  });
  connect(m_export, &QPushButton::clicked, this, [this] {
    if (!exportAllowed())
      return;
    const QString file = QFileDialog::getSaveFileName(this, tr("Export output"), QString(),
                                                      tr("NumPy files (*.npy)"));
    if (!file.isEmpty())
      exportOutput(file);
  });

  m_models = m_backend.models();
  refreshModels();
}

AnalyzePage::~AnalyzePage() {
  m_cancelled->store(true);
  m_opening->waitForFinished();
  m_running->waitForFinished();
  m_estimating->waitForFinished();
  m_sending->waitForFinished(); // it reads files the backend removes with its next run
}

bool AnalyzePage::isBusy() const { return m_opening->isRunning() || m_running->isRunning(); }
QString AnalyzePage::levelSentence() const { return m_sentence->text(); }
QString AnalyzePage::resultText() const { return m_result->toPlainText(); }
QString AnalyzePage::badgeText() const { return m_badge->text(); }
QString AnalyzePage::errorText() const { return m_error->text(); }
QString AnalyzePage::documentText() const { return m_document->toPlainText(); }

bool AnalyzePage::selectModel(const QString &id) {
  const int index = m_model->findData(id);
  if (index >= 0)
    m_model->setCurrentIndex(index);
  return index >= 0;
}

bool AnalyzePage::selectLevel(const QString &level) {
  const int index = m_level->findData(level);
  if (index >= 0)
    m_level->setCurrentIndex(index);
  return index >= 0;
}

void AnalyzePage::run() {
  if (m_run->isEnabled())
    start();
}

void AnalyzePage::openSelected() {
  const auto *item = m_files->currentItem();
  if (!item || m_opening->isRunning() || m_running->isRunning())
    return; // picked up again when the opening or the run ends
  m_inputPath = m_files->paths().value(m_files->currentRow());
  m_inputInfo->setText(tr("Opening %1…").arg(QFileInfo(m_inputPath).fileName()));
  m_error->clear();
  m_opening->setFuture(QtConcurrent::run(openInput, m_inputPath));
}

void AnalyzePage::showOpened(const OpenedInput &opened) {
  m_input = std::make_shared<OpenedInput>(opened);
  m_inputFamily = opened.family;
  m_result->clear();
  m_badge->clear();
  m_save->setEnabled(false);
  m_export->setEnabled(false);
  if (!opened.error.isEmpty()) {
    m_viewer->clear();
    m_views->setCurrentWidget(m_viewer);
    m_inputInfo->clear();
    showError(opened.error);
  } else if (opened.family == QLatin1String("volume")) {
    m_viewer->showVolume(opened.volume);
    m_views->setCurrentWidget(m_viewer);
  } else if (opened.family == QLatin1String("image")) {
    m_viewer->showImage(opened.image);
    m_views->setCurrentWidget(m_viewer);
  } else {
    m_document->setPlainText(opened.text);
    m_views->setCurrentWidget(m_document);
  }
  if (opened.error.isEmpty()) {
    QString info = opened.description;
    if (opened.privateAttributes > 0)
      info += QLatin1Char('\n') +
              tr("Patient details (%n attribute(s)) stay on this computer: they are never sent.",
                 "", opened.privateAttributes);
    m_inputInfo->setText(info);
  }
  refreshModels();
  Q_EMIT inputShown();
  openPickedMeanwhile();
}

void AnalyzePage::openPickedMeanwhile() {
  if (m_files->currentRow() >= 0 && m_files->paths().value(m_files->currentRow()) != m_inputPath)
    openSelected();
}

void AnalyzePage::refreshModels() {
  const QString previous = m_model->currentData().toString();
  const QSignalBlocker block(m_model);
  m_model->clear();
  for (const auto &model : m_models)
    if (m_inputFamily.isEmpty() || model.input == m_inputFamily)
      m_model->addItem(model.name, model.id);
  const int keep = m_model->findData(previous);
  m_model->setCurrentIndex(keep >= 0 ? keep : 0);
  refreshLevel();
}

const ModelOption *AnalyzePage::selectedModel() const {
  const QString id = m_model->currentData().toString();
  for (const auto &model : m_models)
    if (model.id == id)
      return &model;
  return nullptr;
}

void AnalyzePage::refreshLevel() {
  const QString level = m_level->currentData().toString();
  m_sentence->setText(privacyLevelSentence(level));
  const auto *model = selectedModel();
  m_notice->setText(model ? model->notice : QString());
  // No new run while the last one's result is being sent: the run replaces those files.
  const bool ready =
      model && !m_inputFamily.isEmpty() && !m_running->isRunning() && !m_sending->isRunning();
  m_run->setEnabled(ready);
  if (!model) {
    m_cost->setText(m_inputFamily.isEmpty() ? tr("Add a file first.")
                                            : tr("No installed model takes this kind of input."));
    return;
  }
  if (level == QLatin1String("local")) {
    m_cost->setText(tr("Free: nothing leaves this computer."));
    return;
  }
  if (!ready)
    return;
  if (estimateKey() == m_estimatedFor && !m_estimating->isRunning() && !m_estimateText.isEmpty())
    m_cost->setText(m_estimateText); // already estimated for this input, model and level
  else
    estimateCost();
}

QString AnalyzePage::estimateKey() const {
  const auto *model = selectedModel();
  return model ? m_inputPath + QLatin1Char('\n') + model->id + QLatin1Char('\n') +
                     m_level->currentData().toString()
               : QString();
}

void AnalyzePage::estimateCost() {
  if (m_estimating->isRunning())
    return; // showEstimate starts again when the choice changed meanwhile
  const auto *model = selectedModel();
  m_estimatedFor = estimateKey();
  m_estimateText.clear();
  m_cost->setText(tr("Estimating the cost…"));
  AnalysisBackend *backend = &m_backend;
  m_estimating->setFuture(QtConcurrent::run(
      [backend,
       request = AnalysisRequest{m_inputPath, model->id, m_level->currentData().toString(), {}}] {
        return backend->estimateCost(request);
      }));
}

void AnalyzePage::showEstimate(const CostEstimate &estimate) {
  if (estimateKey() != m_estimatedFor) { // the input, model or level changed meanwhile
    if (m_level->currentData().toString() != QLatin1String("local") && selectedModel() &&
        !m_inputFamily.isEmpty())
      estimateCost();
    return;
  }
  m_estimateText =
      !estimate.known
          ? tr("Not estimated: %1").arg(estimate.detail)
          : tr("About %1 NES, paid only for verified answers").arg(estimate.nes, 0, 'f', 6) +
                (estimate.detail.isEmpty() ? QString()
                                           : QStringLiteral(" (%1)").arg(estimate.detail));
  if (m_level->currentData().toString() != QLatin1String("local"))
    m_cost->setText(m_estimateText);
  Q_EMIT costEstimated();
}

QString AnalyzePage::costText() const { return m_cost->text(); }

bool AnalyzePage::exportAllowed() {
  const QString refusal = m_backend.exportRefusal();
  if (!refusal.isEmpty())
    showError(refusal);
  return refusal.isEmpty();
}

bool AnalyzePage::exportOutput(const QString &file) {
  if (m_lastOutput.empty() || !exportAllowed())
    return false;
  if (!exportRecorded(QStringLiteral("npy"),
                      [&] { return writeFloatNpy(file, m_lastShape, m_lastOutput); })) {
    if (errorText().isEmpty())
      showError(tr("The output could not be exported to %1.").arg(file));
    return false;
  }
  return true;
}

bool AnalyzePage::exportRecorded(const QString &format, const std::function<bool()> &write) {
  AnalysisRequest request = m_request;
  request.passphrase = m_passphrase; // the audit log is encrypted with the wallet's passphrase
  m_error->clear();
  if (const QString problem = m_backend.recordExport(request, format, ExportStage::Starting);
      !problem.isEmpty()) {
    showError(
        tr("Nothing was written: the export cannot be recorded in the audit log: %1").arg(problem));
    return false;
  }
  const bool written = write();
  const QString problem =
      m_backend.recordExport(request, format, written ? ExportStage::Written : ExportStage::Failed);
  if (!problem.isEmpty() && written)
    showError(tr("The export is not on record in the audit log: %1").arg(problem));
  return written;
}

void AnalyzePage::setWalletPassphrase(const QString &passphrase) {
  m_passphrase.fill(QLatin1Char('\0')); // the one it replaces, overwritten first
  m_passphrase = passphrase;
}

void AnalyzePage::showMinersView() { m_middleTabs->setCurrentWidget(m_shareView); }

void AnalyzePage::start() {
  const auto *model = selectedModel();
  if (!model || m_inputPath.isEmpty() || m_running->isRunning() || m_sending->isRunning())
    return;
  const AnalysisRequest request{m_inputPath, model->id, m_level->currentData().toString(),
                                m_passphrase};
  m_request = request;
  m_request.passphrase.clear(); // kept for the history: no secret in it
  m_dicomFiles.clear();         // the backend removes them with this run
  m_sendToPacs->setEnabled(false);
  m_pacsStatus->clear();
  m_shareView->clear();
  m_cancelled = std::make_shared<std::atomic<bool>>(false);
  m_error->clear();
  m_result->clear();
  m_badge->clear();
  m_progress->setRange(0, 0); // busy until the first call is reported
  m_status->setText(tr("Starting…"));
  m_run->setEnabled(false);
  m_cancel->setEnabled(true);
  m_save->setEnabled(false);
  m_export->setEnabled(false);
  QPointer<AnalyzePage> self(this);
  auto cancelled = m_cancelled;
  AnalysisBackend *backend = &m_backend;
  m_running->setFuture(
      QtConcurrent::run([self, cancelled, backend, request, option = *model, input = m_input] {
        RunResult result{backend->run(
                             request,
                             [self](const AnalysisProgress &progress) {
                               QMetaObject::invokeMethod(
                                   self,
                                   [self, progress] {
                                     if (self)
                                       self->showProgress(progress);
                                   },
                                   Qt::QueuedConnection);
                             },
                             *cancelled),
                         {},
                         {}};
        if (result.outcome.ok && input)
          addOverlay(result, option, *input);
        return result;
      }));
}

void AnalyzePage::showProgress(const AnalysisProgress &progress) {
  if (progress.total > 0) {
    m_progress->setRange(0, progress.total);
    m_progress->setValue(progress.done);
  }
  m_status->setText(
      tr("Call %1 of %2: %3").arg(progress.done).arg(progress.total).arg(progress.step));
}

void AnalyzePage::finish(RunResult result) {
  const AnalysisOutcome &outcome = result.outcome;
  m_cancel->setEnabled(false);
  m_progress->setRange(0, 1);
  m_progress->setValue(outcome.ok ? 1 : 0);
  refreshLevel();
  AnalysisRecord record;
  record.finishedAt = QDateTime::currentDateTimeUtc();
  record.input = m_request.input;
  record.model = m_request.model;
  record.level = m_request.level;
  record.ok = outcome.ok;
  record.summary = outcome.summary;
  record.costNes = outcome.costNes;
  record.miners = outcome.miners;
  if (!outcome.ok) {
    m_status->clear();
    showError(m_cancelled->load() ? tr("The run was cancelled.") : outcome.error);
    if (!m_cancelled->load()) {
      record.summary = outcome.error;
      Q_EMIT analysisRecorded(record);
    }
    Q_EMIT runFinished();
    openPickedMeanwhile();
    return;
  }
  m_status->setText(tr("Done."));
  m_result->setPlainText(outcome.summary);
  m_badge->setText(outcome.checksFailed == 0
                       ? tr("Verified: %n miner(s) answered, every check passed (%1).", "",
                            static_cast<int>(outcome.miners.size()))
                             .arg(outcome.checksPassed)
                       : tr("%1 check(s) failed; the wrong answers were replaced and reported.")
                             .arg(outcome.checksFailed));
  if (outcome.costNes > 0)
    m_badge->setText(m_badge->text() + QLatin1Char(' ') +
                     tr("Paid %1 NES for the verified answers.").arg(outcome.costNes, 0, 'f', 6));
  m_save->setEnabled(true);
  m_lastShape = outcome.shape;
  m_lastOutput = outcome.output;
  m_export->setEnabled(!m_lastOutput.empty());
  m_dicomFiles = outcome.dicomFiles;
  m_sendToPacs->setEnabled(!m_dicomFiles.isEmpty() && m_pacs && !m_sending->isRunning());
  if (!outcome.dicomError.isEmpty())
    m_pacsStatus->setText(tr("No DICOM result: %1").arg(outcome.dicomError));
  record.receipt = m_badge->text();
  Q_EMIT analysisRecorded(record);
  m_shareView->showTensors(outcome.input, outcome.share, m_request.level);
  if (result.grid) {
    m_viewer->showVolume(std::move(*result.grid));
    m_viewer->setOverlay(std::move(result.mask));
  }
  Q_EMIT runFinished();
  openPickedMeanwhile();
}

void AnalyzePage::showError(const QString &message) { m_error->setText(message); }

void AnalyzePage::setPacsBackend(PacsBackend *pacs) {
  m_pacs = pacs;
  m_openFromPacs->setVisible(pacs != nullptr);
  m_sendToPacs->setVisible(pacs != nullptr);
}

void AnalyzePage::openFromPacs() {
  if (!m_pacs || m_pacsDialog)
    return;
  m_pacsDialog = new OpenFromPacsDialog(*m_pacs, this);
  m_pacsDialog->setAttribute(Qt::WA_DeleteOnClose);
  connect(m_pacsDialog, &QDialog::finished, this, [this](int result) {
    const QString folder = m_pacsDialog ? m_pacsDialog->folder() : QString();
    if (result == QDialog::Accepted && !folder.isEmpty()) {
      const QStringList added = m_files->addPaths({folder});
      if (!added.isEmpty())
        m_files->setCurrentRow(m_files->count() - 1);
    }
    Q_EMIT pacsDialogClosed();
  });
  m_pacsDialog->open();
}

void AnalyzePage::sendResultToPacs() {
  if (!m_pacs || m_dicomFiles.isEmpty() || m_sending->isRunning())
    return;
  if (m_pacs->pacsName().isEmpty()) {
    m_pacsStatus->setStyleSheet(QStringLiteral("color: #b00020"));
    m_pacsStatus->setText(tr("Set a PACS first (Settings, or 'nesa config set pacsNode')."));
    Q_EMIT resultSent();
    return;
  }
  m_sendToPacs->setEnabled(false);
  m_run->setEnabled(false);
  m_pacsStatus->setStyleSheet(QString());
  m_pacsStatus->setText(tr("Sending to %1…").arg(m_pacs->pacsName()));
  m_sending->setFuture(
      QtConcurrent::run([pacs = m_pacs, files = m_dicomFiles] { return pacs->send(files); }));
}

QString AnalyzePage::pacsText() const { return m_pacsStatus->text(); }

void AnalyzePage::saveReport() {
  if (!exportAllowed())
    return;
  const QString file =
      QFileDialog::getSaveFileName(this, tr("Save report"), QString(), tr("Text files (*.txt)"));
  if (file.isEmpty())
    return;
  const bool written = exportRecorded(QStringLiteral("report"), [&] {
    QSaveFile out(file);
    return out.open(QIODevice::WriteOnly) &&
           out.write((m_inputInfo->text() + QStringLiteral("\n\n") + m_result->toPlainText() +
                      QStringLiteral("\n\n") + m_badge->text() + QLatin1Char('\n'))
                         .toUtf8()) >= 0 &&
           out.commit();
  });
  if (!written && errorText().isEmpty())
    showError(tr("The report could not be saved to %1.").arg(file));
}

} // namespace nesa::ui
