// Signed $NES transactions: their canonical bytes, signature, id and fee.
#pragma once

#include "util/result.h"
#include "util/secure_buffer.h"

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace nesa::ledger {

/// Amounts are in micro-NES: 1 NES = 1 000 000 units.
using Amount = std::uint64_t;
/// An Ed25519 public key.
using PublicKey = std::array<std::uint8_t, 32>;
/// An account id: the 20-byte BLAKE2b hash of its public key (what a `nes1...` address encodes).
using KeyHash = std::array<std::uint8_t, 20>;
/// A 32-byte BLAKE2b hash (transaction ids, block hashes, state hashes).
using Hash = std::array<std::uint8_t, 32>;

/// The account id of `key`.
KeyHash keyHashOf(const PublicKey &key);

/// What a transaction does. The values are part of the signed bytes.
enum class TxKind : std::uint8_t {
  Transfer = 1,       ///< move `amount` to `to`
  Stake = 2,          ///< lock `amount` of the sender's balance as stake
  Unstake = 3,        ///< start unbonding `amount` of stake; it returns after the unbonding period
  RegisterMiner = 4,  ///< payload MinerOffer: announce an endpoint and prices (needs stake)
  OpenSession = 5,    ///< lock `amount` for queries to miner `to`; payload SessionTerms
  Settle = 6,         ///< (miner) payload Receipt: collect what the client's latest receipt owes
  CloseSession = 7,   ///< (client) payload: the session id; after expiry, refunds the rest
  Propose = 8,        ///< payload ParamChange: propose a new parameter value (needs stake)
  Vote = 9,           ///< payload Ballot: vote on a proposal, weighted by stake
  ReportTimeout = 11, ///< (the arbiter) payload: a miner's key; it missed a deadline
  Slash = 10,         ///< (the arbiter) payload SlashEvidence: a miner signed a wrong result
};

/// The largest payload a transaction may carry.
inline constexpr std::size_t kMaxPayload = 512;

/// One transaction. The sender pays `fee + tip` on top of any amount it moves.
struct Transaction {
  std::string chainId;
  TxKind kind = TxKind::Transfer;
  PublicKey sender{};
  std::uint64_t nonce = 0; ///< must equal the sender's count of applied transactions
  Amount fee = 0;          ///< at least base + perByte × size (see Params)
  Amount tip = 0;          ///< optional extra that buys priority
  KeyHash to{};            ///< Transfer only
  Amount amount = 0;
  std::vector<std::uint8_t> payload; ///< kind-specific data (ledger/payloads.h)
  std::array<std::uint8_t, 64> signature{};

  /// The canonical bytes that are signed (everything but the signature).
  std::vector<std::uint8_t> signingBytes() const;
  /// The canonical bytes with the signature: what blocks store and what fees are charged on.
  std::vector<std::uint8_t> serialize() const;
  /// Parses serialize()'s form; Corrupt for anything malformed.
  static Result<Transaction> parse(std::span<const std::uint8_t> bytes);
  /// BLAKE2b-256 of serialize().
  Hash id() const;
  /// True when the signature is the sender's over signingBytes().
  bool signatureValid() const;
  /// Signs with a libsodium Ed25519 secret key (64 bytes, in locked memory).
  void signWith(const SecureBuffer &secretKey);
};

/// Lower-case hex of a byte array.
std::string hex(std::span<const std::uint8_t> bytes);

} // namespace nesa::ledger
