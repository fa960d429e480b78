#include "net/connection.h"

#include "net/internal/asio.h"

#include <mutex>

namespace nesa::net {

namespace {

std::span<const std::uint8_t> viewOf(const beast::flat_buffer &buffer) {
  return {static_cast<const std::uint8_t *>(buffer.data().data()), buffer.size()};
}

const std::string kNoAnswerWithin = "no answer within ";

std::string millis(std::chrono::milliseconds ms) { return std::to_string(ms.count()) + " ms"; }

// Runs `operation` on `ioc` for at most `timeout`; on expiry `abort` is called and the
// operation drained. Returns false on expiry.
template <typename Operation, typename Abort>
bool runWithDeadline(asio::io_context &ioc, Operation operation, Abort abort,
                     std::chrono::milliseconds timeout) {
  bool finished = false;
  asio::co_spawn(
      ioc,
      [&]() -> asio::awaitable<void> {
        co_await operation();
        finished = true;
      },
      asio::detached);
  ioc.restart();
  ioc.run_for(timeout);
  if (finished)
    return true;
  abort();
  ioc.restart();
  ioc.run();
  return false;
}

} // namespace

struct Connection::State {
  explicit State(const Identity &id) : identity(id) {}
  const Identity &identity;
  asio::io_context ioc;
  websocket::stream<beast::tcp_stream> ws{ioc};
  std::unique_ptr<SecureChannel> channel;
  PublicKey server{};
  mutable std::mutex mutex;
  bool open = false;
  bool droppedByPeer = false; ///< the last request failed because the other side closed
  bool overLimit = false;     ///< the last request was refused as over the server's limit
  std::uint64_t sent = 0, received = 0;

