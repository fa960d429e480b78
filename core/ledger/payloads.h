// The kind-specific payloads of ledger transactions, and query receipts.
#pragma once

#include "ledger/transaction.h"

#include <optional>

namespace nesa::ledger {

/// RegisterMiner: where the miner listens and what it charges.
struct MinerOffer {
  std::string endpoint;    ///< host:port, at most 200 bytes
  Amount pricePerByte = 0; ///< per byte of share payload
  Amount pricePerQuery = 0;
  std::vector<std::uint8_t> encode() const;
  static std::optional<MinerOffer> decode(std::span<const std::uint8_t> bytes);
};

/// OpenSession: how long the deposit stays locked.
struct SessionTerms {
  std::uint64_t durationBlocks = 0;
  std::vector<std::uint8_t> encode() const;
  static std::optional<SessionTerms> decode(std::span<const std::uint8_t> bytes);
};

/// A client's signed promise: "in session S I owe the miner `cumulative` in total".
struct Receipt {
  Hash session{};
  Amount cumulative = 0;
  std::array<std::uint8_t, 64> clientSignature{};

  /// The bytes the client signs (domain-separated, chain-bound).
  static std::vector<std::uint8_t> signedBytes(const std::string &chainId, const Hash &session,
                                               Amount cumulative);
  /// A receipt signed with the client's Ed25519 secret key.
  static Receipt sign(const std::string &chainId, const Hash &session, Amount cumulative,
                      const SecureBuffer &clientSecret);
  std::vector<std::uint8_t> encode() const;
  static std::optional<Receipt> decode(std::span<const std::uint8_t> bytes);
};

/// The parameters governance can change.
enum class ParamId : std::uint8_t {
  BaseFee = 1,
  FeePerByte = 2,
  UnbondingBlocks = 3,
  MinStake = 4
};

/// Propose: set parameter `param` to `value`.
struct ParamChange {
  ParamId param = ParamId::BaseFee;
  std::uint64_t value = 0;
  std::vector<std::uint8_t> encode() const;
  static std::optional<ParamChange> decode(std::span<const std::uint8_t> bytes);
};

/// Vote: for or against proposal `proposal`.
struct Ballot {
  Hash proposal{};
  bool yes = false;
  std::vector<std::uint8_t> encode() const;
  static std::optional<Ballot> decode(std::span<const std::uint8_t> bytes);
};

/// Slash: proof that `minerKey` signed `resultDigest` as its answer to the share job
/// `jobDigest`, found wrong by the arbiter's recomputation. Half the slashed stake goes to
/// `reporter`, half is burnt.
struct SlashEvidence {
  PublicKey minerKey{};
  Hash jobDigest{};
  Hash resultDigest{};
  std::array<std::uint8_t, 64> minerSignature{};
  KeyHash reporter{};

  /// What a miner signs for every answer (domain-separated).
  static std::vector<std::uint8_t> signedBytes(const Hash &jobDigest, const Hash &resultDigest);
  /// The id under which the evidence can be used once: BLAKE2b(jobDigest ‖ resultDigest).
  Hash id() const;
  std::vector<std::uint8_t> encode() const;
  static std::optional<SlashEvidence> decode(std::span<const std::uint8_t> bytes);
};

/// CloseSession's payload is the session id alone.
std::vector<std::uint8_t> encodeSessionId(const Hash &session);
std::optional<Hash> decodeSessionId(std::span<const std::uint8_t> bytes);

} // namespace nesa::ledger
