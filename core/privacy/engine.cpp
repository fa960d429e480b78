#include "privacy/engine.h"

#include "model/internal/compiled_model_impl.h"
#include "model/internal/remote_call.h"
#include "model/internal/tensor_convert.h"
#include "privacy/internal/chain_check.h"
#include "privacy/internal/client_program.h"
#include "privacy/internal/field_check.h"
#include "privacy/internal/keyed_model_impl.h"
#include "privacy/internal/share_kernels.h"

#include <ATen/ATen.h>
#include <torch/script.h>

#include <chrono>
#include <cmath>
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>

namespace nesa::privacy {

using Clock = std::chrono::steady_clock;

namespace {

double msSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

std::string digest(const std::vector<std::uint8_t> &bytes) { return model::contentId(bytes); }

std::string digestOf(const ShareJob &job) {
  if (job.input)
    return digest(job.input->bytes);
  return digest(std::vector<std::uint8_t>(job.seed.begin(), job.seed.end()));
}

std::string chainKind(const std::vector<std::int64_t> &ops, const model::LinearBundle &bundle) {
  std::string kind = model::linearKindName(bundle.ops[static_cast<std::size_t>(ops.front())].kind);
  if (ops.size() > 1)
    kind += "×" + std::to_string(ops.size());
  return kind;
}

// The check of one result: its element type, then `check` (none: not checked). A result whose
// shape makes the check impossible fails it.
CheckOutcome checkResult(const ShareCheck *check, const at::Tensor &input,
                         const model::TensorData &result, model::DType expected, bool withBias,
                         double inputBound) {
  if (result.dtype != expected)
    return {false, 0, 0, "failed: the result has the wrong element type"};
  if (!check)
    return {true, 0, 0, "not checked"};
  try {
    return check->check(input, model::viewOf(result), withBias, inputBound);
  } catch (const c10::Error &e) {
    return {false, 0, 0,
            std::string("failed: the result cannot be checked: ") + e.what_without_backtrace()};
  }
}

// Marks an error raised inside the TorchScript interpreter so run() can return our message.
[[noreturn]] void abortRun(std::optional<Error> &slot, Error error) {
  const std::string message = error.message;
  if (!slot)
    slot = std::move(error);
  TORCH_CHECK(false, message);
}

} // namespace

// ---- names and options ----

const char *privacyLevelName(PrivacyLevel level) {
  switch (level) {
  case PrivacyLevel::Local: return "local";
  case PrivacyLevel::Ee: return "ee";
  case PrivacyLevel::Hss: return "hss";
  case PrivacyLevel::HssEe: return "hss-ee";
  }
  return "?";
}

bool isKeyed(PrivacyLevel level) {
  return level == PrivacyLevel::Ee || level == PrivacyLevel::HssEe;
}
bool isShared(PrivacyLevel level) {
  return level == PrivacyLevel::Hss || level == PrivacyLevel::HssEe;
}

Result<PrivacyLevel> parsePrivacyLevel(const std::string &name) {
  if (name == "local")
    return PrivacyLevel::Local;
  if (name == "hss")
    return PrivacyLevel::Hss;
  if (name == "ee")
    return PrivacyLevel::Ee;
  if (name == "hss-ee")
    return PrivacyLevel::HssEe;
  return fail(ErrorCode::InvalidInput,
              "unknown privacy level '" + name + "' (use local, ee, hss or hss-ee)");
}

Result<ShareArithmetic> parseArithmetic(const std::string &name) {
  if (name == "f64-masked")
    return ShareArithmetic::F64Masked;
  if (name == "ring64")
    return ShareArithmetic::Ring64;
  if (name == "f32")
    return ShareArithmetic::F32;
  return fail(ErrorCode::InvalidInput,
              "unknown share arithmetic '" + name + "' (use f64-masked, ring64 or f32)");
}

ShareArithmetic defaultArithmetic(PrivacyLevel level) {
  return level == PrivacyLevel::Ee ? ShareArithmetic::F32 : ShareArithmetic::F64Masked;
}

Result<void> RunOptions::validate() const {
  if (isShared(level) && (miners < 2 || miners > 8))
    return fail(ErrorCode::InvalidInput, "an hss run needs between 2 and 8 miners per call");
  if (maskBits < 8 || maskBits > 40)
    return fail(ErrorCode::InvalidInput, "maskBits must be between 8 and 40");
  if (fracBits < 8 || fracBits > 22)
    return fail(ErrorCode::InvalidInput, "fracBits must be between 8 and 22");
  if (isShared(level) && arithmetic == ShareArithmetic::F32)
    return fail(ErrorCode::InvalidInput,
                "f32 calls carry no masks, so they cannot be shared: use f64-masked or ring64 at " +
                    std::string(privacyLevelName(level)));
  return {};
}

void RunReport::add(const RunReport &later) {
  level = later.level;
  arithmetic = later.arithmetic;
  sharesPerCall = later.sharesPerCall;
  const int offset = static_cast<int>(calls.size());
  for (auto call : later.calls) {
    call.call += offset;
    calls.push_back(std::move(call));
  }
  failures.insert(failures.end(), later.failures.begin(), later.failures.end());
  missing.insert(missing.end(), later.missing.begin(), later.missing.end());
  missed.insert(missed.end(), later.missed.begin(), later.missed.end());
  totalMs += later.totalMs;
  precomputeMs += later.precomputeMs;
  bytesSent += later.bytesSent;
  bytesReceived += later.bytesReceived;
  roundTrips += later.roundTrips;
  checksPassed += later.checksPassed;
  checksFailed += later.checksFailed;
}

std::string RunReport::summary() const {
  std::ostringstream out;
  out << "level " << privacyLevelName(level);
  if (isShared(level))
    out << " (" << arithmeticName(arithmetic) << ", " << sharesPerCall << " shares per call)";
  out << ": " << calls.size() << " remote calls in " << roundTrips << " round trips, "
      << checksPassed << " checks passed, " << checksFailed << " failed, " << bytesSent
      << " bytes sent, " << bytesReceived << " received, " << totalMs << " ms";
  if (precomputeMs > 0)
    out << " (+" << precomputeMs << " ms precomputed)";
  return out.str();
}

// ---- engine state ----

// What the engine needs of a program: its bundle, the bundle's id and the calls to expect.
struct ProgramView {
  const model::LinearBundle &bundle;
  const std::string &bundleId;
  int remoteOps = 0;
  int remoteCalls = 0;
  /// `bundle` itself, shared, where its owner lets in-process miners hold it without a copy.
  std::shared_ptr<const model::LinearBundle> shared = nullptr;
};

ProgramView viewOf(const model::CompiledModel &model) {
  return {model.bundle(), model.bundleId(), model.report().remoteOps, model.report().remoteCalls};
}

// Per model and arithmetic: prepared ops and the secret check vectors of each chain.
struct Session {
  std::shared_ptr<const std::vector<PreparedOp>> prepared; // shared with in-process miners
  std::map<std::vector<std::int64_t>, std::shared_ptr<const ShareCheck>> checks;

