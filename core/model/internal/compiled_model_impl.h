// The libtorch side of a CompiledModel. Include only from files that already use libtorch.
#pragma once

#include "model/compiled_model.h"

#include <torch/script.h>

namespace nesa::model {

struct CompiledModel::Impl {
  torch::jit::Module original; ///< frozen, for the `local` level and for reference
  torch::jit::Module client;   ///< frozen and rewritten: linear ops call nesa::remote_linear
  LinearBundle bundle;
  std::string bundleId;
  CompileReport report;
};

} // namespace nesa::model
