#include "chain/signed_messages.h"

#include "chain/keccak.h"
#include "chain/typed_data.h"

#include <algorithm>

namespace nesa::chain {

namespace {

/// keccak256 of the ABI encoding of words (every field here is a static 32-byte word).
Hash32 hashWords(std::initializer_list<std::array<std::uint8_t, 32>> words) {
  Bytes data;
  data.reserve(32 * words.size());
  for (const auto &w : words)
    data.insert(data.end(), w.begin(), w.end());
  return keccak256(data);
}

std::array<std::uint8_t, 32> word(const Address &a) { return U256::fromBigEndian(a)->toWord(); }

} // namespace

Hash32 domainSeparator(std::string_view name, std::string_view version, std::uint64_t chainId,
                       const Address &verifyingContract) {
  static const Hash32 kDomainType = keccak256(std::string_view(
      "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"));
  return hashWords({kDomainType, keccak256(name), keccak256(version), U256(chainId).toWord(),
                    word(verifyingContract)});
}

Hash32 receiptDigest(const PaymentReceipt &r, std::uint64_t chainId, const Address &sessions) {
  static const Hash32 kReceiptType = keccak256(std::string_view(
      "Receipt(address client,address miner,uint64 epoch,uint64 jobs,uint256 amount)"));
  const Hash32 structHash =
      hashWords({kReceiptType, word(r.client), word(r.miner), U256(r.epoch).toWord(),
                 U256(r.jobs).toWord(), r.amount.toWord()});
  return typedDataDigest(domainSeparator("Nesa PayForQuery", "1", chainId, sessions), structHash);
}

Hash32 answerDigest(const Hash32 &call, const Hash32 &job, const Hash32 &result,
                    std::uint64_t chainId, const Address &disputes) {
  static const Hash32 kAnswerType =
      keccak256(std::string_view("Answer(bytes32 call,bytes32 job,bytes32 result)"));
  return typedDataDigest(domainSeparator("Nesa Answers", "1", chainId, disputes),
                         hashWords({kAnswerType, call, job, result}));
}

namespace {

void putBigEndian(Bytes &out, std::uint64_t value) {
  for (int shift = 56; shift >= 0; shift -= 8)
    out.push_back(static_cast<std::uint8_t>(value >> shift));
}

std::uint64_t readBigEndian(std::span<const std::uint8_t> bytes) {
  std::uint64_t value = 0;
  for (const auto b : bytes)
    value = value << 8 | b;
  return value;
}

} // namespace

Bytes encodeSignedReceipt(const SignedReceipt &signedReceipt) {
  const PaymentReceipt &r = signedReceipt.receipt;
  Bytes out(r.client.begin(), r.client.end());
  out.reserve(kSignedReceiptBytes);
  out.insert(out.end(), r.miner.begin(), r.miner.end());
  putBigEndian(out, r.epoch);
  putBigEndian(out, r.jobs);
  const auto amount = r.amount.toWord();
  out.insert(out.end(), amount.begin(), amount.end());
  const Bytes rsv = signedReceipt.signature.toRsv();
  out.insert(out.end(), rsv.begin(), rsv.end());
  return out;
}

Result<SignedReceipt> decodeSignedReceipt(std::span<const std::uint8_t> bytes) {
  if (bytes.size() != kSignedReceiptBytes)
    return fail(ErrorCode::InvalidInput, "a signed receipt is " +
                                             std::to_string(kSignedReceiptBytes) + " bytes, not " +
                                             std::to_string(bytes.size()));
  SignedReceipt out;
  PaymentReceipt &r = out.receipt;
  std::copy_n(bytes.begin(), 20, r.client.begin());
  std::copy_n(bytes.begin() + 20, 20, r.miner.begin());
  r.epoch = readBigEndian(bytes.subspan(40, 8));
  r.jobs = readBigEndian(bytes.subspan(48, 8));
  r.amount = *U256::fromBigEndian(bytes.subspan(56, 32));
  auto signature = Signature::fromRsv(bytes.subspan(88, 65));
  if (!signature)
    return signature.error().withContext("a signed receipt");
  out.signature = *signature;
  return out;
}

} // namespace nesa::chain