  const PreparedOp &op(std::int64_t index) const {
    return (*prepared)[static_cast<std::size_t>(index)];
  }

  std::shared_ptr<const ShareCheck> checkFor(const std::vector<std::int64_t> &chain,
                                             ShareArithmetic arithmetic) {
    auto &slot = checks[chain];
    if (!slot) {
      if (arithmetic == ShareArithmetic::Ring64) {
        slot = std::make_shared<FieldCheck>(op(chain.front()));
      } else {
        std::vector<const PreparedOp *> pointers;
        for (auto i : chain)
          pointers.push_back(&op(i));
        slot = std::make_shared<ChainCheck>(arithmetic == ShareArithmetic::F32
                                                ? ChainCheck::forF32(pointers)
                                                : ChainCheck::forF64(pointers));
      }
    }
    return slot;
  }
};

struct Engine::State {
  std::vector<std::shared_ptr<MinerEndpoint>> miners;
  std::map<std::string, std::shared_ptr<Session>> sessions;
  std::set<std::pair<std::string, std::string>> installed;         // (miner, bundle)
  std::map<std::pair<std::string, std::string>, KeyedModel> keyed; // (bundle, key id)
  std::shared_ptr<const EeKey> ownKey;                             // for runs that bring no key
  std::set<std::string> noPrograms; // miners that did not run a whole program: asked call by call

  Result<std::shared_ptr<const EeKey>> keyOf(const RunOptions &options) {
    if (options.key)
      return options.key;
    if (!ownKey) {
      auto fresh = EeKey::generate();
      if (!fresh)
        return fresh.error();
      ownKey = std::make_shared<const EeKey>(std::move(*fresh));
    }
    return ownKey;
  }

  // Unavailable when the pool cannot hold every share of a call.
  Result<void> checkPool(const RunOptions &options) const {
    const int needed = options.sharesPerCall();
    if (static_cast<int>(miners.size()) >= needed)
      return {};
    return fail(ErrorCode::Unavailable, "this query needs " + std::to_string(needed) + " miners; " +
                                            std::to_string(miners.size()) + " are available");
  }

  // The model keyed with the run's key (derived once per model and key).
  Result<KeyedModel> keyedFor(const model::CompiledModel &model, const RunOptions &options,
                              const std::vector<std::int64_t> &inputShape) {
    auto key = keyOf(options);
    if (!key)
      return key.error();
    const auto id = std::make_pair(model.bundleId(), (*key)->id());
    if (auto it = keyed.find(id); it != keyed.end())
      return it->second;
    auto made = keyModel(model, **key, inputShape);
    if (!made)
      return made.error();
    keyed.emplace(id, *made);
    return *made;
  }

  std::shared_ptr<Session> session(const ProgramView &program, const RunOptions &options) {
    const std::string key = program.bundleId + "/" + arithmeticName(options.arithmetic) + "/" +
                            std::to_string(options.fracBits);
    if (auto it = sessions.find(key); it != sessions.end())
      return it->second;
    // Prepared before the session is kept: a preparation that throws (out of memory) leaves no
    // session without ops behind.
    auto session = std::make_shared<Session>();
    session->prepared =
        sharedPreparedOps(program.bundle, program.bundleId, options.arithmetic, options.fracBits);
    sessions.emplace(key, session);
    return session;
  }

