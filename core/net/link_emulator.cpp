#include "net/link_emulator.h"

#include "net/internal/asio.h"

#include <boost/asio/redirect_error.hpp>

#include <algorithm>
#include <atomic>
#include <deque>
#include <sstream>
#include <thread>
#include <vector>

namespace nesa::net {
namespace {

using Clock = std::chrono::steady_clock;
using boost::system::error_code;

constexpr std::size_t kChunkBytes = 64 * 1024;
constexpr std::size_t kMinInFlightBytes = 4u << 20;

/// One direction of a relayed connection: chunks read from `from`, held and paced, written to
/// `to` when they arrive.
struct Direction {
  explicit Direction(asio::io_context &ioc) : wake(ioc), space(ioc), deliver(ioc) {}
  struct Chunk {
    std::vector<std::uint8_t> bytes;
    Clock::time_point arrival;
    bool end = false; ///< the sender closed its side
  };
  std::deque<Chunk> chunks;
  std::size_t inFlight = 0;   ///< bytes read and not yet delivered
  Clock::time_point sendFree; ///< when the link has sent what it was given
  asio::steady_timer wake;    ///< the writer waits on it for chunks
  asio::steady_timer space;   ///< the reader waits on it for room
  asio::steady_timer deliver; ///< the writer waits on it for a chunk's arrival
};

} // namespace

struct LinkEmulator::State {
  State(const tcp::endpoint &to, LinkProfile link)
      : target(to), profile(std::move(link)),
        acceptor(ioc, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {}

  /// A client's connection and the target's, relayed both ways.
  struct Relay {
    Relay(asio::io_context &ioc, tcp::socket accepted)
        : client(std::move(accepted)), server(ioc), up(ioc), down(ioc) {}
    tcp::socket client, server;
    Direction up, down; ///< client → target, target → client
    bool closed = false;

    void close() {
      if (closed)
        return;
      closed = true;
      error_code ignored;
      client.close(ignored);
      server.close(ignored);
      for (Direction *d : {&up, &down}) {
        d->wake.cancel();
        d->space.cancel();
        d->deliver.cancel();
      }
    }
  };

  std::chrono::nanoseconds serialization(std::size_t bytes) const {
    if (profile.bitsPerSecond <= 0)
      return {};
    return std::chrono::nanoseconds(
        static_cast<std::int64_t>(static_cast<double>(bytes) * 8e9 / profile.bitsPerSecond));
  }

  std::size_t inFlightLimit() const {
    const double bdp =
        profile.bitsPerSecond / 8 * std::chrono::duration<double>(profile.rtt).count();
    return std::max(kMinInFlightBytes, static_cast<std::size_t>(2 * bdp));
  }

  asio::awaitable<void> read(std::shared_ptr<Relay> relay, tcp::socket &from, Direction &d,
                             std::atomic<std::uint64_t> &counted) {
    const auto oneWay = std::chrono::duration_cast<Clock::duration>(profile.rtt) / 2;
    for (;;) {
      std::vector<std::uint8_t> bytes(kChunkBytes);
      error_code ec;
      const std::size_t n = co_await from.async_read_some(
          asio::buffer(bytes), asio::redirect_error(asio::use_awaitable, ec));
      if (relay->closed)
        co_return;
      const auto now = Clock::now();
      bytes.resize(n);
      d.sendFree =
          std::max(now, d.sendFree) + std::chrono::duration_cast<Clock::duration>(serialization(n));
      d.inFlight += n;
      counted += n;
      d.chunks.push_back({std::move(bytes), d.sendFree + oneWay, static_cast<bool>(ec)});
      d.wake.cancel();
      if (ec)
        co_return; // the end (or an error) travels behind the last bytes
      while (d.inFlight > inFlightLimit() && !relay->closed) {
        d.space.expires_at(Clock::time_point::max());
        co_await d.space.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      }
    }
  }

  asio::awaitable<void> write(std::shared_ptr<Relay> relay, tcp::socket &to, Direction &d) {
    error_code ec;
    for (;;) {
      while (d.chunks.empty() && !relay->closed) {
        d.wake.expires_at(Clock::time_point::max());
        co_await d.wake.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      }
      if (relay->closed)
        co_return;
      Direction::Chunk chunk = std::move(d.chunks.front());
      d.chunks.pop_front();
      d.deliver.expires_at(chunk.arrival);
      co_await d.deliver.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      if (relay->closed)
        co_return;
      if (!chunk.bytes.empty())
        co_await asio::async_write(to, asio::buffer(chunk.bytes),
                                   asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        relay->close();
        co_return;
      }
      d.inFlight -= chunk.bytes.size();
      d.space.cancel();
      if (chunk.end) {
        to.shutdown(tcp::socket::shutdown_send, ec);
        co_return;
      }
    }
  }

  asio::awaitable<void> accept() {
    for (;;) {
      error_code ec;
      tcp::socket socket =
          co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        if (ec == asio::error::operation_aborted || !acceptor.is_open())
          co_return;
        continue;
      }
      auto relay = std::make_shared<Relay>(ioc, std::move(socket));
      co_await relay->server.async_connect(target, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) { // the target is down: the client sees its connection closed
        relay->close();
        continue;
      }
      ++connections;
      relay->client.set_option(tcp::no_delay(true), ec);
      relay->server.set_option(tcp::no_delay(true), ec);
      asio::co_spawn(ioc, read(relay, relay->client, relay->up, bytesToTarget), asio::detached);
      asio::co_spawn(ioc, write(relay, relay->server, relay->up), asio::detached);
      asio::co_spawn(ioc, read(relay, relay->server, relay->down, bytesFromTarget), asio::detached);
      asio::co_spawn(ioc, write(relay, relay->client, relay->down), asio::detached);
    }
  }

