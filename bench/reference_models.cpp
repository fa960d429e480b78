#include "reference_models.h"

#include <torch/script.h>

#include <cmath>

namespace nesa::testing {
namespace {

struct Builder {
  torch::jit::Module module;
  explicit Builder(const char *name, std::uint64_t seed) : module(name) {
    torch::manual_seed(seed);
  }

  // Parameters drawn like PyTorch's default init (uniform ±1/sqrt(fan_in)).
  void param(const std::string &name, std::vector<std::int64_t> shape, std::int64_t fanIn) {
    const double bound = 1.0 / std::sqrt(static_cast<double>(fanIn));
    module.register_parameter(name, torch::rand(shape) * (2 * bound) - bound, false);
  }
  void buffer(const std::string &name, const at::Tensor &value) {
    module.register_buffer(name, value);
  }
  void batchNorm(const std::string &prefix, std::int64_t channels) {
    module.register_parameter(prefix + "_w", torch::rand({channels}) + 0.5, false);
    module.register_parameter(prefix + "_b", torch::randn({channels}) * 0.1, false);
    buffer(prefix + "_mean", torch::randn({channels}) * 0.1);
    buffer(prefix + "_var", torch::rand({channels}) + 0.5);
  }
  ReferenceModel save(const std::filesystem::path &file, const std::string &source,
                      std::vector<std::int64_t> shape) {
    module.define(source);
    module.eval();
    module.save(file.string());
    return {file, std::move(shape)};
  }
};

} // namespace

ReferenceModel writeMlp(const std::filesystem::path &file, std::uint64_t seed) {
  Builder b("ReferenceMlp", seed);
  b.param("w1", {32, 16}, 16);
  b.param("b1", {32}, 16);
  b.param("w2", {32, 32}, 32);
  b.param("b2", {32}, 32);
  b.param("w3", {8, 32}, 32);
  b.param("b3", {8}, 32);
  return b.save(file, R"(
def forward(self, x):
    h = torch.relu(torch.linear(x, self.w1, self.b1))
    h = torch.linear(h, self.w2, self.b2)
    return torch.linear(h, self.w3, self.b3)
)",
                {4, 16});
}

ReferenceModel writeCnn(const std::filesystem::path &file, int channels, int size,
                        std::uint64_t seed) {
  Builder b("ReferenceCnn", seed);
  const std::int64_t c = channels;
  b.param("c1_w", {c, 1, 3, 3}, 9);
  b.param("c1_b", {c}, 9);
  b.batchNorm("bn1", c);
  b.param("c2_w", {c, c, 3, 3}, 9 * c);
  b.batchNorm("bn2", c);
  b.param("dw_w", {c, 1, 3, 3}, 9);
  b.param("dw_b", {c}, 9);
  b.param("fc_w", {4, c}, c);
  b.param("fc_b", {4}, c);
  return b.save(file,
                R"(
def forward(self, x):
    y = torch.conv2d(x, self.c1_w, self.c1_b, [1, 1], [1, 1], [1, 1], 1)
    y = torch.batch_norm(y, self.bn1_w, self.bn1_b, self.bn1_mean, self.bn1_var, False, 0.1, 1e-5, False)
    y = torch.relu(y)
    y = torch.conv2d(y, self.c2_w, None, [2, 2], [1, 1], [1, 1], 1)
    y = torch.batch_norm(y, self.bn2_w, self.bn2_b, self.bn2_mean, self.bn2_var, False, 0.1, 1e-5, False)
    y = torch.relu(y)
    y = torch.conv2d(y, self.dw_w, self.dw_b, [1, 1], [1, 1], [1, 1], )" +
                    std::to_string(c) + R"()
    y = torch.max_pool2d(torch.relu(y), [2, 2], [2, 2], [0, 0], [1, 1], False)
    y = torch.adaptive_avg_pool2d(y, [1, 1]).flatten(1)
    return torch.linear(y, self.fc_w, self.fc_b)
)",
                {1, 1, size, size});
}

ReferenceModel writeVolumeCnn(const std::filesystem::path &file, std::uint64_t seed) {
  Builder b("ReferenceVolumeCnn", seed);
  b.param("c1_w", {4, 1, 3, 3, 3}, 27);
  b.param("c1_b", {4}, 27);
  b.param("c2_w", {4, 4, 3, 3, 3}, 108);
  b.param("c2_b", {4}, 108);
  b.param("fc_w", {2, 4}, 4);
  b.param("fc_b", {2}, 4);
  return b.save(file, R"(
def forward(self, x):
    y = torch.relu(torch.conv3d(x, self.c1_w, self.c1_b, [1, 1, 1], [1, 1, 1], [1, 1, 1], 1))
    y = torch.relu(torch.conv3d(y, self.c2_w, self.c2_b, [2, 2, 2], [1, 1, 1], [1, 1, 1], 1))
    return torch.linear(y.mean([2, 3, 4]), self.fc_w, self.fc_b)
)",
                {1, 1, 8, 8, 8});
}

ReferenceModel writeTransformer(const std::filesystem::path &file, std::uint64_t seed) {
  Builder b("ReferenceTransformer", seed);
  for (const char *name : {"q", "k", "v", "o"}) {
    b.param(std::string("w") + name, {32, 32}, 32);
    b.param(std::string("b") + name, {32}, 32);
  }
  b.param("w1", {64, 32}, 32);
  b.param("b1", {64}, 32);
  b.param("w2", {32, 64}, 64);
  b.param("b2", {32}, 64);
  b.param("wh", {5, 32}, 32);
  b.param("bh", {5}, 32);
  for (const char *name : {"ln1", "ln2"}) {
    b.module.register_parameter(std::string(name) + "_w", torch::rand({32}) + 0.5, false);
    b.module.register_parameter(std::string(name) + "_b", torch::randn({32}) * 0.1, false);
  }
  return b.save(file, R"(
def forward(self, x):
    B = x.size(0)
    T = x.size(1)
    q = torch.linear(x, self.wq, self.bq).view(B, T, 4, 8).transpose(1, 2)
    k = torch.linear(x, self.wk, self.bk).view(B, T, 4, 8).transpose(1, 2)
    v = torch.linear(x, self.wv, self.bv).view(B, T, 4, 8).transpose(1, 2)
    scores = torch.matmul(q, k.transpose(-2, -1)) / 2.8284271247461903
    h = torch.matmul(torch.softmax(scores, -1), v).transpose(1, 2).reshape(B, T, 32)
    x = torch.layer_norm(x + torch.linear(h, self.wo, self.bo), [32], self.ln1_w, self.ln1_b, 1e-5)
    m = torch.linear(torch.gelu(torch.linear(x, self.w1, self.b1)), self.w2, self.b2)
    x = torch.layer_norm(x + m, [32], self.ln2_w, self.ln2_b, 1e-5)
    return torch.linear(x.mean(1), self.wh, self.bh)
)",
                {1, 8, 32});
}

ReferenceModel writeNonLinearOnly(const std::filesystem::path &file) {
  Builder b("NothingToOffload", 5);
  return b.save(file, R"(
def forward(self, x):
    return torch.relu(x) * 2.0
)",
                {2, 3});
}

} // namespace nesa::testing
