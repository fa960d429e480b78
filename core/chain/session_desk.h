// A miner's side of PayForQuery on an EVM chain: it reads each client's session from the
// PaymentSessions contract, admits a job only when the session will still be settleable after
// serving it and its deposit covers what would be owed, accepts the client's cumulative receipts
// after checking them as the contract will, and settles the newest one.
#pragma once

#include "chain/contract.h"
#include "chain/signed_messages.h"

#include <map>

namespace nesa::chain {

/// One client's session as the contract holds it.
struct SessionState {
  U256 deposit;
  U256 settled;
  std::uint64_t jobs = 0;
  std::uint64_t expiresAt = 0;
  std::uint64_t epoch = 0;
  std::uint64_t settleWindow = 0; ///< seconds after expiry the miner may still settle
};

/// The session `client` has with `miner` on the PaymentSessions contract `sessions` (all zero
/// when there is none).
Result<SessionState> readSession(RpcClient &rpc, const Contract &sessions, const Address &client,
                                 const Address &miner);

/// The miner's desk for every client's session with it.
class SessionDesk {
public:
  /// `sessions`: the PaymentSessions contract; `miner`: this miner's address.
  SessionDesk(RpcClient &rpc, Contract sessions, const Address &miner, std::uint64_t chainId);

  /// The session `client` has with this miner, read from the chain.
  Result<SessionState> session(const Address &client);

  /// Whether to serve a job of `client` that may take up to `jobSeconds`, after which the client
  /// would owe `owedAfterJob` µNES in total. Refused (InvalidInput, with the reason) when there is
  /// no session, when it expires before the job could end, or when the deposit does not cover it.
  Result<void> admitJob(const Address &client, const U256 &owedAfterJob, std::uint64_t jobSeconds);
  /// The same checks against a session state and chain time the caller has just read.
  Result<void> admitJob(const Address &client, const SessionState &state, std::uint64_t now,
                        const U256 &owedAfterJob, std::uint64_t jobSeconds) const;

  /// Keeps `receipt` (signed by the client) as the newest when it is for this miner and the
  /// session's current epoch, signed by its client, for more µNES and no fewer jobs than the last
  /// one, and within the deposit; otherwise an InvalidInput error says which check failed.
  Result<void> acceptReceipt(const PaymentReceipt &receipt, const Signature &signature);
  /// The same against a session state the caller has just read for the receipt's client.
  Result<void> acceptReceipt(const PaymentReceipt &receipt, const Signature &signature,
                             const SessionState &state);

  /// Settles `client`'s newest accepted receipt unless the chain already has it (after a crash
  /// of either side, calling it again pays exactly what is missing). Returns µNES newly settled.
  Result<U256> settleNewest(Transactor &sender, const Address &client);

private:
  struct Newest {
    PaymentReceipt receipt;
    Signature signature;
  };
  RpcClient &m_rpc;
  Contract m_sessions;
  Address m_miner{};
  std::uint64_t m_chainId = 0;
  std::map<Address, Newest> m_newest;
};

} // namespace nesa::chain
