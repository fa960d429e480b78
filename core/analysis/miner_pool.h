// The miners of one query: none (local), in this process, or an EVM network's (named, the
// settings' joined network, the running local devnet, or a devnet started for the run) — with
// what pays them and what is reported after the run.
#pragma once

#include "analysis/request.h"
#include "miner/chain_miners.h"
#include "privacy/engine.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace nesa::analysis {

/// Miners and, on a network, who pays them.
struct MinerPool {
  /// This run's wire identity, fresh per run; `chainNetwork` refers to it. (Runs stay linkable
  /// by the account that pays them and, at ee, the keyed bundle: docs/privacy.md.)
  std::unique_ptr<net::Identity> identity;
  std::unique_ptr<miner::ChainMiners> chainNetwork; ///< the EVM network's miners
  std::vector<std::shared_ptr<privacy::MinerEndpoint>> miners;
  /// What the miners compute on (must outlive the pool): sent to the jurors of a dispute.
  const model::LinearBundle *bundle = nullptr;
};

/// Asked with a paid run's estimated cost in µNES once its miners are found, before any share is
/// sent or anything paid; a failure stops the run (an organisation's spending limit).
using SpendingApproval = std::function<Result<void>(std::uint64_t estimateMicroNes)>;

/// The miners for a run at `options.level` whose miners compute on `bundle` (sent to each miner
/// that lacks it; it must outlive the pool). `jobs` is the share jobs the query is expected to
/// send, for the cost estimate told (events.notice) and handed to `approve` before anything is
/// paid.
Result<MinerPool> openMinerPool(const NetworkChoice &network, const Secrets &secrets,
                                const Events &events, const privacy::RunOptions &options,
                                const model::LinearBundle &bundle, std::int64_t jobs,
                                const SpendingApproval &approve = {});

/// What a run would cost on the network's miners, before anything is paid.
struct CostEstimate {
  std::int64_t jobs = 0;     ///< share jobs the query sends
  std::uint64_t perJob = 0;  ///< µNES: the dearest usable miner's price per job
  std::uint64_t perMiB = 0;  ///< µNES: the dearest usable miner's price per MiB of share data
                             ///< (and of the model, sent to a miner that lacks it)
  std::uint64_t deposit = 0; ///< µNES a new session locks (refunded when unused)
  int sessions = 0;          ///< sessions a run opens (one per miner it pays)
  int miners = 0;            ///< miners the network lists within the price cap
  std::uint64_t chainId = 0; ///< the EVM network's chain id
  /// µNES: the miners' prices (gas is paid in the chain's own currency, deposits come back).
  std::uint64_t total() const { return jobs * perJob; }
};

/// The cost of `jobs` share jobs at `options.level` on the network's miners, from the registry's
/// prices within the price cap (nothing is started or paid). NotFound when no network runs;
/// free at local (no jobs) and in process (the jobs are computed here).
Result<CostEstimate> estimateCost(const NetworkChoice &network, const privacy::RunOptions &options,
                                  std::int64_t jobs);

/// What a run paid its miners on an EVM network.
struct Payment {
  std::uint64_t paid = 0;    ///< µNES for the verified answers (receipts handed to the miners)
  std::uint64_t chainId = 0; ///< the network's chain id
  /// µNES the PaymentSessions contract settled, in decimal: known at once on this computer's
  /// devnet (its miners stop and settle); elsewhere the miners settle later.
  std::optional<std::string> settled;
};

/// The payment as a sentence: "paid N µNES for verified answers; settled on chain C …".
std::string describePayment(const Payment &payment);

/// After a run: reports wrong answers (evidence) on the Disputes contract, telling each report
/// (events.notice), and pays for the verified answers. Nothing (no payment) without a network.
Result<std::optional<Payment>> settle(MinerPool &pool, const privacy::RunReport &report,
                                      const Events &events);

} // namespace nesa::analysis
