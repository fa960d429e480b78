// The desktop app's WalletBackend: the `nesa wallet` and `nesa gov` commands in a child process,
// so the page uses exactly the wallet file, passphrase handling, ledger connection and fee
// rules of the CLI. The passphrase goes through $NESA_WALLET_PASSPHRASE of the child only.
#pragma once

#include "ui/wallet_backend.h"

namespace nesa::app {

/// Runs `nesa wallet balance|send|stake|unstake|history|sessions` and `nesa gov list|vote`
/// beside this program.
class ProcessWalletBackend : public ui::WalletBackend {
public:
  ui::WalletSummary summary(const QString &passphrase) override;
  ui::TransferQuote quote(ui::WalletAction action, const QString &to, std::int64_t amount,
                          const QString &passphrase) override;
  QString submit(ui::WalletAction action, const QString &to, std::int64_t amount,
                 const QString &passphrase) override;
  ui::WalletHistory history(const QString &passphrase) override;
  ui::WalletSessions sessions(const QString &passphrase) override;
  ui::Governance proposals() override;
  QString vote(const QString &proposal, bool yes, const QString &passphrase) override;
};

/// Reads what `nesa wallet balance` printed (its first account).
ui::WalletSummary parseWalletBalance(const QString &text);
/// Reads what `nesa wallet history` printed (one account).
std::vector<ui::WalletHistoryEntry> parseWalletHistory(const QString &text);
/// Reads what `nesa wallet sessions` printed (one account).
std::vector<ui::WalletSession> parseWalletSessions(const QString &text);
/// Reads what `nesa gov list` printed.
std::vector<ui::GovernanceProposal> parseProposals(const QString &text);

} // namespace nesa::app
