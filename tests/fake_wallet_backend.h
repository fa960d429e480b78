// A fake WalletBackend for the UI tests: one account holding 5 NES with 1 NES staked; every
// action costs a network fee the account can pay unless the amount is exactly 3 NES;
// submissions are recorded and answered with a made-up transaction hash; two transfers in the
// history; an open session and a closed one; one active proposal and one decided.
#pragma once

#include "ui/wallet_backend.h"

#include <mutex>
#include <vector>

namespace nesa::testing {

class FakeWalletBackend : public ui::WalletBackend {
public:
  static constexpr std::int64_t kBalance = 5'000'000, kStaked = 1'000'000;
  static constexpr std::int64_t kUnpayableFee = 3'000'000; ///< an amount whose fee is too high

  /// A well-formed recipient.
  inline static const QString kFriend =
      QStringLiteral("0x00000000000000000000000000000000000f71e2");

  struct Submitted {
    ui::WalletAction action;
    QString to;
    std::int64_t amount;
    QString passphrase;
  };
  struct Vote {
    QString proposal;
    bool yes;
  };

  static bool opens(const QString &passphrase) { return passphrase == QLatin1String("right"); }

  ui::WalletSummary summary(const QString &passphrase) override {
    if (!opens(passphrase))
      return {{}, 0, 0, 0, QStringLiteral("wrong passphrase")};
    return {QStringLiteral("0xFakeAccount"), kBalance, kStaked, 0, {}};
  }
  ui::TransferQuote quote(ui::WalletAction action, const QString &, std::int64_t amount,
                          const QString &passphrase) override {
    if (!opens(passphrase))
      return {0, 0, {}, false, QStringLiteral("wrong passphrase")};
    const std::int64_t moved = action == ui::WalletAction::Unstake ? 0 : amount;
    return {moved,
            kBalance,
            QStringLiteral("about 0.000069 ETH, at most 0.000138 ETH"),
            amount != kUnpayableFee,
            {}};
  }
  QString submit(ui::WalletAction action, const QString &to, std::int64_t amount,
                 const QString &passphrase) override {
    const std::lock_guard lock(m_mutex);
    submitted.push_back({action, to, amount, passphrase});
    return QStringLiteral("0x00ff00ff");
  }
  ui::WalletHistory history(const QString &passphrase) override {
    if (!opens(passphrase))
      return {{}, QStringLiteral("wrong passphrase")};
    return {{{12, QStringLiteral("transfer"), -2'000'000, kFriend},
             {7, QStringLiteral("stake"), -1'000'000, QStringLiteral("0xRegistry")}},
            {}};
  }
  ui::WalletSessions sessions(const QString &passphrase) override {
    if (!opens(passphrase))
      return {{}, QStringLiteral("wrong passphrase")};
    return {{{QStringLiteral("0xMiner#0"), 20, true, QStringLiteral("0xMiner"), 1'000'000, 80,
              1'900'000'000},
             {QStringLiteral("0xOther#1"), 3, false, QStringLiteral("0xOther"), 0, 0, 0}},
            {}};
  }
  ui::Governance proposals() override {
    return {{{QStringLiteral("0x") + QString(64, QLatin1Char('a')),
              QStringLiteral("Nesa: set minStake to 200000000"), 3'000'000, 0, true,
              QStringLiteral("active")},
             {QStringLiteral("0x") + QString(64, QLatin1Char('b')),
              QStringLiteral("Nesa: set slashBps to 500"), 0, 9'000'000, false,
              QStringLiteral("defeated")}},
            {}};
  }
  QString vote(const QString &proposal, bool yes, const QString &) override {
    const std::lock_guard lock(m_mutex);
    votes.push_back({proposal, yes});
    return {};
  }

  std::vector<Submitted> submitted;
  std::vector<Vote> votes;

private:
  std::mutex m_mutex;
};

} // namespace nesa::testing
