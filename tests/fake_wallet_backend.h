// A fake WalletBackend for the UI tests: one account holding 5 NES with 1 NES staked; every
// action costs a fee of 0.0015 NES; submissions are recorded and answered with a made-up
// transaction id; two transactions in the history; an open session and a closed one; one open
// proposal and one decided.
#pragma once

#include "ui/wallet_backend.h"

#include <mutex>
#include <vector>

namespace nesa::testing {

class FakeWalletBackend : public ui::WalletBackend {
public:
  static constexpr std::int64_t kBalance = 5'000'000, kStaked = 1'000'000, kFee = 1'500;

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
    return {QStringLiteral("nes1fakeaccount"), kBalance, kStaked, 0, {}};
  }
  ui::TransferQuote quote(ui::WalletAction action, const QString &, std::int64_t amount,
                          const QString &passphrase) override {
    if (!opens(passphrase))
      return {0, 0, 0, 0, QStringLiteral("wrong passphrase")};
    const std::int64_t moved = action == ui::WalletAction::Unstake ? 0 : amount;
    return {amount, kFee, moved + kFee, kBalance, {}};
  }
  QString submit(ui::WalletAction action, const QString &to, std::int64_t amount,
                 const QString &passphrase) override {
    const std::lock_guard lock(m_mutex);
    submitted.push_back({action, to, amount, passphrase});
    return QStringLiteral("00ff00ff");
  }
  ui::WalletHistory history(const QString &passphrase) override {
    if (!opens(passphrase))
      return {{}, QStringLiteral("wrong passphrase")};
    return {{{12, QStringLiteral("transfer"), -2'000'000, 1'500, QStringLiteral("nes1friend")},
             {7, QStringLiteral("stake"), -1'000'000, 1'400, {}}},
            {}};
  }
  ui::WalletSessions sessions(const QString &passphrase) override {
    if (!opens(passphrase))
      return {{}, QStringLiteral("wrong passphrase")};
    return {
        {{QString(64, QLatin1Char('e')), 20, true, QStringLiteral("nes1miner"), 1'000'000, 80, 620},
         {QString(64, QLatin1Char('f')), 3, false, {}, 0, 0, 0}},
        {}};
  }
  ui::Governance proposals() override {
    return {{{QString(64, QLatin1Char('a')), QStringLiteral("base-fee = 2000"), 3'000'000, 0, true,
              QStringLiteral("open until block 40")},
             {QString(64, QLatin1Char('b')), QStringLiteral("min-stake = 5"), 0, 9'000'000, false,
              QStringLiteral("rejected")}},
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
