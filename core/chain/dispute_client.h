// Disputes on the Disputes contract as the off-chain parties see them: reading a dispute, a
// reporter filing a wrong answer or a missed deadline with the call's other miners (kept off the
// jury) and drawing the committee, and the commitment a juror's vote is hidden behind.
#pragma once

#include "chain/nesa_contracts.h"

#include <vector>

namespace nesa::chain {

/// The kinds of report (the contract's Disputes.Kind).
inline constexpr int kWrongAnswer = 0;
inline constexpr int kTimeout = 1;

/// A dispute as the contract holds it.
struct DisputeState {
  Address reporter{};
  Address accused{};
  int kind = kWrongAnswer; ///< kWrongAnswer or kTimeout
  Hash32 job{};
  Hash32 result{};
  U256 bond;
  std::uint64_t commitEnd = 0; ///< zero until the committee is drawn
  std::uint64_t revealEnd = 0;
  bool finalized = false;
  bool guilty = false;
  std::vector<Address> jurors;
};

/// Dispute `id` on `disputes`.
Result<DisputeState> readDispute(RpcClient &rpc, const Contract &disputes, std::uint64_t id);

/// A miner's signed answer in a call: who, the job's and the result's digests, and its r ‖ s ‖ v
/// signature over answerDigest(call, job, result).
struct SignedAnswer {
  Address miner{};
  Hash32 job{};
  Hash32 result{};
  Bytes signature;
};

/// Files a wrong-answer report against `accused` in call `call` (approving the bond first), with
/// `callMiners` — every other miner that answered in the same call — kept off the jury. Returns
/// the dispute's id.
Result<std::uint64_t> fileWrongAnswer(Transactor &reporter, const NesaContracts &contracts,
                                      const Hash32 &call, const SignedAnswer &accused,
                                      const std::vector<SignedAnswer> &callMiners);

/// Files a report that `accused` took the share job whose digest is `job` in call `call` and
/// did not answer it, with `callMiners` — every miner that answered in the same call — kept off
/// the jury. Returns the dispute's id.
Result<std::uint64_t> fileTimeout(Transactor &reporter, const NesaContracts &contracts,
                                  const Hash32 &call, const Address &accused, const Hash32 &job,
                                  const std::vector<SignedAnswer> &callMiners);

/// Draws dispute `id`'s committee once the block after the report exists (mining empty blocks
/// when `mineBlocks`, as only a local devnet allows), then returns the dispute.
Result<DisputeState> drawCommittee(Transactor &sender, const NesaContracts &contracts,
                                   std::uint64_t id, bool mineBlocks,
                                   std::chrono::milliseconds timeout);

/// What a juror commits: keccak256(abi.encode(id, juror, guilty, salt)).
Hash32 voteCommitment(std::uint64_t id, const Address &juror, bool guilty, const Hash32 &salt);

} // namespace nesa::chain
