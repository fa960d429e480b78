#include "chain/rpc_client.h"
#include "chain/internal/json_guard.h"

#include "chain/account_key.h"
#include "net/connection.h"

#include <thread>

namespace nesa::chain {

using json = nlohmann::json;

namespace {

Error badAnswer(const std::string &method, const std::string &what) {
  return fail(ErrorCode::Corrupt, "the chain node's answer to " + method + " " + what);
}

Result<std::uint64_t> u64Of(const json &value, const std::string &method) {
  auto q = parseQuantity(value);
  if (!q || !q->fitsU64())
    return badAnswer(method, "is not a 64-bit quantity");
  return q->low64();
}

template <std::size_t N> Result<std::array<std::uint8_t, N>> fixedOf(const json &value) {
  if (!value.is_string())
    return fail(ErrorCode::Corrupt, "expected a hex string");
  return fixedFromHex<N>(value.get<std::string>());
}

Result<LogEntry> logOf(const json &j) {
  LogEntry log;
  auto address = fixedOf<20>(j.value("address", json()));
  auto data = fromHex(j.value("data", std::string("0x")));
  auto block = parseQuantity(j.value("blockNumber", json("0x0")));
  auto tx = fixedOf<32>(j.value("transactionHash", json()));
  if (!address || !data || !block || !tx || !j.contains("topics") || !j["topics"].is_array())
    return fail(ErrorCode::Corrupt, "a malformed log entry from the chain node");
  log.address = *address;
  log.data = std::move(*data);
  log.blockNumber = block->low64();
  log.transactionHash = *tx;
  for (const json &topic : j["topics"]) {
    auto t = fixedOf<32>(topic);
    if (!t)
      return fail(ErrorCode::Corrupt, "a malformed log topic from the chain node");
    log.topics.push_back(*t);
  }
  return log;
}

} // namespace

Result<U256> parseQuantity(const json &value) {
  if (!value.is_string())
    return fail(ErrorCode::InvalidInput, "a quantity must be a 0x hex string");
  const std::string &text = value.get_ref<const std::string &>();
  if (!text.starts_with("0x") || text.size() < 3)
    return fail(ErrorCode::InvalidInput, "'" + text + "' is not a 0x quantity");
  return U256::parse(text);
}

RpcClient::RpcClient(net::Endpoint endpoint, std::chrono::milliseconds timeout)
    : m_endpoint(std::move(endpoint)), m_timeout(timeout) {}

Result<json> RpcClient::call(const std::string &method, json params) {
  return internal::guardJson("the answer to " + method, [&]() -> Result<json> {
    const std::uint64_t id = m_nextId++;
    const json request = {
        {"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", std::move(params)}};
    auto answer = net::httpPost(m_endpoint, "/", "application/json", request.dump(), m_timeout);
    if (!answer)
      return answer.error().withContext("Chain node " + m_endpoint.text());
    if (answer->status != 200)
      return fail(ErrorCode::Unavailable, "chain node " + m_endpoint.text() + " answered HTTP " +
                                              std::to_string(answer->status) + " to " + method);
    const json reply = json::parse(answer->body, nullptr, false);
    if (reply.is_discarded() || !reply.is_object())
      return badAnswer(method, "is not JSON");
    if (reply.contains("error")) {
      const json &error = reply["error"];
      std::string message =
          error.is_object() ? error.value("message", std::string("unknown error")) : error.dump();
      // A revert's data (a custom error's selector and arguments) follows, for Contract::explain.
      if (error.is_object() && error.contains("data") && error["data"].is_string())
        message += " [revert " + error["data"].get<std::string>() + "]";
      return fail(ErrorCode::InvalidInput, method + " refused: " + message);
    }
    if (!reply.contains("result") || reply.value("id", json()) != json(id))
      return badAnswer(method, "has no result for our request");
    return reply["result"];
  });
}

Result<std::uint64_t> RpcClient::chainId() {
  auto r = call("eth_chainId", json::array());
  return r ? u64Of(*r, "eth_chainId") : Result<std::uint64_t>(r.error());
}

Result<std::uint64_t> RpcClient::blockNumber() {
  auto r = call("eth_blockNumber", json::array());
  return r ? u64Of(*r, "eth_blockNumber") : Result<std::uint64_t>(r.error());
}

Result<std::uint64_t> RpcClient::latestTimestamp() {
  return internal::guardJson(
      std::string("the chain node's latest block"), [&]() -> Result<std::uint64_t> {
        auto r = call("eth_getBlockByNumber", json::array({"latest", false}));
        if (!r)
          return r.error();
        if (!r->is_object() || !r->contains("timestamp"))
          return badAnswer("eth_getBlockByNumber", "has no timestamp");
        return u64Of((*r)["timestamp"], "eth_getBlockByNumber");
      });
}

Result<U256> RpcClient::balance(const Address &account) {
  auto r = call("eth_getBalance", json::array({toHex(account), "latest"}));
  return r ? parseQuantity(*r) : Result<U256>(r.error());
}

Result<Bytes> RpcClient::code(const Address &account) {
  auto r = call("eth_getCode", json::array({toHex(account), "latest"}));
  if (!r)
    return r.error();
  if (!r->is_string())
    return badAnswer("eth_getCode", "is not hex");
  return fromHex(r->get<std::string>());
}

Result<std::uint64_t> RpcClient::pendingNonce(const Address &account) {
  auto r = call("eth_getTransactionCount", json::array({toHex(account), "pending"}));
  return r ? u64Of(*r, "eth_getTransactionCount") : Result<std::uint64_t>(r.error());
}

Result<U256> RpcClient::gasPrice() {
  auto r = call("eth_gasPrice", json::array());
  return r ? parseQuantity(*r) : Result<U256>(r.error());
}

Result<U256> RpcClient::maxPriorityFeePerGas() {
  auto r = call("eth_maxPriorityFeePerGas", json::array());
  return r ? parseQuantity(*r) : Result<U256>(r.error());
}

Result<std::uint64_t> RpcClient::estimateGas(const Address &from, const std::optional<Address> &to,
                                             std::span<const std::uint8_t> data,
                                             const U256 &value) {
  json tx = {{"from", toHex(from)}, {"data", toHex(data)}, {"value", value.toQuantity()}};
  if (to)
    tx["to"] = toHex(*to);
  auto r = call("eth_estimateGas", json::array({tx}));
  return r ? u64Of(*r, "eth_estimateGas") : Result<std::uint64_t>(r.error());
}

Result<Hash32> RpcClient::sendRawTransaction(std::span<const std::uint8_t> raw) {
  auto r = call("eth_sendRawTransaction", json::array({toHex(raw)}));
  if (!r)
    return r.error();
  auto hash = fixedOf<32>(*r);
  if (!hash)
    return badAnswer("eth_sendRawTransaction", "is not a transaction hash");
  return hash;
}

Result<std::optional<Receipt>> RpcClient::receipt(const Hash32 &transactionHash) {
  return internal::guardJson(
      std::string("the chain node's receipt"), [&]() -> Result<std::optional<Receipt>> {
        auto r = call("eth_getTransactionReceipt", json::array({toHex(transactionHash)}));
        if (!r)
          return r.error();
        if (r->is_null())
          return std::optional<Receipt>{};
        const json &j = *r;
        Receipt out;
        auto status = parseQuantity(j.value("status", json()));
        auto block = parseQuantity(j.value("blockNumber", json()));
        auto gas = parseQuantity(j.value("gasUsed", json()));
        if (!status || !block || !gas)
          return badAnswer("eth_getTransactionReceipt", "lacks status, block or gas");
        out.succeeded = status->low64() == 1;
        out.blockNumber = block->low64();
        out.gasUsed = gas->low64();
        if (auto price = parseQuantity(j.value("effectiveGasPrice", json("0x0"))))
          out.effectiveGasPrice = *price;
        if (j.contains("contractAddress") && j["contractAddress"].is_string()) {
          auto address = fixedOf<20>(j["contractAddress"]);
          if (!address)
            return badAnswer("eth_getTransactionReceipt", "has a malformed contract address");
          out.contractAddress = *address;
        }
        for (const json &entry : j.value("logs", json::array())) {
          auto log = logOf(entry);
          if (!log)
            return log.error();
          out.logs.push_back(std::move(*log));
        }
        return std::optional<Receipt>{std::move(out)};
      });
}

Result<Receipt> RpcClient::waitForReceipt(const Hash32 &transactionHash,
                                          std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  auto pause = std::chrono::milliseconds(5);
  while (true) {
    auto r = receipt(transactionHash);
    if (!r)
      return r.error();
    if (*r)
      return std::move(**r);
    if (std::chrono::steady_clock::now() >= deadline)
      return fail(ErrorCode::Unavailable, "transaction " + toHex(transactionHash) +
                                              " was not mined within " +
                                              std::to_string(timeout.count()) + " ms");
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(500));
  }
}

