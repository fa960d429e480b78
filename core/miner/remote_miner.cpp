#include "miner/remote_miner.h"

#include "miner/share_codec.h"

#include <algorithm>
#include <thread>

namespace nesa::miner {

void CallAnswers::sent(const privacy::Seed &call, const chain::Address &miner) {
  std::lock_guard lock(m_mutex);
  m_recipients[call].push_back(miner);
}

std::vector<chain::Address> CallAnswers::silent(const privacy::Seed &call) const {
  std::lock_guard lock(m_mutex);
  std::vector<chain::Address> out;
  const auto recipients = m_recipients.find(call);
  if (recipients == m_recipients.end())
    return out;
  const auto answers = m_calls.find(call);
  for (const auto &miner : recipients->second) {
    const bool answered =
        answers != m_calls.end() && std::any_of(answers->second.begin(), answers->second.end(),
                                                [&](const auto &a) { return a.miner == miner; });
    if (!answered && std::find(out.begin(), out.end(), miner) == out.end())
      out.push_back(miner);
  }
  return out;
}

void CallAnswers::add(const privacy::Seed &call, chain::SignedAnswer answer) {
  std::lock_guard lock(m_mutex);
  m_calls[call].push_back(std::move(answer));
}

std::vector<chain::SignedAnswer> CallAnswers::of(const privacy::Seed &call) const {
  std::lock_guard lock(m_mutex);
  const auto it = m_calls.find(call);
  return it == m_calls.end() ? std::vector<chain::SignedAnswer>() : it->second;
}

RemoteMiner::RemoteMiner(const net::Identity &client, net::MinerRecord record,
                         RemoteMinerOptions options)
    : m_client(client), m_record(std::move(record)), m_options(options),
      m_id("miner-" + net::toHex(m_record.identity).substr(0, 8) + "@" + m_record.endpoint) {
  using Compression = RemoteMinerOptions::Compression;
  const auto endpoint = net::parseEndpoint(m_record.endpoint);
  m_compress = options.compression == Compression::Always ||
               (options.compression == Compression::Auto && endpoint &&
                !net::isLoopbackHost(endpoint->host));
}

RemoteMiner::~RemoteMiner() = default;

Result<net::Bytes> RemoteMiner::request(const net::Bytes &message,
                                        std::chrono::milliseconds timeout, bool *overLimit) {
  std::lock_guard lock(m_mutex);
  if (overLimit)
    *overLimit = false;
  for (int attempt = 0; attempt < 2; ++attempt) {
    const bool reused = m_connection && m_connection->isOpen();
    if (!reused) {
      auto endpoint = net::parseEndpoint(m_record.endpoint);
      if (!endpoint)
        return endpoint.error();
      auto opened =
          net::Connection::open(*endpoint, m_client, {m_record.identity, m_options.connectTimeout});
      if (!opened)
        return opened.error();
      m_connection = std::move(*opened);
    }
    auto reply = m_connection->request(message, timeout);
    if (overLimit)
      *overLimit = !reply && m_connection->refusedAsOverLimit();
    // A connection the miner closed while idle fails at once: retry on a fresh one. A timeout
    // or a failure on a fresh connection is the miner's answer.
    if (reply || !reused || net::isDeadlineMiss(reply.error()))
      return reply;
  }
  return fail(ErrorCode::Unavailable, "unreachable");
}

Result<void> RemoteMiner::sendInPieces(const model::LinearBundle &bundle,
                                       const std::string &bundleId, std::uint64_t bundleBytes) {
  using Clock = std::chrono::steady_clock;
  return bundle.writeInPieces(
      m_options.uploadPieceBytes,
      [&](std::uint64_t offset, std::span<const std::uint8_t> piece) -> Result<void> {
        // Each piece has the install's time: a large bundle over a slow link takes longer than
        // one install may.
        const auto deadline = Clock::now() + m_options.installTimeout;
        const auto message = net::encodePublishBundlePiece(bundleId, offset, bundleBytes, piece);
        // A full queue keeps what came before: this piece is asked again, not the bundle.
        for (auto wait = std::chrono::milliseconds(50);;
             wait = std::min(2 * wait, std::chrono::milliseconds(1000))) {
          const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
          auto reply = request(message, std::max(left, std::chrono::milliseconds(1)));
          auto acked = reply ? net::expectAck(*reply) : Result<void>(reply.error());
          if (acked || acked.error().code != ErrorCode::Busy || Clock::now() + wait >= deadline)
            return acked;
          std::this_thread::sleep_for(wait);
        }
      });
}

Result<std::size_t> RemoteMiner::deliverBundle(const model::LinearBundle &bundle,
                                               const std::string &bundleId) {
  using Clock = std::chrono::steady_clock;
  auto deadline = Clock::now() + m_options.installTimeout;
  const auto ask = [&](const net::Bytes &message) -> Result<void> {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
    auto reply = request(message, std::max(left, std::chrono::milliseconds(1)));
    return reply ? net::expectAck(*reply) : Result<void>(reply.error());
  };
  const std::uint64_t bundleBytes = bundle.serializedBytes(); // what a paid miner charges for
  const bool inPieces =
      bundleBytes > std::max<std::uint64_t>(m_options.uploadPieceBytes, net::kSmallestPiecedBundle);
  std::optional<net::Bytes> upload; // serialized once, when the miner first lacks the bundle
  auto pause = std::chrono::milliseconds(50);
  for (int uploads = 0;;) {
    auto done = ask(net::encodeInstallBundle(bundleId));
    if (done)
      return std::size_t{0};
    if (done.error().code == ErrorCode::NotFound) {
      // The miner does not have it: send it (it checks the hash before parsing), in pieces
      // when it is too large for one message.
      if (inPieces) {
        done = sendInPieces(bundle, bundleId, bundleBytes);
      } else {
        if (!upload)
          upload = net::encodePublishBundle(bundleId, bundle.serialize());
        done = ask(*upload);
      }
      if (done)
        return static_cast<std::size_t>(bundleBytes);
      // A miner that lost the pieces before (it restarted, the upload sat idle, or another
      // client's copy of the bundle was being installed when the last piece came) says
      // NotFound: ask whether it holds the bundle now, and send it again from the start when it
      // does not, three uploads at most. The upload may have taken longer than an install may:
      // the new try has the install's time afresh.
      if (inPieces && done.error().code == ErrorCode::NotFound && ++uploads < 3) {
        deadline = Clock::now() + m_options.installTimeout;
        continue;
      }
    }
    // A miner whose queue is full says so at once; installing the model is worth waiting for,
    // so ask again, less and less often, until the deadline — install first: another client
    // may have sent the bundle meanwhile.
    if (done.error().code != ErrorCode::Busy || Clock::now() + pause >= deadline)
      return done.error();
    std::this_thread::sleep_for(pause);
    pause = std::min(2 * pause, std::chrono::milliseconds(1000));
  }
}

Result<void> RemoteMiner::showPaymentSession(std::uint64_t uploadBytes) {
  {
    std::lock_guard lock(m_paymentMutex);
    if (m_sessionShown || !m_options.chainPayer || !m_chainAccount)
      return {};
  }
  std::uint64_t price = 0;
  if (__builtin_mul_overflow(m_record.pricePerByte, uploadBytes, &price) ||
      __builtin_add_overflow(price, m_record.pricePerJob, &price))
    return fail(ErrorCode::InvalidInput, "the bundle's price at this miner overflows");
  auto receipt = chainReceipt(price);
  if (!receipt)
    return receipt.error();
  if (auto shown = sendReceipt(encodeChainReceipt(*receipt), receipt->receipt.amount.low64());
      !shown)
    return shown.error().withContext("showing the miner the payment session");
  std::lock_guard lock(m_paymentMutex);
  m_sessionShown = true;
  return {};
}

Result<void> RemoteMiner::installBundle(const model::LinearBundle &bundle,
                                        const std::string &bundleId) {
  const std::uint64_t uploadBytes =
      m_record.pricePerByte && m_options.chainPayer ? bundle.serializedBytes() : 0;
  if (auto shown = showPaymentSession(uploadBytes); !shown)
    return shown.error();
  auto sent = deliverBundle(bundle, bundleId);
  if (!sent)
    return sent.error();
  // A paid miner charges its per-byte price for the bytes: owed with the next receipt, whatever
  // the answers turn out to be (the miner stored them either way).
  std::uint64_t charge = 0;
  if (*sent && m_options.chainPayer && m_chainAccount &&
      !__builtin_mul_overflow(m_record.pricePerByte, *sent, &charge) && charge) {
    std::lock_guard lock(m_paymentMutex);
    m_verified += charge;
    m_bundleCharges += charge;
  }
  return {};
}

Result<void> RemoteMiner::judge(std::uint64_t dispute, const privacy::ShareJob &job,
                                const model::TensorData *output,
                                const model::LinearBundle &bundle) {
  if (auto delivered = deliverBundle(bundle, job.bundleId); !delivered)
    return delivered.error().withContext("sending the bundle to a juror");
  auto reply = request(encodeJudgeJob(dispute, job, output), m_options.installTimeout);
  if (!reply)
    return reply.error();
  return net::expectAck(*reply);
}

Result<privacy::ShareReply> RemoteMiner::answerDisputed(std::uint64_t dispute,
                                                        const privacy::ShareJob &job,
                                                        const model::LinearBundle &bundle) {
  if (auto delivered = deliverBundle(bundle, job.bundleId); !delivered)
    return delivered.error().withContext("sending the bundle to the accused");
  auto reply = request(encodeAnswerDisputed(dispute, job), m_options.jobTimeout);
  if (!reply)
    return reply.error();
  auto decoded = decodeShareReply(*reply);
  if (!decoded)
    return decoded.error();
  if (!decoded->reply.callOutputs.empty())
    return fail(ErrorCode::InvalidInput, "the answer carries call outputs the job did not ask for");
  if (auto signedByIt =
          checkSigned(decoded->reply, jobDigestOf(job), resultDigestOf(decoded->reply));
      !signedByIt)
    return signedByIt.error();
  return std::move(decoded->reply);
}

Result<void> RemoteMiner::checkSigned(const privacy::ShareReply &reply, const net::Digest &job,
                                      const net::Digest &result) const {
  if (reply.signer != m_record.identity ||
      !net::verifySignature(m_record.identity, net::answerSigningBytes(job, result),
                            reply.signature))
    return fail(ErrorCode::InvalidInput, "the answer is not signed by the miner");
  return {};
}

Result<chain::SignedReceipt> RemoteMiner::chainReceipt(std::uint64_t price) {
  std::uint64_t jobs = 0;
  std::uint64_t verified = 0;
  {
    std::lock_guard lock(m_paymentMutex);
    jobs = m_verifiedJobs;
    verified = m_verified;
  }
  // Open or top up before the miner could refuse: the session must outlast the job and cover
  // this answer on top of the verified ones (and any unchecked one, hence twice the price).
  if (auto ready = m_options.chainPayer->ensureSession(
          *m_chainAccount,
          static_cast<std::uint64_t>(
              std::chrono::ceil<std::chrono::seconds>(m_options.jobTimeout).count()),
          chain::U256(verified + 2 * price));
      !ready)
    return ready.error();
  return m_options.chainPayer->receipt(*m_chainAccount, jobs, chain::U256(verified));
}

Result<privacy::ShareReply> RemoteMiner::compute(const privacy::ShareJob &job) {
  const std::uint64_t payload = job.pricedBytes();
  PricedJob priced{job, m_record.pricePerJob + m_record.pricePerByte * payload, m_options.tip, {}};
  if (m_options.chainPayer && m_chainAccount) {
    // The receipt covers the answers verified so far, never this one: it is paid only once the
    // engine has checked it (reportCheck), so a wrong or missing answer is never paid for.
    auto receipt = chainReceipt(priced.fee + priced.tip);
    if (!receipt)
      return receipt.error();
    priced.chainPayment = *receipt;
  }
  if (m_options.answers && m_chainAccount)
    m_options.answers->sent(job.call, *m_chainAccount);
  priced.compressed = m_compress;
  const auto message = encodeShareJob(priced);
  bool overLimit = false;
  auto reply = request(message, m_options.jobTimeout, &overLimit);
  if (!reply && m_options.chainPayer && m_chainAccount && overLimit) {
    // The miner does not know (any more: it restarted) or under-rates our session: show it
    // afresh, with the deposit made ready for this job, and send the job once more.
    {
      std::lock_guard lock(m_paymentMutex);
      m_sessionShown = false;
    }
    if (auto shown = showPaymentSession(payload); !shown)
      return shown.error();
    reply = request(message, m_options.jobTimeout);
  }
  if (!reply)
    return reply.error();
  // A compressed job is answered compressed: a float32 answer of at most a message's elements,
  // or for a whole program at most kMostProgramAnswerBytes of call outputs.
  const std::uint64_t mostExpanded = !m_compress ? 0
                                     : job.wholeProgram
                                         ? kMostProgramAnswerBytes
                                         : static_cast<std::uint64_t>(kMaxWireElements) * 4;
  auto decoded = decodeShareReply(*reply, mostExpanded);
  if (!decoded)
    return decoded.error();
  // Call outputs answer a whole program only: on any other job they would change the digest
  // the miner signs, and so keep its answer out of a dispute.
  if (!job.wholeProgram && !decoded->reply.callOutputs.empty())
    return fail(ErrorCode::InvalidInput, "the answer carries call outputs the job did not ask for");
  decoded->reply.jobWireBytes = message.size();
  decoded->reply.answerWireBytes = reply->size();
  // Only a signed answer can be held against the miner; an unsigned one is no answer. (The
  // digests hash megabytes of share data: computed once for both signatures.)
  const auto jobDigest = jobDigestOf(job);
  const auto resultDigest = resultDigestOf(decoded->reply);
  if (auto signedByIt = checkSigned(decoded->reply, jobDigest, resultDigest); !signedByIt)
    return signedByIt.error();
  if (m_options.chainPayer && m_chainAccount) {
    // On an EVM network the miner's account signs too: what the Disputes contract checks.
    chain::SignedAnswer answer{*m_chainAccount, jobDigest, resultDigest, decoded->chainSignature};
    const auto &d = m_options.chainPayer->deployment();
    const auto digest =
        chain::answerDigest(job.call, answer.job, answer.result, d.chainId, d.disputes);
    auto signature = chain::Signature::fromRsv(answer.signature);
    auto signer = signature ? chain::recoverSigner(digest, *signature)
                            : Result<chain::Address>(signature.error());
    if (!signer || *signer != *m_chainAccount)
      return fail(ErrorCode::InvalidInput, "the answer is not signed by the miner's account");
    if (m_options.answers)
      m_options.answers->add(job.call, std::move(answer));
  }
  {
    std::lock_guard lock(m_paymentMutex);
    if (priced.chainPayment)
      m_receipted = priced.chainPayment->receipt.amount.low64();
    // On an EVM network the tip is paid inside the receipt's amount like the price.
    m_unchecked = priced.fee + priced.tip;
    m_uncheckedJob = true;
  }
  return std::move(decoded->reply);
}

void RemoteMiner::reportCheck(bool passed) {
  std::lock_guard lock(m_paymentMutex);
  if (passed) {
    m_verified += m_unchecked;
    m_verifiedJobs += m_uncheckedJob ? 1 : 0;
  }
  m_unchecked = 0;
  m_uncheckedJob = false;
}

std::uint64_t RemoteMiner::verifiedAmount() const {
  std::lock_guard lock(m_paymentMutex);
  return m_verified;
}

std::uint64_t RemoteMiner::bundleCharges() const {
  std::lock_guard lock(m_paymentMutex);
  return m_bundleCharges;
}

Result<void> RemoteMiner::finishPayments() {
  if (!m_options.chainPayer || !m_chainAccount)
    return {}; // an unpaid miner
  std::uint64_t jobs = 0;
  std::uint64_t cumulative = 0;
  {
    std::lock_guard lock(m_paymentMutex);
    if (m_verified <= m_receipted)
      return {};
    jobs = m_verifiedJobs;
    cumulative = m_verified;
  }
  auto receipt = m_options.chainPayer->receipt(*m_chainAccount, jobs, chain::U256(cumulative));
  if (!receipt)
    return receipt.error();
  return sendReceipt(encodeChainReceipt(*receipt), cumulative);
}

Result<void> RemoteMiner::sendReceipt(const net::Bytes &message, std::uint64_t cumulative) {
  auto reply = request(message, m_options.jobTimeout);
  if (!reply)
    return reply.error();
  if (auto ack = net::expectAck(*reply); !ack)
    return ack.error();
  std::lock_guard lock(m_paymentMutex);
  m_receipted = std::max(m_receipted, cumulative);
  return {};
}

} // namespace nesa::miner
