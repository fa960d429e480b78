// The wallet page and its send dialog against a fake backend: the dialog shows amount, fee and
// total before anything is signed, refuses more than the balance and malformed input, sends
// exactly what was reviewed; the page shows the account and only sends once unlocked.
#include "fake_wallet_backend.h"
#include "ui/wallet_page.h"

#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

using namespace nesa::ui;
using nesa::testing::FakeWalletBackend;

class TestWalletPage : public QObject {
  Q_OBJECT

  static void unlock(WalletPage &page, const QString &passphrase) {
    auto *field = page.findChild<QLineEdit *>();
    QVERIFY(field);
    field->setText(passphrase);
    for (auto *button : page.findChildren<QPushButton *>())
      if (button->text() == QLatin1String("Unlock"))
        QTest::mouseClick(button, Qt::LeftButton);
  }

private Q_SLOTS:
  void amountsParseAndFormat() {
    QCOMPARE(parseNesAmount(QStringLiteral("2.5")), 2'500'000);
    QCOMPARE(parseNesAmount(QStringLiteral("0,000001")), 1);
    QCOMPARE(parseNesAmount(QStringLiteral("3")), 3'000'000);
    QCOMPARE(parseNesAmount(QStringLiteral("-1")), -1);
    QCOMPARE(parseNesAmount(QStringLiteral("1.0000001")), -1);
    QCOMPARE(parseNesAmount(QStringLiteral("two")), -1);
    QCOMPARE(formatNesAmount(2'500'001), QStringLiteral("2.500001 NES"));
  }

  void pageShowsTheAccountAndSendsOnlyWhenUnlocked() {
    FakeWalletBackend backend;
    WalletPage page(backend);
    QSignalSpy refreshed(&page, &WalletPage::refreshed);
    QVERIFY(!page.isUnlocked());
    QVERIFY(page.addressText().isEmpty()); // locked: nothing read yet
    QVERIFY(page.openSendDialog() == nullptr);
    unlock(page, QStringLiteral("wrong"));
    QTRY_COMPARE(refreshed.count(), 1);
    QVERIFY(!page.isUnlocked()); // a passphrase that does not open the wallet locks it again
    unlock(page, QStringLiteral("right"));
    QTRY_COMPARE(page.addressText(), QStringLiteral("nes1fakeaccount"));
    QCOMPARE(page.balanceText(), QStringLiteral("5.000000 NES"));
    QVERIFY(page.isUnlocked());
    QVERIFY(page.openSendDialog() != nullptr);
  }

  void sendDialogShowsFeeAndTotalThenSends() {
    FakeWalletBackend backend;
    SendDialog dialog(backend, QStringLiteral("right"));
    QSignalSpy reviewed(&dialog, &SendDialog::reviewed), sent(&dialog, &SendDialog::sent);
    dialog.recipientField()->setText(QStringLiteral("nes1friend"));
    dialog.amountField()->setText(QStringLiteral("1.25"));
    QVERIFY(!dialog.confirmButton()->isEnabled());
    QTest::mouseClick(dialog.reviewButton(), Qt::LeftButton);
    QTRY_COMPARE(reviewed.count(), 1);
    QVERIFY(dialog.reviewText().contains(QStringLiteral("Amount: 1.250000 NES")));
    QVERIFY(dialog.reviewText().contains(QStringLiteral("Fee: 0.001500 NES")));
    QVERIFY(dialog.reviewText().contains(QStringLiteral("Total: 1.251500 NES")));
    QVERIFY(dialog.confirmButton()->isEnabled());
    QTest::mouseClick(dialog.confirmButton(), Qt::LeftButton);
    QTRY_COMPARE(sent.count(), 1);
    QCOMPARE(backend.sent.size(), std::size_t{1});
    QCOMPARE(backend.sent[0].to, QStringLiteral("nes1friend"));
    QCOMPARE(backend.sent[0].amount, 1'250'000);
    QVERIFY(dialog.outcomeText().contains(QStringLiteral("00ff00ff")));
  }

