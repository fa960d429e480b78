#include "ledger/payloads.h"

#include "util/byte_io.h"

#include <sodium.h>

#include <cstring>

namespace nesa::ledger {
namespace {

void putU64(std::vector<std::uint8_t> &out, std::uint64_t v) {
  ByteWriter w;
  w.u64(v);
  const auto bytes = w.take();
  out.insert(out.end(), bytes.begin(), bytes.end());
}

std::uint64_t getU64(const std::uint8_t *in) {
  std::uint64_t v = 0;
  ByteReader(std::span(in, 8)).u64(v);
  return v;
}

} // namespace

std::vector<std::uint8_t> MinerOffer::encode() const {
  std::vector<std::uint8_t> out;
  putU64(out, pricePerByte);
  putU64(out, pricePerQuery);
  out.insert(out.end(), endpoint.begin(), endpoint.end());
  return out;
}

std::optional<MinerOffer> MinerOffer::decode(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < 17 || bytes.size() > 16 + 200)
    return std::nullopt;
  MinerOffer offer;
  offer.pricePerByte = getU64(bytes.data());
  offer.pricePerQuery = getU64(bytes.data() + 8);
  offer.endpoint.assign(reinterpret_cast<const char *>(bytes.data()) + 16, bytes.size() - 16);
  return offer;
}

std::vector<std::uint8_t> SessionTerms::encode() const {
  std::vector<std::uint8_t> out;
  putU64(out, durationBlocks);
  return out;
}

std::optional<SessionTerms> SessionTerms::decode(std::span<const std::uint8_t> bytes) {
  if (bytes.size() != 8)
    return std::nullopt;
  return SessionTerms{getU64(bytes.data())};
}

std::vector<std::uint8_t> Receipt::signedBytes(const std::string &chainId, const Hash &session,
                                               Amount cumulative) {
  static constexpr char kDomain[] = "nesa-receipt-v1";
  std::vector<std::uint8_t> out(kDomain, kDomain + sizeof kDomain - 1);
  out.push_back(static_cast<std::uint8_t>(chainId.size()));
  out.insert(out.end(), chainId.begin(), chainId.end());
  out.insert(out.end(), session.begin(), session.end());
  putU64(out, cumulative);
  return out;
}

Receipt Receipt::sign(const std::string &chainId, const Hash &session, Amount cumulative,
                      const SecureBuffer &clientSecret) {
  Receipt receipt{session, cumulative, {}};
  const auto bytes = signedBytes(chainId, session, cumulative);
  crypto_sign_detached(receipt.clientSignature.data(), nullptr, bytes.data(), bytes.size(),
                       clientSecret.data());
  return receipt;
}

std::vector<std::uint8_t> Receipt::encode() const {
  std::vector<std::uint8_t> out(session.begin(), session.end());
  putU64(out, cumulative);
  out.insert(out.end(), clientSignature.begin(), clientSignature.end());
  return out;
}

std::optional<Receipt> Receipt::decode(std::span<const std::uint8_t> bytes) {
  if (bytes.size() != 32 + 8 + 64)
    return std::nullopt;
  Receipt receipt;
  std::memcpy(receipt.session.data(), bytes.data(), 32);
  receipt.cumulative = getU64(bytes.data() + 32);
  std::memcpy(receipt.clientSignature.data(), bytes.data() + 40, 64);
  return receipt;
}

std::vector<std::uint8_t> ParamChange::encode() const {
  std::vector<std::uint8_t> out{static_cast<std::uint8_t>(param)};
  putU64(out, value);
  return out;
}

std::optional<ParamChange> ParamChange::decode(std::span<const std::uint8_t> bytes) {
  if (bytes.size() != 9 || bytes[0] < 1 || bytes[0] > 4)
    return std::nullopt;
  return ParamChange{static_cast<ParamId>(bytes[0]), getU64(bytes.data() + 1)};
}

std::vector<std::uint8_t> Ballot::encode() const {
  std::vector<std::uint8_t> out(proposal.begin(), proposal.end());
  out.push_back(yes ? 1 : 0);
  return out;
}

std::optional<Ballot> Ballot::decode(std::span<const std::uint8_t> bytes) {
  if (bytes.size() != 33 || bytes[32] > 1)
    return std::nullopt;
  Ballot ballot;
  std::memcpy(ballot.proposal.data(), bytes.data(), 32);
  ballot.yes = bytes[32] == 1;
  return ballot;
}

std::vector<std::uint8_t> encodeSessionId(const Hash &session) {
  return {session.begin(), session.end()};
}

std::optional<Hash> decodeSessionId(std::span<const std::uint8_t> bytes) {
  if (bytes.size() != 32)
    return std::nullopt;
  Hash session{};
  std::memcpy(session.data(), bytes.data(), 32);
  return session;
}

std::vector<std::uint8_t> SlashEvidence::signedBytes(const Hash &jobDigest,
                                                     const Hash &resultDigest) {
  static constexpr char kDomain[] = "nesa-share-result-v1";
  std::vector<std::uint8_t> out(kDomain, kDomain + sizeof kDomain - 1);
  out.insert(out.end(), jobDigest.begin(), jobDigest.end());
  out.insert(out.end(), resultDigest.begin(), resultDigest.end());
  return out;
}

Hash SlashEvidence::id() const {
  std::vector<std::uint8_t> both(jobDigest.begin(), jobDigest.end());
  both.insert(both.end(), resultDigest.begin(), resultDigest.end());
  Hash hash{};
  crypto_generichash(hash.data(), hash.size(), both.data(), both.size(), nullptr, 0);
  return hash;
}

std::vector<std::uint8_t> SlashEvidence::encode() const {
  std::vector<std::uint8_t> out(minerKey.begin(), minerKey.end());
  out.insert(out.end(), jobDigest.begin(), jobDigest.end());
  out.insert(out.end(), resultDigest.begin(), resultDigest.end());
  out.insert(out.end(), minerSignature.begin(), minerSignature.end());
  out.insert(out.end(), reporter.begin(), reporter.end());
  return out;
}

std::optional<SlashEvidence> SlashEvidence::decode(std::span<const std::uint8_t> bytes) {
  SlashEvidence e;
  if (bytes.size() != 32 + 32 + 32 + 64 + 20)
    return std::nullopt;
  auto at = bytes.begin();
  std::copy(at, at + 32, e.minerKey.begin());
  at += 32;
  std::copy(at, at + 32, e.jobDigest.begin());
  at += 32;
  std::copy(at, at + 32, e.resultDigest.begin());
  at += 32;
  std::copy(at, at + 64, e.minerSignature.begin());
  at += 64;
  std::copy(at, at + 20, e.reporter.begin());
  return e;
}

} // namespace nesa::ledger
