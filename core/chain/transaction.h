// Ethereum transactions: building and signing EIP-1559 (type 2) transactions, and decoding and
// validating any legacy, EIP-2930 or EIP-1559 transaction with its sender recovered.
#pragma once

#include "chain/account_key.h"
#include "chain/u256.h"

#include <optional>
#include <vector>

namespace nesa::chain {

/// An EIP-2930 access list entry: an address and the storage slots the transaction touches.
struct AccessListEntry {
  Address address{};
  std::vector<Hash32> storageKeys;
};

/// An unsigned EIP-1559 transaction, the kind Nesa sends.
struct Eip1559Transaction {
  std::uint64_t chainId = 0;
  std::uint64_t nonce = 0;
  U256 maxPriorityFeePerGas;
  U256 maxFeePerGas;
  std::uint64_t gasLimit = 0;
  std::optional<Address> to; ///< none: a contract creation
  U256 value;
  Bytes data;
  std::vector<AccessListEntry> accessList;

  /// keccak256(0x02 ‖ rlp([chainId, nonce, …, accessList])): what the sender signs.
  Hash32 signingHash() const;
};

/// A signed transaction ready for eth_sendRawTransaction.
struct SignedTransaction {
  Bytes raw;   ///< the typed envelope 0x02 ‖ rlp([..., yParity, r, s])
  Hash32 hash; ///< keccak256(raw), the transaction hash
};

/// Signs `tx` with `key`.
SignedTransaction signTransaction(const Eip1559Transaction &tx, const AccountKey &key);

/// A transaction read back from its raw bytes, checked as a node of the given chain would.
struct DecodedTransaction {
  int type = 0;     ///< 0 legacy, 1 EIP-2930, 2 EIP-1559
  Hash32 hash{};    ///< keccak256 of the raw bytes
  Address sender{}; ///< recovered from the signature
  std::uint64_t nonce = 0;
  std::uint64_t gasLimit = 0;
  U256 maxFeePerGas;         ///< the gas price of legacy and EIP-2930 transactions
  U256 maxPriorityFeePerGas; ///< the gas price of legacy and EIP-2930 transactions
  std::optional<Address> to;
  U256 value;
  Bytes data;
  std::optional<std::uint64_t> chainId; ///< none for a pre-EIP-155 legacy transaction
};

/// Decodes and validates `raw` for chain `chainId`: strict RLP, field counts and sizes, no
/// leading zeros, nonce < 2^64 - 1, fee × gas within 256 bits, priority fee ≤ max fee, the chain
/// id (EIP-155 v or the typed field), signature scalars in range with a low s (EIP-2), and a
/// recoverable sender. Every refusal says which rule failed.
Result<DecodedTransaction> decodeTransaction(std::span<const std::uint8_t> raw,
                                             std::uint64_t chainId);

} // namespace nesa::chain
