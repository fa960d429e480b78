#include "cli/gov_command.h"

#include "chain/keccak.h"
#include "chain/nesa_contracts.h"
#include "cli/chain_wallet.h"
#include "cli/commands.h"
#include "wallet/display_text.h"
#include "wallet/governance.h"

#include <nlohmann/json.hpp>

namespace nesa::cli {
namespace {

namespace fs = std::filesystem;
using chain::U256;
using V = chain::abi::Value;
using nlohmann::json;
using wallet::formatNes;
using wallet::formatUnixTime;

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

int list(Context &ctx, const Arguments &args) {
  auto chain = connectChain(ctx, args);
  if (!chain)
    return failWith(ctx, "gov", chain.error());
  auto proposals = wallet::readProposalStatuses(**chain);
  if (!proposals)
    return failWith(ctx, "gov", proposals.error());
  json out = json::array();
  for (const auto &p : *proposals)
    out.push_back({{"id", p.id},
                   {"description", p.description},
                   {"proposer", chain::checksumAddress(p.proposer)},
                   {"state", p.state},
                   {"against", p.against},
                   {"for", p.inFavour},
                   {"abstain", p.abstain},
                   {"vote_start", p.voteStart},
                   {"vote_end", p.voteEnd},
                   {"block", p.block}});
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

int act(Context &ctx, const Arguments &args, const fs::path &file) {
  const auto &p = args.positional;
  const std::string &verb = p[0];
  auto signer = openSigner(ctx, args, file, "gov " + verb);
  if (!signer)
    return failWith(ctx, "gov", signer.error());
  chain::ChainConnection &chain = *signer->chain;
  const auto &c = chain.contracts();
  const chain::Address me = signer->key->address();
  wallet::Plan plan;
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
    const wallet::ProposalStep step = verb == "vote"    ? wallet::ProposalStep::Vote
                                      : verb == "queue" ? wallet::ProposalStep::Queue
                                                        : wallet::ProposalStep::Execute;
    const wallet::Support support = p.size() < 3    ? wallet::Support::For
                                    : p[2] == "yes" ? wallet::Support::For
                                    : p[2] == "no"  ? wallet::Support::Against
                                                    : wallet::Support::Abstain;
    auto stepPlan = wallet::planProposalStep(chain, me, p[1], step, support);
    if (!stepPlan)
      return failWith(ctx, "gov", stepPlan.error());
    plan = std::move(*stepPlan);
  }
  const int code = carryOut(ctx, "gov", args, *signer, plan);
  if (code == kExitOk && verb == "propose" && !args.has("quote") && !args.has("json")) {
    const auto &arguments = plan.calls[0].arguments;
    auto id = c.governor.call(
        chain.rpc(), "hashProposal",
        {arguments[0], arguments[1], arguments[2], V::bytes(chain::keccak256(description))});
    if (id)
      if (auto value = (*id)[0].asUint())
        ctx.out << "proposal " << wallet::proposalIdText(*value) << '\n';
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
