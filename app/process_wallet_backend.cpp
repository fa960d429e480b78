#include "process_wallet_backend.h"

#include <QCoreApplication>
#include <QProcess>
#include <QRegularExpression>

namespace nesa::app {
namespace {

struct Answer {
  int code = -1;
  QString out, err;
};

Answer runNesa(const QStringList &args, const QString &passphrase = {},
               const QByteArray &input = {}) {
  QProcess process;
  auto env = QProcessEnvironment::systemEnvironment();
  if (!passphrase.isEmpty())
    env.insert(QStringLiteral("NESA_WALLET_PASSPHRASE"), passphrase);
  process.setProcessEnvironment(env);
  process.start(QCoreApplication::applicationDirPath() + QStringLiteral("/nesa"), args);
  process.write(input);
  process.closeWriteChannel();
  if (!process.waitForFinished(120000)) {
    process.kill();
    return {-1, {}, QCoreApplication::translate("WalletPage", "the wallet command did not answer")};
  }
  return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
          QString::fromUtf8(process.readAllStandardOutput()),
          QString::fromUtf8(process.readAllStandardError())};
}

// The last line of a failing command, without its "nesa wallet: " prefix.
QString reason(const Answer &answer) {
  const auto lines = answer.err.trimmed().split(QLatin1Char('\n'));
  QString last = lines.isEmpty() ? QString() : lines.last();
  last.remove(QRegularExpression(QStringLiteral("^nesa [a-z]+: ")));
  return last.isEmpty() ? QCoreApplication::translate("WalletPage", "the wallet command failed")
                        : last;
}

// "12.345678 NES" → µNES.
std::int64_t micro(const QString &nes) { return ui::parseNesAmount(nes); }

QString amountText(std::int64_t amount) {
  return QStringLiteral("%1.%2")
      .arg(amount / 1'000'000)
      .arg(amount % 1'000'000, 6, 10, QLatin1Char('0'));
}

} // namespace

ui::WalletSummary ProcessWalletBackend::summary(const QString &passphrase) {
  ui::WalletSummary summary;
  const Answer answer = runNesa({QStringLiteral("wallet"), QStringLiteral("balance")}, passphrase);
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
  summary.balance = micro(match.captured(2));
  return summary;
}

ui::TransferQuote ProcessWalletBackend::quote(const QString &to, std::int64_t amount,
                                              const QString &passphrase) {
  // `nesa wallet send` shows amount, fee and total, then asks; answering "n" sends nothing.
  ui::TransferQuote quote;
  const Answer answer =
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
  quote.fee = micro(f.captured(1));
  quote.total = micro(t.captured(1));
  quote.balance = micro(t.captured(2));
  return quote;
}

QString ProcessWalletBackend::send(const QString &to, std::int64_t amount,
                                   const QString &passphrase) {
  const Answer answer = runNesa({QStringLiteral("wallet"), QStringLiteral("send"), to,
                                 amountText(amount), QStringLiteral("--yes")},
                                passphrase);
  static const QRegularExpression submitted(QStringLiteral("submitted ([0-9a-f]+)"));
  const auto match = submitted.match(answer.out);
  if (answer.code != 0 || !match.hasMatch())
    return QStringLiteral("error: ") + reason(answer);
  return match.captured(1);
}

} // namespace nesa::app