  Result<void> install(const ProgramView &program) {
    for (const auto &miner : miners) {
      auto key = std::make_pair(miner->id(), program.bundleId);
      if (installed.count(key))
        continue;
      auto done = program.shared ? miner->installShared(program.shared, program.bundleId)
                                 : miner->installBundle(program.bundle, program.bundleId);
      if (!done)
        return done.error().withContext("installing the model on miner " + miner->id());
      installed.insert(key);
    }
    return {};
  }
};

// One seeded share computed ahead of the query.
struct PreparedCall {
  std::vector<std::int64_t> ops;
  std::vector<std::int64_t> shape;
  std::vector<at::Tensor> masks;   // what each seed expands to (the client needs them too)
  std::vector<at::Tensor> results; // the seeded miners' verified results
  std::vector<MinerWork> work;
  std::set<std::string> minersUsed;
  int retries = 0;
  Seed callId = randomSeed(); // ShareJob::call of every share of this call
};

class PreparedQuery {
public:
  std::string bundleId;
  ShareArithmetic arithmetic = ShareArithmetic::F64Masked;
  int miners = 0;
  int fracBits = 0;
  std::vector<PreparedCall> calls;
  double precomputeMs = 0;
  bool used = false;
};

// ---- one run ----

namespace {

// The seeded shares of one call while they are under way.
struct SeededWork {
  std::vector<ShareJob> jobs;
  std::vector<std::shared_ptr<MinerEndpoint>> miners;
  /// Last, so destroyed first: std::async's futures wait for their task, so a masked share
  /// that fails never leaves a seeded task using this call's state.
  std::vector<std::future<at::Tensor>> pending;
};

// Everything one query needs while the interpreter runs the client program.
class RunContext {
public:
  RunContext(Engine::State &state, ProgramView program, const RunOptions &options,
             std::shared_ptr<Session> session, PreparedQuery *prepared, RunReport &report)
      : m_state(state), m_model(program), m_options(options), m_session(std::move(session)),
        m_prepared(prepared), m_report(report) {}

  std::optional<Error> failure;

  // The handler for nesa::remote_linear during a real run.
  at::Tensor remoteCall(const std::vector<std::int64_t> &ops, const at::Tensor &x) {
    if (m_options.cancel && m_options.cancel->load())
      abortRun(failure, fail(ErrorCode::Cancelled, "the run was cancelled"));
    if (m_whole)
      if (auto y = replayCall(ops, x))
        return *y;
    if (m_options.arithmetic == ShareArithmetic::Ring64 && ops.size() > 1) {
      // Fixed-point scales grow with every op, so ring64 re-encodes between the ops of a chain.
      at::Tensor y = x;
      for (auto op : ops)
        y = remoteCall({op}, y);
      return y;
    }
    const auto &firstOp = m_session->op(ops.front());
    if (auto mismatch = shapeMismatch(firstOp, x.sizes()); !mismatch.empty())
      abortRun(failure,
               fail(ErrorCode::InvalidInput, "the model could not run on this input: " + mismatch));
    const auto start = Clock::now();
    const int index = m_calls++;
    CallReport call{index, ops, chainKind(ops, m_model.bundle), {}, 0, 0};
    if (!m_replayFailure.empty()) { // a whole program's answer to this call failed its check
      call.miners = std::move(m_replayFailure);
      m_replayFailure.clear();
      call.retries = 1;
    }
    const bool ring = m_options.arithmetic == ShareArithmetic::Ring64;
    const bool f32 = m_options.arithmetic == ShareArithmetic::F32;
    const auto xs = x.to(f32 ? at::kFloat : at::kDouble).contiguous();
    const std::vector<std::int64_t> shape(xs.sizes().begin(), xs.sizes().end());
    PreparedCall *pre = nullptr;
    if (m_prepared && index < static_cast<int>(m_prepared->calls.size()) &&
        m_prepared->calls[static_cast<std::size_t>(index)].ops == ops &&
        m_prepared->calls[static_cast<std::size_t>(index)].shape == shape)
      pre = &m_prepared->calls[static_cast<std::size_t>(index)];

    const auto check = m_options.verify ? m_session->checkFor(ops, m_options.arithmetic) : nullptr;
    std::set<std::string> used = pre ? pre->minersUsed : std::set<std::string>();
    const Seed callId = pre ? pre->callId : randomSeed();
    std::vector<at::Tensor> masks, seededResults;
    SeededWork seeded; // declared after `masks`: its tasks are joined before the masks go
    if (pre) {
      masks = pre->masks;
      seededResults = pre->results;
      call.miners = pre->work;
      call.retries = pre->retries;
    } else {
      startSeededShares(ops, shape, index, callId, check.get(), used, masks, call, seeded);
    }
    // Retries before this point were made ahead of the query or belong to a whole program's job.
    int retriesBefore = 0;
    {
      std::lock_guard lock(m_mutex); // remote seeded shares may be retrying already
      retriesBefore = call.retries;
    }

    // The masked share: the input hidden under the sum of every seeded mask.
    at::Tensor share;
    double scale = 1, shareBound = 0;
    if (ring) {
      share = fieldEncode(xs, m_options.fracBits);
      for (const auto &mask : masks)
        share = fieldAdd(share, mask);
    } else if (f32) { // never shared: the (transformed) activation itself
      share = xs;
    } else { // with no masks (ee) the share is the activation itself
      auto masked = maskF64(xs, masks, m_options.maskBits);
      share = std::move(masked.share);
      scale = masked.scale;
      shareBound = masked.bound;
    }
    ShareJob job = baseJob(ops, callId);
    job.addBias = true;
    job.input = model::fromTensor(share);
    const at::Tensor maskedResult =
        computeVerified(job, share, shareBound, check.get(), used, call,
                        masks.empty() ? "transformed input" : "masked share", index);
    if (!pre)
      seededResults = finishSeededShares(seeded);

    at::Tensor y;
    if (ring) {
      y = maskedResult;
      for (const auto &r : seededResults)
        y = fieldSub(y, r);
      y = fieldDecode(y, 2 * m_options.fracBits);
    } else {
      y = maskedResult;
      for (const auto &r : seededResults)
        y = at::sub(y, r, scale);
    }
    call.ms = msSince(start);
    {
      std::lock_guard lock(m_mutex);
      m_report.roundTrips += 1 + call.retries - retriesBefore;
    }
    m_report.calls.push_back(std::move(call));
    if (m_options.onProgress)
      m_options.onProgress({m_calls, expectedCalls(), &m_report.calls.back()});
    return y.to(x.scalar_type());
  }

