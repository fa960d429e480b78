#include "node/node_service.h"

#include "ledger/ledger_codec.h"
#include "net/endpoint.h"
#include "net/server.h"
#include "node/arbiter.h"
#include "util/log.h"

#include <sodium.h>

#include <condition_variable>
#include <deque>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

namespace nesa::node {

namespace {

using Clock = std::chrono::steady_clock;

bool isBundleId(const std::string &id) {
  return id.size() == 64 && id.find_first_not_of("0123456789abcdef") == std::string::npos;
}

std::string jsonEscape(const std::string &text) {
  std::string out;
  for (char c : text) {
    if (c == '"' || c == '\\')
      out += '\\';
    if (static_cast<unsigned char>(c) >= 0x20)
      out += c;
  }
  return out;
}

} // namespace

std::string bundleContentId(std::span<const std::uint8_t> bytes) {
  unsigned char hash[32];
  crypto_generichash(hash, sizeof hash, bytes.data(), bytes.size(), nullptr, 0);
  char hex[65];
  sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
  return hex;
}

struct NodeService::State {
  State(NodeOptions opts, net::Identity id) : options(std::move(opts)), identity(std::move(id)) {}

  struct Entry {
    net::MinerRecord record;
    Clock::time_point lastSeen;
  };

  NodeOptions options;
  net::Identity identity;
  std::unique_ptr<net::Server> server;
  mutable std::mutex mutex;
  mutable std::condition_variable changed;
  std::map<net::PublicKey, Entry> miners;
  std::unique_ptr<Arbiter> arbiter;
  std::mutex judgeMutex;
  std::condition_variable judgeWake;
  std::deque<std::pair<net::Bytes, net::Responder>> reports;
  bool stopping = false;
  std::thread judge; // judgements take seconds (other miners recompute): never on io threads

  void judgeReports() {
    while (true) {
      std::pair<net::Bytes, net::Responder> report;
      {
        std::unique_lock lock(judgeMutex);
        judgeWake.wait(lock, [this] { return stopping || !reports.empty(); });
        if (stopping)
          break;
        report = std::move(reports.front());
        reports.pop_front();
      }
      const bool missing = *net::verifyMessage(report.first) == net::MessageKind::ReportMissing;
      auto recorded = missing ? arbiter->probe(net::decodeReportMissing(report.first))
                              : arbiter->judge(report.first);
      report.second(recorded ? net::encodeAck() : net::encodeError(recorded.error()));
    }
    std::lock_guard lock(judgeMutex);
    for (auto &[frame, respond] : reports)
      respond(net::encodeError(fail(ErrorCode::Unavailable, "the node is stopping")));
    reports.clear();
  }
  std::uint64_t bundlesStored = 0;

  std::filesystem::path bundleFile(const std::string &id) const {
    return options.dataDir / "bundles" / (id + ".nesalb");
  }

  std::vector<net::MinerRecord> available() const {
    std::vector<std::pair<Clock::time_point, net::MinerRecord>> fresh;
    const auto now = Clock::now();
    for (const auto &[key, entry] : miners) {
      if (now - entry.lastSeen > options.minerTimeout || entry.record.heartbeat.paused)
        continue;
      auto record = entry.record;
      record.secondsSinceSeen = std::chrono::duration<double>(now - entry.lastSeen).count();
      fresh.emplace_back(entry.lastSeen, std::move(record));
    }
    std::sort(fresh.begin(), fresh.end(),
              [](const auto &a, const auto &b) { return a.first > b.first; });
    std::vector<net::MinerRecord> out;
    for (auto &f : fresh)
      out.push_back(std::move(f.second));
    return out;
  }

  net::Bytes storeBundle(const net::BundleUpload &upload) {
    if (!isBundleId(upload.bundleId))
      return net::encodeError(fail(ErrorCode::InvalidInput, "not a bundle id"));
    if (bundleContentId(upload.content) != upload.bundleId)
      return net::encodeError(
          fail(ErrorCode::Corrupt, "the bundle's content does not hash to its id"));
    const auto file = bundleFile(upload.bundleId);
    std::error_code ec;
    if (std::filesystem::exists(file, ec))
      return net::encodeAck();
    std::filesystem::create_directories(file.parent_path(), ec);
    auto temporary = file;
    temporary += ".tmp";
    {
      std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
      out.write(reinterpret_cast<const char *>(upload.content.data()),
                static_cast<std::streamsize>(upload.content.size()));
      if (!out)
        return net::encodeError(fail(ErrorCode::Io, "the node cannot store the bundle"));
    }
    std::filesystem::rename(temporary, file, ec);
    if (ec)
      return net::encodeError(fail(ErrorCode::Io, "the node cannot store the bundle"));
    std::lock_guard lock(mutex);
    ++bundlesStored;
    log::info("node: stored bundle " + upload.bundleId.substr(0, 12) + " (" +
              std::to_string(upload.content.size()) + " bytes)");
    return net::encodeAck();
  }

