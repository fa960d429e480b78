#include "wallet/action_records.h"

#include "policy/audit_records.h"

#include <nlohmann/json.hpp>

namespace nesa::wallet {

audit::AuditEntry keyUseRecord(const ChainSigner &signer, const std::string &by) {
  return policy::auditRecord(
      "key-use", chain::checksumAddress(signer.key->address()), "ok",
      nlohmann::json{{"key", "wallet account " + std::to_string(signer.index)},
                     {"by", by},
                     {"chainId", signer.chain->chainId()}}
          .dump());
}

audit::AuditEntry walletActionRecord(const ChainSigner &signer, const Plan &plan,
                                     const PlanOutcome &outcome, const std::string &by) {
  nlohmann::json sent = nlohmann::json::array();
  for (const SentCall &call : outcome.sent)
    sent.push_back(
        {{"function", call.function}, {"hash", chain::toHex(call.hash)}, {"block", call.block}});
  const Result<void> done = outcome.error ? Result<void>(*outcome.error) : Result<void>();
  return policy::auditRecord("wallet", chain::checksumAddress(signer.key->address()),
                             policy::outcomeOf(done),
                             nlohmann::json{{"action", plan.title},
                                            {"by", by},
                                            {"chainId", signer.chain->chainId()},
                                            {"nesSpent", plan.nesSpent},
                                            {"sent", sent}}
                                 .dump());
}

} // namespace nesa::wallet
