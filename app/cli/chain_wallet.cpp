#include "cli/chain_wallet.h"

#include "chain/contract.h"
#include "chain/nesa_contracts.h"
#include "cli/commands.h"
#include "cli/daemon.h"
#include "cli/nes_amount.h"
#include "cli/secret_input.h"
#include "wallet/ethereum_keys.h"
#include "wallet/wallet.h"

#include <nlohmann/json.hpp>

#include <ctime>
#include <iostream>

namespace nesa::cli {

namespace fs = std::filesystem;
using chain::U256;

namespace {

/// Gas counted for a call that cannot be estimated before an earlier call of its plan is mined
/// (a stake after its approval): more than any single Nesa call uses.
constexpr std::uint64_t kUnestimatedCallGas = 300'000;

U256 times(const U256 &a, const U256 &b) {
  U256 product;
  return U256::mulOverflows(a, b, product) ? U256::max() : product;
}

/// The price of a plan.
struct Price {
  std::uint64_t gas = 0;
  bool bounded = false; ///< some call's gas is the fixed bound, not an estimate
  U256 fee, maxFee, gasBalance;
  std::uint64_t nesBalance = 0;
};

Result<Price> priceOf(ChainSigner &signer, const Plan &plan) {
  chain::RpcClient &rpc = signer.chain->rpc();
  const chain::Address from = signer.key->address();
  Price price;
  auto nes =
      signer.chain->contracts().token.call(rpc, "balanceOf", {chain::abi::Value::address(from)});
  if (!nes)
    return nes.error();
  auto balance = (*nes)[0].asUint();
  if (!balance)
    return balance.error();
  price.nesBalance = balance->fitsU64() ? balance->low64() : UINT64_MAX;
  if (plan.nesSpent > price.nesBalance) // checked first: it is the clearer refusal
    return fail(ErrorCode::Unavailable, "the balance (" + formatNes(price.nesBalance) +
                                            ") does not cover " + formatNes(plan.nesSpent) +
                                            "; nothing was sent");
  for (std::size_t i = 0; i < plan.calls.size(); ++i) {
    const PlannedCall &call = plan.calls[i];
    auto data = call.contract->encode(call.function, call.arguments);
    if (!data)
      return data.error();
    auto gas = rpc.estimateGas(from, call.contract->address(), *data);
    if (!gas && i == 0) // the first call runs against today's state: its refusal is the answer
      return call.contract->explain(gas.error()).withContext(call.function);
    price.bounded = price.bounded || !gas;
    price.gas += gas ? *gas : kUnestimatedCallGas;
  }
  auto gasPrice = rpc.gasPrice();
  auto tip = rpc.maxPriorityFeePerGas();
  auto gasBalance = rpc.balance(from);
  if (!gasPrice || !tip || !gasBalance)
    return !gasPrice ? gasPrice.error() : !tip ? tip.error() : gasBalance.error();
  price.fee = times(*gasPrice, U256(price.gas));
  // What the Transactor signs: a gas limit of the estimate + 20 %, at most twice today's gas
  // price (room for a base-fee rise) or the priority fee when that is higher.
  U256 perGas = times(*gasPrice, U256(2));
  if (perGas < *tip)
    perGas = *tip;
  price.maxFee = times(perGas, U256(price.gas + price.gas / 5));
  price.gasBalance = *gasBalance;
  return price;
}

} // namespace

Result<wallet::Wallet> openWalletFile(const fs::path &file) {
  if (!fs::exists(file))
    return fail(ErrorCode::NotFound,
                "no wallet at " + file.string() + "; run 'nesa wallet create' or 'restore'");
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

Result<std::vector<WalletAddress>> walletAddresses(const fs::path &file) {
  auto w = openWalletFile(file);
  if (!w)
    return w.error();
  std::vector<WalletAddress> out;
  for (const auto &account : w->accounts()) {
    auto key = w->ethereumKey(account.index);
    if (!key)
      return key.error();
    out.push_back({account.index, (*key)->address()});
  }
  return out;
}

Result<ChainSigner> openSigner(const Context &ctx, const Arguments &args, const fs::path &file) {
  auto index = args.integer("account", 0, 0, 1 << 30);
  if (!index)
    return index.error();
  auto w = openWalletFile(file);
  if (!w)
    return w.error();
  const auto wanted = static_cast<std::uint32_t>(*index);
  if (wanted >= w->accounts().size())
    return fail(ErrorCode::InvalidInput, "the wallet has no account " + std::to_string(wanted) +
                                             " (nesa wallet address lists them)");
  auto ethereum = w->ethereumKey(wanted);
  if (!ethereum)
    return ethereum.error();
  auto key = chain::AccountKey::fromSecret((*ethereum)->secret().bytes());
  if (!key)
    return key.error();
  auto connection = connectChain(ctx, args);
  if (!connection)
    return connection.error();
  if (auto allowed = wallet::checkSigningAllowed(key->address(), (*connection)->chainId());
      !allowed)
    return allowed.error();
  ChainSigner signer;
  signer.index = wanted;
  signer.chain = std::move(*connection);
  signer.key = std::make_unique<chain::AccountKey>(std::move(*key));
  const fs::path folder = ctx.config.effectiveDataDir() / "chain";
  std::error_code ec;
  fs::create_directories(folder, ec);
  signer.sender = std::make_unique<chain::Transactor>(
      signer.chain->rpc(), *signer.key, signer.chain->chainId(),
      // One journal per account, chain and deployment: two networks may share a chain id.
      folder / ("wallet-" + chain::toHex(signer.key->address()) + "-chain" +
                std::to_string(signer.chain->chainId()) + "-" +
                chain::toHex(signer.chain->deployment().token) + "-journal.json"));
  return signer;
}

std::string formatUnixTime(std::uint64_t seconds) {
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm utc{};
  gmtime_r(&t, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M UTC", &utc);
  return text;
}

std::string formatGasMoney(const U256 &wei) {
  std::string digits = wei.toDecimal();
  if (digits.size() <= 18)
    digits = std::string(19 - digits.size(), '0') + digits;
  const std::string whole = digits.substr(0, digits.size() - 18);
  return whole + "." + digits.substr(whole.size(), 6) + " ETH";
}

int carryOut(Context &ctx, const std::string &command, const Arguments &args, ChainSigner &signer,
             const Plan &plan) {
  auto price = priceOf(signer, plan);
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
  const bool feeCovered = !(price->gasBalance < price->maxFee);
  facts["fee_covered"] = feeCovered;
  if (args.has("quote")) { // the price, whether or not it can be paid
    if (json)
      ctx.out << facts.dump(2) << '\n';
    else if (!feeCovered)
      ctx.out << "  the account cannot pay the network fee\n";
    return kExitOk;
  }
  if (!feeCovered)
    return refuse(ctx, command,
                  fail(ErrorCode::Unavailable, "the account cannot pay the network fee (it holds " +
                                                   formatGasMoney(price->gasBalance) +
                                                   "); nothing was sent"));
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
  facts["sent"] = nlohmann::json::array();
  // No transaction may commit to more than the "at most" the user saw.
  signer.sender->setFeeBudget(price->maxFee);
  for (const PlannedCall &call : plan.calls) {
    auto sent = call.contract->send(*signer.sender, call.function, call.arguments);
    if (!sent) {
      if (json)
        ctx.out << facts.dump(2) << '\n';
      return refuse(ctx, command, sent.error());
    }
    facts["sent"].push_back({{"function", call.function},
                             {"hash", chain::toHex(sent->hash)},
                             {"block", sent->receipt.blockNumber},
                             {"gas_used", sent->receipt.gasUsed}});
    if (!json)
      ctx.out << call.function << ": " << chain::toHex(sent->hash) << " in block "
              << sent->receipt.blockNumber << '\n';
  }
  if (json)
    ctx.out << facts.dump(2) << '\n';
  return kExitOk;
}

} // namespace nesa::cli