  void handle(const net::Peer &peer, net::Bytes message, const net::Responder &respond) {
    switch (*net::verifyMessage(message)) {
    case net::MessageKind::RegisterMiner: {
      auto announcement = net::decodeRegisterMiner(message);
      if (!net::parseEndpoint(announcement.endpoint))
        return respond(net::encodeError(
            fail(ErrorCode::InvalidInput, "the miner's endpoint is not host:port")));
      {
        std::lock_guard lock(mutex);
        auto &entry = miners[peer.identity];
        entry.record.identity = peer.identity;
        entry.record.announcement = announcement;
        entry.record.heartbeat = {};
        entry.lastSeen = Clock::now();
      }
      changed.notify_all();
      log::info("node: miner " + net::toHex(peer.identity).substr(0, 8) + " registered at " +
                announcement.endpoint + " (" + announcement.backend + ")");
      return respond(net::encodeAck());
    }
    case net::MessageKind::Heartbeat: {
      std::lock_guard lock(mutex);
      auto it = miners.find(peer.identity);
      if (it == miners.end())
        return respond(net::encodeError(fail(ErrorCode::NotFound, "register first")));
      it->second.record.heartbeat = net::decodeHeartbeat(message);
      it->second.lastSeen = Clock::now();
      changed.notify_all();
      return respond(net::encodeAck());
    }
    case net::MessageKind::ListMiners: {
      std::lock_guard lock(mutex);
      return respond(net::encodeMinerList(available()));
    }
    case net::MessageKind::PublishBundle:
      return respond(storeBundle(net::decodePublishBundle(message)));
    case net::MessageKind::ReportMissing:
    case net::MessageKind::ReportEvidence: {
      if (!arbiter)
        return respond(net::encodeError(
            fail(ErrorCode::Unavailable, "this node does not judge reports of wrong answers")));
      {
        std::lock_guard lock(judgeMutex);
        reports.emplace_back(std::move(message), respond);
      }
      judgeWake.notify_one();
      return;
    }
    case net::MessageKind::LedgerRequest: {
      if (!options.ledger)
        return respond(
            net::encodeError(fail(ErrorCode::Unavailable, "this node does not run a ledger")));
      auto answer = ledger::answerRequest(*options.ledger, net::decodeLedgerBody(message));
      return respond(answer ? net::encodeLedgerReply(*answer) : net::encodeError(answer.error()));
    }
    default:
      return respond(
          net::encodeError(fail(ErrorCode::InvalidInput, "a node does not take this message")));
    }
  }

