// The desktop app's WalletBackend: the `nesa wallet` and `nesa gov` commands in a child process,
// read through their --json answers, so the page uses exactly the wallet file, passphrase
// handling, chain connection and fee rules of the CLI. The passphrase goes to the child as the
// first line of its stdin (sibling_command.h), never in an environment.
#pragma once

#include "ui/wallet_backend.h"

#include <QByteArray>

namespace nesa::app {

/// Runs `nesa wallet balance|send|stake|unstake|history|sessions --json` and
/// `nesa gov list|vote --json` beside this program.
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

/// Reads `nesa wallet balance --json` (its first account).
ui::WalletSummary parseWalletBalance(const QByteArray &json);
/// Reads `nesa wallet send|stake|unstake --quote --json`.
ui::TransferQuote parseTransferQuote(const QByteArray &json);
/// Reads `nesa wallet history --json` (its first account).
std::vector<ui::WalletHistoryEntry> parseWalletHistory(const QByteArray &json);
/// Reads `nesa wallet sessions --json` (its first account).
std::vector<ui::WalletSession> parseWalletSessions(const QByteArray &json);
/// Reads `nesa gov list --json`.
std::vector<ui::GovernanceProposal> parseProposals(const QByteArray &json);

} // namespace nesa::app
