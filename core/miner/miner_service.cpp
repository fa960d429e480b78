#include "miner/miner_service.h"

#include "gpu/dense_ops.h"
#include "gpu/device_probe.h"
#include "ledger/payloads.h"
#include "miner/job_queue.h"
#include "miner/payment_desk.h"
#include "miner/share_codec.h"
#include "model/linear_bundle.h"
#include "net/connection.h"
#include "net/messages.h"
#include "net/server.h"
#include "node/remote_ledger.h"
#include "privacy/local_miner.h"
#include "util/log.h"
#include "wallet/address.h"

#include <atomic>
#include <condition_variable>
#include <set>
#include <sstream>
#include <thread>

namespace nesa::miner {

namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

double msSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// Bundle ids are 64 lower-case hex characters; anything else never reaches the file system.
bool isBundleId(const std::string &id) {
  return id.size() == 64 && id.find_first_not_of("0123456789abcdef") == std::string::npos;
}

struct ChosenDevice {
  int index = -1; // −1: the CPU
  std::string name;
};

// The backend option against what this build and machine have.
Result<ChosenDevice> chooseDevice(const MinerOptions &options) {
  if (options.backend == "cpu")
    return ChosenDevice{};
  if (options.backend != "auto" && options.backend != "cuda")
    return fail(ErrorCode::InvalidInput,
                "unknown backend '" + options.backend + "' (use auto, cpu or cuda)");
  const auto report = gpu::probe();
  const bool wanted = options.backend == "cuda";
  if (!gpu::hasKernels() || report.devices.empty()) {
    if (wanted)
      return fail(ErrorCode::Unavailable,
                  "no usable GPU: " +
                      (report.reason.empty() ? std::string("none found") : report.reason));
    return ChosenDevice{};
  }
  for (const auto &device : report.devices)
    if (device.index == options.gpuDevice)
      return ChosenDevice{device.index, device.name};
  return fail(ErrorCode::InvalidInput, "there is no GPU " + std::to_string(options.gpuDevice));
}

} // namespace

struct MinerService::State {
  explicit State(MinerOptions opts, net::Identity id)
      : options(std::move(opts)), identity(std::move(id)),
        name("miner-" + net::toHex(identity.publicKey()).substr(0, 8)),
        compute(options.compute ? options.compute : std::make_shared<privacy::LocalMiner>(name)),
        queue({options.maxConcurrentJobs, options.maxQueuedJobs, options.maxQueuedBytes}) {}

  MinerOptions options;
  net::Identity identity;
  std::string name;
  std::string backend;
  std::shared_ptr<privacy::MinerEndpoint> compute;
  JobQueue queue;
  std::unique_ptr<net::Server> server;

  std::atomic<std::uint64_t> served{0}, failed{0}, refused{0}, fees{0};
  std::atomic<double> computeMs{0};
  std::atomic<std::size_t> bundles{0};
  std::atomic<bool> registered{false};
  std::atomic<bool> onChain{false};
  Clock::time_point lastChainAttempt{}; // the node link's thread only
  Clock::time_point lastSettle{};
  std::atomic<std::uint64_t> settledTotal{0};
  mutable std::mutex deskMutex;
  mutable std::mutex nodeIdentityMutex;
  std::optional<net::PublicKey> nodeIdentity;
  std::shared_ptr<PaymentDesk> desk;
  std::string lastChainProblem;

  JobQueue installs{{1, 64, 1024}}; // bundle downloads, one at a time, off the network threads
  std::mutex installMutex;
  std::set<std::string> installedIds;
  std::thread nodeLink;
  std::mutex linkMutex;
  std::condition_variable linkWake;
  bool stopping = false;
  bool nudged = false; // send a heartbeat now (pause/resume)

  std::filesystem::path bundleFile(const std::string &id) const {
    return options.dataDir / "bundles" / (id + ".nesalb");
  }

