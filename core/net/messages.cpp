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
      kind > static_cast<std::uint8_t>(MessageKind::AnswerDisputed) || !message->body())
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

Bytes encodePublishBundle(const std::string &bundleId, std::span<const std::uint8_t> content) {
  return encodePublishBundlePiece(bundleId, 0, content.size(), content);
}

Bytes encodePublishBundlePiece(const std::string &bundleId, std::uint64_t offset,
                               std::uint64_t total, std::span<const std::uint8_t> piece) {
  flatbuffers::FlatBufferBuilder builder(piece.size() + 256);
  const auto bytes = builder.CreateVector(piece.data(), piece.size());
  const auto id = builder.CreateString(bundleId);
  return finishMessage(builder, wire::CreatePublishBundle(builder, id, bytes, offset, total));
}

Error decodeError(std::span<const std::uint8_t> frame) {
  const auto *body = messageOf(frame)->body_as_ErrorReply();
  const auto code = body->code();
  const bool known = code <= static_cast<std::uint8_t>(ErrorCode::Forbidden);
  return Error{known ? static_cast<ErrorCode>(code) : ErrorCode::Internal, text(body->message())};
}

std::string decodeInstallBundle(std::span<const std::uint8_t> frame) {
  return text(messageOf(frame)->body_as_InstallBundle()->bundle_id());
}

BundleUpload decodePublishBundle(std::span<const std::uint8_t> frame) {
  const auto *body = messageOf(frame)->body_as_PublishBundle();
  BundleUpload upload{text(body->bundle_id()), {}, body->offset(), body->total_bytes()};
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
