#include "chain/signed_messages.h"

#include "chain/keccak.h"
#include "chain/typed_data.h"

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

} // namespace nesa::chain
