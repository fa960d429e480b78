// The miner's side of PayForQuery: checks every job's receipt against the session on the ledger
// (the right client's signature, never going backwards, within the deposit, not too far behind
// the work done) and keeps the best receipt of each session until it is settled.
#pragma once

#include "ledger/ledger.h"
#include "ledger/payloads.h"

#include <map>
#include <memory>
#include <mutex>

namespace nesa::miner {

/// Receipts of one miner. Thread-safe.
class PaymentDesk {
public:
  /// `ledger` is where sessions are looked up, `self` the miner's account. A client may owe at
  /// most `creditJobs` jobs' worth beyond its latest receipt (it pays after verifying).
  PaymentDesk(std::shared_ptr<ledger::Ledger> ledger, ledger::KeyHash self, int creditJobs = 2);

  /// Admits a job costing `price` paid with `receipt`; the error says why it is refused.
  Result<void> admit(const ledger::Receipt &receipt, ledger::Amount price);
  /// Records a receipt sent on its own (after a client's last job).
  Result<void> accept(const ledger::Receipt &receipt);
  /// The best receipt of each session that is newer than what was settled.
  std::vector<ledger::Receipt> unsettled() const;
  /// Notes that `session` is settled up to `cumulative`.
  void settled(const ledger::Hash &session, ledger::Amount cumulative);
  /// micro-NES earned: settled plus receipts waiting to be settled.
  ledger::Amount earned() const;

private:
  struct Account {
    ledger::SessionRecord session;
    ledger::Amount owed = 0; ///< prices of the jobs admitted
    std::optional<ledger::Receipt> best;
    ledger::Amount settledUpTo = 0;
  };
  Result<Account *> accountFor(const ledger::Hash &session);
  Result<void> check(Account &account, const ledger::Receipt &receipt);

  std::shared_ptr<ledger::Ledger> m_ledger;
  ledger::KeyHash m_self;
  int m_creditJobs;
  std::string m_chainId;
  mutable std::mutex m_mutex;
  std::map<ledger::Hash, Account> m_accounts;
};

} // namespace nesa::miner
