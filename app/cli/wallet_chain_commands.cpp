#include "cli/wallet_chain_commands.h"

#include "chain/nesa_contracts.h"
#include "cli/chain_wallet.h"
#include "cli/commands.h"
#include "cli/nes_amount.h"

#include <nlohmann/json.hpp>

#include <limits>
#include <map>
#include <set>

namespace nesa::cli {
namespace {

namespace fs = std::filesystem;
using chain::U256;
using V = chain::abi::Value;
using nlohmann::json;

constexpr const char *kUsage =
    "usage: nesa wallet balance [0xADDRESS] | history [0xADDRESS] [--limit N] | sessions |\n"
    "       send 0xADDRESS NES | stake NES | unstake NES | withdraw\n"
    "       [--account N] [--quote] [--yes] [--json]\n"
    "       [--chain-rpc HOST:PORT --chain-id N --deployment FILE]\n";

std::uint64_t micro(const Result<std::vector<V>> &answer, std::size_t field = 0) {
  if (!answer || answer->size() <= field)
    return 0;
  auto value = (*answer)[field].asUint();
  return value && value->fitsU64() ? value->low64() : UINT64_MAX;
}

/// The accounts a read command shows: the one given, else the wallet's.
Result<std::vector<chain::Address>> accountsToShow(const Arguments &args, const fs::path &file) {
  if (args.positional.size() > 1) {
    auto parsed = chain::parseAddress(args.positional[1]);
    if (!parsed)
      return parsed.error();
    return std::vector<chain::Address>{*parsed};
  }
  auto wallet = walletAddresses(file);
  if (!wallet)
    return wallet.error();
  std::vector<chain::Address> out;
  for (const auto &account : *wallet)
    out.push_back(account.address);
  return out;
}

Result<json> balanceOf(chain::ChainConnection &chain, const chain::Address &account) {
  chain::RpcClient &rpc = chain.rpc();
  const auto &c = chain.contracts();
  const std::vector<V> who = {V::address(account)};
  auto nes = c.token.call(rpc, "balanceOf", who);
  auto votes = c.token.call(rpc, "getVotes", who);
  auto staked = c.registry.call(rpc, "staked", who);
  auto unbonding = c.registry.call(rpc, "unbonding", who);
  auto gas = rpc.balance(account);
  for (const auto *answer : {&nes, &votes, &staked, &unbonding})
    if (!*answer)
      return answer->error();
  if (!gas)
    return gas.error();
  return json{{"address", chain::checksumAddress(account)},
              {"balance", micro(nes)},
              {"staked", micro(staked)},
              {"unbonding", micro(unbonding, 0)},
              {"unbonding_release", micro(unbonding, 1)},
              {"votes", micro(votes)},
              {"gas_wei", gas->toDecimal()}};
}

void printBalance(Context &ctx, const json &b) {
  ctx.out << b["address"].get<std::string>() << "  " << formatNes(b["balance"]);
  if (b["staked"] != 0 || b["unbonding"] != 0)
    ctx.out << "  (staked " << formatNes(b["staked"]) << ", unbonding " << formatNes(b["unbonding"])
            << ")";
  ctx.out << "  gas " << formatGasMoney(*U256::parse(b["gas_wei"].get<std::string>())) << '\n';
}

/// What a $NES transfer to or from one of the Nesa contracts was.
std::string kindOf(const chain::NesaContracts &c, const chain::Address &other, bool outgoing) {
  if (other == c.registry.address())
    return outgoing ? "stake" : "stake withdrawn";
  if (other == c.sessions.address())
    return outgoing ? "session deposit" : "session payment";
  if (other == c.disputes.address())
    return outgoing ? "report bond" : "dispute award";
  return "transfer";
}

/// The account's $NES transfers (ERC-20 Transfer events), newest first.
Result<json> historyOf(chain::ChainConnection &chain, const chain::Address &account,
                       std::size_t limit) {
  const auto &c = chain.contracts();
  auto topic = c.token.eventTopic("Transfer");
  if (!topic)
    return topic.error();
  chain::Hash32 me{};
  std::copy(account.begin(), account.end(), me.begin() + 12);
  auto sent = chain.events(c.token.address(), {*topic, me});
  auto received = chain.events(c.token.address(), {*topic, std::nullopt, me});
  if (!sent || !received)
    return sent ? received.error() : sent.error();
  std::vector<std::pair<chain::LogEntry, bool>> all;
  for (auto &log : *sent)
    all.emplace_back(std::move(log), true);
  for (auto &log : *received)
    if (log.topics.size() == 3 && log.topics[1] != me) // a transfer to oneself is listed once
      all.emplace_back(std::move(log), false);
  std::sort(all.begin(), all.end(),
            [](const auto &a, const auto &b) { return a.first.blockNumber > b.first.blockNumber; });
  json entries = json::array();
  for (const auto &[log, outgoing] : all) {
    if (entries.size() >= limit)
      break;
    chain::abi::Type uint256;
    auto amount = chain::abi::decode({uint256}, log.data);
    if (!amount || log.topics.size() != 3)
      return fail(ErrorCode::Corrupt, "the token contract logged a malformed Transfer event");
    chain::Address other{};
    std::copy_n(log.topics[outgoing ? 2 : 1].begin() + 12, 20, other.begin());
    const auto value = static_cast<std::int64_t>(
        std::min<std::uint64_t>(micro(*amount), std::numeric_limits<std::int64_t>::max()));
    entries.push_back({{"block", log.blockNumber},
                       {"kind", kindOf(c, other, outgoing)},
                       {"amount", outgoing ? -value : value},
                       {"counterparty", chain::checksumAddress(other)},
                       {"tx", chain::toHex(log.transactionHash)}});
  }
  return json{{"address", chain::checksumAddress(account)}, {"entries", entries}};
}

void printHistory(Context &ctx, const json &h) {
  ctx.out << h["address"].get<std::string>() << '\n';
  if (h["entries"].empty())
    ctx.out << "  no transfers\n";
  for (const auto &e : h["entries"]) {
    const std::int64_t amount = e["amount"];
    ctx.out << "  block " << e["block"] << "  " << e["kind"].get<std::string>() << "  "
            << (amount < 0 ? "-" : "+") << formatNes(static_cast<std::uint64_t>(std::llabs(amount)))
            << (amount < 0 ? "  to " : "  from ") << e["counterparty"].get<std::string>() << '\n';
  }
}

/// The payment sessions `account` opened (Opened events), each with what the contract holds now.
Result<json> sessionsOf(chain::ChainConnection &chain, const chain::Address &account) {
  const auto &c = chain.contracts();
  auto topic = c.sessions.eventTopic("Opened");
  if (!topic)
    return topic.error();
  chain::Hash32 me{};
  std::copy(account.begin(), account.end(), me.begin() + 12);
  auto opened = chain.events(c.sessions.address(), {*topic, me});
  if (!opened)
    return opened.error();
  auto now = chain.rpc().latestTimestamp();
  if (!now)
    return now.error();
  std::map<chain::Address, std::uint64_t> firstBlock; // miner → block of its newest opening
  for (const auto &log : *opened) {
    if (log.topics.size() != 3)
      return fail(ErrorCode::Corrupt, "the session contract logged a malformed Opened event");
    chain::Address miner{};
    std::copy_n(log.topics[2].begin() + 12, 20, miner.begin());
    firstBlock[miner] = std::max(firstBlock[miner], log.blockNumber);
  }
  json sessions = json::array();
  for (const auto &[miner, block] : firstBlock) {
    auto s = c.sessions.call(chain.rpc(), "sessions", {V::address(account), V::address(miner)});
    if (!s)
      return s.error();
    const std::uint64_t deposit = micro(s, 0), settled = micro(s, 1), expires = micro(s, 3);
    sessions.push_back({{"miner", chain::checksumAddress(miner)},
                        {"opened_block", block},
                        {"epoch", micro(s, 4)},
                        {"deposit", deposit},
                        {"settled", settled},
                        {"jobs", micro(s, 2)},
                        {"expires_at", expires},
                        {"open", deposit > 0 && expires > *now}});
  }
  std::sort(sessions.begin(), sessions.end(), [](const json &a, const json &b) {
    return a["opened_block"].get<std::uint64_t>() > b["opened_block"].get<std::uint64_t>();
  });
  return json{{"address", chain::checksumAddress(account)}, {"sessions", sessions}};
}

void printSessions(Context &ctx, const json &s) {
  ctx.out << s["address"].get<std::string>() << '\n';
  if (s["sessions"].empty())
    ctx.out << "  no sessions\n";
  for (const auto &e : s["sessions"]) {
    ctx.out << "  miner " << e["miner"].get<std::string>() << "  opened in block "
            << e["opened_block"] << "  deposit " << formatNes(e["deposit"]) << "  settled "
            << formatNes(e["settled"]) << " for " << e["jobs"] << " jobs  ";
    if (e["open"].get<bool>())
      ctx.out << "open until " << formatUnixTime(e["expires_at"]) << '\n';
    else if (e["deposit"] == 0)
      ctx.out << "closed, the rest refunded\n";
    else
      ctx.out << "expired; the rest can be taken back after the settle window\n";
  }
}

int show(Context &ctx, const Arguments &args, const fs::path &file, const std::string &verb) {
  auto accounts = accountsToShow(args, file);
  if (!accounts)
    return failWith(ctx, "wallet", accounts.error());
  auto chain = connectChain(ctx, args);
  if (!chain)
    return failWith(ctx, "wallet", chain.error());
  auto limit = args.integer("limit", 20, 1, 10'000);
  if (!limit)
    return failWith(ctx, "wallet", limit.error());
  json all = json::array();
  for (const auto &account : *accounts) {
    auto one = verb == "balance"   ? balanceOf(**chain, account)
               : verb == "history" ? historyOf(**chain, account, static_cast<std::size_t>(*limit))
                                   : sessionsOf(**chain, account);
    if (!one)
      return failWith(ctx, "wallet", one.error());
    if (args.has("json"))
      all.push_back(std::move(*one));
    else if (verb == "balance")
      printBalance(ctx, *one);
    else if (verb == "history")
      printHistory(ctx, *one);
    else
      printSessions(ctx, *one);
  }
  if (args.has("json"))
    ctx.out << json{{"chain_id", (*chain)->chainId()}, {"accounts", all}}.dump(2) << '\n';
  return kExitOk;
}

int act(Context &ctx, const Arguments &args, const fs::path &file) {
  const auto &p = args.positional;
  const std::string &verb = p[0];
  std::optional<chain::Address> to;
  std::uint64_t amount = 0;
  if (verb == "send") {
    auto parsed = chain::parseAddress(p[1]);
    if (!parsed)
      return failWith(ctx, "wallet", parsed.error());
    to = *parsed;
  }
  if (verb != "withdraw") {
    auto parsed = parseNes(p.back());
    if (!parsed)
      return failWith(ctx, "wallet", parsed.error());
    if (*parsed == 0)
      return failWith(ctx, "wallet", fail(ErrorCode::InvalidInput, "the amount must be above 0"));
    amount = *parsed;
  }
  auto signer = openSigner(ctx, args, file);
  if (!signer)
    return failWith(ctx, "wallet", signer.error());
  const auto &c = signer->chain->contracts();
  Plan plan;
  if (verb == "send") {
    plan.title = "send " + formatNes(amount) + " to " + chain::checksumAddress(*to);
    plan.nesSpent = amount;
    plan.calls = {{&c.token, "transfer", {V::address(*to), V::uint(amount)}}};
  } else if (verb == "stake") {
    plan.title = "stake " + formatNes(amount);
    plan.nesSpent = amount;
    plan.calls = {{&c.token, "approve", {V::address(c.registry.address()), V::uint(amount)}},
                  {&c.registry, "stake", {V::uint(amount)}}};
    plan.notes = {"stake stays slashable while it unbonds; unstaking takes the unbonding period"};
  } else if (verb == "unstake") {
    plan.title = "unstake " + formatNes(amount);
    plan.calls = {{&c.registry, "requestUnstake", {V::uint(amount)}}};
    auto period = c.parameters.call(signer->chain->rpc(), "unbondingPeriod");
    plan.notes = {"it unbonds for " + std::to_string(micro(period) / 3600) +
                  " hours (still slashable), then 'nesa wallet withdraw' returns it; a miner "
                  "under its minimum stake leaves the registry"};
  } else {
    auto unbonding =
        c.registry.call(signer->chain->rpc(), "unbonding", {V::address(signer->key->address())});
    auto now = signer->chain->rpc().latestTimestamp();
    if (!unbonding || !now)
      return failWith(ctx, "wallet", unbonding ? now.error() : unbonding.error());
    if (micro(unbonding, 0) == 0)
      return failWith(ctx, "wallet", fail(ErrorCode::NotFound, "no stake is unbonding"));
    if (micro(unbonding, 1) > *now)
      return failWith(ctx, "wallet",
                      fail(ErrorCode::Unavailable,
                           formatNes(micro(unbonding, 0)) + " is unbonding until " +
                               formatUnixTime(micro(unbonding, 1)) + "; nothing was sent"));
    plan.title = "withdraw " + formatNes(micro(unbonding, 0)) + " of unbonded stake";
    plan.calls = {{&c.registry, "withdraw", {}}};
  }
  return carryOut(ctx, "wallet", args, *signer, plan);
}

} // namespace

int walletChainCommand(Context &ctx, const std::vector<std::string> &words, const fs::path &file) {
  auto args = parseWords("wallet", words, chainWalletOptions());
  if (!args)
    return failWith(ctx, "wallet", args.error());
  const auto &p = args->positional;
  const std::string verb = p.empty() ? "" : p[0];
  if ((verb == "balance" || verb == "history") && p.size() <= 2)
    return show(ctx, *args, file, verb);
  if (verb == "sessions" && p.size() == 1)
    return show(ctx, *args, file, verb);
  if ((verb == "send" && p.size() == 3) ||
      ((verb == "stake" || verb == "unstake") && p.size() == 2) ||
      (verb == "withdraw" && p.size() == 1))
    return act(ctx, *args, file);
  ctx.err << kUsage << formatOptions(chainWalletOptions());
  return kExitUsage;
}

} // namespace nesa::cli
