#include "wallet/governance.h"

#include "chain/keccak.h"
#include "wallet/account_reads.h"
#include "wallet/display_text.h"

namespace nesa::wallet {
namespace {

using chain::U256;
using V = chain::abi::Value;

/// OpenZeppelin Governor's ProposalState, by value.
constexpr const char *kStates[] = {"pending",   "active", "canceled", "defeated",
                                   "succeeded", "queued", "expired",  "executed"};

std::string stateName(std::uint64_t state) {
  return state < std::size(kStates) ? kStates[state] : "unknown";
}

std::uint64_t low(const V &value) {
  auto u = value.asUint();
  return u && u->fitsU64() ? u->low64() : UINT64_MAX;
}

/// The proposal's call list as queue() and execute() take it.
std::vector<V> operations(const Proposal &p) {
  return {V::list(p.targets), V::list(p.values), V::list(p.calldatas),
          V::bytes(chain::keccak256(std::string_view(p.description)))};
}

} // namespace

std::string proposalIdText(const U256 &id) { return chain::toHex(id.toWord()); }

Result<std::vector<Proposal>> readProposals(chain::ChainConnection &chain) {
  const auto &governor = chain.contracts().governor;
  auto topic = governor.eventTopic("ProposalCreated");
  auto types =
      chain::abi::parseTypeList("uint256,address,address[],uint256[],string[],bytes[],uint256,"
                                "uint256,string");
  if (!topic || !types)
    return topic ? types.error() : topic.error();
  auto logs = chain.events(governor.address(), {*topic});
  if (!logs)
    return logs.error();
  std::vector<Proposal> out;
  for (const auto &log : *logs) {
    auto fields = chain::abi::decode(*types, log.data);
    if (!fields)
      return fields.error().withContext("a ProposalCreated event");
    const auto &f = *fields;
    auto id = f[0].asUint();
    auto proposer = f[1].asAddress();
    auto targets = f[2].asList();
    auto values = f[3].asList();
    auto calldatas = f[5].asList();
    auto description = f[8].asBytes();
    if (!id || !proposer || !targets || !values || !calldatas || !description)
      return fail(ErrorCode::Corrupt, "the governor logged a malformed ProposalCreated event");
    out.push_back({*id, *proposer, std::move(*targets), std::move(*values), std::move(*calldatas),
                   low(f[6]), low(f[7]), log.blockNumber,
                   std::string(description->begin(), description->end())});
  }
  return out;
}

Result<std::vector<ProposalStatus>> readProposalStatuses(chain::ChainConnection &chain) {
  auto proposals = readProposals(chain);
  if (!proposals)
    return proposals.error();
  const auto &governor = chain.contracts().governor;
  std::vector<ProposalStatus> out;
  for (const auto &p : *proposals) {
    auto state = governor.call(chain.rpc(), "state", {V::uint(p.id)});
    auto votes = governor.call(chain.rpc(), "proposalVotes", {V::uint(p.id)});
    if (!state || !votes)
      return state ? votes.error() : state.error();
    out.push_back({proposalIdText(p.id), p.description, p.proposer, stateName(answerField(state)),
                   answerField(votes, 0), answerField(votes, 1), answerField(votes, 2), p.voteStart,
                   p.voteEnd, p.block});
  }
  return out;
}

Result<Proposal> findProposal(chain::ChainConnection &chain, const std::string &idText) {
  auto id = U256::parse(idText);
  if (!id)
    return fail(ErrorCode::InvalidInput,
                "'" + idText + "' is not a proposal id (nesa gov list shows them)");
  auto all = readProposals(chain);
  if (!all)
    return all.error();
  for (auto &proposal : *all)
    if (proposal.id == *id)
      return std::move(proposal);
  return fail(ErrorCode::NotFound, "no proposal " + idText + " on this network (nesa gov list)");
}

Result<Plan> planProposalStep(chain::ChainConnection &chain, const chain::Address &voter,
                              const std::string &idText, ProposalStep step, Support support) {
  const auto &c = chain.contracts();
  auto proposal = findProposal(chain, idText);
  if (!proposal)
    return proposal.error();
  auto state = c.governor.call(chain.rpc(), "state", {V::uint(proposal->id)});
  if (!state)
    return state.error();
  const std::uint64_t now = answerField(state);
  const std::uint64_t needed = step == ProposalStep::Vote ? 1 : step == ProposalStep::Queue ? 4 : 5;
  const std::string verb = step == ProposalStep::Vote    ? "vote"
                           : step == ProposalStep::Queue ? "queue"
                                                         : "execute";
  if (now != needed)
    // Pending: later it can (Unavailable); any other state never will.
    return fail(now == 0 ? ErrorCode::Unavailable : ErrorCode::InvalidInput,
                "the proposal is " + stateName(now) + "; " + verb + " needs it " + kStates[needed] +
                    (now == 0 ? " (its vote opens at " + formatUnixTime(proposal->voteStart) + ")"
                              : std::string()) +
                    "; nothing was sent");
  Plan plan;
  if (step != ProposalStep::Vote) {
    plan.title = verb + ": " + proposal->description;
    plan.calls = {{&c.governor, verb, operations(*proposal)}};
    return plan;
  }
  // Votes count as delegated when the proposal was made.
  auto weight =
      c.governor.call(chain.rpc(), "getVotes", {V::address(voter), V::uint(proposal->voteStart)});
  if (weight && answerField(weight) == 0)
    return fail(ErrorCode::InvalidInput,
                "this account had no votes when the vote opened (votes count once delegated: "
                "'nesa gov delegate' before the next proposal)");
  const char *how = support == Support::For       ? "yes"
                    : support == Support::Against ? "no"
                                                  : "abstain";
  plan.title = std::string("vote ") + how + " on: " + proposal->description;
  if (weight)
    plan.notes = {"weight        " + formatNes(answerField(weight))};
  plan.calls = {{&c.governor,
                 "castVote",
                 {V::uint(proposal->id), V::uint(static_cast<std::uint64_t>(support))}}};
  return plan;
}

} // namespace nesa::wallet
