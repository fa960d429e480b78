#include "net/messages.h"

#include "net/internal/wire.h"

namespace nesa::net {

namespace {

constexpr flatbuffers::uoffset_t kMaxDepth = 16;
constexpr flatbuffers::uoffset_t kMaxTables = 1'000'000;

} // namespace

Result<MessageKind> verifyMessage(std::span<const std::uint8_t> frame) {
  flatbuffers::Verifier verifier(frame.data(), frame.size(), kMaxDepth, kMaxTables,
                                 /*check_alignment=*/true);
  if (frame.size() < 8 || !wire::VerifyMessageBuffer(verifier))
    return fail(ErrorCode::InvalidInput, "a malformed message");
  const auto *message = messageOf(frame);
  if (message->version() != kProtocolVersion)
    return fail(ErrorCode::InvalidInput,
                "a message of protocol version " + std::to_string(message->version()));
  const auto kind = static_cast<std::uint8_t>(message->body_type());
  if (kind < static_cast<std::uint8_t>(MessageKind::Error) ||
      kind > static_cast<std::uint8_t>(MessageKind::JudgeJob) || !message->body())
    return fail(ErrorCode::InvalidInput, "a message of an unknown kind");
  return static_cast<MessageKind>(kind);
}

Bytes encodeError(const Error &error) {
  flatbuffers::FlatBufferBuilder builder;
  return finishMessage(builder,
                       wire::CreateErrorReplyDirect(builder, static_cast<std::uint8_t>(error.code),
                                                    error.message.c_str()));
}

Bytes encodeAck() {
  flatbuffers::FlatBufferBuilder builder;
  return finishMessage(builder, wire::CreateAck(builder));
}

Bytes encodeInstallBundle(const std::string &bundleId) {
  flatbuffers::FlatBufferBuilder builder;
  return finishMessage(builder, wire::CreateInstallBundleDirect(builder, bundleId.c_str()));
}

Bytes encodeRegisterMiner(const MinerAnnouncement &a) {
  flatbuffers::FlatBufferBuilder builder;
  return finishMessage(builder, wire::CreateRegisterMinerDirect(builder, a.endpoint.c_str(),
                                                                a.backend.c_str(), a.pricePerQuery,
                                                                a.pricePerByte, a.maxJobs));
}

Bytes encodeHeartbeat(const MinerHeartbeat &h) {
  flatbuffers::FlatBufferBuilder builder;
  return finishMessage(
      builder, wire::CreateHeartbeat(builder, h.jobsServed, h.jobsFailed, h.queueLength, h.paused));
}

Bytes encodeListMiners() {
  flatbuffers::FlatBufferBuilder builder;
  return finishMessage(builder, wire::CreateListMiners(builder));
}

Bytes encodeMinerList(const std::vector<MinerRecord> &miners) {
  flatbuffers::FlatBufferBuilder builder;
  std::vector<flatbuffers::Offset<wire::MinerEntry>> entries;
  for (const auto &m : miners) {
    const std::vector<std::uint8_t> identity(m.identity.begin(), m.identity.end());
    entries.push_back(wire::CreateMinerEntryDirect(
        builder, &identity, m.announcement.endpoint.c_str(), m.announcement.backend.c_str(),
        m.announcement.pricePerQuery, m.announcement.pricePerByte, m.heartbeat.jobsServed,
        m.secondsSinceSeen, m.heartbeat.paused));
  }
  return finishMessage(builder, wire::CreateMinerListDirect(builder, &entries));
}

Bytes encodePublishBundle(const std::string &bundleId, std::span<const std::uint8_t> content) {
  flatbuffers::FlatBufferBuilder builder(content.size() + 256);
  const auto bytes = builder.CreateVector(content.data(), content.size());
  const auto id = builder.CreateString(bundleId);
  return finishMessage(builder, wire::CreatePublishBundle(builder, id, bytes));
}

Bytes encodeLedgerRequest(std::span<const std::uint8_t> body) {
  flatbuffers::FlatBufferBuilder builder(body.size() + 64);
  const auto bytes = builder.CreateVector(body.data(), body.size());
  return finishMessage(builder, wire::CreateLedgerRequest(builder, bytes));
}

Bytes encodeLedgerReply(std::span<const std::uint8_t> body) {
  flatbuffers::FlatBufferBuilder builder(body.size() + 64);
  const auto bytes = builder.CreateVector(body.data(), body.size());
  return finishMessage(builder, wire::CreateLedgerReply(builder, bytes));
}

Bytes encodeReportMissing(const PublicKey &miner) {
  flatbuffers::FlatBufferBuilder builder;
  const auto key = builder.CreateVector(miner.data(), miner.size());
  return finishMessage(builder, wire::CreateReportMissing(builder, key));
}

PublicKey decodeReportMissing(std::span<const std::uint8_t> frame) {
  PublicKey key{};
  const auto *miner = messageOf(frame)->body_as_ReportMissing()->miner();
  if (miner && miner->size() == key.size())
    std::copy(miner->begin(), miner->end(), key.begin());
  return key;
}

Bytes decodeLedgerBody(std::span<const std::uint8_t> frame) {
  const auto *message = messageOf(frame);
  const flatbuffers::Vector<std::uint8_t> *body =
      message->body_type() == wire::Body::LedgerRequest ? message->body_as_LedgerRequest()->body()
      : message->body_as_LedgerReply()                  ? message->body_as_LedgerReply()->body()
                                                        : nullptr;
  return body ? Bytes(body->begin(), body->end()) : Bytes();
}

Error decodeError(std::span<const std::uint8_t> frame) {
  const auto *body = messageOf(frame)->body_as_ErrorReply();
  const auto code = body->code();
  const bool known = code <= static_cast<std::uint8_t>(ErrorCode::Internal);
  return Error{known ? static_cast<ErrorCode>(code) : ErrorCode::Internal, text(body->message())};
}

std::string decodeInstallBundle(std::span<const std::uint8_t> frame) {
  return text(messageOf(frame)->body_as_InstallBundle()->bundle_id());
}

MinerAnnouncement decodeRegisterMiner(std::span<const std::uint8_t> frame) {
  const auto *body = messageOf(frame)->body_as_RegisterMiner();
  return {text(body->endpoint()), text(body->backend()), body->price_per_query(),
          body->price_per_byte(), body->max_jobs()};
}

MinerHeartbeat decodeHeartbeat(std::span<const std::uint8_t> frame) {
  const auto *body = messageOf(frame)->body_as_Heartbeat();
  return {body->jobs_served(), body->jobs_failed(), body->queue_length(), body->paused()};
}

Result<std::vector<MinerRecord>> decodeMinerList(std::span<const std::uint8_t> frame) {
  std::vector<MinerRecord> miners;
  const auto *list = messageOf(frame)->body_as_MinerList()->miners();
  if (!list)
    return miners;
  for (const auto *entry : *list) {
    MinerRecord record;
    if (!entry->identity() || entry->identity()->size() != record.identity.size())
      return fail(ErrorCode::InvalidInput, "a miner entry without a valid identity");
    std::copy(entry->identity()->begin(), entry->identity()->end(), record.identity.begin());
    record.announcement = {text(entry->endpoint()), text(entry->backend()),
                           entry->price_per_query(), entry->price_per_byte(), 1};
    record.heartbeat.jobsServed = entry->jobs_served();
    record.heartbeat.paused = entry->paused();
    record.secondsSinceSeen = entry->seconds_since_seen();
    miners.push_back(std::move(record));
  }
  return miners;
}

BundleUpload decodePublishBundle(std::span<const std::uint8_t> frame) {
  const auto *body = messageOf(frame)->body_as_PublishBundle();
  BundleUpload upload{text(body->bundle_id()), {}};
  if (body->content())
    upload.content.assign(body->content()->begin(), body->content()->end());
  return upload;
}

Result<void> expectMessage(std::span<const std::uint8_t> frame, MessageKind expected) {
  auto kind = verifyMessage(frame);
  if (!kind)
    return kind.error();
  if (*kind == MessageKind::Error && expected != MessageKind::Error)
    return decodeError(frame);
  if (*kind != expected)
    return fail(ErrorCode::InvalidInput, "the peer answered with an unexpected message");
  return {};
}

Result<void> expectAck(std::span<const std::uint8_t> frame) {
  return expectMessage(frame, MessageKind::Ack);
}

} // namespace nesa::net
