// The models MetaInf's collector measures: random-weight TorchScript models of five families
// (MLP, 1D/2D/3D CNN, transformer encoder) at sizes drawn from a seed, each with its input.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace nesa::metainf {

/// One generated model: its family, a name unique in a collection, and the source of its
/// forward pass with its parameters' shapes.
struct TaskModel {
  std::string family; ///< "mlp", "cnn1d", "cnn2d", "cnn3d" or "transformer"
  std::string name;   ///< "cnn2d-17": family and index
  std::uint64_t seed = 0;
  std::vector<std::int64_t> inputShape;
  std::string source; ///< TorchScript `forward`
  struct Parameter {
    std::string name;
    std::vector<std::int64_t> shape;
    std::int64_t fanIn = 1;
  };
  std::vector<Parameter> parameters;
};

/// The families, in the order models cycle through them.
const std::vector<std::string> &taskFamilies();

/// Model `index` of a collection seeded with `seed`: family index mod 5, sizes drawn from
/// (seed, index). The same arguments give the same model.
TaskModel makeTaskModel(int index, std::uint64_t seed);

/// Writes `model` as a TorchScript file with weights drawn from its seed (uniform ±1/√fan-in).
void saveTaskModel(const TaskModel &model, const std::filesystem::path &file);

} // namespace nesa::metainf
