#include "task_models.h"

#include <torch/script.h>

#include <cmath>
#include <random>

namespace nesa::metainf {
namespace {

using Shape = std::vector<std::int64_t>;

/// Draws sizes for one model.
struct Draw {
  std::mt19937_64 rng;
  std::int64_t between(std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
  }
  /// A power of two in [lo, hi] (both powers of two).
  std::int64_t pow2(std::int64_t lo, std::int64_t hi) {
    const auto a = static_cast<int>(std::log2(lo)), b = static_cast<int>(std::log2(hi));
    return std::int64_t{1} << between(a, b);
  }
  const char *activation() {
    static const char *names[] = {"torch.relu", "torch.gelu", "torch.tanh", "torch.sigmoid"};
    return names[between(0, 3)];
  }
};

std::string list(const Shape &values) {
  std::string out = "[";
  for (std::size_t i = 0; i < values.size(); ++i)
    out += (i ? ", " : "") + std::to_string(values[i]);
  return out + "]";
}

void mlp(TaskModel &m, Draw &d) {
  const auto batch = d.pow2(1, 64), in = d.pow2(16, 512), depth = d.between(2, 6);
  m.inputShape = {batch, in};
  std::string body = "def forward(self, x):\n    h = x\n";
  std::int64_t width = in;
  for (std::int64_t l = 0; l < depth; ++l) {
    const auto out = l + 1 == depth ? d.pow2(2, 32) : d.pow2(32, 1024);
    const auto w = "w" + std::to_string(l), b = "b" + std::to_string(l);
    m.parameters.push_back({w, {out, width}, width});
    m.parameters.push_back({b, {out}, width});
    const std::string linear = "torch.linear(h, self." + w + ", self." + b + ")";
    // Now and then two linear layers in a row: a chain fusion joins.
    if (l + 1 == depth || d.between(0, 3) == 0)
      body += "    h = " + linear + "\n";
    else
      body += "    h = " + std::string(d.activation()) + "(" + linear + ")\n";
    width = out;
  }
  m.source = body + "    return h\n";
}

void cnn(TaskModel &m, Draw &d, int dims) {
  const std::int64_t in = d.between(1, 3);
  const std::int64_t size = dims == 1   ? d.pow2(64, 2048)
                            : dims == 2 ? d.pow2(16, 128)
                                        : d.pow2(8, 32);
  const std::int64_t depth = d.between(2, dims == 3 ? 3 : 5);
  Shape input = {1, in};
  for (int i = 0; i < dims; ++i)
    input.push_back(size);
  m.inputShape = input;
  const std::string conv = "torch.conv" + std::to_string(dims) + "d";
  const auto ones = Shape(dims, 1);
  std::string body = "def forward(self, x):\n    y = x\n";
  std::int64_t channels = in, spatial = size;
  for (std::int64_t l = 0; l < depth; ++l) {
    const auto out = dims == 3 ? d.pow2(2, 16) : d.pow2(4, 64);
    const std::int64_t kernel = d.between(0, 2) == 0 ? 1 : 3;
    const std::int64_t stride = spatial >= 8 && d.between(0, 1) ? 2 : 1;
    Shape wshape = {out, channels};
    for (int i = 0; i < dims; ++i)
      wshape.push_back(kernel);
    std::int64_t fan = channels;
    for (int i = 0; i < dims; ++i)
      fan *= kernel;
    const auto w = "c" + std::to_string(l), b = "cb" + std::to_string(l);
    m.parameters.push_back({w, wshape, fan});
    m.parameters.push_back({b, {out}, fan});
    body += "    y = " + std::string(d.activation()) + "(" + conv + "(y, self." + w + ", self." +
            b + ", " + list(Shape(dims, stride)) + ", " + list(Shape(dims, kernel / 2)) + ", " +
            list(ones) + ", 1))\n";
    channels = out;
    spatial = (spatial + stride - 1) / stride;
  }
  const auto classes = d.pow2(2, 16);
  m.parameters.push_back({"fc_w", {classes, channels}, channels});
  m.parameters.push_back({"fc_b", {classes}, channels});
  Shape reduce;
  for (int i = 0; i < dims; ++i)
    reduce.push_back(2 + i);
  m.source = body + "    return torch.linear(y.mean(" + list(reduce) + "), self.fc_w, self.fc_b)\n";
}

void transformer(TaskModel &m, Draw &d) {
  const auto heads = d.pow2(2, 4), headDim = d.pow2(8, 32), seq = d.pow2(4, 128);
  const auto dim = heads * headDim, layers = d.between(1, 3), hidden = dim * d.between(2, 4);
  m.inputShape = {1, seq, dim};
  std::string body = "def forward(self, x):\n    B = x.size(0)\n    T = x.size(1)\n";
  const std::string split =
      ".view(B, T, " + std::to_string(heads) + ", " + std::to_string(headDim) + ").transpose(1, 2)";
  for (std::int64_t l = 0; l < layers; ++l) {
    const auto p = "l" + std::to_string(l) + "_";
    for (const char *name : {"q", "k", "v", "o"}) {
      m.parameters.push_back({p + "w" + name, {dim, dim}, dim});
      m.parameters.push_back({p + "b" + name, {dim}, dim});
    }
    m.parameters.push_back({p + "w1", {hidden, dim}, dim});
    m.parameters.push_back({p + "b1", {hidden}, dim});
    m.parameters.push_back({p + "w2", {dim, hidden}, hidden});
    m.parameters.push_back({p + "b2", {dim}, hidden});
    const auto lin = [&](const std::string &in, const std::string &w) {
      return "torch.linear(" + in + ", self." + p + "w" + w + ", self." + p + "b" + w + ")";
    };
    body += "    q = " + lin("x", "q") + split + "\n";
    body += "    k = " + lin("x", "k") + split + "\n";
    body += "    v = " + lin("x", "v") + split + "\n";
    body += "    a = torch.softmax(torch.matmul(q, k.transpose(-2, -1)) / " +
            std::to_string(std::sqrt(static_cast<double>(headDim))) + ", -1)\n";
    body +=
        "    h = torch.matmul(a, v).transpose(1, 2).reshape(B, T, " + std::to_string(dim) + ")\n";
    body += "    x = torch.layer_norm(x + " + lin("h", "o") + ", [" + std::to_string(dim) +
            "], None, None, 1e-5)\n";
    body += "    x = torch.layer_norm(x + " + lin("torch.gelu(" + lin("x", "1") + ")", "2") +
            ", [" + std::to_string(dim) + "], None, None, 1e-5)\n";
  }
  const auto classes = d.pow2(2, 16);
  m.parameters.push_back({"head_w", {classes, dim}, dim});
  m.parameters.push_back({"head_b", {classes}, dim});
  m.source = body + "    return torch.linear(x.mean(1), self.head_w, self.head_b)\n";
}

} // namespace

const std::vector<std::string> &taskFamilies() {
  static const std::vector<std::string> families = {"mlp", "cnn1d", "cnn2d", "cnn3d",
                                                    "transformer"};
  return families;
}

TaskModel makeTaskModel(int index, std::uint64_t seed) {
  TaskModel m;
  m.family = taskFamilies()[static_cast<std::size_t>(index) % taskFamilies().size()];
  m.name = m.family + "-" + std::to_string(index);
  m.seed = seed * 1000003 + static_cast<std::uint64_t>(index);
  Draw d{std::mt19937_64(m.seed)};
  if (m.family == "mlp")
    mlp(m, d);
  else if (m.family == "transformer")
    transformer(m, d);
  else
    cnn(m, d, m.family[3] - '0');
  return m;
}

void saveTaskModel(const TaskModel &model, const std::filesystem::path &file) {
  torch::jit::Module module("MetaInfTask");
  torch::manual_seed(model.seed);
  for (const auto &p : model.parameters) {
    const double bound = 1.0 / std::sqrt(static_cast<double>(p.fanIn));
    module.register_parameter(p.name, torch::rand(p.shape) * (2 * bound) - bound, false);
  }
  module.define(model.source);
  module.eval();
  module.save(file.string());
}

} // namespace nesa::metainf
