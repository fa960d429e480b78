// A miner and its node: registration and heartbeats, staking and registering on the node's
// chain, and settling the clients' receipts there.
#include "ledger/payloads.h"
#include "miner/internal/miner_state.h"
#include "net/connection.h"
#include "net/messages.h"
#include "node/remote_ledger.h"
#include "util/log.h"
#include "wallet/address.h"

namespace nesa::miner {

using namespace std::chrono_literals;

// Registers with the node and sends heartbeats until stopped, reconnecting as needed.
void MinerService::State::linkToNode() {
  std::unique_ptr<net::Connection> connection;
  auto backoff = 200ms;
  while (true) {
    {
      std::unique_lock lock(linkMutex);
      if (stopping)
        return;
    }
    if (!connection || !connection->isOpen()) {
      registered = false;
      auto opened = net::Connection::open(*options.node, identity, {});
      if (opened) {
        net::MinerAnnouncement announcement{options.host + ":" + std::to_string(server->port()),
                                            backend, options.pricePerQuery, options.pricePerByte,
                                            options.maxConcurrentJobs};
        auto reply = (*opened)->request(net::encodeRegisterMiner(announcement), 10s);
        if (reply && net::expectAck(*reply)) {
          {
            std::lock_guard lock(nodeIdentityMutex);
            nodeIdentity = (*opened)->server();
          }
          connection = std::move(*opened);
          registered = true;
          backoff = 200ms;
          log::info(name + ": registered with node " + options.node->text());
        } else {
          log::warn(name + ": the node refused the registration: " +
                    (reply ? net::expectAck(*reply).error().message : reply.error().message));
        }
      } else {
        log::debug(name + ": " + opened.error().message);
      }
    } else {
      if (Clock::now() - lastSettle > options.settleEvery) {
        lastSettle = Clock::now();
        settle();
      }
      // Until it is on the node's chain (funds may arrive later), try again now and then.
      if (!onChain && Clock::now() - lastChainAttempt > 5s) {
        lastChainAttempt = Clock::now();
        registerOnChain(options.host + ":" + std::to_string(server->port()));
      }
      const net::MinerHeartbeat beat{served, failed, static_cast<std::uint32_t>(queue.queued()),
                                     queue.paused()};
      auto reply = connection->request(net::encodeHeartbeat(beat), 10s);
      if (!reply || !net::expectAck(*reply))
        connection.reset();
    }
    std::unique_lock lock(linkMutex);
    const auto wait = registered ? options.heartbeat : backoff;
    backoff = std::min(backoff * 2, std::chrono::milliseconds(5'000));
    linkWake.wait_for(lock, wait, [this] { return stopping || nudged; });
    nudged = false;
  }
}

// Stakes the minimum and registers this miner on the node's chain, once; a node without a
// ledger, or an account without funds, leaves it serving off-chain (and says so).
void MinerService::State::registerOnChain(const std::string &endpoint) {
  // Each distinct problem is logged once, not on every attempt.
  const auto warn = [this](const std::string &message) {
    if (message != lastChainProblem)
      log::warn(name + ": " + message);
    lastChainProblem = message;
  };
  auto chain = node::RemoteLedger::connect(*options.node, identity);
  if (!chain)
    return warn(chain.error().message);
  auto &ledger = **chain;
  const auto account = ledger::keyHashOf(identity.publicKey());
  auto miners = ledger.miners();
  if (!miners) {
    if (miners.error().code == ErrorCode::Unavailable) // the node runs no ledger: stop asking
      lastChainAttempt = Clock::now() + std::chrono::hours(24 * 365);
    else
      warn(miners.error().message);
    return;
  }
  for (const auto &m : *miners)
    if (m.account == account) {
      onChain = true;
      return;
    }
  auto status = ledger.status();
  auto state = ledger.account(account);
  if (!status || !state)
    return warn("cannot read the ledger");
  std::vector<ledger::Transaction> transactions;
  if (state->staked < status->params.minStake) {
    auto stake = ledger::prepareTransaction(ledger, ledger::TxKind::Stake, identity.publicKey(),
                                            status->params.minStake - state->staked);
    if (!stake)
      return warn(stake.error().message);
    stake->signWith(identity.secretKey());
    if (auto sent = ledger.submit(*stake); !sent)
      return warn("cannot stake yet (its account " + wallet::addressOf(identity.publicKey()) +
                  " needs funds): " + sent.error().message);
  }
  const ledger::MinerOffer offer{endpoint, options.pricePerByte, options.pricePerQuery};
  auto registration = ledger::prepareTransaction(ledger, ledger::TxKind::RegisterMiner,
                                                 identity.publicKey(), 0, {}, offer.encode());
  if (!registration)
    return warn(registration.error().message);
  registration->signWith(identity.secretKey());
  auto sent = ledger.submit(*registration);
  if (!sent)
    return warn("cannot register on the ledger: " + sent.error().message);
  onChain = true;
  log::info(name + ": staked and registered on the ledger");
}

// Collects what the clients' latest receipts owe, on the ledger.
void MinerService::State::settle() {
  auto payments = paymentDesk();
  if (!payments)
    return;
  const auto receipts = payments->unsettled();
  if (receipts.empty())
    return;
  auto chain = node::RemoteLedger::connect(*options.node, identity);
  if (!chain)
    return log::warn(name + ": cannot settle: " + chain.error().message);
  for (const auto &receipt : receipts) {
    auto tx = ledger::prepareTransaction(**chain, ledger::TxKind::Settle, identity.publicKey(), 0,
                                         {}, receipt.encode());
    if (!tx) {
      log::warn(name + ": cannot settle: " + tx.error().message);
      continue;
    }
    tx->signWith(identity.secretKey());
    if (auto sent = (*chain)->submit(*tx); sent) {
      payments->settled(receipt.session, receipt.cumulative);
      settledTotal += receipt.cumulative; // the ledger pays the difference; this counts receipts
      log::info(name + ": settled a receipt for " + std::to_string(receipt.cumulative) + " µNES");
    } else {
      log::warn(name + ": the ledger refused a settlement: " + sent.error().message);
      payments->settled(receipt.session, receipt.cumulative); // do not retry a refused one
    }
  }
}

void MinerService::State::wakeLink() {
  {
    std::lock_guard lock(linkMutex);
    nudged = true;
  }
  linkWake.notify_all();
}

} // namespace nesa::miner