Result<Bytes> RpcClient::ethCall(const Address &to, std::span<const std::uint8_t> data,
                                 const std::optional<Address> &from) {
  json tx = {{"to", toHex(to)}, {"data", toHex(data)}};
  if (from)
    tx["from"] = toHex(*from);
  auto r = call("eth_call", json::array({tx, "latest"}));
  if (!r)
    return r.error();
  if (!r->is_string())
    return badAnswer("eth_call", "is not hex");
  return fromHex(r->get<std::string>());
}

Result<std::vector<LogEntry>> RpcClient::logs(const Address &address,
                                              const std::optional<Hash32> &topic0,
                                              std::uint64_t fromBlock,
                                              std::optional<std::uint64_t> toBlock) {
  return logs(address, std::vector<std::optional<Hash32>>{topic0}, fromBlock, toBlock);
}

Result<std::vector<LogEntry>> RpcClient::logs(const Address &address,
                                              const std::vector<std::optional<Hash32>> &topics,
                                              std::uint64_t fromBlock,
                                              std::optional<std::uint64_t> toBlock) {
  return internal::guardJson(
      std::string("the chain node's logs"), [&]() -> Result<std::vector<LogEntry>> {
        json filter = {{"address", toHex(address)},
                       {"fromBlock", U256(fromBlock).toQuantity()},
                       {"toBlock", toBlock ? U256(*toBlock).toQuantity() : std::string("latest")}};
        json topicFilter = json::array();
        for (const auto &topic : topics)
          topicFilter.push_back(topic ? json(toHex(*topic)) : json(nullptr));
        while (!topicFilter.empty() && topicFilter.back().is_null())
          topicFilter.erase(topicFilter.size() - 1);
        if (!topicFilter.empty())
          filter["topics"] = std::move(topicFilter);
        auto r = call("eth_getLogs", json::array({filter}));
        if (!r)
          return r.error();
        if (!r->is_array())
          return badAnswer("eth_getLogs", "is not a list");
        std::vector<LogEntry> out;
        for (const json &entry : *r) {
          auto log = logOf(entry);
          if (!log)
            return log.error();
          out.push_back(std::move(*log));
        }
        return out;
      });
}

} // namespace nesa::chain
