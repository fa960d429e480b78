// The first-run wizard's view of the product: a new recovery phrase, checking one the user
// typed, and creating the wallet file. The app implements it with the wallet library
// (app/desktop/wallet_setup.h); tests with fakes.
#pragma once

#include <QString>
#include <QStringList>

#include <map>

namespace nesa::ui {

/// Making this computer's wallet.
class WalletSetupBackend {
public:
  virtual ~WalletSetupBackend() = default;
  /// A fresh 24-word recovery phrase.
  virtual QStringList newRecoveryPhrase() = 0;
  /// "" when `phrase` is a valid recovery phrase, else why not (an unknown word, a typo).
  virtual QString checkRecoveryPhrase(const QString &phrase) = 0;
  /// Creates the wallet from `phrase`, locked by `passphrase`. `confirmed` (1-based position →
  /// word) proves a new phrase was written down; empty for a restored one. "" or why not.
  virtual QString createWallet(const QString &phrase, const QString &passphrase,
                               const std::map<int, QString> &confirmed) = 0;
};

} // namespace nesa::ui
