#include "net/server.h"

#include "net/internal/asio.h"
#include "net/internal/message_buffer.h"
#include "net/messages.h"
#include "util/log.h"

#include <sys/resource.h>

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>

namespace nesa::net {

namespace {

// An answer the handler still owes: completes a suspended session when it arrives.
struct PendingAnswer {
  virtual ~PendingAnswer() = default;
  virtual void complete(Bytes reply) = 0;
};

// Every owed answer, so that stopping can drop them while the sessions' sockets still exist.
struct AnswerSlots {
  std::mutex mutex;
  bool closed = false;
  std::set<std::shared_ptr<PendingAnswer>> open;
};

} // namespace

// Owned by the Server alone: sessions hold a plain pointer, so destroying the io_context (which
// destroys every suspended session) is what ends them.
struct Server::State {
  State(const Identity &id, ServerOptions opts, MessageHandler message, HttpHandler http)
      : identity(id), options(std::move(opts)), onMessage(std::move(message)),
        onHttp(std::move(http)) {}

  const Identity &identity;
  ServerOptions options;
  MessageHandler onMessage;
  HttpHandler onHttp;
  // The connections open now, against the caps. Declared before the io_context: destroying it
  // ends the suspended sessions, which give their places back here.
  std::mutex countsMutex;
  std::size_t openConnections = 0;
  std::map<std::string, std::size_t> byAddress;
  std::map<PublicKey, std::size_t> byIdentity;
  std::atomic<std::int64_t> lastCapacityWarning{0};
  ReceiveBudget sharedBudget{options.sharedReceiveBytes};
  ReceiveBudget vouchedBudget{options.vouchedReceiveBytes};
  asio::io_context ioc;
  tcp::acceptor acceptor{ioc};
  std::vector<std::thread> threads;
  std::shared_ptr<AnswerSlots> answers = std::make_shared<AnswerSlots>();
  std::atomic<bool> stopped{false};
  std::atomic<std::uint64_t> connections{0}, rejected{0}, messages{0}, bytesReceived{0},
      bytesSent{0}, httpRequests{0}, overCapacity{0}, acceptErrors{0};

  void reject(const std::string &address, const std::string &reason) {
    ++rejected;
    log::warn(options.name + ": rejected " + address + ": " + reason);
  }

  /// A connection closed for a cap: counted, and logged at most every ten seconds (a flood of
  /// them must not become a flood of log lines).
  void refuseOverCapacity(const std::string &address, const std::string &reason) {
    ++overCapacity;
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::steady_clock::now().time_since_epoch())
                         .count();
    auto last = lastCapacityWarning.load();
    if (now - last >= 10 && lastCapacityWarning.compare_exchange_strong(last, now))
      log::warn(options.name + ": closed a connection from " + address + ": " + reason + " (" +
                std::to_string(overCapacity.load()) + " so far)");
  }
};

namespace {

using StatePtr = Server::State *;

// One connection's place under the server's caps, given back when the session ends.
class ConnectionSlot {
public:
  ConnectionSlot(StatePtr state, std::string address)
      : m_state(state), m_address(std::move(address)) {}
  ConnectionSlot(ConnectionSlot &&other) noexcept
      : m_state(std::exchange(other.m_state, nullptr)), m_address(std::move(other.m_address)),
        m_identity(std::move(other.m_identity)) {}
  ConnectionSlot(const ConnectionSlot &) = delete;
  ConnectionSlot &operator=(const ConnectionSlot &) = delete;
  ConnectionSlot &operator=(ConnectionSlot &&) = delete;
  ~ConnectionSlot() {
    if (!m_state)
      return;
    std::lock_guard lock(m_state->countsMutex);
    --m_state->openConnections;
    release(m_state->byAddress, m_address);
    if (m_identity)
      release(m_state->byIdentity, *m_identity);
  }

  /// Takes a place for a connection from this address; the error says which cap is reached
  /// (and no place is held).
  std::optional<std::string> admit() {
    std::lock_guard lock(m_state->countsMutex);
    const ServerOptions &o = m_state->options;
    if (m_state->openConnections >= o.maxConnections)
      return drop("the server has " + std::to_string(o.maxConnections) + " connections open");
    auto &fromHere = m_state->byAddress[m_address];
    if (fromHere >= o.maxConnectionsPerAddress) {
      if (fromHere == 0)
        m_state->byAddress.erase(m_address);
      return drop(std::to_string(o.maxConnectionsPerAddress) + " connections from this address");
    }
    ++fromHere;
    ++m_state->openConnections;
    return std::nullopt;
  }
  /// Counts this connection against `identity` once it is proven; the error says the cap is
  /// reached.
  std::optional<std::string> admitIdentity(const PublicKey &identity) {
    std::lock_guard lock(m_state->countsMutex);
    auto &asThis = m_state->byIdentity[identity];
    if (asThis >= m_state->options.maxConnectionsPerIdentity)
      return std::to_string(m_state->options.maxConnectionsPerIdentity) +
             " connections as this key";
    ++asThis;
    m_identity = identity;
    return std::nullopt;
  }

private:
  template <typename Key> static void release(std::map<Key, std::size_t> &counts, const Key &key) {
    const auto it = counts.find(key);
    if (it != counts.end() && --it->second == 0)
      counts.erase(it);
  }
  std::optional<std::string> drop(std::string why) {
    m_state = nullptr; // holds no place
    return why;
  }

