#include "chain/transactor.h"
#include "chain/internal/json_guard.h"
#include "util/atomic_file.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>

namespace nesa::chain {

using json = nlohmann::json;

Transactor::Transactor(RpcClient &rpc, const AccountKey &key, std::uint64_t chainId,
                       std::filesystem::path journal)
    : m_rpc(rpc), m_key(key), m_chainId(chainId), m_journal(std::move(journal)) {}

Result<void> Transactor::loadJournal() {
  return internal::guardJson(
      "the transaction journal " + m_journal.string(), [&]() -> Result<void> {
        if (m_journal.empty() || !std::filesystem::exists(m_journal))
          return {};
        std::ifstream in(m_journal);
        const json j = json::parse(in, nullptr, false);
        if (j.is_discarded() || !j.is_object() ||
            j.value("chainId", std::uint64_t{0}) != m_chainId ||
            j.value("address", std::string()) != toHex(m_key.address()))
          return fail(ErrorCode::Corrupt, "the transaction journal " + m_journal.string() +
                                              " is damaged or belongs to another account or chain");
        for (const json &entry : j.value("pending", json::array())) {
          auto raw = fromHex(entry.value("raw", std::string()));
          if (!raw)
            return fail(ErrorCode::Corrupt, "a damaged transaction in " + m_journal.string());
          auto decoded = decodeTransaction(*raw, m_chainId);
          if (!decoded || decoded->sender != m_key.address())
            return fail(ErrorCode::Corrupt,
                        "a transaction in " + m_journal.string() + " is not ours");
          m_pending.push_back({decoded->nonce, decoded->hash, std::move(*raw)});
        }
        return {};
      });
}

Result<void> Transactor::saveJournal() const {
  if (m_journal.empty())
    return {};
  json pending = json::array();
  for (const Pending &p : m_pending)
    pending.push_back({{"nonce", p.nonce}, {"hash", toHex(p.hash)}, {"raw", toHex(p.raw)}});
  const json j = {
      {"chainId", m_chainId}, {"address", toHex(m_key.address())}, {"pending", pending}};
  return writeFileAtomically(m_journal, j.dump() + "\n");
}

Result<std::uint64_t> Transactor::transactionCount(const char *blockTag) {
  auto count =
      m_rpc.call("eth_getTransactionCount", json::array({toHex(m_key.address()), blockTag}));
  if (!count)
    return count.error();
  auto value = parseQuantity(*count);
  if (!value || !value->fitsU64())
    return fail(ErrorCode::Corrupt, "the chain node gave a malformed transaction count");
  return value->low64();
}

Result<int> Transactor::recover() {
  if (!m_loaded) { // a damaged journal stays unread, and untouched, until it is repaired
    if (auto r = loadJournal(); !r)
      return r.error();
    m_loaded = true;
  }
  // Entries the chain has finalized are done; later ones may still be lost with unfinalized
  // blocks (a node that crashed before saving them), so they stay and are re-sent when unknown.
  auto mined = transactionCount("latest");
  if (!mined)
    return mined.error();
  auto finalized = transactionCount("finalized");
  if (!finalized)
    finalized = *mined; // a node without the finalized tag
  const std::size_t before = m_pending.size();
  std::erase_if(m_pending, [&](const Pending &p) { return p.nonce < *finalized; });
  std::sort(m_pending.begin(), m_pending.end(),
            [](const Pending &a, const Pending &b) { return a.nonce < b.nonce; });
  int resent = 0;
  // Only entries above the mined count can be missing; the rest are in blocks (a node that
  // loses blocks lowers that count again, and they are looked at then).
  for (Pending &p : m_pending) {
    if (p.nonce < *mined)
      continue;
    auto known = m_rpc.call("eth_getTransactionByHash", json::array({toHex(p.hash)}));
    if (known && !known->is_null())
      continue;
    if (auto sent = m_rpc.sendRawTransaction(p.raw); !sent) {
      // Refused now (fees below what the chain asks today, say): the same call, same nonce,
      // signed again with today's fees replaces it.
      auto replaced = resign(p);
      if (!replaced)
        return replaced.error().withContext("Re-sending transaction " + std::to_string(p.nonce) +
                                            " (first refused: " + sent.error().message + ")");
    }
    ++resent;
  }
  if (m_pending.size() != before)
    if (auto saved = saveJournal(); !saved)
      return saved.error();
  return resent;
}

Result<void> Transactor::fillFees(Eip1559Transaction &tx) {
  auto price = m_rpc.gasPrice();
  auto tip = m_rpc.maxPriorityFeePerGas();
  if (!price || !tip)
    return price ? tip.error() : price.error();
  tx.maxPriorityFeePerGas = *tip;
  U256 doubled;
  tx.maxFeePerGas =
      U256::mulOverflows(*price, 2, doubled) ? *price : doubled; // room for base fee rises
  if (tx.maxFeePerGas < tx.maxPriorityFeePerGas)
    tx.maxFeePerGas = tx.maxPriorityFeePerGas;
  return {};
}

Result<void> Transactor::resign(Pending &pending) {
  auto decoded = decodeTransaction(pending.raw, m_chainId);
  if (!decoded || decoded->type != 2)
    return fail(ErrorCode::Corrupt, "a journaled transaction cannot be signed again");
  Eip1559Transaction tx;
  tx.chainId = m_chainId;
  tx.nonce = decoded->nonce;
  tx.gasLimit = decoded->gasLimit;
  tx.to = decoded->to;
  tx.value = decoded->value;
  tx.data = decoded->data;
  if (auto fees = fillFees(tx); !fees)
    return fees;
  // A replacement must pay at least 10 % more than what it replaces (nodes refuse less).
  U256 bumped;
  if (!U256::mulOverflows(decoded->maxFeePerGas, 2, bumped) && tx.maxFeePerGas < bumped)
    tx.maxFeePerGas = bumped;
  if (!U256::mulOverflows(decoded->maxPriorityFeePerGas, 2, bumped) &&
      tx.maxPriorityFeePerGas < bumped)
    tx.maxPriorityFeePerGas = bumped;
  const SignedTransaction signedTx = signTransaction(tx, m_key);
  pending.raw = signedTx.raw;
  pending.hash = signedTx.hash;
  if (auto saved = saveJournal(); !saved)
    return saved;
  auto sent = m_rpc.sendRawTransaction(signedTx.raw);
  if (!sent)
    return sent.error();
  return {};
}

Result<Sent> Transactor::send(const std::optional<Address> &to, std::span<const std::uint8_t> data,
                              const U256 &value) {
  if (auto r = recover(); !r)
    return r.error();
  auto nonce = m_rpc.pendingNonce(m_key.address());
  if (!nonce)
    return nonce.error();
  for (const Pending &p : m_pending)
    *nonce = std::max(*nonce, p.nonce + 1);
  auto gas = m_rpc.estimateGas(m_key.address(), to, data, value);
  if (!gas)
    return gas.error(); // a call that would revert: the node's reason, nothing sent
  Eip1559Transaction tx;
  tx.chainId = m_chainId;
  tx.nonce = *nonce;
  if (auto fees = fillFees(tx); !fees)
    return fees.error();
  tx.gasLimit = *gas + *gas / 5;
  tx.to = to;
  tx.value = value;
  tx.data.assign(data.begin(), data.end());
  U256 mostFee;
  if (U256::mulOverflows(tx.maxFeePerGas, U256(tx.gasLimit), mostFee))
    return fail(ErrorCode::InvalidInput, "the network asks an impossible fee; nothing was sent");
  if (m_feeBudget) {
    if (*m_feeBudget < mostFee)
      return fail(ErrorCode::Unavailable,
                  "the network fee now needed (at most " + mostFee.toDecimal() +
                      " wei) is more than what is left of the fee confirmed (" +
                      m_feeBudget->toDecimal() +
                      " wei): gas prices rose since the quote; nothing more was sent");
    U256 left;
    U256::subtract(*m_feeBudget, mostFee, left);
    m_feeBudget = left;
  }
  const SignedTransaction signedTx = signTransaction(tx, m_key);

  m_pending.push_back({tx.nonce, signedTx.hash, signedTx.raw});
  if (auto saved = saveJournal(); !saved)
    return saved.error();
  if (auto sent = m_rpc.sendRawTransaction(signedTx.raw); !sent)
    return sent.error();
  // It stays journaled until the chain has finalized it (recover()), so a node that loses
  // blocks it had mined (a crash before saving its state) gets it again.
  auto receipt = m_rpc.waitForReceipt(signedTx.hash, m_receiptTimeout);
  if (!receipt)
    return fail(receipt.error().code, "transaction " + toHex(signedTx.hash) +
                                          " was sent and journaled but " + receipt.error().message +
                                          "; it will still be mined (or re-sent by "
                                          "recover()): wait for it, do not send it again");
  if (!receipt->succeeded)
    return fail(ErrorCode::InvalidInput, "transaction " + toHex(signedTx.hash) + " reverted");
  return Sent{signedTx.hash, std::move(*receipt)};
}

} // namespace nesa::chain
