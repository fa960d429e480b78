// A fake WalletBackend for the UI tests: one account holding 5 NES; a transfer costs a fee of
// 0.0015 NES; sends are recorded and answered with a made-up transaction id.
#pragma once

#include "ui/wallet_backend.h"

#include <mutex>
#include <vector>

namespace nesa::testing {

class FakeWalletBackend : public ui::WalletBackend {
public:
  static constexpr std::int64_t kBalance = 5'000'000, kFee = 1'500;

  struct Sent {
    QString to;
    std::int64_t amount;
    QString passphrase;
  };

  ui::WalletSummary summary(const QString &passphrase) override {
    if (passphrase != QLatin1String("right"))
      return {{}, 0, QStringLiteral("wrong passphrase")};
    return {QStringLiteral("nes1fakeaccount"), kBalance, {}};
  }
  ui::TransferQuote quote(const QString &, std::int64_t amount,
                          const QString &passphrase) override {
    if (passphrase != QLatin1String("right"))
      return {0, 0, 0, 0, QStringLiteral("wrong passphrase")};
    return {amount, kFee, amount + kFee, kBalance, {}};
  }
  QString send(const QString &to, std::int64_t amount, const QString &passphrase) override {
    const std::lock_guard lock(m_mutex);
    sent.push_back({to, amount, passphrase});
    return QStringLiteral("00ff00ff");
  }

  std::vector<Sent> sent;

private:
  std::mutex m_mutex;
};

} // namespace nesa::testing
