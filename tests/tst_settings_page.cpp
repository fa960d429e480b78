// The settings page against a fake backend: it shows what is saved, refuses wrong values and a
// failing save without keeping anything, and saved settings apply to the window at once (the
// default privacy level, the miner's threads).
#include "fake_backends.h"
#include "ui/analyze_page.h"
#include "ui/miner_page.h"
#include "ui/settings_page.h"
#include "ui/translations.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>

using namespace nesa::ui;
using nesa::testing::FakeBackends;
using nesa::testing::FakeSettingsBackend;

class TestSettingsPage : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void initTestCase() { QVERIFY(installTranslation(*qApp, QStringLiteral("en"))); }

  void showsTheSavedSettings() {
    FakeSettingsBackend backend;
    backend.config.language = "fr";
    backend.config.network = "join";
    backend.config.nodeAddress = "node.example:7600";
    backend.config.deploymentFile = "/etc/nesa/deployment.json";
    backend.config.defaultPrivacy = "hss-ee";
    backend.config.autoLockMinutes = 5;
    SettingsPage page(backend);
    QCOMPARE(page.languageBox()->currentData().toString(), QStringLiteral("fr"));
    QVERIFY(page.joinButton()->isChecked());
    QCOMPARE(page.nodeField()->text(), QStringLiteral("node.example:7600"));
    QVERIFY(page.nodeField()->isEnabled());
    QCOMPARE(page.deploymentField()->text(), QStringLiteral("/etc/nesa/deployment.json"));
    QVERIFY(page.deploymentField()->isEnabled());
    QCOMPARE(page.privacyBox()->currentData().toString(), QStringLiteral("hss-ee"));
    QCOMPARE(page.autoLockBox()->value(), 5);
    QVERIFY(!page.auditLogBox()->isChecked());
  }

  // The audit log is turned on here as with nesa config set auditLog true.
  void theAuditLogIsTurnedOnHere() {
    FakeSettingsBackend backend;
    SettingsPage page(backend);
    page.auditLogBox()->setChecked(true);
    QTest::mouseClick(page.saveButton(), Qt::LeftButton);
    QCOMPARE(backend.saves, 1);
    QVERIFY(backend.config.auditLog);
    backend.config.auditLog = false;
    page.showSettings(backend.config);
    QVERIFY(!page.auditLogBox()->isChecked());
    // An organisation's policy that requires it: shown on and not to be turned off here; a
    // save keeps the user's own choice for when the policy no longer requires it.
    backend.requiredBy = QStringLiteral("St Example Hospital");
    page.showSettings(backend.config);
    QVERIFY(page.auditLogBox()->isChecked());
    QVERIFY(!page.auditLogBox()->isEnabled());
    QVERIFY(page.auditLogBox()->toolTip().contains(QStringLiteral("St Example Hospital")));
    QTest::mouseClick(page.saveButton(), Qt::LeftButton);
    QCOMPARE(backend.saves, 2);
    QVERIFY(!backend.config.auditLog);
  }

  void wrongValuesAreNotKept() {
    FakeSettingsBackend backend;
    SettingsPage page(backend);
    QSignalSpy saved(&page, &SettingsPage::saved);
    page.joinButton()->setChecked(true); // joining, but no node given
    page.nodeField()->clear();
    QTest::mouseClick(page.saveButton(), Qt::LeftButton);
    QVERIFY2(page.statusText().startsWith(QStringLiteral("Not saved: ")),
             qPrintable(page.statusText()));
    QVERIFY(page.statusText().contains(QStringLiteral("nodeAddress")));
    QCOMPARE(backend.saves, 0);
    QCOMPARE(saved.count(), 0);
    QCOMPARE(page.settings().network, std::string("devnet"));
  }

  // The PACS is shown and saved; a malformed address is refused with the setting's name.
  void thePacsIsSetHere() {
    FakeSettingsBackend backend;
    backend.config.pacsNode = "ORTHANC@pacs.test:4242";
    SettingsPage page(backend);
    QCOMPARE(page.pacsField()->text(), QStringLiteral("ORTHANC@pacs.test:4242"));
    QCOMPARE(page.pacsAeTitleField()->text(), QStringLiteral("NESA"));
    page.pacsField()->setText(QStringLiteral("ORTHANC@pacs.test"));
    QVERIFY(!page.save());
    QVERIFY2(page.statusText().contains(QStringLiteral("pacsNode")), qPrintable(page.statusText()));
    page.pacsField()->setText(QStringLiteral("PACS2@10.0.0.5:11112"));
    page.pacsAeTitleField()->setText(QStringLiteral("DESKTOP1"));
    QVERIFY(page.save());
    QCOMPARE(backend.config.pacsNode, std::string("PACS2@10.0.0.5:11112"));
    QCOMPARE(backend.config.pacsAeTitle, std::string("DESKTOP1"));
    page.pacsField()->setText(QStringLiteral("https://pacs.test/dicom-web")); // DICOMweb
    QVERIFY(page.save());
    QCOMPARE(backend.config.pacsNode, std::string("https://pacs.test/dicom-web"));
    page.pacsField()->setText(QStringLiteral("https://"));
    QVERIFY(!page.save());
    page.pacsField()->setText(QStringLiteral("https://pacs.test/dicom-web"));
    // TLS: the trusted file is saved; our certificate without its key is refused by name.
    QCOMPARE(page.pacsTrustedField()->text(), QString());
    page.pacsTrustedField()->setText(QStringLiteral("/etc/nesa/hospital-ca.pem"));
    page.pacsCertificateField()->setText(QStringLiteral("/etc/nesa/desktop.pem"));
    QVERIFY(!page.save());
    QVERIFY2(page.statusText().contains(QStringLiteral("pacsTlsKey")),
             qPrintable(page.statusText()));
    page.pacsKeyField()->setText(QStringLiteral("/etc/nesa/desktop.key"));
    QVERIFY(page.save());
    QCOMPARE(backend.config.pacsTlsTrusted, std::filesystem::path("/etc/nesa/hospital-ca.pem"));
    QCOMPARE(backend.config.pacsTlsCertificate, std::filesystem::path("/etc/nesa/desktop.pem"));
    QCOMPARE(backend.config.pacsTlsKey, std::filesystem::path("/etc/nesa/desktop.key"));
    SettingsPage reopened(backend); // shown again as saved
    QCOMPARE(reopened.pacsKeyField()->text(), QStringLiteral("/etc/nesa/desktop.key"));
  }

  void aFailingSaveIsSaid() {
    FakeSettingsBackend backend;
    backend.failSaves = true;
    SettingsPage page(backend);
    page.autoLockBox()->setValue(3);
    QVERIFY(!page.save());
    QCOMPARE(page.statusText(), QStringLiteral("Not saved: the settings folder is read-only"));
    QCOMPARE(page.settings().autoLockMinutes, nesa::Config{}.autoLockMinutes);
  }

  void savedSettingsApplyToTheWindow() {
    FakeBackends fakes;
    MainWindow window(fakes.backends());
    SettingsPage *page = window.settingsPage();
    QCOMPARE(window.analyzePage()->levelPicker()->currentData().toString(), QStringLiteral("hss"));
    page->privacyBox()->setCurrentIndex(page->privacyBox()->findData(QStringLiteral("ee")));
    page->minerThreadsBox()->setValue(2);
    QVERIFY(page->save());
    QCOMPARE(page->statusText(), QStringLiteral("Saved."));
    QCOMPARE(fakes.settings.saves, 1);
    QCOMPARE(fakes.settings.config.defaultPrivacy, std::string("ee"));
    QCOMPARE(window.analyzePage()->levelPicker()->currentData().toString(), QStringLiteral("ee"));
    QCOMPARE(window.minerPage()->findChild<QSpinBox *>()->value(), 2);
    // The network is what the app started on: a change applies at the next start, and says so.
    page->joinButton()->setChecked(true);
    page->nodeField()->setText(QStringLiteral("node.example:7600"));
    QVERIFY(!page->save()); // a network is named by its deployment file too
    QVERIFY(page->statusText().contains(QStringLiteral("deploymentFile")));
    page->deploymentField()->setText(QStringLiteral("/etc/nesa/deployment.json"));
    QVERIFY(page->save());
    QVERIFY(page->statusText().contains(QStringLiteral("next start")));
    QCOMPARE(fakes.settings.config.nodeAddress, std::string("node.example:7600"));
    QCOMPARE(fakes.settings.config.deploymentFile.string(),
             std::string("/etc/nesa/deployment.json"));
  }
};

QTEST_MAIN(TestSettingsPage)
#include "tst_settings_page.moc"
