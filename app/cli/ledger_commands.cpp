#include "cli/ledger_commands.h"

#include "cli/arguments.h"
#include "cli/commands.h"
#include "cli/daemon.h"
#include "cli/network_commands.h"
#include "cli/secret_input.h"
#include "ledger/ledger_codec.h"
#include "ledger/payloads.h"
#include "node/remote_ledger.h"
#include "wallet/address.h"
#include "wallet/wallet.h"

#include <iostream>
#include <memory>

namespace nesa::cli {

namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

const std::vector<OptionSpec> kOptions = {
    {"node", true, "the node (default: the configured or local one)", "HOST:PORT"},
    {"account", true, "the wallet account to use (default 0)", "N"},
    {"tip", true, "extra NES that buys priority", "NES"},
    {"yes", false, "do not ask for confirmation"},
    {"limit", true, "how many transactions history shows (default 20)", "N"},
};

// The ledger of the node, reached with a throwaway identity (the wallet key signs, not it).
struct LedgerConnection {
  net::Identity identity = net::Identity::generate().value();
  std::unique_ptr<node::RemoteLedger> ledger;
};

Result<std::unique_ptr<LedgerConnection>> connect(const Context &ctx, const Arguments &args) {
  auto endpoint = resolveNode(ctx.config, args.value("node"));
  if (!endpoint)
    return endpoint.error();
  auto connection = std::make_unique<LedgerConnection>();
  auto ledger = node::RemoteLedger::connect(*endpoint, connection->identity);
  if (!ledger)
    return ledger.error();
  connection->ledger = std::move(*ledger);
  return connection;
}

Result<Arguments> parse(const std::string &name, const std::vector<std::string> &words) {
  return parseWords(name, words, kOptions);
}

Result<std::uint32_t> accountIndex(const Arguments &args) {
  try {
    const int index = std::stoi(args.value("account", "0"));
    if (index >= 0)
      return static_cast<std::uint32_t>(index);
  } catch (const std::exception &) {
  }
  return fail(ErrorCode::InvalidInput, "--account takes an account number (nesa wallet address)");
}

std::string kindName(ledger::TxKind kind) {
  switch (kind) {
  case ledger::TxKind::Transfer: return "transfer";
  case ledger::TxKind::Stake: return "stake";
  case ledger::TxKind::Unstake: return "unstake";
  case ledger::TxKind::RegisterMiner: return "register miner";
  case ledger::TxKind::OpenSession: return "open session";
  case ledger::TxKind::Settle: return "settle";
  case ledger::TxKind::CloseSession: return "close session";
  case ledger::TxKind::Propose: return "propose";
  case ledger::TxKind::Vote: return "vote";
  case ledger::TxKind::Slash: return "slash";
  case ledger::TxKind::ReportTimeout: return "timeout report";
  }
  return "?";
}

// Builds, shows, confirms, signs and submits one transaction from a wallet account, then waits
// for its block.
int submitFromWallet(Context &ctx, const std::string &command, const Arguments &args,
                     const fs::path &file, ledger::TxKind kind, ledger::Amount amount,
                     const ledger::KeyHash &to, std::vector<std::uint8_t> payload) {
  auto index = accountIndex(args);
  if (!index)
    return failWith(ctx, command, index.error());
  ledger::Amount tip = 0;
  if (args.has("tip")) {
    auto parsed = parseNes(args.value("tip"));
    if (!parsed)
      return failWith(ctx, command, parsed.error());
    tip = *parsed;
  }
  if (!fs::exists(file))
    return failWith(ctx, command,
                    fail(ErrorCode::NotFound, "no wallet at " + file.string() +
                                                  "; run 'nesa wallet create' or 'restore'"));
  auto passphrase = readPassphrase(false);
  if (!passphrase)
    return failWith(ctx, command, passphrase.error());
  auto w = wallet::Wallet::open(file, *passphrase);
  if (!w)
    return failWith(ctx, command, w.error());
  if (*index >= w->accounts().size())
    return failWith(
        ctx, command,
        fail(ErrorCode::InvalidInput, "the wallet has no account " + std::to_string(*index)));
  const auto &account = w->accounts()[*index];
  auto connection = connect(ctx, args);
  if (!connection)
    return failWith(ctx, command, connection.error());
  auto &ledger = *(*connection)->ledger;
  auto tx = ledger::prepareTransaction(ledger, kind, account.publicKey, amount, to,
                                       std::move(payload), tip);
  if (!tx)
    return failWith(ctx, command, tx.error());
  auto balance = ledger.account(ledger::keyHashOf(account.publicKey));
  if (!balance)
    return failWith(ctx, command, balance.error());
  const ledger::Amount moved =
      kind == ledger::TxKind::Transfer || kind == ledger::TxKind::Stake ? amount : 0;
  const ledger::Amount total = moved + tx->fee + tx->tip;
  ctx.out << kindName(kind) << " from " << account.address << '\n';
  if (moved)
    ctx.out << "  amount  " << formatNes(moved) << '\n';
  if (kind == ledger::TxKind::Unstake)
    ctx.out << "  unstake " << formatNes(amount) << " (back in your balance after the unbonding "
            << "period)\n";
  ctx.out << "  fee     " << formatNes(tx->fee) << (tx->tip ? " + tip " + formatNes(tx->tip) : "")
          << "\n  total   " << formatNes(total) << " of " << formatNes(balance->balance) << '\n';
  if (total > balance->balance) {
    ctx.err << "nesa " << command << ": the balance does not cover the total; nothing was sent\n";
    return kExitFailure;
  }
  if (!args.has("yes")) {
    ctx.out << "Send? [y/N] " << std::flush;
    std::string answer;
    std::getline(std::cin, answer);
    if (answer != "y" && answer != "Y" && answer != "yes") {
      ctx.out << "Nothing was sent.\n";
      return kExitFailure;
    }
  }
  auto signature = w->sign(*index, tx->signingBytes());
  if (!signature)
    return failWith(ctx, command, signature.error());
  tx->signature = *signature;
  auto id = ledger.submit(*tx);
  if (!id)
    return failWith(ctx, command, id.error());
  ctx.out << "submitted " << ledger::hex(*id) << '\n';
  auto height = ledger::waitForInclusion(ledger, *id, 60s);
  if (!height)
    return failWith(ctx, command, height.error());
  ctx.out << "in block " << *height << '\n';
  return kExitOk;
}

// The account ids a balance or history is asked for: an address given, else the wallet's.
Result<std::vector<std::pair<std::string, ledger::KeyHash>>> accountsFor(const Arguments &args,
                                                                         const fs::path &file) {
  std::vector<std::pair<std::string, ledger::KeyHash>> out;
  if (args.positional.size() > 1) {
    auto parsed = wallet::parseAddress(args.positional[1]);
    if (!parsed)
      return parsed.error();
    out.emplace_back(args.positional[1], *parsed);
    return out;
  }
  if (!fs::exists(file))
    return fail(ErrorCode::NotFound,
                "no wallet at " + file.string() + "; give an address, or create a wallet first");
  auto passphrase = readPassphrase(false);
  if (!passphrase)
    return passphrase.error();
  auto w = wallet::Wallet::open(file, *passphrase);
  if (!w)
    return w.error();
  for (const auto &account : w->accounts())
    out.emplace_back(account.address, ledger::keyHashOf(account.publicKey));
  return out;
}

Result<ledger::ParamId> parseParam(const std::string &name) {
  if (name == "base-fee")
    return ledger::ParamId::BaseFee;
  if (name == "fee-per-byte")
    return ledger::ParamId::FeePerByte;
  if (name == "unbonding-blocks")
    return ledger::ParamId::UnbondingBlocks;
  if (name == "min-stake")
    return ledger::ParamId::MinStake;
  return fail(ErrorCode::InvalidInput,
              "unknown parameter '" + name +
                  "' (base-fee, fee-per-byte, unbonding-blocks, min-stake)");
}

const char *paramName(ledger::ParamId id) {
  switch (id) {
  case ledger::ParamId::BaseFee: return "base-fee";
  case ledger::ParamId::FeePerByte: return "fee-per-byte";
  case ledger::ParamId::UnbondingBlocks: return "unbonding-blocks";
  case ledger::ParamId::MinStake: return "min-stake";
  }
  return "?";
}

// One account's balance line.
Result<void> printBalance(Context &ctx, ledger::Ledger &ledger, const std::string &address,
                          const ledger::KeyHash &id) {
  auto view = ledger.account(id);
  if (!view)
    return view.error();
  ctx.out << address << "  " << formatNes(view->balance);
  if (view->staked || view->unbonding)
    ctx.out << "  (staked " << formatNes(view->staked) << ", unbonding "
            << formatNes(view->unbonding) << ")";
  ctx.out << '\n';
  return {};
}

// One account's recent transactions, newest first.
Result<void> printHistory(Context &ctx, ledger::Ledger &ledger, const std::string &address,
                          const ledger::KeyHash &id, std::size_t limit) {
  auto history = ledger.history(id, limit);
  if (!history)
    return history.error();
  ctx.out << address << '\n';
  if (history->empty())
    ctx.out << "  no transactions\n";
  for (const auto &record : *history) {
    const bool outgoing = ledger::keyHashOf(record.tx.sender) == id;
    ctx.out << "  block " << record.height << "  " << kindName(record.tx.kind) << "  "
            << (outgoing ? "-" : "+") << formatNes(record.tx.amount)
            << (outgoing ? "  fee " + formatNes(record.tx.fee + record.tx.tip) : "")
            << (record.tx.kind == ledger::TxKind::Transfer
                    ? (outgoing ? "  to " : "  from ") + (outgoing
                                                              ? wallet::addressOfHash(record.tx.to)
                                                              : wallet::addressOf(record.tx.sender))
                    : "")
            << '\n';
  }
  return {};
}

// The payment sessions one account opened (its OpenSession transactions), with what is left of
// each on the ledger.
Result<void> printSessions(Context &ctx, ledger::Ledger &ledger, const std::string &address,
                           const ledger::KeyHash &id) {
  auto history = ledger.history(id, ledger::kMaxHistoryAnswer);
  if (!history)
    return history.error();
  ctx.out << address << '\n';
  int shown = 0;
  for (const auto &record : *history) {
    if (record.tx.kind != ledger::TxKind::OpenSession || ledger::keyHashOf(record.tx.sender) != id)
      continue;
    ++shown;
    const auto sessionId = record.tx.id();
    auto session = ledger.session(sessionId);
    if (!session)
      return session.error();
    ctx.out << "  session " << ledger::hex(sessionId) << "  opened in block " << record.height;
    if (!*session) {
      ctx.out << "  closed\n";
      continue;
    }
    ctx.out << "  miner " << wallet::addressOfHash((*session)->miner) << "  deposit "
            << formatNes((*session)->deposit) << "  paid " << formatNes((*session)->paid)
            << "  until block " << (*session)->expiry << '\n';
  }
  if (shown == 0)
    ctx.out << "  no sessions\n";
  return {};
}

} // namespace

