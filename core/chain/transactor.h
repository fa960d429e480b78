// Sends transactions from one account and sees them mined. Each signed transaction is written to
// a journal file before it is broadcast, and dropped only once the chain has finalized its nonce
// (the "finalized" block tag), so after a crash of this program or of the chain node (even one that
// lost blocks it had mined) the same bytes are sent again: nothing is lost, nothing runs twice (a
// nonce executes once), and nonces never skip.
#pragma once

#include "chain/rpc_client.h"
#include "chain/transaction.h"

#include <filesystem>

namespace nesa::chain {

/// A transaction that was mined.
struct Sent {
  Hash32 hash{};
  Receipt receipt;
};

/// One account's sender.
class Transactor {
public:
  /// `journal`: the file that keeps signed, unmined transactions (empty: memory only).
  Transactor(RpcClient &rpc, const AccountKey &key, std::uint64_t chainId,
             std::filesystem::path journal = {});

  /// Re-sends every journaled transaction the node does not know and forgets the mined ones;
  /// call it after a restart (send() does it too). Returns how many were re-sent.
  Result<int> recover();

  /// Signs and sends a call (or a deployment when `to` is none), waits for its receipt, and
  /// fails with the node's reason when it would revert (estimated first) or did revert. When no
  /// receipt comes in time the error says so: the transaction is journaled and will still be
  /// mined; sending the same call again would run it twice.
  Result<Sent> send(const std::optional<Address> &to, std::span<const std::uint8_t> data,
                    const U256 &value = 0);

  const Address &address() const { return m_key.address(); }
  RpcClient &rpc() { return m_rpc; }
  /// How long send() waits for a receipt.
  void setReceiptTimeout(std::chrono::milliseconds timeout) { m_receiptTimeout = timeout; }
  /// The most wei the following sends may commit to in network fees, all together (gas limit ×
  /// maximum fee per gas of each): what a user confirmed. A send that would go over it — gas
  /// prices rose since the quote — is refused before signing. None: no limit.
  void setFeeBudget(std::optional<U256> wei) { m_feeBudget = std::move(wei); }
  /// What is left of the fee budget (none: no limit).
  const std::optional<U256> &feeBudget() const { return m_feeBudget; }

private:
  struct Pending {
    std::uint64_t nonce = 0;
    Hash32 hash{};
    Bytes raw;
  };
  Result<void> loadJournal();
  /// Sets the fees of `tx` from what the node asks now.
  Result<void> fillFees(Eip1559Transaction &tx);
  /// Signs `pending`'s call again at its nonce with today's fees (at least twice the old ones),
  /// journals the replacement and sends it.
  Result<void> resign(Pending &pending);
  /// The account's transaction count at `blockTag` ("latest", "finalized").
  Result<std::uint64_t> transactionCount(const char *blockTag);
  Result<void> saveJournal() const;

  RpcClient &m_rpc;
  const AccountKey &m_key;
  std::uint64_t m_chainId;
  std::filesystem::path m_journal;
  std::vector<Pending> m_pending;
  bool m_loaded = false;
  std::chrono::milliseconds m_receiptTimeout{30'000};
  std::optional<U256> m_feeBudget;
};

} // namespace nesa::chain
