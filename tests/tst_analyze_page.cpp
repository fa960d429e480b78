// The analyze page against a fake backend: a dropped scan appears in the viewer, a run at hss
// advances its progress and shows the result, the segmentation and how it was verified; a
// failing run shows its error; the privacy picker explains each level; models are filtered by
// the kind of input; documents show their text.
#include "fake_analysis_backend.h"
#include "process_analysis_backend.h"
#include "test_nifti.h"
#include "test_npy.h"
#include "ui/analyze_page.h"
#include "ui/drop_file_list.h"
#include "ui/privacy_levels.h"
#include "ui/share_view.h"
#include "ui/slice_viewer.h"

#include <QApplication>
#include <QComboBox>
#include <QFile>
#include <QImage>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMimeData>
#include <QProcess>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include <cstring>
#include <fstream>

using namespace nesa::ui;
using nesa::testing::FakeBackend;

namespace {

// A 3-D NIfTI-1 volume of 8 × 8 × 8 float32 voxels: a bright cube in the middle.
void writeVolume(const QString &path) {
  const std::string h = nesa::testing::niftiHeader(8, 8, 8, 16, 32, 2);
  std::vector<float> voxels(512, 0.0f);
  for (int z = 2; z < 6; ++z)
    for (int y = 2; y < 6; ++y)
      for (int x = 2; x < 6; ++x)
        voxels[static_cast<std::size_t>((z * 8 + y) * 8 + x)] = 100.0f;
  std::ofstream out(path.toStdString(), std::ios::binary);
  out << h;
  out.write(reinterpret_cast<const char *>(voxels.data()), 512 * 4);
}

// Delivers a real drag-enter and drop of `file` to the page's list.
void dropFile(AnalyzePage &page, const QString &file) {
  QWidget *target = page.fileList()->viewport();
  QMimeData mime;
  mime.setUrls({QUrl::fromLocalFile(file)});
  const QPoint centre = target->rect().center();
  QDragEnterEvent enter(centre, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
  QApplication::sendEvent(target, &enter);
  QDropEvent drop(QPointF(centre), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
  QApplication::sendEvent(target, &drop);
}

// Writes the cube volume as `file`, drops it on the page and waits until the page shows it.
bool dropScanAndWait(AnalyzePage &page, const QString &file) {
  writeVolume(file);
  QSignalSpy shown(&page, &AnalyzePage::inputShown);
  dropFile(page, file);
  return QTest::qWaitFor([&] { return shown.count() == 1; }, 5000);
}

} // namespace

class TestAnalyzePage : public QObject {
  Q_OBJECT
  QTemporaryDir m_dir;

private Q_SLOTS:
  void droppedScanAppearsInTheViewer() {
    FakeBackend backend;
    AnalyzePage page(backend);
    QVERIFY(!page.runButton()->isEnabled()); // nothing to run on yet
    const QString scan = m_dir.filePath(QStringLiteral("cube.nii"));
    writeVolume(scan);
    QSignalSpy shown(&page, &AnalyzePage::inputShown);
    dropFile(page, scan);
    QCOMPARE(page.fileList()->paths(), QStringList{scan});
    QTRY_COMPARE(shown.count(), 1);
    QVERIFY(page.errorText().isEmpty());
    QVERIFY(page.viewer()->hasVolume());
    QCOMPARE(page.viewer()->sliceCount(), 8);
    QCOMPARE(page.viewer()->currentSlice(), 4);
    const QImage slice = page.viewer()->renderedImage();
    QCOMPARE(slice.size(), QSize(8, 8));
    QVERIFY(qGray(slice.pixel(4, 4)) > 200 && qGray(slice.pixel(0, 0)) < 50); // the cube, lit
    page.viewer()->setOrientation(SliceViewer::Orientation::Sagittal);
    QCOMPARE(page.viewer()->sliceCount(), 8);
    // Only the models that take volumes are offered.
    QCOMPARE(page.modelPicker()->count(), 2);
    QVERIFY(page.runButton()->isEnabled());
  }

  void runAtHssShowsProgressResultAndVerification() {
    FakeBackend backend;
    AnalyzePage page(backend);
    page.setWalletPassphrase(QStringLiteral("unlocked"));
    QVERIFY(dropScanAndWait(page, m_dir.filePath(QStringLiteral("run.nii"))));
    page.levelPicker()->setCurrentIndex(page.levelPicker()->findData(QStringLiteral("hss")));
    QVector<int> seen;
    connect(page.progressBar(), &QProgressBar::valueChanged, this,
            [&](int value) { seen.push_back(value); });
    QSignalSpy finished(&page, &AnalyzePage::runFinished);
    QSignalSpy recorded(&page, &AnalyzePage::analysisRecorded);
    QTest::mouseClick(page.runButton(), Qt::LeftButton);
    QVERIFY(!page.runButton()->isEnabled());
    QVERIFY(page.cancelButton()->isEnabled());
    QTRY_COMPARE(finished.count(), 1);
    QCOMPARE(backend.requests.size(), std::size_t{1});
    QCOMPARE(backend.requests[0].level, QStringLiteral("hss"));
    QCOMPARE(backend.requests[0].model, QStringLiteral("fake-seg"));
    QVERIFY2(seen.contains(2) && seen.contains(4), "the progress did not advance call by call");
    QVERIFY(page.resultText().contains(QStringLiteral("cube: 64 voxels")));
    QVERIFY(page.badgeText().contains(QStringLiteral("2 miner")));
    QVERIFY(page.badgeText().contains(QStringLiteral("8")));
    QVERIFY(page.errorText().isEmpty());
    QVERIFY(page.viewer()->hasOverlay());
    QVERIFY(page.runButton()->isEnabled());
    // What the history keeps of the run: the request, the result and the receipt.
    QCOMPARE(recorded.count(), 1);
    const auto record = recorded.at(0).at(0).value<AnalysisRecord>();
    QVERIFY(record.ok);
    QVERIFY(record.input.endsWith(QStringLiteral("run.nii")));
    QCOMPARE(record.model, QStringLiteral("fake-seg"));
    QCOMPARE(record.level, QStringLiteral("hss"));
    QVERIFY(record.summary.contains(QStringLiteral("cube: 64 voxels")));
    QCOMPARE(record.receipt, page.badgeText());
    // The output exported as NumPy: the header names the shape, the data follows it.
    const QString exported = m_dir.filePath(QStringLiteral("output.npy"));
    QVERIFY(page.exportOutput(exported));
    QFile npy(exported);
    QVERIFY(npy.open(QIODevice::ReadOnly));
    const QByteArray bytes = npy.readAll();
    QVERIFY(bytes.startsWith("\x93NUMPY"));
    QVERIFY(bytes.contains("'shape': (8, 2, 8, 8)"));
    const int headerEnd = bytes.indexOf('\n') + 1;
    QCOMPARE(headerEnd % 64, 0);
    QCOMPARE(bytes.size() - headerEnd, 8 * 2 * 8 * 8 * 4);
    QVERIFY(!page.exportOutput(QStringLiteral("/nonexistent/folder/out.npy")));
    QVERIFY(page.errorText().contains(QStringLiteral("could not be exported")));
    // Both are on record in the audit log (through the backend) as they start and end, the
    // failed one as failed; the wallet's passphrase goes with them (it opens the log).
    using Stage = ExportStage;
    QCOMPARE(backend.exportsRecorded.size(), 4u);
    QCOMPARE(backend.exportsRecorded[0], std::make_pair(QStringLiteral("npy"), Stage::Starting));
    QCOMPARE(backend.exportsRecorded[1], std::make_pair(QStringLiteral("npy"), Stage::Written));
    QCOMPARE(backend.exportsRecorded[2], std::make_pair(QStringLiteral("npy"), Stage::Starting));
    QCOMPARE(backend.exportsRecorded[3], std::make_pair(QStringLiteral("npy"), Stage::Failed));
    QCOMPARE(backend.requests.back().model, QStringLiteral("fake-seg"));
    QCOMPARE(backend.requests.back().input, record.input);
    QCOMPARE(backend.requests.back().passphrase, QStringLiteral("unlocked"));
    // An export that cannot be recorded (the wallet locked since the run) is not written.
    backend.recordProblem = QStringLiteral("the wallet is locked");
    const QString unrecorded = m_dir.filePath(QStringLiteral("unrecorded.npy"));
    QVERIFY(!page.exportOutput(unrecorded));
    QVERIFY(!QFile::exists(unrecorded));
    QVERIFY2(page.errorText().contains(QStringLiteral("Nothing was written: the export cannot be "
                                                      "recorded in the audit log: the wallet is "
                                                      "locked")),
             qPrintable(page.errorText()));
    QCOMPARE(backend.exportsRecorded.size(), 5u);
    backend.recordProblem.clear();
    // Under a policy that keeps results inside Nesa: refused with its rule, nothing written.
    backend.refuseExports = QStringLiteral("refused by the policy of St Example Hospital "
                                           "(version 8): your roles (clinician) may not write "
                                           "results to files outside Nesa");
    const QString refused = m_dir.filePath(QStringLiteral("refused.npy"));
    QVERIFY(!page.exportOutput(refused));
    QCOMPARE(page.errorText(), backend.refuseExports);
    QVERIFY(!QFile::exists(refused));
    QCOMPARE(backend.exportsRecorded.size(), 5u); // nothing left, so nothing recorded
    backend.refuseExports.clear();
    // What one miner saw, next to the original, with how unlike it is.
    QVERIFY(page.shareView()->hasImages());
    QVERIFY(page.shareView()->captionText().contains(QStringLiteral("correlation")));
    QVERIFY(page.shareView()->captionText().contains(QStringLiteral("other shares")));
  }

  // The cost is estimated off the GUI thread before the run; local is free and says so.
  void costIsEstimatedBeforeTheRun() {
    FakeBackend backend;
    AnalyzePage page(backend);
    QSignalSpy estimated(&page, &AnalyzePage::costEstimated);
    QVERIFY(dropScanAndWait(page, m_dir.filePath(QStringLiteral("cost.nii"))));
    QTRY_VERIFY(estimated.count() >= 1);
    QVERIFY2(page.costText().startsWith(QStringLiteral("About 0.005800 NES")),
             qPrintable(page.costText()));
    QVERIFY(page.costText().contains(QStringLiteral("20 share jobs")));
    page.levelPicker()->setCurrentIndex(page.levelPicker()->findData(QStringLiteral("local")));
    QCOMPARE(page.costText(), QStringLiteral("Free: nothing leaves this computer."));
  }

  // Locally nothing is sent, and the miners' view says so.
  void aLocalRunShowsNoShare() {
    FakeBackend backend;
    AnalyzePage page(backend);
    QVERIFY(dropScanAndWait(page, m_dir.filePath(QStringLiteral("local.nii"))));
    page.levelPicker()->setCurrentIndex(page.levelPicker()->findData(QStringLiteral("local")));
    QSignalSpy finished(&page, &AnalyzePage::runFinished);
    page.run();
    QTRY_COMPARE(finished.count(), 1);
    QVERIFY(!page.shareView()->hasImages());
    QVERIFY(page.shareView()->captionText().contains(QStringLiteral("no miner received")));
  }

  // The desktop backend reads the estimate line of nesa-analyze: the gas of the sessions is not
  // in NES, so only the miners' prices add up to the total.
  void theEstimateIsRead() {
    const auto onChain = nesa::app::parseCostEstimate(
        R"({"chain_id":4242,"deposit":1000000,"jobs":20,"miners":3,"per_job":10,"per_mib":0,
            "sessions":2,"total":200})",
        QStringLiteral("unused"));
    QVERIFY(onChain.known);
    QCOMPARE(onChain.nes, 0.0002);
    QVERIFY(onChain.detail.contains(QStringLiteral("20 share jobs at up to 10 µNES")));
    QVERIFY(onChain.detail.contains(QStringLiteral("refundable deposit")));
    const auto none = nesa::app::parseCostEstimate({}, QStringLiteral("no network is running"));
    QVERIFY(!none.known);
    QCOMPARE(none.detail, QStringLiteral("no network is running"));
    QVERIFY(!nesa::app::parseCostEstimate("cost estimate: 5 µNES", QStringLiteral("x")).known);
  }