Result<std::uint64_t> parseNes(const std::string &text) {
  const auto dot = text.find('.');
  const std::string whole = text.substr(0, dot);
  const std::string fraction = dot == std::string::npos ? "" : text.substr(dot + 1);
  const auto digits = [](const std::string &s) {
    return s.find_first_not_of("0123456789") == std::string::npos;
  };
  if ((whole.empty() && fraction.empty()) || !digits(whole) || !digits(fraction) ||
      fraction.size() > 6 || whole.size() > 12)
    return fail(ErrorCode::InvalidInput,
                "'" + text + "' is not an amount of NES (like 12 or 0.5, at most 6 decimals)");
  std::uint64_t micro = whole.empty() ? 0 : std::stoull(whole) * 1'000'000;
  if (!fraction.empty())
    micro += std::stoull(fraction + std::string(6 - fraction.size(), '0'));
  return micro;
}

std::string formatNes(std::uint64_t micro) {
  std::string fraction = std::to_string(micro % 1'000'000);
  return std::to_string(micro / 1'000'000) + "." + std::string(6 - fraction.size(), '0') +
         fraction + " NES";
}

int ledgerCommand(Context &ctx) {
  auto args = parse("ledger", ctx.args);
  if (!args)
    return failWith(ctx, "ledger", args.error());
  if (args->positional != std::vector<std::string>{"status"}) {
    ctx.err << "usage: nesa ledger status [--node HOST:PORT]\n";
    return kExitUsage;
  }
  auto connection = connect(ctx, *args);
  if (!connection)
    return failWith(ctx, "ledger", connection.error());
  auto status = (*connection)->ledger->status();
  if (!status)
    return failWith(ctx, "ledger", status.error());
  const auto &s = *status;
  ctx.out << "chain     " << s.chainId << "\nheight    " << s.height << "\ntip       "
          << ledger::hex(s.tip) << "\nstate     " << ledger::hex(s.stateHash) << "\nsupply    "
          << formatNes(s.supply) << "\nfee pool  " << formatNes(s.feePool) << "\npending   "
          << s.pending << " transactions\nminers    " << s.miners << " registered\nsessions  "
          << s.sessions << " open\nfees      " << formatNes(s.params.baseFee) << " + "
          << s.params.feePerByte << " µNES per byte\nstake     at least "
          << formatNes(s.params.minStake) << ", unbonding " << s.params.unbondingBlocks
          << " blocks\nvotes     " << s.params.votingBlocks << " blocks, quorum "
          << s.params.quorumPercent << "%\n";
  return kExitOk;
}