  // Makes `id` ready: already installed, in the cache folder, or downloaded from the node.
  Result<void> install(const std::string &id) {
    if (!isBundleId(id))
      return fail(ErrorCode::InvalidInput, "'" + id + "' is not a bundle id");
    std::lock_guard lock(installMutex);
    if (installedIds.count(id))
      return {};
    const auto file = bundleFile(id);
    std::error_code ec;
    if (!std::filesystem::exists(file, ec)) {
      if (!options.node)
        return fail(ErrorCode::NotFound, "bundle " + id + " is not here and no node is set");
      auto got = net::httpGet(*options.node, "/bundles/" + id, 120s);
      if (!got)
        return got.error().withContext("downloading bundle " + id.substr(0, 12));
      if (got->status != 200)
        return fail(ErrorCode::NotFound, "the node does not have bundle " + id.substr(0, 12) +
                                             " (HTTP " + std::to_string(got->status) + ")");
      const std::span<const std::uint8_t> bytes(
          reinterpret_cast<const std::uint8_t *>(got->body.data()), got->body.size());
      auto parsed = model::LinearBundle::parse(bytes);
      if (!parsed || parsed->id() != id)
        return fail(ErrorCode::Corrupt,
                    "the node sent a bundle that does not hash to " + id.substr(0, 12));
      std::filesystem::create_directories(file.parent_path(), ec);
      if (auto saved = parsed->save(file); !saved)
        return saved.error();
      log::info(name + ": downloaded bundle " + id.substr(0, 12) + " (" +
                std::to_string(bytes.size()) + " bytes)");
    }
    auto bundle = model::LinearBundle::load(file, id);
    if (!bundle)
      return bundle.error();
    if (auto done = compute->installBundle(*bundle, id); !done)
      return done;
    installedIds.insert(id);
    bundles = installedIds.size();
    return {};
  }

  void handle(const net::Peer &peer, net::Bytes message, net::Responder respond) {
    const auto kind = *net::verifyMessage(message);
    switch (kind) {
    case net::MessageKind::ShareJob: return handleJob(peer, std::move(message), respond);
    case net::MessageKind::InstallBundle: {
      auto id = net::decodeInstallBundle(message);
      auto queued = installs.submit(
          0, 0, 0,
          [this, id, respond] {
            auto done = install(id);
            respond(done ? net::encodeAck() : net::encodeError(done.error()));
          },
          [respond](const Error &error) { respond(net::encodeError(error)); });
      if (!queued)
        respond(net::encodeError(queued.error()));
      return;
    }
    case net::MessageKind::PaymentReceipt: {
      auto receipt = decodePaymentReceipt(message);
      if (!receipt)
        return respond(net::encodeError(receipt.error()));
      auto payments = paymentDesk();
      if (!payments)
        return respond(net::encodeError(fail(ErrorCode::Unavailable, "no ledger to pay on")));
      auto accepted = payments->accept(*receipt);
      return respond(accepted ? net::encodeAck() : net::encodeError(accepted.error()));
    }
    default:
      respond(
          net::encodeError(fail(ErrorCode::InvalidInput, "a miner does not take this message")));
    }
  }

  std::shared_ptr<PaymentDesk> paymentDeskIfAny() const {
    std::lock_guard lock(deskMutex);
    return desk;
  }

  // The ledger for payments (the node's), connected on first use.
  std::shared_ptr<PaymentDesk> paymentDesk() {
    std::lock_guard lock(deskMutex);
    if (!desk && options.node)
      if (auto chain = node::RemoteLedger::connect(*options.node, identity))
        desk = std::make_shared<PaymentDesk>(std::shared_ptr<ledger::Ledger>(std::move(*chain)),
                                             ledger::keyHashOf(identity.publicKey()));
    return desk;
  }

  // A job's payment: its receipt must be good, or the miner must be free.
  // The node this miner registered with recomputes disputed jobs as the chain's arbiter; those
  // are served without payment.
  bool isOwnNode(const net::Peer &peer) const {
    std::lock_guard lock(nodeIdentityMutex);
    return nodeIdentity && *nodeIdentity == peer.identity;
  }

