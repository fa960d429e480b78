// The state of a running miner, shared by the files that implement it: miner_service.cpp
// (start, stop, stats), miner_jobs.cpp (share jobs, bundles, payments, HTTP) and
// miner_chain_link.cpp (an EVM network's contracts). Not a public header.
#pragma once

#include "chain/key_file.h"
#include "miner/chain_payment_desk.h"
#include "miner/job_queue.h"
#include "miner/juror_duties.h"
#include "miner/miner_service.h"
#include "miner/share_codec.h"
#include "model/linear_bundle.h"
#include "net/messages.h"
#include "net/server.h"
#include "privacy/local_miner.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

namespace nesa::miner {

/// Bundle ids are 64 lower-case hex characters; anything else never reaches the file system.
bool isBundleId(const std::string &id);

using Clock = std::chrono::steady_clock;

/// Milliseconds since `start`.
inline double msSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

/// What MinerService::State::install() may skip for a bundle that just arrived: reading its
/// file back when it is already parsed, hashing it again when its bytes were hashed as they came.
struct ArrivedBundle {
  std::shared_ptr<const model::LinearBundle> parsed; ///< none: load the cached file
  bool hashed = false;                               ///< the cached file hashes to the id
};

struct MinerService::State {
  explicit State(MinerOptions opts, net::Identity id)
      : options(std::move(opts)), identity(std::move(id)),
        name("miner-" + net::toHex(identity.publicKey()).substr(0, 8)),
        compute(options.compute ? options.compute : std::make_shared<privacy::LocalMiner>(name)),
        queue({options.maxConcurrentJobs, options.maxQueuedJobs, options.maxQueuedBytes}) {}

  MinerOptions options;
  net::Identity identity;
  std::string name;
  std::string backend;
  std::shared_ptr<privacy::MinerEndpoint> compute;
  JobQueue queue;
  std::unique_ptr<net::Server> server;

  std::atomic<std::uint64_t> served{0}, failed{0}, refused{0}, fees{0};
  std::atomic<double> computeMs{0};
  std::atomic<std::size_t> bundles{0};
  std::atomic<bool> registered{false};
  std::atomic<bool> onChain{false};
  Clock::time_point lastSettle{};
  std::atomic<std::uint64_t> settledTotal{0};
  mutable std::mutex deskMutex;
  std::string lastChainProblem;

  // An EVM network (options.chain): set up by the chain link's thread, in this order.
  std::optional<chain::AccountKey> chainKey; // loaded at start
  std::unique_ptr<chain::ChainConnection> chainConnection;
  std::unique_ptr<chain::Transactor> chainSender; // the chain link's thread only
  std::shared_ptr<ChainPaymentDesk> chainDesk;    // guarded by deskMutex
  std::shared_ptr<JurorDuties> jurorDuties;       // guarded by deskMutex
  std::thread chainLink;

