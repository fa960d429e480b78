// The history: the page against a fake backend (locked until the wallet opens it, analyses
// that finish meanwhile wait and are saved then, search, delete), the window's wiring (wallet
// unlock → history opens; a finished analysis → recorded; lock → emptied), and the real
// encrypted store (persists, refuses a wrong passphrase, never holds the text in clear).
#include "encrypted_history.h"
#include "fake_backends.h"
#include "ui/analyze_page.h"
#include "ui/history_page.h"
#include "ui/translations.h"
#include "ui/wallet_page.h"

#include <QFile>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace nesa::ui;
using nesa::testing::FakeHistoryBackend;

namespace {

AnalysisRecord analysis(const QString &input, const QString &summary) {
  AnalysisRecord r;
  r.finishedAt = QDateTime::currentDateTimeUtc();
  r.input = input;
  r.model = QStringLiteral("brain-extraction");
  r.level = QStringLiteral("hss");
  r.ok = true;
  r.summary = summary;
  r.receipt = QStringLiteral("Verified: 2 miners answered, every check passed (86).");
  r.costNes = 0.00042;
  r.miners = {QStringLiteral("4b257806"), QStringLiteral("e2c66dc9")};
  return r;
}

} // namespace

class TestHistoryPage : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void initTestCase() { QVERIFY(installTranslation(*qApp, QStringLiteral("en"))); }

  void lockedUntilOpenedAndWaitingAnalysesAreSavedThen() {
    FakeHistoryBackend backend;
    HistoryPage page(backend);
    QSignalSpy updated(&page, &HistoryPage::updated);
    QVERIFY(page.statusText().contains(QStringLiteral("unlock the wallet")));
    page.record(analysis(QStringLiteral("/scans/ch2.nii.gz"), QStringLiteral("brain 1.2 L")));
    QTRY_COMPARE(updated.count(), 1);
    QCOMPARE(page.pendingCount(), 1);
    QVERIFY(page.statusText().contains(QStringLiteral("1 analysis record will be saved")));
    QCOMPARE(backend.size(), std::size_t{0});

    page.openWith(QStringLiteral("wrong"));
    QTRY_COMPARE(updated.count(), 2);
    QVERIFY(page.statusText().contains(QStringLiteral("does not open")));
    QCOMPARE(page.pendingCount(), 1);

    page.openWith(QStringLiteral("right"));
    QTRY_COMPARE(updated.count(), 3);
    QCOMPARE(page.pendingCount(), 0);
    QCOMPARE(backend.size(), std::size_t{1});
    QCOMPARE(page.records().size(), std::size_t{1});
    QVERIFY(page.statusText().startsWith(QStringLiteral("1 analysis record in the history")));
    page.table()->selectRow(0);
    QVERIFY(page.detailText().contains(QStringLiteral("/scans/ch2.nii.gz")));
    QVERIFY(page.detailText().contains(QStringLiteral("every check passed")));
    QVERIFY(page.detailText().contains(QStringLiteral("4b257806")));
  }

  void searchAndDelete() {
    FakeHistoryBackend backend;
    HistoryPage page(backend);
    QSignalSpy updated(&page, &HistoryPage::updated);
    page.openWith(QStringLiteral("right"));
    page.record(analysis(QStringLiteral("/a/contract.pdf"), QStringLiteral("NDA, 3 pages")));
    page.record(analysis(QStringLiteral("/a/ch2.nii.gz"), QStringLiteral("brain 1.2 L")));
    QTRY_COMPARE(page.records().size(), std::size_t{2});
    QCOMPARE(page.records().front().input, QStringLiteral("/a/ch2.nii.gz")); // newest first
    page.search(QStringLiteral("CONTRACT"));
    QTRY_COMPARE(page.records().size(), std::size_t{1});
    QCOMPARE(page.records().front().input, QStringLiteral("/a/contract.pdf"));
    page.deleteRecord(page.records().front().id);
    QTRY_VERIFY(page.records().empty());
    page.search({});
    QTRY_COMPARE(page.records().size(), std::size_t{1});
    QCOMPARE(backend.size(), std::size_t{1});
    page.lock();
    QTRY_VERIFY(page.records().empty());
    QVERIFY(page.statusText().contains(QStringLiteral("unlock the wallet")));
  }

  void theWindowOpensTheHistoryWithTheWallet() {
    nesa::testing::FakeBackends fakes;
    MainWindow window(fakes.backends());
    HistoryPage *history = window.historyPage();
    Q_EMIT window.analyzePage()->analysisRecorded(
        analysis(QStringLiteral("/a/ch2.nii.gz"), QStringLiteral("brain 1.2 L")));
    QTRY_COMPARE(history->pendingCount(), 1);
    window.walletPage()->unlock(QStringLiteral("right"));
    QTRY_COMPARE(history->records().size(), std::size_t{1});
    QCOMPARE(history->pendingCount(), 0);
    auto *lock = window.walletPage()->findChild<QPushButton *>(QStringLiteral("walletLock"));
    QVERIFY(lock);
    QTest::mouseClick(lock, Qt::LeftButton); // Lock
    QTRY_VERIFY(history->records().empty());
    QCOMPARE(fakes.history.size(), std::size_t{1});
  }

  void theEncryptedStoreKeepsRecordsOnlyEncrypted() {
    QTemporaryDir dir;
    const auto file =
        std::filesystem::path(dir.filePath(QStringLiteral("history.db")).toStdString());
    {
      nesa::app::EncryptedHistory history(file, true);
      QVERIFY(!history.isOpen());
      QVERIFY(!history.add(analysis(QStringLiteral("x"), QStringLiteral("y"))).isEmpty());
      QCOMPARE(history.open(QStringLiteral("right")), QString());
      QCOMPARE(history.add(analysis(QStringLiteral("/secret/contract.pdf"),
                                    QStringLiteral("Confidential merger summary"))),
               QString());
      QCOMPARE(history.add(analysis(QStringLiteral("/a/50%_done.png"), QStringLiteral("cat"))),
               QString());
      QCOMPARE(history.list({}).size(), std::size_t{2});
      QCOMPARE(history.list(QStringLiteral("50%")).size(), std::size_t{1}); // not a wildcard
      QCOMPARE(history.list(QStringLiteral("MERGER")).size(), std::size_t{1});
      const auto records = history.list(QStringLiteral("merger"));
      QCOMPARE(records.front().miners,
               (QStringList{QStringLiteral("4b257806"), QStringLiteral("e2c66dc9")}));
      QCOMPARE(records.front().costNes, 0.00042);
      QVERIFY(records.front().ok);
    }
    QFile raw(QString::fromStdString(file.string()));
    QVERIFY(raw.open(QIODevice::ReadOnly));
    const QByteArray bytes = raw.readAll();
    QVERIFY(!bytes.contains("merger") && !bytes.contains("contract.pdf"));

    nesa::app::EncryptedHistory again(file, true);
    QVERIFY(again.open(QStringLiteral("wrong")).contains(QStringLiteral("does not open")));
    QVERIFY(!again.isOpen());
    QCOMPARE(again.open(QStringLiteral("right")), QString());
    auto records = again.list({});
    QCOMPARE(records.size(), std::size_t{2});
    QCOMPARE(again.remove(records.front().id), QString());
    QCOMPARE(again.list({}).size(), std::size_t{1});
    again.close();
    QVERIFY(again.list({}).empty());
  }

  // Under an organisation's storage rules the history keeps reports without their inputs, or
  // nothing new, and forgets records older than its days.
  void thePolicysStorageRulesDecideWhatIsKept() {
    QTemporaryDir dir;
    nesa::policy::Storage rules;
    rules.history = nesa::policy::HistoryKeeps::Reports;
    nesa::app::EncryptedHistory history(dir.filePath(QStringLiteral("history.db")).toStdString(),
                                        true, [&rules] { return rules; });
    QCOMPARE(history.open(QStringLiteral("right")), QString());
    QCOMPARE(history.add(analysis(QStringLiteral("/scans/Doe_Jane.nii"), QStringLiteral("brain"))),
             QString());
    auto kept = history.list({});
    QCOMPARE(kept.size(), std::size_t{1});
    QVERIFY(!kept.front().input.contains(QStringLiteral("Doe_Jane")));
    QVERIFY(kept.front().input.contains(QStringLiteral("not kept")));
    QCOMPARE(kept.front().summary, QStringLiteral("brain")); // the report stays
    AnalysisRecord failed = analysis(QStringLiteral("/scans/Roe_Rick.nii"),
                                     QStringLiteral("cannot read /scans/Roe_Rick.nii"));
    failed.ok = false; // a failed run's message often quotes the file
    QCOMPARE(history.add(failed), QString());
    QVERIFY(!history.list({}).front().summary.contains(QStringLiteral("Roe_Rick")));
    QCOMPARE(history.remove(history.list({}).front().id), QString());

    rules.history = nesa::policy::HistoryKeeps::Nothing;
    QCOMPARE(history.add(analysis(QStringLiteral("/scans/b.nii"), QStringLiteral("second"))),
             QString());
    QCOMPARE(history.list({}).size(), std::size_t{1}); // nothing new, nothing lost

    rules.history = nesa::policy::HistoryKeeps::Everything;
    AnalysisRecord old = analysis(QStringLiteral("/scans/old.nii"), QStringLiteral("old"));
    old.finishedAt = QDateTime::currentDateTimeUtc().addDays(-40);
    QCOMPARE(history.add(old), QString());
    QCOMPARE(history.list({}).size(), std::size_t{2});
    history.close();
    rules.historyDays = 30;
    QCOMPARE(history.open(QStringLiteral("right")), QString());
    kept = history.list({});
    QCOMPARE(kept.size(), std::size_t{1}); // the 40-day-old record is gone
    QCOMPARE(kept.front().summary, QStringLiteral("brain"));
    QCOMPARE(history.add(old), QString()); // too old to keep even as it is added
    QCOMPARE(history.list({}).size(), std::size_t{1});
  }
};

QTEST_MAIN(TestHistoryPage)
#include "tst_history_page.moc"
