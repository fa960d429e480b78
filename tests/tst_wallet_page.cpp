// The wallet page and its send dialog against a fake backend: the dialog shows amount, fee and
// total before anything is signed, refuses more than the balance and malformed input, sends
// exactly what was reviewed; the page shows the account and only sends once unlocked.
#include "fake_wallet_backend.h"
#include "process_wallet_backend.h"
#include "sibling_command.h"
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
  // A failing command's reason, as the pages show it: its last stderr line without the
  // "nesa COMMAND: " our programs put first; anything else as it is; the fallback when silent.
  void aFailingCommandsReasonIsItsLastSentence() {
    using nesa::app::failureReason;
    const QString fallback = QStringLiteral("the command failed");
    QCOMPARE(failureReason({1, {}, QStringLiteral("loading…\nnesa wallet: wrong passphrase\n")},
                           fallback),
             QStringLiteral("wrong passphrase"));
    QCOMPARE(
        failureReason({1, {}, QStringLiteral("nesa analyze: --miners: not a number")}, fallback),
        QStringLiteral("--miners: not a number"));
    QCOMPARE(failureReason({1, {}, QStringLiteral("nesa Wallet: kept as it is")}, fallback),
             QStringLiteral("nesa Wallet: kept as it is"));
    QCOMPARE(failureReason({-1, {}, {}}, fallback), fallback);
  }

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

    SendDialog unstake(backend, QStringLiteral("right"), WalletAction::Unstake);
    QSignalSpy unstakeReviewed(&unstake, &SendDialog::reviewed);
    unstake.amountField()->setText(QStringLiteral("1"));
    QTest::mouseClick(unstake.reviewButton(), Qt::LeftButton);
    QTRY_COMPARE(unstakeReviewed.count(), 1);
    QVERIFY(unstake.reviewText().contains(QStringLiteral("Amount: 0.000000 NES")));
    QVERIFY(unstake.reviewText().contains(QStringLiteral("Network fee: about")));
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

  // The desktop backend reads the CLI's --json answers (these are its output on a devnet);
  // anything else is an error, never a made-up zero.
  void theCliJsonIsRead() {
    const auto balance = nesa::app::parseWalletBalance(R"({"accounts": [{
        "address": "0xF278cF59F82eDcf871d630F28EcC8056f25C1cdb", "balance": 999787500000,
        "gas_wei": "999999682000000000000", "staked": 150000000, "unbonding": 50000000,
        "unbonding_release": 1796951037, "votes": 0}], "chain_id": 4242})");
    QVERIFY(balance.error.isEmpty());
    QCOMPARE(balance.address, QStringLiteral("0xF278cF59F82eDcf871d630F28EcC8056f25C1cdb"));
    QCOMPARE(balance.balance, 999787'500000);
    QCOMPARE(balance.staked, 150'000'000);
    QCOMPARE(balance.unbonding, 50'000'000);
    for (const QByteArray &bad : {QByteArray("garbage"), QByteArray(R"({"accounts": []})")})
      QVERIFY(!nesa::app::parseWalletBalance(bad).error.isEmpty());

    const auto quote = nesa::app::parseTransferQuote(R"({"action": "send 12.500000 NES to 0x…",
        "chain_id": 4242, "fee_wei": "68916000000000", "from": "0xF278", "gas": 56097,
        "gas_balance_wei": "1000000000000000000000", "gas_bounded": false,
        "max_fee_wei": "137832000000000", "nes_balance": 1000000000000, "nes_spent": 12500000,
        "transactions": 1})");
    QVERIFY(quote.error.isEmpty());
    QCOMPARE(quote.amount, 12'500'000);
    QCOMPARE(quote.balance, 1000000'000000);
    QCOMPARE(quote.networkFee, QStringLiteral("about 0.000068 ETH, at most 0.000137 ETH"));
    QVERIFY(quote.feeCovered);
    QVERIFY(!nesa::app::parseTransferQuote(R"({"fee_wei": "5", "max_fee_wei": "1000",
        "gas_balance_wei": "999"})")
                 .feeCovered);
    QVERIFY(!nesa::app::parseTransferQuote("nope").error.isEmpty());

    const auto history = nesa::app::parseWalletHistory(R"({"accounts": [{"address": "0xF278",
        "entries": [{"amount": -1000000, "block": 28, "counterparty": "0xCBa3",
        "kind": "session deposit", "tx": "0x01"}, {"amount": 1000000000000, "block": 12,
        "counterparty": "0x457D", "kind": "transfer", "tx": "0x02"}]}], "chain_id": 4242})");
    QCOMPARE(history.size(), std::size_t{2});
    QCOMPARE(history[0].amount, -1'000'000);
    QCOMPARE(history[0].kind, QStringLiteral("session deposit"));
    QCOMPARE(history[0].counterparty, QStringLiteral("0xCBa3"));
    QCOMPARE(history[1].height, 12);
    QVERIFY(nesa::app::parseWalletHistory("{}").empty());

    const auto sessions = nesa::app::parseWalletSessions(R"({"accounts": [{"address": "0xF278",
        "sessions": [{"deposit": 1000000, "epoch": 0, "expires_at": 1796350116, "jobs": 3,
        "miner": "0xdC56", "open": true, "opened_block": 28, "settled": 30},
        {"deposit": 0, "epoch": 1, "expires_at": 0, "jobs": 0, "miner": "0xBda9", "open": false,
        "opened_block": 26, "settled": 0}]}], "chain_id": 4242})");
    QCOMPARE(sessions.size(), std::size_t{2});
    QVERIFY(sessions[0].open);
    QCOMPARE(sessions[0].id, QStringLiteral("0xdC56#0"));
    QCOMPARE(sessions[0].openedAt, 28);
    QCOMPARE(sessions[0].deposit, 1'000'000);
    QCOMPARE(sessions[0].paid, 30);
    QCOMPARE(sessions[0].until, 1796350116);
    QVERIFY(!sessions[1].open);
    QVERIFY(nesa::app::parseWalletSessions("[]").empty());

    const auto proposals = nesa::app::parseProposals(R"({"chain_id": 4242, "proposals": [
        {"abstain": 0, "against": 0, "block": 18, "description": "Nesa: set minStake to 2000000",
         "for": 999787500000, "id": "0x4326", "proposer": "0xF278", "state": "active",
         "vote_end": 1796432737, "vote_start": 1796346337},
        {"abstain": 0, "against": 5, "block": 9, "description": "Nesa: set slashBps to 500",
         "for": 0, "id": "0x1111", "proposer": "0xF278", "state": "defeated",
         "vote_end": 1, "vote_start": 0}]})");
    QCOMPARE(proposals.size(), std::size_t{2});
    QCOMPARE(proposals[0].id, QStringLiteral("0x4326"));
    QCOMPARE(proposals[0].change, QStringLiteral("Nesa: set minStake to 2000000"));
    QCOMPARE(proposals[0].yes, 999787'500000);
    QVERIFY(proposals[0].open);
    QVERIFY(!proposals[1].open);
    QCOMPARE(proposals[1].no, 5);
    QCOMPARE(proposals[1].state, QStringLiteral("defeated"));
    QVERIFY(nesa::app::parseProposals("no proposals").empty());
  }

  void negativeAmountsAreFormatted() {
    QCOMPARE(formatNesAmount(-1'500'000), QStringLiteral("-1.500000 NES"));
    QCOMPARE(formatNesAmount(-1), QStringLiteral("-0.000001 NES"));
  }
};

QTEST_MAIN(TestWalletPage)
#include "tst_wallet_page.moc"
