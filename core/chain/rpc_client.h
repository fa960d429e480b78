// An Ethereum JSON-RPC client over HTTP, with typed calls for what Nesa needs of a chain: the
// chain id, nonces, fees, raw transactions, receipts (polled with a deadline), eth_call and logs.
#pragma once

#include "chain/bytes.h"
#include "chain/u256.h"
#include "net/endpoint.h"

#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <optional>
#include <vector>

namespace nesa::chain {

/// One event log of a receipt or of eth_getLogs.
struct LogEntry {
  Address address{};
  std::vector<Hash32> topics;
  Bytes data;
  std::uint64_t blockNumber = 0;
  Hash32 transactionHash{};
};

/// What a mined transaction did.
struct Receipt {
  bool succeeded = false;
  std::uint64_t blockNumber = 0;
  std::uint64_t gasUsed = 0;
  U256 effectiveGasPrice;
  std::optional<Address> contractAddress;
  std::vector<LogEntry> logs;
};

/// A JSON-RPC 2.0 client of one chain node (plain HTTP; HTTPS endpoints are not supported yet).
class RpcClient {
public:
  explicit RpcClient(net::Endpoint endpoint,
                     std::chrono::milliseconds timeout = std::chrono::seconds(10));

  /// Calls `method` with `params`; a transport failure, an HTTP error or a JSON-RPC error
  /// object is an error carrying the node's message (a revert reason included).
  Result<nlohmann::json> call(const std::string &method, nlohmann::json params);

  Result<std::uint64_t> chainId();
  Result<std::uint64_t> blockNumber();
  /// The timestamp of the latest block (seconds).
  Result<std::uint64_t> latestTimestamp();
  Result<U256> balance(const Address &account);
  /// The runtime code at `account` (empty for a plain account or nothing deployed).
  Result<Bytes> code(const Address &account);
  /// The next nonce of `account`, counting its pending transactions.
  Result<std::uint64_t> pendingNonce(const Address &account);
  Result<U256> gasPrice();
  Result<U256> maxPriorityFeePerGas();
  /// eth_estimateGas of a call from `from` to `to` (none: a deployment) with `data`.
  Result<std::uint64_t> estimateGas(const Address &from, const std::optional<Address> &to,
                                    std::span<const std::uint8_t> data, const U256 &value = 0);
  /// Sends signed bytes; the transaction hash the node computed.
  Result<Hash32> sendRawTransaction(std::span<const std::uint8_t> raw);
  /// The receipt, or nothing while the transaction is not mined.
  Result<std::optional<Receipt>> receipt(const Hash32 &transactionHash);
  /// Polls for the receipt until `timeout`; an unmined transaction then is an Unavailable error.
  Result<Receipt> waitForReceipt(const Hash32 &transactionHash, std::chrono::milliseconds timeout);
  /// eth_call against the latest block; a revert is an error with the node's reason.
  Result<Bytes> ethCall(const Address &to, std::span<const std::uint8_t> data,
                        const std::optional<Address> &from = std::nullopt);
  /// Logs of `address` whose first topic is `topic0` (any when null), in [fromBlock, toBlock].
  Result<std::vector<LogEntry>> logs(const Address &address, const std::optional<Hash32> &topic0,
                                     std::uint64_t fromBlock, std::optional<std::uint64_t> toBlock);
  /// Logs of `address` whose topics match `topics` position by position (nullopt: any value),
  /// in [fromBlock, toBlock].
  Result<std::vector<LogEntry>> logs(const Address &address,
                                     const std::vector<std::optional<Hash32>> &topics,
                                     std::uint64_t fromBlock, std::optional<std::uint64_t> toBlock);

  const net::Endpoint &endpoint() const { return m_endpoint; }

private:
  net::Endpoint m_endpoint;
  std::chrono::milliseconds m_timeout;
  std::atomic<std::uint64_t> m_nextId{1}; // calls may come from several threads
};

/// Reads a JSON-RPC quantity ("0x1a") into a U256.
Result<U256> parseQuantity(const nlohmann::json &value);

} // namespace nesa::chain