  StatePtr m_state;
  std::string m_address;
  std::optional<PublicKey> m_identity;
};

std::span<const std::uint8_t> viewOf(const beast::flat_buffer &buffer) {
  return {static_cast<const std::uint8_t *>(buffer.data().data()), buffer.size()};
}

template <typename Handler, typename Executor> struct PendingHandler : PendingAnswer {
  PendingHandler(Handler h, Executor e) : handler(std::move(h)), executor(std::move(e)) {}
  void complete(Bytes reply) override {
    asio::post(executor, [h = std::move(handler), reply = std::move(reply)]() mutable {
      h(std::move(reply));
    });
  }
  Handler handler;
  Executor executor;
};

// Hands one message to the handler and resumes with its answer, whichever thread answers.
template <typename Token>
auto asyncHandle(StatePtr state, const Peer &peer, Bytes message, Token &&token) {
  return asio::async_initiate<Token, void(Bytes)>(
      [state, &peer](auto handler, Bytes payload) {
        auto executor = asio::get_associated_executor(handler, state->ioc.get_executor());
        std::shared_ptr<PendingAnswer> pending =
            std::make_shared<PendingHandler<decltype(handler), decltype(executor)>>(
                std::move(handler), executor);
        const auto slots = state->answers;
        {
          std::lock_guard lock(slots->mutex);
          slots->open.insert(pending);
        }
        Responder respond = [slots, pending](Bytes reply) {
          std::lock_guard lock(slots->mutex);
          if (slots->closed || slots->open.erase(pending) == 0)
            return; // answered already, or the server stopped
          pending->complete(std::move(reply));
        };
        try {
          state->onMessage(peer, std::move(payload), respond);
        } catch (const std::exception &e) {
          respond(encodeError(fail(ErrorCode::Internal, e.what())));
        }
      },
      token, std::move(message));
}

asio::awaitable<void> serveHttp(StatePtr state, beast::tcp_stream &stream,
                                const http::request<http::string_body> &request) {
  ++state->httpRequests;
  HttpResponse answer;
  if (request.method() != http::verb::get)
    answer = {405, "text/plain; charset=utf-8", "only GET is served here\n"};
  else
    answer = state->onHttp(std::string(request.target()));
  http::response<http::string_body> response{static_cast<http::status>(answer.status),
                                             request.version()};
  response.set(http::field::content_type, answer.contentType);
  response.set(http::field::server, "nesa");
  response.keep_alive(false);
  response.body() = std::move(answer.body);
  response.prepare_payload();
  co_await http::async_write(stream, response, asio::use_awaitable);
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

// The encrypted request/answer loop of one authenticated WebSocket connection.
// Each message is read into a vector of its own, in pieces of at most 64 KiB (so the receive
// budget is charged for what arrives, not for what a header announces), and opened where it
// lies: no second copy, and no buffer kept by an idle connection. Its size limit is the peer's
// own, asked before each message.
asio::awaitable<void> serveMessages(StatePtr state, websocket::stream<beast::tcp_stream> &ws,
                                    SecureChannel &channel, const Peer &peer) {
  const ServerOptions &options = state->options;
  while (!state->stopped) {
    MessageAllowance allowance{options.maxMessageBytes, true};
    if (options.frameLimit) {
      allowance = options.frameLimit(peer);
      allowance.maxBytes = std::min(allowance.maxBytes, options.maxMessageBytes);
    }
    const std::size_t limit = allowance.maxBytes + SecureChannel::kOverhead;
    ws.read_message_max(limit);
    Bytes message;
    {
      MessageBuffer buffer(message, limit,
                           allowance.shared ? state->sharedBudget : state->vouchedBudget);
      do
        co_await ws.async_read_some(buffer, 64 * 1024, asio::use_awaitable);
      while (!ws.is_message_done());
      buffer.finish();
    }
    state->bytesReceived += message.size();
    if (auto opened = channel.openInPlace(message); !opened) {
      state->reject(peer.address, opened.error().message);
      co_await ws.async_close(websocket::close_code::policy_error, asio::use_awaitable);
      co_return;
    }
    Bytes answer;
    if (auto kind = verifyMessage(message); !kind) {
      state->reject(peer.address, "(connection kept) " + kind.error().message);
      answer = encodeError(kind.error());
    } else {
      ++state->messages;
      answer = co_await asyncHandle(state, peer, std::move(message), asio::use_awaitable);
    }
    const Bytes sealed = channel.seal(answer);
    state->bytesSent += sealed.size();
    co_await ws.async_write(asio::buffer(sealed), asio::use_awaitable);
  }
}

// Reads one handshake message (at most the 4 KiB the stream allows during the handshake).
asio::awaitable<Bytes> readHandshake(websocket::stream<beast::tcp_stream> &ws) {
  beast::flat_buffer buffer;
  co_await ws.async_read(buffer, asio::use_awaitable);
  const auto view = viewOf(buffer);
  co_return Bytes(view.begin(), view.end());
}

asio::awaitable<void> session(StatePtr state, tcp::socket socket, ConnectionSlot slot,
                              std::string address) {
  beast::error_code ec;
  beast::tcp_stream stream(std::move(socket));
  stream.expires_after(state->options.handshakeTimeout);
  beast::flat_buffer buffer;
  http::request_parser<http::string_body> parser;
  parser.header_limit(16 * 1024);
  parser.body_limit(64 * 1024);
  try {
    co_await http::async_read(stream, buffer, parser, asio::use_awaitable);
  } catch (const boost::system::system_error &e) {
    if (e.code() != http::error::end_of_stream)
      state->reject(address, "unreadable HTTP request: " + e.code().message());
    co_return;
  }
  auto request = parser.release();
  if (!websocket::is_upgrade(request)) {
    try {
      co_await serveHttp(state, stream, request);
    } catch (const boost::system::system_error &e) {
      log::debug(state->options.name + ": HTTP answer to " + address +
                 " failed: " + e.code().message());
    }
    co_return;
  }

  websocket::stream<beast::tcp_stream> ws(std::move(stream));
  beast::get_lowest_layer(ws).socket().set_option(tcp::no_delay(true), ec);
  ws.binary(true);
  ws.auto_fragment(false); // one frame per message: no per-4-KiB framing of multi-MiB shares
  ws.write_buffer_bytes(1u << 20);
  ws.read_message_max(4096);
  std::string stage = "WebSocket upgrade";
  try {
    co_await ws.async_accept(request, asio::use_awaitable);
    ServerHandshake handshake(state->identity);
    stage = "handshake";
    const auto hello = co_await readHandshake(ws);
    auto reply = handshake.onHello(hello);
    if (!reply) {
      state->reject(address, reply.error().message);
      co_await ws.async_close(websocket::close_code::policy_error, asio::use_awaitable);
      co_return;
    }
    co_await ws.async_write(asio::buffer(*reply), asio::use_awaitable);
    const auto finish = co_await readHandshake(ws);
    if (auto done = handshake.onFinish(finish); !done) {
      state->reject(address, done.error().message);
      co_await ws.async_close(websocket::close_code::policy_error, asio::use_awaitable);
      co_return;
    }
    if (auto over = slot.admitIdentity(handshake.client())) {
      state->refuseOverCapacity(address, *over);
      co_await ws.async_close({websocket::close_code::try_again_later, *over}, asio::use_awaitable);
      co_return;
    }
    beast::get_lowest_layer(ws).expires_never();
    websocket::stream_base::timeout timeouts{};
    timeouts.handshake_timeout = state->options.handshakeTimeout;
    timeouts.idle_timeout = state->options.idleTimeout;
    timeouts.keep_alive_pings = true;
    ws.set_option(timeouts);
    ++state->connections;
    SecureChannel channel(handshake.keys());
    const Peer peer{handshake.client(), address};
    log::debug(state->options.name + ": " + address + " authenticated as " + toHex(peer.identity));
    stage = "session";
    co_await serveMessages(state, ws, channel, peer);
  } catch (const boost::system::system_error &e) {
    const auto code = e.code();
    if (code == websocket::error::message_too_big)
      state->reject(address, "a frame over the size limit");
    else if (code == websocket::error::buffer_overflow)
      state->reject(address, "a message while the receive budget is spent");
    else if (code == beast::error::timeout && stage != "session")
      state->reject(address, "the " + stage + " timed out");
    else if (code != websocket::error::closed && code != asio::error::eof &&
             code != asio::error::operation_aborted && code != asio::error::connection_reset)
      state->reject(address, "during the " + stage + ": " + code.message());
  }
}

// Accepts connections within the caps. A failing accept (out of file descriptors: the waiting
// connection stays queued and would fail again at once) is retried after a growing pause rather
// than in a busy loop.
asio::awaitable<void> acceptLoop(StatePtr state) {
  constexpr std::chrono::milliseconds kFirstPause{10}, kLongestPause{1'000};
  std::chrono::milliseconds pause = kFirstPause;
  while (!state->stopped) {
    boost::system::error_code ec;
    tcp::socket socket = co_await state->acceptor.async_accept(
        asio::make_strand(state->ioc), asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      if (ec == asio::error::operation_aborted || state->stopped)
        co_return;
      ++state->acceptErrors;
      if (pause == kFirstPause) // once for each run of failures
        log::warn(state->options.name + ": accept failed: " + ec.message() +
                  " (retrying, at most once a second)");
      asio::steady_timer timer(state->ioc, pause);
      co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      pause = std::min(pause * 2, kLongestPause);
      continue;
    }
    pause = kFirstPause;
    beast::error_code ignored;
    const auto remote = socket.remote_endpoint(ignored);
    const std::string ip = ignored ? std::string("unknown") : remote.address().to_string();
    const std::string address =
        ignored ? std::string("unknown peer") : ip + ":" + std::to_string(remote.port());
    ConnectionSlot slot(state, ip);
    if (auto over = slot.admit()) {
      state->refuseOverCapacity(address, *over);
      socket.close(ignored);
      continue;
    }
    const auto executor = socket.get_executor();
    asio::co_spawn(executor, session(state, std::move(socket), std::move(slot), address),
                   asio::detached);
  }
}

} // namespace

Result<std::unique_ptr<Server>> Server::start(const Identity &identity, ServerOptions options,
                                              MessageHandler onMessage, HttpHandler onHttp) {
  // Connections must leave the process file descriptors for everything else it opens.
  if (rlimit files{}; getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur != RLIM_INFINITY)
    options.maxConnections = std::min<std::size_t>(
        options.maxConnections, files.rlim_cur > 256 ? files.rlim_cur - 128 : files.rlim_cur / 2);
  auto state = std::make_unique<State>(identity, std::move(options), std::move(onMessage),
                                       std::move(onHttp));
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(state->options.host, ec);
  if (ec)
    return fail(ErrorCode::InvalidInput, "'" + state->options.host + "' is not an IP address");
  const tcp::endpoint endpoint(address, state->options.port);
  state->acceptor.open(endpoint.protocol(), ec);
  if (!ec)
    state->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec)
    state->acceptor.bind(endpoint, ec);
  if (!ec)
    state->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    return fail(ErrorCode::Io, "cannot listen on " + state->options.host + ":" +
                                   std::to_string(state->options.port) + ": " + ec.message());
  asio::co_spawn(state->ioc, acceptLoop(state.get()), asio::detached);
  for (int i = 0; i < std::max(1, state->options.ioThreads); ++i)
    state->threads.emplace_back([raw = state.get()] { raw->ioc.run(); });
  log::info(state->options.name + ": listening on " + state->options.host + ":" +
            std::to_string(state->acceptor.local_endpoint().port()));
  return std::unique_ptr<Server>(new Server(std::move(state)));
}

Server::Server(std::unique_ptr<State> state) : m_state(std::move(state)) {}

Server::~Server() {
  stop();
  // Sessions waiting for an answer are destroyed with their handlers, then the io_context
  // destroys the rest; both while every socket's service still exists.
  std::set<std::shared_ptr<PendingAnswer>> dropped;
  {
    std::lock_guard lock(m_state->answers->mutex);
    m_state->answers->closed = true;
    dropped.swap(m_state->answers->open);
  }
  dropped.clear();
  m_state.reset();
}

std::uint16_t Server::port() const {
  boost::system::error_code ec;
  const auto endpoint = m_state->acceptor.local_endpoint(ec);
  return ec ? 0 : endpoint.port();
}

ServerCounters Server::counters() const {
  const State &s = *m_state;
  ServerCounters counters{s.connections, s.rejected,     s.messages,     s.bytesReceived,
                          s.bytesSent,   s.httpRequests, s.overCapacity, s.acceptErrors};
  std::lock_guard lock(m_state->countsMutex);
  counters.open = s.openConnections;
  return counters;
}

void Server::stop() {
  if (m_state->stopped.exchange(true))
    return;
  m_state->ioc.stop();
  for (auto &thread : m_state->threads)
    if (thread.joinable())
      thread.join();
  boost::system::error_code ignored;
  m_state->acceptor.close(ignored);
}

} // namespace nesa::net
