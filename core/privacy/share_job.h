// What the client asks of a miner for one remote call, and what comes back. Plain data, so the
// network layer can put it on the wire unchanged.
#pragma once

#include "model/tensor_data.h"
#include "privacy/prg.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nesa::privacy {

/// How shares are represented and combined.
enum class ShareArithmetic : std::uint8_t {
  F64Masked = 1, ///< x + s·u with u uniform, s = 2^maskBits × activation bound; float64 BLAS
  Ring64 = 2,    ///< fixed point in Z/p, p = 2^61 − 1, uniform masks; exact
  /// float32 with no masks: the `ee` level's calls, computed as `local` computes them. Never
  /// shared (float32 has no room for masks), so the hss levels refuse it.
  F32 = 3,
};

/// "f64-masked", "ring64" or "f32".
const char *arithmeticName(ShareArithmetic arithmetic);

/// Most remote calls a miner makes for one whole program's job (ShareJob::wholeProgram), most
/// ops in one of them, and most bytes of their outputs together.
inline constexpr std::size_t kMaxProgramCalls = 4096;
inline constexpr std::size_t kMaxChainOps = 16;
inline constexpr std::uint64_t kMaxProgramOutputBytes = std::uint64_t{1} << 30;

/// One share of one remote call: apply bundle ops `ops` (in order) to a share.
struct ShareJob {
  std::string bundleId;
  std::vector<std::int64_t> ops;
  ShareArithmetic arithmetic = ShareArithmetic::F64Masked;
  int fracBits = 18;    ///< ring64: fixed-point bits of weights (biases use twice as many)
  bool addBias = false; ///< exactly one share of each call carries the biases
  /// The masked share itself (f64 or field elements). Absent for a seeded share.
  std::optional<model::TensorData> input;
  /// A seeded share: the miner expands (seed, nonce) to a mask of `seedShape` itself.
  Seed seed{};
  std::uint64_t nonce = 0;
  std::vector<std::int64_t> seedShape;
  /// The remote call this share belongs to: random, the same for every share of one call. A
  /// miner's signed answer names it, so a dispute can keep the call's other miners (who hold the
  /// other shares) off the jury. Not part of what the miner computes.
  Seed call{};
  /// The `ee` level's whole query in one job: run the bundle's client program
  /// (model::LinearBundle::program) on `input` (float32, unshared), computing every remote call
  /// it makes from the bundle; `ops` is empty. The reply carries each call's output.
  bool wholeProgram = false;

  /// Bytes this job puts on the wire (payload plus a small fixed header).
  std::uint64_t wireBytes() const;
  /// Bytes the job is priced by and held in memory as: the share it carries, or for a seeded
  /// share the one the miner expands (8 bytes an element); saturates at the largest value.
  std::uint64_t pricedBytes() const;
};

/// A miner's answer to a ShareJob.
struct ShareReply {
  model::TensorData output; ///< a whole program's job: the program's own output
  /// A whole program's job: the output of each remote call it made, in order (what the client
  /// checks and replays the program with).
  std::vector<model::TensorData> callOutputs;
  double computeMs = 0; ///< the miner's own compute time
  /// A remote miner's Ed25519 key and its signature over (job digest, result digest): what
  /// makes a wrong answer provable in a dispute. All zero for in-process miners.
  std::array<std::uint8_t, 32> signer{};
  std::array<std::uint8_t, 64> signature{};
  /// A remote miner's job and answer as they went over the wire (compressed or not); 0 for
  /// in-process miners.
  std::uint64_t jobWireBytes = 0;
  std::uint64_t answerWireBytes = 0;
};

} // namespace nesa::privacy
