// What an account holds and did on a Nesa network, read from its contracts: balance and stake,
// $NES transfers, payment sessions. Typed answers for every front end (the CLI prints them, the
// desktop's wallet page shows them); nothing here signs or needs the wallet unlocked.
#pragma once

#include "chain/abi.h"
#include "chain/chain_access.h"

#include <cstdint>
#include <vector>

namespace nesa::wallet {

/// Field `field` of a contract call's answer as a count: 0 when the call failed or the field is
/// absent, UINT64_MAX when it does not fit.
std::uint64_t answerField(const Result<std::vector<chain::abi::Value>> &answer,
                          std::size_t field = 0);

/// An account's money on the network. Amounts in µNES.
struct AccountBalance {
  chain::Address address{};
  std::uint64_t balance = 0;          ///< $NES it can spend
  std::uint64_t staked = 0;           ///< locked as a miner's stake
  std::uint64_t unbonding = 0;        ///< unstaked, still slashable until `unbondingRelease`
  std::uint64_t unbondingRelease = 0; ///< when the unbonding part can be withdrawn (Unix time)
  std::uint64_t votes = 0;            ///< delegated voting weight
  chain::U256 gasWei;                 ///< the chain's own currency, for network fees
};

/// Reads `account`'s balance, stake, unbonding stake, votes and gas money.
Result<AccountBalance> readBalance(chain::ChainConnection &chain, const chain::Address &account);

/// One $NES transfer of an account (an ERC-20 Transfer event).
struct TokenTransfer {
  std::uint64_t block = 0;
  std::string kind;        ///< "transfer", "stake", "stake withdrawn", "session deposit", …
  std::int64_t amount = 0; ///< µNES, negative when it left the account
  chain::Address counterparty{};
  chain::Hash32 transaction{};
};

/// `account`'s newest `limit` $NES transfers, newest first.
Result<std::vector<TokenTransfer>> readTransfers(chain::ChainConnection &chain,
                                                 const chain::Address &account, std::size_t limit);

/// A payment session `account` opened with one miner, as the session contract holds it now.
struct PaymentSession {
  chain::Address miner{};
  std::uint64_t openedBlock = 0; ///< the newest opening or top-up
  std::uint64_t epoch = 0;       ///< counts the session's reopenings
  std::uint64_t deposit = 0;     ///< µNES locked (0 once closed and refunded)
  std::uint64_t settled = 0;     ///< µNES of it paid to the miner so far
  std::uint64_t jobs = 0;        ///< jobs settled
  std::uint64_t expiresAt = 0;   ///< Unix time
  bool open = false;             ///< holds a deposit and has not expired
};

/// `account`'s payment sessions, newest opening first.
Result<std::vector<PaymentSession>> readSessions(chain::ChainConnection &chain,
                                                 const chain::Address &account);

} // namespace nesa::wallet