  // Bundle downloads and uploads, one at a time, off the network threads; uploads held while
  // waiting count against the same memory limit as queued jobs.
  JobQueue installs{{1, 16, options.maxQueuedBytes}};
  // Work for peers that pay nothing here — their bundle uploads, disputes they say this miner
  // judges or answers — one at a time, apart from paid jobs and uploads.
  JobQueue unpaidWork{{1, 8, options.unpaidReceiveBytes}};
  // Install requests for a bundle whose install is queued (not yet started) wait for that one.
  struct WaitingInstall {
    bool paid = false;                   // any of them from a paying client
    std::vector<net::Responder> replies; // one per request
  };
  std::mutex waitingInstallsMutex;
  std::map<std::string, WaitingInstall> waitingInstalls; // guarded by waitingInstallsMutex
  std::mutex installMutex;
  struct CachedBundle {
    std::uint64_t bytes = 0;
    std::uint64_t lastUse = 0; // installUse at its last install or use
    bool paid = false;         // installed or used for a paying client
  };
  std::map<std::string, CachedBundle> installedBundles; // guarded by installMutex
  std::uint64_t installedBytes = 0;                     // guarded by installMutex; loading ones too
  std::set<std::string> loadingBundles;                 // guarded by installMutex
  std::uint64_t installUse = 0;                         // guarded by installMutex
  std::mutex linkMutex;
  std::condition_variable linkWake;
  bool stopping = false;
  bool nudged = false; // look at the chain now (a juror's vote to commit)
  std::mutex disputeMutex;
  std::map<std::uint64_t, int> disputedAnswers; // timeout disputes against this miner: answers
  // Bundles clients sent, owed (µNES) with their first paid job for that bundle.
  std::mutex uploadMutex;
  std::map<std::pair<net::PublicKey, std::string>, std::uint64_t> uploadCharges;
  // Bundles arriving in pieces, by sender and bundle id: its file (partialFile) holds the first
  // `received` bytes, and `hasher` has hashed them.
  struct PartialUpload {
    std::uint64_t total = 0;
    std::uint64_t received = 0;
    std::chrono::steady_clock::time_point lastPiece;
    bool paid = false; // from a paying sender
    model::ContentHasher hasher;
  };
  std::mutex piecesMutex;
  std::map<std::pair<net::PublicKey, std::string>, PartialUpload>
      partialUploads; // guarded by piecesMutex
  // Wire keys that showed a payment session on an EVM network, and its client account.
  mutable std::mutex payersMutex;
  std::map<net::PublicKey, chain::Address> payers;

  // ---- miner_jobs.cpp ----
  /// Where bundle `id` is cached.
  std::filesystem::path bundleFile(const std::string &id) const;
  /// Makes `id` ready: already installed, or in the cache folder (clients upload bundles), for
  /// a paying client or not (`paid`). Bundles are evicted to keep within options.maxBundleBytes:
  /// those nobody paid for first (they may hold a quarter of it), then the least recently used.
  Result<void> install(const std::string &id, bool paid, ArrivedBundle arrived = {});
  /// Evicts bundles until `bytes` more fit (installMutex held).
  Result<void> makeRoomFor(const std::string &id, std::uint64_t bytes, bool paid);
  /// Marks bundle `id` as just used, so that it is the last to be evicted.
  void touchBundle(const std::string &id);
  /// What `peer` may send in its next message: by the deposit of the payment session it
  /// showed, or the small allowance of peers without one.
  net::MessageAllowance messageAllowance(const net::Peer &peer) const;
  /// Remembers that wire key `peer` pays with account `client` (a receipt it sent was good).
  void vouchFor(const net::PublicKey &peer, const chain::Address &client);
  /// Whether `peer` counts as paying here: it showed a session, or nobody pays this miner.
  bool paysHere(const net::PublicKey &peer) const;
  /// The account wire key `peer` showed a session with, if any.
  std::optional<chain::Address> payerOf(const net::PublicKey &peer) const;
  /// The largest message any peer may send.
  std::size_t maxMessageBytes() const;
  /// Every message of an authenticated peer.
  void handle(const net::Peer &peer, net::Bytes message, net::Responder respond);
  /// An InstallBundle request: joins a queued install of the same bundle, or queues one, so that
  /// many clients starting the same model take one place in the queue.
  void handleInstall(const net::Peer &peer, const std::string &id, const net::Responder &respond);
  /// One share job from `peer`: payment, queue, compute, signature.
  void handleJob(const net::Peer &peer, net::Bytes message, const net::Responder &respond);
  /// A job's payment: its receipt must be good, or the miner must be free.
  Result<void> checkPayment(const net::PublicKey &client, const PricedJob &job,
                            std::uint64_t payloadBytes);
  /// A job's payment on an EVM network, with any bundle `client` sent for it.
  Result<void> checkChainPayment(const net::PublicKey &client, const PricedJob &job,
                                 std::uint64_t price);
  /// Notes that `client` sent bundle `bundleId` of `bytes` bytes: on an EVM network it owes
  /// the per-byte price for them with its first paid job for that bundle.
  void chargeUpload(const net::PublicKey &client, const std::string &bundleId, std::size_t bytes);
  /// Removes and returns what `client` owes for sending bundle `bundleId` (0: nothing).
  std::uint64_t takeUploadCharge(const net::PublicKey &client, const std::string &bundleId);
  /// The EVM network's receipts desk, once the chain link has connected.
  std::shared_ptr<ChainPaymentDesk> chainPaymentDesk() const;
  /// The juror's votes, once the chain link has connected.
  std::shared_ptr<JurorDuties> jurors() const;
  /// A bundle a client sent: its content must hash to its id before it is parsed.
  Result<void> installUploaded(const std::string &id, std::span<const std::uint8_t> content,
                               bool paid);
  // ---- bundle_pieces.cpp ----
  /// Where bundle `bundleId`, sent in pieces by `sender`, is written until it is whole.
  std::filesystem::path partialFile(const net::PublicKey &sender,
                                    const std::string &bundleId) const;
  /// Room for an upload of `total` bytes starting now (piecesMutex held): idle uploads expire,
  /// a paying sender's displaces strangers'; Busy when there is none.
  Result<void> makeRoomForPartial(std::uint64_t total, bool paid);
  /// One piece of a bundle sent in pieces, in order: appended to its partial file; the last one
  /// has the whole checked against the id and installed. True when the bundle is whole and
  /// installed; an error drops what the sender had sent of it (NotFound: it must start again).
  Result<bool> receivePiece(const net::PublicKey &sender, const net::BundleUpload &piece,
                            bool paid);
  /// Removes partial files a previous run of this miner left behind.
  void clearPartialUploads();

