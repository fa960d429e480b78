// The wallet page and its send dialog against a fake backend: the dialog shows amount, fee and
// total before anything is signed, refuses more than the balance and malformed input, sends
// exactly what was reviewed; the page shows the account and only sends once unlocked.
#include "fake_wallet_backend.h"
#include "process_wallet_backend.h"
#include "ui/qr_code.h"
#include "ui/wallet_activity.h"
#include "ui/wallet_page.h"

#include <QLabel>
#include <QLineEdit>
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
    QCOMPARE(backend.submitted.size(), std::size_t{1});
    QCOMPARE(backend.submitted[0].to, QStringLiteral("nes1friend"));
    QCOMPARE(backend.submitted[0].amount, 1'250'000);
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
    QVERIFY(backend.submitted.empty());
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

  // Staking needs no recipient; unstaking moves nothing now, so its total is the fee alone.
  void stakeAndUnstakeGoThroughTheSameReview() {
    FakeWalletBackend backend;
    SendDialog stake(backend, QStringLiteral("right"), WalletAction::Stake);
    QSignalSpy reviewed(&stake, &SendDialog::reviewed), sent(&stake, &SendDialog::sent);
    QVERIFY(stake.recipientField()->isHidden());
    stake.amountField()->setText(QStringLiteral("2"));
    QTest::mouseClick(stake.reviewButton(), Qt::LeftButton);
    QTRY_COMPARE(reviewed.count(), 1);
    QVERIFY(stake.reviewText().contains(QStringLiteral("Total: 2.001500 NES")));
    QTest::mouseClick(stake.confirmButton(), Qt::LeftButton);
    QTRY_COMPARE(sent.count(), 1);
    QCOMPARE(backend.submitted.at(0).action, WalletAction::Stake);
    QCOMPARE(backend.submitted.at(0).amount, 2'000'000);

    SendDialog unstake(backend, QStringLiteral("right"), WalletAction::Unstake);
    QSignalSpy unstakeReviewed(&unstake, &SendDialog::reviewed);
    unstake.amountField()->setText(QStringLiteral("1"));
    QTest::mouseClick(unstake.reviewButton(), Qt::LeftButton);
    QTRY_COMPARE(unstakeReviewed.count(), 1);
    QVERIFY(unstake.reviewText().contains(QStringLiteral("Total: 0.001500 NES")));
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
    QCOMPARE(history->item(0, 4)->text(), QStringLiteral("nes1friend"));
    auto *sessions = page.activity()->sessionTable();
    QCOMPARE(sessions->rowCount(), 2);
    QCOMPARE(sessions->item(0, 1)->text(), QStringLiteral("nes1miner"));
    QCOMPARE(sessions->item(0, 3)->text(), QStringLiteral("0.000080 NES"));
    QCOMPARE(sessions->item(0, 4)->text(), QStringLiteral("open until block 620"));
    QVERIFY(sessions->item(1, 4)->text().startsWith(QStringLiteral("closed")));
    auto *proposals = page.activity()->proposalTable();
    QCOMPARE(proposals->rowCount(), 2);
    QCOMPARE(proposals->item(0, 0)->text(), QStringLiteral("base-fee = 2000"));
    proposals->selectRow(1); // decided: no vote
    page.activity()->voteOnSelected(true);
    QVERIFY(backend.votes.empty());
    proposals->selectRow(0);
    QSignalSpy voted(page.activity(), &WalletActivity::voted);
    page.activity()->voteOnSelected(false);
    QTRY_COMPARE(voted.count(), 1);
    QCOMPARE(backend.votes.size(), std::size_t{1});
    QCOMPARE(backend.votes[0].proposal, QString(64, QLatin1Char('a')));
    QVERIFY(!backend.votes[0].yes);
    QVERIFY(
        page.activity()->governanceText().contains(QStringLiteral("Your vote is in the ledger")));

    auto *lock = page.findChild<QPushButton *>(QStringLiteral("walletLock"));
    QTest::mouseClick(lock, Qt::LeftButton);
    QTRY_COMPARE(history->rowCount(), 0);
    QCOMPARE(proposals->rowCount(), 0);
    QCOMPARE(sessions->rowCount(), 0);
    QVERIFY(page.stakeText().isEmpty());
  }

  void qrCodesEncodeAddresses() {
    const QImage image =
        qrCodeImage(QStringLiteral("nes1jhyqq504mmrf6wuduusuuk8galfkgfg4r3tjj3"), 2);
    QVERIFY(!image.isNull());
    QCOMPARE(image.width(), image.height());
    QCOMPARE(image.width() % 2, 0);
    QCOMPARE(image.pixel(0, 0), qRgb(255, 255, 255)); // the quiet zone
    QCOMPARE(image.pixel(8, 8), qRgb(0, 0, 0));       // a finder pattern's corner
  }

  // The desktop backend reads what the real CLI prints (these lines are its output).
  void theCliOutputIsRead() {
    const auto balance = nesa::app::parseWalletBalance(QStringLiteral(
        "nes1jhyqq504mmrf6wuduusuuk8galfkgfg4r3tjj3  999993.986180 NES  (staked 2.000000 NES, "
        "unbonding 0.500000 NES)\n"));
    QVERIFY(balance.error.isEmpty());
    QCOMPARE(balance.balance, 999993'986180);
    QCOMPARE(balance.staked, 2'000'000);
    QCOMPARE(balance.unbonding, 500'000);
    QCOMPARE(nesa::app::parseWalletBalance(QStringLiteral("nes1abc  5.000000 NES\n")).staked, 0);
    QVERIFY(!nesa::app::parseWalletBalance(QStringLiteral("garbage")).error.isEmpty());

    const auto history = nesa::app::parseWalletHistory(
        QStringLiteral("nes1jhyqq504mmrf6wuduusuuk8galfkgfg4r3tjj3\n"
                       "  block 690  transfer  -1.500000 NES  fee 0.002700 NES  to nes1friend\n"
                       "  block 688  transfer  +3.000000 NES  from nes1payer\n"
                       "  block 682  open session  -1.000000 NES  fee 0.002780 NES\n"));
    QCOMPARE(history.size(), std::size_t{3});
    QCOMPARE(history[0].amount, -1'500'000);
    QCOMPARE(history[0].fee, 2'700);
    QCOMPARE(history[0].counterparty, QStringLiteral("nes1friend"));
    QCOMPARE(history[1].amount, 3'000'000);
    QCOMPARE(history[1].counterparty, QStringLiteral("nes1payer"));
    QCOMPARE(history[2].kind, QStringLiteral("open session"));
    QCOMPARE(history[2].height, 682);
    QVERIFY(nesa::app::parseWalletHistory(QStringLiteral("nes1x\n  no transactions\n")).empty());

    const auto sessions = nesa::app::parseWalletSessions(QStringLiteral(
        "nes1jhyqq504mmrf6wuduusuuk8galfkgfg4r3tjj3\n"
        "  session 27253e31ddb1a2663cf266ad671a68d94da1eb36e05c0c4dd8436b3ffddcaf4b  opened in "
        "block 9  miner nes1aqmp897sqp3uvwm4d20g862p0yt85fmjq9dnms  deposit 1.000000 NES  paid "
        "0.000080 NES  until block 609\n"
        "  session b4d7c41b82231c31db2f4277cd6ebe59fe4732e1ee16f5b843693ed72dcf9aa4  opened in "
        "block 7  closed\n"));
    QCOMPARE(sessions.size(), std::size_t{2});
    QVERIFY(sessions[0].open);
    QCOMPARE(sessions[0].openedAt, 9);
    QCOMPARE(sessions[0].miner, QStringLiteral("nes1aqmp897sqp3uvwm4d20g862p0yt85fmjq9dnms"));
    QCOMPARE(sessions[0].deposit, 1'000'000);
    QCOMPARE(sessions[0].paid, 80);
    QCOMPARE(sessions[0].until, 609);
    QVERIFY(!sessions[1].open);
    QVERIFY(nesa::app::parseWalletSessions(QStringLiteral("nes1x\n  no sessions\n")).empty());

    const QString id(64, QLatin1Char('c'));
    const auto proposals = nesa::app::parseProposals(
        id +
        QStringLiteral("  base-fee = 2000  yes 1.000000 NES, no 0.000000 NES  open until "
                       "block 700\n") +
        QString(64, QLatin1Char('d')) +
        QStringLiteral("  min-stake = 5  yes 0.000000 NES, no 2.000000 NES  rejected\n"));
    QCOMPARE(proposals.size(), std::size_t{2});
    QCOMPARE(proposals[0].id, id);
    QCOMPARE(proposals[0].change, QStringLiteral("base-fee = 2000"));
    QCOMPARE(proposals[0].yes, 1'000'000);
    QVERIFY(proposals[0].open);
    QVERIFY(!proposals[1].open);
    QCOMPARE(proposals[1].state, QStringLiteral("rejected"));
    QVERIFY(nesa::app::parseProposals(QStringLiteral("no proposals\n")).empty());
  }

  void negativeAmountsAreFormatted() {
    QCOMPARE(formatNesAmount(-1'500'000), QStringLiteral("-1.500000 NES"));
    QCOMPARE(formatNesAmount(-1), QStringLiteral("-0.000001 NES"));
  }
};

QTEST_MAIN(TestWalletPage)
#include "tst_wallet_page.moc"
