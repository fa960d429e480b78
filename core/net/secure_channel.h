// The handshake that mutually authenticates two nodes by their Ed25519 identities and agrees on
// fresh session keys (X25519, forward secret), and the channel that encrypts every frame after it.
#pragma once

#include "net/identity.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace nesa::net {

using Bytes = std::vector<std::uint8_t>;

/// The authenticated cipher that seals a connection's frames, agreed in the handshake.
enum class Cipher : std::uint8_t {
  ChaCha20Poly1305 = 1, ///< everywhere
  Aes256Gcm = 2,        ///< where both ends have AES-NI (about twice as fast there)
};

/// "chacha20-poly1305" or "aes-256-gcm".
const char *cipherName(Cipher cipher);

/// The ciphers this computer can run, as a set of Cipher bits: ChaCha20-Poly1305 always,
/// AES-256-GCM when the CPU has AES-NI and carry-less multiplication (libsodium's
/// implementation needs both).
std::uint8_t localCiphers();

/// The two directions' keys of one connection and the cipher they are used with.
struct SessionKeys {
  std::array<std::uint8_t, 32> receive{};
  std::array<std::uint8_t, 32> send{};
  Cipher cipher = Cipher::ChaCha20Poly1305;
};

/// Protocol version spoken in the handshake; a peer with another major version is refused.
/// Version 3 added the cipher choice; 4, bundles in pieces and compressed tensors.
inline constexpr std::uint16_t kProtocolVersion = 4;

/// The client's half. Messages: hello → (server's reply) → finish.
///  hello  = "NESA" version offered-ciphers client-identity client-ephemeral random
///  reply  = server-identity server-ephemeral chosen-cipher
///           sign_server(H("server" hello server-id server-eph chosen-cipher))
///  finish = sign_client(H("client" hello reply))
/// Each signature covers the other side's fresh ephemeral key, so a recorded handshake cannot be
/// replayed into a new connection; the server's covers the client's offer and its choice, so
/// nobody in between can push a connection to another cipher.
class ClientHandshake {
public:
  /// `expectedServer`, when set, pins the server's identity (from the registry). `ciphers`:
  /// the set to offer, less what this CPU cannot run (ChaCha20-Poly1305 is always offered).
  ClientHandshake(const Identity &identity, std::optional<PublicKey> expectedServer,
                  std::uint8_t ciphers = localCiphers());
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
  std::uint8_t m_ciphers;
  std::array<std::uint8_t, 32> m_ephemeralPublic{};
  std::array<std::uint8_t, 32> m_ephemeralSecret{};
  Bytes m_hello;
  SessionKeys m_keys;
  PublicKey m_server{};
};

/// The server's half: it picks AES-256-GCM when both ends run it, else ChaCha20-Poly1305.
class ServerHandshake {
public:
  /// `ciphers`: the set this server accepts, less what this CPU cannot run
  /// (ChaCha20-Poly1305 is always accepted).
  explicit ServerHandshake(const Identity &identity, std::uint8_t ciphers = localCiphers());
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
  std::uint8_t m_ciphers;
  Bytes m_transcript; ///< hello followed by reply
  SessionKeys m_keys;
  PublicKey m_client{};
};

/// Authenticated encryption of the frames of one connection (the keys' cipher, one key per
/// direction, the frame counter as nonce). A frame that was tampered with, replayed, reordered or
/// dropped fails to open; after a failure the channel refuses everything.
class SecureChannel {
public:
  /// AES-256-GCM keys on a CPU that cannot run it make a channel that refuses everything.
  explicit SecureChannel(const SessionKeys &keys);
  ~SecureChannel();
  SecureChannel(const SecureChannel &) = delete;
  SecureChannel &operator=(const SecureChannel &) = delete;

  /// Bytes a sealed frame adds to its plaintext.
  static constexpr std::size_t kOverhead = 16;
  /// The sealed form of `plaintext` (kOverhead bytes longer).
  Bytes seal(std::span<const std::uint8_t> plaintext);
  /// The plaintext of `frame`, or why it cannot be trusted.
  Result<Bytes> open(std::span<const std::uint8_t> frame);
  /// Opens a sealed frame where it lies: `frame` becomes its plaintext (no second copy of a
  /// large message). On failure the channel refuses everything and `frame` holds nothing
  /// usable (libsodium may have overwritten it).
  Result<void> openInPlace(Bytes &frame);

private:
  struct AesState; ///< the expanded AES keys (libsodium's aligned state), per direction
  SessionKeys m_keys;
  std::unique_ptr<AesState> m_aes;
  std::uint64_t m_sent = 0;
  std::uint64_t m_received = 0;
  bool m_broken = false;
  bool m_noCipher = false; ///< AES-256-GCM keys on a CPU without AES-NI
};

} // namespace nesa::net