  // The desktop backend reads the real `nesa-analyze --json`: a private run's calls become
  // progress, its verified miners and counts the outcome; a local run through the backend gives
  // the output; a failing one the program's own sentence. No text of it is parsed.
  void theBackendReadsRealAnalyzeRuns() {
    QTemporaryDir dir;
    QProcess models;
    models.start(QStringLiteral(NESA_TEST_MODELS_PATH), {dir.path()});
    QVERIFY(models.waitForFinished(120000) && models.exitCode() == 0);
    const QString input = dir.filePath(QStringLiteral("in.npy"));
    writeFloatNpy(input, {4, 16}, std::vector<float>(64, 0.25f));
    const QString model = dir.filePath(QStringLiteral("mlp.pt"));

    QProcess analyze;
    analyze.start(QStringLiteral(NESA_ANALYZE_PATH),
                  {input, QStringLiteral("--model"), model, QStringLiteral("--privacy"),
                   QStringLiteral("hss"), QStringLiteral("--in-process"),
                   QStringLiteral("--json")});
    QVERIFY(analyze.waitForFinished(120000));
    QCOMPARE(analyze.exitCode(), 0);
    nesa::ui::AnalysisOutcome outcome;
    int calls = 0;
    for (const auto &line : analyze.readAllStandardOutput().split('\n'))
      if (!line.isEmpty())
        QVERIFY2(nesa::app::readAnalysisEvent(line, outcome,
                                              [&](const nesa::ui::AnalysisProgress &p) {
                                                ++calls;
                                                QCOMPARE(p.done, calls);
                                                QVERIFY(p.total > 0 && !p.step.isEmpty());
                                              }),
                 line.constData());
    QVERIFY(calls > 0);
    QCOMPARE(outcome.calls, calls);
    QVERIFY(outcome.checksPassed >= calls); // every call's shares verified
    QCOMPARE(outcome.checksFailed, 0);
    QVERIFY(outcome.miners.size() >= 2); // two shares a call, on two miners
    QVERIFY(!outcome.summary.isEmpty());
    QVERIFY(outcome.error.isEmpty());
    QVERIFY(!nesa::app::readAnalysisEvent("call 1/3 linear: ...", outcome, {}));

    nesa::app::ProcessAnalysisBackend backend;
    const std::atomic<bool> running{false};
    const auto local = backend.run({input, model, QStringLiteral("local"), {}}, {}, running);
    QVERIFY2(local.ok, qPrintable(local.error));
    QCOMPARE(local.shape.size(), std::size_t{2});
    QCOMPARE(local.shape[0], std::int64_t{4});
    QCOMPARE(local.output.size(), static_cast<std::size_t>(local.shape[0] * local.shape[1]));
    QCOMPARE(local.calls, 0);
    // A document with a language-model folder: its summary, and no output array.
    const QString letter = dir.filePath(QStringLiteral("letter.txt"));
    QFile text(letter);
    QVERIFY(text.open(QIODevice::WriteOnly));
    text.write("Dear reader, the cat sat on the mat. Kind regards.");
    text.close();
    const auto summarized = backend.run(
        {letter, dir.filePath(QStringLiteral("gpt2")), QStringLiteral("local"), {}}, {}, running);
    QVERIFY2(summarized.ok, qPrintable(summarized.error));
    QVERIFY2(summarized.summary.startsWith(QStringLiteral("summary (")) &&
                 summarized.summary.section(QLatin1Char('\n'), 0, 0)
                     .endsWith(QStringLiteral(" parts):")),
             qPrintable(summarized.summary));
    QVERIFY(summarized.output.empty() && summarized.shape.empty());
    const auto missing = backend.run(
        {input, dir.filePath(QStringLiteral("none.pt")), QStringLiteral("local"), {}}, {}, running);
    QVERIFY(!missing.ok);
    QVERIFY2(missing.error.contains(QStringLiteral("neither a file nor an installed model")),
             qPrintable(missing.error));
    // One session for an estimate and the run that follows: the input is read and the model
    // compiled once, and the estimate opened no miners (it pays nobody).
    nesa::app::ProcessAnalysisBackend inProcess({"--session", "--in-process"});
    const nesa::ui::AnalysisRequest hss{input, model, QStringLiteral("hss"), {}};
    const auto estimate = inProcess.estimateCost(hss);
    QVERIFY2(estimate.known, qPrintable(estimate.detail));
    QCOMPARE(inProcess.work().inputsRead, 1);
    QCOMPARE(inProcess.work().modelsCompiled, 1);
    QCOMPARE(inProcess.work().poolsOpened, 0);
    int progressed = 0;
    const auto shared = inProcess.run(
        hss, [&](const nesa::ui::AnalysisProgress &) { ++progressed; }, running);
    QVERIFY2(shared.ok, qPrintable(shared.error));
    QVERIFY(progressed > 0 && shared.checksPassed > 0);
    QCOMPARE(shared.input.values.size(), std::size_t{64}); // what the miners saw, kept
    QCOMPARE(shared.share.values.size(), std::size_t{64});
    QCOMPARE(inProcess.work().inputsRead, 1);
    QCOMPARE(inProcess.work().modelsCompiled, 1);
    QCOMPARE(inProcess.work().poolsOpened, 1);
    // A cancelled run says so, and the session serves the next query.
    const std::atomic<bool> stop{true};
    const auto cancelled = inProcess.run(hss, {}, stop);
    QVERIFY(!cancelled.ok);
    QVERIFY2(cancelled.error.contains(QStringLiteral("cancelled")), qPrintable(cancelled.error));
    const auto after = inProcess.run(hss, {}, running);
    QVERIFY2(after.ok, qPrintable(after.error));
    // A session answers in order, a malformed op by an error line in its place.
    QProcess session;
    session.start(QStringLiteral(NESA_ANALYZE_PATH),
                  {QStringLiteral("--session"), QStringLiteral("--in-process")});
    QVERIFY(session.waitForStarted(10000));
    const QByteArray estimateOp =
        QJsonDocument(
            QJsonObject{{QStringLiteral("op"), QStringLiteral("estimate")},
                        {QStringLiteral("request"), QJsonObject{{QStringLiteral("version"), 1},
                                                                {QStringLiteral("input"), input},
                                                                {QStringLiteral("model"), model}}}})
            .toJson(QJsonDocument::Compact);
    session.write(estimateOp + "\n{\"op\": 7}\n" + estimateOp + "\n");
    session.closeWriteChannel();
    QVERIFY(session.waitForFinished(60000));
    QCOMPARE(session.exitCode(), 0);
    QStringList events;
    for (const auto &line : session.readAllStandardOutput().split('\n'))
      if (!line.isEmpty())
        events << QJsonDocument::fromJson(line).object()[u"event"].toString();
    QCOMPARE(events, (QStringList{QStringLiteral("estimate"), QStringLiteral("error"),
                                  QStringLiteral("estimate")}));
    // One program served all four: its counts went on (miners found for both finished runs, and
    // for the cancelled one when it had started) while the input and the model were still read
    // and compiled once. (A program started for each query would say 1.)
    QVERIFY2(inProcess.work().poolsOpened >= 2,
             qPrintable(QString::number(inProcess.work().poolsOpened)));
    QCOMPARE(inProcess.work().inputsRead, 1);
    QCOMPARE(inProcess.work().modelsCompiled, 1);
  }

