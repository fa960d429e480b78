#include "model/internal/remote_call.h"

#include <torch/library.h>

namespace nesa::model {
namespace {

thread_local RemoteLinearScope *t_current = nullptr;
thread_local const RemoteLinearHandler *t_handler = nullptr;

at::Tensor remoteLinear(std::vector<std::int64_t> ops, at::Tensor x) {
  TORCH_CHECK(t_handler != nullptr,
              "nesa::remote_linear was called outside a private run (no miners attached)");
  return (*t_handler)(ops, x);
}

} // namespace

void ensureRemoteLinearRegistered() {}

at::Tensor callRemoteLinear(const std::vector<std::int64_t> &ops, const at::Tensor &x) {
  return remoteLinear(ops, x);
}

RemoteLinearScope::RemoteLinearScope(RemoteLinearHandler handler)
    : m_handler(std::move(handler)), m_previous(t_current) {
  t_current = this;
  t_handler = &m_handler;
}

RemoteLinearScope::~RemoteLinearScope() {
  t_current = m_previous;
  t_handler = m_previous ? &m_previous->m_handler : nullptr;
}

} // namespace nesa::model

TORCH_LIBRARY(nesa, m) {
  m.def("remote_linear(int[] ops, Tensor x) -> Tensor", &nesa::model::remoteLinear);
}
