// net: the wire against raw TCP on the same loopback, and hss over an EVM devnet of real miner
// processes (paid through the contracts) against hss with in-process miners; then the same wire
// and miner services behind emulated LAN and WAN links (net::LinkEmulator) against loopback.
#include "harness.h"
#include "miner/chain_miners.h"
#include "miner/remote_miner.h"
#include "miner/share_codec.h"
#include "model/compiled_model.h"
#include "net/connection.h"
#include "net/link_emulator.h"
#include "net/server.h"
#include "privacy/engine.h"
#include "privacy/local_miner.h"
#include "reference_models.h"
#include "suites/linked_miners.h"
#include "suites/or_die.h"
#include "suites/suites.h"
#include "wallet/ethereum_keys.h"

#include <utility> // before Boost (STACK.md)

#include <boost/asio.hpp>

#include <ATen/ATen.h>

#include <cstring>
#include <iostream>
#include <thread>
#include <unistd.h>

namespace nesa::bench {

namespace {

using namespace std::chrono_literals;
using tcp = boost::asio::ip::tcp;
namespace fs = std::filesystem;

constexpr std::size_t kShareBytes = 8u << 20; // an 8 MiB f64 share each way
constexpr int kRoundTrips = 200;              // small messages per latency sample
constexpr int kLinkRoundTrips = 10;           // over an emulated link (30 ms each on WAN)
constexpr std::int64_t kUploadSide = 8192;    // an 8192² float32 weight: a 256 MiB bundle

// This suite's fixtures: exit with a message when their setup fails.
template <typename T> T orDie(Result<T> result, const char *what) {
  return bench::orDie(std::move(result), "net", what);
}

// A loopback TCP echo server: reads a length-prefixed message and sends it back, forever.
class RawEcho {
public:
  RawEcho() : m_acceptor(m_ioc, {boost::asio::ip::make_address("127.0.0.1"), 0}) {
    m_thread = std::thread([this] {
      boost::system::error_code ec;
      tcp::socket socket(m_ioc);
      m_acceptor.accept(socket, ec);
      socket.set_option(tcp::no_delay(true));
      std::vector<std::uint8_t> buffer;
      while (!ec) {
        std::uint64_t size = 0;
        boost::asio::read(socket, boost::asio::buffer(&size, 8), ec);
        if (ec)
          break;
        buffer.resize(size);
        boost::asio::read(socket, boost::asio::buffer(buffer), ec);
        if (ec)
          break;
        boost::asio::write(socket, boost::asio::buffer(&size, 8), ec);
        boost::asio::write(socket, boost::asio::buffer(buffer), ec);
      }
    });
    m_client.connect(m_acceptor.local_endpoint());
    m_client.set_option(tcp::no_delay(true));
  }
  ~RawEcho() {
    boost::system::error_code ignored;
    m_client.shutdown(tcp::socket::shutdown_both, ignored);
    m_client.close();
    m_thread.join();
  }
  // One round trip of `payload`.
  void roundTrip(std::vector<std::uint8_t> &payload) {
    std::uint64_t size = payload.size();
    boost::asio::write(m_client, boost::asio::buffer(&size, 8));
    boost::asio::write(m_client, boost::asio::buffer(payload));
    boost::asio::read(m_client, boost::asio::buffer(&size, 8));
    payload.resize(size);
    boost::asio::read(m_client, boost::asio::buffer(payload));
  }

private:
  boost::asio::io_context m_ioc;
  tcp::acceptor m_acceptor;
  tcp::socket m_client{m_ioc};
  std::thread m_thread;
};

// Our server answering a share job with its own share (the full codec, no compute), and
// anything else with an Ack.
struct WireEcho {
  net::Identity server = orDie(net::Identity::generate(), "identity");
  net::Identity client = orDie(net::Identity::generate(), "identity");
  std::unique_ptr<net::Server> listener;
  std::unique_ptr<net::Connection> connection;

