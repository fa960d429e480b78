#include "chain_wallet_backend.h"

#include "policy/audit_records.h"
#include "policy/storage_places.h"
#include "util/config.h"
#include "wallet/account_reads.h"
#include "wallet/action_records.h"
#include "wallet/display_text.h"
#include "wallet/governance.h"

#include <QCoreApplication>

#include <limits>
#include <optional>

namespace nesa::app {
namespace {

namespace fs = std::filesystem;

/// How many transfers the history tab shows.
constexpr std::size_t kHistoryLimit = 50;

QString text(const Error &error) { return QString::fromStdString(error.message); }

/// What a quote is remembered by.
QString quoteKey(ui::WalletAction action, const QString &to, std::int64_t amount) {
  return QString::number(static_cast<int>(action)) + QLatin1Char('|') + to.trimmed().toLower() +
         QLatin1Char('|') + QString::number(amount);
}
QString text(const std::string &s) { return QString::fromStdString(s); }

std::int64_t signedAmount(std::uint64_t micro) {
  return static_cast<std::int64_t>(
      std::min<std::uint64_t>(micro, std::numeric_limits<std::int64_t>::max()));
}

/// The settings, the wallet unlocked with `passphrase`, and the network they name.
struct Opened {
  Config config;
  wallet::Wallet wallet;
  std::unique_ptr<chain::ChainConnection> chain;
};

/// The settings in `configPath`, else in the default file.
Result<Config> settings(const QString &configPath) {
  return loadConfigOrDefault(configPath.toStdString());
}

Result<std::unique_ptr<chain::ChainConnection>> connect(const Config &config) {
  auto access = chain::configuredChain(config);
  if (!access)
    return access.error();
  return chain::ChainConnection::open(*access);
}

/// The passphrase in locked memory.
Result<SecureBuffer> secretOf(const QString &passphrase) {
  QByteArray bytes = passphrase.toUtf8();
  auto secret = SecureBuffer::copyOf(std::string_view(bytes.constData(), bytes.size()));
  bytes.fill('\0'); // (the QString itself is the page's)
  return secret;
}

Result<Opened> open(const QString &configPath, const QString &passphrase) {
  auto config = settings(configPath);
  if (!config)
    return config.error();
  const fs::path file = wallet::defaultWalletFile(config->effectiveDataDir());
  std::error_code ec;
  if (!fs::exists(file, ec))
    return fail(ErrorCode::NotFound,
                QCoreApplication::translate("WalletPage", "there is no wallet yet").toStdString());
  auto secret = secretOf(passphrase);
  if (!secret)
    return secret.error();
  auto unlocked = wallet::Wallet::open(file, *secret);
  if (!unlocked)
    return unlocked.error();
  auto chain = connect(*config);
  if (!chain)
    return chain.error();
  return Opened{std::move(*config), std::move(*unlocked), std::move(*chain)};
}

/// The wallet's first account on the network.
Result<chain::Address> firstAddress(wallet::Wallet &w) {
  auto addresses = wallet::accountAddresses(w);
  if (!addresses)
    return addresses.error();
  if (addresses->empty())
    return fail(ErrorCode::NotFound, "the wallet has no account");
  return addresses->front();
}

/// The plan of `action`, signed by the wallet's first account.
struct Planned {
  wallet::ChainSigner signer;
  wallet::Plan plan;
};

Result<Planned> plan(const QString &configPath, ui::WalletAction action, const QString &to,
                     std::int64_t amount, const QString &passphrase) {
  if (amount <= 0)
    return fail(ErrorCode::InvalidInput, "the amount must be above 0");
  std::optional<chain::Address> recipient;
  if (action == ui::WalletAction::Send) {
    auto parsed = chain::parseAddress(to.trimmed().toStdString());
    if (!parsed)
      return parsed.error();
    recipient = *parsed;
  }
  auto opened = open(configPath, passphrase);
  if (!opened)
    return opened.error();
  auto signer = wallet::openSigner(opened->wallet, 0, std::move(opened->chain),
                                   opened->config.effectiveDataDir());
  if (!signer)
    return signer.error();
  const auto micro = static_cast<std::uint64_t>(amount);
  chain::ChainConnection &chain = *signer->chain;
  Planned out{std::move(*signer), {}};
  switch (action) {
  case ui::WalletAction::Send:
    out.plan = wallet::planTransfer(chain.contracts(), *recipient, micro);
    break;
  case ui::WalletAction::Stake: out.plan = wallet::planStake(chain.contracts(), micro); break;
  case ui::WalletAction::Unstake: out.plan = wallet::planUnstake(chain, micro); break;
  }
  return out;
}

/// Sends `plan` as `signer`, recorded in the audit log when the settings of `configPath` keep
/// one: the key's use, then the action with what was sent. An action the log cannot take is not
/// sent.
wallet::PlanOutcome sendRecorded(const QString &configPath, const QString &passphrase,
                                 wallet::ChainSigner &signer, const wallet::Plan &plan,
                                 const wallet::PlanPrice &price) {
  const std::string by = "the desktop app's wallet page";
  auto config = settings(configPath);
  if (!config)
    return {{}, config.error()};
  std::optional<audit::AuditLog> log;
  if (policy::auditLogOn(*config)) {
    auto secret = secretOf(passphrase);
    auto opened = secret ? policy::openAuditLogIfEnabled(*config, *secret)
                         : Result<std::optional<audit::AuditLog>>(secret.error());
    if (!opened)
      return {{}, opened.error()};
    log = std::move(*opened);
    if (auto used = log->append(wallet::keyUseRecord(signer, by)); !used)
      return {{}, used.error().withContext("recording the key's use in the audit log")};
  }
  wallet::PlanOutcome outcome = wallet::sendPlan(signer, plan, price);
  if (log)
    if (auto recorded = log->append(wallet::walletActionRecord(signer, plan, outcome, by));
        !recorded && !outcome.error)
      outcome.error =
          recorded.error().withContext("sent, but recording it in the audit log failed");
  return outcome;
}

} // namespace

ui::WalletSummary ChainWalletBackend::summary(const QString &passphrase) {
  ui::WalletSummary summary;
  auto opened = open(m_configPath, passphrase);
  if (!opened) {
    summary.error = text(opened.error());
    return summary;
  }
  auto address = firstAddress(opened->wallet);
  auto balance = address ? wallet::readBalance(*opened->chain, *address)
                         : Result<wallet::AccountBalance>(address.error());
  if (!balance) {
    summary.error = text(balance.error());
    return summary;
  }
  summary.address = text(chain::checksumAddress(balance->address));
  summary.balance = signedAmount(balance->balance);
  summary.staked = signedAmount(balance->staked);
  summary.unbonding = signedAmount(balance->unbonding);
  return summary;
}

ui::TransferQuote ChainWalletBackend::quote(ui::WalletAction action, const QString &to,
                                            std::int64_t amount, const QString &passphrase) {
  ui::TransferQuote quote;
  auto planned = plan(m_configPath, action, to, amount, passphrase);
  auto price = planned ? wallet::pricePlan(planned->signer, planned->plan)
                       : Result<wallet::PlanPrice>(planned.error());
  if (!price) {
    quote.error = text(price.error());
    return quote;
  }
  quote.amount = signedAmount(planned->plan.nesSpent);
  quote.balance = signedAmount(price->nesBalance);
  quote.networkFee = QCoreApplication::translate("WalletPage", "about %1, at most %2")
                         .arg(text(wallet::formatGasMoney(price->fee)),
                              text(wallet::formatGasMoney(price->maxFee)));
  quote.feeCovered = price->feeCovered();
  std::lock_guard lock(m_quotesMutex);
  m_quotedMaxFee[quoteKey(action, to, amount)] = text(price->maxFee.toDecimal());
  return quote;
}

QString ChainWalletBackend::submit(ui::WalletAction action, const QString &to, std::int64_t amount,
                                   const QString &passphrase) {
  std::optional<chain::U256> quotedMaxFee;
  {
    std::lock_guard lock(m_quotesMutex);
    if (auto known = m_quotedMaxFee.find(quoteKey(action, to, amount));
        known != m_quotedMaxFee.end())
      if (auto parsed = chain::U256::parse(known->second.toStdString()))
        quotedMaxFee = *parsed;
  }
  if (!quotedMaxFee)
    return QStringLiteral("error: ") +
           QCoreApplication::translate("WalletPage",
                                       "review it first: nothing is sent without a quote");
  std::lock_guard sending(m_sending);
  auto planned = plan(m_configPath, action, to, amount, passphrase);
  auto price = planned ? wallet::pricePlan(planned->signer, planned->plan)
                       : Result<wallet::PlanPrice>(planned.error());
  if (!price)
    return QStringLiteral("error: ") + text(price.error());
  if (*quotedMaxFee < price->maxFee)
    return QStringLiteral("error: ") +
           QCoreApplication::translate("WalletPage", "the network fee rose since the review (now "
                                                     "at most %1): review it again; nothing was "
                                                     "sent")
               .arg(text(wallet::formatGasMoney(price->maxFee)));
  const wallet::PlanOutcome outcome =
      sendRecorded(m_configPath, passphrase, planned->signer, planned->plan, *price);
  {
    std::lock_guard lock(m_quotesMutex);
    m_quotedMaxFee.erase(quoteKey(action, to, amount));
  }
  if (outcome.error)
    return QStringLiteral("error: ") + text(*outcome.error);
  if (outcome.sent.empty())
    return QStringLiteral("error: ") +
           QCoreApplication::translate("WalletPage", "nothing was sent");
  return text(chain::toHex(outcome.sent.back().hash));
}

ui::WalletHistory ChainWalletBackend::history(const QString &passphrase) {
  ui::WalletHistory history;
  auto opened = open(m_configPath, passphrase);
  auto address = opened ? firstAddress(opened->wallet) : Result<chain::Address>(opened.error());
  auto transfers = address ? wallet::readTransfers(*opened->chain, *address, kHistoryLimit)
                           : Result<std::vector<wallet::TokenTransfer>>(address.error());
  if (!transfers) {
    history.error = text(transfers.error());
    return history;
  }
  for (const auto &t : *transfers)
    history.entries.push_back({static_cast<std::int64_t>(t.block), text(t.kind), t.amount,
                               text(chain::checksumAddress(t.counterparty))});
  return history;
}

ui::WalletSessions ChainWalletBackend::sessions(const QString &passphrase) {
  ui::WalletSessions sessions;
  auto opened = open(m_configPath, passphrase);
  auto address = opened ? firstAddress(opened->wallet) : Result<chain::Address>(opened.error());
  auto found = address ? wallet::readSessions(*opened->chain, *address)
                       : Result<std::vector<wallet::PaymentSession>>(address.error());
  if (!found) {
    sessions.error = text(found.error());
    return sessions;
  }
  for (const auto &s : *found) {
    ui::WalletSession session;
    session.miner = text(chain::checksumAddress(s.miner));
    session.id = session.miner + QLatin1Char('#') + QString::number(s.epoch);
    session.openedAt = static_cast<std::int64_t>(s.openedBlock);
    session.open = s.open;
    session.deposit = signedAmount(s.deposit);
    session.paid = signedAmount(s.settled);
    session.until = static_cast<std::int64_t>(s.expiresAt);
    sessions.sessions.push_back(session);
  }
  return sessions;
}

ui::Governance ChainWalletBackend::proposals() {
  ui::Governance governance;
  auto config = settings(m_configPath);
  auto chain =
      config ? connect(*config) : Result<std::unique_ptr<chain::ChainConnection>>(config.error());
  auto statuses = chain ? wallet::readProposalStatuses(**chain)
                        : Result<std::vector<wallet::ProposalStatus>>(chain.error());
  if (!statuses) {
    governance.error = text(statuses.error());
    return governance;
  }
  for (const auto &s : *statuses) {
    ui::GovernanceProposal p;
    p.id = text(s.id);
    p.change = text(s.description);
    p.yes = signedAmount(s.inFavour);
    p.no = signedAmount(s.against);
    p.state = text(s.state);
    p.open = s.state == "active";
    governance.proposals.push_back(p);
  }
  return governance;
}

QString ChainWalletBackend::vote(const QString &proposal, bool yes, const QString &passphrase) {
  std::lock_guard sending(m_sending);
  auto opened = open(m_configPath, passphrase);
  if (!opened)
    return text(opened.error());
  auto signer = wallet::openSigner(opened->wallet, 0, std::move(opened->chain),
                                   opened->config.effectiveDataDir());
  if (!signer)
    return text(signer.error());
  auto plan = wallet::planProposalStep(*signer->chain, signer->key->address(),
                                       proposal.toStdString(), wallet::ProposalStep::Vote,
                                       yes ? wallet::Support::For : wallet::Support::Against);
  auto price = plan ? wallet::pricePlan(*signer, *plan) : Result<wallet::PlanPrice>(plan.error());
  if (!price)
    return text(price.error());
  const wallet::PlanOutcome outcome =
      sendRecorded(m_configPath, passphrase, *signer, *plan, *price);
  return outcome.error ? text(*outcome.error) : QString();
}

} // namespace nesa::app
