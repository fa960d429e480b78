// The desktop's PACS side against fakes (offscreen): "Open from PACS…" searches, lists series,
// retrieves with progress and Cancel, and opens what arrived; "Send result to PACS" sends the
// run's DICOM SEG and SR; both stay hidden without a PACS backend. Also how the app reads
// `nesa pacs --json`.
#include "fake_analysis_backend.h"
#include "fake_pacs_backend.h"
#include "process_pacs_backend.h"
#include "test_nifti.h"
#include "ui/analyze_page.h"
#include "ui/drop_file_list.h"
#include "ui/open_from_pacs_dialog.h"

#include <QApplication>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

#include <fstream>

using namespace nesa::ui;
using nesa::testing::FakeBackend;
using nesa::testing::FakePacsBackend;

namespace {

// An 8 × 8 × 8 NIfTI volume: what the fake PACS "retrieves".
void writeVolume(const QString &path) {
  const std::string header = nesa::testing::niftiHeader(8, 8, 8, 16, 32, 2);
  std::vector<float> voxels(512, 10.0f);
  std::ofstream out(path.toStdString(), std::ios::binary);
  out << header;
  out.write(reinterpret_cast<const char *>(voxels.data()), 512 * 4);
}

// Selects `row` of `table` as a click would.
void selectRow(QTableWidget *table, int row) {
  table->selectRow(row);
  QApplication::processEvents();
}

} // namespace

class TestPacsDialog : public QObject {
  Q_OBJECT
  QTemporaryDir m_dir;

private Q_SLOTS:
  void withoutAPacsBackendTheButtonsStayHidden() {
    FakeBackend backend;
    AnalyzePage page(backend);
    QVERIFY(page.openFromPacsButton()->isHidden());
    QVERIFY(page.sendToPacsButton()->isHidden());
    page.openFromPacs(); // does nothing
    QVERIFY(page.pacsDialog() == nullptr);
  }

  // Search → study → series → retrieve: the series is added to the files and opened.
  void openFromPacsAddsTheRetrievedSeries() {
    FakeBackend backend;
    FakePacsBackend pacs;
    pacs.retrievedPath = m_dir.filePath(QStringLiteral("series.nii"));
    writeVolume(pacs.retrievedPath);
    AnalyzePage page(backend);
    page.setPacsBackend(&pacs);
    QVERIFY(!page.openFromPacsButton()->isHidden());
    QTest::mouseClick(page.openFromPacsButton(), Qt::LeftButton);
    OpenFromPacsDialog *dialog = page.pacsDialog();
    QVERIFY(dialog != nullptr);
    QSignalSpy studies(dialog, &OpenFromPacsDialog::studiesShown);
    QSignalSpy series(dialog, &OpenFromPacsDialog::seriesShown);
    dialog->patientNameField()->setText(QStringLiteral("Doe*"));
    dialog->studyDateField()->setText(QStringLiteral("20260101-20261231"));
    QTest::mouseClick(dialog->searchButton(), Qt::LeftButton);
    QTRY_COMPARE(studies.count(), 1);
    QCOMPARE(pacs.queries.back().patientName, QStringLiteral("Doe*"));
    QCOMPARE(pacs.queries.back().studyDate, QStringLiteral("20260101-20261231"));
    QCOMPARE(dialog->studiesTable()->rowCount(), 1);
    QCOMPARE(dialog->studiesTable()->item(0, 1)->text(), QStringLiteral("Doe^Jane"));
    QVERIFY(dialog->statusText().contains(QStringLiteral("1 studies")) ||
            dialog->statusText().contains(QStringLiteral("1 study")));
    QVERIFY(!dialog->retrieveButton()->isEnabled()); // no series picked yet
    selectRow(dialog->studiesTable(), 0);
    QTRY_COMPARE(series.count(), 1);
    QCOMPARE(dialog->seriesTable()->rowCount(), 2);
    selectRow(dialog->seriesTable(), 1);
    QVERIFY(dialog->retrieveButton()->isEnabled());
    QSignalSpy closed(&page, &AnalyzePage::pacsDialogClosed);
    QSignalSpy shown(&page, &AnalyzePage::inputShown);
    QTest::mouseClick(dialog->retrieveButton(), Qt::LeftButton);
    QTRY_COMPARE(closed.count(), 1);
    QCOMPARE(pacs.retrievedSeries, std::vector<QString>{QStringLiteral("1.2.3.2")});
    QCOMPARE(page.fileList()->paths(), QStringList{pacs.retrievedPath});
    QTRY_COMPARE(shown.count(), 1); // and opened
    QTRY_VERIFY(page.pacsDialog() == nullptr);
  }