  // The desktop's backend asks the installed policy: none lets results out; a policy key
  // without a valid policy (lockdown) keeps them in and says why.
  void theBackendAsksThePolicyBeforeExports() {
    QTemporaryDir policy;
    qputenv("NESA_POLICY_DIR", policy.path().toUtf8());
    nesa::app::ProcessAnalysisBackend backend;
    QVERIFY(backend.exportRefusal().isEmpty());
    QFile pub(policy.filePath(QStringLiteral("policy.pub")));
    QVERIFY(pub.open(QIODevice::WriteOnly));
    pub.write("admin.example.org+00000000+AQ==\n");
    pub.close();
    const QString refusal = backend.exportRefusal();
    qunsetenv("NESA_POLICY_DIR");
    QVERIFY2(refusal.contains(QStringLiteral("most restrictive mode")), qPrintable(refusal));
  }

  void sliceImagesAndCorrelation() {
    TensorView gray{{3, 1, 2, 2}, {0, 0, 0, 0, 0, 1, 2, 3, 9, 9, 9, 9}};
    const QImage image = tensorSliceImage(gray); // the middle item: 0 1 / 2 3
    QCOMPARE(image.size(), QSize(2, 2));
    QCOMPARE(qGray(image.pixel(0, 0)), 0);
    QCOMPARE(qGray(image.pixel(1, 1)), 255);
    TensorView rgb{{1, 3, 1, 1}, {1, 0, 0}};
    QVERIFY(!tensorSliceImage(rgb).isNull());
    QVERIFY(tensorSliceImage({{5}, {1, 2, 3, 4, 5}}).isNull());
    QVERIFY(tensorSliceImage({{1, 1, 2, 2}, {1, 2}}).isNull()); // values missing
    TensorView same = gray, opposite = gray;
    for (auto &v : opposite.values)
      v = -v;
    QCOMPARE(sliceCorrelation(gray, same), 1.0);
    QCOMPARE(sliceCorrelation(gray, opposite), -1.0);
  }

