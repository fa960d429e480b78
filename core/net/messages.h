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
  RegisterMiner,
  Heartbeat,
  ListMiners,
  MinerList,
  PublishBundle,
  LedgerRequest,
  LedgerReply,
  PaymentReceipt,
  ReportEvidence,
  ReportMissing,
  JudgeJob,
};

/// Checks that `frame` is a well-formed message of this protocol version (bounds, offsets,
/// nesting, the version field) and says which one it is.
Result<MessageKind> verifyMessage(std::span<const std::uint8_t> frame);

/// A miner's announcement to its node.
struct MinerAnnouncement {
  std::string endpoint; ///< host:port of its share-job server
  std::string backend;
  std::uint64_t pricePerQuery = 0; ///< micro-NES per job
  std::uint64_t pricePerByte = 0;  ///< micro-NES per payload byte
  int maxJobs = 1;
};

/// A miner's sign of life.
struct MinerHeartbeat {
  std::uint64_t jobsServed = 0;
  std::uint64_t jobsFailed = 0;
  std::uint32_t queueLength = 0;
  bool paused = false;
};

/// One miner as the node's registry knows it.
struct MinerRecord {
  PublicKey identity{};
  MinerAnnouncement announcement;
  MinerHeartbeat heartbeat;
  double secondsSinceSeen = 0;
};

/// A bundle to store on a node.
struct BundleUpload {
  std::string bundleId;
  Bytes content;
};

Bytes encodeError(const Error &error);
Bytes encodeAck();
Bytes encodeInstallBundle(const std::string &bundleId);
Bytes encodeRegisterMiner(const MinerAnnouncement &announcement);
Bytes encodeHeartbeat(const MinerHeartbeat &heartbeat);
Bytes encodeListMiners();
Bytes encodeMinerList(const std::vector<MinerRecord> &miners);
Bytes encodePublishBundle(const std::string &bundleId, std::span<const std::uint8_t> content);
Bytes encodeLedgerRequest(std::span<const std::uint8_t> body);
Bytes encodeReportMissing(const PublicKey &miner);
/// The miner named by a verified ReportMissing frame (all zero when malformed).
PublicKey decodeReportMissing(std::span<const std::uint8_t> frame);
Bytes encodeLedgerReply(std::span<const std::uint8_t> body);

// Decoders take a frame that verifyMessage() accepted with the matching kind.
Error decodeError(std::span<const std::uint8_t> frame);
std::string decodeInstallBundle(std::span<const std::uint8_t> frame);
MinerAnnouncement decodeRegisterMiner(std::span<const std::uint8_t> frame);
MinerHeartbeat decodeHeartbeat(std::span<const std::uint8_t> frame);
Result<std::vector<MinerRecord>> decodeMinerList(std::span<const std::uint8_t> frame);
BundleUpload decodePublishBundle(std::span<const std::uint8_t> frame);
/// The body of a LedgerRequest or LedgerReply frame.
Bytes decodeLedgerBody(std::span<const std::uint8_t> frame);

/// Checks an answer: a well-formed `expected` message passes; an Error message becomes that
/// error; anything else is unexpected.
Result<void> expectMessage(std::span<const std::uint8_t> frame, MessageKind expected);
/// expectMessage(frame, MessageKind::Ack).
Result<void> expectAck(std::span<const std::uint8_t> frame);

} // namespace nesa::net
