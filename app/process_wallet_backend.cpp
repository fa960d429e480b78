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

// The CLI words for `action` of `amount` (to `to`).
QStringList actionWords(ui::WalletAction action, const QString &to, std::int64_t amount) {
  switch (action) {
  case ui::WalletAction::Send:
    return {QStringLiteral("wallet"), QStringLiteral("send"), to, amountText(amount)};
  case ui::WalletAction::Stake:
    return {QStringLiteral("wallet"), QStringLiteral("stake"), amountText(amount)};
  case ui::WalletAction::Unstake:
    return {QStringLiteral("wallet"), QStringLiteral("unstake"), amountText(amount)};
  }
  return {};
}

} // namespace

ui::WalletSummary parseWalletBalance(const QString &text) {
  static const QRegularExpression line(
      QStringLiteral("^(nes1\\S+)\\s+([0-9.]+) NES(?:\\s+\\(staked ([0-9.]+) NES, unbonding "
                     "([0-9.]+) NES\\))?"),
      QRegularExpression::MultilineOption);
  ui::WalletSummary summary;
  const auto match = line.match(text);
  if (!match.hasMatch()) {
    summary.error = QCoreApplication::translate("WalletPage", "the balance could not be read");
    return summary;
  }
  summary.address = match.captured(1);
  summary.balance = ui::parseNesAmount(match.captured(2));
  if (match.hasCaptured(3)) {
    summary.staked = ui::parseNesAmount(match.captured(3));
    summary.unbonding = ui::parseNesAmount(match.captured(4));
  }
  return summary;
}

std::vector<ui::WalletHistoryEntry> parseWalletHistory(const QString &text) {
  static const QRegularExpression line(
      QStringLiteral("^\\s*block (\\d+)  (.+?)  ([+-])([0-9.]+) NES(?:  fee ([0-9.]+) NES)?"
                     "(?:  (?:to|from) (nes1\\S+))?\\s*$"));
  std::vector<ui::WalletHistoryEntry> entries;
  for (const QString &row : text.split(QLatin1Char('\n'))) {
    const auto m = line.match(row);
    if (!m.hasMatch())
      continue;
    ui::WalletHistoryEntry entry;
    entry.height = m.captured(1).toLongLong();
    entry.kind = m.captured(2);
    entry.amount =
        ui::parseNesAmount(m.captured(4)) * (m.captured(3) == QLatin1String("-") ? -1 : 1);
    entry.fee = m.hasCaptured(5) ? ui::parseNesAmount(m.captured(5)) : 0;
    entry.counterparty = m.captured(6);
    entries.push_back(entry);
  }
  return entries;
}

std::vector<ui::WalletSession> parseWalletSessions(const QString &text) {
  static const QRegularExpression line(
      QStringLiteral("^\\s*session ([0-9a-f]{64})  opened in block (\\d+)  (?:(closed)|miner "
                     "(nes1\\S+)  deposit ([0-9.]+) NES  paid ([0-9.]+) NES  until block "
                     "(\\d+))\\s*$"));
  std::vector<ui::WalletSession> sessions;
  for (const QString &row : text.split(QLatin1Char('\n'))) {
    const auto m = line.match(row);
    if (!m.hasMatch())
      continue;
    ui::WalletSession session;
    session.id = m.captured(1);
    session.openedAt = m.captured(2).toLongLong();
    session.open = !m.hasCaptured(3);
    if (session.open) {
      session.miner = m.captured(4);
      session.deposit = ui::parseNesAmount(m.captured(5));
      session.paid = ui::parseNesAmount(m.captured(6));
      session.until = m.captured(7).toLongLong();
    }
    sessions.push_back(session);
  }
  return sessions;
}

std::vector<ui::GovernanceProposal> parseProposals(const QString &text) {
  static const QRegularExpression line(
      QStringLiteral("^([0-9a-f]{64})  (.+?)  yes ([0-9.]+) NES, no ([0-9.]+) NES  (.+)$"));
  std::vector<ui::GovernanceProposal> proposals;
  for (const QString &row : text.split(QLatin1Char('\n'))) {
    const auto m = line.match(row.trimmed());
    if (!m.hasMatch())
      continue;
    ui::GovernanceProposal p;
    p.id = m.captured(1);
    p.change = m.captured(2);
    p.yes = ui::parseNesAmount(m.captured(3));
    p.no = ui::parseNesAmount(m.captured(4));
    p.state = m.captured(5);
    p.open = p.state.startsWith(QLatin1String("open"));
    proposals.push_back(p);
  }
  return proposals;
}

ui::WalletSummary ProcessWalletBackend::summary(const QString &passphrase) {
  const CommandAnswer answer =
      runNesa({QStringLiteral("wallet"), QStringLiteral("balance")}, passphrase);
  if (answer.code != 0) {
    ui::WalletSummary summary;
    summary.error = reason(answer);
    return summary;
  }
  return parseWalletBalance(answer.out);
}

ui::TransferQuote ProcessWalletBackend::quote(ui::WalletAction action, const QString &to,
                                              std::int64_t amount, const QString &passphrase) {
  // The CLI shows amount, fee and total, then asks; answering "n" sends nothing.
  ui::TransferQuote quote;
  const CommandAnswer answer = runNesa(actionWords(action, to, amount), passphrase, "n\n");
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

QString ProcessWalletBackend::submit(ui::WalletAction action, const QString &to,
                                     std::int64_t amount, const QString &passphrase) {
  const CommandAnswer answer =
      runNesa(actionWords(action, to, amount) << QStringLiteral("--yes"), passphrase);
  static const QRegularExpression submitted(QStringLiteral("submitted ([0-9a-f]+)"));
  const auto match = submitted.match(answer.out);
  if (answer.code != 0 || !match.hasMatch())
    return QStringLiteral("error: ") + reason(answer);
  return match.captured(1);
}

ui::WalletHistory ProcessWalletBackend::history(const QString &passphrase) {
  ui::WalletHistory history;
  const CommandAnswer answer = runNesa({QStringLiteral("wallet"), QStringLiteral("history"),
                                        QStringLiteral("--limit"), QStringLiteral("50")},
                                       passphrase);
  if (answer.code != 0)
    history.error = reason(answer);
  else
    history.entries = parseWalletHistory(answer.out);
  return history;
}

ui::WalletSessions ProcessWalletBackend::sessions(const QString &passphrase) {
  ui::WalletSessions sessions;
  const CommandAnswer answer =
      runNesa({QStringLiteral("wallet"), QStringLiteral("sessions")}, passphrase);
  if (answer.code != 0)
    sessions.error = reason(answer);
  else
    sessions.sessions = parseWalletSessions(answer.out);
  return sessions;
}

ui::Governance ProcessWalletBackend::proposals() {
  ui::Governance governance;
  const CommandAnswer answer = runNesa({QStringLiteral("gov"), QStringLiteral("list")});
  if (answer.code != 0)
    governance.error = reason(answer);
  else
    governance.proposals = parseProposals(answer.out);
  return governance;
}

QString ProcessWalletBackend::vote(const QString &proposal, bool yes, const QString &passphrase) {
  const CommandAnswer answer =
      runNesa({QStringLiteral("gov"), QStringLiteral("vote"), proposal,
               yes ? QStringLiteral("yes") : QStringLiteral("no"), QStringLiteral("--yes")},
              passphrase);
  return answer.code == 0 ? QString() : reason(answer);
}

} // namespace nesa::app