  // ee in one round trip: sends the whole query (the keyed client program on the transformed
  // input) to the first trusted miner that has not failed a program before; remoteCall() then
  // replays the program against its answer. A miner that cannot or will not run it (an older
  // one, one that runs no client programs) leaves the run to go on call by call, without being
  // distrusted for it, and is not sent programs again by this engine.
  void startWholeProgram(const at::Tensor &input) {
    ShareJob job = baseJob({}, randomSeed());
    job.wholeProgram = true;
    job.input = model::fromTensor(input.to(at::kFloat).contiguous());
    std::shared_ptr<MinerEndpoint> miner;
    {
      std::lock_guard lock(m_mutex);
      std::set<std::string> skip = m_state.noPrograms;
      miner = pickMinerLocked(skip, false);
    }
    if (!miner)
      return; // no miner runs programs: the calls go one by one
    const auto start = Clock::now();
    auto reply = miner->compute(job);
    const double ms = msSince(start);
    ++m_report.roundTrips;
    if (!reply) {
      m_state.noPrograms.insert(miner->id());
      m_report.bytesSent += job.wireBytes();
      m_report.missing.push_back(miner->id() + ": could not run the whole program (" +
                                 reply.error().message + "); the calls went one by one");
      return;
    }
    WholeProgram whole{miner, std::move(job), std::move(*reply), ms, 0, 0};
    whole.sent = whole.reply.jobWireBytes ? whole.reply.jobWireBytes : whole.job.wireBytes();
    whole.received = whole.reply.answerWireBytes;
    if (!whole.received) {
      whole.received = whole.reply.output.bytes.size() + 8 * whole.reply.output.shape.size();
      for (const auto &call : whole.reply.callOutputs)
        whole.received += call.bytes.size() + 8 * call.shape.size();
    }
    m_report.bytesSent += whole.sent;
    m_report.bytesReceived += whole.received;
    m_whole = std::move(whole);
  }

  // After the program ran: a whole program's answer that passed every check is paid for.
  void finishWholeProgram() {
    if (m_whole)
      m_whole->miner->reportCheck(true);
    m_whole.reset();
  }

  // Call m_calls of the replay: the miner's output for it, when it passes the check against the
  // input this client computed itself. Otherwise the miner is distrusted, its answer kept as
  // evidence, and nullopt returned: this call and the rest go one by one to other miners.
  std::optional<at::Tensor> replayCall(const std::vector<std::int64_t> &ops, const at::Tensor &x) {
    auto &whole = *m_whole;
    const int index = m_calls;
    const auto start = Clock::now();
    const auto &firstOp = m_session->op(ops.front());
    if (auto mismatch = shapeMismatch(firstOp, x.sizes()); !mismatch.empty())
      abortRun(failure,
               fail(ErrorCode::InvalidInput, "the model could not run on this input: " + mismatch));
    MinerWork work{whole.miner->id(),
                   "whole program",
                   index == 0 ? whole.sent : 0,
                   index == 0 ? whole.received : 0,
                   index == 0 ? whole.ms : 0,
                   false,
                   false,
                   {}};
    auto &outputs = whole.reply.callOutputs;
    const auto check = m_options.verify ? m_session->checkFor(ops, ShareArithmetic::F32) : nullptr;
    const at::Tensor xs = x.to(at::kFloat).contiguous();
    const CheckOutcome outcome =
        index >= static_cast<int>(outputs.size())
            ? CheckOutcome{false, 0, 0, "failed: the answer has no output for this call"}
            : checkResult(check.get(), xs, outputs[static_cast<std::size_t>(index)],
                          model::DType::F32, true, 0);
    work.passed = outcome.passed;
    work.check = outcome.detail;
    if (!outcome.passed) {
      ++m_report.checksFailed;
      whole.miner->reportCheck(false);
      m_distrusted.insert(whole.miner->id());
      const bool answered = index < static_cast<int>(outputs.size());
      m_report.failures.push_back(Evidence{
          whole.miner->id(), index, "whole program", whole.job.bundleId, whole.job,
          answered ? outputs[static_cast<std::size_t>(index)] : model::TensorData{},
          digestOf(whole.job),
          answered ? digest(outputs[static_cast<std::size_t>(index)].bytes) : std::string(),
          outcome.expected, outcome.got, outcome.detail, whole.reply.signer,
          whole.reply.signature});
      m_replayFailure.push_back(std::move(work));
      m_whole.reset();
      return std::nullopt;
    }
    if (check)
      ++m_report.checksPassed;
    ++m_calls;
    CallReport call{index, ops, chainKind(ops, m_model.bundle), {std::move(work)}, 0, 0};
    call.ms = msSince(start) + (index == 0 ? whole.ms : 0);
    m_report.calls.push_back(std::move(call));
    if (m_options.onProgress)
      m_options.onProgress({m_calls, expectedCalls(), &m_report.calls.back()});
    // Its bytes, not a copy; the output's dtype is the input's, as a per-call result's is.
    return model::toTensor(std::move(outputs[static_cast<std::size_t>(index)])).to(x.scalar_type());
  }

