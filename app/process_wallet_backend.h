// The desktop app's WalletBackend: the `nesa wallet` commands in a child process, so the page
// uses exactly the wallet file, passphrase handling, ledger connection and fee rules of the CLI.
// The passphrase goes through $NESA_WALLET_PASSPHRASE of the child only.
#pragma once

#include "ui/wallet_backend.h"

namespace nesa::app {

/// Runs `nesa wallet balance|send` beside this program.
class ProcessWalletBackend : public ui::WalletBackend {
public:
  ui::WalletSummary summary(const QString &passphrase) override;
  ui::TransferQuote quote(const QString &to, std::int64_t amount,
                          const QString &passphrase) override;
  QString send(const QString &to, std::int64_t amount, const QString &passphrase) override;
};

} // namespace nesa::app
