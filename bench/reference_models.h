// Small models written by the test suite itself (TorchScript via Module::define, random
// weights from a seed): an MLP, a CNN with batch-norm, a 3D CNN and a transformer encoder.
#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

namespace nesa::testing {

/// A model file and the input shape it expects.
struct ReferenceModel {
  std::filesystem::path file;
  std::vector<std::int64_t> inputShape;
};

/// MLP 16→32 (ReLU) →32→8: the last two layers have nothing between them, so they fuse.
ReferenceModel writeMlp(const std::filesystem::path &file, std::uint64_t seed = 1);

/// CNN on [1, 1, size, size]: conv3×3+BN+ReLU, strided conv+BN+ReLU, depthwise conv, pooling,
/// linear head with 4 outputs. `channels` sets the width.
ReferenceModel writeCnn(const std::filesystem::path &file, int channels = 16, int size = 32,
                        std::uint64_t seed = 2);

/// 3D CNN on [1, 1, 8, 8, 8]: two conv3d+ReLU and a linear head (a stand-in for MRI models).
ReferenceModel writeVolumeCnn(const std::filesystem::path &file, std::uint64_t seed = 3);

/// Transformer encoder layer on [1, 8, 32]: QKV and output projections, 4-head softmax
/// attention, LayerNorm, GELU MLP, mean pooling and a 5-way head.
ReferenceModel writeTransformer(const std::filesystem::path &file, std::uint64_t seed = 4);

/// A model with no linear op at all (ReLU only): nothing to offload.
ReferenceModel writeNonLinearOnly(const std::filesystem::path &file);

} // namespace nesa::testing
