// The audit page against a fake backend (locked, opened with the wallet's passphrase, filtered
// by action, person, time and text, each record in full, the log checked), its place in the
// window (only for those who may read the audit trail), and the real backend on a real audit
// log under an installed policy that gives or withholds the audit right.
#include "audit/audit_log.h"
#include "encrypted_audit_trail.h"
#include "fake_audit_backend.h"
#include "fake_backends.h"
#include "policy/enforcement.h"
#include "test_policy.h"
#include "ui/audit_page.h"
#include "ui/translations.h"
#include "ui/wallet_page.h"

#include <QComboBox>
#include <QLineEdit>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace nesa;
using nesa::testing::FakeAuditBackend;
using nesa::ui::AuditPage;
using nesa::ui::AuditRecord;

namespace {

AuditRecord record(std::uint64_t sequence, const QDateTime &time, const char *actor,
                   const char *action, const char *subject, const char *details) {
  return {sequence,
          time,
          QString::fromLatin1(actor),
          QString::fromLatin1(action),
          QString::fromLatin1(subject),
          QStringLiteral("ok"),
          QString::fromLatin1(details)};
}

/// Three records: an old analysis by cleo, today's export by cleo, today's analysis by ana.
std::vector<AuditRecord> threeRecords() {
  const QDateTime now = QDateTime::currentDateTimeUtc();
  return {record(0, now.addDays(-40), "cleo", "analysis", "sha256:aaaa",
                 R"({"level":"hss","model":"brain-extraction","paidMicroNes":120})"),
          record(1, now.addSecs(-60), "cleo", "export", "sha256:bbbb", R"({"file":"/tmp/o.npy"})"),
          record(2, now, "ana", "analysis", "sha256:cccc",
                 R"({"level":"ee","model":"document-classifier"})")};
}

int selectData(QComboBox *box, const QVariant &data) {
  const int index = box->findData(data);
  box->setCurrentIndex(index);
  return index;
}

} // namespace