int govCommand(Context &ctx) {
  std::vector<std::string> words;
  fs::path file = wallet::defaultWalletFile(ctx.config.effectiveDataDir());
  for (std::size_t i = 0; i < ctx.args.size(); ++i) {
    if (ctx.args[i] == "--file" && i + 1 < ctx.args.size())
      file = ctx.args[++i];
    else
      words.push_back(ctx.args[i]);
  }
  auto args = parse("gov", words);
  if (!args)
    return failWith(ctx, "gov", args.error());
  const auto &p = args->positional;
  const std::string verb = p.empty() ? "" : p[0];
  if (verb == "list" && p.size() == 1) {
    auto connection = connect(ctx, *args);
    if (!connection)
      return failWith(ctx, "gov", connection.error());
    auto proposals = (*connection)->ledger->proposals();
    if (!proposals)
      return failWith(ctx, "gov", proposals.error());
    if (proposals->empty())
      ctx.out << "no proposals\n";
    for (const auto &proposal : *proposals)
      ctx.out << ledger::hex(proposal.id) << "  " << paramName(proposal.record.change.param)
              << " = " << proposal.record.change.value << "  yes " << formatNes(proposal.record.yes)
              << ", no " << formatNes(proposal.record.no) << "  "
              << (proposal.record.decided
                      ? (proposal.record.passed ? "passed" : "rejected")
                      : "open until block " + std::to_string(proposal.record.endsAt))
              << '\n';
    return kExitOk;
  }
  if (verb == "propose" && p.size() == 3) {
    auto param = parseParam(p[1]);
    if (!param)
      return failWith(ctx, "gov", param.error());
    std::uint64_t value = 0;
    try {
      value = std::stoull(p[2]);
    } catch (const std::exception &) {
      return failWith(ctx, "gov", fail(ErrorCode::InvalidInput, "the value must be a number"));
    }
    return submitFromWallet(ctx, "gov", *args, file, ledger::TxKind::Propose, 0, {},
                            ledger::ParamChange{*param, value}.encode());
  }
  if (verb == "vote" && p.size() == 3 && (p[2] == "yes" || p[2] == "no")) {
    ledger::Ballot ballot;
    std::vector<std::uint8_t> id;
    if (p[1].size() != 64 || p[1].find_first_not_of("0123456789abcdef") != std::string::npos)
      return failWith(
          ctx, "gov",
          fail(ErrorCode::InvalidInput, "a proposal id is 64 hex characters (nesa gov list)"));
    for (std::size_t i = 0; i < 32; ++i)
      ballot.proposal[i] = static_cast<std::uint8_t>(std::stoi(p[1].substr(2 * i, 2), nullptr, 16));
    ballot.yes = p[2] == "yes";
    return submitFromWallet(ctx, "gov", *args, file, ledger::TxKind::Vote, 0, {}, ballot.encode());
  }
  ctx.err << "usage: nesa gov list | propose PARAM VALUE | vote PROPOSAL yes|no "
             "[--account N] [--node HOST:PORT] [--yes]\n"
             "PARAM: base-fee, fee-per-byte, unbonding-blocks, min-stake\n";
  return kExitUsage;
}