  void sendDialogRefusesMoreThanTheBalance() {
    FakeWalletBackend backend;
    SendDialog dialog(backend, QStringLiteral("right"));
    QSignalSpy reviewed(&dialog, &SendDialog::reviewed);
    dialog.recipientField()->setText(QStringLiteral("nes1friend"));
    dialog.amountField()->setText(QStringLiteral("4.999")); // + fee is more than 5 NES
    QTest::mouseClick(dialog.reviewButton(), Qt::LeftButton);
    QTRY_COMPARE(reviewed.count(), 1);
    QVERIFY(dialog.reviewText().contains(QStringLiteral("Total: 5.000500 NES")));
    QVERIFY(dialog.reviewText().contains(QStringLiteral("does not cover")));
    QVERIFY(!dialog.confirmButton()->isEnabled());
    QVERIFY(backend.sent.empty());
  }

  void sendDialogRefusesMalformedInputAndStaleReviews() {
    FakeWalletBackend backend;
    SendDialog dialog(backend, QStringLiteral("right"));
    QSignalSpy reviewed(&dialog, &SendDialog::reviewed);
    dialog.recipientField()->setText(QStringLiteral("bob"));
    dialog.amountField()->setText(QStringLiteral("1"));
    QTest::mouseClick(dialog.reviewButton(), Qt::LeftButton);
    QTRY_COMPARE(reviewed.count(), 1);
    QVERIFY(dialog.reviewText().contains(QStringLiteral("NES address")));
    dialog.recipientField()->setText(QStringLiteral("nes1friend"));
    dialog.amountField()->setText(QStringLiteral("-3"));
    QTest::mouseClick(dialog.reviewButton(), Qt::LeftButton);
    QTRY_COMPARE(reviewed.count(), 2);
    QVERIFY(dialog.reviewText().contains(QStringLiteral("positive number")));
    dialog.amountField()->setText(QStringLiteral("1"));
    QTest::mouseClick(dialog.reviewButton(), Qt::LeftButton);
    QTRY_COMPARE(reviewed.count(), 3);
    QVERIFY(dialog.confirmButton()->isEnabled());
    dialog.amountField()->setText(QStringLiteral("2")); // changed after the review
    QVERIFY(!dialog.confirmButton()->isEnabled());
    QVERIFY(backend.sent.empty());
  }

  void wrongPassphraseIsSaid() {
    FakeWalletBackend backend;
    SendDialog dialog(backend, QStringLiteral("wrong"));
    QSignalSpy reviewed(&dialog, &SendDialog::reviewed);
    dialog.recipientField()->setText(QStringLiteral("nes1friend"));
    dialog.amountField()->setText(QStringLiteral("1"));
    QTest::mouseClick(dialog.reviewButton(), Qt::LeftButton);
    QTRY_COMPARE(reviewed.count(), 1);
    QVERIFY(dialog.reviewText().contains(QStringLiteral("wrong passphrase")));
    QVERIFY(!dialog.confirmButton()->isEnabled());
  }

  // Without a key press or a click for the auto-lock interval the wallet locks and says why;
  // activity postpones it.
  void autoLockForgetsThePassphrase() {
    FakeWalletBackend backend;
    WalletPage page(backend);
    page.setAutoLockInterval(300);
    unlock(page, QStringLiteral("right"));
    QTRY_COMPARE(page.addressText(), QStringLiteral("nes1fakeaccount"));
    QVERIFY(page.isUnlocked());
    for (int i = 0; i < 4; ++i) { // 400 ms of activity: still unlocked
      QTest::qWait(100);
      QTest::keyClick(&page, Qt::Key_Shift);
    }
    QVERIFY(page.isUnlocked());
    QTRY_VERIFY_WITH_TIMEOUT(!page.isUnlocked(), 3000);
    QVERIFY(page.findChild<QLabel *>(QStringLiteral("walletStatus"))
                ->text()
                .startsWith(QStringLiteral("Locked after")));
    QVERIFY(page.openSendDialog() == nullptr);
  }
};

QTEST_MAIN(TestWalletPage)
#include "tst_wallet_page.moc"
