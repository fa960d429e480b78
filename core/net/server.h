// A node's or miner's listening socket: HTTP for status, metrics and bundles, and WebSocket
// connections that are authenticated and encrypted (secure_channel.h) for everything else.
#pragma once

#include "net/identity.h"
#include "net/secure_channel.h"
#include "util/result.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace nesa::net {

struct Peer;

/// What a peer may send in its next message. A server asks before reading each one, so a message
/// over the size is refused from its frame header, before anything is allocated for it.
struct MessageAllowance {
  std::size_t maxBytes = 0;
  /// While it is received, the message counts against ServerOptions::sharedReceiveBytes, the
  /// budget of peers nobody vouches for; false: against vouchedReceiveBytes (peers a handler
  /// vouches for, such as paying clients), which strangers cannot spend.
  bool shared = true;
};
/// The allowance of `peer` for its next message.
using FrameLimit = std::function<MessageAllowance(const Peer &peer)>;

/// How a server listens and what it tolerates.
struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0; ///< 0: the operating system picks a free port
  int ioThreads = 2;
  std::size_t maxMessageBytes = 256u << 20; ///< larger frames close the connection
  /// Each peer's own allowance, at most maxMessageBytes; empty: maxMessageBytes, shared.
  FrameLimit frameLimit;
  /// What messages of shared allowance may hold at once while they are received, all
  /// connections together; a message that would need more closes its connection.
  std::size_t sharedReceiveBytes = 1ull << 30;
  /// The same for messages of vouched peers.
  std::size_t vouchedReceiveBytes = 1ull << 30;
  /// Open at once in all (at most the file descriptors the process may open, less 128 for its
  /// other files); more are closed at once.
  std::size_t maxConnections = 1024;
  std::size_t maxConnectionsPerAddress = 256; ///< open at once from one IP address
  std::size_t maxConnectionsPerIdentity = 32; ///< open at once as one authenticated key
  std::chrono::milliseconds handshakeTimeout{10'000};
  std::chrono::milliseconds idleTimeout{300'000};
  std::string name = "server"; ///< in log lines
};

/// Who sent a message: the identity proven in the handshake, and the socket's address.
struct Peer {
  PublicKey identity{};
  std::string address;
};

/// Sends the answer to one message; call it exactly once, from any thread.
using Responder = std::function<void(Bytes reply)>;
/// Handles one decrypted message. Runs on a network thread: do quick work inline and hand
/// anything slow to another thread, answering through `respond` when done.
using MessageHandler = std::function<void(const Peer &peer, Bytes message, Responder respond)>;

/// An HTTP answer.
struct HttpResponse {
  int status = 200;
  std::string contentType = "text/plain; charset=utf-8";
  std::string body;
};
/// Answers a GET for `target` (path and query). Runs on a network thread; keep it quick.
using HttpHandler = std::function<HttpResponse(const std::string &target)>;

/// What the server has seen, for /metrics and tests.
struct ServerCounters {
  std::uint64_t connections = 0;   ///< WebSocket connections that completed the handshake
  std::uint64_t rejected = 0;      ///< connections closed for a bad handshake or frame
  std::uint64_t messages = 0;      ///< messages handled
  std::uint64_t bytesReceived = 0; ///< sealed bytes read
  std::uint64_t bytesSent = 0;     ///< sealed bytes written
  std::uint64_t httpRequests = 0;
  std::uint64_t overCapacity = 0; ///< connections closed for being over a connection cap
  std::uint64_t acceptErrors = 0; ///< failed accepts (out of file descriptors, …), backed off
  std::uint64_t open = 0;         ///< connections open now
};

/// A running server. Stops (closing every connection) when destroyed.
class Server {
public:
  /// Binds and starts serving. `identity` must outlive the server.
  static Result<std::unique_ptr<Server>> start(const Identity &identity, ServerOptions options,
                                               MessageHandler onMessage, HttpHandler onHttp);
  ~Server();
  Server(const Server &) = delete;
  Server &operator=(const Server &) = delete;

  /// The port it listens on (the chosen one when options.port was 0).
  std::uint16_t port() const;
  /// A snapshot of the counters.
  ServerCounters counters() const;
  /// Stops accepting and closes every connection; idempotent.
  void stop();

  struct State;

private:
  explicit Server(std::unique_ptr<State> state);
  std::unique_ptr<State> m_state;
};

} // namespace nesa::net