class TestAuditPage : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void initTestCase() { QVERIFY(ui::installTranslation(*qApp, QStringLiteral("en"))); } // plurals

  void theLogOpensWithTheWalletAndListsNewestFirst() {
    FakeAuditBackend backend;
    backend.records = threeRecords();
    AuditPage page(backend);
    QVERIFY(page.statusText().contains(QStringLiteral("unlock the wallet")));
    QVERIFY(!page.actionFilter()->isEnabled());
    page.openWith(QStringLiteral("wrong"));
    QTRY_VERIFY(page.statusText().contains(QStringLiteral("does not open the audit log")));
    QVERIFY(page.records().empty());
    page.openWith(QStringLiteral("right"));
    QTRY_COMPARE(page.records().size(), std::size_t{3});
    QCOMPARE(page.records().front().sequence, std::uint64_t{2}); // newest first
    QCOMPARE(page.table()->rowCount(), 3);
    QCOMPARE(page.table()->item(0, 1)->text(), QStringLiteral("ana"));
    QVERIFY(page.statusText().contains(QStringLiteral("3 records shown")));
    // The newest is shown in full at once, its details indented.
    QVERIFY(page.detailText().contains(QStringLiteral("Record 2")));
    QVERIFY(page.detailText().contains(QStringLiteral("Subject: sha256:cccc")));
    QVERIFY2(page.detailText().contains(QStringLiteral("    \"model\": \"document-classifier\"")),
             qPrintable(page.detailText()));
    page.table()->selectRow(2);
    QVERIFY(page.detailText().contains(QStringLiteral("Record 0")));
    page.lock();
    QTRY_VERIFY(page.records().empty());
    QVERIFY(page.statusText().contains(QStringLiteral("unlock the wallet")));
    QCOMPARE(page.table()->rowCount(), 0);
  }

  void theFiltersAskTheLogAndTheSearchNarrowsWhatItGave() {
    FakeAuditBackend backend;
    backend.records = threeRecords();
    AuditPage page(backend);
    page.openWith(QStringLiteral("right"));
    QTRY_COMPARE(page.records().size(), std::size_t{3});

    QVERIFY(selectData(page.actionFilter(), QStringLiteral("export")) > 0);
    QTRY_COMPARE(page.records().size(), std::size_t{1});
    QCOMPARE(backend.lastQuery().action, QStringLiteral("export"));
    QCOMPARE(page.records().front().subject, QStringLiteral("sha256:bbbb"));
    QVERIFY(selectData(page.actionFilter(), QString()) == 0);
    QTRY_COMPARE(page.records().size(), std::size_t{3});

    QVERIFY(selectData(page.sinceFilter(), 7) > 0); // the 40-day-old record goes
    QTRY_COMPARE(page.records().size(), std::size_t{2});
    const qint64 sinceAgo = backend.lastQuery().since.secsTo(QDateTime::currentDateTimeUtc());
    QVERIFY2(sinceAgo >= 7 * 86400 && sinceAgo < 7 * 86400 + 600,
             qPrintable(QString::number(sinceAgo)));
    QVERIFY(selectData(page.sinceFilter(), -1) > 0); // today (UTC) from midnight
    QTRY_COMPARE(backend.lastQuery().since.time(), QTime(0, 0));
    QCOMPARE(backend.lastQuery().since.date(), QDateTime::currentDateTimeUtc().date());

    QVERIFY(selectData(page.sinceFilter(), 0) == 0);
    page.actorFilter()->setText(QStringLiteral("cleo"));
    page.refresh();
    // Filters flipped quickly are read by one list call: wait for the one that saw them all.
    QTRY_VERIFY(backend.lastQuery().actor == QLatin1String("cleo") &&
                !backend.lastQuery().since.isValid() && page.records().size() == 2 &&
                page.records().back().sequence == 0);

    // The search looks into what the log gave, details included, without asking it again.
    page.searchField()->setText(QStringLiteral("BRAIN-EXTRACTION"));
    QCOMPARE(page.records().size(), std::size_t{1});
    QCOMPARE(page.records().front().sequence, std::uint64_t{0});
    QVERIFY(page.statusText().contains(QStringLiteral("1 more hidden by the search")));
    page.searchField()->clear();
    QCOMPARE(page.records().size(), std::size_t{2});
  }

  void verifyingTheLogSaysWhetherItIsIntactAndWhatIsWrong() {
    FakeAuditBackend backend;
    backend.records = threeRecords();
    AuditPage page(backend);
    page.openWith(QStringLiteral("right"));
    QTRY_COMPARE(page.records().size(), std::size_t{3});
    QVERIFY(page.verifyText().isEmpty());
    page.verifyLog();
    QTRY_VERIFY(page.verifyText().contains(QStringLiteral("intact: 3 records re-hashed")));
    backend.problems = {QStringLiteral("record 1 does not match the signed checkpoint")};
    page.verifyLog();
    QTRY_VERIFY(page.verifyText().contains(QStringLiteral("NOT intact")));
    QVERIFY(page.verifyText().contains(QStringLiteral("record 1 does not match")));
    backend.checkError = QStringLiteral("another program is writing the audit log");
    page.verifyLog();
    QTRY_VERIFY(page.verifyText().contains(QStringLiteral("could not be checked")));
    QVERIFY(!page.verifyText().contains(QStringLiteral("NOT intact")));
    page.lock();
    QTRY_VERIFY(page.verifyText().isEmpty());
  }

  // The tab is there for those who may read the audit trail, opens with the wallet and empties
  // when it locks; without the right there is no tab, and the backend refuses anyway.
  void theWindowShowsTheAuditPageOnlyToItsReaders() {
    nesa::testing::FakeBackends fakes;
    FakeAuditBackend audit;
    audit.records = threeRecords();
    ui::Backends backends = fakes.backends();
    backends.audit = &audit;
    {
      ui::MainWindow window(backends);
      QVERIFY(window.auditPage());
      QVERIFY(window.showPage(QStringLiteral("audit")));
      window.walletPage()->unlock(QStringLiteral("right"));
      QTRY_COMPARE(window.auditPage()->records().size(), std::size_t{3});
      QVERIFY(window.switchLanguage(QStringLiteral("fr")));
      QVERIFY(window.auditPage()); // rebuilt, locked with the new wallet page
      QTRY_VERIFY(!audit.isOpen());
      QVERIFY(window.switchLanguage(QStringLiteral("en")));
    }
    audit.refusal = QStringLiteral("your roles (clinician) may not read the audit trail");
    ui::MainWindow window(backends);
    QVERIFY(!window.auditPage());
    QVERIFY(!window.showPage(QStringLiteral("audit")));
    ui::MainWindow withoutLog(fakes.backends());
    QVERIFY(!withoutLog.auditPage());
  }

  // The real backend: no log yet is said and nothing is created; a wrong passphrase is refused;
  // records come back filtered and the log verifies; an installed policy without the audit
  // right refuses every call, one that gives it lets them through.
  void theRealTrailReadsTheLogOnlyForThoseWithTheRight() {
    if (QFile::exists(QStringLiteral("/etc/nesa/policy.pub")))
      QSKIP("this computer has an organisation's policy installed in /etc/nesa, which no test "
            "may replace");
    QTemporaryDir data, installed;
    const auto folder = std::filesystem::path(data.filePath(QStringLiteral("audit")).toStdString());
    app::EncryptedAuditTrail trail(folder);
    QVERIFY(trail.access().isEmpty()); // no organisation: one's own log
    QVERIFY2(trail.open(QStringLiteral("pass")).contains(QStringLiteral("no audit log")),
             qPrintable(trail.open(QStringLiteral("pass"))));
    QVERIFY(!std::filesystem::exists(folder));
    {
      auto passphrase = SecureBuffer::copyOf(std::string_view("pass"));
      QVERIFY(passphrase.ok());
      auto log = audit::AuditLog::open(folder, *passphrase);
      QVERIFY(log.ok());
      const std::int64_t now = QDateTime::currentMSecsSinceEpoch();
      QVERIFY(log->appendAll({{0, now - 1000, "cleo", "analysis", "sha256:aaaa", "ok",
                               R"({"level":"hss"})"},
                              {0, now, "cleo", "export", "sha256:aaaa", "ok", "{}"}})
                  .ok());
    }
    QVERIFY(trail.open(QStringLiteral("wrong")).contains(QStringLiteral("does not open")));
    QVERIFY(!trail.isOpen());
    QCOMPARE(trail.open(QStringLiteral("pass")), QString());
    QString error;
    auto records = trail.list({}, error);
    QCOMPARE(error, QString());
    QCOMPARE(records.size(), std::size_t{2});
    QCOMPARE(records[1].action, QStringLiteral("export"));
    QCOMPARE(records[0].details, QStringLiteral(R"({"level":"hss"})"));
    QCOMPARE(records[0].time.timeSpec(), Qt::UTC);
    records = trail.list({QStringLiteral("export"), {}, {}}, error);
    QCOMPARE(records.size(), std::size_t{1});
    const ui::AuditCheck check = trail.verify();
    QVERIFY2(check.intact(), qPrintable(check.problems.join(u'\n')));
    QCOMPARE(check.records, std::uint64_t{2});

    auto key = audit::SignerKey::generate("admin.example.org");
    QVERIFY(key.ok());
    const auto policyFor = [&](const std::string &rights) {
      return *policy::signPolicy(
          R"({"organisation": "St Example Hospital", "version": 1,
              "expires": "2099-01-01T00:00:00Z",
              "roles": {"clinician": {"minimumLevel": "hss"}, "auditor": {"models": [])" +
              rights + R"(}},
              "users": {")" +
              policy::currentUserName() + R"(": ["clinician", "auditor"]}})",
          *key);
    };
    QVERIFY(installPolicy(installed.path(), *key, policyFor("")));
    qputenv("NESA_POLICY_DIR", installed.path().toUtf8());
    QVERIFY2(trail.access().contains(QStringLiteral("may not read the audit trail")),
             qPrintable(trail.access()));
    QVERIFY(trail.verify().error.contains(QStringLiteral("may not read"))); // still open, refused
    records = trail.list({}, error);
    QVERIFY(records.empty());
    QVERIFY(error.contains(QStringLiteral("may not read the audit trail")));
    QVERIFY(trail.open(QStringLiteral("pass")).contains(QStringLiteral("may not read")));
    QVERIFY(!trail.isOpen());
    QVERIFY(!trail.verify().intact()); // locked: nothing known
    QVERIFY(installPolicy(installed.path(), *key, policyFor(R"(, "audit": true)")));
    QCOMPARE(trail.access(), QString());
    QCOMPARE(trail.open(QStringLiteral("pass")), QString());
    QCOMPARE(trail.list({}, error).size(), std::size_t{2});
    qunsetenv("NESA_POLICY_DIR");
  }
};

QTEST_MAIN(TestAuditPage)
#include "tst_audit_page.moc"
