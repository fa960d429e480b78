#include "privacy/linear_work.h"

#include "model/internal/compiled_model_impl.h"
#include "model/internal/remote_call.h"
#include "privacy/internal/share_kernels.h"

#include <torch/script.h>

namespace nesa::privacy {

Result<LinearWork> measureLinearWork(const model::CompiledModel &model,
                                     const std::vector<std::int64_t> &inputShape) {
  LinearWork work;
  const auto &bundle = model.bundle();
  std::vector<PreparedOp> ops;
  for (const auto &op : bundle.ops) {
    work.parameters += static_cast<double>(op.weight.numel()) +
                       (op.bias ? static_cast<double>(op.bias->numel()) : 0.0);
    ops.push_back(prepareOp(op, 16, {true, false}));
  }
  auto client = model.impl().client;
  try {
    c10::InferenceMode guard;
    const auto input = at::zeros(inputShape, at::kFloat);
    work.inputElements = static_cast<double>(input.numel());
    model::RemoteLinearScope scope(
        [&](const std::vector<std::int64_t> &chain, const at::Tensor &x) {
          at::Tensor y = x.to(at::kFloat);
          for (const auto index : chain) {
            if (index < 0 || index >= static_cast<std::int64_t>(ops.size()))
              throw std::runtime_error("the program calls an op its bundle lacks");
            const PreparedOp &op = ops[static_cast<std::size_t>(index)];
            y = applyF32(op, y, true);
            work.flops += 2.0 * static_cast<double>(y.numel()) * static_cast<double>(op.inner);
            work.ops += 1;
          }
          work.calls += 1;
          work.callBytes += 4.0 * static_cast<double>(x.numel() + y.numel());
          return y;
        });
    client.forward({input});
  } catch (const std::exception &e) {
    return fail(ErrorCode::InvalidInput,
                std::string("the model could not run on an input of this shape: ") + e.what());
  }
  return work;
}

} // namespace nesa::privacy
