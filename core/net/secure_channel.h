// The handshake that mutually authenticates two nodes by their Ed25519 identities and agrees on
// fresh session keys (X25519, forward secret), and the channel that encrypts every frame after it.
#pragma once

#include "net/identity.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace nesa::net {

using Bytes = std::vector<std::uint8_t>;

/// The two directions' keys of one connection.
struct SessionKeys {
  std::array<std::uint8_t, 32> receive{};
  std::array<std::uint8_t, 32> send{};
};

/// Protocol version spoken in the handshake; a peer with another major version is refused.
inline constexpr std::uint16_t kProtocolVersion = 2;

/// The client's half. Messages: hello → (server's reply) → finish.
///  hello  = "NESA" version client-identity client-ephemeral random
///  reply  = server-identity server-ephemeral sign_server(H("server" hello server-id server-eph))
///  finish = sign_client(H("client" hello reply))
/// Each signature covers the other side's fresh ephemeral key, so a recorded handshake cannot be
/// replayed into a new connection.
class ClientHandshake {
public:
  /// `expectedServer`, when set, pins the server's identity (from the registry).
  ClientHandshake(const Identity &identity, std::optional<PublicKey> expectedServer);
  ~ClientHandshake();
  ClientHandshake(const ClientHandshake &) = delete;
  ClientHandshake &operator=(const ClientHandshake &) = delete;

  /// The first message.
  Bytes hello();
  /// Checks the server's reply; on success returns the finish message and the keys are ready.
  Result<Bytes> onReply(const Bytes &reply);
  const SessionKeys &keys() const { return m_keys; }
  const PublicKey &server() const { return m_server; }

private:
  const Identity &m_identity;
  std::optional<PublicKey> m_expected;
  std::array<std::uint8_t, 32> m_ephemeralPublic{};
  std::array<std::uint8_t, 32> m_ephemeralSecret{};
  Bytes m_hello;
  SessionKeys m_keys;
  PublicKey m_server{};
};

/// The server's half.
class ServerHandshake {
public:
  explicit ServerHandshake(const Identity &identity);
  ~ServerHandshake();
  ServerHandshake(const ServerHandshake &) = delete;
  ServerHandshake &operator=(const ServerHandshake &) = delete;

  /// Checks the client's hello and returns the reply.
  Result<Bytes> onHello(const Bytes &hello);
  /// Checks the client's finish; on success the client is authenticated and the keys are ready.
  Result<void> onFinish(const Bytes &finish);
  const SessionKeys &keys() const { return m_keys; }
  const PublicKey &client() const { return m_client; }

private:
  const Identity &m_identity;
  Bytes m_transcript; ///< hello followed by reply
  SessionKeys m_keys;
  PublicKey m_client{};
};

/// Authenticated encryption of the frames of one connection (ChaCha20-Poly1305, one key per
/// direction, the frame counter as nonce). A frame that was tampered with, replayed, reordered or
/// dropped fails to open; after a failure the channel refuses everything.
class SecureChannel {
public:
  explicit SecureChannel(const SessionKeys &keys);
  ~SecureChannel();

  /// Bytes a sealed frame adds to its plaintext.
  static constexpr std::size_t kOverhead = 16;
  /// The sealed form of `plaintext` (kOverhead bytes longer).
  Bytes seal(std::span<const std::uint8_t> plaintext);
  /// The plaintext of `frame`, or why it cannot be trusted.
  Result<Bytes> open(std::span<const std::uint8_t> frame);
  /// Opens a sealed frame where it lies: `frame` becomes its plaintext (no second copy of a
  /// large message). On failure `frame` is left as it was and the channel refuses everything.
  Result<void> openInPlace(Bytes &frame);

private:
  SessionKeys m_keys;
  std::uint64_t m_sent = 0;
  std::uint64_t m_received = 0;
  bool m_broken = false;
};

} // namespace nesa::net
