#include "model/internal/tfjs_program.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>

namespace nesa::model::tfjs {

std::string number(double value) {
  if (std::isnan(value))
    return "float('nan')";
  if (std::isinf(value))
    return value > 0 ? "float('inf')" : "float('-inf')";
  std::ostringstream text;
  text.precision(17);
  text << value;
  std::string s = text.str();
  if (s.find_first_of(".en") == std::string::npos)
    s += ".0";
  return s;
}

bool windowFits(const Window &window, std::pair<std::int64_t, std::int64_t> dilation) {
  for (auto v : {window.kh, window.kw, window.sh, window.sw, dilation.first, dilation.second})
    if (v < 1 || v > kMaxWindow)
      return false;
  return true;
}

bool checkedProduct(const std::vector<std::int64_t> &sizes, std::int64_t limit,
                    std::int64_t &product) {
  product = 1;
  for (auto d : sizes) {
    if (d < 0 || (d != 0 && product > limit / d))
      return false;
    product *= d;
  }
  return true;
}

Pads paddingFor(const std::string &mode, std::int64_t in, std::int64_t kernel, std::int64_t stride,
                std::int64_t dilation) {
  const std::int64_t span = (kernel - 1) * dilation + 1;
  Pads p;
  std::string lower = mode;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower == "same") {
    p.output = (in + stride - 1) / stride;
    const std::int64_t total = std::max<std::int64_t>((p.output - 1) * stride + span - in, 0);
    p.before = total / 2;
    p.after = total - p.before;
  } else {
    p.output = in >= span ? (in - span) / stride + 1 : 0;
  }
  return p;
}

Result<std::vector<std::int64_t>> channelsFirstInput(const std::vector<std::int64_t> &shape) {
  if (shape.size() == 4)
    return std::vector<std::int64_t>{1, shape[3], shape[1], shape[2]};
  if (shape.size() == 2)
    return std::vector<std::int64_t>{1, shape[1]};
  return fail(ErrorCode::InvalidInput, "only image (H, W, C) and flat inputs can be imported");
}

std::string ScriptWriter::param(const at::Tensor &t) {
  const std::string name = "p" + std::to_string(m_params++);
  m_module.register_parameter(name, t.to(at::kFloat).contiguous(), false);
  return "self." + name;
}

std::string ScriptWriter::emit(const std::string &expression) {
  const std::string var = "v" + std::to_string(m_vars++);
  m_code << "    " << var << " = " << expression << "\n";
  return var;
}

Result<void> ScriptWriter::save(const std::string &output,
                                const std::vector<std::int64_t> &inputShape,
                                const std::filesystem::path &out) {
  try {
    m_module.define("def forward(self, x):\n" + m_code.str() + "    return " + output + "\n");
    m_module.eval();
    // One run on zeros proves the program is well-formed before it is saved.
    (void)m_module.forward({torch::zeros(inputShape)});
    m_module.save(out.string());
  } catch (const c10::Error &e) {
    return fail(ErrorCode::InvalidInput,
                std::string("the imported program failed: ") + e.what_without_backtrace());
  } catch (const std::bad_alloc &) {
    return fail(ErrorCode::InvalidInput, "the imported program needs more memory than there is");
  } catch (const std::exception &e) { // TorchScript's compiler and interpreter errors
    return fail(ErrorCode::InvalidInput, std::string("the imported program failed: ") + e.what());
  }
  return {};
}

namespace {

std::string list(std::initializer_list<std::int64_t> values) {
  std::string s = "[";
  for (auto v : values)
    s += (s.size() > 1 ? ", " : "") + std::to_string(v);
  return s + "]";
}

// The [out, in] matrix that resizes one dimension the way TensorFlow.js's CPU kernels do.
at::Tensor resizeMatrix(std::int64_t in, std::int64_t out, bool bilinear, bool alignCorners,
                        bool halfPixelCenters) {
  at::Tensor m = torch::zeros({out, in}, at::kDouble);
  auto a = m.accessor<double, 2>();
  const double ratio = alignCorners && out > 1 ? static_cast<double>(in - 1) / (out - 1)
                                               : static_cast<double>(in) / out;
  for (std::int64_t o = 0; o < out; ++o) {
    if (bilinear) {
      const double source = halfPixelCenters ? (o + 0.5) * ratio - 0.5 : o * ratio;
      const double floor = std::floor(source);
      const auto low = std::clamp<std::int64_t>(static_cast<std::int64_t>(floor), 0, in - 1);
      const auto high =
          std::clamp<std::int64_t>(static_cast<std::int64_t>(std::ceil(source)), 0, in - 1);
      const double fraction = source - floor;
      a[o][low] += 1 - fraction;
      a[o][high] += fraction;
    } else {
      const double source = halfPixelCenters ? (o + 0.5) * ratio : o * ratio;
      auto nearest =
          static_cast<std::int64_t>(alignCorners ? std::round(source) : std::floor(source));
      a[o][std::clamp<std::int64_t>(nearest, 0, in - 1)] = 1;
    }
  }
  return m.to(at::kFloat);
}

} // namespace

