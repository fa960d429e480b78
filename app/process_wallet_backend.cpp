#include "process_wallet_backend.h"

#include "sibling_command.h"

#include <QCoreApplication>
#include <QRegularExpression>

namespace nesa::app {
namespace {

CommandAnswer runNesa(const QStringList &args, const QString &passphrase = {},
                      const QByteArray &input = {}) {
  return runSibling(QStringLiteral("nesa"), args, passphrase, input);
}

QString reason(const CommandAnswer &answer) {
  return failureReason(answer,
                       QCoreApplication::translate("WalletPage", "the wallet command failed"));
}

// µNES as the CLI's NES argument: "1.500000".
QString amountText(std::int64_t amount) { return ui::formatNesAmount(amount).chopped(4); }

} // namespace

ui::WalletSummary ProcessWalletBackend::summary(const QString &passphrase) {
  ui::WalletSummary summary;
  const CommandAnswer answer =
      runNesa({QStringLiteral("wallet"), QStringLiteral("balance")}, passphrase);
  if (answer.code != 0) {
    summary.error = reason(answer);
    return summary;
  }
  static const QRegularExpression line(QStringLiteral("^(nes1\\S+)\\s+([0-9.]+) NES"));
  const auto match = line.match(answer.out.trimmed());
  if (!match.hasMatch()) {
    summary.error = QCoreApplication::translate("WalletPage", "the balance could not be read");
    return summary;
  }
  summary.address = match.captured(1);
  summary.balance = ui::parseNesAmount(match.captured(2));
  return summary;
}

ui::TransferQuote ProcessWalletBackend::quote(const QString &to, std::int64_t amount,
                                              const QString &passphrase) {
  // `nesa wallet send` shows amount, fee and total, then asks; answering "n" sends nothing.
  ui::TransferQuote quote;
  const CommandAnswer answer =
      runNesa({QStringLiteral("wallet"), QStringLiteral("send"), to, amountText(amount)},
              passphrase, "n\n");
  static const QRegularExpression fee(QStringLiteral("fee\\s+([0-9.]+) NES"));
  static const QRegularExpression total(QStringLiteral("total\\s+([0-9.]+) NES of ([0-9.]+) NES"));
  const auto f = fee.match(answer.out), t = total.match(answer.out);
  if (!f.hasMatch() || !t.hasMatch()) {
    quote.error = reason(answer);
    return quote;
  }
  quote.amount = amount;
  quote.fee = ui::parseNesAmount(f.captured(1));
  quote.total = ui::parseNesAmount(t.captured(1));
  quote.balance = ui::parseNesAmount(t.captured(2));
  return quote;
}

QString ProcessWalletBackend::send(const QString &to, std::int64_t amount,
                                   const QString &passphrase) {
  const CommandAnswer answer = runNesa({QStringLiteral("wallet"), QStringLiteral("send"), to,
                                        amountText(amount), QStringLiteral("--yes")},
                                       passphrase);
  static const QRegularExpression submitted(QStringLiteral("submitted ([0-9a-f]+)"));
  const auto match = submitted.match(answer.out);
  if (answer.code != 0 || !match.hasMatch())
    return QStringLiteral("error: ") + reason(answer);
  return match.captured(1);
}

} // namespace nesa::app