int walletLedgerCommand(Context &ctx, const std::vector<std::string> &words, const fs::path &file) {
  auto args = parse("wallet", words);
  if (!args)
    return failWith(ctx, "wallet", args.error());
  const auto &p = args->positional;
  const std::string verb = p.empty() ? "" : p[0];
  if ((verb == "balance" || verb == "history" || verb == "sessions") && p.size() <= 2) {
    auto accounts = accountsFor(*args, file);
    if (!accounts)
      return failWith(ctx, "wallet", accounts.error());
    auto connection = connect(ctx, *args);
    if (!connection)
      return failWith(ctx, "wallet", connection.error());
    std::size_t limit = 20;
    try {
      limit = std::stoul(args->value("limit", "20"));
    } catch (const std::exception &) {
    }
    auto &ledger = *(*connection)->ledger;
    for (const auto &[address, id] : *accounts) {
      const auto shown = verb == "balance"   ? printBalance(ctx, ledger, address, id)
                         : verb == "history" ? printHistory(ctx, ledger, address, id, limit)
                                             : printSessions(ctx, ledger, address, id);
      if (!shown)
        return failWith(ctx, "wallet", shown.error());
    }
    return kExitOk;
  }
  if (verb == "send" && p.size() == 3) {
    auto to = wallet::parseAddress(p[1]);
    if (!to)
      return failWith(ctx, "wallet", to.error());
    auto amount = parseNes(p[2]);
    if (!amount)
      return failWith(ctx, "wallet", amount.error());
    return submitFromWallet(ctx, "wallet", *args, file, ledger::TxKind::Transfer, *amount, *to, {});
  }
  if ((verb == "stake" || verb == "unstake") && p.size() == 2) {
    auto amount = parseNes(p[1]);
    if (!amount)
      return failWith(ctx, "wallet", amount.error());
    return submitFromWallet(ctx, "wallet", *args, file,
                            verb == "stake" ? ledger::TxKind::Stake : ledger::TxKind::Unstake,
                            *amount, {}, {});
  }
  ctx.err << "usage: nesa wallet balance [ADDRESS] | history [ADDRESS] [--limit N] | sessions |\n"
             "       send ADDRESS NES | stake NES | unstake NES   [--account N] [--tip NES] "
             "[--yes] [--node HOST:PORT]\n";
  return kExitUsage;
}

} // namespace nesa::cli
