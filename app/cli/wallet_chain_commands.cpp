#include "cli/wallet_chain_commands.h"

#include "chain/nesa_contracts.h"
#include "cli/chain_wallet.h"
#include "cli/commands.h"
#include "wallet/account_reads.h"
#include "wallet/display_text.h"

#include <nlohmann/json.hpp>

namespace nesa::cli {
namespace {

namespace fs = std::filesystem;
using chain::U256;
using nlohmann::json;
using wallet::formatGasMoney;
using wallet::formatNes;
using wallet::formatUnixTime;
using wallet::parseNes;

constexpr const char *kUsage =
    "usage: nesa wallet balance [0xADDRESS] | history [0xADDRESS] [--limit N] | sessions |\n"
    "       send 0xADDRESS NES | stake NES | unstake NES | withdraw\n"
    "       [--account N] [--quote] [--yes] [--json]\n"
    "       [--chain-rpc HOST:PORT --chain-id N --deployment FILE]\n";

/// The accounts a read command shows: the one given, else the wallet's.
Result<std::vector<chain::Address>> accountsToShow(const Arguments &args, const fs::path &file) {
  if (args.positional.size() > 1) {
    auto parsed = chain::parseAddress(args.positional[1]);
    if (!parsed)
      return parsed.error();
    return std::vector<chain::Address>{*parsed};
  }
  return walletAddresses(file);
}

Result<json> balanceOf(chain::ChainConnection &chain, const chain::Address &account) {
  auto b = wallet::readBalance(chain, account);
  if (!b)
    return b.error();
  return json{{"address", chain::checksumAddress(b->address)},
              {"balance", b->balance},
              {"staked", b->staked},
              {"unbonding", b->unbonding},
              {"unbonding_release", b->unbondingRelease},
              {"votes", b->votes},
              {"gas_wei", b->gasWei.toDecimal()}};
}

void printBalance(Context &ctx, const json &b) {
  ctx.out << b["address"].get<std::string>() << "  " << formatNes(b["balance"]);
  if (b["staked"] != 0 || b["unbonding"] != 0)
    ctx.out << "  (staked " << formatNes(b["staked"]) << ", unbonding " << formatNes(b["unbonding"])
            << ")";
  ctx.out << "  gas " << formatGasMoney(*U256::parse(b["gas_wei"].get<std::string>())) << '\n';
}

/// The account's $NES transfers, newest first.
Result<json> historyOf(chain::ChainConnection &chain, const chain::Address &account,
                       std::size_t limit) {
  auto transfers = wallet::readTransfers(chain, account, limit);
  if (!transfers)
    return transfers.error();
  json entries = json::array();
  for (const auto &t : *transfers)
    entries.push_back({{"block", t.block},
                       {"kind", t.kind},
                       {"amount", t.amount},
                       {"counterparty", chain::checksumAddress(t.counterparty)},
                       {"tx", chain::toHex(t.transaction)}});
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

/// The payment sessions `account` opened, each with what the contract holds now.
Result<json> sessionsOf(chain::ChainConnection &chain, const chain::Address &account) {
  auto found = wallet::readSessions(chain, account);
  if (!found)
    return found.error();
  json sessions = json::array();
  for (const auto &s : *found)
    sessions.push_back({{"miner", chain::checksumAddress(s.miner)},
                        {"opened_block", s.openedBlock},
                        {"epoch", s.epoch},
                        {"deposit", s.deposit},
                        {"settled", s.settled},
                        {"jobs", s.jobs},
                        {"expires_at", s.expiresAt},
                        {"open", s.open}});
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
  auto signer = openSigner(ctx, args, file, "wallet " + verb);
  if (!signer)
    return failWith(ctx, "wallet", signer.error());
  chain::ChainConnection &chain = *signer->chain;
  wallet::Plan plan;
  if (verb == "send") {
    plan = wallet::planTransfer(chain.contracts(), *to, amount);
  } else if (verb == "stake") {
    plan = wallet::planStake(chain.contracts(), amount);
  } else if (verb == "unstake") {
    plan = wallet::planUnstake(chain, amount);
  } else {
    auto withdraw = wallet::planWithdraw(chain, signer->key->address());
    if (!withdraw)
      return failWith(ctx, "wallet", withdraw.error());
    plan = std::move(*withdraw);
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
