// The ledger's requests and answers as bytes, so a node can serve its Ledger and a client can
// use it remotely (node::RemoteLedger). Canonical little-endian, like transactions and blocks.
#pragma once

#include "ledger/ledger.h"

#include <span>

namespace nesa::ledger {

using Bytes = std::vector<std::uint8_t>;

/// What a request asks.
enum class LedgerOp : std::uint8_t {
  Submit = 1,
  Account,
  Status,
  Session,
  Proposals,
  Miners,
  History,
  Inclusion,
};

Bytes requestSubmit(const Transaction &tx);
Bytes requestAccount(const KeyHash &id);
Bytes requestStatus();
Bytes requestSession(const Hash &id);
Bytes requestProposals();
Bytes requestMiners();
Bytes requestHistory(const KeyHash &id, std::uint32_t limit);
Bytes requestInclusion(const Hash &id);

/// A genesis as bytes (chain id, allocations, arbiter, parameters), for the file a node keeps
/// beside its chain so that every restart replays from the same genesis.
Bytes encodeGenesis(const Genesis &genesis);
/// Corrupt when the bytes are not encodeGenesis's.
Result<Genesis> decodeGenesis(std::span<const std::uint8_t> bytes);

/// The most history records one answer carries (a remote history() of more is cut to this).
inline constexpr std::uint32_t kMaxHistoryAnswer = 1000;

/// Runs one request against `ledger` (on the node) and encodes the answer.
Result<Bytes> answerRequest(Ledger &ledger, std::span<const std::uint8_t> request);

// Decoders of the answers (on the client); malformed bytes are InvalidInput.
Result<Hash> decodeHashAnswer(std::span<const std::uint8_t> answer);
Result<AccountView> decodeAccountAnswer(std::span<const std::uint8_t> answer);
Result<LedgerStatus> decodeStatusAnswer(std::span<const std::uint8_t> answer);
Result<std::optional<SessionRecord>> decodeSessionAnswer(std::span<const std::uint8_t> answer);
Result<std::vector<ProposalView>> decodeProposalsAnswer(std::span<const std::uint8_t> answer);
Result<std::vector<LedgerMiner>> decodeMinersAnswer(std::span<const std::uint8_t> answer);
Result<std::vector<TxRecord>> decodeHistoryAnswer(std::span<const std::uint8_t> answer);
Result<std::uint64_t> decodeHeightAnswer(std::span<const std::uint8_t> answer);

} // namespace nesa::ledger
