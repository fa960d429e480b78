// The wallet page's view of the product: the wallet's first account, its balance and stake,
// what a transfer, stake or unstake would cost and making one, the account's history and payment
// sessions, and the network's governance proposals with voting. Amounts are in µNES (1 NES = 1 000
// 000 µNES). The app implements it with the real wallet and ledger (app/process_wallet_backend.h);
// tests with fakes.
#pragma once

#include <QString>

#include <cstdint>
#include <vector>

namespace nesa::ui {

/// What a wallet transaction does.
enum class WalletAction {
  Send,   ///< a transfer to another address
  Stake,  ///< locks NES as stake (a miner's, or a voter's weight)
  Unstake ///< starts the unbonding of stake: it returns to the balance after a delay
};

/// The account the page shows.
struct WalletSummary {
  QString address;            ///< "nes1…"; empty when there is no wallet
  std::int64_t balance = 0;   ///< µNES
  std::int64_t staked = 0;    ///< µNES
  std::int64_t unbonding = 0; ///< µNES on its way back to the balance
  QString error;              ///< why the summary is missing ("no wallet yet", "node unreachable")
};

/// What an action of `amount` would cost, as the ledger prices it now.
struct TransferQuote {
  std::int64_t amount = 0, fee = 0, total = 0, balance = 0; ///< µNES
  QString error; ///< a readable reason when no quote could be made
};

/// One transaction of the account, as the ledger recorded it.
struct WalletHistoryEntry {
  std::int64_t height = 0; ///< the block it is in
  QString kind;            ///< "transfer", "stake", "open session", "vote", …
  std::int64_t amount = 0; ///< µNES, negative when it left the account
  std::int64_t fee = 0;    ///< µNES the account paid for it
  QString counterparty;    ///< the other address of a transfer, else ""
};

/// The account's recent transactions, newest first.
struct WalletHistory {
  std::vector<WalletHistoryEntry> entries;
  QString error;
};

/// A payment session the account opened to pay a miner: a deposit locked until a block.
struct WalletSession {
  QString id;                ///< 64 hex characters (the OpenSession transaction's id)
  std::int64_t openedAt = 0; ///< block
  bool open = false;         ///< false once it closed (expired, the rest refunded)
  QString miner;             ///< the miner's address (open sessions)
  std::int64_t deposit = 0;  ///< µNES locked
  std::int64_t paid = 0;     ///< µNES of it settled to the miner so far
  std::int64_t until = 0;    ///< the block it expires at
};

/// The account's sessions, newest first.
struct WalletSessions {
  std::vector<WalletSession> sessions;
  QString error;
};

/// A proposal to change a network parameter, and its tally.
struct GovernanceProposal {
  QString id;           ///< 64 hex characters
  QString change;       ///< "base-fee = 2000"
  std::int64_t yes = 0; ///< µNES of stake that voted yes
  std::int64_t no = 0;  ///< µNES of stake that voted no
  bool open = false;    ///< still taking votes
  QString state;        ///< "open until block 55", "passed", "rejected"
};

/// The network's proposals.
struct Governance {
  std::vector<GovernanceProposal> proposals;
  QString error;
};

/// The product behind the wallet page; every call may block (run them off the GUI thread).
class WalletBackend {
public:
  virtual ~WalletBackend() = default;
  /// The first account and its balance; the wallet file needs the passphrase to be read.
  virtual WalletSummary summary(const QString &passphrase) = 0;
  /// What `action` of `amount` would cost (`to` only for Send).
  virtual TransferQuote quote(WalletAction action, const QString &to, std::int64_t amount,
                              const QString &passphrase) = 0;
  /// Signs and submits; returns the transaction id, or an error sentence prefixed "error: ".
  virtual QString submit(WalletAction action, const QString &to, std::int64_t amount,
                         const QString &passphrase) = 0;
  virtual WalletHistory history(const QString &passphrase) = 0;
  virtual WalletSessions sessions(const QString &passphrase) = 0;
  virtual Governance proposals() = 0;
  /// Votes with the account's stake; "" or why not.
  virtual QString vote(const QString &proposal, bool yes, const QString &passphrase) = 0;
};

/// "12.5" or "12,5" NES → µNES; -1 for anything else (negative, too many decimals, not a number).
std::int64_t parseNesAmount(const QString &text);
/// µNES → "12.500000 NES" (a minus sign when negative).
QString formatNesAmount(std::int64_t micro);

} // namespace nesa::ui
