#include "net/server.h"

#include "net/internal/asio.h"
#include "net/messages.h"
#include "util/log.h"

#include <atomic>
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
  asio::io_context ioc;
  tcp::acceptor acceptor{ioc};
  std::vector<std::thread> threads;
  std::shared_ptr<AnswerSlots> answers = std::make_shared<AnswerSlots>();
  std::atomic<bool> stopped{false};
  std::atomic<std::uint64_t> connections{0}, rejected{0}, messages{0}, bytesReceived{0},
      bytesSent{0}, httpRequests{0};

  void reject(const std::string &address, const std::string &reason) {
    ++rejected;
    log::warn(options.name + ": rejected " + address + ": " + reason);
  }
};

namespace {

using StatePtr = Server::State *;

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
asio::awaitable<void> serveMessages(StatePtr state, websocket::stream<beast::tcp_stream> &ws,
                                    SecureChannel &channel, const Peer &peer) {
  ws.read_message_max(state->options.maxMessageBytes + SecureChannel::kOverhead);
  beast::flat_buffer frame;
  while (!state->stopped) {
    frame.clear();
    co_await ws.async_read(frame, asio::use_awaitable);
    state->bytesReceived += frame.size();
    auto plain = channel.open(viewOf(frame));
    if (!plain) {
      state->reject(peer.address, plain.error().message);
      co_await ws.async_close(websocket::close_code::policy_error, asio::use_awaitable);
      co_return;
    }
    Bytes answer;
    if (auto kind = verifyMessage(*plain); !kind) {
      state->reject(peer.address, "(connection kept) " + kind.error().message);
      answer = encodeError(kind.error());
    } else {
      ++state->messages;
      answer = co_await asyncHandle(state, peer, std::move(*plain), asio::use_awaitable);
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

asio::awaitable<void> session(StatePtr state, tcp::socket socket) {
  beast::error_code ec;
  const auto remote = socket.remote_endpoint(ec);
  const std::string address =
      ec ? std::string("unknown peer")
         : remote.address().to_string() + ":" + std::to_string(remote.port());
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
    else if (code == beast::error::timeout && stage != "session")
      state->reject(address, "the " + stage + " timed out");
    else if (code != websocket::error::closed && code != asio::error::eof &&
             code != asio::error::operation_aborted && code != asio::error::connection_reset)
      state->reject(address, "during the " + stage + ": " + code.message());
  }
}

asio::awaitable<void> acceptLoop(StatePtr state) {
  while (!state->stopped) {
    boost::system::error_code ec;
    tcp::socket socket = co_await state->acceptor.async_accept(
        asio::make_strand(state->ioc), asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      if (ec == asio::error::operation_aborted || state->stopped)
        co_return;
      log::warn(state->options.name + ": accept failed: " + ec.message());
      continue;
    }
    const auto executor = socket.get_executor();
    asio::co_spawn(executor, session(state, std::move(socket)), asio::detached);
  }
}

} // namespace

Result<std::unique_ptr<Server>> Server::start(const Identity &identity, ServerOptions options,
                                              MessageHandler onMessage, HttpHandler onHttp) {
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
  return {s.connections, s.rejected, s.messages, s.bytesReceived, s.bytesSent, s.httpRequests};
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
