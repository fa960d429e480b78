#include "wallet/chain_signer.h"

#include "wallet/ethereum_keys.h"

namespace nesa::wallet {

namespace fs = std::filesystem;

Result<void> checkAccount(const Wallet &wallet, std::uint32_t index) {
  if (index >= wallet.accounts().size())
    return fail(ErrorCode::InvalidInput, "the wallet has no account " + std::to_string(index) +
                                             " (nesa wallet address lists them)");
  return {};
}

Result<ChainSigner> openSigner(Wallet &wallet, std::uint32_t index,
                               std::unique_ptr<chain::ChainConnection> chain,
                               const fs::path &dataDir) {
  if (auto known = checkAccount(wallet, index); !known)
    return known.error();
  auto ethereum = wallet.ethereumKey(index);
  if (!ethereum)
    return ethereum.error();
  auto key = chain::AccountKey::fromSecret((*ethereum)->secret().bytes());
  if (!key)
    return key.error();
  if (auto allowed = checkSigningAllowed(key->address(), chain->chainId()); !allowed)
    return allowed.error();
  ChainSigner signer;
  signer.index = index;
  signer.chain = std::move(chain);
  signer.key = std::make_unique<chain::AccountKey>(std::move(*key));
  const fs::path folder = dataDir / "chain";
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

Result<std::vector<chain::Address>> accountAddresses(Wallet &wallet) {
  std::vector<chain::Address> out;
  for (const auto &account : wallet.accounts()) {
    auto key = wallet.ethereumKey(account.index);
    if (!key)
      return key.error();
    out.push_back((*key)->address());
  }
  return out;
}

} // namespace nesa::wallet
