// The client end of an authenticated, encrypted WebSocket connection to a node or a miner.
#pragma once

#include "net/endpoint.h"
#include "net/identity.h"
#include "net/secure_channel.h"
#include "util/result.h"

#include <chrono>
#include <memory>
#include <optional>
#include <span>

namespace nesa::net {

/// How to connect.
struct ConnectOptions {
  std::optional<PublicKey> expectedServer;  ///< refuse any other server identity
  std::chrono::milliseconds timeout{5'000}; ///< for connecting and the handshake together
  std::size_t maxMessageBytes = 256u << 20; ///< larger answers close the connection
};

/// True when `error` is Connection::request's "no answer within …": the peer took the request
/// and let the deadline pass (not a refused connection or a broken answer).
bool isDeadlineMiss(const Error &error);

/// One connection; requests go one at a time (callers from several threads take turns).
/// After any failure (timeout, broken frame, closed socket) the connection stays closed.
class Connection {
public:
  /// Connects to `endpoint` and runs the handshake as `identity` (which must outlive this).
  static Result<std::unique_ptr<Connection>>
  open(const Endpoint &endpoint, const Identity &identity, const ConnectOptions &options);
  ~Connection();
  Connection(const Connection &) = delete;
  Connection &operator=(const Connection &) = delete;

  /// Sends `message` and waits up to `timeout` for the answer (an Error message is an answer).
  Result<Bytes> request(std::span<const std::uint8_t> message, std::chrono::milliseconds timeout);
  /// False once the connection failed or was closed.
  bool isOpen() const;
  /// True when the last request failed because the other side had closed the connection (a
  /// server drops idle ones), not because of our timeout or an oversized or broken answer.
  bool droppedByPeer() const;
  /// True when the last request failed because the server refused the message as over its
  /// limit for this client (its close reason said so, or it hung up while a large one was sent).
  bool refusedAsOverLimit() const;
  /// The server's proven identity.
  const PublicKey &server() const;
  /// Sealed bytes sent and received so far.
  std::uint64_t bytesSent() const;
  std::uint64_t bytesReceived() const;

  struct State;

private:
  explicit Connection(std::unique_ptr<State> state);
  std::unique_ptr<State> m_state;
};

/// An HTTP answer as a client sees it.
struct HttpResult {
  int status = 0;
  std::string body;
};

/// GETs `target` from `endpoint` (plain HTTP: status, metrics and content-addressed bundles,
/// whose hash the caller checks). Bodies over `maxBytes` are refused.
Result<HttpResult> httpGet(const Endpoint &endpoint, const std::string &target,
                           std::chrono::milliseconds timeout, std::size_t maxBytes = 512u << 20);

/// POSTs `body` (of type `contentType`) to `target` on `endpoint` (plain HTTP: JSON-RPC to a
/// local chain node). Bodies over `maxBytes` are refused.
Result<HttpResult> httpPost(const Endpoint &endpoint, const std::string &target,
                            const std::string &contentType, const std::string &body,
                            std::chrono::milliseconds timeout, std::size_t maxBytes = 64u << 20);

} // namespace nesa::net
