// The desktop app's WalletSetupBackend: the wallet library (wallet/wallet.h) writing the same
// file the CLI uses.
#pragma once

#include "ui/wallet_setup_backend.h"

#include <filesystem>

namespace nesa::app {

/// Creates the wallet at `file` (wallet::defaultWalletFile of the data folder).
class WalletSetup : public ui::WalletSetupBackend {
public:
  /// `testKdf`: cheap key derivation, for tests only.
  explicit WalletSetup(std::filesystem::path file, bool testKdf = false)
      : m_file(std::move(file)), m_testKdf(testKdf) {}

  QStringList newRecoveryPhrase() override;
  QString checkRecoveryPhrase(const QString &phrase) override;
  QString createWallet(const QString &phrase, const QString &passphrase,
                       const std::map<int, QString> &confirmed) override;

private:
  std::filesystem::path m_file;
  bool m_testKdf = false;
};

} // namespace nesa::app
