// The generated FlatBuffers code for messages.fbs and helpers shared by the codecs.
#pragma once

#include "net/messages_generated.h"
#include "net/secure_channel.h"

#include <span>

namespace nesa::net {

/// The root message of a frame that verifyMessage() accepted.
inline const wire::Message *messageOf(std::span<const std::uint8_t> frame) {
  return wire::GetMessage(frame.data());
}

/// Finishes `builder` with a Message around `body` and copies out the bytes.
template <typename T>
Bytes finishMessage(flatbuffers::FlatBufferBuilder &builder, flatbuffers::Offset<T> body) {
  const auto message =
      wire::CreateMessage(builder, kProtocolVersion, wire::BodyTraits<T>::enum_value, body.Union());
  builder.Finish(message);
  return Bytes(builder.GetBufferPointer(), builder.GetBufferPointer() + builder.GetSize());
}

/// A string field, or "" when absent.
inline std::string text(const flatbuffers::String *value) {
  return value ? value->str() : std::string();
}

} // namespace nesa::net
