// A miner's part in disputes on an EVM network: as a juror it judges the job a reporter sends it
// (recomputing a wrong answer, or asking the accused of a missed deadline to answer now), and as
// the accused of a missed deadline it answers the disputed job for the jurors, unpaid.
#include "chain/miner_directory.h"
#include "miner/internal/miner_state.h"
#include "miner/remote_miner.h"
#include "net/messages.h"
#include "util/log.h"

#include <limits>

namespace nesa::miner {

namespace {

/// How many times the accused answers one disputed job (once per juror is what a jury needs).
constexpr int kMaxAnswersPerDispute = 16;

/// Whether `theirs` is a wrong answer to `job`, given this juror's own answer `mine`: ring64
/// answers are exact; a float64 one may differ from `mine` by what rounding in another order of
/// summation can explain, element by element in proportion to Σ|w|·|x| (never to the answer
/// itself, which an input whose terms cancel makes small). A juror that cannot bound the
/// rounding does not vote.
Result<bool> wrongAnswer(privacy::MinerEndpoint &compute, const privacy::ShareJob &job,
                         const model::TensorData &mine, const model::TensorData &theirs) {
  if (job.arithmetic == privacy::ShareArithmetic::Ring64) // exact digests decide
    return resultDigestOf(mine) != resultDigestOf(theirs);
  if (!privacy::allFinite(mine)) // an input that overflows convicts nobody
    return fail(ErrorCode::InvalidInput, "the job's honest answer is not finite: no verdict");
  auto scale = compute.roundingScale(job);
  if (!scale)
    return scale.error().withContext("judging a float64 answer");
  return privacy::beyondRoundingAllowance(mine, theirs, *scale);
}

} // namespace

TimedReply MinerService::State::signedReply(const privacy::ShareJob &job, privacy::ShareReply reply,
                                            double queueMs) const {
  // Signed, so that a wrong answer can be proven in a dispute (docs/chain.md).
  // The digests hash megabytes of share data: computed once for both signatures.
  const auto jobDigest = jobDigestOf(job);
  const auto resultDigest = resultDigestOf(reply);
  reply.signer = identity.publicKey();
  reply.signature = identity.sign(net::answerSigningBytes(jobDigest, resultDigest));
  // And, on an EVM network, with the miner's account for the Disputes contract.
  auto chainSignature = signAnswer(job.call, jobDigest, resultDigest);
  return {std::move(reply), queueMs, std::move(chainSignature)};
}

void MinerService::State::handleJudge(const net::Peer &peer, net::Bytes message,
                                      const net::Responder &respond) {
  const auto duties = jurors();
  if (!duties)
    return respond(net::encodeError(
        fail(ErrorCode::Unavailable, "this miner is not connected to an EVM network's disputes")));
  auto request = decodeJudgeJob(message);
  if (!request)
    return respond(net::encodeError(request.error()));
  auto task = std::make_shared<JudgeRequest>(std::move(*request));
  // Off the network threads (the checks read the chain), in the queue of work nobody pays for,
  // so that strangers cannot crowd out paid jobs.
  auto queued = unpaidWork.submit(
      0, 0, std::max<std::uint64_t>(message.size(), task->job.pricedBytes()),
      [this, task, duties, respond, sender = peer.identity] {
        // Nothing is computed before the chain confirms this miner sits on that jury and the
        // job (and answer) are the ones reported; a timeout is reported without an answer.
        const chain::Hash32 reportedResult =
            task->accusedOutput ? resultDigestOf(*task->accusedOutput) : chain::Hash32{};
        auto dispute = duties->check(task->dispute, jobDigestOf(task->job), reportedResult);
        if (!dispute)
          return respond(net::encodeError(dispute.error()));
        takeUploadCharge(sender, task->job.bundleId); // sent for this dispute: nobody pays it
        auto recomputed = compute->compute(task->job);
        if (!recomputed)
          return respond(net::encodeError(recomputed.error().withContext("recomputing")));
        Result<bool> verdict = false; // guilty?
        if (task->accusedOutput) {
          verdict = wrongAnswer(*compute, task->job, recomputed->output, *task->accusedOutput);
        } else if (auto answered = answersInTime(*dispute, *task, recomputed->output)) {
          verdict = !*answered;
        } else {
          verdict = answered.error();
        }
        if (!verdict)
          return respond(net::encodeError(verdict.error()));
        const bool guilty = *verdict;
        if (auto recorded = duties->record(task->dispute, guilty); !recorded)
          return respond(net::encodeError(recorded.error()));
        log::info(name + ": juror of dispute " + std::to_string(task->dispute) + ", voting " +
                  (guilty ? "guilty" : "innocent"));
        wakeLink();
        respond(net::encodeAck());
      },
      [respond](const Error &error) { respond(net::encodeError(error)); });
  if (!queued)
    respond(net::encodeError(queued.error()));
}

Result<bool> MinerService::State::answersInTime(const chain::DisputeState &dispute,
                                                const JudgeRequest &task,
                                                const model::TensorData &mine) {
  const std::string accusedName = chain::checksumAddress(dispute.accused);
  const auto silent = [&](const std::string &why) -> Result<bool> {
    log::info(name + ": dispute " + std::to_string(task.dispute) + ": " + accusedName + " " + why);
    return false;
  };
  // What keeps this juror from asking is no evidence against the accused: no vote then.
  const auto cannotAsk = [&](const std::string &why) -> Result<bool> {
    return fail(ErrorCode::Unavailable, "dispute " + std::to_string(task.dispute) +
                                            ": this juror cannot ask " + accusedName + ": " + why);
  };
  auto listed = chain::listMiners(chainConnection->rpc(), chainConnection->contracts());
  if (!listed)
    return cannotAsk("the registry could not be read: " + listed.error().message);
  const auto entry = std::find_if(listed->begin(), listed->end(),
                                  [&](const auto &m) { return m.account == dispute.accused; });
  if (entry == listed->end())
    return silent("is no longer registered, so it cannot answer");
  auto bundle = model::LinearBundle::load(bundleFile(task.job.bundleId), task.job.bundleId);
  if (!bundle)
    return cannotAsk("this juror lacks the bundle (" + bundle.error().message + ")");
  net::MinerRecord record;
  record.identity = entry->listing.wireKey; // pinned: the one it registered
  record.endpoint = entry->listing.endpoint;
  RemoteMinerOptions patience;
  patience.connectTimeout = patience.jobTimeout = patience.installTimeout = options.jurorWait;
  RemoteMiner accused(identity, std::move(record), patience);
  auto answer = accused.answerDisputed(task.dispute, task.job, *bundle);
  if (!answer)
    return silent("did not answer within " + std::to_string(options.jurorWait.count()) +
                  " ms: " + answer.error().message);
  auto wrong = wrongAnswer(*compute, task.job, mine, answer->output);
  if (!wrong)
    return wrong.error(); // it answered; whether rightly cannot be told: no vote
  if (*wrong)
    return silent("answered, but wrongly");
  return true;
}

void MinerService::State::handleAnswerDisputed(const net::Peer &peer, net::Bytes message,
                                               const net::Responder &respond) {
  if (!jurors())
    return respond(net::encodeError(
        fail(ErrorCode::Unavailable, "this miner is not connected to an EVM network's disputes")));
  auto request = decodeAnswerDisputed(message);
  if (!request)
    return respond(net::encodeError(request.error()));
  auto task = std::make_shared<DisputedJob>(std::move(*request));
  // A stake depends on it, but whoever asks is not yet known to be a juror: in the queue of
  // unpaid work, off the network threads (the checks read the chain).
  auto queued = unpaidWork.submit(
      std::numeric_limits<std::uint64_t>::max(), 0,
      std::max<std::uint64_t>(message.size(), task->job.pricedBytes()),
      [this, task, respond, sender = peer.identity] {
        if (auto allowed = checkDisputedJob(*task); !allowed)
          return respond(net::encodeError(allowed.error()));
        takeUploadCharge(sender, task->job.bundleId); // sent by a juror: nobody pays it
        if (auto ready = install(task->job.bundleId, false); !ready)
          return respond(net::encodeError(ready.error()));
        const auto start = Clock::now();
        auto reply = compute->compute(task->job);
        computeMs = computeMs + msSince(start);
        if (!reply)
          return respond(net::encodeError(reply.error()));
        log::info(name + ": answered the job of timeout dispute " + std::to_string(task->dispute));
        respond(encodeShareReply(signedReply(task->job, std::move(*reply), 0)));
      },
      [respond](const Error &error) { respond(net::encodeError(error)); });
  if (!queued)
    respond(net::encodeError(queued.error()));
}

Result<void> MinerService::State::checkDisputedJob(const DisputedJob &task) {
  const auto refuse = [&](const std::string &why) {
    return fail(ErrorCode::InvalidInput, "dispute " + std::to_string(task.dispute) + ": " + why);
  };
  auto d = chain::readDispute(chainConnection->rpc(), chainConnection->contracts().disputes,
                              task.dispute);
  if (!d)
    return d.error();
  if (d->kind != chain::kTimeout || d->accused != chainKey->address())
    return refuse("not a missed deadline this miner is accused of");
  if (d->finalized)
    return refuse("already decided");
  if (d->job != jobDigestOf(task.job))
    return refuse("the job sent is not the one reported");
  std::lock_guard lock(disputeMutex);
  if (++disputedAnswers[task.dispute] > kMaxAnswersPerDispute)
    return refuse("its job was already answered " + std::to_string(kMaxAnswersPerDispute) +
                  " times");
  return {};
}

} // namespace nesa::miner
