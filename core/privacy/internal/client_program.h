// A keyed model's client program as it travels to a miner for `ee` in one round trip: written
// into the keyed bundle by the client, loaded and checked by the miner before it runs anything.
#pragma once

#include "util/result.h"

#include <torch/script.h>

#include <cstdint>
#include <span>
#include <vector>

namespace nesa::privacy {

/// The TorchScript archive of `client` (what model::LinearBundle::program holds), or an error
/// naming the first op a miner would refuse to run (then the model runs at `ee` call by call).
Result<std::vector<std::uint8_t>> serializeClientProgram(const torch::jit::Module &client);

/// Loads a program a client sent. Refuses what is not a TorchScript archive, a program whose
/// forward graph calls methods or functions, loops, or uses any op outside the allow-list
/// (element-wise maths, pooling and upsampling, shape queries, constants and lists, and
/// nesa::remote_linear): a miner runs strangers' programs, which must not reach its files,
/// its network or its other work.
Result<torch::jit::Module> loadClientProgram(std::span<const std::uint8_t> bytes);

} // namespace nesa::privacy
