#include "chain/transaction.h"

#include "chain/keccak.h"
#include "chain/rlp.h"

namespace nesa::chain {

namespace {

RlpItem accessListItem(const std::vector<AccessListEntry> &list) {
  RlpItem out = RlpItem::list({});
  for (const AccessListEntry &entry : list) {
    RlpItem keys = RlpItem::list({});
    for (const Hash32 &key : entry.storageKeys)
      keys.items.push_back(RlpItem::string(Bytes(key.begin(), key.end())));
    out.items.push_back(
        RlpItem::list({RlpItem::string(Bytes(entry.address.begin(), entry.address.end())), keys}));
  }
  return out;
}

std::vector<RlpItem> unsignedFields(const Eip1559Transaction &tx) {
  return {RlpItem::integer(tx.chainId),
          RlpItem::integer(tx.nonce),
          RlpItem::integer(tx.maxPriorityFeePerGas),
          RlpItem::integer(tx.maxFeePerGas),
          RlpItem::integer(tx.gasLimit),
          RlpItem::string(tx.to ? Bytes(tx.to->begin(), tx.to->end()) : Bytes{}),
          RlpItem::integer(tx.value),
          RlpItem::string(tx.data),
          accessListItem(tx.accessList)};
}

Bytes typedEnvelope(std::uint8_t type, const RlpItem &body) {
  Bytes out{type};
  const Bytes encoded = rlpEncode(body);
  out.insert(out.end(), encoded.begin(), encoded.end());
  return out;
}

Error invalid(const std::string &what) {
  return fail(ErrorCode::InvalidInput, "invalid transaction: " + what);
}

/// Reads the fields that every kind shares, with the checks nodes apply to them.
struct FieldReader {
  const std::vector<RlpItem> &items;

