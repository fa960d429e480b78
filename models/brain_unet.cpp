#include "brain_unet.h"

#include <cmath>
#include <string>

namespace nesa::models {
namespace {

void addConv(torch::jit::Module &module, const std::string &name, std::int64_t out, std::int64_t in,
             std::int64_t kernel) {
  const double fanIn = static_cast<double>(in * kernel * kernel);
  const double bound = std::sqrt(6.0 / fanIn); // He-uniform for ReLU layers
  module.register_parameter(name + "_w", (torch::rand({out, in, kernel, kernel}) * 2 - 1) * bound,
                            false);
  module.register_parameter(name + "_b", torch::zeros({out}), false);
}

} // namespace

torch::jit::Module makeBrainUnet(std::int64_t classes) {
  torch::jit::Module module("BrainUnet");
  const std::int64_t c1 = 12, c2 = 24, c3 = 32;
  addConv(module, "e1a", c1, 1, 3);
  addConv(module, "e1b", c1, c1, 3);
  addConv(module, "e2a", c2, c1, 3);
  addConv(module, "e2b", c2, c2, 3);
  addConv(module, "e3a", c3, c2, 3);
  addConv(module, "e3b", c3, c3, 3);
  addConv(module, "u2", c2, c3, 3);
  addConv(module, "d2", c1, c2, 3);
  addConv(module, "d1", c1, c1, 3);
  addConv(module, "out", classes, c1, 1);
  module.define(R"(
def block(self, x, w, b):
    return torch.relu(torch.conv2d(x, w, b, [1, 1], [1, 1], [1, 1], 1))

def forward(self, x):
    e1 = self.block(self.block(x, self.e1a_w, self.e1a_b), self.e1b_w, self.e1b_b)
    e2 = torch.max_pool2d(e1, [2, 2], [2, 2], [0, 0], [1, 1], False)
    e2 = self.block(self.block(e2, self.e2a_w, self.e2a_b), self.e2b_w, self.e2b_b)
    e3 = torch.max_pool2d(e2, [2, 2], [2, 2], [0, 0], [1, 1], False)
    e3 = self.block(self.block(e3, self.e3a_w, self.e3a_b), self.e3b_w, self.e3b_b)
    u2 = torch.upsample_nearest2d(e3, [e2.size(2), e2.size(3)], None, None)
    u2 = self.block(u2, self.u2_w, self.u2_b) + e2
    u1 = self.block(u2, self.d2_w, self.d2_b)
    u1 = torch.upsample_nearest2d(u1, [e1.size(2), e1.size(3)], None, None) + e1
    u1 = self.block(u1, self.d1_w, self.d1_b)
    return torch.conv2d(u1, self.out_w, self.out_b, [1, 1], [0, 0], [1, 1], 1)
)");
  for (auto p : module.parameters())
    p.requires_grad_(true);
  return module;
}

} // namespace nesa::models