  Result<void> checkPayment(const PricedJob &job, std::size_t payloadBytes) {
    const ledger::Amount price = options.pricePerQuery + options.pricePerByte * payloadBytes;
    if (!job.payment) {
      if (!options.requirePayment)
        return {};
      return fail(ErrorCode::InvalidInput,
                  "payment refused: this miner is paid per job; open a PayForQuery session");
    }
    if (job.fee < price)
      return fail(ErrorCode::InvalidInput, "payment refused: the job offers " +
                                               std::to_string(job.fee) + " µNES, the price is " +
                                               std::to_string(price));
    auto payments = paymentDesk();
    if (!payments)
      return fail(ErrorCode::Unavailable, "this miner cannot reach its node's ledger to check "
                                          "payments right now");
    return payments->admit(*job.payment, price);
  }

  void handleJob(const net::Peer &peer, net::Bytes message, const net::Responder &respond) {
    auto priced = decodeShareJob(message);
    if (!priced) {
      ++failed;
      return respond(net::encodeError(priced.error()));
    }
    if (auto paid =
            isOwnNode(peer)
                ? Result<void>()
                : checkPayment(*priced, priced->job.input ? priced->job.input->bytes.size() : 0);
        !paid) {
      ++refused;
      return respond(net::encodeError(paid.error()));
    }
    const auto arrived = Clock::now();
    const std::size_t bytes = message.size();
    auto job = std::make_shared<PricedJob>(std::move(*priced));
    message = {};
    auto queued = queue.submit(
        job->tip, job->fee, bytes,
        [this, job, respond, arrived] {
          const double waited = msSince(arrived);
          const auto start = Clock::now();
          auto reply = compute->compute(job->job);
          computeMs = computeMs + msSince(start);
          if (!reply) {
            ++failed;
            return respond(net::encodeError(reply.error()));
          }
          ++served;
          fees += job->fee;
          // Signed, so that a wrong answer can be proven to the ledger (docs/network.md).
          const auto signedBytes = ledger::SlashEvidence::signedBytes(
              jobDigestOf(job->job), resultDigestOf(reply->output));
          reply->signer = identity.publicKey();
          reply->signature = identity.sign(signedBytes);
          respond(encodeShareReply({std::move(*reply), waited}));
        },
        [respond](const Error &error) { respond(net::encodeError(error)); });
    if (!queued) {
      ++refused;
      respond(net::encodeError(queued.error()));
    }
  }

  net::HttpResponse http(const std::string &target) const {
    if (target == "/status") {
      std::ostringstream out;
      out << "{\"role\":\"miner\",\"identity\":\"" << net::toHex(identity.publicKey())
          << "\",\"backend\":\"" << backend << "\",\"jobs_served\":" << served
          << ",\"jobs_failed\":" << failed << ",\"jobs_refused\":" << refused
          << ",\"queued\":" << queue.queued()
          << ",\"paused\":" << (queue.paused() ? "true" : "false")
          << ",\"registered\":" << (registered ? "true" : "false")
          << ",\"on_chain\":" << (onChain ? "true" : "false")
          << ",\"earned\":" << (paymentDeskIfAny() ? paymentDeskIfAny()->earned() : 0)
          << ",\"settled\":" << settledTotal << "}";
      return {200, "application/json", out.str()};
    }
    if (target == "/metrics") {
      const auto c = server ? server->counters() : net::ServerCounters{};
      std::ostringstream out;
      out << "# TYPE nesa_miner_jobs_served_total counter\nnesa_miner_jobs_served_total " << served
          << "\n# TYPE nesa_miner_jobs_failed_total counter\nnesa_miner_jobs_failed_total "
          << failed
          << "\n# TYPE nesa_miner_jobs_refused_total counter\nnesa_miner_jobs_refused_total "
          << refused << "\n# TYPE nesa_miner_queue_length gauge\nnesa_miner_queue_length "
          << queue.queued()
          << "\n# TYPE nesa_miner_compute_ms_total counter\nnesa_miner_compute_ms_total "
          << computeMs.load()
          << "\n# TYPE nesa_net_bytes_received_total counter\nnesa_net_bytes_received_total "
          << c.bytesReceived
          << "\n# TYPE nesa_net_bytes_sent_total counter\nnesa_net_bytes_sent_total " << c.bytesSent
          << "\n# TYPE nesa_net_rejected_total counter\nnesa_net_rejected_total " << c.rejected
          << "\n";
      return {200, "text/plain; version=0.0.4", out.str()};
    }
    return {404, "text/plain; charset=utf-8", "not found\n"};
  }