  Result<U256> integer(std::size_t index, const char *what, std::size_t maxBytes = 32) const {
    auto value = rlpInteger(items[index], what, maxBytes);
    if (!value)
      return invalid(value.error().message);
    return value;
  }
  Result<std::uint64_t> u64(std::size_t index, const char *what) const {
    auto value = integer(index, what, 8);
    if (!value)
      return value.error();
    return value->low64();
  }
  Result<std::optional<Address>> to(std::size_t index) const {
    const RlpItem &item = items[index];
    if (item.isList)
      return invalid("the recipient is a list");
    if (item.bytes.empty())
      return std::optional<Address>{};
    if (item.bytes.size() != 20)
      return invalid("the recipient has " + std::to_string(item.bytes.size()) +
                     " bytes instead of 20");
    Address out{};
    std::copy(item.bytes.begin(), item.bytes.end(), out.begin());
    return std::optional<Address>{out};
  }
  Result<Signature> signature(std::size_t rIndex, std::uint8_t yParity) const {
    Signature sig;
    sig.yParity = yParity;
    auto r = integer(rIndex, "r");
    auto s = integer(rIndex + 1, "s");
    if (!r)
      return r.error();
    if (!s)
      return s.error();
    sig.r = r->toWord();
    sig.s = s->toWord();
    if (!hasScalarsInRange(sig))
      return invalid("the signature's r or s is zero or not below the curve order");
    if (!hasLowS(sig))
      return invalid("the signature's s is above half the curve order (EIP-2)");
    return sig;
  }
};

Result<void> checkAccessList(const RlpItem &item) {
  if (!item.isList)
    return invalid("the access list is not a list");
  for (const RlpItem &entry : item.items) {
    if (!entry.isList || entry.items.size() != 2 || entry.items[0].isList || !entry.items[1].isList)
      return invalid("an access list entry is not [address, [keys]]");
    if (entry.items[0].bytes.size() != 20)
      return invalid("an access list address has " + std::to_string(entry.items[0].bytes.size()) +
                     " bytes instead of 20");
    for (const RlpItem &key : entry.items[1].items)
      if (key.isList || key.bytes.size() != 32)
        return invalid("an access list storage key is not 32 bytes");
  }
  return {};
}

Result<void> checkFeeTimesGas(const U256 &fee, std::uint64_t gasLimit) {
  U256 product;
  if (U256::mulOverflows(fee, gasLimit, product))
    return invalid("gas limit × fee per gas is over 2^256 - 1");
  return {};
}

} // namespace

Hash32 Eip1559Transaction::signingHash() const {
  return keccak256(typedEnvelope(0x02, RlpItem::list(unsignedFields(*this))));
}

SignedTransaction signTransaction(const Eip1559Transaction &tx, const AccountKey &key) {
  const Signature sig = key.sign(tx.signingHash());
  std::vector<RlpItem> fields = unsignedFields(tx);
  fields.push_back(RlpItem::integer(sig.yParity));
  fields.push_back(RlpItem::integer(*U256::fromBigEndian(sig.r)));
  fields.push_back(RlpItem::integer(*U256::fromBigEndian(sig.s)));
  SignedTransaction out;
  out.raw = typedEnvelope(0x02, RlpItem::list(std::move(fields)));
  out.hash = keccak256(out.raw);
  return out;
}

Result<DecodedTransaction> decodeTransaction(std::span<const std::uint8_t> raw,
                                             std::uint64_t chainId) {
  if (raw.empty())
    return invalid("no bytes");
  DecodedTransaction out;
  out.hash = keccak256(raw);
  if (raw[0] >= 0xc0)
    out.type = 0;
  else if (raw[0] == 0x01 || raw[0] == 0x02)
    out.type = raw[0];
  else
    return invalid("type " + std::to_string(raw[0]) + " is not supported (legacy, 1 and 2 are)");

  auto decoded = rlpDecode(out.type == 0 ? raw : raw.subspan(1));
  if (!decoded)
    return invalid(decoded.error().message);
  if (!decoded->isList)
    return invalid("the transaction is not an RLP list");
  const std::vector<RlpItem> &items = decoded->items;
  const std::size_t expected = out.type == 0 ? 9 : out.type == 1 ? 11 : 12;
  if (items.size() != expected)
    return invalid("it has " + std::to_string(items.size()) + " fields instead of " +
                   std::to_string(expected));
  const FieldReader read{items};

  // Field positions: legacy [nonce, gasPrice, gas, to, value, data, v, r, s];
  // typed [chainId, nonce, (gasPrice | priority, maxFee), gas, to, value, data, accessList, y, r,
  // s].
  const std::size_t base = out.type == 0 ? 0 : 1;
  const std::size_t feeFields = out.type == 2 ? 2 : 1;
  const std::size_t gasIndex = base + 1 + feeFields;
  auto nonce = read.integer(base, "the nonce", 9);
  if (!nonce)
    return nonce.error();
  if (!nonce->fitsU64() || nonce->low64() == ~std::uint64_t{0})
    return invalid("the nonce is not below 2^64 - 1 (EIP-2681)");
  out.nonce = nonce->low64();
  auto maxFee =
      read.integer(base + feeFields, out.type == 2 ? "the max fee per gas" : "the gas price");
  if (!maxFee)
    return maxFee.error();
  if (out.type == 2) {
    auto priority = read.integer(base + 1, "the max priority fee per gas");
    if (!priority)
      return priority.error();
    if (*priority > *maxFee)
      return invalid("the priority fee is above the max fee per gas");
    out.maxPriorityFeePerGas = *priority;
  } else {
    out.maxPriorityFeePerGas = *maxFee;
  }
  out.maxFeePerGas = *maxFee;
  auto gas = read.u64(gasIndex, "the gas limit");
  if (!gas)
    return gas.error();
  out.gasLimit = *gas;
  if (auto product = checkFeeTimesGas(*maxFee, out.gasLimit); !product)
    return product.error();
  auto to = read.to(gasIndex + 1);
  if (!to)
    return to.error();
  out.to = *to;
  auto value = read.integer(gasIndex + 2, "the value");
  if (!value)
    return value.error();
  out.value = *value;
  if (items[gasIndex + 3].isList)
    return invalid("the data is a list");
  out.data = items[gasIndex + 3].bytes;

  Hash32 signingHash{};
  Result<Signature> sig = invalid("no signature");
  if (out.type == 0) {
    auto v = read.integer(6, "v", 8);
    if (!v)
      return v.error();
    const std::uint64_t vv = v->low64();
    std::vector<RlpItem> unsignedItems(items.begin(), items.begin() + 6);
    if (vv == 27 || vv == 28) {
      sig = read.signature(7, static_cast<std::uint8_t>(vv - 27));
    } else if (vv == 2 * chainId + 35 || vv == 2 * chainId + 36) {
      out.chainId = chainId;
      sig = read.signature(7, static_cast<std::uint8_t>(vv - 2 * chainId - 35));
      unsignedItems.push_back(RlpItem::integer(chainId));
      unsignedItems.push_back(RlpItem::integer(0));
      unsignedItems.push_back(RlpItem::integer(0));
    } else {
      return invalid("v = " + v->toDecimal() + " matches neither 27/28 nor chain id " +
                     std::to_string(chainId) + " (EIP-155)");
    }
    signingHash = keccak256(rlpEncode(RlpItem::list(std::move(unsignedItems))));
  } else {
    auto id = read.u64(0, "the chain id");
    if (!id)
      return id.error();
    if (*id != chainId)
      return invalid("chain id " + std::to_string(*id) + " instead of " + std::to_string(chainId));
    out.chainId = *id;
    if (auto list = checkAccessList(items[gasIndex + 4]); !list)
      return list.error();
    auto parity = read.integer(expected - 3, "the signature's y parity", 1);
    if (!parity)
      return parity.error();
    if (parity->low64() > 1)
      return invalid("the signature's y parity is not 0 or 1");
    sig = read.signature(expected - 2, static_cast<std::uint8_t>(parity->low64()));
    signingHash = keccak256(
        typedEnvelope(static_cast<std::uint8_t>(out.type),
                      RlpItem::list(std::vector<RlpItem>(items.begin(), items.end() - 3))));
  }
  if (!sig)
    return sig.error();
  auto sender = recoverSigner(signingHash, *sig);
  if (!sender)
    return invalid(sender.error().message);
  out.sender = *sender;
  return out;
}

} // namespace nesa::chain
