// What a miner signs for each answer, computed identically by the client, the miner and the
// node that judges a dispute: digests of a share job and of a result tensor.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace nesa::net {

/// A 32-byte BLAKE2b digest.
using Digest = std::array<std::uint8_t, 32>;

/// A tensor's element type (model::DType's value), shape and little-endian bytes.
struct TensorView {
  std::uint8_t dtype = 0;
  std::span<const std::int64_t> shape;
  std::span<const std::uint8_t> data;
};

/// The fields of a share job that define its answer (not its fee, tip or payment).
struct ShareJobView {
  std::string_view bundleId;
  std::span<const std::int64_t> ops;
  std::uint8_t arithmetic = 0;
  std::int32_t fracBits = 0;
  bool addBias = false;
  std::optional<TensorView> input; ///< the share, or absent for a seeded one
  std::span<const std::uint8_t> seed;
  std::uint64_t nonce = 0;
  std::span<const std::int64_t> seedShape;
  bool wholeProgram = false; ///< the bundle's client program run on `input`
};

/// BLAKE2b-256 over ("nesa-tensor-v1", dtype, rank, dims, bytes).
Digest tensorDigest(const TensorView &tensor);
/// BLAKE2b-256 over ("nesa-share-job-v1" and every field of the view, length-prefixed); a whole
/// program's job is hashed under "nesa-program-job-v1" instead.
Digest shareJobDigest(const ShareJobView &job);
/// The result of a whole program's job: BLAKE2b-256 over ("nesa-program-result-v1", the digest
/// of the program's output, then the digest of each call's output in order).
Digest programResultDigest(const Digest &output, std::span<const Digest> calls);

/// The bytes a miner signs with its wire key for each answer: a domain tag, then the job's and
/// the result's digests.
std::vector<std::uint8_t> answerSigningBytes(const Digest &jobDigest, const Digest &resultDigest);

/// The view of a verified ShareJob frame (valid while the frame lives).
ShareJobView shareJobViewOf(std::span<const std::uint8_t> frame);
/// The output tensor of a verified ShareReply frame, if it has one.
std::optional<TensorView> shareReplyOutputOf(std::span<const std::uint8_t> frame);

} // namespace nesa::net
