// The wallet page's view of the product: the wallet's first account, its balance, what a
// transfer would cost, and sending one. Amounts are in µNES (1 NES = 1 000 000 µNES). The app
// implements it with the real wallet and ledger (app/process_wallet_backend.h); tests with fakes.
#pragma once

#include <QString>

#include <cstdint>

namespace nesa::ui {

/// The account the page shows.
struct WalletSummary {
  QString address;          ///< "nes1…"; empty when there is no wallet
  std::int64_t balance = 0; ///< µNES
  QString error;            ///< why the summary is missing ("no wallet yet", "node unreachable")
};

/// What sending `amount` to an address would cost, as the ledger prices it now.
struct TransferQuote {
  std::int64_t amount = 0, fee = 0, total = 0, balance = 0; ///< µNES
  QString error; ///< a readable reason when no quote could be made
};

/// The product behind the wallet page; every call may block (run them off the GUI thread).
class WalletBackend {
public:
  virtual ~WalletBackend() = default;
  /// The first account and its balance; the wallet file needs the passphrase to be read.
  virtual WalletSummary summary(const QString &passphrase) = 0;
  virtual TransferQuote quote(const QString &to, std::int64_t amount,
                              const QString &passphrase) = 0;
  /// Sends; returns the transaction id, or an error sentence prefixed with "error: ".
  virtual QString send(const QString &to, std::int64_t amount, const QString &passphrase) = 0;
};

/// "12.5" or "12,5" NES → µNES; -1 for anything else (negative, too many decimals, not a number).
std::int64_t parseNesAmount(const QString &text);
/// µNES → "12.500000 NES".
QString formatNesAmount(std::int64_t micro);

} // namespace nesa::ui
