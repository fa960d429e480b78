// Compiling a frozen TorchScript model for private execution.
#pragma once

#include "model/linear_bundle.h"
#include "util/result.h"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace nesa::model {

/// What compilation did to the model's graph.
struct CompileReport {
  int remoteOps = 0;   ///< linear ops moved into the bundle
  int remoteCalls = 0; ///< remote call sites after fusion (one miner round trip each)
  int fusedChains = 0; ///< call sites that run more than one op
  /// Linear-looking ops that stay on this computer, each with the reason.
  std::vector<std::string> keptLocal;
};

/// Compilation switches.
struct CompileOptions {
  /// Fuse consecutive linear layers with nothing non-linear between them into one remote call.
  bool fuse = true;
};

/// A model ready to run at any privacy level: the frozen original (for `local`), the client
/// program whose linear ops call the miners, and the linear bundle the miners need.
/// Cheap to copy (shared, immutable).
class CompiledModel {
public:
  /// The remote ops, in the order the client program refers to them.
  const LinearBundle &bundle() const;
  /// The bundle's content id (hex BLAKE2b-256).
  const std::string &bundleId() const;
  const CompileReport &report() const;

  struct Impl; ///< libtorch-side state (model/internal/compiled_model_impl.h)
  explicit CompiledModel(std::shared_ptr<const Impl> impl) : m_impl(std::move(impl)) {}
  const Impl &impl() const { return *m_impl; }

private:
  std::shared_ptr<const Impl> m_impl;
};

/// Loads a TorchScript file (or an ONNX file, converted first: model/onnx_export.h), freezes it
/// (folding batch-norm into convolutions), and rewrites every linear op with constant weights
/// (aten::linear, conv1d/2d/3d, _convolution, matmul/mm/ addmm with a constant right operand) into
/// a call to `nesa::remote_linear`. Errors: not a TorchScript file, truncated, an op that hides
/// linear layers (fused transformer kernels), or nothing to offload.
Result<CompiledModel> compileModel(const std::filesystem::path &file,
                                   const CompileOptions &options = {});

} // namespace nesa::model
