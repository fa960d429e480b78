// The private execution engine: runs a compiled model at a privacy level, sending each remote
// linear call to miners as secret shares, verifying every share result, and reporting per call.
#pragma once

#include "model/compiled_model.h"
#include "privacy/ee_key.h"
#include "privacy/keyed_model.h"
#include "privacy/miner_endpoint.h"
#include "util/result.h"

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace nesa::privacy {

/// Who computes what (docs/privacy.md).
enum class PrivacyLevel {
  Local, ///< everything on this computer
  Ee,    ///< one miner per call computes the keyed model's linear ops on transformed data
  Hss,   ///< each call is split into additive shares, one per miner
  HssEe, ///< hss over the keyed model: shares of transformed data
};

/// "local", "ee", "hss" or "hss-ee".
const char *privacyLevelName(PrivacyLevel level);
/// True for the levels that run a keyed model (ee, hss-ee).
bool isKeyed(PrivacyLevel level);
/// True for the levels that split each call into shares (hss, hss-ee).
bool isShared(PrivacyLevel level);
/// Parses a level name.
Result<PrivacyLevel> parsePrivacyLevel(const std::string &name);
/// Parses "f64-masked", "ring64" or "f32".
Result<ShareArithmetic> parseArithmetic(const std::string &name);
/// The arithmetic a level runs with when the user names none: f32 at ee (what `local`
/// computes, half the bytes of float64), f64-masked at the others.
ShareArithmetic defaultArithmetic(PrivacyLevel level);

struct CallReport;

/// Progress after each remote call.
struct RunProgress {
  int callsDone = 0;
  int callsExpected = 0; ///< from the compiled model (or the prepared query); loops may exceed it
  const CallReport *call = nullptr;
};

/// How to run one query.
struct RunOptions {
  PrivacyLevel level = PrivacyLevel::Hss;
  ShareArithmetic arithmetic = ShareArithmetic::F64Masked;
  int miners = 2;    ///< hss levels: shares per remote call (2..8): one masked, the rest seeded
  int maskBits = 20; ///< f64-masked: masks are 2^maskBits × the activation bound (8..40)
  int fracBits = 18; ///< ring64: fixed-point fractional bits (8..22); see docs/privacy.md
  bool verify = true;
  /// ee in f32: one miner runs the keyed model's whole client program in one round trip and
  /// returns every remote call's output, which the client checks as it replays the program;
  /// off (or in f64-masked, or for a model whose program a miner would refuse), one round trip
  /// per remote call.
  bool wholeProgram = true;
  /// The EE key for ee and hss-ee; none: the engine uses a key of its own for its lifetime.
  std::shared_ptr<const EeKey> key;
  std::function<void(const RunProgress &)> onProgress; ///< called on the running thread
  const std::atomic<bool> *cancel = nullptr;           ///< set to true to stop before the next call

  /// Checks the ranges above (the share count only for the hss levels).
  Result<void> validate() const;
  /// Shares of each remote call: `miners` at the hss levels, 1 at ee.
  int sharesPerCall() const { return isShared(level) ? miners : 1; }
};

/// One miner's part in one remote call.
struct MinerWork {
  std::string miner;
  std::string role; ///< "masked share", "seeded share", "transformed input" or "whole program"
  std::uint64_t bytesSent = 0;
  std::uint64_t bytesReceived = 0;
  double ms = 0;            ///< round trip as the client saw it
  bool precomputed = false; ///< done before the query started (seeded shares only)
  bool passed = false;      ///< its result passed verification (or verification was off)
  std::string check;        ///< what the check said
};

/// One remote call: a chain of bundle ops computed on shares.
struct CallReport {
  int call = 0;
  std::vector<std::int64_t> ops;
  std::string kind; ///< "conv2d", "linear", "linear×2" (a fused chain)
  std::vector<MinerWork> miners;
  double ms = 0;   ///< online wall time of the call
  int retries = 0; ///< shares recomputed elsewhere after a failed check or a missing answer
};

/// Proof that a miner returned a wrong result: enough for a jury to recompute and judge.
struct Evidence {
  std::string miner;
  int call = 0;
  std::string role;
  std::string bundleId;
  ShareJob job;            ///< exactly what was sent
  model::TensorData reply; ///< exactly what came back
  std::string jobDigest;   ///< BLAKE2b-256 of the job's share (or seed)
  std::string replyDigest; ///< BLAKE2b-256 of the reply bytes
  double expected = 0;     ///< the check value the client computed ...
  double got = 0;          ///< ... and the one the miner's result gives
  std::string detail;
  std::array<std::uint8_t, 32> minerKey{};       ///< who signed the reply (remote miners)
  std::array<std::uint8_t, 64> minerSignature{}; ///< its signature (SlashEvidence::signedBytes)
};

/// A share job a miner did not answer: enough for a jury to ask that miner for it again.
struct MissedAnswer {
  std::string miner;
  int call = 0;
  std::string role;
  ShareJob job; ///< exactly what was sent
  Error error;  ///< what the client saw (net::isDeadlineMiss tells a missed deadline)
};

/// Everything a user or a dispute may want to know about a run.
struct RunReport {
  PrivacyLevel level = PrivacyLevel::Local;
  ShareArithmetic arithmetic = ShareArithmetic::F64Masked;
  int sharesPerCall = 0;
  std::vector<CallReport> calls;
  std::vector<Evidence> failures;   ///< failed checks, one per dishonest answer
  std::vector<std::string> missing; ///< miners that did not answer (with the reason)
  std::vector<MissedAnswer> missed; ///< the jobs behind `missing`
  double totalMs = 0;
  double precomputeMs = 0; ///< seeded shares computed before the query (0 without prepare)
  std::uint64_t bytesSent = 0;
  std::uint64_t bytesReceived = 0;
  /// Dependent round trips on the query's path: one per call (its shares travel at once) and per
  /// retry, or one for a whole program's job.
  int roundTrips = 0;
  int checksPassed = 0;
  int checksFailed = 0;
  /// A few lines: level, calls, miners, bytes, checks, time.
  std::string summary() const;
  /// Appends the calls, failures and missing miners of a later run of the same query (one
  /// generation step, one document chunk) and adds up its counters and times.
  void add(const RunReport &later);
};

/// The model's output and the report.
struct RunResult {
  model::TensorData output;
  RunReport report;
};

/// Seeded shares computed ahead of a query for one input shape. Single use: a mask must never
/// hide two different inputs.
class PreparedQuery;

/// Runs compiled models over a pool of miners. Keeps per-session secrets (check vectors) for
/// each model it has run. Use from one thread at a time.
class Engine {
public:
  /// `miners` in order of preference; an hss run with n shares needs at least n of them, and
  /// spares are used when a miner fails a check or does not answer.
  explicit Engine(std::vector<std::shared_ptr<MinerEndpoint>> miners);
  ~Engine();
  /// Replaces the pool (for callers that must key a model before they know their miners).
  void setMiners(std::vector<std::shared_ptr<MinerEndpoint>> miners);
  /// The key of runs that bring none: made once per engine, from libsodium randomness.
  Result<std::shared_ptr<const EeKey>> sessionKey();
  Engine(const Engine &) = delete;
  Engine &operator=(const Engine &) = delete;

  /// Precomputes the seeded shares of one hss or hss-ee query on inputs of `inputShape` (the seeded
  /// miners never need the input, so they can work before it exists). Control flow is discovered by
  /// running the client program once on zeros.
  Result<std::shared_ptr<PreparedQuery>> prepare(const model::CompiledModel &model,
                                                 const std::vector<std::int64_t> &inputShape,
                                                 const RunOptions &options);

  /// Runs `model` on `input` (float32 or float64). With `prepared` (from prepare() with the
  /// same options), its seeded shares are used where the calls match. At ee and hss-ee the
  /// model is keyed first (once per model and key) and the input transformed; the output is
  /// un-transformed before it is returned.
  Result<RunResult> run(const model::CompiledModel &model, const model::TensorData &input,
                        const RunOptions &options,
                        const std::shared_ptr<PreparedQuery> &prepared = nullptr);

  /// Runs `body`, a native program (a language model's forward passes), at the ee or hss level
  /// (hss-ee is hss over a bundle the caller keyed): every model::callRemoteLinear it makes on
  /// this thread becomes one remote call on `bundle`, shared, verified and retried like a
  /// compiled model's. Returns the report of all its calls; a failed call ends `body` with
  /// that error. `bundleId` must be `bundle`'s content id. In-process miners hold `bundle`
  /// itself rather than a copy (and with it whatever owns it, until the engine is gone), so it
  /// must not change afterwards; miner services of this process that install `bundleId` hold it
  /// too (model::shareInProcess).
  Result<RunReport> runCalls(std::shared_ptr<const model::LinearBundle> bundle,
                             const std::string &bundleId, const RunOptions &options,
                             const std::function<Result<void>()> &body);

  /// The model keyed with the key in `options` (or the engine's own), derived once per model
  /// and key: its bundle is what the miners of an ee or hss-ee run must be able to fetch.
  Result<KeyedModel> keyedModel(const model::CompiledModel &model, const RunOptions &options,
                                const std::vector<std::int64_t> &inputShape);

  struct State;

private:
  /// run() on an already keyed (or unkeyed) program: ee sends each call unshared.
  Result<RunResult> runProgram(const model::CompiledModel &model, const model::TensorData &input,
                               const RunOptions &options,
                               const std::shared_ptr<PreparedQuery> &prepared);

  std::unique_ptr<State> m_state;
};

} // namespace nesa::privacy
