// The linear bundle: every remote linear op of a compiled model (weights and parameters), in
// one content-addressed file. A miner needs this file and nothing else of the model.
#pragma once

#include "model/tensor_data.h"
#include "util/result.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace nesa::model {

/// Which linear operation an op is. The values are part of the file format.
enum class LinearKind : std::uint8_t { Linear = 1, Conv1d = 2, Conv2d = 3, Conv3d = 4 };

/// "linear", "conv1d", ...
const char *linearKindName(LinearKind kind);

/// One linear op with constant weights: y = W·x (+ b), or a convolution with W as kernel.
struct LinearOp {
  LinearKind kind = LinearKind::Linear;
  TensorData weight;                  ///< F32. Linear: [out, in]; ConvNd: [out, in/groups, k1..kN]
  std::optional<TensorData> bias;     ///< F32 [out]
  std::vector<std::int64_t> stride;   ///< one per spatial dim (empty for Linear)
  std::vector<std::int64_t> padding;  ///< one per spatial dim
  std::vector<std::int64_t> dilation; ///< one per spatial dim
  std::int64_t groups = 1;

  /// Number of spatial dims (0 for Linear, N for ConvNd).
  int spatialDims() const;
  /// Output channels / features.
  std::int64_t outChannels() const { return weight.shape.empty() ? 0 : weight.shape[0]; }
  /// Multiply-adds per output element (the inner dimension K).
  std::int64_t innerSize() const;
  /// Checks the shapes and parameters for consistency; the error says what is wrong.
  Result<void> validate() const;
};

/// The ordered remote ops of one model. Op i is what `nesa::remote_linear` calls with index i.
struct LinearBundle {
  std::vector<LinearOp> ops;
  /// The client program that calls these ops (TorchScript IR text), for a miner that runs a
  /// whole query at `ee`; empty in bundles of other levels. Part of the content, so of the id.
  std::vector<std::uint8_t> program;

  /// The documented binary form (docs/engine.md).
  std::vector<std::uint8_t> serialize() const;
  /// The size of serialize()'s result, without making it.
  std::uint64_t serializedBytes() const;
  /// The binary form in consecutive pieces of `pieceBytes` (the last one shorter), handed to
  /// `sink` in order with their offset; stops at the first piece `sink` refuses and returns its
  /// error. Holds one piece at a time, never the whole form.
  Result<void> writeInPieces(
      std::size_t pieceBytes,
      const std::function<Result<void>(std::uint64_t offset, std::span<const std::uint8_t> piece)>
          &sink) const;
  /// Parses the binary form; Corrupt with the reason for anything malformed or truncated.
  static Result<LinearBundle> parse(std::span<const std::uint8_t> bytes);
  /// The bundle's content id: hex BLAKE2b-256 of serialize(), hashed piece by piece (no copy
  /// of the weights is made).
  std::string id() const;

  /// Writes the binary form to `file` (atomically), a piece at a time.
  Result<void> save(const std::filesystem::path &file) const;
  /// Reads and parses `file` in one pass, the weights straight into their tensors; when
  /// `expectedId` is given, the content must hash to it (Corrupt otherwise).
  static Result<LinearBundle> load(const std::filesystem::path &file,
                                   const std::string &expectedId = {});
};

/// Hex BLAKE2b-256 of `bytes` (the content address used for bundles).
std::string contentId(std::span<const std::uint8_t> bytes);

/// contentId of bytes that arrive a piece at a time (a file read, an upload in pieces): the same
/// value as contentId of all the pieces together.
class ContentHasher {
public:
  ContentHasher();
  ~ContentHasher();
  ContentHasher(ContentHasher &&) noexcept;
  ContentHasher &operator=(ContentHasher &&) noexcept;
  /// Adds the next piece.
  void update(std::span<const std::uint8_t> piece);
  /// The id of everything added; the hasher then starts afresh.
  std::string finish();

private:
  struct State;
  std::unique_ptr<State> m_state;
};

/// Bundles held in this process, by content id, so that miners in one process (a benchmark's,
/// a test's) hold one copy of a bundle between them instead of one each. Only what holds a
/// bundle keeps it alive: the registry forgets a bundle when its last holder lets go.
/// `id` must be `bundle`'s content id (checked when it was loaded, or computed by its maker):
/// in-process miners take a bundle registered here as checked and do not hash it again.
void shareInProcess(const std::shared_ptr<const LinearBundle> &bundle, const std::string &id);
/// The bundle shared under `id`, or null when nothing in this process holds it.
std::shared_ptr<const LinearBundle> sharedInProcess(const std::string &id);

} // namespace nesa::model
