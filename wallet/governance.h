// The network's governance as the wallet sees it: the proposals the Governor contract logged,
// their state and tally, and the plans that vote on, queue and execute them (checked against the
// proposal's state first, so nothing is sent that the contract would refuse).
#pragma once

#include "wallet/transaction_plan.h"

#include <string>
#include <vector>

namespace nesa::wallet {

/// A proposal as its ProposalCreated event tells it.
struct Proposal {
  chain::U256 id;
  chain::Address proposer{};
  std::vector<chain::abi::Value> targets, values, calldatas;
  std::uint64_t voteStart = 0, voteEnd = 0, block = 0;
  std::string description;
};

/// A proposal with its state and tally now. Votes in µNES of delegated weight.
struct ProposalStatus {
  std::string id; ///< "0x" and 64 hex digits
  std::string description;
  chain::Address proposer{};
  std::string state; ///< OpenZeppelin's: "pending", "active", "defeated", "succeeded", …
  std::uint64_t against = 0, inFavour = 0, abstain = 0;
  std::uint64_t voteStart = 0, voteEnd = 0; ///< Unix time
  std::uint64_t block = 0;                  ///< where it was proposed
};

/// A proposal id as the CLI and the app show it: "0x" and 64 hex digits.
std::string proposalIdText(const chain::U256 &id);

/// Every proposal of the network, oldest first.
Result<std::vector<Proposal>> readProposals(chain::ChainConnection &chain);
/// Every proposal with its state and tally.
Result<std::vector<ProposalStatus>> readProposalStatuses(chain::ChainConnection &chain);
/// The proposal `idText` names; InvalidInput for a malformed id, NotFound for an unknown one.
Result<Proposal> findProposal(chain::ChainConnection &chain, const std::string &idText);

/// What a proposal step is.
enum class ProposalStep { Vote, Queue, Execute };
/// How a vote goes.
enum class Support { Against = 0, For = 1, Abstain = 2 };

/// The plan that takes `step` on proposal `idText` from `voter`'s account (`support` for a
/// vote). Refused, with nothing sent, when the proposal is not in the state the step needs
/// (Unavailable while pending: the vote opens later; InvalidInput otherwise) or, for a vote, when
/// the account had no votes delegated when the vote opened.
Result<Plan> planProposalStep(chain::ChainConnection &chain, const chain::Address &voter,
                              const std::string &idText, ProposalStep step,
                              Support support = Support::For);

} // namespace nesa::wallet