  WireEcho() {
    net::ServerOptions options;
    options.maxMessageBytes = 64u << 20;
    options.name = "bench";
    listener = orDie(net::Server::start(
                         server, options,
                         [](const net::Peer &, net::Bytes message, net::Responder respond) {
                           if (*net::verifyMessage(message) != net::MessageKind::ShareJob)
                             return respond(net::encodeAck());
                           auto job = orDie(miner::decodeShareJob(message, 0), "decode job");
                           miner::TimedReply reply;
                           reply.reply.output = std::move(*job.job.input);
                           respond(miner::encodeShareReply(reply));
                         },
                         [](const std::string &) { return net::HttpResponse{}; }),
                     "server");
    connection =
        orDie(net::Connection::open({"127.0.0.1", listener->port()}, client, {}), "connect");
  }
};

privacy::ShareJob bigShareJob() {
  privacy::ShareJob job;
  job.bundleId = std::string(64, 'a');
  job.ops = {0};
  job.input = model::TensorData{
      model::DType::F64, {1, 16, 256, 256}, std::vector<std::uint8_t>(kShareBytes, 0x5a)};
  return job;
}

double megabytesPerSecond(double ms) { return 2.0 * kShareBytes / (1 << 20) / (ms / 1000); }

// Raw TCP moving an 8 MiB payload there and back, in MiB/s: the baseline of the wire's figures.
double rawTransfer(RawEcho &raw) {
  std::vector<std::uint8_t> payload(kShareBytes, 0x5a);
  return megabytesPerSecond(timeMs([&] { raw.roundTrip(payload); }));
}

struct HssFixture {
  model::CompiledModel compiled;
  model::TensorData input;
  std::shared_ptr<privacy::Engine> inProcess;
  std::shared_ptr<miner::ChainMiners> evmDevnet; ///< paid through the contracts
  std::shared_ptr<privacy::Engine> evmNetwork;
  net::Identity client = orDie(net::Identity::generate(), "identity");
};

std::shared_ptr<HssFixture> makeHss() {
  const fs::path dir = fs::temp_directory_path() / ("nesa-bench-net-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const auto reference = testing::writeCnn(dir / "cnn.pt", 32, 64);
  auto fixture = std::make_shared<HssFixture>(
      HssFixture{orDie(model::compileModel(reference.file), "compile"), {}, {}, {}, {}});
  std::error_code ec;
  fs::remove_all(dir, ec);
  at::manual_seed(3);
  auto tensor = at::randn(reference.inputShape);
  fixture->input = model::TensorData{model::DType::F32, reference.inputShape, {}};
  fixture->input.bytes.assign(reinterpret_cast<const std::uint8_t *>(tensor.data_ptr<float>()),
                              reinterpret_cast<const std::uint8_t *>(tensor.data_ptr<float>()) +
                                  tensor.nbytes());
  fixture->inProcess =
      std::make_shared<privacy::Engine>(std::vector<std::shared_ptr<privacy::MinerEndpoint>>{
          std::make_shared<privacy::LocalMiner>("a"), std::make_shared<privacy::LocalMiner>("b")});
  // An EVM devnet (anvil, the contracts, 2 miner processes), paid by the demo phrase's Ethereum
  // account through PaymentSessions like any query (a receipt checked on every job); sessions
  // open in the warm-up run.
  miner::ChainNetworkOptions evm;
  evm.devnetMiners = 2;
  fixture->evmDevnet = orDie(
      miner::ChainMiners::open(fixture->client, orDie(wallet::devnetDemoAccountKey(), "key"), evm),
      "EVM devnet");
  fixture->evmNetwork = std::make_shared<privacy::Engine>(
      orDie(fixture->evmDevnet->minersFor(fixture->compiled.bundle(), 2), "EVM miners"));
  return fixture;
}

double hssRun(const HssFixture &f, privacy::Engine &engine) {
  privacy::RunOptions options;
  return timeMs([&] { orDie(engine.run(f.compiled, f.input, options), "hss run"); });
}

// A connection of `wire`'s client to its server through an emulated link.
struct LinkedWire {
  std::unique_ptr<net::LinkEmulator> link;
  std::unique_ptr<net::Connection> connection;
};

std::shared_ptr<LinkedWire> throughLink(const WireEcho &wire, const net::LinkProfile &profile) {
  auto linked = std::make_shared<LinkedWire>();
  linked->link =
      orDie(net::LinkEmulator::start({"127.0.0.1", wire.listener->port()}, profile), "link");
  linked->connection =
      orDie(net::Connection::open(linked->link->endpoint(), wire.client, {}), "connect");
  return linked;
}

double shareRoundTrip(net::Connection &connection, const privacy::ShareJob &job) {
  return megabytesPerSecond(timeMs([&] {
    const auto request = miner::encodeShareJob({job, 0, 0, {}});
    auto reply = orDie(connection.request(request, 60s), "share round trip");
    orDie(miner::decodeShareReply(reply), "decode reply");
  }));
}

// A miner service on loopback and a 256 MiB bundle a client uploads to it (in pieces, as any
// bundle over net::kSmallestPiecedBundle travels): each upload is a bundle the miner has not
// seen, so it is sent, checked against its id, stored and loaded every time.
struct BundleUpload {
  net::Identity client = orDie(net::Identity::generate(), "identity");
  std::shared_ptr<LinkedMiners> miners = startLinkedMiners(client, 1, "net");
  std::unique_ptr<miner::RemoteMiner> remote;
  model::LinearBundle bundle;
  std::uint32_t round = 0;

  BundleUpload() {
    net::MinerRecord record;
    record.identity = miners->services[0]->identity();
    record.endpoint = net::Endpoint{"127.0.0.1", miners->services[0]->port()}.text();
    remote = std::make_unique<miner::RemoteMiner>(client, record, miner::RemoteMinerOptions{});
    model::LinearOp op;
    op.weight = model::TensorData{model::DType::F32,
                                  {kUploadSide, kUploadSide},
                                  std::vector<std::uint8_t>(kUploadSide * kUploadSide * 4, 0x3c)};
    bundle.ops.push_back(std::move(op));
  }

  // Uploads a bundle the miner lacks, in MiB/s; its id is computed before the clock starts.
  double upload() {
    ++round;
    std::memcpy(bundle.ops[0].weight.bytes.data(), &round, sizeof round);
    const auto id = bundle.id();
    const double ms = timeMs([&] { orDie(remote->installBundle(bundle, id), "upload"); });
    return static_cast<double>(bundle.serializedBytes()) / (1 << 20) / (ms / 1000);
  }
};

// The cipher two nodes on this machine agree on.
net::Cipher wireCipher() {
  return (net::localCiphers() & static_cast<std::uint8_t>(net::Cipher::Aes256Gcm))
             ? net::Cipher::Aes256Gcm
             : net::Cipher::ChaCha20Poly1305;
}

// Sealing and opening an 8 MiB share each way with `cipher`, no network at all.
double sealAndOpen(net::Cipher cipher) {
  net::SessionKeys keys;
  keys.cipher = cipher;
  net::SecureChannel sender(keys), receiver(keys);
  const std::vector<std::uint8_t> payload(kShareBytes, 0x5a);
  return megabytesPerSecond(timeMs([&] {
    for (int direction = 0; direction < 2; ++direction)
      orDie(receiver.open(sender.seal(payload)), "open");
  }));
}

double smallRoundTrips(net::Connection &connection, int count) {
  const auto ack = net::encodeAck();
  return timeMs([&] {
           for (int i = 0; i < count; ++i)
             orDie(connection.request(ack, 5s), "round trip");
         }) *
         1000 / count;
}

std::vector<Comparison> makeComparisons() {
  auto raw = std::make_shared<RawEcho>();
  auto wire = std::make_shared<WireEcho>();
  auto lan = throughLink(*wire, net::LinkProfile::lan());
  auto wan = throughLink(*wire, net::LinkProfile::wan());
  auto job = std::make_shared<privacy::ShareJob>(bigShareJob());
  auto hss = makeHss();
  auto far = startLinkedMiners(hss->client, 2, "net");
  auto upload = std::make_shared<BundleUpload>();
  return {
      {"share_transfer_throughput_vs_raw_tcp", "MiB/s", [raw] { return rawTransfer(*raw); },
       [wire, job] { return shareRoundTrip(*wire->connection, *job); }},
      // The floor the encryption alone sets: seal and open 8 MiB each way, no network at all.
      {"share_encryption_only_vs_raw_tcp", "MiB/s", [raw] { return rawTransfer(*raw); },
       [] { return sealAndOpen(wireCipher()); }},
      // The cipher the handshake picks on this machine (AES-256-GCM with AES-NI) against the
      // one every node runs.
      {"share_encryption_negotiated_vs_chacha20", "MiB/s",
       [] { return sealAndOpen(net::Cipher::ChaCha20Poly1305); },
       [] { return sealAndOpen(wireCipher()); }},
      {"round_trip_vs_raw_tcp", "us",
       [raw] {
         std::vector<std::uint8_t> payload(64, 1);
         return timeMs([&] {
                  for (int i = 0; i < kRoundTrips; ++i)
                    raw->roundTrip(payload);
                }) *
                1000 / kRoundTrips;
       },
       [wire] { return smallRoundTrips(*wire->connection, kRoundTrips); }},
      // A bundle the miner lacks, uploaded and installed, against raw TCP moving bytes.
      {"bundle_upload_vs_raw_tcp", "MiB/s", [raw] { return rawTransfer(*raw); },
       [upload] { return upload->upload(); }},
      // Paid through the contracts: a signed EIP-712 receipt per job, checked against the
      // session on anvil by the miner.
      {"cnn_hss_evm_network_vs_in_process", "ms", [hss] { return hssRun(*hss, *hss->inProcess); },
       [hss] { return hssRun(*hss, *hss->evmNetwork); }},
      // The same wire and miners a LAN (1 ms, 1 Gbit/s) and a WAN (30 ms, 100 Mbit/s) away.
      {"round_trip_lan_vs_loopback", "us",
       [wire] { return smallRoundTrips(*wire->connection, kLinkRoundTrips); },
       [lan] { return smallRoundTrips(*lan->connection, kLinkRoundTrips); }},
      {"round_trip_wan_vs_loopback", "us",
       [wire] { return smallRoundTrips(*wire->connection, kLinkRoundTrips); },
       [wan] { return smallRoundTrips(*wan->connection, kLinkRoundTrips); }},
      {"share_transfer_lan_vs_loopback", "MiB/s",
       [wire, job] { return shareRoundTrip(*wire->connection, *job); },
       [lan, job] { return shareRoundTrip(*lan->connection, *job); }},
      {"share_transfer_wan_vs_loopback", "MiB/s",
       [wire, job] { return shareRoundTrip(*wire->connection, *job); },
       [wan, job] { return shareRoundTrip(*wan->connection, *job); }},
      {"cnn_hss_lan_vs_loopback", "ms", [hss, far] { return hssRun(*hss, *far->loopback); },
       [hss, far] { return hssRun(*hss, *far->lan); }},
      {"cnn_hss_wan_vs_loopback", "ms", [hss, far] { return hssRun(*hss, *far->loopback); },
       [hss, far] { return hssRun(*hss, *far->wan); }},
  };
}

} // namespace

void registerNetSuite() {
  registerSuite({"net",
                 "the encrypted wire vs raw TCP on loopback; hss over an EVM devnet of miner "
                 "processes vs in-process miners; the wire and miners over emulated LAN and WAN "
                 "links vs loopback",
                 makeComparisons});
}

} // namespace nesa::bench
