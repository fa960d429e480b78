// The `nesa::remote_linear(int[] ops, Tensor x) -> Tensor` operator that compiled client
// programs call, and how an executor takes those calls on its thread.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <functional>
#include <vector>

namespace nesa::model {

/// Computes the chain of bundle ops `ops` (applied in order) on `x`, returning the result.
using RemoteLinearHandler =
    std::function<at::Tensor(const std::vector<std::int64_t> &ops, const at::Tensor &x)>;

/// While alive, `nesa::remote_linear` calls made on this thread go to `handler`. Scopes nest;
/// outside any scope the operator throws ("called outside a private run").
class RemoteLinearScope {
public:
  explicit RemoteLinearScope(RemoteLinearHandler handler);
  ~RemoteLinearScope();
  RemoteLinearScope(const RemoteLinearScope &) = delete;
  RemoteLinearScope &operator=(const RemoteLinearScope &) = delete;

private:
  RemoteLinearHandler m_handler;
  RemoteLinearScope *m_previous;
};

/// Calls the current scope's handler from native code, as `nesa::remote_linear` does from a
/// TorchScript program; throws c10::Error outside any scope.
at::Tensor callRemoteLinear(const std::vector<std::int64_t> &ops, const at::Tensor &x);

/// Makes sure the operator is registered with libtorch (its registration lives in the same
/// object file, which a static link would otherwise drop). Cheap; call before building graphs.
void ensureRemoteLinearRegistered();

/// The operator's qualified name, for the graph rewriter.
inline constexpr const char *kRemoteLinearOp = "nesa::remote_linear";

} // namespace nesa::model
