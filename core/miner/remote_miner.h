// The engine's endpoint for a miner in another process or on another machine: share jobs go
// over an authenticated, encrypted connection, pinned to the identity the registry lists.
#pragma once

#include "chain/dispute_client.h"
#include "chain/session_payer.h"
#include "net/connection.h"
#include "net/messages.h"
#include "net/share_digest.h"
#include "privacy/miner_endpoint.h"

#include <chrono>
#include <map>
#include <memory>
#include <mutex>

namespace nesa::miner {

/// The signed answers of every remote call of a run, kept by the client on an EVM network so
/// that a wrong one can be reported together with the call's other miners (kept off the jury).
/// Thread-safe.
class CallAnswers {
public:
  /// Notes that `miner` is being sent a share of `call` (before it is sent).
  void sent(const privacy::Seed &call, const chain::Address &miner);
  void add(const privacy::Seed &call, chain::SignedAnswer answer);
  /// Every answer signed in `call`, in arrival order.
  std::vector<chain::SignedAnswer> of(const privacy::Seed &call) const;
  /// The miners that were sent a share of `call` and never returned a signed answer to it:
  /// they hold a share but cannot be proven to be of the call, so a dispute could draw them.
  std::vector<chain::Address> silent(const privacy::Seed &call) const;

private:
  mutable std::mutex m_mutex;
  std::map<privacy::Seed, std::vector<chain::SignedAnswer>> m_calls;
  std::map<privacy::Seed, std::vector<chain::Address>> m_recipients;
};

/// Deadlines and what the client offers per job.
struct RemoteMinerOptions {
  std::chrono::milliseconds connectTimeout{5'000};
  std::chrono::milliseconds jobTimeout{60'000}; ///< a stalled miner is given up after this
  /// A bundle's delivery and load; for a bundle sent in pieces, each piece's.
  std::chrono::milliseconds installTimeout{180'000};
  /// Bundles larger than this (and than net::kSmallestPiecedBundle) are sent in pieces of this
  /// size, one a message.
  std::size_t uploadPieceBytes = 16u << 20;
  /// Float32 shares (the activations of ee calls) and their answers travel zstd-compressed
  /// (docs/network.md): Auto does so for miners not on this computer, where bandwidth costs more
  /// than the compression's CPU time.
  enum class Compression { Auto, Always, Never };
  Compression compression = Compression::Auto;
  std::uint64_t tip = 0;
  /// Pays the miner per verified answer on an EVM network (the miner's account:
  /// RemoteMiner::setChainAccount); none: unpaid jobs.
  std::shared_ptr<chain::SessionPayer> chainPayer;
  /// With chainPayer: where the miners' signed answers are kept for disputes.
  std::shared_ptr<CallAnswers> answers;
};

/// A miner reached over the network. Thread-safe; connects lazily and reconnects once after a
/// dropped connection (share jobs are pure functions of their input, so resending one is safe).
class RemoteMiner : public privacy::MinerEndpoint {
public:
  /// `client` (the caller's identity) must outlive this object.
  RemoteMiner(const net::Identity &client, net::MinerRecord record, RemoteMinerOptions options);
  ~RemoteMiner() override;

  const std::string &id() const override { return m_id; }
  /// Makes the miner ready for `bundleId`: it has it already, or is sent its bytes (it checks
  /// that they hash to the id before parsing them); a paid miner is owed its per-byte price for
  /// them, paid with the next receipt.
  Result<void> installBundle(const model::LinearBundle &bundle,
                             const std::string &bundleId) override;
  Result<privacy::ShareReply> compute(const privacy::ShareJob &job) override;
  /// Pays for the last answer when it passed verification (pay-after-verify).
  void reportCheck(bool passed) override;
  /// Sends the receipt for every verified answer not yet covered by one (call after a query).
  Result<void> finishPayments();
  /// micro-NES owed for answers that passed verification and for bundles sent.
  std::uint64_t verifiedAmount() const;
  /// The part of verifiedAmount() owed for bundle bytes sent.
  std::uint64_t bundleCharges() const;
  const net::MinerRecord &record() const { return m_record; }
  /// Asks this miner, a juror of dispute `dispute`, to judge `job` (whose bundle it is sent
  /// first when it lacks it): the accused answered `output`, or with none, missed its deadline.
  /// The juror checks everything on chain.
  Result<void> judge(std::uint64_t dispute, const privacy::ShareJob &job,
                     const model::TensorData *output, const model::LinearBundle &bundle);
  /// Asks this miner, accused in timeout dispute `dispute`, to answer `job` now (sending it
  /// `bundle` first when it lacks it); the answer must be signed by its pinned wire key.
  Result<privacy::ShareReply> answerDisputed(std::uint64_t dispute, const privacy::ShareJob &job,
                                             const model::LinearBundle &bundle);
  /// The miner's EVM account, which chainPayer pays.
  void setChainAccount(const chain::Address &account) { m_chainAccount = account; }
  const std::optional<chain::Address> &chainAccount() const { return m_chainAccount; }

private:
  /// Sends `message` on the connection (opened again when the miner closed it while idle);
  /// `overLimit`, when given, says whether a failure was the miner refusing it as over its limit
  /// for this client.
  Result<net::Bytes> request(const net::Bytes &message, std::chrono::milliseconds timeout,
                             bool *overLimit = nullptr);
  /// installBundle without a charge (a juror's or an accused's copy); returns the bytes sent
  /// (0 when the miner had it). While the miner answers Busy it asks again, the pause doubling
  /// from 50 ms to 1 s, until installTimeout has passed (counted afresh after an upload in
  /// pieces the miner lost).
  Result<std::size_t> deliverBundle(const model::LinearBundle &bundle, const std::string &bundleId);
  /// Sends a bundle too large for one message in pieces, once (deliverBundle's upload; it
  /// starts again when the miner lost the pieces, after asking whether it holds the bundle).
  Result<void> sendInPieces(const model::LinearBundle &bundle, const std::string &bundleId,
                            std::uint64_t bundleBytes);
  /// Only an answer signed by the pinned wire key can be held against the miner.
  Result<void> checkSigned(const privacy::ShareReply &reply, const net::Digest &job,
                           const net::Digest &result) const;
  /// The EVM receipt for the answers verified so far, with the session made ready for a job
  /// costing `price`.
  Result<chain::SignedReceipt> chainReceipt(std::uint64_t price);
  /// Sends a receipt message on its own and notes that `cumulative` is covered.
  Result<void> sendReceipt(const net::Bytes &message, std::uint64_t cumulative);
  /// On an EVM network, shows the miner this client's payment session (its current receipt),
  /// once, with the deposit made ready for `uploadBytes` of bundle and a job: until then the
  /// miner takes only small messages from this client and no bundles.
  Result<void> showPaymentSession(std::uint64_t uploadBytes);

  const net::Identity &m_client;
  net::MinerRecord m_record;
  RemoteMinerOptions m_options;
  bool m_compress = false; ///< from options.compression and the miner's address
  std::string m_id;
  std::mutex m_mutex;
  std::unique_ptr<net::Connection> m_connection;
  mutable std::mutex m_paymentMutex;
  std::uint64_t m_verified = 0;      ///< owed for answers that passed their check and bundles sent
  std::uint64_t m_bundleCharges = 0; ///< the bundles' part of m_verified
  std::uint64_t m_unchecked = 0;     ///< the price of the last answer, until it is checked
  std::uint64_t m_receipted = 0;     ///< covered by the last receipt sent
  std::uint64_t m_verifiedJobs = 0;
  bool m_uncheckedJob = false;
  bool m_sessionShown = false; ///< guarded by m_paymentMutex
  std::optional<chain::Address> m_chainAccount;
};

} // namespace nesa::miner
