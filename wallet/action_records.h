// The audit log's records of what the wallet did, the same from every front end (the CLI's
// `nesa wallet`/`nesa gov` and the desktop app's wallet page): the account's key unlocked to
// sign, and each plan sent or tried.
#pragma once

#include "audit/audit_log.h"
#include "wallet/chain_signer.h"
#include "wallet/transaction_plan.h"

#include <string>

namespace nesa::wallet {

/// A "key-use" record: `signer`'s account key was unlocked by `by` (such as "nesa wallet send"
/// or "the desktop app's wallet page") to sign on its network.
audit::AuditEntry keyUseRecord(const ChainSigner &signer, const std::string &by);

/// A "wallet" record of `plan` sent by `signer` for `by`: what it was, the $NES it spends, each
/// transaction mined, and "ok" or "failed (CODE)" when it stopped early.
audit::AuditEntry walletActionRecord(const ChainSigner &signer, const Plan &plan,
                                     const PlanOutcome &outcome, const std::string &by);

} // namespace nesa::wallet