  net::HttpResponse http(const std::string &target) const {
    if (target.rfind("/bundles/", 0) == 0) {
      const auto id = target.substr(9);
      if (!isBundleId(id))
        return {400, "text/plain; charset=utf-8", "not a bundle id\n"};
      std::ifstream in(bundleFile(id), std::ios::binary);
      if (!in)
        return {404, "text/plain; charset=utf-8", "no such bundle\n"};
      std::ostringstream body;
      body << in.rdbuf();
      return {200, "application/octet-stream", body.str()};
    }
    // Stake and reputation come from the ledger (read before the registry's lock is taken).
    std::map<ledger::KeyHash, ledger::LedgerMiner> onChain;
    if (target == "/status" && options.ledger)
      if (auto listed = options.ledger->miners())
        for (auto &m : *listed)
          onChain.emplace(m.account, std::move(m));
    std::lock_guard lock(mutex);
    const auto fresh = available();
    if (target == "/status") {
      std::ostringstream out;
      out << "{\"role\":\"node\",\"identity\":\"" << net::toHex(identity.publicKey())
          << "\",\"miners_registered\":" << miners.size()
          << ",\"miners_available\":" << fresh.size() << ",\"miners\":[";
      for (std::size_t i = 0; i < fresh.size(); ++i) {
        const auto &m = fresh[i];
        out << (i ? "," : "") << "{\"identity\":\"" << net::toHex(m.identity)
            << "\",\"endpoint\":\"" << jsonEscape(m.announcement.endpoint) << "\",\"backend\":\""
            << jsonEscape(m.announcement.backend)
            << "\",\"price_per_query\":" << m.announcement.pricePerQuery
            << ",\"price_per_byte\":" << m.announcement.pricePerByte
            << ",\"jobs_served\":" << m.heartbeat.jobsServed
            << ",\"seconds_since_seen\":" << m.secondsSinceSeen;
        if (const auto chain = onChain.find(ledger::keyHashOf(m.identity)); chain != onChain.end())
          out << ",\"staked\":" << chain->second.staked
              << ",\"reputation\":" << chain->second.record.reputation;
        out << "}";
      }
      out << "]}";
      return {200, "application/json", out.str()};
    }
    if (target == "/metrics") {
      const auto c = server ? server->counters() : net::ServerCounters{};
      std::ostringstream out;
      out << "# TYPE nesa_node_miners_available gauge\nnesa_node_miners_available " << fresh.size()
          << "\n# TYPE nesa_node_miners_registered gauge\nnesa_node_miners_registered "
          << miners.size()
          << "\n# TYPE nesa_node_bundles_stored_total counter\nnesa_node_bundles_stored_total "
          << bundlesStored
          << "\n# TYPE nesa_net_connections_total counter\nnesa_net_connections_total "
          << c.connections << "\n# TYPE nesa_net_rejected_total counter\nnesa_net_rejected_total "
          << c.rejected << "\n";
      return {200, "text/plain; version=0.0.4", out.str()};
    }
    return {404, "text/plain; charset=utf-8", "not found\n"};
  }
};

NodeService::NodeService(std::unique_ptr<State> state) : m_state(std::move(state)) {}

NodeService::~NodeService() { stop(); }

Result<std::unique_ptr<NodeService>> NodeService::start(NodeOptions options) {
  if (options.dataDir.empty())
    return fail(ErrorCode::InvalidInput, "a node needs a data folder");
  if (auto ready = ensureSodium(); !ready)
    return ready.error();
  auto identity = net::Identity::loadOrCreate(options.dataDir / "identity.key");
  if (!identity)
    return identity.error();
  auto state = std::make_unique<State>(std::move(options), std::move(*identity));
  net::ServerOptions serverOptions;
  serverOptions.host = state->options.host;
  serverOptions.port = state->options.port;
  serverOptions.name = "node";
  serverOptions.idleTimeout = state->options.idleTimeout;
  serverOptions.maxMessageBytes = state->options.maxBundleBytes + 4096;
  State *raw = state.get();
  auto server = net::Server::start(
      raw->identity, serverOptions,
      [raw](const net::Peer &peer, net::Bytes message, net::Responder respond) {
        raw->handle(peer, std::move(message), respond);
      },
      [raw](const std::string &target) { return raw->http(target); });
  if (!server)
    return server.error();
  state->server = std::move(*server);
  if (state->options.arbitrate && state->options.ledger) {
    state->arbiter = std::make_unique<Arbiter>(state->identity, state->options.ledger, [raw] {
      std::lock_guard lock(raw->mutex);
      return raw->available();
    });
    state->judge = std::thread([raw] { raw->judgeReports(); });
  }
  return std::unique_ptr<NodeService>(new NodeService(std::move(state)));
}

std::uint16_t NodeService::port() const { return m_state->server->port(); }

const net::PublicKey &NodeService::identity() const { return m_state->identity.publicKey(); }

std::vector<net::MinerRecord> NodeService::availableMiners() const {
  std::lock_guard lock(m_state->mutex);
  return m_state->available();
}

Result<void> NodeService::waitForMiners(std::size_t count,
                                        std::chrono::milliseconds timeout) const {
  std::unique_lock lock(m_state->mutex);
  const bool enough = m_state->changed.wait_for(
      lock, timeout, [&] { return m_state->available().size() >= count; });
  if (!enough)
    return fail(ErrorCode::Unavailable, std::to_string(m_state->available().size()) + " of " +
                                            std::to_string(count) + " miners registered within " +
                                            std::to_string(timeout.count()) + " ms");
  return {};
}

void NodeService::stop() {
  {
    std::lock_guard lock(m_state->judgeMutex);
    m_state->stopping = true;
  }
  m_state->judgeWake.notify_all();
  if (m_state->judge.joinable())
    m_state->judge.join();
  if (m_state->server)
    m_state->server->stop();
}

} // namespace nesa::node