std::string convolve(ScriptWriter &writer, const std::string &var, const at::Tensor &kernel,
                     const std::string &bias, const Window &window,
                     std::pair<std::int64_t, std::int64_t> dilation, const Pads &ph, const Pads &pw,
                     std::int64_t groups) {
  std::string x = var;
  std::int64_t padH = ph.before, padW = pw.before;
  if (ph.before != ph.after || pw.before != pw.after) {
    x = writer.emit("torch.constant_pad_nd(" + x + ", " +
                    list({pw.before, pw.after, ph.before, ph.after}) + ", 0.0)");
    padH = padW = 0;
  }
  return writer.emit("torch.conv2d(" + x + ", " + writer.param(kernel) + ", " + bias + ", " +
                     list({window.sh, window.sw}) + ", " + list({padH, padW}) + ", " +
                     list({dilation.first, dilation.second}) + ", " + std::to_string(groups) + ")");
}

Result<std::string> pool(ScriptWriter &writer, const std::string &var, std::int64_t h,
                         std::int64_t w, const Window &window, const std::string &mode, bool max,
                         std::int64_t &outH, std::int64_t &outW) {
  if (!windowFits(window))
    return fail(ErrorCode::InvalidInput, "its window or strides are impossible");
  std::string lower = mode;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower != "same" && lower != "valid")
    return fail(ErrorCode::InvalidInput, "the padding \"" + mode + "\" is not supported");
  const Pads ph = paddingFor(mode, h, window.kh, window.sh, 1),
             pw = paddingFor(mode, w, window.kw, window.sw, 1);
  if (ph.output <= 0 || pw.output <= 0)
    return fail(ErrorCode::InvalidInput, "its window is larger than its input");
  outH = ph.output;
  outW = pw.output;
  const std::string kernel = list({window.kh, window.kw}), stride = list({window.sh, window.sw});
  const bool padded = ph.before + ph.after + pw.before + pw.after != 0;
  std::string x = var;
  if (padded)
    x = writer.emit("torch.constant_pad_nd(" + x + ", " +
                    list({pw.before, pw.after, ph.before, ph.after}) + ", " +
                    (max ? number(-std::numeric_limits<double>::infinity()) : "0.0") + ")");
  if (max)
    return writer.emit("torch.max_pool2d(" + x + ", " + kernel + ", " + stride +
                       ", [0, 0], [1, 1], False)");
  std::string y = writer.emit("torch.avg_pool2d(" + x + ", " + kernel + ", " + stride +
                              ", [0, 0], False, "
                              "True, None)");
  if (!padded)
    return y;
  // The average counted the padding's zeros; rescale each output by window / cells inside.
  at::Tensor scale = torch::empty({1, 1, outH, outW});
  auto s = scale.accessor<float, 4>();
  for (std::int64_t i = 0; i < outH; ++i) {
    const std::int64_t top = std::max<std::int64_t>(i * window.sh - ph.before, 0),
                       bottom = std::min(i * window.sh - ph.before + window.kh, h);
    for (std::int64_t j = 0; j < outW; ++j) {
      const std::int64_t left = std::max<std::int64_t>(j * window.sw - pw.before, 0),
                         right = std::min(j * window.sw - pw.before + window.kw, w);
      s[0][0][i][j] = static_cast<float>(static_cast<double>(window.kh * window.kw) /
                                         ((bottom - top) * (right - left)));
    }
  }
  return writer.emit(y + " * " + writer.param(scale));
}

std::string resize(ScriptWriter &writer, const std::string &var, std::int64_t h, std::int64_t w,
                   std::int64_t outH, std::int64_t outW, bool bilinear, bool alignCorners,
                   bool halfPixelCenters) {
  const at::Tensor rows = resizeMatrix(h, outH, bilinear, alignCorners, halfPixelCenters);
  const at::Tensor columns = resizeMatrix(w, outW, bilinear, alignCorners, halfPixelCenters);
  // Both products keep the constant on the right, so compileModel() can send them to miners.
  const std::string wide =
      writer.emit("torch.matmul(" + var + ", " + writer.param(columns.t()) + ")");
  const std::string tall =
      writer.emit("torch.matmul(" + wide + ".transpose(2, 3), " + writer.param(rows.t()) + ")");
  return writer.emit(tall + ".transpose(2, 3)");
}

} // namespace nesa::model::tfjs