  // Expands fresh seeds and starts the seeded miners on their shares: remote ones in parallel
  // with each other and with the masked share (a seeded share never depends on the input, so a
  // call costs one round trip on a network, not two), in-process ones when they are collected.
  void startSeededShares(const std::vector<std::int64_t> &ops,
                         const std::vector<std::int64_t> &shape, int index, const Seed &callId,
                         const ShareCheck *check, std::set<std::string> &used,
                         std::vector<at::Tensor> &masks, CallReport &call, SeededWork &work) {
    const bool ring = m_options.arithmetic == ShareArithmetic::Ring64;
    for (int i = 1; i < m_options.sharesPerCall(); ++i) {
      ShareJob job = baseJob(ops, callId);
      job.seed = randomSeed();
      job.nonce = static_cast<std::uint64_t>(index);
      job.seedShape = shape;
      masks.push_back(ring ? expandFieldMask(job.seed, job.nonce, shape)
                           : expandUniformMask(job.seed, job.nonce, shape));
      work.jobs.push_back(std::move(job));
    }
    // Reserve the primary miners first so the parallel tasks never pick the same one (the
    // first healthy miner is kept for the masked share).
    {
      std::lock_guard lock(m_mutex);
      for (std::size_t i = 0; i < work.jobs.size(); ++i)
        work.miners.push_back(pickMinerLocked(used, /*skipFirst=*/true));
    }
    // In-process miners would only compete for the client's cores (and each thread would spin
    // up its own BLAS/OpenMP workers), so they run in turn.
    for (std::size_t i = 0; i < work.jobs.size(); ++i) {
      const bool local = !work.miners[i] || work.miners[i]->sharesThisMachine();
      const ShareJob &job = work.jobs[i];
      const at::Tensor &mask = masks[i];
      auto miner = work.miners[i];
      work.pending.push_back(std::async(local ? std::launch::deferred : std::launch::async,
                                        [this, &job, &mask, check, &used, &call, index, miner] {
                                          // Seeded masks are uniform in [-1, 1) (f64) or field
                                          // elements (exact check).
                                          return computeVerified(job, mask, 1.0, check, used, call,
                                                                 "seeded share", index, miner);
                                        }));
    }
  }

  // The seeded miners' verified results, in share order; ends the run when one could not be had.
  std::vector<at::Tensor> finishSeededShares(SeededWork &work) {
    std::vector<at::Tensor> results;
    std::optional<std::string> error;
    for (auto &p : work.pending) {
      try {
        results.push_back(p.get());
      } catch (const c10::Error &e) {
        if (!error)
          error = e.what_without_backtrace();
      }
    }
    if (error)
      abortRun(failure, failure ? *failure : fail(ErrorCode::Unavailable, *error));
    return results;
  }

