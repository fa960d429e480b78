// The protocol's messages as plain structs, and their FlatBuffers encoding (messages.fbs).
// Share jobs, which carry tensors, have their own codec next to the engine (miner/share_codec.h).
#pragma once

#include "net/identity.h"
#include "net/secure_channel.h"
#include "util/result.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace nesa::net {

/// Which message a frame holds (the union members of messages.fbs, in order).
enum class MessageKind : std::uint8_t {
  Error = 1,
  Ack,
  ShareJob,
  ShareReply,
  InstallBundle,
  PublishBundle,
  PaymentReceipt,
  JudgeJob,
  AnswerDisputed,
};

/// Checks that `frame` is a well-formed message of this protocol version (bounds, offsets,
/// nesting, the version field) and says which one it is.
Result<MessageKind> verifyMessage(std::span<const std::uint8_t> frame);

/// A miner as its clients know it (on an EVM network, from the registry contract).
struct MinerRecord {
  PublicKey identity{};           ///< the wire key its handshake must prove
  std::string endpoint;           ///< host:port of its share-job server
  std::string backend;            ///< "cpu (2 threads)", "cuda (NVIDIA H100)"
  std::uint64_t pricePerJob = 0;  ///< micro-NES per job
  std::uint64_t pricePerByte = 0; ///< micro-NES per payload byte
};

/// Bundles up to this size are sent whole; only larger ones may arrive in pieces.
inline constexpr std::uint64_t kSmallestPiecedBundle = 1u << 20;

/// A bundle handed to a miner, whole or one piece of it.
struct BundleUpload {
  std::string bundleId;
  Bytes content;            ///< the bytes at `offset` of the bundle's binary form
  std::uint64_t offset = 0; ///< where `content` starts
  std::uint64_t total = 0;  ///< the whole bundle's size

  /// True when `content` is the whole bundle.
  bool whole() const { return offset == 0 && content.size() == total; }
};

Bytes encodeError(const Error &error);
Bytes encodeAck();
Bytes encodeInstallBundle(const std::string &bundleId);
/// The whole bundle in one message.
Bytes encodePublishBundle(const std::string &bundleId, std::span<const std::uint8_t> content);
/// The piece of a `total`-byte bundle that starts at `offset`.
Bytes encodePublishBundlePiece(const std::string &bundleId, std::uint64_t offset,
                               std::uint64_t total, std::span<const std::uint8_t> piece);

// Decoders take a frame that verifyMessage() accepted with the matching kind.
Error decodeError(std::span<const std::uint8_t> frame);
std::string decodeInstallBundle(std::span<const std::uint8_t> frame);
BundleUpload decodePublishBundle(std::span<const std::uint8_t> frame);

/// Checks an answer: a well-formed `expected` message passes; an Error message becomes that
/// error; anything else is unexpected.
Result<void> expectMessage(std::span<const std::uint8_t> frame, MessageKind expected);
/// expectMessage(frame, MessageKind::Ack).
Result<void> expectAck(std::span<const std::uint8_t> frame);

} // namespace nesa::net
