// What the wallet and governance commands share on an EVM network: the network they act on
// (--chain-rpc … or the running local devnet), the wallet's Ethereum accounts, and the plans of
// the wallet library (wallet/transaction_plan.h) shown, confirmed and sent.
#pragma once

#include "audit/audit_log.h"
#include "chain/chain_access.h"
#include "cli/arguments.h"
#include "cli/context.h"
#include "wallet/transaction_plan.h"
#include "wallet/wallet.h"

#include <filesystem>
#include <memory>
#include <optional>
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

/// The Ethereum address of each of the wallet's accounts, by index (asks for the passphrase);
/// NotFound without a wallet at `file`.
Result<std::vector<chain::Address>> walletAddresses(const std::filesystem::path &file);

/// An unlocked account on a network, and the audit log its actions are recorded in (none when
/// the setting auditLog is off).
struct Signer : wallet::ChainSigner {
  std::optional<audit::AuditLog> auditLog;
};

/// Opens account --account N (default 0) of the wallet at `file` on the network `ctx`/`args`
/// name (asks for the passphrase), and with the same passphrase the audit log when the settings
/// keep one, recording there that `command` (such as "wallet send") unlocked the account's key.
Result<Signer> openSigner(const Context &ctx, const Arguments &args,
                          const std::filesystem::path &file, const std::string &command);

/// Prices `plan` (gas of each call at today's gas price, and at most what the transactions are
/// signed to allow; a call that needs an earlier one mined counts a fixed bound), shows it,
/// checks the balances, asks unless --yes, and sends it. --quote shows the price (and whether
/// the fee is covered) and sends nothing, exit code 0. A refusal exits 1. Returns the exit code.
/// What was sent, or tried, is recorded in the signer's audit log as a "wallet" record.
int carryOut(Context &ctx, const std::string &command, const Arguments &args, Signer &signer,
             const wallet::Plan &plan);

/// Prints "nesa COMMAND: why" and returns exit code 1: for refusals of the chain or of the
/// contracts, which retyping the command does not fix.
int refuse(Context &ctx, const std::string &command, const Error &error);

} // namespace nesa::cli
