// What the wallet and governance commands share on an EVM network: the network they act on
// (--chain-rpc … or the running local devnet), the wallet's Ethereum accounts, and planned
// transactions that are priced (network fee in the chain's gas currency), shown, confirmed and
// then sent from a journaled account.
#pragma once

#include "chain/abi.h"
#include "chain/chain_access.h"
#include "chain/transactor.h"
#include "cli/arguments.h"
#include "cli/context.h"
#include "wallet/wallet.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace nesa::cli {

/// Opens the wallet at `file`, asking for its passphrase (terminal or $NESA_WALLET_PASSPHRASE);
/// NotFound, saying how to make one, when there is none.
Result<wallet::Wallet> openWalletFile(const std::filesystem::path &file);

/// A wallet or governance command's words: `--file F` taken out (the wallet file, default
/// DATA/wallet.db), and whether --help or -h was asked.
struct WalletWords {
  std::vector<std::string> words;
  std::filesystem::path file;
  bool help = false;
};
WalletWords walletWords(const Context &ctx);

/// The options every chain-backed wallet or governance command takes.
std::vector<OptionSpec> chainWalletOptions();

/// Opens the network of --chain-rpc/--chain-id/--deployment, else the running local devnet.
Result<std::unique_ptr<chain::ChainConnection>> connectChain(const Context &ctx,
                                                             const Arguments &args);

/// One of the wallet's accounts on Ethereum chains.
struct WalletAddress {
  std::uint32_t index = 0;
  chain::Address address{};
};

/// The wallet's accounts (asks for the passphrase); NotFound without a wallet at `file`.
Result<std::vector<WalletAddress>> walletAddresses(const std::filesystem::path &file);

/// A wallet account that sends transactions on one network. Sent transactions are journaled in
/// DATA/chain/wallet-0x…-chainN-journal.json, so a crash never loses nor repeats one.
struct ChainSigner {
  std::unique_ptr<chain::ChainConnection> chain;
  std::unique_ptr<chain::AccountKey> key;
  std::unique_ptr<chain::Transactor> sender;
  std::uint32_t index = 0;
};

/// Opens account --account N (default 0) of the wallet at `file` on the network `ctx`/`args`
/// name (asks for the passphrase).
Result<ChainSigner> openSigner(const Context &ctx, const Arguments &args,
                               const std::filesystem::path &file);

/// One transaction of a plan.
struct PlannedCall {
  const chain::Contract *contract = nullptr;
  std::string function;
  std::vector<chain::abi::Value> arguments;
};

/// What a command is about to do: `facts` (shown, and printed as JSON with --json) and the
/// transactions that do it, in order.
struct Plan {
  std::string title;          ///< "send 12.000000 NES to 0x…"
  std::uint64_t nesSpent = 0; ///< µNES leaving the account's balance (checked against it)
  std::vector<PlannedCall> calls;
  std::vector<std::string> notes; ///< extra lines shown before the question
};

/// Prices `plan` (gas of each call at today's gas price, and at most what the transactions are
/// signed to allow; a call that needs an earlier one mined counts a fixed bound), shows it,
/// checks the balances, asks unless --yes, and sends it. --quote shows the price (and whether
/// the fee is covered) and sends nothing, exit code 0. A refusal exits 1. Returns the exit code.
int carryOut(Context &ctx, const std::string &command, const Arguments &args, ChainSigner &signer,
             const Plan &plan);

/// A chain timestamp as "2026-12-10 14:03 UTC".
std::string formatUnixTime(std::uint64_t seconds);

/// Prints "nesa COMMAND: why" and returns exit code 1: for refusals of the chain or of the
/// contracts, which retyping the command does not fix.
int refuse(Context &ctx, const std::string &command, const Error &error);

/// Wei as "0.000123 ETH" (six decimals, rounded down).
std::string formatGasMoney(const chain::U256 &wei);

} // namespace nesa::cli
