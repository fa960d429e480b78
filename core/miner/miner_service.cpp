#include "miner/miner_service.h"

#include "chain/local_miners.h"
#include "gpu/dense_ops.h"
#include "gpu/device_probe.h"
#include "miner/internal/miner_state.h"
#include "util/log.h"

namespace nesa::miner {

namespace {

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
  std::optional<chain::AccountKey> chainKey;
  if (options.chain) {
    std::error_code ec;
    std::filesystem::create_directories(options.dataDir, ec);
    auto key = chain::loadOrCreateKeyFile(chain::minerKeyFile(options.dataDir));
    if (!key)
      return key.error().withContext("the miner's account key");
    chainKey.emplace(std::move(*key));
  }
  auto state = std::make_unique<State>(std::move(options), std::move(*identity));
  state->clearPartialUploads();
  state->chainKey = std::move(chainKey);
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
  State *raw = state.get();
  serverOptions.maxMessageBytes = raw->maxMessageBytes();
  serverOptions.frameLimit = [raw](const net::Peer &peer) { return raw->messageAllowance(peer); };
  // Peers without a session share this while their messages arrive; a free miner has only such.
  serverOptions.sharedReceiveBytes =
      state->options.chain ? state->options.unpaidReceiveBytes
                           : std::max(state->options.unpaidReceiveBytes, raw->maxMessageBytes());
  // Paying clients together: as much as waiting jobs may hold.
  serverOptions.vouchedReceiveBytes = raw->maxMessageBytes();
  auto server = net::Server::start(
      raw->identity, serverOptions,
      [raw](const net::Peer &peer, net::Bytes message, net::Responder respond) {
        raw->handle(peer, std::move(message), std::move(respond));
      },
      [raw](const std::string &target) { return raw->http(target); });
  if (!server)
    return server.error();
  state->server = std::move(*server);
  if (state->options.chain) {
    log::info(state->name + ": its account on chain " +
              std::to_string(state->options.chain->chainId) + " is " + state->chainAccountText() +
              " (stake and gas come from there)");
    state->chainLink = std::thread([raw] { raw->linkToChain(); });
  }
  log::info(state->name + ": serving share jobs on " + state->options.host + ":" +
            std::to_string(state->server->port()) + " with " + state->backend);
  return std::unique_ptr<MinerService>(new MinerService(std::move(state)));
}

std::uint16_t MinerService::port() const { return m_state->server->port(); }

const net::PublicKey &MinerService::identity() const { return m_state->identity.publicKey(); }

const std::string &MinerService::backend() const { return m_state->backend; }

std::string MinerService::chainAccount() const { return m_state->chainAccountText(); }

std::string MinerService::State::chainAccountText() const {
  return chainKey ? chain::checksumAddress(chainKey->address()) : std::string();
}

std::uint64_t MinerService::State::earnedSoFar() const {
  if (auto payments = chainPaymentDesk())
    return payments->earned().low64();
  return 0;
}

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
  stats.earned = s.earnedSoFar();
  stats.settled = s.settledTotal;
  return stats;
}

void MinerService::pause() { m_state->queue.pause(); }

void MinerService::resume() { m_state->queue.resume(); }

void MinerService::stop() {
  {
    std::lock_guard lock(m_state->linkMutex);
    m_state->stopping = true;
  }
  m_state->linkWake.notify_all();
  if (m_state->chainLink.joinable())
    m_state->chainLink.join();
  m_state->installs.stop();
  m_state->unpaidWork.stop();
  m_state->queue.stop();
  if (m_state->options.chain)
    m_state->settleOnChain(); // what running jobs earned is not left unclaimed
  if (m_state->server)
    m_state->server->stop();
}

} // namespace nesa::miner