  void close() {
    open = false;
    beast::error_code ignored;
    beast::get_lowest_layer(ws).socket().shutdown(tcp::socket::shutdown_both, ignored);
    beast::get_lowest_layer(ws).close();
  }
};

Connection::Connection(std::unique_ptr<State> state) : m_state(std::move(state)) {}

Connection::~Connection() {
  std::lock_guard lock(m_state->mutex);
  if (m_state->open)
    m_state->close();
}

Result<std::unique_ptr<Connection>> Connection::open(const Endpoint &endpoint,
                                                     const Identity &identity,
                                                     const ConnectOptions &options) {
  auto state = std::make_unique<State>(identity);
  std::optional<Error> error;
  const auto where = endpoint.text();
  auto connect = [&]() -> asio::awaitable<void> {
    try {
      tcp::resolver resolver(state->ioc);
      const auto addresses = co_await resolver.async_resolve(
          endpoint.host, std::to_string(endpoint.port), asio::use_awaitable);
      co_await beast::get_lowest_layer(state->ws).async_connect(addresses, asio::use_awaitable);
      beast::get_lowest_layer(state->ws).socket().set_option(tcp::no_delay(true));
      state->ws.binary(true);
      state->ws.auto_fragment(false);
      state->ws.write_buffer_bytes(1u << 20); // clients mask what they send, chunk by chunk
      state->ws.read_message_max(4096);
      co_await state->ws.async_handshake(endpoint.host, "/", asio::use_awaitable);
      ClientHandshake handshake(identity, options.expectedServer);
      const Bytes hello = handshake.hello();
      co_await state->ws.async_write(asio::buffer(hello), asio::use_awaitable);
      beast::flat_buffer buffer;
      co_await state->ws.async_read(buffer, asio::use_awaitable);
      const auto view = viewOf(buffer);
      auto finish = handshake.onReply(Bytes(view.begin(), view.end()));
      if (!finish) {
        error = finish.error().withContext("connecting to " + where);
        co_return;
      }
      co_await state->ws.async_write(asio::buffer(*finish), asio::use_awaitable);
      state->channel = std::make_unique<SecureChannel>(handshake.keys());
      state->server = handshake.server();
      state->ws.read_message_max(options.maxMessageBytes + SecureChannel::kOverhead);
      state->open = true;
    } catch (const boost::system::system_error &e) {
      error =
          fail(ErrorCode::Unavailable, "cannot connect to " + where + ": " + e.code().message());
    }
  };
  const bool inTime = runWithDeadline(
      state->ioc, connect, [&] { beast::get_lowest_layer(state->ws).close(); }, options.timeout);
  if (!inTime)
    return fail(ErrorCode::Unavailable,
                "no answer from " + where + " within " + millis(options.timeout));
  if (error)
    return *error;
  return std::unique_ptr<Connection>(new Connection(std::move(state)));
}

Result<Bytes> Connection::request(std::span<const std::uint8_t> message,
                                  std::chrono::milliseconds timeout) {
  std::lock_guard lock(m_state->mutex);
  State &s = *m_state;
  if (!s.open)
    return fail(ErrorCode::Unavailable, "the connection is closed");
  s.overLimit = false;
  const Bytes sealed = s.channel->seal(message);
  std::optional<Result<Bytes>> answer;
  auto exchange = [&]() -> asio::awaitable<void> {
    try {
      co_await s.ws.async_write(asio::buffer(sealed), asio::use_awaitable);
      s.sent += sealed.size();
      beast::flat_buffer buffer;
      co_await s.ws.async_read(buffer, asio::use_awaitable);
      s.received += buffer.size();
      answer = s.channel->open(viewOf(buffer));
    } catch (const boost::system::system_error &e) {
      const auto code = e.code();
      s.droppedByPeer =
          code != websocket::error::message_too_big && code != asio::error::operation_aborted;
      std::string why = code == websocket::error::message_too_big
                            ? std::string("the answer is over the size limit")
                            : "the connection was lost: " + code.message();
      // The server says why it closed: a message over its limit for us, or a connection cap.
      // (A close frame may have arrived even when answering it failed.) A server that refuses a
      // large message may also hang up before its reason can be read.
      const auto &reason = s.ws.reason();
      constexpr std::size_t kLarge = 1u << 16;
      s.overLimit = reason.code == websocket::close_code::too_big ||
                    (message.size() > kLarge &&
                     (code == asio::error::broken_pipe || code == asio::error::connection_reset));
      if (reason.code == websocket::close_code::too_big)
        why = "the server refused a message of " + std::to_string(message.size()) +
              " bytes: over its limit for this client";
      else if (code == websocket::error::closed && !reason.reason.empty())
        why = "the server closed the connection: " + std::string(reason.reason.c_str());
      else if (message.size() > kLarge &&
               (code == asio::error::broken_pipe || code == asio::error::connection_reset))
        why = "the connection was lost while sending a message of " +
              std::to_string(message.size()) + " bytes (" + code.message() +
              "): the server may have refused it as over its limit for this client";
      answer = fail(ErrorCode::Unavailable, why);
    }
  };
  if (!runWithDeadline(
          s.ioc, exchange, [&] { s.close(); }, timeout)) {
    s.close();
    s.droppedByPeer = false; // our deadline closed it, not the other side
    return fail(ErrorCode::Unavailable, kNoAnswerWithin + millis(timeout));
  }
  if (!*answer)
    s.close();
  return std::move(*answer);
}

bool isDeadlineMiss(const Error &error) {
  return error.code == ErrorCode::Unavailable && error.message.starts_with(kNoAnswerWithin);
}

bool Connection::isOpen() const {
  std::lock_guard lock(m_state->mutex);
  return m_state->open;
}

bool Connection::refusedAsOverLimit() const {
  std::lock_guard lock(m_state->mutex);
  return !m_state->open && m_state->overLimit;
}

bool Connection::droppedByPeer() const {
  std::lock_guard lock(m_state->mutex);
  return !m_state->open && m_state->droppedByPeer;
}

const PublicKey &Connection::server() const { return m_state->server; }

std::uint64_t Connection::bytesSent() const {
  std::lock_guard lock(m_state->mutex);
  return m_state->sent;
}

std::uint64_t Connection::bytesReceived() const {
  std::lock_guard lock(m_state->mutex);
  return m_state->received;
}

namespace {

/// One HTTP/1.1 exchange: a GET (no body) or a POST of `body` typed `contentType`.
Result<HttpResult> httpExchange(http::verb verb, const Endpoint &endpoint,
                                const std::string &target, const std::string &contentType,
                                const std::string &body, std::chrono::milliseconds timeout,
                                std::size_t maxBytes) {
  const std::string what =
      std::string(http::to_string(verb)) + " http://" + endpoint.text() + target;
  asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  std::optional<Result<HttpResult>> result;
  auto exchange = [&]() -> asio::awaitable<void> {
    try {
      tcp::resolver resolver(ioc);
      const auto addresses = co_await resolver.async_resolve(
          endpoint.host, std::to_string(endpoint.port), asio::use_awaitable);
      co_await stream.async_connect(addresses, asio::use_awaitable);
      http::request<http::string_body> request{verb, target, 11};
      request.set(http::field::host, endpoint.host);
      if (verb == http::verb::post) {
        request.set(http::field::content_type, contentType);
        request.body() = body;
        request.prepare_payload();
      }
      co_await http::async_write(stream, request, asio::use_awaitable);
      beast::flat_buffer buffer;
      http::response_parser<http::string_body> parser;
      parser.body_limit(maxBytes);
      co_await http::async_read(stream, buffer, parser, asio::use_awaitable);
      result =
          HttpResult{static_cast<int>(parser.get().result_int()), std::move(parser.get().body())};
    } catch (const boost::system::system_error &e) {
      result = fail(ErrorCode::Unavailable, what + " failed: " + e.code().message());
    }
  };
  if (!runWithDeadline(
          ioc, exchange, [&] { stream.close(); }, timeout))
    return fail(ErrorCode::Unavailable, what + ": no answer within " + millis(timeout));
  return std::move(*result);
}

} // namespace

Result<HttpResult> httpGet(const Endpoint &endpoint, const std::string &target,
                           std::chrono::milliseconds timeout, std::size_t maxBytes) {
  return httpExchange(http::verb::get, endpoint, target, {}, {}, timeout, maxBytes);
}

Result<HttpResult> httpPost(const Endpoint &endpoint, const std::string &target,
                            const std::string &contentType, const std::string &body,
                            std::chrono::milliseconds timeout, std::size_t maxBytes) {
  return httpExchange(http::verb::post, endpoint, target, contentType, body, timeout, maxBytes);
}

} // namespace nesa::net
