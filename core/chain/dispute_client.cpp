#include "chain/dispute_client.h"

#include "chain/keccak.h"

#include <thread>

namespace nesa::chain {

using V = abi::Value;

namespace {

Result<Hash32> hashOf(const V &value) {
  auto bytes = value.asBytes();
  if (!bytes || bytes->size() != 32)
    return fail(ErrorCode::Corrupt, "Disputes.dispute answered a digest that is not 32 bytes");
  Hash32 out{};
  std::copy(bytes->begin(), bytes->end(), out.begin());
  return out;
}

} // namespace

Result<DisputeState> readDispute(RpcClient &rpc, const Contract &disputes, std::uint64_t id) {
  auto values = disputes.call(rpc, "dispute", {V::uint(id)});
  if (!values)
    return values.error();
  auto fields = values->size() == 1 ? (*values)[0].asList()
                                    : Result<std::vector<V>>(fail(ErrorCode::Corrupt, "no tuple"));
  if (!fields || fields->size() != 13)
    return fail(ErrorCode::Corrupt, "Disputes.dispute answered an unexpected record");
  const auto &f = *fields;
  DisputeState d;
  auto reporter = f[0].asAddress(), accused = f[1].asAddress();
  auto job = hashOf(f[3]), result = hashOf(f[4]);
  auto jurors = f[10].asList();
  if (!reporter || !accused || !job || !result || !jurors)
    return fail(ErrorCode::Corrupt, "Disputes.dispute answered an unreadable record");
  d.reporter = *reporter;
  d.accused = *accused;
  d.kind = static_cast<int>(f[2].asUint()->low64());
  d.job = *job;
  d.result = *result;
  d.bond = *f[5].asUint();
  d.commitEnd = f[6].asUint()->low64();
  d.revealEnd = f[7].asUint()->low64();
  d.finalized = *f[8].asBool();
  d.guilty = *f[9].asBool();
  for (const auto &juror : *jurors)
    d.jurors.push_back(*juror.asAddress());
  return d;
}

namespace {

/// Files a report of `kind` (0: a wrong answer, 1: a timeout) after approving the bond.
Result<std::uint64_t> fileReport(Transactor &reporter, const NesaContracts &c, int kind,
                                 const Hash32 &call, const SignedAnswer &accused,
                                 const std::vector<SignedAnswer> &callMiners) {
  RpcClient &rpc = reporter.rpc();
  auto bond = c.parameters.call(rpc, "reportBond");
  if (!bond)
    return bond.error();
  if (auto approved =
          c.token.send(reporter, "approve", {V::address(c.disputes.address()), (*bond)[0]});
      !approved)
    return approved.error().withContext("approving the report bond");
  std::vector<V> others;
  for (const auto &m : callMiners)
    others.push_back(
        V::list({V::address(m.miner), V::bytes(std::span<const std::uint8_t>(m.job)),
                 V::bytes(std::span<const std::uint8_t>(m.result)), V::bytes(m.signature)}));
  auto sent = c.disputes.send(reporter, "report",
                              {V::address(accused.miner), V::uint(static_cast<std::uint64_t>(kind)),
                               V::bytes(std::span<const std::uint8_t>(call)),
                               V::bytes(std::span<const std::uint8_t>(accused.job)),
                               V::bytes(std::span<const std::uint8_t>(accused.result)),
                               V::bytes(accused.signature), V::list(std::move(others))});
  if (!sent)
    return sent.error().withContext("reporting " + checksumAddress(accused.miner));
  const auto topic = c.disputes.eventTopic("Reported");
  for (const auto &log : sent->receipt.logs)
    if (topic && log.address == c.disputes.address() && log.topics.size() > 1 &&
        log.topics[0] == *topic)
      return U256::fromBigEndian(log.topics[1])->low64();
  return fail(ErrorCode::Corrupt, "the report's transaction has no Reported event");
}

} // namespace

Result<std::uint64_t> fileWrongAnswer(Transactor &reporter, const NesaContracts &c,
                                      const Hash32 &call, const SignedAnswer &accused,
                                      const std::vector<SignedAnswer> &callMiners) {
  return fileReport(reporter, c, kWrongAnswer, call, accused, callMiners);
}

Result<std::uint64_t> fileTimeout(Transactor &reporter, const NesaContracts &c, const Hash32 &call,
                                  const Address &accused, const Hash32 &job,
                                  const std::vector<SignedAnswer> &callMiners) {
  return fileReport(reporter, c, kTimeout, call, SignedAnswer{accused, job, {}, {}}, callMiners);
}

Result<DisputeState> drawCommittee(Transactor &sender, const NesaContracts &c, std::uint64_t id,
                                   bool mineBlocks, std::chrono::milliseconds timeout) {
  RpcClient &rpc = sender.rpc();
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    auto drawn = c.disputes.send(sender, "draw", {V::uint(id)});
    if (drawn)
      break;
    if (drawn.error().message.find("NotYetDrawable") == std::string::npos)
      return drawn.error().withContext("drawing the jury of dispute " + std::to_string(id));
    if (std::chrono::steady_clock::now() > deadline)
      return fail(ErrorCode::Unavailable,
                  "the block that draws dispute " + std::to_string(id) + "'s jury did not come");
    if (mineBlocks) {
      if (auto mined = rpc.call("evm_mine", nlohmann::json::array()); !mined)
        return mined.error();
    } else {
      std::this_thread::sleep_for(std::chrono::seconds(1));
    }
  }
  return readDispute(rpc, c.disputes, id);
}

Hash32 voteCommitment(std::uint64_t id, const Address &juror, bool guilty, const Hash32 &salt) {
  auto encoded = abi::encode(*abi::parseTypeList("uint256,address,bool,bytes32"),
                             {V::uint(id), V::address(juror), V::boolean(guilty),
                              V::bytes(std::span<const std::uint8_t>(salt))});
  return keccak256(*encoded);
}

} // namespace nesa::chain
