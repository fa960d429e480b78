// A miner and an EVM network: connecting to its contracts, staking and registering on the
// MinerRegistry, and settling the clients' receipts on PaymentSessions.
#include "chain/miner_directory.h"
#include "miner/internal/miner_state.h"
#include "net/messages.h"
#include "util/log.h"

#include <cmath>
#include <cstring>
#include <limits>

namespace nesa::miner {

using namespace std::chrono_literals;

void MinerService::State::warnOnce(const std::string &message) {
  if (message != lastChainProblem)
    log::warn(name + ": " + message);
  lastChainProblem = message;
}

void MinerService::State::linkToChain() {
  while (true) {
    {
      std::unique_lock lock(linkMutex);
      if (stopping)
        return;
    }
    if (!chainConnection) {
      auto connected = chain::ChainConnection::open(*options.chain);
      if (connected) {
        chainConnection = std::move(*connected);
        chainSender = std::make_unique<chain::Transactor>(chainConnection->rpc(), *chainKey,
                                                          chainConnection->chainId(),
                                                          options.dataDir / "chain-journal.json");
        auto payments = std::make_shared<ChainPaymentDesk>(
            *chainConnection, chainKey->address(), 2,
            static_cast<std::uint64_t>(options.jobSeconds.count()),
            options.dataDir / "chain-receipts.json");
        if (auto kept = payments->load(); !kept)
          log::error(name + ": " + kept.error().message);
        else if (*kept > 0)
          log::info(name + ": " + std::to_string(*kept) +
                    " receipt(s) kept from before a restart, settling them");
        auto duties = std::make_shared<JurorDuties>(*chainConnection, chainKey->address(),
                                                    options.dataDir / "juror-votes.json");
        if (auto kept = duties->load(); !kept)
          log::error(name + ": " + kept.error().message);
        std::lock_guard lock(deskMutex);
        chainDesk = std::move(payments);
        jurorDuties = std::move(duties);
      } else {
        warnOnce("cannot reach chain " + std::to_string(options.chain->chainId) + ": " +
                 connected.error().message);
      }
    }
    if (chainConnection && !onChain) {
      chain::MinerListing listing;
      listing.endpoint = options.host + ":" + std::to_string(server->port());
      listing.wireKey = identity.publicKey();
      listing.pricePerJob = options.pricePerQuery;
      listing.pricePerMiB = options.pricePerByte << 20;
      listing.backend = backend;
      auto published = chain::publishMiner(*chainSender, chainConnection->contracts(), listing);
      if (published) {
        onChain = registered = true;
        log::info(name + ": registered on chain " + std::to_string(chainConnection->chainId()) +
                  " as " + chain::checksumAddress(chainKey->address()) +
                  (published->staked.isZero()
                       ? ""
                       : ", staking " + published->staked.toDecimal() + " µNES"));
      } else {
        warnOnce(published.error().message);
      }
    }
    if (chainConnection && Clock::now() - lastSettle > options.settleEvery) {
      lastSettle = Clock::now();
      settleOnChain();
    }
    const auto duties = jurors();
    if (duties && duties->pending() > 0)
      if (auto advanced = duties->advance(*chainSender); !advanced)
        warnOnce(advanced.error().message);
    std::unique_lock lock(linkMutex);
    // A juror with votes to commit, reveal or finalize looks at the chain every second.
    const bool busy = !onChain || (duties && duties->pending() > 0);
    linkWake.wait_for(lock, busy ? std::chrono::milliseconds(1s) : options.settleEvery,
                      [this] { return stopping || nudged; });
    nudged = false;
  }
}

void MinerService::State::settleOnChain() {
  auto payments = chainPaymentDesk();
  if (!payments || !chainSender)
    return;
  auto paid = payments->settleAll(*chainSender);
  if (!paid)
    return log::warn(name + ": " + paid.error().message);
  if (!paid->isZero()) {
    settledTotal += paid->low64();
    log::info(name + ": settled " + paid->toDecimal() + " µNES on chain");
  }
}

std::shared_ptr<JurorDuties> MinerService::State::jurors() const {
  std::lock_guard lock(deskMutex);
  return jurorDuties;
}

chain::Bytes MinerService::State::signAnswer(const privacy::Seed &call, const net::Digest &job,
                                             const net::Digest &result) const {
  if (!chainPaymentDesk()) // not connected yet (the connection is set before the desk)
    return {};
  const auto digest = chain::answerDigest(call, job, result, chainConnection->chainId(),
                                          chainConnection->deployment().disputes);
  return chainKey->sign(digest).toRsv();
}

std::shared_ptr<ChainPaymentDesk> MinerService::State::chainPaymentDesk() const {
  std::lock_guard lock(deskMutex);
  return chainDesk;
}

Result<void> MinerService::State::checkChainPayment(const net::PublicKey &client,
                                                    const PricedJob &job, std::uint64_t price) {
  if (!job.chainPayment) {
    if (!options.requirePayment)
      return {};
    return fail(ErrorCode::InvalidInput,
                "payment refused: this miner is paid per job on chain " +
                    std::to_string(options.chain->chainId) +
                    "; open a session with it on the PaymentSessions contract");
  }
  if (job.fee < price)
    return fail(ErrorCode::InvalidInput, "payment refused: the job offers " +
                                             std::to_string(job.fee) + " µNES, the price is " +
                                             std::to_string(price));
  auto payments = chainPaymentDesk();
  if (!payments)
    return fail(ErrorCode::Unavailable,
                "this miner has not reached its chain yet and cannot check payments");
  // The fee and tip a job claims order the queue, so both are owed: the client's later receipts
  // must cover them, or its next jobs are refused.
  std::uint64_t owed = 0;
  if (__builtin_add_overflow(job.fee, job.tip, &owed))
    return fail(ErrorCode::InvalidInput, "payment refused: the job's fee and tip overflow");
  // A bundle this client sent is owed with its first job for that bundle (taken out while it
  // is checked, so two jobs at once cannot both carry it; put back when the job is refused).
  const std::uint64_t upload = takeUploadCharge(client, job.job.bundleId);
  auto admitted = payments->admit(*job.chainPayment, owed, upload);
  if (!admitted && upload) {
    std::lock_guard lock(uploadMutex);
    uploadCharges[{client, job.job.bundleId}] = upload;
  }
  return admitted;
}

void MinerService::State::wakeLink() {
  {
    std::lock_guard lock(linkMutex);
    nudged = true;
  }
  linkWake.notify_all();
}

} // namespace nesa::miner
