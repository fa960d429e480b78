#include "cli/gov_command.h"

#include "chain/keccak.h"
#include "chain/nesa_contracts.h"
#include "cli/chain_wallet.h"
#include "cli/commands.h"
#include "cli/nes_amount.h"
#include "wallet/wallet.h"

#include <nlohmann/json.hpp>

namespace nesa::cli {
namespace {

namespace fs = std::filesystem;
using chain::U256;
using V = chain::abi::Value;
using nlohmann::json;

constexpr const char *kUsage =
    "usage: nesa gov list [--json]\n"
    "       nesa gov propose PARAMETER VALUE   (a Parameters.set proposal; checked first)\n"
    "       nesa gov vote PROPOSAL yes|no|abstain\n"
    "       nesa gov queue PROPOSAL | execute PROPOSAL   (a passed proposal, through the "
    "timelock)\n"
    "       nesa gov delegate [0xADDRESS]   (votes count only once delegated; default: oneself)\n"
    "       [--account N] [--quote] [--yes] [--json]\n"
    "       [--chain-rpc HOST:PORT --chain-id N --deployment FILE]\n"
    "PARAMETER: minStake, unbondingPeriod, settleWindow, protocolFeeBps, reportBond, slashBps,\n"
    "  reporterShareBps, jurorShareBps, jurorCount, commitPeriod, revealPeriod, reportsPerDay,\n"
    "  reputationUnit (each has bounds the contract enforces; docs/chain.md)\n";

/// OpenZeppelin Governor's ProposalState, by value.
constexpr const char *kStates[] = {"pending",   "active", "canceled", "defeated",
                                   "succeeded", "queued", "expired",  "executed"};

/// A proposal as its ProposalCreated event tells it.
struct Proposal {
  U256 id;
  chain::Address proposer{};
  std::vector<V> targets, values, calldatas;
  std::uint64_t voteStart = 0, voteEnd = 0, block = 0;
  std::string description;
};

std::uint64_t low(const V &value) {
  auto u = value.asUint();
  return u && u->fitsU64() ? u->low64() : UINT64_MAX;
}

std::string idText(const U256 &id) {
  const auto word = id.toWord();
  return chain::toHex(word);
}

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

Result<Proposal> findProposal(chain::ChainConnection &chain, const std::string &text) {
  auto id = U256::parse(text);
  if (!id)
    return fail(ErrorCode::InvalidInput,
                "'" + text + "' is not a proposal id (nesa gov list shows them)");
  auto all = readProposals(chain);
  if (!all)
    return all.error();
  for (auto &proposal : *all)
    if (proposal.id == *id)
      return std::move(proposal);
  return fail(ErrorCode::NotFound, "no proposal " + text + " on this network (nesa gov list)");
}

int list(Context &ctx, const Arguments &args) {
  auto chain = connectChain(ctx, args);
  if (!chain)
    return failWith(ctx, "gov", chain.error());
  auto proposals = readProposals(**chain);
  if (!proposals)
    return failWith(ctx, "gov", proposals.error());
  const auto &governor = (*chain)->contracts().governor;
  json out = json::array();
  for (const auto &p : *proposals) {
    auto state = governor.call((*chain)->rpc(), "state", {V::uint(p.id)});
    auto votes = governor.call((*chain)->rpc(), "proposalVotes", {V::uint(p.id)});
    if (!state || !votes)
      return failWith(ctx, "gov", state ? votes.error() : state.error());
    const std::uint64_t s = low((*state)[0]);
    out.push_back({{"id", idText(p.id)},
                   {"description", p.description},
                   {"proposer", chain::checksumAddress(p.proposer)},
                   {"state", s < std::size(kStates) ? kStates[s] : "unknown"},
                   {"against", low((*votes)[0])},
                   {"for", low((*votes)[1])},
                   {"abstain", low((*votes)[2])},
                   {"vote_start", p.voteStart},
                   {"vote_end", p.voteEnd},
                   {"block", p.block}});
  }
  if (args.has("json")) {
    ctx.out << json{{"chain_id", (*chain)->chainId()}, {"proposals", out}}.dump(2) << '\n';
    return kExitOk;
  }
  if (out.empty())
    ctx.out << "no proposals\n";
  for (const auto &p : out)
    ctx.out << p["id"].get<std::string>() << "\n  " << p["description"].get<std::string>() << "\n  "
            << p["state"].get<std::string>() << ", vote from " << formatUnixTime(p["vote_start"])
            << " to " << formatUnixTime(p["vote_end"]) << ": for " << formatNes(p["for"])
            << ", against " << formatNes(p["against"]) << ", abstain " << formatNes(p["abstain"])
            << '\n';
  return kExitOk;
}

/// The proposal's call list as queue() and execute() take it.
std::vector<V> operations(const Proposal &p) {
  return {V::list(p.targets), V::list(p.values), V::list(p.calldatas),
          V::bytes(chain::keccak256(std::string_view(p.description)))};
}

int act(Context &ctx, const Arguments &args, const fs::path &file) {
  const auto &p = args.positional;
  const std::string &verb = p[0];
  auto signer = openSigner(ctx, args, file);
  if (!signer)
    return failWith(ctx, "gov", signer.error());
  chain::ChainConnection &chain = *signer->chain;
  const auto &c = chain.contracts();
  const chain::Address me = signer->key->address();
  Plan plan;
  std::string description; // of a new proposal
  if (verb == "delegate") {
    chain::Address to = me;
    if (p.size() == 2) {
      auto parsed = chain::parseAddress(p[1]);
      if (!parsed)
        return failWith(ctx, "gov", parsed.error());
      to = *parsed;
    }
    plan.title = "delegate this account's votes to " + chain::checksumAddress(to);
    plan.calls = {{&c.token, "delegate", {V::address(to)}}};
  } else if (verb == "propose") {
    auto value = U256::parse(p[2]);
    if (!value)
      return failWith(ctx, "gov", fail(ErrorCode::InvalidInput, "the value must be a number"));
    const std::vector<V> set = {V::string(p[1]), V::uint(*value)};
    // Run as the timelock would run it: a value outside the contract's bounds is refused now,
    // not after a vote.
    if (auto dryRun = c.parameters.call(chain.rpc(), "set", set, c.timelock.address()); !dryRun) {
      const Error why = c.parameters.explain(dryRun.error());
      if (why.message.find("revert") == std::string::npos) // the node, not the contract
        return refuse(ctx, "gov", why);
      return failWith(ctx, "gov",
                      fail(ErrorCode::InvalidInput, "the Parameters contract refuses it: " +
                                                        why.message + "; nothing was proposed"));
    }
    auto call = c.parameters.encode("set", set);
    if (!call)
      return failWith(ctx, "gov", call.error());
    // The proposal id hashes the description: the time and the proposer make the same change
    // proposable again after an earlier proposal of it was defeated or executed.
    auto now = chain.rpc().latestTimestamp();
    if (!now)
      return refuse(ctx, "gov", now.error());
    description = "Nesa: set " + p[1] + " to " + value->toDecimal() + " (proposed by " +
                  chain::checksumAddress(me) + " at " + formatUnixTime(*now) + ")";
    plan.title = "propose: set " + p[1] + " to " + value->toDecimal();
    plan.calls = {{&c.governor,
                   "propose",
                   {V::list({V::address(c.parameters.address())}), V::list({V::uint(0)}),
                    V::list({V::bytes(*call)}), V::string(description)}}};
  } else {
    auto proposal = findProposal(chain, p[1]);
    if (!proposal)
      return failWith(ctx, "gov", proposal.error());
    auto state = c.governor.call(chain.rpc(), "state", {V::uint(proposal->id)});
    if (!state)
      return failWith(ctx, "gov", state.error());
    const std::uint64_t now = low((*state)[0]);
    const std::uint64_t needed = verb == "vote" ? 1 : verb == "queue" ? 4 : 5;
    if (now != needed)
      return failWith(
          ctx, "gov",
          // Pending: later it can (exit 3); any other state never will (exit 2).
          fail(now == 0 ? ErrorCode::Unavailable : ErrorCode::InvalidInput,
               std::string("the proposal is ") + (now < std::size(kStates) ? kStates[now] : "?") +
                   "; " + verb + " needs it " + kStates[needed] +
                   (now == 0 ? " (its vote opens at " + formatUnixTime(proposal->voteStart) + ")"
                             : std::string()) +
                   "; nothing was sent"));
    if (verb == "vote") {
      const int support = p[2] == "yes" ? 1 : p[2] == "no" ? 0 : 2;
      // Votes count as delegated when the proposal was made.
      auto weight =
          c.governor.call(chain.rpc(), "getVotes", {V::address(me), V::uint(proposal->voteStart)});
      if (weight && low((*weight)[0]) == 0)
        return failWith(ctx, "gov",
                        fail(ErrorCode::InvalidInput,
                             "this account had no votes when the vote opened (votes count once "
                             "delegated: 'nesa gov delegate' before the next proposal)"));
      plan.title = "vote " + p[2] + " on: " + proposal->description;
      if (weight)
        plan.notes = {"weight        " + formatNes(low((*weight)[0]))};
      plan.calls = {{&c.governor, "castVote", {V::uint(proposal->id), V::uint(support)}}};
    } else {
      plan.title = verb + ": " + proposal->description;
      plan.calls = {{&c.governor, verb, operations(*proposal)}};
    }
  }
  const int code = carryOut(ctx, "gov", args, *signer, plan);
  if (code == kExitOk && verb == "propose" && !args.has("quote") && !args.has("json")) {
    const auto &arguments = plan.calls[0].arguments;
    auto id = c.governor.call(
        chain.rpc(), "hashProposal",
        {arguments[0], arguments[1], arguments[2], V::bytes(chain::keccak256(description))});
    if (id)
      if (auto value = (*id)[0].asUint())
        ctx.out << "proposal " << idText(*value) << '\n';
  }
  return code;
}

} // namespace

int govCommand(Context &ctx) {
  const auto [words, file, help] = walletWords(ctx);
  if (help) {
    ctx.out << kUsage << formatOptions(chainWalletOptions());
    return kExitOk;
  }
  auto args = parseWords("gov", words, chainWalletOptions());
  if (!args)
    return failWith(ctx, "gov", args.error());
  const auto &p = args->positional;
  const std::string verb = p.empty() ? "" : p[0];
  if (verb == "list" && p.size() == 1)
    return list(ctx, *args);
  if ((verb == "propose" && p.size() == 3) || (verb == "delegate" && p.size() <= 2) ||
      ((verb == "queue" || verb == "execute") && p.size() == 2) ||
      (verb == "vote" && p.size() == 3 && (p[2] == "yes" || p[2] == "no" || p[2] == "abstain")))
    return act(ctx, *args, file);
  ctx.err << kUsage << formatOptions(chainWalletOptions());
  return kExitUsage;
}

} // namespace nesa::cli
