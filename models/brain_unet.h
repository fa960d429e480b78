// The built-in brain models' network: a small 2-D U-Net (3 levels, 12/24/32 channels) with
// additive skip connections, written as TorchScript so the trained module is exported as is.
// Additive skips (not concatenation) keep it within what the ee levels can key.
#pragma once

#include <torch/script.h>

#include <cstdint>

namespace nesa::models {

/// A fresh network with `classes` output channels, weights drawn from the current torch seed
/// (He-uniform), parameters requiring gradients so it can be trained.
torch::jit::Module makeBrainUnet(std::int64_t classes);

} // namespace nesa::models
