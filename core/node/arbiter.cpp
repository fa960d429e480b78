#include "node/arbiter.h"

#include "ledger/payloads.h"
#include "net/connection.h"
#include "net/internal/wire.h"
#include "net/share_digest.h"
#include "util/log.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace nesa::node {

namespace {

using namespace std::chrono_literals;

// Whether two results of the same job are the same answer: identical for field elements,
// equal to rounding for floating point (honest miners differ only in summation order).
bool sameAnswer(const net::TensorView &a, const net::TensorView &b) {
  if (a.dtype != b.dtype ||
      !std::equal(a.shape.begin(), a.shape.end(), b.shape.begin(), b.shape.end()) ||
      a.data.size() != b.data.size())
    return false;
  if (a.dtype == 3) // i64: ring64 field elements, exact
    return std::memcmp(a.data.data(), b.data.data(), a.data.size()) == 0;
  if (a.dtype != 2) // only f64 and i64 results exist
    return false;
  const std::size_t n = a.data.size() / 8;
  double worst = 0, scale = 1;
  for (std::size_t i = 0; i < n; ++i) {
    double x, y;
    std::memcpy(&x, a.data.data() + 8 * i, 8);
    std::memcpy(&y, b.data.data() + 8 * i, 8);
    if (!std::isfinite(x) || !std::isfinite(y))
      return false;
    worst = std::max(worst, std::abs(x - y));
    scale = std::max(scale, std::abs(y));
  }
  // Honest float64 results differ only by summation order, ~1e-13 of their magnitude; a slash
  // needs a difference a hundred times that, so rounding can never get a miner slashed.
  return worst <= 1e-11 * scale;
}

// Asks `miner` to compute `jobFrame` (installing its bundle first); the answer frame.
Result<net::Bytes> recompute(const net::MinerRecord &miner, const net::Identity &identity,
                             const std::string &bundleId, std::span<const std::uint8_t> jobFrame) {
  auto endpoint = net::parseEndpoint(miner.announcement.endpoint);
  if (!endpoint)
    return endpoint.error();
  auto connection = net::Connection::open(*endpoint, identity, {miner.identity});
  if (!connection)
    return connection.error();
  auto installed = (*connection)->request(net::encodeInstallBundle(bundleId), 180s);
  if (!installed)
    return installed.error();
  if (auto ack = net::expectAck(*installed); !ack)
    return ack.error();
  auto reply = (*connection)->request(jobFrame, 120s);
  if (!reply)
    return reply.error();
  if (auto answer = net::expectMessage(*reply, net::MessageKind::ShareReply); !answer)
    return answer.error();
  return std::move(*reply);
}

template <std::size_t N>
bool copyExact(const flatbuffers::Vector<std::uint8_t> *from, std::array<std::uint8_t, N> &to) {
  if (!from || from->size() != N)
    return false;
  std::memcpy(to.data(), from->data(), N);
  return true;
}

} // namespace

Arbiter::Arbiter(const net::Identity &identity, std::shared_ptr<ledger::Ledger> ledger,
                 std::function<std::vector<net::MinerRecord>()> miners)
    : m_identity(identity), m_ledger(std::move(ledger)), m_miners(std::move(miners)) {}

Result<ledger::Hash> Arbiter::probe(const net::PublicKey &miner) {
  auto registered = m_ledger->miners();
  if (!registered)
    return registered.error();
  const auto account = ledger::keyHashOf(miner);
  const auto it = std::find_if(registered->begin(), registered->end(),
                               [&](const auto &m) { return m.account == account; });
  if (it == registered->end())
    return fail(ErrorCode::NotFound, "no such registered miner");
  bool answered = false;
  if (auto endpoint = net::parseEndpoint(it->record.offer.endpoint)) {
    auto connection = net::Connection::open(*endpoint, m_identity, {miner, 5s});
    // Any answer counts, even a refusal: the question is whether the miner is there.
    answered = connection &&
               (*connection)->request(net::encodeInstallBundle(std::string(64, '0')), 10s).ok();
  }
  if (answered)
    return fail(ErrorCode::InvalidInput, "the miner answers the arbiter; nothing is recorded");
  auto tx =
      ledger::prepareTransaction(*m_ledger, ledger::TxKind::ReportTimeout, m_identity.publicKey(),
                                 0, {}, std::vector<std::uint8_t>(miner.begin(), miner.end()));
  if (!tx)
    return tx.error();
  tx->signWith(m_identity.secretKey());
  auto id = m_ledger->submit(*tx);
  if (id)
    log::info("arbiter: miner " + net::toHex(miner).substr(0, 8) +
              " does not answer; its missed deadline is recorded");
  return id;
}

