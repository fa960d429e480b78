#include "wallet_secrets.h"

#include "wallet/ethereum_keys.h"
#include "wallet/wallet.h"

#include <filesystem>
#include <memory>

namespace nesa::app {
namespace {

/// The wallet, opened on first use in a query (one passphrase however many secrets it asks for)
/// and closed when the query ends.
struct LazyWallet {
  std::filesystem::path file;
  PassphraseSource passphrase;
  std::optional<wallet::Wallet> opened;

  Result<wallet::Wallet *> get(const std::string &purpose) {
    if (opened)
      return &*opened;
    auto secret = passphrase();
    if (!secret)
      return secret.error();
    auto unlocked = wallet::Wallet::open(file, *secret);
    if (!unlocked)
      return unlocked.error().withContext(purpose);
    opened.emplace(std::move(*unlocked));
    return &*opened;
  }
};

} // namespace

analysis::Secrets walletSecrets(const Config &config, PassphraseSource passphrase,
                                std::function<void(const std::string &)> onNotice,
                                std::function<void()> onForget) {
  auto lazy = std::make_shared<LazyWallet>();
  lazy->passphrase = std::move(passphrase);
  lazy->file = wallet::defaultWalletFile(config.effectiveDataDir());
  analysis::Secrets secrets;
  secrets.eeKey = [lazy, onNotice]() -> Result<std::shared_ptr<const privacy::EeKey>> {
    std::error_code ec;
    if (!std::filesystem::exists(lazy->file, ec)) {
      auto fresh = privacy::EeKey::generate();
      if (!fresh)
        return fresh.error();
      if (onNotice)
        onNotice("no wallet: using a one-off EE key for this run (create a wallet to keep one)");
      return std::make_shared<const privacy::EeKey>(std::move(*fresh));
    }
    auto opened = lazy->get("the wallet keeps the EE key");
    if (!opened)
      return opened.error();
    auto secret = (*opened)->eeKeySecret();
    if (!secret)
      return secret.error();
    auto key = privacy::EeKey::fromBytes(secret->bytes());
    if (!key)
      return key.error();
    return std::make_shared<const privacy::EeKey>(std::move(*key));
  };
  // On this computer's devnet the demo phrase's account pays (public: it exists on the devnet
  // chain id only); anywhere else the wallet's account 0, if it may sign there.
  secrets.payer = [lazy](bool localDevnet, std::uint64_t chainId) -> Result<chain::AccountKey> {
    if (localDevnet) { // its phrase is public: it signs on the devnet's chain id only
      auto demo = wallet::devnetDemoAccountKey();
      if (!demo)
        return demo.error();
      if (auto allowed = wallet::checkSigningAllowed(demo->address(), chainId); !allowed)
        return allowed.error();
      return demo;
    }
    auto opened = lazy->get("the wallet pays the miners");
    if (!opened)
      return opened.error();
    auto key = (*opened)->ethereumKey(0);
    if (!key)
      return key.error();
    auto payer = chain::AccountKey::fromSecret((*key)->secret().bytes());
    if (!payer)
      return payer.error();
    if (auto allowed = wallet::checkSigningAllowed(payer->address(), chainId); !allowed)
      return allowed.error();
    return payer;
  };
  secrets.forget = [lazy, onForget = std::move(onForget)] {
    lazy->opened.reset();
    if (onForget)
      onForget();
  };
  return secrets;
}

} // namespace nesa::app
