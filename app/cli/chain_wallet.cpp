#include "cli/chain_wallet.h"

#include "chain/contract.h"
#include "chain/nesa_contracts.h"
#include "cli/commands.h"
#include "cli/daemon.h"
#include "cli/secret_input.h"
#include "policy/audit_records.h"
#include "wallet/action_records.h"
#include "wallet/display_text.h"
#include "wallet/wallet.h"

#include <nlohmann/json.hpp>

#include <iostream>

namespace nesa::cli {

namespace fs = std::filesystem;
using wallet::formatGasMoney;
using wallet::formatNes;

namespace {

Result<void> checkWalletExists(const fs::path &file) {
  if (!fs::exists(file))
    return fail(ErrorCode::NotFound,
                "no wallet at " + file.string() + "; run 'nesa wallet create' or 'restore'");
  return {};
}

/// Appends `entry` to `signer`'s audit log, when it has one; says on stderr when that fails
/// (after the fact: what was sent stays sent).
int recordAction(Context &ctx, const std::string &command, Signer &signer, audit::AuditEntry entry,
                 int code) {
  if (!signer.auditLog)
    return code;
  if (auto recorded = signer.auditLog->append(std::move(entry)); !recorded) {
    ctx.err << "nesa " << command
            << ": recording this in the audit log failed: " << recorded.error().message << '\n';
    return code == kExitOk ? kExitFailure : code;
  }
  return code;
}

} // namespace

Result<wallet::Wallet> openWalletFile(const fs::path &file) {
  if (auto exists = checkWalletExists(file); !exists)
    return exists.error();
  auto passphrase = readPassphrase(false);
  if (!passphrase)
    return passphrase.error();
  return wallet::Wallet::open(file, *passphrase);
}

int refuse(Context &ctx, const std::string &command, const Error &error) {
  ctx.err << "nesa " << command << ": " << error.message << '\n';
  return kExitFailure;
}

WalletWords walletWords(const Context &ctx) {
  WalletWords out;
  out.file = wallet::defaultWalletFile(ctx.config.effectiveDataDir());
  for (std::size_t i = 0; i < ctx.args.size(); ++i) {
    if (ctx.args[i] == "--file" && i + 1 < ctx.args.size())
      out.file = ctx.args[++i];
    else if (ctx.args[i] == "--help" || ctx.args[i] == "-h")
      out.help = true;
    else
      out.words.push_back(ctx.args[i]);
  }
  return out;
}

std::vector<OptionSpec> chainWalletOptions() {
  return {
      {"account", true, "the wallet account to use (default 0)", "N"},
      {"yes", false, "do not ask for confirmation"},
      {"quote", false, "show what it would cost and send nothing"},
      {"json", false, "print the result as one JSON object"},
      {"limit", true, "how many entries history shows (default 20)", "N"},
      {"chain-rpc", true,
       "the chain node's JSON-RPC (default: the settings' network, else the running local devnet)",
       "HOST:PORT"},
      {"chain-id", true, "the chain id that node must have", "N"},
      {"deployment", true, "the network's deployment file", "FILE"},
  };
}

Result<std::unique_ptr<chain::ChainConnection>> connectChain(const Context &ctx,
                                                             const Arguments &args) {
  auto access = resolveChain(ctx.config, args.value("chain-rpc"), args.value("chain-id"),
                             args.value("deployment"));
  if (!access)
    return access.error();
  return chain::ChainConnection::open(*access);
}

Result<std::vector<chain::Address>> walletAddresses(const fs::path &file) {
  auto w = openWalletFile(file);
  if (!w)
    return w.error();
  return wallet::accountAddresses(*w);
}

Result<Signer> openSigner(const Context &ctx, const Arguments &args, const fs::path &file,
                          const std::string &command) {
  auto index = args.integer("account", 0, 0, 1 << 30);
  if (!index)
    return index.error();
  if (auto exists = checkWalletExists(file); !exists)
    return exists.error();
  auto passphrase = readPassphrase(false);
  if (!passphrase)
    return passphrase.error();
  auto w = wallet::Wallet::open(file, *passphrase);
  if (!w)
    return w.error();
  if (auto known = wallet::checkAccount(*w, static_cast<std::uint32_t>(*index)); !known)
    return known.error(); // before the network: a mistyped command, whatever the network
  // Before the network too: an action that cannot be recorded is not sent.
  auto log = policy::openAuditLogIfEnabled(ctx.config, *passphrase);
  if (!log)
    return log.error();
  auto connection = connectChain(ctx, args);
  if (!connection)
    return connection.error();
  auto opened = wallet::openSigner(*w, static_cast<std::uint32_t>(*index), std::move(*connection),
                                   ctx.config.effectiveDataDir());
  if (!opened)
    return opened.error();
  Signer signer;
  static_cast<wallet::ChainSigner &>(signer) = std::move(*opened);
  signer.auditLog = std::move(*log);
  if (signer.auditLog)
    if (auto used = signer.auditLog->append(wallet::keyUseRecord(signer, "nesa " + command)); !used)
      return used.error().withContext("recording the key's use in the audit log");
  return signer;
}

int carryOut(Context &ctx, const std::string &command, const Arguments &args, Signer &signer,
             const wallet::Plan &plan) {
  auto price = wallet::pricePlan(signer, plan);
  if (!price) // a refusal of the contracts or the node: not a mistyped command (exit 1)
    return refuse(ctx, command, price.error());
  const std::string from = chain::checksumAddress(signer.key->address());
  nlohmann::json facts = {{"action", plan.title},
                          {"from", from},
                          {"chain_id", signer.chain->chainId()},
                          {"nes_spent", plan.nesSpent},
                          {"nes_balance", price->nesBalance},
                          {"transactions", plan.calls.size()},
                          {"gas", price->gas},
                          {"gas_bounded", price->bounded},
                          {"fee_wei", price->fee.toDecimal()},
                          {"max_fee_wei", price->maxFee.toDecimal()},
                          {"gas_balance_wei", price->gasBalance.toDecimal()}};
  const bool json = args.has("json");
  if (!json) {
    ctx.out << plan.title << "\n  from         " << from << " (account " << signer.index
            << ", chain " << signer.chain->chainId() << ")\n";
    for (const std::string &note : plan.notes)
      ctx.out << "  " << note << '\n';
    if (plan.nesSpent)
      ctx.out << "  NES spent    " << formatNes(plan.nesSpent) << " of "
              << formatNes(price->nesBalance) << '\n';
    ctx.out << "  network fee  about " << formatGasMoney(price->fee) << ", at most "
            << formatGasMoney(price->maxFee) << " (" << plan.calls.size() << " transaction"
            << (plan.calls.size() == 1 ? "" : "s") << ", " << (price->bounded ? "up to " : "")
            << price->gas << " gas) of " << formatGasMoney(price->gasBalance) << '\n';
  }
  const bool feeCovered = price->feeCovered();
  facts["fee_covered"] = feeCovered;
  if (args.has("quote")) { // the price, whether or not it can be paid
    if (json)
      ctx.out << facts.dump(2) << '\n';
    else if (!feeCovered)
      ctx.out << "  the account cannot pay the network fee\n";
    return kExitOk;
  }
  if (auto covered = wallet::checkFeeCovered(*price); !covered)
    return refuse(ctx, command, covered.error());
  if (!args.has("yes")) {
    std::ostream &asked = json ? ctx.err : ctx.out; // --json keeps stdout for the answer
    asked << "Send? [y/N] " << std::flush;
    std::string answer;
    std::getline(std::cin, answer);
    if (answer != "y" && answer != "Y" && answer != "yes") {
      asked << "Nothing was sent.\n";
      return kExitFailure;
    }
  }
  const wallet::PlanOutcome outcome = wallet::sendPlan(signer, plan, *price);
  facts["sent"] = nlohmann::json::array();
  for (const wallet::SentCall &call : outcome.sent) {
    facts["sent"].push_back({{"function", call.function},
                             {"hash", chain::toHex(call.hash)},
                             {"block", call.block},
                             {"gas_used", call.gasUsed}});
    if (!json)
      ctx.out << call.function << ": " << chain::toHex(call.hash) << " in block " << call.block
              << '\n';
  }
  if (json)
    ctx.out << facts.dump(2) << '\n';
  const int code = outcome.error ? refuse(ctx, command, *outcome.error) : kExitOk;
  return recordAction(ctx, command, signer,
                      wallet::walletActionRecord(signer, plan, outcome, "nesa " + command), code);
}

} // namespace nesa::cli
