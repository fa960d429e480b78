#include "net/secure_channel.h"

#include <sodium.h>

#include <cstring>

namespace nesa::net {

namespace {

constexpr std::uint8_t kMagic[4] = {'N', 'E', 'S', 'A'};
constexpr std::size_t kKey = 32;
constexpr std::size_t kHelloSize = 4 + 2 + 1 + kKey + kKey + 32;
constexpr std::size_t kReplySize = kKey + kKey + 1 + 64;
constexpr std::uint8_t kChaCha = static_cast<std::uint8_t>(Cipher::ChaCha20Poly1305);
constexpr std::uint8_t kAes = static_cast<std::uint8_t>(Cipher::Aes256Gcm);
static_assert(crypto_aead_aes256gcm_NPUBBYTES == crypto_aead_chacha20poly1305_ietf_NPUBBYTES);
static_assert(crypto_aead_aes256gcm_ABYTES == crypto_aead_chacha20poly1305_ietf_ABYTES);
constexpr std::size_t kFinishSize = 64;

// BLAKE2b-256 of a domain label followed by the parts.
std::array<std::uint8_t, 32> transcriptHash(const char *label,
                                            std::initializer_list<const Bytes *> parts) {
  crypto_generichash_state state;
  crypto_generichash_init(&state, nullptr, 0, 32);
  crypto_generichash_update(&state, reinterpret_cast<const unsigned char *>(label),
                            std::strlen(label));
  for (const Bytes *part : parts)
    crypto_generichash_update(&state, part->data(), part->size());
  std::array<std::uint8_t, 32> out{};
  crypto_generichash_final(&state, out.data(), out.size());
  return out;
}

void nonceFor(std::uint64_t counter, unsigned char *nonce) {
  std::memset(nonce, 0, crypto_aead_chacha20poly1305_ietf_NPUBBYTES);
  for (int i = 0; i < 8; ++i)
    nonce[i] = static_cast<unsigned char>(counter >> (8 * i));
}

} // namespace

std::uint8_t localCiphers() {
  if (sodium_init() < 0) // idempotent; it also detects the CPU's features
    return kChaCha;
  return crypto_aead_aes256gcm_is_available() ? (kChaCha | kAes) : kChaCha;
}

namespace {

// The ciphers of `wanted` this computer runs, ChaCha20-Poly1305 always among them.
std::uint8_t usable(std::uint8_t wanted) {
  return static_cast<std::uint8_t>((wanted & localCiphers()) | kChaCha);
}

} // namespace

const char *cipherName(Cipher cipher) {
  return cipher == Cipher::Aes256Gcm ? "aes-256-gcm" : "chacha20-poly1305";
}

// ---- client ----

ClientHandshake::ClientHandshake(const Identity &identity, std::optional<PublicKey> expectedServer,
                                 std::uint8_t ciphers)
    : m_identity(identity), m_expected(expectedServer), m_ciphers(usable(ciphers)) {
  crypto_kx_keypair(m_ephemeralPublic.data(), m_ephemeralSecret.data());
}

ClientHandshake::~ClientHandshake() {
  sodium_memzero(m_ephemeralSecret.data(), m_ephemeralSecret.size());
  sodium_memzero(&m_keys, sizeof m_keys);
}

Bytes ClientHandshake::hello() {
  m_hello.assign(std::begin(kMagic), std::end(kMagic));
  m_hello.push_back(static_cast<std::uint8_t>(kProtocolVersion & 0xff));
  m_hello.push_back(static_cast<std::uint8_t>(kProtocolVersion >> 8));
  m_hello.push_back(m_ciphers);
  const auto &id = m_identity.publicKey();
  m_hello.insert(m_hello.end(), id.begin(), id.end());
  m_hello.insert(m_hello.end(), m_ephemeralPublic.begin(), m_ephemeralPublic.end());
  std::array<std::uint8_t, 32> random{};
  randombytes_buf(random.data(), random.size());
  m_hello.insert(m_hello.end(), random.begin(), random.end());
  return m_hello;
}

Result<Bytes> ClientHandshake::onReply(const Bytes &reply) {
  if (m_hello.empty())
    return fail(ErrorCode::Internal, "the handshake reply arrived before the hello was sent");
  if (reply.size() != kReplySize)
    return fail(ErrorCode::InvalidInput, "the server's handshake reply has the wrong size");
  std::memcpy(m_server.data(), reply.data(), kKey);
  if (m_expected && *m_expected != m_server)
    return fail(ErrorCode::InvalidInput, "the server is not the node we expected (identity " +
                                             toHex(m_server) + ", expected " + toHex(*m_expected) +
                                             ")");
  const Bytes signedPart(reply.begin(), reply.begin() + 2 * kKey + 1);
  const auto digest = transcriptHash("nesa-handshake-server", {&m_hello, &signedPart});
  Signature signature{};
  std::memcpy(signature.data(), reply.data() + 2 * kKey + 1, signature.size());
  if (!verifySignature(m_server, digest, signature))
    return fail(ErrorCode::InvalidInput, "the server's handshake signature is invalid");
  const std::uint8_t chosen = reply[2 * kKey];
  if ((chosen != kChaCha && chosen != kAes) || (chosen & m_ciphers) == 0)
    return fail(ErrorCode::InvalidInput, "the server chose a cipher this node did not offer");
  m_keys.cipher = static_cast<Cipher>(chosen);
  const unsigned char *serverEphemeral = reply.data() + kKey;
  if (crypto_kx_client_session_keys(m_keys.receive.data(), m_keys.send.data(),
                                    m_ephemeralPublic.data(), m_ephemeralSecret.data(),
                                    serverEphemeral) != 0)
    return fail(ErrorCode::InvalidInput, "the server's ephemeral key is unusable");
  sodium_memzero(m_ephemeralSecret.data(), m_ephemeralSecret.size());
  const auto finishDigest = transcriptHash("nesa-handshake-client", {&m_hello, &reply});
  const auto finish = m_identity.sign(finishDigest);
  return Bytes(finish.begin(), finish.end());
}

// ---- server ----

ServerHandshake::ServerHandshake(const Identity &identity, std::uint8_t ciphers)
    : m_identity(identity), m_ciphers(usable(ciphers)) {}

ServerHandshake::~ServerHandshake() { sodium_memzero(&m_keys, sizeof m_keys); }

Result<Bytes> ServerHandshake::onHello(const Bytes &hello) {
  // The version first: an older peer's hello has another size, and it should hear why.
  if (hello.size() < 6 || std::memcmp(hello.data(), kMagic, 4) != 0)
    return fail(ErrorCode::InvalidInput, "not a Nesa handshake");
  const std::uint16_t version = static_cast<std::uint16_t>(hello[4] | (hello[5] << 8));
  if (version != kProtocolVersion)
    return fail(ErrorCode::InvalidInput, "the peer speaks protocol version " +
                                             std::to_string(version) + ", this node " +
                                             std::to_string(kProtocolVersion));
  if (hello.size() != kHelloSize)
    return fail(ErrorCode::InvalidInput, "the client's handshake hello has the wrong size");
  const std::uint8_t offered = hello[6];
  if ((offered & kChaCha) == 0)
    return fail(ErrorCode::InvalidInput, "the peer offers no cipher this node runs");
  m_keys.cipher = (offered & m_ciphers & kAes) ? Cipher::Aes256Gcm : Cipher::ChaCha20Poly1305;
  std::memcpy(m_client.data(), hello.data() + 7, kKey);
  const unsigned char *clientEphemeral = hello.data() + 7 + kKey;

  std::array<std::uint8_t, 32> ephemeralPublic{}, ephemeralSecret{};
  crypto_kx_keypair(ephemeralPublic.data(), ephemeralSecret.data());
  const int kx = crypto_kx_server_session_keys(m_keys.receive.data(), m_keys.send.data(),
                                               ephemeralPublic.data(), ephemeralSecret.data(),
                                               clientEphemeral);
  sodium_memzero(ephemeralSecret.data(), ephemeralSecret.size());
  if (kx != 0)
    return fail(ErrorCode::InvalidInput, "the client's ephemeral key is unusable");

  Bytes signedPart(m_identity.publicKey().begin(), m_identity.publicKey().end());
  signedPart.insert(signedPart.end(), ephemeralPublic.begin(), ephemeralPublic.end());
  signedPart.push_back(static_cast<std::uint8_t>(m_keys.cipher));
  const auto digest = transcriptHash("nesa-handshake-server", {&hello, &signedPart});
  const auto signature = m_identity.sign(digest);
  Bytes reply = signedPart;
  reply.insert(reply.end(), signature.begin(), signature.end());
  m_transcript = hello;
  m_transcript.insert(m_transcript.end(), reply.begin(), reply.end());
  return reply;
}

Result<void> ServerHandshake::onFinish(const Bytes &finish) {
  if (m_transcript.empty())
    return fail(ErrorCode::InvalidInput, "the handshake finished before it started");
  if (finish.size() != kFinishSize)
    return fail(ErrorCode::InvalidInput, "the client's handshake finish has the wrong size");
  const auto digest = transcriptHash("nesa-handshake-client", {&m_transcript});
  Signature signature{};
  std::memcpy(signature.data(), finish.data(), signature.size());
  if (!verifySignature(m_client, digest, signature))
    return fail(ErrorCode::InvalidInput,
                "the client's handshake signature is invalid (a replayed or forged handshake)");
  return {};
}

// ---- channel ----

struct SecureChannel::AesState {
  crypto_aead_aes256gcm_state send;
  crypto_aead_aes256gcm_state receive;
};

SecureChannel::SecureChannel(const SessionKeys &keys) : m_keys(keys) {
  if (m_keys.cipher != Cipher::Aes256Gcm)
    return;
  if ((localCiphers() & kAes) == 0) {
    m_noCipher = m_broken = true; // never negotiated on such a CPU: refuse, never crash
    return;
  }
  m_aes = std::make_unique<AesState>(); // 16-byte aligned, as libsodium requires
  crypto_aead_aes256gcm_beforenm(&m_aes->send, m_keys.send.data());
  crypto_aead_aes256gcm_beforenm(&m_aes->receive, m_keys.receive.data());
  sodium_memzero(m_keys.send.data(), m_keys.send.size()); // only the expanded keys are needed
  sodium_memzero(m_keys.receive.data(), m_keys.receive.size());
}

SecureChannel::~SecureChannel() {
  sodium_memzero(&m_keys, sizeof m_keys);
  if (m_aes)
    sodium_memzero(m_aes.get(), sizeof *m_aes);
}

Bytes SecureChannel::seal(std::span<const std::uint8_t> plaintext) {
  unsigned char nonce[crypto_aead_chacha20poly1305_ietf_NPUBBYTES];
  nonceFor(m_sent++, nonce);
  Bytes frame(plaintext.size() + kOverhead);
  if (m_noCipher) { // a channel that cannot seal sends nothing a peer could open
    randombytes_buf(frame.data(), frame.size());
    return frame;
  }
  if (m_aes)
    crypto_aead_aes256gcm_encrypt_detached_afternm(frame.data(), frame.data() + plaintext.size(),
                                                   nullptr, plaintext.data(), plaintext.size(),
                                                   nullptr, 0, nullptr, nonce, &m_aes->send);
  else
    crypto_aead_chacha20poly1305_ietf_encrypt_detached(
        frame.data(), frame.data() + plaintext.size(), nullptr, plaintext.data(), plaintext.size(),
        nullptr, 0, nullptr, nonce, m_keys.send.data());
  return frame;
}

Result<Bytes> SecureChannel::open(std::span<const std::uint8_t> frame) {
  Bytes plaintext(frame.begin(), frame.end());
  if (auto opened = openInPlace(plaintext); !opened)
    return opened.error();
  return plaintext;
}

Result<void> SecureChannel::openInPlace(Bytes &frame) {
  if (m_broken)
    return fail(ErrorCode::InvalidInput, "the channel was closed after a bad frame");
  if (frame.size() < kOverhead) {
    m_broken = true;
    return fail(ErrorCode::InvalidInput, "a frame shorter than its authentication tag");
  }
  unsigned char nonce[crypto_aead_chacha20poly1305_ietf_NPUBBYTES];
  nonceFor(m_received, nonce);
  const std::size_t length = frame.size() - kOverhead;
  // libsodium decrypts in place when the output is the input (both ciphers).
  const int opened = m_aes ? crypto_aead_aes256gcm_decrypt_detached_afternm(
                                 frame.data(), nullptr, frame.data(), length, frame.data() + length,
                                 nullptr, 0, nonce, &m_aes->receive)
                           : crypto_aead_chacha20poly1305_ietf_decrypt_detached(
                                 frame.data(), nullptr, frame.data(), length, frame.data() + length,
                                 nullptr, 0, nonce, m_keys.receive.data());
  if (opened != 0) {
    m_broken = true;
    return fail(ErrorCode::InvalidInput,
                "a frame failed authentication (tampered, replayed or out of order)");
  }
  ++m_received;
  frame.resize(length);
  return {};
}

} // namespace nesa::net
