#include "cli/wallet_command.h"

#include "cli/chain_wallet.h"
#include "cli/commands.h"
#include "cli/secret_input.h"
#include "cli/wallet_chain_commands.h"
#include "wallet/mnemonic.h"
#include "wallet/wallet.h"

#include <sodium.h>

#include <iomanip>
#include <iostream>
#include <map>
#include <set>
#include <string_view>

namespace nesa::cli {
namespace {

namespace fs = std::filesystem;

constexpr const char *kUsage =
    "usage: nesa wallet COMMAND [--file WALLET]\n\n"
    "  create              make a new wallet: shows a 24-word recovery phrase once, then asks for\n"
    "                      three of its words to prove it was written down\n"
    "  restore             make a wallet from a recovery phrase (read from the terminal or stdin)\n"
    "  address             list the accounts: number, name, nes1 wire address, 0x address\n"
    "  add-account NAME    derive the next account\n"
    "  balance [0xADDRESS] $NES, stake and gas money of the wallet's accounts (or of one)\n"
    "  history [0xADDRESS] their recent $NES transfers (--limit N)\n"
    "  sessions            the payment sessions opened to pay miners, and what is left of each\n"
    "  send 0xADDRESS NES  transfer $NES, after showing the amount and the network fee\n"
    "  stake NES           lock NES as stake (a miner's)\n"
    "  unstake NES         start unbonding stake (slashable until withdrawn)\n"
    "  withdraw            take back stake whose unbonding period has passed\n"
    "  (--account N picks the account, --quote only prices, --yes skips the question,\n"
    "   --json prints JSON, --chain-rpc HOST:PORT --chain-id N --deployment FILE name a\n"
    "   network; without them the running local devnet of 'nesa chain devnet')\n\n"
    "The passphrase is asked for on the terminal, or taken from $NESA_WALLET_PASSPHRASE.\n";

int failWith(Context &ctx, const Error &error) { return cli::failWith(ctx, "wallet", error); }

void printAccounts(Context &ctx, const wallet::Wallet &w) {
  for (const auto &account : w.accounts())
    ctx.out << account.index << "  " << account.name << "  " << account.address << "  "
            << account.ethereumAddress << '\n';
}

std::vector<std::string_view> wordsOf(std::string_view phrase) {
  std::vector<std::string_view> words;
  for (std::size_t start = 0; start <= phrase.size();) {
    const auto end = std::min(phrase.find(' ', start), phrase.size());
    words.push_back(phrase.substr(start, end - start));
    start = end + 1;
  }
  return words;
}

int create(Context &ctx, const fs::path &file) {
  if (fs::exists(file))
    return failWith(ctx, fail(ErrorCode::AlreadyExists,
                              file.string() + " already exists; nothing was changed"));
  auto passphrase = readPassphrase(/*confirm=*/true);
  if (!passphrase)
    return failWith(ctx, passphrase.error());
  auto phrase = wallet::generateMnemonic();
  if (!phrase)
    return failWith(ctx, phrase.error());
  const auto words = wordsOf(phrase->view());
  ctx.out << "Your recovery phrase. Write these 24 words down, in order, on paper. Anyone who has\n"
             "them can spend your NES; without them a lost passphrase cannot be recovered.\n\n";
  for (std::size_t i = 0; i < words.size(); ++i)
    ctx.out << std::setw(4) << i + 1 << ". " << std::left << std::setw(10) << words[i] << std::right
            << (i % 4 == 3 ? "\n" : "");
  ctx.out << "\nTo continue, type the words at three positions.\n";
  ctx.out.flush();

  std::set<int> positions;
  while (positions.size() < 3)
    positions.insert(
        static_cast<int>(randombytes_uniform(static_cast<std::uint32_t>(words.size()))) + 1);
  std::map<int, std::string> answers;
  for (int position : positions) {
    ctx.err << "Word #" << position << ": ";
    ctx.err.flush();
    auto answer = readSecretLine("", /*echo=*/true);
    if (!answer || answer->view() != words[static_cast<std::size_t>(position - 1)])
      return failWith(
          ctx, fail(ErrorCode::InvalidInput,
                    "word #" + std::to_string(position) +
                        " does not match; no wallet was created. Run 'nesa wallet create' again"));
    answers[position] = std::string(answer->view());
  }
  auto created = wallet::Wallet::create(file, *passphrase, phrase->view(), false);
  if (!created)
    return failWith(ctx, created.error());
  if (auto confirmed = created->confirmBackup(answers); !confirmed)
    return failWith(ctx, confirmed.error());
  ctx.out << "Wallet created: " << file.string() << '\n';
  printAccounts(ctx, *created);
  return kExitOk;
}

int restore(Context &ctx, const fs::path &file) {
  if (fs::exists(file))
    return failWith(ctx, fail(ErrorCode::AlreadyExists,
                              file.string() + " already exists; nothing was changed"));
  auto phrase = readSecretLine("Recovery phrase (12 to 24 words): ");
  if (!phrase)
    return failWith(ctx, phrase.error());
  if (auto valid = wallet::entropyFromMnemonic(phrase->view()); !valid)
    return failWith(ctx, valid.error());
  auto passphrase = readPassphrase(/*confirm=*/true);
  if (!passphrase)
    return failWith(ctx, passphrase.error());
  auto restored = wallet::Wallet::create(file, *passphrase, phrase->view(), true);
  if (!restored)
    return failWith(ctx, restored.error());
  ctx.out << "Wallet restored: " << file.string() << '\n';
  printAccounts(ctx, *restored);
  return kExitOk;
}

} // namespace

int walletCommand(Context &ctx) {
  const auto [words, file, help] = walletWords(ctx);
  if (help) {
    ctx.out << kUsage;
    return kExitOk;
  }
  const std::string action = words.empty() ? "" : words[0];
  if (action == "create" && words.size() == 1)
    return create(ctx, file);
  if (action == "restore" && words.size() == 1)
    return restore(ctx, file);
  if ((action == "address" && words.size() == 1) ||
      (action == "add-account" && words.size() == 2)) {
    auto w = openWalletFile(file);
    if (!w)
      return failWith(ctx, w.error());
    if (action == "add-account")
      if (auto added = w->addAccount(words[1]); !added)
        return failWith(ctx, added.error());
    printAccounts(ctx, *w);
    return kExitOk;
  }
  for (const char *onChain :
       {"balance", "send", "history", "sessions", "stake", "unstake", "withdraw"})
    if (action == onChain)
      return walletChainCommand(ctx, words, file);
  ctx.err << kUsage;
  return kExitUsage;
}

} // namespace nesa::cli
