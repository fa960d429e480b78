#include "chain/typed_data.h"
#include "chain/internal/json_guard.h"

#include "chain/abi.h"
#include "chain/account_key.h"
#include "chain/keccak.h"

#include <nlohmann/json.hpp>

#include <set>

namespace nesa::chain {

namespace {

using json = nlohmann::json;

Error bad(const std::string &what) { return fail(ErrorCode::InvalidInput, "EIP-712: " + what); }

std::string baseType(const std::string &type) {
  const auto bracket = type.find('[');
  return bracket == std::string::npos ? type : type.substr(0, bracket);
}

Result<void> collectDependencies(const json &types, const std::string &type,
                                 std::set<std::string> &found) {
  if (found.count(type) != 0)
    return {};
  if (!types.contains(type) || !types[type].is_array())
    return bad("unknown struct type '" + type + "'");
  found.insert(type);
  for (const json &field : types[type]) {
    if (!field.contains("type") || !field["type"].is_string() || !field.contains("name"))
      return bad("a field of '" + type + "' has no name or type");
    const std::string member = baseType(field["type"].get<std::string>());
    if (types.contains(member))
      if (auto r = collectDependencies(types, member, found); !r)
        return r;
  }
  return {};
}

std::string encodeOneType(const json &types, const std::string &type) {
  std::string out = type + "(";
  bool first = true;
  for (const json &field : types[type]) {
    out += (first ? "" : ",") + field["type"].get<std::string>() + " " +
           field["name"].get<std::string>();
    first = false;
  }
  return out + ")";
}

Result<std::string> encodeType(const json &types, const std::string &type) {
  std::set<std::string> found;
  if (auto r = collectDependencies(types, type, found); !r)
    return r.error();
  found.erase(type);
  std::string out = encodeOneType(types, type);
  for (const std::string &dependency : found) // std::set iterates in sorted order
    out += encodeOneType(types, dependency);
  return out;
}

Result<Bytes> bytesFromJson(const json &value) {
  if (!value.is_string())
    return bad("bytes must be a 0x hex string");
  return fromHex(value.get<std::string>());
}

Result<U256> numberFromJson(const json &value) {
  if (value.is_number_unsigned())
    return U256(value.get<std::uint64_t>());
  if (value.is_string())
    return U256::parse(value.get<std::string>());
  return bad("an integer must be a non-negative number or a decimal/hex string");
}

Result<Hash32> encodeField(const json &types, const std::string &type, const json &value);

Result<Hash32> encodeAtomic(const std::string &type, const json &value) {
  auto abiType = abi::parseType(type);
  if (!abiType)
    return abiType.error();
  abi::Value v;
  switch (abiType->kind) {
  case abi::Type::Kind::Address: {
    if (!value.is_string())
      return bad("an address must be a string");
    auto address = parseAddress(value.get<std::string>());
    if (!address)
      return address.error();
    v = abi::Value::address(*address);
    break;
  }
  case abi::Type::Kind::Bool:
    if (!value.is_boolean())
      return bad("a bool must be true or false");
    v = abi::Value::boolean(value.get<bool>());
    break;
  case abi::Type::Kind::FixedBytes: {
    auto bytes = bytesFromJson(value);
    if (!bytes)
      return bytes.error();
    v = abi::Value::bytes(std::move(*bytes));
    break;
  }
  case abi::Type::Kind::Uint: {
    auto n = numberFromJson(value);
    if (!n)
      return n.error();
    v = abi::Value::uint(*n);
    break;
  }
  default: return bad("type '" + type + "' is not supported in typed data");
  }
  auto encoded = abi::encode({*abiType}, {v});
  if (!encoded)
    return encoded.error();
  Hash32 word{};
  std::copy(encoded->begin(), encoded->end(), word.begin());
  return word;
}

Result<Hash32> encodeField(const json &types, const std::string &type, const json &value) {
  if (type.ends_with("]")) {
    if (!value.is_array())
      return bad("'" + type + "' needs an array");
    const std::string element = type.substr(0, type.rfind('['));
    Bytes concatenated;
    for (const json &item : value) {
      auto encoded = encodeField(types, element, item);
      if (!encoded)
        return encoded;
      concatenated.insert(concatenated.end(), encoded->begin(), encoded->end());
    }
    return keccak256(concatenated);
  }
  if (types.contains(type))
    return hashStruct(types, type, value);
  if (type == "string") {
    if (!value.is_string())
      return bad("a string field needs a string");
    return keccak256(std::string_view(value.get_ref<const std::string &>()));
  }
  if (type == "bytes") {
    auto bytes = bytesFromJson(value);
    if (!bytes)
      return bytes.error();
    return keccak256(*bytes);
  }
  return encodeAtomic(type, value);
}

} // namespace

Result<Hash32> hashStruct(const json &types, const std::string &type, const json &value) {
  return internal::guardJson("typed data " + type, [&]() -> Result<Hash32> {
    auto typeText = encodeType(types, type);
    if (!typeText)
      return typeText.error();
    if (!value.is_object())
      return bad("a '" + type + "' value must be an object");
    const Hash32 typeHash = keccak256(std::string_view(*typeText));
    Bytes encoded(typeHash.begin(), typeHash.end());
    for (const json &field : types[type]) {
      const std::string name = field["name"].get<std::string>();
      if (!value.contains(name))
        return bad("'" + type + "' has no field '" + name + "'");
      auto word = encodeField(types, field["type"].get<std::string>(), value[name]);
      if (!word)
        return word.error().withContext(type + "." + name);
      encoded.insert(encoded.end(), word->begin(), word->end());
    }
    return keccak256(encoded);
  });
}

Hash32 typedDataDigest(const Hash32 &domainSeparator, const Hash32 &structHash) {
  Bytes data{0x19, 0x01};
  data.insert(data.end(), domainSeparator.begin(), domainSeparator.end());
  data.insert(data.end(), structHash.begin(), structHash.end());
  return keccak256(data);
}

Result<Hash32> typedDataDigest(const json &typedData) {
  return internal::guardJson(std::string("a typed-data document"), [&]() -> Result<Hash32> {
    if (!typedData.is_object() || !typedData.contains("types") ||
        !typedData.contains("primaryType") || !typedData.contains("domain") ||
        !typedData.contains("message"))
      return bad("a typed-data document has types, primaryType, domain and message");
    const json &types = typedData["types"];
    auto domain = hashStruct(types, "EIP712Domain", typedData["domain"]);
    if (!domain)
      return domain;
    auto message =
        hashStruct(types, typedData["primaryType"].get<std::string>(), typedData["message"]);
    if (!message)
      return message;
    return typedDataDigest(*domain, *message);
  });
}

} // namespace nesa::chain
