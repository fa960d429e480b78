#include "miner/payment_desk.h"

#include <sodium.h>

namespace nesa::miner {

PaymentDesk::PaymentDesk(std::shared_ptr<ledger::Ledger> ledger, ledger::KeyHash self,
                         int creditJobs)
    : m_ledger(std::move(ledger)), m_self(self), m_creditJobs(creditJobs) {}

Result<PaymentDesk::Account *> PaymentDesk::accountFor(const ledger::Hash &id) {
  if (auto it = m_accounts.find(id); it != m_accounts.end())
    return &it->second;
  if (m_chainId.empty()) {
    auto status = m_ledger->status();
    if (!status)
      return status.error();
    m_chainId = status->chainId;
  }
  auto session = m_ledger->session(id);
  if (!session)
    return session.error();
  if (!*session)
    return fail(ErrorCode::NotFound, "payment refused: there is no such session on the ledger");
  if ((*session)->miner != m_self)
    return fail(ErrorCode::InvalidInput, "payment refused: the session is with another miner");
  Account account;
  account.session = **session;
  account.settledUpTo = account.session.paid;
  return &(m_accounts[id] = account);
}

Result<void> PaymentDesk::check(Account &account, const ledger::Receipt &receipt) {
  const auto bytes = ledger::Receipt::signedBytes(m_chainId, receipt.session, receipt.cumulative);
  if (crypto_sign_verify_detached(receipt.clientSignature.data(), bytes.data(), bytes.size(),
                                  account.session.client.data()) != 0)
    return fail(ErrorCode::InvalidInput,
                "payment refused: the receipt is not signed by the session's client");
  if (account.best && receipt.cumulative < account.best->cumulative)
    return fail(ErrorCode::InvalidInput,
                "payment refused: an old receipt (it owes less than one already given)");
  if (receipt.cumulative > account.session.deposit)
    return fail(ErrorCode::InvalidInput,
                "payment refused: the receipt claims more than the session's deposit");
  return {};
}

Result<void> PaymentDesk::admit(const ledger::Receipt &receipt, ledger::Amount price) {
  std::lock_guard lock(m_mutex);
  auto account = accountFor(receipt.session);
  if (!account)
    return account.error();
  Account &a = **account;
  if (auto ok = check(a, receipt); !ok)
    return ok;
  if (a.owed > receipt.cumulative + static_cast<ledger::Amount>(m_creditJobs) * price)
    return fail(ErrorCode::InvalidInput, "payment refused: earlier jobs are not paid for (owed " +
                                             std::to_string(a.owed) + ", receipt " +
                                             std::to_string(receipt.cumulative) + ")");
  if (a.owed + price > a.session.deposit)
    return fail(ErrorCode::InvalidInput,
                "payment refused: the session's deposit is used up; open a new session");
  a.owed += price;
  a.best = receipt;
  return {};
}

Result<void> PaymentDesk::accept(const ledger::Receipt &receipt) {
  std::lock_guard lock(m_mutex);
  auto account = accountFor(receipt.session);
  if (!account)
    return account.error();
  if (auto ok = check(**account, receipt); !ok)
    return ok;
  (*account)->best = receipt;
  return {};
}

std::vector<ledger::Receipt> PaymentDesk::unsettled() const {
  std::lock_guard lock(m_mutex);
  std::vector<ledger::Receipt> out;
  for (const auto &[id, account] : m_accounts)
    if (account.best && account.best->cumulative > account.settledUpTo)
      out.push_back(*account.best);
  return out;
}

void PaymentDesk::settled(const ledger::Hash &session, ledger::Amount cumulative) {
  std::lock_guard lock(m_mutex);
  if (auto it = m_accounts.find(session); it != m_accounts.end())
    it->second.settledUpTo = std::max(it->second.settledUpTo, cumulative);
}

ledger::Amount PaymentDesk::earned() const {
  std::lock_guard lock(m_mutex);
  ledger::Amount total = 0;
  for (const auto &[id, account] : m_accounts)
    total += account.best ? account.best->cumulative : account.settledUpTo;
  return total;
}

} // namespace nesa::miner
