#include "chain/rlp.h"

namespace nesa::chain {

namespace {

void appendLength(Bytes &out, std::size_t length, std::uint8_t shortBase, std::uint8_t longBase) {
  if (length <= 55) {
    out.push_back(static_cast<std::uint8_t>(shortBase + length));
    return;
  }
  const Bytes lengthBytes = U256(length).toMinimalBytes();
  out.push_back(static_cast<std::uint8_t>(longBase + lengthBytes.size()));
  out.insert(out.end(), lengthBytes.begin(), lengthBytes.end());
}

void encodeInto(const RlpItem &item, Bytes &out) {
  if (!item.isList) {
    if (item.bytes.size() == 1 && item.bytes[0] < 0x80) {
      out.push_back(item.bytes[0]);
      return;
    }
    appendLength(out, item.bytes.size(), 0x80, 0xb7);
    out.insert(out.end(), item.bytes.begin(), item.bytes.end());
    return;
  }
  Bytes payload;
  for (const RlpItem &child : item.items)
    encodeInto(child, payload);
  appendLength(out, payload.size(), 0xc0, 0xf7);
  out.insert(out.end(), payload.begin(), payload.end());
}

Error malformed(std::size_t offset, const std::string &what) {
  return fail(ErrorCode::InvalidInput,
              "malformed RLP at byte " + std::to_string(offset) + ": " + what);
}

/// Decodes the item starting at data[pos] (which must end at or before data.size()); advances pos.
Result<RlpItem> decodeAt(std::span<const std::uint8_t> data, std::size_t &pos, int depth) {
  if (depth > 64)
    return malformed(pos, "lists nested more than 64 deep");
  if (pos >= data.size())
    return malformed(pos, "the input ends where an item should start");
  const std::size_t start = pos;
  const std::uint8_t prefix = data[pos++];
  if (prefix < 0x80)
    return RlpItem::string({prefix});

  const bool isList = prefix >= 0xc0;
  const std::uint8_t base = isList ? 0xc0 : 0x80;
  std::size_t length = 0;
  if (prefix - base <= 55) {
    length = prefix - base;
  } else {
    const std::size_t lengthOfLength = prefix - base - 55;
    if (data.size() - pos < lengthOfLength)
      return malformed(start, "the length runs past the end of the input");
    if (data[pos] == 0)
      return malformed(start, "a length with a leading zero byte");
    if (lengthOfLength > 8)
      return malformed(start, "a length of more than 8 bytes");
    for (std::size_t i = 0; i < lengthOfLength; ++i)
      length = length << 8 | data[pos++];
    if (length <= 55)
      return malformed(start, "a long form for a length under 56");
  }
  if (length > data.size() - pos)
    return malformed(start, "an item of " + std::to_string(length) + " bytes where only " +
                                std::to_string(data.size() - pos) + " remain");
  const std::size_t end = pos + length;

  if (!isList) {
    if (length == 1 && data[pos] < 0x80)
      return malformed(start, "a single byte below 0x80 written as a string");
    RlpItem item = RlpItem::string(Bytes(data.begin() + pos, data.begin() + end));
    pos = end;
    return item;
  }
  RlpItem list = RlpItem::list({});
  const auto body = data.first(end);
  while (pos < end) {
    auto child = decodeAt(body, pos, depth + 1);
    if (!child)
      return child.error();
    list.items.push_back(std::move(*child));
  }
  return list;
}

} // namespace

Bytes rlpEncode(const RlpItem &item) {
  Bytes out;
  encodeInto(item, out);
  return out;
}

Result<RlpItem> rlpDecode(std::span<const std::uint8_t> data) {
  std::size_t pos = 0;
  auto item = decodeAt(data, pos, 0);
  if (!item)
    return item;
  if (pos != data.size())
    return malformed(pos, std::to_string(data.size() - pos) + " bytes after the item");
  return item;
}

Result<U256> rlpInteger(const RlpItem &item, const char *what, std::size_t maxBytes) {
  if (item.isList)
    return fail(ErrorCode::InvalidInput, std::string(what) + " is a list, not an integer");
  if (!item.bytes.empty() && item.bytes[0] == 0)
    return fail(ErrorCode::InvalidInput, std::string(what) + " has a leading zero byte");
  if (item.bytes.size() > maxBytes)
    return fail(ErrorCode::InvalidInput,
                std::string(what) + " is over " + std::to_string(8 * maxBytes) + " bits");
  return U256::fromBigEndian(item.bytes);
}

} // namespace nesa::chain