  // Registers with the node and sends heartbeats until stopped, reconnecting as needed.
  void linkToNode() {
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
  void registerOnChain(const std::string &endpoint) {
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
  void settle() {
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

  void wakeLink() {
    {
      std::lock_guard lock(linkMutex);
      nudged = true;
    }
    linkWake.notify_all();
  }
};

MinerService::MinerService(std::unique_ptr<State> state) : m_state(std::move(state)) {}

MinerService::~MinerService() { stop(); }

Result<std::unique_ptr<MinerService>> MinerService::start(MinerOptions options) {
  auto device = chooseDevice(options);
  if (!device)
    return device.error();
  if (options.dataDir.empty())
    return fail(ErrorCode::InvalidInput, "a miner needs a data folder");
  auto identity = net::Identity::loadOrCreate(options.dataDir / "identity.key");
  if (!identity)
    return identity.error();
  auto state = std::make_unique<State>(std::move(options), std::move(*identity));
  const int threads = privacy::setComputeThreads(state->options.threads);
  state->backend = "cpu (" + std::to_string(threads) + " threads)";
  if (!state->compute)
    state->compute = std::make_shared<privacy::LocalMiner>(state->name, device->index);
  if (device->index >= 0)
    state->backend = "cuda (" + device->name + ", device " + std::to_string(device->index) +
                     ") + " + state->backend;

  net::ServerOptions serverOptions;
  serverOptions.host = state->options.host;
  serverOptions.port = state->options.port;
  serverOptions.name = state->name;
  serverOptions.maxMessageBytes = std::max<std::size_t>(state->options.maxQueuedBytes, 1u << 20);
  State *raw = state.get();
  auto server = net::Server::start(
      raw->identity, serverOptions,
      [raw](const net::Peer &peer, net::Bytes message, net::Responder respond) {
        raw->handle(peer, std::move(message), std::move(respond));
      },
      [raw](const std::string &target) { return raw->http(target); });
  if (!server)
    return server.error();
  state->server = std::move(*server);
  if (state->options.node)
    state->nodeLink = std::thread([raw] { raw->linkToNode(); });
  log::info(state->name + ": serving share jobs on " + state->options.host + ":" +
            std::to_string(state->server->port()) + " with " + state->backend);
  return std::unique_ptr<MinerService>(new MinerService(std::move(state)));
}

std::uint16_t MinerService::port() const { return m_state->server->port(); }

const net::PublicKey &MinerService::identity() const { return m_state->identity.publicKey(); }

const std::string &MinerService::backend() const { return m_state->backend; }

MinerStats MinerService::stats() const {
  State &s = *m_state;
  MinerStats stats;
  stats.jobsServed = s.served;
  stats.jobsFailed = s.failed;
  stats.jobsRefused = s.refused;
  stats.feesOffered = s.fees;
  stats.computeMs = s.computeMs.load();
  stats.queued = s.queue.queued();
  stats.bundles = s.bundles;
  stats.paused = s.queue.paused();
  stats.registered = s.registered;
  stats.onChain = s.onChain;
  if (auto desk = s.paymentDeskIfAny())
    stats.earned = desk->earned();
  stats.settled = s.settledTotal;
  return stats;
}

void MinerService::pause() {
  m_state->queue.pause();
  m_state->wakeLink();
}

void MinerService::resume() {
  m_state->queue.resume();
  m_state->wakeLink();
}

void MinerService::stop() {
  {
    std::lock_guard lock(m_state->linkMutex);
    m_state->stopping = true;
  }
  m_state->linkWake.notify_all();
  if (m_state->nodeLink.joinable())
    m_state->nodeLink.join();
  m_state->installs.stop();
  m_state->queue.stop();
  if (m_state->options.node)
    m_state->settle(); // what running jobs earned is not left unclaimed
  if (m_state->server)
    m_state->server->stop();
}

} // namespace nesa::miner
