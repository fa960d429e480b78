// A keyed model's client program as it travels to a miner for `ee` in one round trip: its
// forward graph as TorchScript IR text, written into the keyed bundle by the client, parsed and
// checked by the miner before anything of it runs. (Not a TorchScript archive: loading one runs
// code of its author's before any check could look at it.)
#pragma once

#include "util/result.h"

#include <torch/csrc/jit/ir/ir.h>
#include <torch/script.h>

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace nesa::privacy {

/// What went wrong in a TorchScript run, from what the interpreter threw: the last line of its
/// traceback (an operator's own message).
std::string interpreterError(const std::exception &error);

/// Most bytes of a client program's IR text.
inline constexpr std::size_t kMaxProgramTextBytes = 1u << 20;

/// The IR text of `client`'s forward graph (what model::LinearBundle::program holds), or an
/// error saying why a miner could not run it: it reads its module's attributes, uses an op
/// outside the allow-list, or has constants the text cannot carry exactly (tensors). Such a
/// model runs at `ee` call by call.
Result<std::vector<std::uint8_t>> serializeClientProgram(const torch::jit::Module &client);

/// Parses and checks a program a client sent: IR text of one graph from one tensor to one value
/// whose every op is on the allow-list (docs/privacy.md, "What a miner runs"): element-wise maths
/// and comparisons on tensors, pooling and upsampling to constant sizes within bounds, flatten
/// and reductions, shape queries, constants, lists, `if`, and nesa::remote_linear. No loops, no
/// calls, no I/O, no tensor constants, at most 32 blocks deep.
Result<std::shared_ptr<torch::jit::Graph>> loadClientProgram(std::span<const std::uint8_t> text);

} // namespace nesa::privacy
