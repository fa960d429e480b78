// The wallet page's view of the product: the wallet's first account, its balance and stake,
// what a transfer, stake or unstake would cost and making one, the account's history and payment
// sessions, and the network's governance proposals with voting. Amounts are in µNES (1 NES = 1 000
// 000 µNES). The app implements it with the wallet library in-process on the Nesa contracts of
// the EVM network (app/desktop/chain_wallet_backend.h); tests with fakes.
#pragma once

#include <QString>

#include <cstdint>
#include <vector>

namespace nesa::ui {

/// What a wallet transaction does.
enum class WalletAction {
  Send,   ///< a transfer to another address
  Stake,  ///< locks NES as a miner's stake on the registry contract
  Unstake ///< starts the unbonding of stake: it stays slashable, then can be withdrawn
};

/// The account the page shows.
struct WalletSummary {
  QString address;            ///< "0x…" (EIP-55); empty when there is no wallet
  std::int64_t balance = 0;   ///< µNES
  std::int64_t staked = 0;    ///< µNES
  std::int64_t unbonding = 0; ///< µNES on its way back to the balance
  QString error;              ///< why the summary is missing ("no wallet yet", "node unreachable")
};

/// What an action of `amount` would cost, as the chain prices it now. The network fee is gas,
/// paid in the chain's own currency (ETH), not in NES.
struct TransferQuote {
  std::int64_t amount = 0;  ///< µNES leaving the balance (0 for unstake)
  std::int64_t balance = 0; ///< µNES the account holds
  QString networkFee;       ///< "about 0.000069 ETH, at most 0.000138 ETH"
  bool feeCovered = false;  ///< the account holds enough gas money for the fee at most
  QString error;            ///< a readable reason when no quote could be made
};

/// One $NES transfer of the account, as the token contract logged it.
struct WalletHistoryEntry {
  std::int64_t height = 0; ///< the block it is in
  QString kind;            ///< "transfer", "stake", "session deposit", "session payment", …
  std::int64_t amount = 0; ///< µNES, negative when it left the account
  QString counterparty;    ///< the other address (a contract for stake and sessions)
};

/// The account's recent transactions, newest first.
struct WalletHistory {
  std::vector<WalletHistoryEntry> entries;
  QString error;
};

/// A payment session the account opened to pay a miner (one per miner on the session
/// contract): a deposit locked until a time.
struct WalletSession {
  QString id;                ///< the miner's address and the session's epoch ("0x…#0")
  std::int64_t openedAt = 0; ///< block of its newest opening or top-up
  bool open = false;         ///< false once it expired or closed
  QString miner;             ///< the miner's address
  std::int64_t deposit = 0;  ///< µNES locked (0 once closed and refunded)
  std::int64_t paid = 0;     ///< µNES of it settled to the miner so far
  std::int64_t until = 0;    ///< when it expires (Unix time)
};

/// The account's sessions, newest first.
struct WalletSessions {
  std::vector<WalletSession> sessions;
  QString error;
};

/// A proposal to change a network parameter (OpenZeppelin Governor), and its tally.
struct GovernanceProposal {
  QString id;           ///< "0x" and 64 hex characters
  QString change;       ///< its description, "Nesa: set minStake to 200000000"
  std::int64_t yes = 0; ///< µNES of delegated votes for it
  std::int64_t no = 0;  ///< µNES of delegated votes against it
  bool open = false;    ///< taking votes now
  QString state;        ///< "pending", "active", "defeated", "succeeded", "queued", "executed", …
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
  /// Votes with the account's delegated NES; "" or why not.
  virtual QString vote(const QString &proposal, bool yes, const QString &passphrase) = 0;
};

/// "12.5" or "12,5" NES → µNES; -1 for anything else (negative, too many decimals, not a number).
std::int64_t parseNesAmount(const QString &text);
/// µNES → "12.500000 NES" (a minus sign when negative).
QString formatNesAmount(std::int64_t micro);

} // namespace nesa::ui