  // Sends `job` to a miner, verifies the result, and on a failed check or a missing answer
  // sends it to another miner. Thread-safe.
  at::Tensor computeVerified(const ShareJob &job, const at::Tensor &share, double shareBound,
                             const ShareCheck *check, std::set<std::string> &used, CallReport &call,
                             const std::string &role, int index,
                             std::shared_ptr<MinerEndpoint> miner = nullptr) {
    bool firstAttempt = true;
    while (true) {
      {
        std::lock_guard lock(m_mutex);
        if (!miner)
          miner = pickMinerLocked(used, false);
        if (!firstAttempt)
          ++call.retries;
      }
      firstAttempt = false;
      if (!miner) {
        std::lock_guard lock(m_mutex);
        abortRun(
            failure,
            fail(ErrorCode::Unavailable,
                 "remote call " + std::to_string(index) + " (" + call.kind +
                     "): no miner is left that has not failed or is not already holding another "
                     "share of this call; add miners or run at the local level" +
                     (m_report.missing.empty()
                          ? std::string()
                          : " (last problem: " + m_report.missing.back() + ")")));
      }
      const auto start = Clock::now();
      auto reply = miner->compute(job);
      MinerWork work{miner->id(), role, job.wireBytes(), 0, 0, false, false, {}};
      work.ms = msSince(start);
      if (!reply) {
        std::lock_guard lock(m_mutex);
        m_distrusted.insert(miner->id());
        m_report.missing.push_back(miner->id() + ": " + reply.error().message);
        m_report.missed.push_back(MissedAnswer{miner->id(), index, role, job, reply.error()});
        work.check = "no answer: " + reply.error().message;
        call.miners.push_back(std::move(work));
        miner = nullptr;
        continue;
      }
      work.bytesReceived = reply->output.bytes.size() + 8 * reply->output.shape.size();
      if (reply->jobWireBytes) { // a remote miner: what went over the wire, compressed or not
        work.bytesSent = reply->jobWireBytes;
        work.bytesReceived = reply->answerWireBytes;
      }
      const auto expectedType = job.arithmetic == ShareArithmetic::Ring64 ? model::DType::I64
                                : job.arithmetic == ShareArithmetic::F32  ? model::DType::F32
                                                                          : model::DType::F64;
      // (The reply keeps its bytes for evidence: the check reads them in place.)
      const CheckOutcome outcome =
          checkResult(check, share, reply->output, expectedType, job.addBias, shareBound);
      work.passed = outcome.passed;
      work.check = outcome.detail;
      miner->reportCheck(outcome.passed);
      std::lock_guard lock(m_mutex);
      m_report.bytesSent += work.bytesSent;
      m_report.bytesReceived += work.bytesReceived;
      call.miners.push_back(work);
      if (outcome.passed) {
        if (check)
          ++m_report.checksPassed;
        return model::toTensor(std::move(reply->output)); // its bytes, not a copy
      }
      ++m_report.checksFailed;
      m_distrusted.insert(miner->id());
      m_report.failures.push_back(
          Evidence{miner->id(), index, role, job.bundleId, job, reply->output, digestOf(job),
                   digest(reply->output.bytes), outcome.expected, outcome.got, outcome.detail,
                   reply->signer, reply->signature});
      miner = nullptr;
    }
  }

  // The first miner, in pool order, that is trusted and not already part of this call.
  std::shared_ptr<MinerEndpoint> pickMinerLocked(std::set<std::string> &used, bool skipFirst) {
    bool skipped = !skipFirst;
    for (const auto &miner : m_state.miners) {
      if (m_distrusted.count(miner->id()) || used.count(miner->id()))
        continue;
      if (!skipped) { // the first healthy miner is kept for the masked share
        skipped = true;
        continue;
      }
      used.insert(miner->id());
      return miner;
    }
    return nullptr;
  }

  ShareJob baseJob(const std::vector<std::int64_t> &ops, const Seed &callId) const {
    ShareJob job;
    job.call = callId;
    job.bundleId = m_model.bundleId;
    job.ops = ops;
    job.arithmetic = m_options.arithmetic;
    job.fracBits = m_options.fracBits;
    return job;
  }

  int expectedCalls() const {
    if (m_prepared)
      return static_cast<int>(m_prepared->calls.size());
    return m_options.arithmetic == ShareArithmetic::Ring64 ? m_model.remoteOps
                                                           : m_model.remoteCalls;
  }

private:
  // A whole program's answer while the client replays the program against it.
  struct WholeProgram {
    std::shared_ptr<MinerEndpoint> miner;
    ShareJob job;
    ShareReply reply;
    double ms = 0;
    std::uint64_t sent = 0, received = 0;
  };

