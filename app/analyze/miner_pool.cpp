#include "miner_pool.h"

#include "chain/anvil_node.h"
#include "chain/miner_directory.h"
#include "cli/daemon.h"
#include "cli/secret_input.h"
#include "miner/remote_miner.h"
#include "net/connection.h"
#include "privacy/local_miner.h"
#include "util/config.h"
#include "util/paths.h"
#include "wallet/ethereum_keys.h"
#include "wallet/wallet.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <iostream>

namespace nesa::app {
namespace {

namespace fs = std::filesystem;

/// What every run's miners share: the settings' compute threads and --timeout.
struct Setup {
  int minerThreads = 0;
  miner::RemoteMinerOptions remote;
};

Result<Setup> setupOf(const cli::Arguments &args) {
  auto config = loadConfig(args.value("config", paths::configFile().string()));
  if (!config)
    return config.error();
  Setup setup;
  setup.minerThreads = config->minerThreads;
  const auto seconds = args.integer("timeout", 60, 1, 86'400);
  if (!seconds)
    return seconds.error();
  setup.remote.jobTimeout = std::chrono::seconds(*seconds);
  return setup;
}

/// The user's wallet, its passphrase from $NESA_WALLET_PASSPHRASE or the terminal; `purpose`
/// says in an error what it was opened for.
Result<wallet::Wallet> openUserWallet(const std::string &purpose) {
  auto config = loadConfig(paths::configFile());
  const auto file =
      wallet::defaultWalletFile(config ? config->effectiveDataDir() : paths::dataDir());
  auto passphrase = cli::readPassphrase(false);
  if (!passphrase)
    return passphrase.error();
  auto opened = wallet::Wallet::open(file, *passphrase);
  if (!opened)
    return opened.error().withContext(purpose);
  return opened;
}

/// The cost, before anything is paid: every share job at the dearest miner's price.
void printEstimate(const MinerPool &pool, std::int64_t jobs) {
  std::uint64_t perJob = 0;
  for (const auto &endpoint : pool.miners)
    perJob =
        std::max(perJob, static_cast<const miner::RemoteMiner &>(*endpoint).record().pricePerJob);
  std::cerr << "cost estimate: about " << jobs * static_cast<std::int64_t>(perJob) << " µNES ("
            << jobs << " share jobs at up to " << perJob
            << " µNES, plus any per-byte price), paid only for verified answers; "
            << "opening a session with a miner locks a deposit of "
            << chain::SessionPayer::Terms{}.deposit.low64()
            << " µNES (refunded when unused) and costs two transactions' gas\n";
}

/// The EVM network of --chain-rpc, --chain-id and --deployment, else the settings' joined
/// network, else the running local devnet; nullopt when there is none (a run then starts its
/// own devnet).
Result<std::optional<chain::ChainAccess>> chainAccess(const cli::Arguments &args) {
  if (!args.has("chain-rpc")) {
    auto config = loadConfig(args.value("config", paths::configFile().string()));
    if (!config)
      return config.error();
    auto running = cli::resolveChain(*config, "", "", "");
    if (running)
      return std::optional<chain::ChainAccess>(*running);
    if (running.error().code != ErrorCode::NotFound)
      return running.error();
    return std::optional<chain::ChainAccess>();
  }
  if (!args.has("chain-id") || !args.has("deployment"))
    return fail(ErrorCode::InvalidInput,
                "--chain-rpc needs --chain-id and --deployment (a real network's contracts are "
                "named by its deployment file)");
  auto rpc = net::parseEndpoint(args.value("chain-rpc"));
  if (!rpc)
    return rpc.error();
  auto chainId = args.integer("chain-id", 0, 1, 1LL << 50);
  if (!chainId)
    return chainId.error();
  chain::ChainAccess access;
  access.rpc = *rpc;
  access.chainId = static_cast<std::uint64_t>(*chainId);
  access.deployment = args.value("deployment");
  return std::optional<chain::ChainAccess>(access);
}

/// Who pays on an EVM network: on this computer's devnet the demo phrase's Ethereum account
/// (public: it exists on the devnet chain id only); anywhere else the wallet's account 0.
Result<chain::AccountKey> chainPayerKey(bool devnet) {
  if (devnet) {
    return wallet::devnetDemoAccountKey();
  }
  auto opened = openUserWallet("the wallet pays the miners");
  if (!opened)
    return opened.error();
  auto key = opened->ethereumKey(0);
  if (!key)
    return key.error();
  return chain::AccountKey::fromSecret((*key)->secret().bytes());
}

/// True when the run's network is this computer's local devnet (the one `nesa chain devnet`
/// keeps running): not named with --chain-rpc, and no network joined in the settings.
bool onThisComputersDevnet(const cli::Arguments &args) {
  if (args.has("chain-rpc"))
    return false;
  auto config = loadConfig(args.value("config", paths::configFile().string()));
  return config && config->network != "join";
}

/// The miners of an EVM network for a run with `shares` shares per call; `demoPays`: on this
/// computer's devnet, the demo account pays.
Result<void> openChainPool(MinerPool &pool, const Setup &setup,
                           std::optional<chain::ChainAccess> access, int shares,
                           std::uint64_t maxPrice, bool demoPays) {
  miner::ChainNetworkOptions options;
  const bool localDevnet = !access;
  options.chain = std::move(access);
  options.devnetMiners = shares + 1; // one spare, to recompute a share that failed
  options.minerThreads = setup.minerThreads;
  options.remote = setup.remote;
  options.onStatus = [](const std::string &status) { std::cerr << status << "...\n"; };
  options.maxPricePerJob = maxPrice;
  auto payer = chainPayerKey(localDevnet || demoPays);
  if (!payer)
    return payer.error();
  if (!localDevnet) {
    // The demo phrase's key is public: it signs on the devnet's chain id only.
    if (auto allowed = wallet::checkSigningAllowed(payer->address(), options.chain->chainId);
        !allowed)
      return allowed.error();
    auto config = loadConfig(paths::configFile());
    const auto folder = (config ? config->effectiveDataDir() : paths::dataDir()) / "chain";
    // Sessions outlive a run; their receipts, and the journal that makes a crash between
    // signing and mining lose nothing, belong to one network's session contract.
    std::ifstream deploymentFile(options.chain->deployment);
    const auto deployment = nlohmann::json::parse(deploymentFile, nullptr, false);
    const std::string sessions =
        deployment.is_object() ? deployment.value("sessions", std::string()) : std::string();
    const std::string network = "payer-" + chain::toHex(payer->address()) + "-chain" +
                                std::to_string(options.chain->chainId) + "-" + sessions;
    options.payerJournal = folder / (network + "-journal.json");
    options.payerReceipts = folder / (network + "-receipts.json");
  }
  auto opened = miner::ChainMiners::open(*pool.identity, std::move(*payer), std::move(options));
  if (!opened)
    return opened.error();
  pool.chainNetwork = std::move(*opened);
  return {};
}

} // namespace

Result<MinerPool> openMinerPool(const cli::Arguments &args, const privacy::RunOptions &options,
                                const model::LinearBundle &bundle, std::int64_t jobs) {
  MinerPool pool;
  pool.bundle = &bundle;
  const int shares = options.sharesPerCall();
  if (options.level == privacy::PrivacyLevel::Local)
    return pool; // nothing leaves this computer
  if (args.has("in-process")) {
    for (int i = 0; i <= shares; ++i) // one spare, to recompute a share that failed
      pool.miners.push_back(
          std::make_shared<privacy::LocalMiner>("local-miner-" + std::to_string(i + 1)));
    return pool;
  }
  auto identity = net::Identity::generate();
  if (!identity)
    return identity.error();
  pool.identity = std::make_unique<net::Identity>(std::move(*identity));
  auto access = chainAccess(args);
  if (!access)
    return access.error();
  auto setup = setupOf(args);
  if (!setup)
    return setup.error();
  // An EVM network: the one named or joined, the running local devnet, or one for this run.
  const auto maxPrice = args.integer("max-price", 1'000, 0, 1LL << 50);
  if (!maxPrice)
    return maxPrice.error();
  if (auto opened =
          openChainPool(pool, *setup, *access, shares, static_cast<std::uint64_t>(*maxPrice),
                        onThisComputersDevnet(args));
      !opened)
    return opened.error();
  auto found = pool.chainNetwork->minersFor(bundle, static_cast<std::size_t>(shares));
  if (!found)
    return found.error();
  pool.miners = std::move(*found);
  std::cerr << "chain " << pool.chainNetwork->chain().chainId() << " at "
            << pool.chainNetwork->chain().rpc().endpoint().text() << ": " << pool.miners.size()
            << " miners registered; paying from "
            << chain::checksumAddress(pool.chainNetwork->payer()) << '\n';
  printEstimate(pool, jobs);
  return pool;
}

namespace {

/// estimateCost() on an EVM network: the registry's prices, within the client's price cap.
Result<CostEstimate> estimateOnChain(const chain::ChainAccess &access, const cli::Arguments &args,
                                     const privacy::RunOptions &options, std::int64_t jobs) {
  const auto maxPrice = args.integer("max-price", 1'000, 0, 1LL << 50);
  if (!maxPrice)
    return maxPrice.error();
  auto chain = chain::ChainConnection::open(access);
  if (!chain)
    return chain.error();
  auto listed = chain::listMiners((*chain)->rpc(), (*chain)->contracts());
  if (!listed)
    return listed.error();
  CostEstimate estimate;
  estimate.chainId = access.chainId;
  for (const auto &m : *listed) {
    if (m.listing.pricePerJob > static_cast<std::uint64_t>(*maxPrice) ||
        m.listing.pricePerMiB > miner::ChainNetworkOptions{}.maxPricePerMiB)
      continue; // the run would not use it
    ++estimate.miners;
    estimate.perJob = std::max(estimate.perJob, m.listing.pricePerJob);
    estimate.perMiB = std::max(estimate.perMiB, m.listing.pricePerMiB);
  }
  if (estimate.miners < options.sharesPerCall())
    return fail(ErrorCode::Unavailable,
                "the network lists " + std::to_string(estimate.miners) +
                    " miner(s) within the price cap of " + std::to_string(*maxPrice) +
                    " µNES per job; this run needs " + std::to_string(options.sharesPerCall()));
  estimate.jobs = jobs;
  estimate.sessions = options.sharesPerCall();
  estimate.deposit = chain::SessionPayer::Terms{}.deposit.low64();
  return estimate;
}

} // namespace

Result<CostEstimate> estimateCost(const cli::Arguments &args, const privacy::RunOptions &options,
                                  std::int64_t jobs) {
  CostEstimate estimate;
  if (options.level == privacy::PrivacyLevel::Local || args.has("in-process"))
    return estimate;
  auto access = chainAccess(args);
  if (!access)
    return access.error();
  if (*access)
    return estimateOnChain(**access, args, options, jobs);
  return fail(ErrorCode::NotFound,
              "no network is running: the price is known once the run starts its own devnet "
              "('nesa chain devnet' keeps one running)");
}

namespace {

/// Says what became of the report of `miner` for `what` ("a wrong answer").
void tellReport(const std::string &miner, const std::string &what,
                const Result<miner::ChainReport> &reported) {
  if (!reported) {
    std::cerr << "could not report " << what << " of " << miner << ": " << reported.error().message
              << '\n';
    return;
  }
  std::cerr << "reported " << what << " of " << miner << " on chain: dispute " << reported->dispute;
  if (reported->state.finalized) {
    std::cerr << " ended undecided (too few miners free to judge it; the bond came back)\n";
    return;
  }
  std::cerr << ", " << reported->jurorsAsked << " of " << reported->state.jurors.size()
            << " jurors are judging it; they vote until chain time " << reported->state.revealEnd
            << ", then a guilty verdict slashes the miner\n";
  for (const auto &problem : reported->problems)
    std::cerr << "  juror " << problem << '\n';
}

/// settle() on an EVM network.
Result<Payment> settleOnChain(miner::ChainMiners &network, const privacy::RunReport &report,
                              const model::LinearBundle &bundle) {
  // Wrong answers go to the Disputes contract: a jury of other miners recomputes them.
  for (const auto &evidence : report.failures)
    tellReport(evidence.miner, "a wrong answer", network.reportWrongAnswer(evidence, bundle));
  // So do jobs a miner took and let the deadline pass: the jurors ask it for the job again.
  // (A miner that could not be reached at all never had the job: nothing to report.)
  for (const auto &missed : report.missed)
    if (net::isDeadlineMiss(missed.error))
      tellReport(missed.miner, "a missed deadline", network.reportTimeout(missed, bundle));
  auto paid = network.finishPayments();
  if (!paid)
    return paid.error().withContext("paying the miners");
  Payment payment{*paid, network.chain().chainId(), std::nullopt};
  if (!network.isLocalDevnet())
    return payment;
  network.stopLocalMiners(); // they settle as they stop
  auto settled = network.settledOnChain();
  if (!settled) { // paid all the same: say what
    std::cerr << describePayment(payment) << '\n';
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

Result<std::optional<Payment>> settle(MinerPool &pool, const privacy::RunReport &report) {
  if (!pool.chainNetwork)
    return std::optional<Payment>();
  auto paid = settleOnChain(*pool.chainNetwork, report, *pool.bundle);
  if (!paid)
    return paid.error();
  return std::optional<Payment>(*paid);
}

Result<std::shared_ptr<const privacy::EeKey>> eeKey() {
  auto config = loadConfig(paths::configFile());
  const auto file =
      wallet::defaultWalletFile(config ? config->effectiveDataDir() : paths::dataDir());
  if (!fs::exists(file)) {
    auto fresh = privacy::EeKey::generate();
    if (!fresh)
      return fresh.error();
    std::cerr << "no wallet: using a one-off EE key for this run (create a wallet to keep one)\n";
    return std::make_shared<const privacy::EeKey>(std::move(*fresh));
  }
  auto passphrase = cli::readPassphrase(false);
  if (!passphrase)
    return passphrase.error();
  auto opened = wallet::Wallet::open(file, *passphrase);
  if (!opened)
    return opened.error().withContext("the wallet keeps the EE key");
  auto secret = opened->eeKeySecret();
  if (!secret)
    return secret.error();
  auto key = privacy::EeKey::fromBytes(secret->bytes());
  if (!key)
    return key.error();
  return std::make_shared<const privacy::EeKey>(std::move(*key));
}

void printCall(const privacy::RunProgress &p) {
  std::cerr << "call " << p.callsDone << "/" << p.callsExpected << " " << p.call->kind << ": ";
  for (const auto &work : p.call->miners)
    std::cerr << work.miner << " (" << work.role << ", " << (work.passed ? "verified" : "FAILED")
              << ") ";
  std::cerr << '\n';
}

} // namespace nesa::app