  void failingRunShowsItsError() {
    FakeBackend backend;
    AnalyzePage page(backend);
    QVERIFY(dropScanAndWait(page, m_dir.filePath(QStringLiteral("fail.nii"))));
    page.modelPicker()->setCurrentIndex(page.modelPicker()->findData(QStringLiteral("failing")));
    QSignalSpy finished(&page, &AnalyzePage::runFinished);
    QSignalSpy recorded(&page, &AnalyzePage::analysisRecorded);
    QTest::mouseClick(page.runButton(), Qt::LeftButton);
    QTRY_COMPARE(finished.count(), 1);
    QVERIFY(page.errorText().contains(QStringLiteral("did not answer")));
    QVERIFY(page.resultText().isEmpty());
    QCOMPARE(recorded.count(), 1); // a failed run is in the history too, with its error
    QVERIFY(!recorded.at(0).at(0).value<AnalysisRecord>().ok);
    QVERIFY(page.runButton()->isEnabled()); // the user can try again
  }

  void brokenFileShowsAReadableError() {
    FakeBackend backend;
    AnalyzePage page(backend);
    const QString broken = m_dir.filePath(QStringLiteral("broken.nii"));
    std::ofstream(broken.toStdString()) << "not a scan";
    QSignalSpy shown(&page, &AnalyzePage::inputShown);
    dropFile(page, broken);
    QTRY_COMPARE(shown.count(), 1);
    QVERIFY(page.errorText().contains(QStringLiteral("not a readable NIfTI")));
    QVERIFY(!page.viewer()->hasVolume());
    QVERIFY(!page.runButton()->isEnabled());
  }

