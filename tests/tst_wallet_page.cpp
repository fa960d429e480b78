// The wallet page and its send dialog against a fake backend: the dialog shows amount, fee and
// total before anything is signed, refuses more than the balance and malformed input, sends
// exactly what was reviewed; the page shows the account and only sends once unlocked.
#include "fake_wallet_backend.h"
#include "ui/qr_code.h"
#include "ui/wallet_activity.h"
#include "ui/wallet_page.h"

#include <QDateTime>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
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
    QTRY_COMPARE(page.addressText(), QStringLiteral("0xFakeAccount"));
    QCOMPARE(page.balanceText(), QStringLiteral("5.000000 NES"));
    QVERIFY(page.isUnlocked());
    QVERIFY(page.openSendDialog() != nullptr);
  }

  void sendDialogShowsTheNetworkFeeThenSends() {
    FakeWalletBackend backend;
    SendDialog dialog(backend, QStringLiteral("right"));
    QSignalSpy reviewed(&dialog, &SendDialog::reviewed), sent(&dialog, &SendDialog::sent);
    dialog.recipientField()->setText(FakeWalletBackend::kFriend);
    dialog.amountField()->setText(QStringLiteral("1.25"));
    QVERIFY(!dialog.confirmButton()->isEnabled());
    QTest::mouseClick(dialog.reviewButton(), Qt::LeftButton);
    QTRY_COMPARE(reviewed.count(), 1);
    QVERIFY(dialog.reviewText().contains(QStringLiteral("Amount: 1.250000 NES")));
    QVERIFY(dialog.reviewText().contains(QStringLiteral("Balance: 5.000000 NES")));
    QVERIFY(dialog.reviewText().contains(
        QStringLiteral("Network fee: about 0.000069 ETH, at most 0.000138 ETH")));
    QVERIFY(dialog.confirmButton()->isEnabled());
    QTest::mouseClick(dialog.confirmButton(), Qt::LeftButton);
    QTRY_COMPARE(sent.count(), 1);
    QCOMPARE(backend.submitted.size(), std::size_t{1});
    QCOMPARE(backend.submitted[0].to, FakeWalletBackend::kFriend);
    QCOMPARE(backend.submitted[0].amount, 1'250'000);
    QVERIFY(dialog.outcomeText().contains(QStringLiteral("0x00ff00ff")));
  }

  void sendDialogRefusesMoreThanTheBalance() {
    FakeWalletBackend backend;
    SendDialog dialog(backend, QStringLiteral("right"));
    QSignalSpy reviewed(&dialog, &SendDialog::reviewed);
    dialog.recipientField()->setText(FakeWalletBackend::kFriend);
    dialog.amountField()->setText(QStringLiteral("5.000001"));
    QTest::mouseClick(dialog.reviewButton(), Qt::LeftButton);
    QTRY_COMPARE(reviewed.count(), 1);
    QVERIFY(dialog.reviewText().contains(QStringLiteral("does not cover")));
    QVERIFY(!dialog.confirmButton()->isEnabled());
    // Covered in NES, but not the gas: refused too.
    dialog.amountField()->setText(QStringLiteral("3"));
    QTest::mouseClick(dialog.reviewButton(), Qt::LeftButton);
    QTRY_COMPARE(reviewed.count(), 2);
    QVERIFY(dialog.reviewText().contains(QStringLiteral("cannot pay the network fee")));
    QVERIFY(!dialog.reviewText().contains(QStringLiteral("does not cover")));
    QVERIFY(!dialog.confirmButton()->isEnabled());
    QVERIFY(backend.submitted.empty());
  }

  void sendDialogRefusesMalformedInputAndStaleReviews() {
    FakeWalletBackend backend;
    SendDialog dialog(backend, QStringLiteral("right"));
    QSignalSpy reviewed(&dialog, &SendDialog::reviewed);
    dialog.recipientField()->setText(QStringLiteral("bob"));
    dialog.amountField()->setText(QStringLiteral("1"));
    QTest::mouseClick(dialog.reviewButton(), Qt::LeftButton);
    QTRY_COMPARE(reviewed.count(), 1);
    QVERIFY(dialog.reviewText().contains(QStringLiteral("0x and 40 hexadecimal digits")));
    dialog.recipientField()->setText(QStringLiteral("nes1jhyqq504mmrf6wuduusuuk8galfkgfg4r3tjj3"));
    QTest::mouseClick(dialog.reviewButton(), Qt::LeftButton);
    QTRY_COMPARE(reviewed.count(), 2);
    QVERIFY(dialog.reviewText().contains(QStringLiteral("0x and 40 hexadecimal digits")));
    dialog.recipientField()->setText(FakeWalletBackend::kFriend);
    dialog.amountField()->setText(QStringLiteral("-3"));
    QTest::mouseClick(dialog.reviewButton(), Qt::LeftButton);
    QTRY_COMPARE(reviewed.count(), 3);
    QVERIFY(dialog.reviewText().contains(QStringLiteral("positive number")));
    dialog.amountField()->setText(QStringLiteral("1"));
    QTest::mouseClick(dialog.reviewButton(), Qt::LeftButton);
    QTRY_COMPARE(reviewed.count(), 4);
    QVERIFY(dialog.confirmButton()->isEnabled());
    dialog.amountField()->setText(QStringLiteral("2")); // changed after the review
    QVERIFY(!dialog.confirmButton()->isEnabled());
    QVERIFY(backend.submitted.empty());
  }

  void wrongPassphraseIsSaid() {
    FakeWalletBackend backend;
    SendDialog dialog(backend, QStringLiteral("wrong"));
    QSignalSpy reviewed(&dialog, &SendDialog::reviewed);
    dialog.recipientField()->setText(FakeWalletBackend::kFriend);
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
    QTRY_COMPARE(page.addressText(), QStringLiteral("0xFakeAccount"));
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

  // Staking needs no recipient; unstaking spends no NES now, only the network fee.
  void stakeAndUnstakeGoThroughTheSameReview() {
    FakeWalletBackend backend;
    SendDialog stake(backend, QStringLiteral("right"), WalletAction::Stake);
    QSignalSpy reviewed(&stake, &SendDialog::reviewed), sent(&stake, &SendDialog::sent);
    QVERIFY(stake.recipientField()->isHidden());
    stake.amountField()->setText(QStringLiteral("2"));
    QTest::mouseClick(stake.reviewButton(), Qt::LeftButton);
    QTRY_COMPARE(reviewed.count(), 1);
    QVERIFY(stake.reviewText().contains(QStringLiteral("Amount: 2.000000 NES")));
    QTest::mouseClick(stake.confirmButton(), Qt::LeftButton);
    QTRY_COMPARE(sent.count(), 1);
    QCOMPARE(backend.submitted.at(0).action, WalletAction::Stake);
    QCOMPARE(backend.submitted.at(0).amount, 2'000'000);

    // Unstaking spends nothing from the balance, yet its amount is what the user asked for.
    SendDialog unstake(backend, QStringLiteral("right"), WalletAction::Unstake);
    QSignalSpy unstakeReviewed(&unstake, &SendDialog::reviewed),
        unstakeSent(&unstake, &SendDialog::sent);
    unstake.amountField()->setText(QStringLiteral("1"));
    QTest::mouseClick(unstake.reviewButton(), Qt::LeftButton);
    QTRY_COMPARE(unstakeReviewed.count(), 1);
    QVERIFY(unstake.reviewText().contains(QStringLiteral("Amount: 1.000000 NES")));
    QVERIFY(unstake.reviewText().contains(QStringLiteral("Network fee: about")));
    QTest::mouseClick(unstake.confirmButton(), Qt::LeftButton);
    QTRY_COMPARE(unstakeSent.count(), 1);
    QCOMPARE(backend.submitted.at(1).action, WalletAction::Unstake);
    QCOMPARE(backend.submitted.at(1).amount, 1'000'000);
  }

  // Unlocked, the page shows the stake, the address as a QR code (and a Receive dialog), the
  // history and the proposals; a vote on an open proposal reaches the backend; locking empties it.
  void historyGovernanceAndReceive() {
    FakeWalletBackend backend;
    WalletPage page(backend);
    QSignalSpy activity(page.activity(), &WalletActivity::updated);
    QVERIFY(page.openReceiveDialog() == nullptr);
    unlock(page, QStringLiteral("right"));
    QTRY_COMPARE(activity.count(), 1);
    QCOMPARE(page.stakeText(), QStringLiteral("1.000000 NES staked"));
    auto *receive = page.openReceiveDialog();
    QVERIFY(receive);
    QVERIFY(receive->findChild<QLabel *>() != nullptr);
    bool qrShown = false;
    for (auto *label : receive->findChildren<QLabel *>())
      qrShown = qrShown || !label->pixmap().isNull();
    QVERIFY(qrShown);
    receive->close();

    auto *history = page.activity()->historyTable();
    QCOMPARE(history->rowCount(), 2);
    QCOMPARE(history->item(0, 1)->text(), QStringLiteral("transfer"));
    QCOMPARE(history->item(0, 2)->text(), QStringLiteral("-2.000000 NES"));
    QCOMPARE(history->item(0, 3)->text(), FakeWalletBackend::kFriend);
    auto *sessions = page.activity()->sessionTable();
    QCOMPARE(sessions->rowCount(), 2);
    QCOMPARE(sessions->item(0, 1)->text(), QStringLiteral("0xMiner"));
    QCOMPARE(sessions->item(0, 3)->text(), QStringLiteral("0.000080 NES"));
    QCOMPARE(
        sessions->item(0, 4)->text(),
        QStringLiteral("open until ") +
            QLocale().toString(QDateTime::fromSecsSinceEpoch(1'900'000'000), QLocale::ShortFormat));
    QVERIFY(sessions->item(1, 4)->text().startsWith(QStringLiteral("closed")));
    auto *proposals = page.activity()->proposalTable();
    QCOMPARE(proposals->rowCount(), 2);
    QCOMPARE(proposals->item(0, 0)->text(), QStringLiteral("Nesa: set minStake to 200000000"));
    proposals->selectRow(1); // decided: no vote
    page.activity()->voteOnSelected(true);
    QVERIFY(backend.votes.empty());
    proposals->selectRow(0);
    QSignalSpy voted(page.activity(), &WalletActivity::voted);
    page.activity()->voteOnSelected(false);
    QTRY_COMPARE(voted.count(), 1);
    QCOMPARE(backend.votes.size(), std::size_t{1});
    QCOMPARE(backend.votes[0].proposal, QStringLiteral("0x") + QString(64, QLatin1Char('a')));
    QVERIFY(!backend.votes[0].yes);
    QVERIFY(page.activity()->governanceText().contains(
        QStringLiteral("Your vote is recorded on chain")));

    auto *lock = page.findChild<QPushButton *>(QStringLiteral("walletLock"));
    QTest::mouseClick(lock, Qt::LeftButton);
    QTRY_COMPARE(history->rowCount(), 0);
    QCOMPARE(proposals->rowCount(), 0);
    QCOMPARE(sessions->rowCount(), 0);
    QVERIFY(page.stakeText().isEmpty());
  }

  void qrCodesEncodeAddresses() {
    const QImage image =
        qrCodeImage(QStringLiteral("0xF278cF59F82eDcf871d630F28EcC8056f25C1cdb"), 2);
    QVERIFY(!image.isNull());
    QCOMPARE(image.width(), image.height());
    QCOMPARE(image.width() % 2, 0);
    QCOMPARE(image.pixel(0, 0), qRgb(255, 255, 255)); // the quiet zone
    QCOMPARE(image.pixel(8, 8), qRgb(0, 0, 0));       // a finder pattern's corner
  }

  void negativeAmountsAreFormatted() {
    QCOMPARE(formatNesAmount(-1'500'000), QStringLiteral("-1.500000 NES"));
    QCOMPARE(formatNesAmount(-1), QStringLiteral("-0.000001 NES"));
  }
};

QTEST_MAIN(TestWalletPage)
#include "tst_wallet_page.moc"