  tcp::endpoint target;
  LinkProfile profile;
  asio::io_context ioc;
  tcp::acceptor acceptor;
  std::thread thread;
  std::atomic<std::uint64_t> connections{0}, bytesToTarget{0}, bytesFromTarget{0};
};

LinkProfile LinkProfile::lan() { return {"lan", std::chrono::milliseconds(1), 1e9}; }
LinkProfile LinkProfile::wan() { return {"wan", std::chrono::milliseconds(30), 100e6}; }

Result<LinkProfile> LinkProfile::named(const std::string &name) {
  if (name == "lan")
    return lan();
  if (name == "wan")
    return wan();
  return fail(ErrorCode::InvalidInput,
              "'" + name +
                  "' is not a link: lan (1 ms RTT, 1 Gbit/s) or wan (30 ms RTT, 100 Mbit/s)");
}

std::string LinkProfile::describe() const {
  std::ostringstream text;
  text << std::chrono::duration<double, std::milli>(rtt).count() << " ms RTT, ";
  if (bitsPerSecond <= 0)
    text << "unlimited rate";
  else if (bitsPerSecond >= 1e9)
    text << bitsPerSecond / 1e9 << " Gbit/s";
  else
    text << bitsPerSecond / 1e6 << " Mbit/s";
  return text.str();
}

Result<std::unique_ptr<LinkEmulator>> LinkEmulator::start(const Endpoint &target,
                                                          const LinkProfile &profile) {
  if (profile.rtt.count() < 0 || profile.bitsPerSecond < 0)
    return fail(ErrorCode::InvalidInput, "a link's delay and rate cannot be negative");
  error_code bad;
  const auto address =
      asio::ip::make_address(target.host == "localhost" ? "127.0.0.1" : target.host, bad);
  if (bad)
    return fail(ErrorCode::InvalidInput,
                "the link emulator forwards to an IP address, not '" + target.host + "'");
  std::shared_ptr<State> state;
  try {
    state = std::make_shared<State>(tcp::endpoint(address, target.port), profile);
  } catch (const boost::system::system_error &e) {
    return fail(ErrorCode::Io, std::string("the link emulator cannot listen: ") + e.what());
  }
  asio::co_spawn(state->ioc, state->accept(), asio::detached);
  state->thread = std::thread([s = state.get()] { s->ioc.run(); });
  return std::unique_ptr<LinkEmulator>(new LinkEmulator(std::move(state)));
}

LinkEmulator::~LinkEmulator() {
  m->ioc.stop();
  if (m->thread.joinable())
    m->thread.join();
}

Endpoint LinkEmulator::endpoint() const {
  return {"127.0.0.1", m->acceptor.local_endpoint().port()};
}

const LinkProfile &LinkEmulator::profile() const { return m->profile; }

LinkEmulator::Counters LinkEmulator::counters() const {
  return {m->connections.load(), m->bytesToTarget.load(), m->bytesFromTarget.load()};
}

Result<LinkMeasurement> measureLink(const LinkProfile &profile) {
  // An echo server of its own, on its own thread.
  asio::io_context echoContext;
  tcp::acceptor echoAcceptor(echoContext, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  std::thread echo([&] {
    error_code ec;
    tcp::socket socket(echoContext);
    echoAcceptor.accept(socket, ec);
    socket.set_option(tcp::no_delay(true), ec);
    std::vector<std::uint8_t> buffer(kChunkBytes);
    while (!ec) {
      const std::size_t n = socket.read_some(asio::buffer(buffer), ec);
      if (!ec)
        asio::write(socket, asio::buffer(buffer.data(), n), ec);
    }
  });
  struct Joiner {
    std::thread &t;
    ~Joiner() { t.join(); }
  } joiner{echo};
  // When nothing came through the link, the echo thread still waits in accept(): a connection
  // of its own (closed at once) lets it finish.
  const auto releaseEcho = [&] {
    error_code ignored;
    tcp::socket poke(echoContext);
    poke.connect(echoAcceptor.local_endpoint(), ignored);
  };
  auto link = LinkEmulator::start({"127.0.0.1", echoAcceptor.local_endpoint().port()}, profile);
  if (!link) {
    releaseEcho();
    return link.error();
  }
  asio::io_context clientContext;
  tcp::socket client(clientContext);
  error_code ec;
  client.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), (*link)->endpoint().port), ec);
  if (ec) {
    releaseEcho();
    return fail(ErrorCode::Io, "cannot reach the link emulator: " + ec.message());
  }
  client.set_option(tcp::no_delay(true), ec);
  LinkMeasurement out;
  std::vector<double> rtts;
  std::uint8_t byte = 1;
  for (int i = 0; i < 20 && !ec; ++i) {
    const auto t0 = Clock::now();
    asio::write(client, asio::buffer(&byte, 1), ec);
    if (!ec)
      asio::read(client, asio::buffer(&byte, 1), ec);
    rtts.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
  }
  if (ec)
    return fail(ErrorCode::Io, "the link's round trips failed: " + ec.message());
  std::nth_element(rtts.begin(), rtts.begin() + rtts.size() / 2, rtts.end());
  out.rttMs = rtts[rtts.size() / 2];

  // A bulk transfer echoed back: each direction is paced on its own, so the last byte comes
  // back a round trip plus the transfer's time after the first left.
  const std::size_t bytes =
      profile.bitsPerSecond > 0
          ? std::max<std::size_t>(4u << 20, static_cast<std::size_t>(profile.bitsPerSecond / 32))
          : std::size_t{64} << 20;
  std::vector<std::uint8_t> payload(bytes, 0x5a), back(bytes);
  const auto t0 = Clock::now();
  error_code writeError;
  std::thread writer([&] { asio::write(client, asio::buffer(payload), writeError); });
  asio::read(client, asio::buffer(back), ec);
  writer.join();
  const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  client.close();
  echoAcceptor.close();
  if (ec || writeError)
    return fail(ErrorCode::Io, "the link's transfer failed: " + (ec ? ec : writeError).message());
  if (back != payload)
    return fail(ErrorCode::Corrupt, "the link changed the bytes it carried");
  out.megabitsPerSecond =
      static_cast<double>(bytes) * 8 / 1e6 / std::max(1e-6, seconds - out.rttMs / 1000);
  return out;
}

} // namespace nesa::net