  void imagesAndDocumentsGetTheirOwnModels() {
    FakeBackend backend;
    AnalyzePage page(backend);
    const QString photo = m_dir.filePath(QStringLiteral("photo.png"));
    QImage image(32, 16, QImage::Format_RGB32);
    image.fill(Qt::darkGreen);
    QVERIFY(image.save(photo));
    QSignalSpy shown(&page, &AnalyzePage::inputShown);
    dropFile(page, photo);
    QTRY_COMPARE(shown.count(), 1);
    QCOMPARE(page.viewer()->renderedImage().size(), QSize(32, 16));
    QCOMPARE(page.modelPicker()->count(), 1);
    QCOMPARE(page.modelPicker()->currentData().toString(), QStringLiteral("fake-cls"));

    const QString text = m_dir.filePath(QStringLiteral("contract.txt"));
    std::ofstream(text.toStdString()) << "The parties agree to keep this confidential.";
    dropFile(page, text);
    QTRY_COMPARE(shown.count(), 2);
    QVERIFY(page.documentText().contains(QStringLiteral("keep this confidential")));
    QCOMPARE(page.modelPicker()->currentData().toString(), QStringLiteral("fake-lm"));
  }

  void privacyPickerExplainsEachLevel() {
    FakeBackend backend;
    AnalyzePage page(backend);
    QCOMPARE(page.levelPicker()->currentData().toString(), QStringLiteral("hss"));
    QSet<QString> sentences;
    for (const auto &level : privacyLevels()) {
      page.levelPicker()->setCurrentIndex(page.levelPicker()->findData(level));
      QCOMPARE(page.levelSentence(), privacyLevelSentence(level));
      sentences.insert(page.levelSentence());
    }
    QCOMPARE(sentences.size(), 4);
    page.levelPicker()->setCurrentIndex(page.levelPicker()->findData(QStringLiteral("local")));
    QVERIFY(page.levelSentence().contains(QStringLiteral("Nothing leaves this computer")));
  }
};

QTEST_MAIN(TestAnalyzePage)
#include "tst_analyze_page.moc"
