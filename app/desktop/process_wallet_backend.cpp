#include "process_wallet_backend.h"

#include "sibling_command.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace nesa::app {
namespace {

CommandAnswer runNesa(const QStringList &args, const QString &passphrase = {}) {
  return runSibling(QStringLiteral("nesa"), args + QStringList{QStringLiteral("--json")},
                    passphrase);
}

QString reason(const CommandAnswer &answer) {
  return failureReason(answer,
                       QCoreApplication::translate("WalletPage", "the wallet command failed"));
}

QString unreadable() {
  return QCoreApplication::translate("WalletPage", "the wallet command's answer could not be read");
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

// The first account of an answer that lists accounts; an empty object when there is none.
QJsonObject firstAccount(const QByteArray &json) {
  const QJsonArray accounts = QJsonDocument::fromJson(json).object()[u"accounts"].toArray();
  return accounts.isEmpty() ? QJsonObject() : accounts.first().toObject();
}

// Wei (a decimal string) as "0.000069 ETH".
QString gasMoney(const QString &wei) {
  QString digits = wei.rightJustified(19, QLatin1Char('0'));
  const QString whole = digits.left(digits.size() - 18);
  return whole + QLatin1Char('.') + digits.mid(whole.size(), 6) + QStringLiteral(" ETH");
}

// "a < b" for two non-negative decimal strings.
bool decimalLess(const QString &a, const QString &b) {
  return a.size() != b.size() ? a.size() < b.size() : a < b;
}

} // namespace

ui::WalletSummary parseWalletBalance(const QByteArray &json) {
  ui::WalletSummary summary;
  const QJsonObject account = firstAccount(json);
  if (!account.contains(u"address")) {
    summary.error = QCoreApplication::translate("WalletPage", "the balance could not be read");
    return summary;
  }
  summary.address = account[u"address"].toString();
  summary.balance = account[u"balance"].toInteger();
  summary.staked = account[u"staked"].toInteger();
  summary.unbonding = account[u"unbonding"].toInteger();
  return summary;
}

ui::TransferQuote parseTransferQuote(const QByteArray &json) {
  ui::TransferQuote quote;
  const QJsonObject o = QJsonDocument::fromJson(json).object();
  if (!o.contains(u"fee_wei")) {
    quote.error = unreadable();
    return quote;
  }
  quote.amount = o[u"nes_spent"].toInteger();
  quote.balance = o[u"nes_balance"].toInteger();
  const QString maxFee = o[u"max_fee_wei"].toString();
  quote.networkFee = QCoreApplication::translate("WalletPage", "about %1, at most %2")
                         .arg(gasMoney(o[u"fee_wei"].toString()), gasMoney(maxFee));
  quote.feeCovered = !decimalLess(o[u"gas_balance_wei"].toString(), maxFee);
  return quote;
}

std::vector<ui::WalletHistoryEntry> parseWalletHistory(const QByteArray &json) {
  std::vector<ui::WalletHistoryEntry> entries;
  for (const auto &value : firstAccount(json)[u"entries"].toArray()) {
    const QJsonObject e = value.toObject();
    ui::WalletHistoryEntry entry;
    entry.height = e[u"block"].toInteger();
    entry.kind = e[u"kind"].toString();
    entry.amount = e[u"amount"].toInteger();
    entry.counterparty = e[u"counterparty"].toString();
    entries.push_back(entry);
  }
  return entries;
}

std::vector<ui::WalletSession> parseWalletSessions(const QByteArray &json) {
  std::vector<ui::WalletSession> sessions;
  for (const auto &value : firstAccount(json)[u"sessions"].toArray()) {
    const QJsonObject s = value.toObject();
    ui::WalletSession session;
    session.miner = s[u"miner"].toString();
    session.id = session.miner + QLatin1Char('#') + QString::number(s[u"epoch"].toInteger());
    session.openedAt = s[u"opened_block"].toInteger();
    session.open = s[u"open"].toBool();
    session.deposit = s[u"deposit"].toInteger();
    session.paid = s[u"settled"].toInteger();
    session.until = s[u"expires_at"].toInteger();
    sessions.push_back(session);
  }
  return sessions;
}

std::vector<ui::GovernanceProposal> parseProposals(const QByteArray &json) {
  std::vector<ui::GovernanceProposal> proposals;
  for (const auto &value : QJsonDocument::fromJson(json).object()[u"proposals"].toArray()) {
    const QJsonObject o = value.toObject();
    ui::GovernanceProposal p;
    p.id = o[u"id"].toString();
    p.change = o[u"description"].toString();
    p.yes = o[u"for"].toInteger();
    p.no = o[u"against"].toInteger();
    p.state = o[u"state"].toString();
    p.open = p.state == QLatin1String("active");
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
  return parseWalletBalance(answer.out.toUtf8());
}

ui::TransferQuote ProcessWalletBackend::quote(ui::WalletAction action, const QString &to,
                                              std::int64_t amount, const QString &passphrase) {
  const CommandAnswer answer =
      runNesa(actionWords(action, to, amount) << QStringLiteral("--quote"), passphrase);
  if (answer.code != 0) {
    ui::TransferQuote quote;
    quote.error = reason(answer);
    return quote;
  }
  return parseTransferQuote(answer.out.toUtf8());
}

QString ProcessWalletBackend::submit(ui::WalletAction action, const QString &to,
                                     std::int64_t amount, const QString &passphrase) {
  const CommandAnswer answer =
      runNesa(actionWords(action, to, amount) << QStringLiteral("--yes"), passphrase);
  const QJsonArray sent = QJsonDocument::fromJson(answer.out.toUtf8()).object()[u"sent"].toArray();
  if (answer.code != 0 || sent.isEmpty())
    return QStringLiteral("error: ") + reason(answer);
  return sent.last().toObject()[u"hash"].toString();
}

ui::WalletHistory ProcessWalletBackend::history(const QString &passphrase) {
  ui::WalletHistory history;
  const CommandAnswer answer = runNesa({QStringLiteral("wallet"), QStringLiteral("history"),
                                        QStringLiteral("--limit"), QStringLiteral("50")},
                                       passphrase);
  if (answer.code != 0)
    history.error = reason(answer);
  else
    history.entries = parseWalletHistory(answer.out.toUtf8());
  return history;
}

ui::WalletSessions ProcessWalletBackend::sessions(const QString &passphrase) {
  ui::WalletSessions sessions;
  const CommandAnswer answer =
      runNesa({QStringLiteral("wallet"), QStringLiteral("sessions")}, passphrase);
  if (answer.code != 0)
    sessions.error = reason(answer);
  else
    sessions.sessions = parseWalletSessions(answer.out.toUtf8());
  return sessions;
}

ui::Governance ProcessWalletBackend::proposals() {
  ui::Governance governance;
  const CommandAnswer answer = runNesa({QStringLiteral("gov"), QStringLiteral("list")});
  if (answer.code != 0)
    governance.error = reason(answer);
  else
    governance.proposals = parseProposals(answer.out.toUtf8());
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
