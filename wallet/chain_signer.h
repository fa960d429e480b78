// A wallet account that signs and sends transactions on one Nesa network. Sent transactions are
// journaled in the data folder, so a crash never loses nor repeats one.
#pragma once

#include "chain/chain_access.h"
#include "chain/transactor.h"
#include "wallet/wallet.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <vector>

namespace nesa::wallet {

/// An unlocked account on a network, ready to send.
struct ChainSigner {
  std::unique_ptr<chain::ChainConnection> chain;
  std::unique_ptr<chain::AccountKey> key;
  std::unique_ptr<chain::Transactor> sender;
  std::uint32_t index = 0;
};

/// InvalidInput, naming the command that lists them, when `wallet` has no account `index`.
Result<void> checkAccount(const Wallet &wallet, std::uint32_t index);

/// Opens account `index` of the unlocked `wallet` on `chain`; its journal goes in
/// DATA/chain/wallet-0x…-chainN-0xTOKEN-journal.json (`dataDir`). InvalidInput for an account
/// the wallet does not have; the demo account is refused off the devnet (checkSigningAllowed).
Result<ChainSigner> openSigner(Wallet &wallet, std::uint32_t index,
                               std::unique_ptr<chain::ChainConnection> chain,
                               const std::filesystem::path &dataDir);

/// The Ethereum address of each of the unlocked `wallet`'s accounts, by index.
Result<std::vector<chain::Address>> accountAddresses(Wallet &wallet);

} // namespace nesa::wallet
