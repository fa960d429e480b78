// The Solidity contract ABI: types parsed from their canonical text ("uint256", "bytes32[]",
// "(address,uint64)"), values encoded into call data and decoded from return data and events.
#pragma once

#include "chain/bytes.h"
#include "chain/u256.h"

#include <string>
#include <variant>
#include <vector>

namespace nesa::chain::abi {

/// An ABI type.
struct Type {
  enum class Kind { Uint, Int, Address, Bool, FixedBytes, Bytes, String, Array, FixedArray, Tuple };
  Kind kind = Kind::Uint;
  int size = 256;               ///< bits for Uint/Int, bytes for FixedBytes
  std::size_t length = 0;       ///< element count of a FixedArray
  std::vector<Type> components; ///< the element type (arrays) or the members (tuples)

  /// True for bytes, string, T[], and anything containing one.
  bool isDynamic() const;
  /// The canonical text of the type ("uint256", "(address,bytes)[2]").
  std::string text() const;
};

/// Parses a type's text; "uint" and "int" mean 256 bits, as in Solidity.
Result<Type> parseType(std::string_view text);

/// A value of some ABI type. Integers (two's complement for intN), addresses and booleans are
/// words; bytesN, bytes and string are byte strings; arrays and tuples are lists.
struct Value {
  std::variant<U256, Bytes, std::vector<Value>> data;

  static Value uint(const U256 &v) { return {v}; }
  static Value address(const Address &a);
  static Value boolean(bool b) { return {U256(b ? 1 : 0)}; }
  static Value bytes(Bytes b) { return {std::move(b)}; }
  static Value bytes(std::span<const std::uint8_t> b) { return {Bytes(b.begin(), b.end())}; }
  static Value string(std::string_view s) { return {Bytes(s.begin(), s.end())}; }
  static Value list(std::vector<Value> items) { return {std::move(items)}; }

  /// Accessors; each is an error when the value has another shape.
  Result<U256> asUint() const;
  Result<Address> asAddress() const;
  Result<bool> asBool() const;
  Result<Bytes> asBytes() const;
  Result<std::vector<Value>> asList() const;
};

/// The first four bytes of keccak256 of a function's signature ("transfer(address,uint256)").
std::array<std::uint8_t, 4> selector(std::string_view signature);

/// Encodes `values` as the tuple `types` (the arguments of a call, the data of an event).
Result<Bytes> encode(const std::vector<Type> &types, const std::vector<Value> &values);

/// Call data for `signature` ("settle(address,uint256,bytes)") with `values`.
Result<Bytes> encodeCall(std::string_view signature, const std::vector<Value> &values);

/// Decodes `data` as the tuple `types`, refusing offsets or lengths outside the data, integers
/// wider than their type, and booleans other than 0 or 1.
Result<std::vector<Value>> decode(const std::vector<Type> &types,
                                  std::span<const std::uint8_t> data);

/// Parses a comma-separated list of types ("address,uint256"), as in a signature's parentheses.
Result<std::vector<Type>> parseTypeList(std::string_view text);

} // namespace nesa::chain::abi