Result<ledger::Hash> Arbiter::judge(std::span<const std::uint8_t> report) {
  const auto *body = net::messageOf(report)->body_as_ReportEvidence();
  ledger::SlashEvidence evidence;
  if (!body->job() || !body->output() || !copyExact(body->signer(), evidence.minerKey) ||
      !copyExact(body->signature(), evidence.minerSignature) ||
      !copyExact(body->reporter(), evidence.reporter))
    return fail(ErrorCode::InvalidInput, "an incomplete report");
  const std::span<const std::uint8_t> jobFrame(body->job()->data(), body->job()->size());
  if (auto kind = net::verifyMessage(jobFrame); !kind || *kind != net::MessageKind::ShareJob)
    return fail(ErrorCode::InvalidInput, "the report does not hold a share job");
  const auto job = net::shareJobViewOf(jobFrame);
  const net::TensorView accused{
      static_cast<std::uint8_t>(body->output()->dtype()),
      body->output()->shape() ? std::span<const std::int64_t>(body->output()->shape()->data(),
                                                              body->output()->shape()->size())
                              : std::span<const std::int64_t>(),
      body->output()->data() ? std::span<const std::uint8_t>(body->output()->data()->data(),
                                                             body->output()->data()->size())
                             : std::span<const std::uint8_t>()};
  evidence.jobDigest = net::shareJobDigest(job);
  evidence.resultDigest = net::tensorDigest(accused);
  const auto signedBytes =
      ledger::SlashEvidence::signedBytes(evidence.jobDigest, evidence.resultDigest);
  if (!net::verifySignature(evidence.minerKey, signedBytes, evidence.minerSignature))
    return fail(ErrorCode::InvalidInput,
                "the answer in the report is not signed by the accused miner");

  // Up to two other miners recompute; they must agree with each other.
  std::vector<net::Bytes> answers;
  for (const auto &miner : m_miners()) {
    if (miner.identity == evidence.minerKey || answers.size() == 2)
      continue;
    auto answer = recompute(miner, m_identity, std::string(job.bundleId), jobFrame);
    if (answer)
      answers.push_back(std::move(*answer));
    else
      log::warn("arbiter: miner " + miner.announcement.endpoint +
                " could not recompute: " + answer.error().message);
  }
  if (answers.empty())
    return fail(ErrorCode::Unavailable, "no other miner could recompute the job");
  const auto reference = net::shareReplyOutputOf(answers.front());
  for (const auto &answer : answers) {
    const auto output = net::shareReplyOutputOf(answer);
    if (!reference || !output || !sameAnswer(*output, *reference))
      return fail(ErrorCode::Unavailable,
                  "the recomputations disagree with each other; nobody is slashed");
  }
  if (sameAnswer(accused, *reference))
    return fail(ErrorCode::InvalidInput,
                "the recomputation agrees with the accused miner; nobody is slashed");

  auto tx = ledger::prepareTransaction(*m_ledger, ledger::TxKind::Slash, m_identity.publicKey(), 0,
                                       {}, evidence.encode());
  if (!tx)
    return tx.error();
  tx->signWith(m_identity.secretKey());
  auto id = m_ledger->submit(*tx);
  if (!id)
    return id.error().withContext("slashing");
  log::info("arbiter: miner " + net::toHex(evidence.minerKey).substr(0, 8) +
            " answered a share job wrongly (" + std::to_string(answers.size()) +
            " miners recomputed it); slashed");
  return *id;
}

} // namespace nesa::node
