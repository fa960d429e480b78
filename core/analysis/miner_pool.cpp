#include "analysis/miner_pool.h"

#include "chain/anvil_node.h"
#include "chain/miner_directory.h"
#include "miner/remote_miner.h"
#include "net/connection.h"
#include "privacy/local_miner.h"

#include <nlohmann/json.hpp>

#include <fstream>

namespace nesa::analysis {
namespace {

namespace fs = std::filesystem;

void tell(const Events &events, const std::string &line) {
  if (events.notice)
    events.notice(line);
}

/// The dearest of the pool's miners' prices per job (µNES).
std::uint64_t dearestPricePerJob(const MinerPool &pool) {
  std::uint64_t perJob = 0;
  for (const auto &endpoint : pool.miners)
    perJob =
        std::max(perJob, static_cast<const miner::RemoteMiner &>(*endpoint).record().pricePerJob);
  return perJob;
}

/// The cost, before anything is paid: every share job at the dearest miner's price.
void tellEstimate(const Events &events, const MinerPool &pool, std::int64_t jobs) {
  const std::uint64_t perJob = dearestPricePerJob(pool);
  tell(events, "cost estimate: about " + std::to_string(jobs * static_cast<std::int64_t>(perJob)) +
                   " µNES (" + std::to_string(jobs) + " share jobs at up to " +
                   std::to_string(perJob) +
                   " µNES, plus any per-byte price), paid only for verified answers; opening a "
                   "session with a miner locks a deposit of " +
                   std::to_string(chain::SessionPayer::Terms{}.deposit.low64()) +
                   " µNES (refunded when unused) and costs two transactions' gas");
}

/// The named network, else the settings' network (joined, or the running local devnet); nullopt
/// when there is none (a run then starts its own devnet).
Result<std::optional<chain::ChainAccess>> chainAccess(const NetworkChoice &network) {
  if (network.chain)
    return network.chain;
  auto configured = chain::configuredChain(network.config);
  if (configured)
    return std::optional<chain::ChainAccess>(*configured);
  if (configured.error().code != ErrorCode::NotFound)
    return configured.error();
  return std::optional<chain::ChainAccess>();
}

/// True when the run's network is this computer's local devnet (the one `nesa chain devnet`
/// keeps running): none named, and no network joined in the settings.
bool onThisComputersDevnet(const NetworkChoice &network) {
  return !network.chain && network.config.network != "join";
}

/// The miners of an EVM network for a run with `shares` shares per call; `demoPays`: on this
/// computer's devnet, the demo account pays.
Result<void> openChainPool(MinerPool &pool, const NetworkChoice &network, const Secrets &secrets,
                           const Events &events, std::optional<chain::ChainAccess> access,
                           int shares) {
  miner::ChainNetworkOptions options;
  const bool localDevnet = !access;
  options.chain = std::move(access);
  options.devnetMiners = shares + 1; // one spare, to recompute a share that failed
  options.minerThreads = network.config.minerThreads;
  options.remote.jobTimeout = network.jobTimeout;
  options.onStatus = [events](const std::string &status) { tell(events, status + "..."); };
  options.maxPricePerJob = network.maxPricePerJob;
  const bool demoPays = localDevnet || onThisComputersDevnet(network);
  if (!secrets.payer)
    return fail(ErrorCode::InvalidInput, "no account to pay the miners with");
  auto payer =
      secrets.payer(demoPays, localDevnet ? chain::kDevnetChainId : options.chain->chainId);
  if (!payer)
    return payer.error();
  if (!localDevnet) {
    const auto folder = network.config.effectiveDataDir() / "chain";
    // Sessions outlive a run; their receipts, and the journal that makes a crash between
    // signing and mining lose nothing, belong to one network's session contract.
    std::ifstream deploymentFile(options.chain->deployment);
    const auto deployment = nlohmann::json::parse(deploymentFile, nullptr, false);
    const std::string sessions =
        deployment.is_object() ? deployment.value("sessions", std::string()) : std::string();
    const std::string name = "payer-" + chain::toHex(payer->address()) + "-chain" +
                             std::to_string(options.chain->chainId) + "-" + sessions;
    options.payerJournal = folder / (name + "-journal.json");
    options.payerReceipts = folder / (name + "-receipts.json");
  }
  auto opened = miner::ChainMiners::open(*pool.identity, std::move(*payer), std::move(options));
  if (!opened)
    return opened.error();
  pool.chainNetwork = std::move(*opened);
  return {};
}

} // namespace

Result<MinerPool> openMinerPool(const NetworkChoice &network, const Secrets &secrets,
                                const Events &events, const privacy::RunOptions &options,
                                const model::LinearBundle &bundle, std::int64_t jobs,
                                const SpendingApproval &approve) {
  MinerPool pool;
  pool.bundle = &bundle;
  const int shares = options.sharesPerCall();
  if (options.level == privacy::PrivacyLevel::Local)
    return pool; // nothing leaves this computer
  if (network.inProcess) {
    for (int i = 0; i <= shares; ++i) // one spare, to recompute a share that failed
      pool.miners.push_back(
          std::make_shared<privacy::LocalMiner>("local-miner-" + std::to_string(i + 1)));
    return pool;
  }
  auto identity = net::Identity::generate();
  if (!identity)
    return identity.error();
  pool.identity = std::make_unique<net::Identity>(std::move(*identity));
  auto access = chainAccess(network);
  if (!access)
    return access.error();
  // An EVM network: the one named or joined, the running local devnet, or one for this run.
  if (auto opened = openChainPool(pool, network, secrets, events, *access, shares); !opened)
    return opened.error();
  auto found = pool.chainNetwork->minersFor(bundle, static_cast<std::size_t>(shares));
  if (!found)
    return found.error();
  pool.miners = std::move(*found);
  tell(events, "chain " + std::to_string(pool.chainNetwork->chain().chainId()) + " at " +
                   pool.chainNetwork->chain().rpc().endpoint().text() + ": " +
                   std::to_string(pool.miners.size()) + " miners registered; paying from " +
                   chain::checksumAddress(pool.chainNetwork->payer()));
  tellEstimate(events, pool, jobs);
  if (approve)
    if (auto approved = approve(static_cast<std::uint64_t>(jobs) * dearestPricePerJob(pool));
        !approved)
      return approved.error();
  return pool;
}

namespace {

/// estimateCost() on an EVM network: the registry's prices, within the client's price cap.
Result<CostEstimate> estimateOnChain(const chain::ChainAccess &access, std::uint64_t maxPrice,
                                     const privacy::RunOptions &options, std::int64_t jobs) {
  auto chain = chain::ChainConnection::open(access);
  if (!chain)
    return chain.error();
  auto listed = chain::listMiners((*chain)->rpc(), (*chain)->contracts());
  if (!listed)
    return listed.error();
  CostEstimate estimate;
  estimate.chainId = access.chainId;
  for (const auto &m : *listed) {
    if (m.listing.pricePerJob > maxPrice ||
        m.listing.pricePerMiB > miner::ChainNetworkOptions{}.maxPricePerMiB)
      continue; // the run would not use it
    ++estimate.miners;
    estimate.perJob = std::max(estimate.perJob, m.listing.pricePerJob);
    estimate.perMiB = std::max(estimate.perMiB, m.listing.pricePerMiB);
  }
  if (estimate.miners < options.sharesPerCall())
    return fail(ErrorCode::Unavailable,
                "the network lists " + std::to_string(estimate.miners) +
                    " miner(s) within the price cap of " + std::to_string(maxPrice) +
                    " µNES per job; this run needs " + std::to_string(options.sharesPerCall()));
  estimate.jobs = jobs;
  estimate.sessions = options.sharesPerCall();
  estimate.deposit = chain::SessionPayer::Terms{}.deposit.low64();
  return estimate;
}

} // namespace

Result<CostEstimate> estimateCost(const NetworkChoice &network, const privacy::RunOptions &options,
                                  std::int64_t jobs) {
  CostEstimate estimate;
  if (options.level == privacy::PrivacyLevel::Local)
    return estimate; // nothing leaves this computer
  if (network.inProcess) {
    estimate.jobs = jobs; // computed here, paid to nobody
    return estimate;
  }
  auto access = chainAccess(network);
  if (!access)
    return access.error();
  if (*access)
    return estimateOnChain(**access, network.maxPricePerJob, options, jobs);
  return fail(ErrorCode::NotFound,
              "no network is running: the price is known once the run starts its own devnet "
              "('nesa chain devnet' keeps one running)");
}

namespace {

/// Says what became of the report of `miner` for `what` ("a wrong answer").
void tellReport(const Events &events, const std::string &miner, const std::string &what,
                const Result<miner::ChainReport> &reported) {
  if (!reported) {
    tell(events, "could not report " + what + " of " + miner + ": " + reported.error().message);
    return;
  }
  std::string line = "reported " + what + " of " + miner + " on chain: dispute " +
                     std::to_string(reported->dispute);
  if (reported->state.finalized) {
    tell(events, line + " ended undecided (too few miners free to judge it; the bond came back)");
    return;
  }
  tell(events, line + ", " + std::to_string(reported->jurorsAsked) + " of " +
                   std::to_string(reported->state.jurors.size()) +
                   " jurors are judging it; they vote until chain time " +
                   std::to_string(reported->state.revealEnd) +
                   ", then a guilty verdict slashes the miner");
  for (const auto &problem : reported->problems)
    tell(events, "  juror " + problem);
}

/// settle() on an EVM network.
Result<Payment> settleOnChain(miner::ChainMiners &network, const privacy::RunReport &report,
                              const model::LinearBundle &bundle, const Events &events) {
  // Wrong answers go to the Disputes contract: a jury of other miners recomputes them.
  for (const auto &evidence : report.failures)
    tellReport(events, evidence.miner, "a wrong answer",
               network.reportWrongAnswer(evidence, bundle));
  // So do jobs a miner took and let the deadline pass: the jurors ask it for the job again.
  // (A miner that could not be reached at all never had the job: nothing to report.)
  for (const auto &missed : report.missed)
    if (net::isDeadlineMiss(missed.error))
      tellReport(events, missed.miner, "a missed deadline", network.reportTimeout(missed, bundle));
  auto paid = network.finishPayments();
  if (!paid)
    return paid.error().withContext("paying the miners");
  Payment payment{*paid, network.chain().chainId(), std::nullopt};
  if (!network.isLocalDevnet())
    return payment;
  network.stopLocalMiners(); // they settle as they stop
  auto settled = network.settledOnChain();
  if (!settled) { // paid all the same: say what
    tell(events, describePayment(payment));
    return settled.error().withContext("reading the settled sessions");
  }
  payment.settled = settled->toDecimal();
  return payment;
}

} // namespace

std::string describePayment(const Payment &payment) {
  std::string text = "paid " + std::to_string(payment.paid) + " µNES for verified answers";
  if (!payment.settled)
    return text + " (the miners settle the receipts on chain " + std::to_string(payment.chainId) +
           ")";
  return text + "; settled on chain " + std::to_string(payment.chainId) +
         " through the PaymentSessions contract: " + *payment.settled + " µNES";
}

Result<std::optional<Payment>> settle(MinerPool &pool, const privacy::RunReport &report,
                                      const Events &events) {
  if (!pool.chainNetwork)
    return std::optional<Payment>();
  auto paid = settleOnChain(*pool.chainNetwork, report, *pool.bundle, events);
  if (!paid)
    return paid.error();
  return std::optional<Payment>(*paid);
}

} // namespace nesa::analysis
