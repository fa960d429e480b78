// Share jobs and their answers on the wire (the ShareJobRequest/ShareJobReply messages).
#pragma once

#include "chain/signed_messages.h"
#include "net/secure_channel.h"
#include "net/share_digest.h"
#include "privacy/share_job.h"
#include "util/result.h"

#include <span>

namespace nesa::miner {

/// A share job with what the client pays for it.
struct PricedJob {
  privacy::ShareJob job;
  std::uint64_t fee = 0; ///< micro-NES offered
  std::uint64_t tip = 0; ///< raises priority in the miner's queue
  /// Paid miners of an EVM network: the client's signed receipt for the answers before this one.
  std::optional<chain::SignedReceipt> chainPayment;
  /// Encoding: send a float32 share zstd-compressed (when that gains a tenth); decoded: it came
  /// so, and the answer goes back the same way.
  bool compressed = false;
};

/// A miner's answer with the time the job waited in its queue.
struct TimedReply {
  privacy::ShareReply reply;
  double queueMs = 0;
  /// EVM networks: the miner account's signature over the Disputes contract's answer digest.
  chain::Bytes chainSignature;
  /// Encoding: send a float32 answer zstd-compressed (when that gains a tenth); decoded: it came
  /// so.
  bool compressed = false;
};

/// A juror's task in a dispute on an EVM network.
struct JudgeRequest {
  std::uint64_t dispute = 0; ///< its id on the Disputes contract
  privacy::ShareJob job;     ///< the accused's job, exactly as it was sent
  /// The answer the accused signed; none when it is accused of not answering.
  std::optional<model::TensorData> accusedOutput;
};

/// A juror's request to the accused of a timeout dispute: answer the disputed job now.
struct DisputedJob {
  std::uint64_t dispute = 0;
  privacy::ShareJob job;
};

/// Largest tensor a share message may carry, in elements.
inline constexpr std::int64_t kMaxWireElements = std::int64_t{1} << 28;
/// Most bytes the compressed call outputs of one whole program's answer may expand to (as much
/// as one compressed share may).
inline constexpr std::uint64_t kMostProgramAnswerBytes = std::uint64_t{1} << 30;

net::Bytes encodeShareJob(const PricedJob &job);
/// Decodes a verified ShareJob frame; refuses inconsistent tensors (shape vs bytes, dtype) and
/// a compressed share that would expand to more than `maxBytes` (0: refuses any compressed
/// one) or to more than 256 times its frame.
Result<PricedJob> decodeShareJob(std::span<const std::uint8_t> frame, std::uint64_t maxBytes);

/// An EVM network's receipt sent on its own.
net::Bytes encodeChainReceipt(const chain::SignedReceipt &receipt);
/// The EVM receipt of a verified PaymentReceipt frame; nullopt when it carries none.
Result<std::optional<chain::SignedReceipt>> decodeChainReceipt(std::span<const std::uint8_t> frame);

/// Asks a juror to judge dispute `dispute` about `job`: the accused answered `output`, or, with
/// none, did not answer.
net::Bytes encodeJudgeJob(std::uint64_t dispute, const privacy::ShareJob &job,
                          const model::TensorData *output);
/// Decodes a verified JudgeJob frame (its inner job is verified and decoded too).
Result<JudgeRequest> decodeJudgeJob(std::span<const std::uint8_t> frame);

/// Asks the accused of timeout dispute `dispute` to answer `job`, the disputed job.
net::Bytes encodeAnswerDisputed(std::uint64_t dispute, const privacy::ShareJob &job);
/// Decodes a verified AnswerDisputed frame (its inner job is verified and decoded too).
Result<DisputedJob> decodeAnswerDisputed(std::span<const std::uint8_t> frame);

net::Bytes encodeShareReply(const TimedReply &reply);
/// Decodes a miner's answer: a ShareReply, or the Error it sent, or why the frame is unusable
/// (a compressed answer is bounded as decodeShareJob's share is; 0: only plain answers).
Result<TimedReply> decodeShareReply(std::span<const std::uint8_t> frame,
                                    std::uint64_t maxBytes = 0);

/// The digests a miner signs: of the job's defining fields, and of a result tensor.
net::Digest jobDigestOf(const privacy::ShareJob &job);
net::Digest resultDigestOf(const model::TensorData &output);
/// The digest a miner signs for `reply`: of its output, or for a whole program's answer of the
/// output and every call's output (net::programResultDigest).
net::Digest resultDigestOf(const privacy::ShareReply &reply);

} // namespace nesa::miner
