// EIP-712 typed structured data: the digest a wallet signs for eth_signTypedData_v4, computed
// from the standard JSON form ({types, primaryType, domain, message}).
#pragma once

#include "chain/bytes.h"

#include <nlohmann/json_fwd.hpp>

namespace nesa::chain {

/// keccak256(0x19 ‖ 0x01 ‖ domainSeparator ‖ hashStruct(message)) of a typed-data document.
/// Unknown types, missing fields, and values that do not fit their type are errors.
Result<Hash32> typedDataDigest(const nlohmann::json &typedData);

/// hashStruct(`type`, `value`) under `types` (the document's "types" object).
Result<Hash32> hashStruct(const nlohmann::json &types, const std::string &type,
                          const nlohmann::json &value);

/// The EIP-712 digest from an already computed domain separator and struct hash.
Hash32 typedDataDigest(const Hash32 &domainSeparator, const Hash32 &structHash);

} // namespace nesa::chain