  Engine::State &m_state;
  ProgramView m_model;
  const RunOptions &m_options;
  std::shared_ptr<Session> m_session;
  PreparedQuery *m_prepared;
  RunReport &m_report;
  std::mutex m_mutex;
  std::set<std::string> m_distrusted;
  int m_calls = 0;
  std::optional<WholeProgram> m_whole;
  std::vector<MinerWork> m_replayFailure; // goes into the report of the call it failed
};

Result<at::Tensor> forward(torch::jit::Module &module, const at::Tensor &input,
                           std::optional<Error> &failure) {
  try {
    c10::InferenceMode guard;
    auto output = module.forward({input});
    if (!output.isTensor())
      return fail(ErrorCode::InvalidInput,
                  "the model returns a " + output.tagKind() +
                      "; only models that return one tensor are supported");
    return output.toTensor();
  } catch (const std::exception &e) {
    // The interpreter rethrows an operator's c10::Error as c10::Error or std::runtime_error.
    if (failure)
      return *failure;
    return fail(ErrorCode::InvalidInput,
                "the model could not run on this input: " + interpreterError(e));
  }
}

Result<at::Tensor> inputTensor(const model::TensorData &input) {
  if (input.dtype == model::DType::I64)
    return fail(ErrorCode::InvalidInput, "model inputs must be float32 or float64");
  if (input.bytes.size() != static_cast<std::size_t>(input.numel()) * model::dtypeSize(input.dtype))
    return fail(ErrorCode::InvalidInput,
                "the input's data does not match its shape " + input.shapeText());
  return model::toTensor(input).to(at::kFloat);
}

} // namespace

// ---- Engine ----

Engine::Engine(std::vector<std::shared_ptr<MinerEndpoint>> miners)
    : m_state(std::make_unique<State>()) {
  m_state->miners = std::move(miners);
}

Engine::~Engine() = default;

void Engine::setMiners(std::vector<std::shared_ptr<MinerEndpoint>> miners) {
  m_state->miners = std::move(miners);
}

Result<std::shared_ptr<const EeKey>> Engine::sessionKey() { return m_state->keyOf(RunOptions{}); }

Result<std::shared_ptr<PreparedQuery>> Engine::prepare(const model::CompiledModel &model,
                                                       const std::vector<std::int64_t> &inputShape,
                                                       const RunOptions &options) {
  if (auto valid = options.validate(); !valid)
    return valid.error();
  if (!isShared(options.level))
    return fail(ErrorCode::InvalidInput,
                "only hss and hss-ee queries have seeded shares to precompute");
  if (options.level == PrivacyLevel::HssEe) {
    auto keyed = m_state->keyedFor(model, options, inputShape);
    if (!keyed)
      return keyed.error();
    RunOptions inner = options;
    inner.level = PrivacyLevel::Hss;
    return prepare(keyed->compiled(), inputShape, inner);
  }
  if (auto pool = m_state->checkPool(options); !pool)
    return pool.error();
  if (auto installed = m_state->install(viewOf(model)); !installed)
    return installed.error();
  const auto start = Clock::now();
  auto session = m_state->session(viewOf(model), options);
  auto prepared = std::make_shared<PreparedQuery>();
  prepared->bundleId = model.bundleId();
  prepared->arithmetic = options.arithmetic;
  prepared->miners = options.miners;
  prepared->fracBits = options.fracBits;

  // Discover the calls and their input shapes by running the client program on zeros, with the
  // linear ops computed here.
  std::vector<std::pair<std::vector<std::int64_t>, std::vector<std::int64_t>>> calls;
  const bool ring = options.arithmetic == ShareArithmetic::Ring64;
  std::optional<Error> failure;
  {
    model::RemoteLinearScope scope([&](const std::vector<std::int64_t> &ops, const at::Tensor &x) {
      at::Tensor y = x.to(at::kDouble);
      for (auto op : ops) {
        if (ring || ops.size() == 1 || op == ops.front())
          calls.emplace_back(ring ? std::vector<std::int64_t>{op} : ops,
                             std::vector<std::int64_t>(y.sizes().begin(), y.sizes().end()));
        y = applyF64(session->op(op), y, true);
      }
      return y.to(x.scalar_type());
    });
    auto zeros = model::TensorData{model::DType::F32, inputShape, {}};
    zeros.bytes.assign(static_cast<std::size_t>(zeros.numel()) * 4, 0);
    auto input = inputTensor(zeros);
    if (!input)
      return input.error();
    auto client = model.impl().client;
    if (auto ran = forward(client, *input, failure); !ran)
      return ran.error();
  }

  RunReport scratch;
  RunContext context(*m_state, viewOf(model), options, session, nullptr, scratch);
  for (std::size_t i = 0; i < calls.size(); ++i) {
    PreparedCall call{calls[i].first, calls[i].second, {}, {}, {}, {}, 0, randomSeed()};
    CallReport report{static_cast<int>(i), call.ops, chainKind(call.ops, model.bundle()), {}, 0, 0};
    const auto check = options.verify ? session->checkFor(call.ops, options.arithmetic) : nullptr;
    try {
      SeededWork seeded;
      context.startSeededShares(call.ops, call.shape, static_cast<int>(i), call.callId, check.get(),
                                call.minersUsed, call.masks, report, seeded);
      call.results = context.finishSeededShares(seeded);
    } catch (const c10::Error &e) {
      return context.failure ? *context.failure
                             : fail(ErrorCode::Unavailable, e.what_without_backtrace());
    }
    for (auto &work : report.miners)
      work.precomputed = true;
    call.work = std::move(report.miners);
    call.retries = report.retries;
    prepared->calls.push_back(std::move(call));
  }
  prepared->precomputeMs = msSince(start);
  return prepared;
}

Result<RunResult> Engine::run(const model::CompiledModel &model, const model::TensorData &input,
                              const RunOptions &options,
                              const std::shared_ptr<PreparedQuery> &prepared) {
  if (!isKeyed(options.level))
    return runProgram(model, input, options, prepared);
  const auto start = Clock::now();
  auto keyed = m_state->keyedFor(model, options, input.shape);
  if (!keyed)
    return keyed.error();
  auto transformed = keyed->transformInput(input);
  if (!transformed)
    return transformed.error();
  RunOptions inner = options;
  if (options.level == PrivacyLevel::HssEe)
    inner.level = PrivacyLevel::Hss;
  auto result = runProgram(keyed->compiled(), *transformed, inner, prepared);
  if (!result)
    return result.error();
  auto output = keyed->untransformOutput(result->output);
  if (!output)
    return output.error();
  result->output = std::move(*output);
  result->report.level = options.level;
  result->report.totalMs = msSince(start);
  return result;
}

Result<RunReport> Engine::runCalls(std::shared_ptr<const model::LinearBundle> bundle,
                                   const std::string &bundleId, const RunOptions &options,
                                   const std::function<Result<void>()> &body) {
  const auto start = Clock::now();
  if (options.level == PrivacyLevel::Local)
    return fail(ErrorCode::InvalidInput, "a local program runs without the engine");
  RunOptions inner = options;
  if (inner.level == PrivacyLevel::HssEe)
    inner.level = PrivacyLevel::Hss;
  if (auto valid = inner.validate(); !valid)
    return valid.error();
  if (auto pool = m_state->checkPool(inner); !pool)
    return pool.error();
  if (!bundle)
    return fail(ErrorCode::InvalidInput, "a native program needs its bundle");
  // Miners of this process that are sent the bundle (a benchmark's) hold this copy, not theirs.
  model::shareInProcess(bundle, bundleId);
  const ProgramView view{*bundle, bundleId, 0, 0, bundle};
  if (auto installed = m_state->install(view); !installed)
    return installed.error();
  RunReport report;
  report.level = options.level;
  report.arithmetic = options.arithmetic;
  report.sharesPerCall = inner.sharesPerCall();
  auto session = m_state->session(view, inner);
  RunContext context(*m_state, view, inner, session, nullptr, report);
  Result<void> ran;
  {
    model::RemoteLinearScope scope([&](const std::vector<std::int64_t> &ops, const at::Tensor &x) {
      return context.remoteCall(ops, x);
    });
    try {
      ran = body();
    } catch (const std::exception &e) {
      if (context.failure)
        return *context.failure;
      return fail(ErrorCode::Internal, std::string("the program failed: ") + e.what());
    }
  }
  if (!ran)
    return context.failure ? *context.failure : ran.error();
  report.totalMs = msSince(start);
  return report;
}

Result<KeyedModel> Engine::keyedModel(const model::CompiledModel &model, const RunOptions &options,
                                      const std::vector<std::int64_t> &inputShape) {
  return m_state->keyedFor(model, options, inputShape);
}

Result<RunResult> Engine::runProgram(const model::CompiledModel &model,
                                     const model::TensorData &input, const RunOptions &options,
                                     const std::shared_ptr<PreparedQuery> &prepared) {
  const auto start = Clock::now();
  auto tensor = inputTensor(input);
  if (!tensor)
    return tensor.error();
  RunResult result;
  result.report.level = options.level;
  result.report.arithmetic = options.arithmetic;
  std::optional<Error> failure;

  if (options.level == PrivacyLevel::Local) {
    auto module = model.impl().original;
    auto output = forward(module, *tensor, failure);
    if (!output)
      return output.error();
    result.output = model::fromTensor(output->to(at::kFloat));
    result.report.totalMs = msSince(start);
    return result;
  }

  if (auto valid = options.validate(); !valid)
    return valid.error();
  if (auto pool = m_state->checkPool(options); !pool)
    return pool.error();
  if (prepared) {
    if (prepared->used)
      return fail(ErrorCode::InvalidInput,
                  "a prepared query can be used only once (its masks are spent)");
    if (prepared->bundleId != model.bundleId() || prepared->arithmetic != options.arithmetic ||
        prepared->miners != options.miners || prepared->fracBits != options.fracBits)
      return fail(ErrorCode::InvalidInput,
                  "the prepared query was made for another model or other options");
    prepared->used = true;
    result.report.precomputeMs = prepared->precomputeMs;
  }
  if (auto installed = m_state->install(viewOf(model)); !installed)
    return installed.error();
  result.report.sharesPerCall = options.sharesPerCall();
  auto session = m_state->session(viewOf(model), options);
  RunContext context(*m_state, viewOf(model), options, session, prepared.get(), result.report);
  if (options.level == PrivacyLevel::Ee && options.arithmetic == ShareArithmetic::F32 &&
      options.wholeProgram && !model.bundle().program.empty()) {
    if (options.cancel && options.cancel->load())
      return fail(ErrorCode::Cancelled, "the run was cancelled");
    context.startWholeProgram(*tensor);
  }
  at::Tensor output;
  {
    model::RemoteLinearScope scope([&](const std::vector<std::int64_t> &ops, const at::Tensor &x) {
      return context.remoteCall(ops, x);
    });
    auto client = model.impl().client;
    auto ran = forward(client, *tensor, context.failure);
    if (!ran)
      return ran.error();
    output = *ran;
  }
  context.finishWholeProgram();
  if (prepared) // the precomputed shares' traffic belongs to this query too
    for (const auto &call : prepared->calls)
      for (const auto &work : call.work) {
        result.report.bytesSent += work.bytesSent;
        result.report.bytesReceived += work.bytesReceived;
        result.report.checksPassed += work.passed ? 1 : 0;
      }
  result.output = model::fromTensor(output.to(at::kFloat));
  result.report.totalMs = msSince(start);
  return result;
}

} // namespace nesa::privacy
