// The desktop app's WalletBackend: the wallet library in this process (wallet/account_reads.h,
// wallet/transaction_plan.h, wallet/governance.h) on the network the settings name — the same
// wallet file, chain connection, fee rules and transaction journal as `nesa wallet` and
// `nesa gov`, with no child process and nothing to parse.
#pragma once

#include "ui/wallet_backend.h"

#include <QString>

#include <map>
#include <mutex>

namespace nesa::app {

/// Acts for the wallet of the data folder the settings at `configPath` name (re-read on every
/// call, so a network joined in the settings is used at once). Always the wallet's first
/// account. Every call may block on the chain node; the page runs them off the GUI thread, and
/// sends (submit, vote) are serialized. A submit needs a quote of the same action first and
/// sends nothing when the network fee has risen above that quote's "at most".
class ChainWalletBackend : public ui::WalletBackend {
public:
  /// `configPath`: the settings file ("" for the default one).
  explicit ChainWalletBackend(QString configPath) : m_configPath(std::move(configPath)) {}

  ui::WalletSummary summary(const QString &passphrase) override;
  ui::TransferQuote quote(ui::WalletAction action, const QString &to, std::int64_t amount,
                          const QString &passphrase) override;
  QString submit(ui::WalletAction action, const QString &to, std::int64_t amount,
                 const QString &passphrase) override;
  ui::WalletHistory history(const QString &passphrase) override;
  ui::WalletSessions sessions(const QString &passphrase) override;
  ui::Governance proposals() override;
  QString vote(const QString &proposal, bool yes, const QString &passphrase) override;

private:
  QString m_configPath;
  /// One send at a time: the account's transactions share one nonce sequence and one journal.
  std::mutex m_sending;
  /// The "at most" network fee each quote showed (wei, decimal), by action, recipient and
  /// amount: a submit never commits to more than what was reviewed.
  std::mutex m_quotesMutex;
  std::map<QString, QString> m_quotedMaxFee;
};

} // namespace nesa::app