  // Cancel during a transfer stops it, says so and keeps the dialog open; no file is added.
  void cancellingATransferKeepsTheDialog() {
    FakeBackend backend;
    FakePacsBackend pacs;
    pacs.waitForCancel = true;
    AnalyzePage page(backend);
    page.setPacsBackend(&pacs);
    page.openFromPacs();
    OpenFromPacsDialog *dialog = page.pacsDialog();
    QSignalSpy studies(dialog, &OpenFromPacsDialog::studiesShown);
    QSignalSpy series(dialog, &OpenFromPacsDialog::seriesShown);
    QSignalSpy ended(dialog, &OpenFromPacsDialog::retrievalEnded);
    QTest::mouseClick(dialog->searchButton(), Qt::LeftButton);
    QTRY_COMPARE(studies.count(), 1);
    selectRow(dialog->studiesTable(), 0);
    QTRY_COMPARE(series.count(), 1);
    selectRow(dialog->seriesTable(), 0);
    QTest::mouseClick(dialog->retrieveButton(), Qt::LeftButton);
    QTRY_VERIFY(dialog->statusText().contains(QStringLiteral("Received 3 of 3")));
    QVERIFY(!dialog->searchButton()->isEnabled()); // busy
    QTest::mouseClick(dialog->cancelButton(), Qt::LeftButton);
    QTRY_COMPARE(ended.count(), 1);
    QVERIFY(dialog->isVisible());
    QCOMPARE(dialog->statusText(), QStringLiteral("The transfer was cancelled."));
    QVERIFY(page.fileList()->paths().isEmpty());
    QVERIFY(dialog->searchButton()->isEnabled());
    dialog->reject();
  }

  // No PACS in the settings: the dialog says how to set one and cannot search.
  void withoutAPacsTheDialogSaysHowToSetOne() {
    FakePacsBackend pacs;
    pacs.name.clear();
    OpenFromPacsDialog dialog(pacs);
    QVERIFY(!dialog.searchButton()->isEnabled());
    QVERIFY(dialog.statusText().contains(QStringLiteral("Set a PACS")));
  }

  // After a segmentation run, "Send result to PACS" sends the run's SEG and SR; a refusal is
  // shown; a run without DICOM files leaves the button disabled.
  void sendResultToPacs() {
    FakeBackend backend;
    FakePacsBackend pacs;
    const QString scan = m_dir.filePath(QStringLiteral("scan.nii"));
    writeVolume(scan);
    AnalyzePage page(backend);
    page.setPacsBackend(&pacs);
    QSignalSpy shown(&page, &AnalyzePage::inputShown);
    page.fileList()->addPaths({scan});
    page.fileList()->setCurrentRow(0);
    QTRY_COMPARE(shown.count(), 1);
    QSignalSpy finished(&page, &AnalyzePage::runFinished);
    page.run();
    QTRY_COMPARE(finished.count(), 1);
    QVERIFY(!page.sendToPacsButton()->isEnabled()); // this run gave no DICOM files

    backend.dicomFiles = {QStringLiteral("/private/SEG_1.dcm"),
                          QStringLiteral("/private/SR_1.dcm")};
    page.run();
    QTRY_COMPARE(finished.count(), 2);
    QVERIFY(page.sendToPacsButton()->isEnabled());
    QSignalSpy sent(&page, &AnalyzePage::resultSent);
    QTest::mouseClick(page.sendToPacsButton(), Qt::LeftButton);
    QTRY_COMPARE(sent.count(), 1);
    QCOMPARE(pacs.sentFiles, backend.dicomFiles);
    QVERIFY2(page.pacsText().contains(QStringLiteral("stored")), qPrintable(page.pacsText()));
    pacs.name = QStringLiteral("refusing@pacs.test:4242");
    QTest::mouseClick(page.sendToPacsButton(), Qt::LeftButton);
    QTRY_COMPARE(sent.count(), 2);
    QCOMPARE(page.pacsText(), QStringLiteral("the PACS refused the association"));
  }

  // The app reads `nesa pacs find|series --json` as it is printed.
  void theAppReadsThePacsJson() {
    const auto studies = nesa::app::parseStudies(
        R"([{"studyInstanceUid":"1.2","patientName":"Doe^Jane","patientId":"P1",
             "studyDate":"20260312","studyDescription":"MR brain","accessionNumber":"A1",
             "modalities":"MR\\SEG"}])");
    QCOMPARE(studies.size(), std::size_t(1));
    QCOMPARE(studies[0].uid, QStringLiteral("1.2"));
    QCOMPARE(studies[0].modalities, QStringLiteral("MR\\SEG"));
    const auto series = nesa::app::parseSeries(
        R"([{"seriesInstanceUid":"1.2.1","modality":"MR","seriesNumber":"3",
             "seriesDescription":"T1","instances":-1}])");
    QCOMPARE(series.size(), std::size_t(1));
    QCOMPARE(series[0].number, QStringLiteral("3"));
    QCOMPARE(series[0].instances, -1);
    QVERIFY(nesa::app::parseStudies("not json").empty());
  }
};

QTEST_MAIN(TestPacsDialog)
#include "tst_pacs_dialog.moc"