  /// The EVM account as 0x text ("" without one).
  std::string chainAccountText() const;
  /// µNES in valid receipts, on whichever network pays this miner.
  std::uint64_t earnedSoFar() const;
  /// GET /status and /metrics.
  net::HttpResponse http(const std::string &target) const;

  // ---- miner_disputes.cpp ----
  /// A dispute this miner is asked to judge: checked on chain, recomputed (and, for a missed
  /// deadline, the accused asked to answer), the verdict recorded.
  void handleJudge(const net::Peer &peer, net::Bytes message, const net::Responder &respond);
  /// Whether the accused of timeout dispute `dispute` answers `task`'s job within
  /// options.jurorWait, and rightly (this juror's own answer is `mine`).
  /// An error when this juror cannot tell (it then does not vote).
  Result<bool> answersInTime(const chain::DisputeState &dispute, const JudgeRequest &task,
                             const model::TensorData &mine);
  /// A juror asks this miner, accused of a missed deadline, to answer the disputed job now.
  void handleAnswerDisputed(const net::Peer &peer, net::Bytes message,
                            const net::Responder &respond);
  /// The chain names `task` as a job this miner is accused of not answering, still undecided,
  /// and it was not answered too often already.
  Result<void> checkDisputedJob(const DisputedJob &task);
  /// `reply` to `job` signed with the wire key and (on an EVM network) the miner's account.
  TimedReply signedReply(const privacy::ShareJob &job, privacy::ShareReply reply,
                         double queueMs) const;
  /// The miner account's signature over its answer (digest `result`) to the job with digest
  /// `job` in call `call` (empty off-chain).
  chain::Bytes signAnswer(const privacy::Seed &call, const net::Digest &job,
                          const net::Digest &result) const;

  // ---- miner_chain_link.cpp ----
  /// Connects to the EVM network, stakes and registers, and settles receipts until stopped.
  void linkToChain();
  /// Settles every client's newest receipt on the PaymentSessions contract.
  void settleOnChain();
  /// Wakes the chain link now.
  void wakeLink();
  /// Logs `message` as a warning unless it was the last one logged.
  void warnOnce(const std::string &message);
};

} // namespace nesa::miner
