// The Keras applications' layers beyond a plain convolutional classifier: separable and
// transposed convolutions, cropping, upsampling, layer normalization, rescaling, reshaping and
// permuting, the remaining merges (Multiply, Subtract, Average, Maximum, Minimum) and
// activation layers (Softmax, LeakyReLU, PReLU, ELU).
#include "model/internal/tfjs_layers.h"

#include <algorithm>

namespace nesa::model::tfjs {

using nlohmann::json;

namespace {

std::string list(const std::vector<std::int64_t> &values) {
  std::string s = "[";
  for (auto v : values)
    s += (s.size() > 1 ? ", " : "") + std::to_string(v);
  return s + "]";
}

// Keras' ((top, bottom), (left, right)), (vertical, horizontal) or one number.
std::array<std::int64_t, 4> fourSides(const json &v) {
  if (v.is_number())
    return {wholeNumber(v), wholeNumber(v), wholeNumber(v), wholeNumber(v)};
  if (v.at(0).is_number())
    return {wholeNumber(v.at(0)), wholeNumber(v.at(0)), wholeNumber(v.at(1)), wholeNumber(v.at(1))};
  const auto [top, bottom] = pairOf(v.at(0));
  const auto [left, right] = pairOf(v.at(1));
  return {top, bottom, left, right};
}

// The single axis a normalization or softmax layer names, as -1 for "the last".
std::int64_t lastAxisOf(const json &axis, std::size_t rank) {
  const json &a = axis.is_array() ? (axis.size() == 1 ? axis.at(0) : json(0)) : axis;
  const auto value = wholeNumber(a);
  return value == -1 || value == static_cast<std::int64_t>(rank) ? -1 : value;
}

} // namespace

Result<Value> LayersProgram::separable(const ingest::TfjsLayer &layer, const json &config,
                                       const Value &in) {
  if (in.shape.size() != 3)
    return unsupported(layer, "it needs an image input");
  if (config.value("data_format", std::string("channels_last")) != "channels_last")
    return unsupported(layer, "only channels_last data is supported");
  const auto [kh, kw] = pairOf(config.at("kernel_size"));
  const auto [sh, sw] = pairOf(config.value("strides", json::array({1, 1})));
  const auto [dh, dw] = pairOf(config.value("dilation_rate", json::array({1, 1})));
  // TensorFlow.js leaves depth_multiplier out of the configurations it saves: the depthwise
  // kernel's last dimension says it.
  const ingest::TfjsWeight *spec = findWeight(layer, "depthwise_kernel");
  const std::int64_t channels = in.shape[0],
                     multiplier =
                         wholeNumberOr(config, "depth_multiplier",
                                       spec && spec->shape.size() == 4 ? spec->shape[3] : 1),
                     filters = wholeNumber(config.at("filters"));
  if (!windowFits({kh, kw, sh, sw}, {dh, dw}) || multiplier <= 0 || multiplier > kMaxWindow ||
      filters <= 0 || filters > kMaxWindow)
    return unsupported(layer, "its kernel, strides, dilation or sizes are impossible");
  auto depthwise = weight(layer, "depthwise_kernel", {kh, kw, channels, multiplier});
  if (!depthwise)
    return depthwise.error();
  auto pointwise = weight(layer, "pointwise_kernel", {1, 1, channels * multiplier, filters});
  if (!pointwise)
    return pointwise.error();
  auto bias = biasOf(layer, config, filters);
  if (!bias)
    return bias.error();
  const std::string mode = config.value("padding", std::string("valid"));
  const Pads ph = paddingFor(mode, in.shape[1], kh, sh, dh),
             pw = paddingFor(mode, in.shape[2], kw, sw, dw);
  if (ph.output <= 0 || pw.output <= 0)
    return unsupported(layer, "its kernel is larger than its input");
  const std::string spread =
      convolve(m_writer, in.var,
               depthwise->permute({2, 3, 0, 1}).reshape({channels * multiplier, 1, kh, kw}), "None",
               {kh, kw, sh, sw}, {dh, dw}, ph, pw, channels);
  const std::string mixed = convolve(m_writer, spread, pointwise->permute({3, 2, 0, 1}), *bias, {},
                                     {1, 1}, Pads{0, 0, ph.output}, Pads{0, 0, pw.output}, 1);
  return activated(layer, config, mixed, {filters, ph.output, pw.output});
}

Result<Value> LayersProgram::transposed(const ingest::TfjsLayer &layer, const json &config,
                                        const Value &in) {
  if (in.shape.size() != 3)
    return unsupported(layer, "it needs an image input");
  if (config.value("data_format", std::string("channels_last")) != "channels_last")
    return unsupported(layer, "only channels_last data is supported");
  const auto [kh, kw] = pairOf(config.at("kernel_size"));
  const auto [sh, sw] = pairOf(config.value("strides", json::array({1, 1})));
  const auto [dh, dw] = pairOf(config.value("dilation_rate", json::array({1, 1})));
  const std::int64_t channels = in.shape[0], filters = wholeNumber(config.at("filters"));
  if (!windowFits({kh, kw, sh, sw}) || dh != 1 || dw != 1 || filters <= 0 || filters > kMaxWindow)
    return unsupported(layer, "its kernel, strides, dilation or filters are impossible");
  auto kernel = weight(layer, "kernel", {kh, kw, filters, channels});
  if (!kernel)
    return kernel.error();
  auto bias = biasOf(layer, config, filters);
  if (!bias)
    return bias.error();
  // The full transposed convolution, then TensorFlow's crop: "valid" keeps (n-1)·s + k,
  // "same" keeps n·s, cropping the surplus as a "same" convolution would have padded it.
  const bool same = config.value("padding", std::string("valid")) == "same";
  std::vector<std::int64_t> size(2), crop(2);
  const std::int64_t n[2] = {in.shape[1], in.shape[2]}, k[2] = {kh, kw}, s[2] = {sh, sw};
  for (int i = 0; i < 2; ++i) {
    const std::int64_t full = (n[i] - 1) * s[i] + k[i];
    size[i] = same ? n[i] * s[i] : full;
    crop[i] = same ? std::max<std::int64_t>(full - size[i], 0) / 2 : 0;
    if (size[i] > full)
      size[i] = full; // a stride larger than the kernel: TensorFlow pads the end with zeros
  }
  if (filters * size[0] * size[1] > kMaxValues)
    return unsupported(layer, "its output would be too large");
  std::string y = emit("torch.conv_transpose2d(" + in.var + ", " +
                       param(kernel->permute({3, 2, 0, 1}).contiguous()) + ", " + *bias + ", " +
                       list({sh, sw}) + ", [0, 0], [0, 0], 1, [1, 1])");
  y = emit(y + "[:, :, " + std::to_string(crop[0]) + ":" + std::to_string(crop[0] + size[0]) +
           ", " + std::to_string(crop[1]) + ":" + std::to_string(crop[1] + size[1]) + "]");
  return activated(layer, config, y, {filters, size[0], size[1]});
}

Result<Value> LayersProgram::convertMore(const ingest::TfjsLayer &layer, const json &config,
                                         const std::vector<Value> &inputs) {
  const std::string &kind = layer.className;
  const Value &in = inputs.at(0);
  if (kind == "SeparableConv2D")
    return separable(layer, config, in);
  if (kind == "Cropping2D") {
    if (in.shape.size() != 3)
      return unsupported(layer, "it needs an image input");
    const auto [top, bottom, left, right] = fourSides(config.at("cropping"));
    if (std::min({top, bottom, left, right}) < 0 || std::max(top, bottom) > in.shape[1] ||
        std::max(left, right) > in.shape[2])
      return unsupported(layer, "its cropping is impossible");
    const std::int64_t h = in.shape[1] - top - bottom, w = in.shape[2] - left - right;
    if (h <= 0 || w <= 0)
      return unsupported(layer, "it crops away the whole image");
    const std::string y =
        emit(in.var + "[:, :, " + std::to_string(top) + ":" + std::to_string(top + h) + ", " +
             std::to_string(left) + ":" + std::to_string(left + w) + "]");
    return Value{y, {in.shape[0], h, w}};
  }
  if (kind == "UpSampling2D") {
    if (in.shape.size() != 3)
      return unsupported(layer, "it needs an image input");
    const auto [sy, sx] = pairOf(config.value("size", json::array({2, 2})));
    const std::string interpolation = config.value("interpolation", std::string("nearest"));
    if (sy <= 0 || sx <= 0 || sy > 64 || sx > 64)
      return unsupported(layer, "its size is impossible");
    if (interpolation != "nearest" && interpolation != "bilinear")
      return unsupported(layer, "the interpolation \"" + interpolation + "\" is not supported");
    // TensorFlow.js resizes without aligned corners or half-pixel centres here.
    const std::int64_t h = in.shape[1] * sy, w = in.shape[2] * sx;
    if (h * in.shape[1] > kMaxValues || w * in.shape[2] > kMaxValues ||
        in.shape[0] * h * w > kMaxValues)
      return unsupported(layer, "its output would be too large");
    return Value{resize(m_writer, in.var, in.shape[1], in.shape[2], h, w,
                        interpolation == "bilinear", false, false),
                 {in.shape[0], h, w}};
  }
  if (kind == "LayerNormalization") {
    if (lastAxisOf(config.value("axis", json(-1)), in.shape.size()) != -1)
      return unsupported(layer, "only normalization over the last axis is supported");
    const std::int64_t c = in.shape[0];
    auto affine = scaleAndCentre(layer, config, c);
    if (!affine)
      return affine.error();
    const auto &[gamma, beta] = *affine;
    const bool image = in.shape.size() == 3;
    const std::string x = image ? emit(in.var + ".permute([0, 2, 3, 1])") : in.var;
    const std::string y =
        emit("torch.layer_norm(" + x + ", [" + std::to_string(c) + "], " + param(gamma) + ", " +
             param(beta) + ", " + number(config.value("epsilon", 1e-3)) + ", False)");
    return Value{image ? emit(y + ".permute([0, 3, 1, 2])") : y, in.shape};
  }
  if (kind == "Rescaling") {
    const double scale = config.value("scale", 1.0), offset = config.value("offset", 0.0);
    return Value{emit(in.var + " * " + number(scale) + " + " + number(offset)), in.shape};
  }
  if (kind == "Reshape") {
    std::vector<std::int64_t> target, known;
    std::int64_t total = 1, knownCount = 1, count = 0, unknown = -1;
    (void)checkedProduct(in.shape, kMaxValues, total);
    for (const auto &d : config.at("target_shape")) {
      const auto size = wholeNumber(d);
      if (size == -1 && unknown < 0)
        unknown = static_cast<std::int64_t>(target.size());
      else if (size <= 0)
        return unsupported(layer, "its target shape is impossible");
      else
        known.push_back(size);
      target.push_back(size);
    }
    if (!checkedProduct(known, kMaxValues, knownCount))
      return unsupported(layer, "its target shape is impossible");
    if (unknown >= 0 && total % knownCount == 0)
      target[static_cast<std::size_t>(unknown)] = total / knownCount;
    if (!checkedProduct(target, kMaxValues, count) || count != total ||
        (target.size() != 1 && target.size() != 3))
      return unsupported(layer, "its target shape does not fit its input");
    // Keras reshapes channels-last data: go there, reshape, and come back for images.
    const std::string x = in.shape.size() == 3 ? emit(in.var + ".permute([0, 2, 3, 1])") : in.var;
    std::vector<std::int64_t> full{1};
    full.insert(full.end(), target.begin(), target.end());
    std::string y = emit("torch.reshape(" + x + ", " + list(full) + ")");
    if (target.size() == 3)
      return Value{emit(y + ".permute([0, 3, 1, 2])"), {target[2], target[0], target[1]}};
    return Value{y, target};
  }
  if (kind == "Multiply" || kind == "Subtract" || kind == "Average" || kind == "Maximum" ||
      kind == "Minimum") {
    if (inputs.size() < 2 || (kind == "Subtract" && inputs.size() != 2))
      return unsupported(layer, "it needs " + std::string(kind == "Subtract" ? "two" : "several") +
                                    " inputs");
    std::vector<std::int64_t> shape = in.shape;
    std::string y = in.var;
    for (std::size_t i = 1; i < inputs.size(); ++i) {
      const auto &other = inputs[i].shape;
      if (other.size() != shape.size())
        return unsupported(layer, "its inputs have different ranks");
      for (std::size_t d = 0; d < shape.size(); ++d) {
        if (other[d] != shape[d] && other[d] != 1 && shape[d] != 1)
          return unsupported(layer, "its inputs' shapes do not broadcast");
        shape[d] = std::max(shape[d], other[d]);
      }
      const std::string &v = inputs[i].var;
      y = kind == "Multiply"   ? emit(y + " * " + v)
          : kind == "Subtract" ? emit(y + " - " + v)
          : kind == "Average"  ? emit(y + " + " + v)
          : kind == "Maximum"  ? emit("torch.maximum(" + y + ", " + v + ")")
                               : emit("torch.minimum(" + y + ", " + v + ")");
    }
    if (kind == "Average")
      y = emit(y + " / " + number(static_cast<double>(inputs.size())));
    return Value{y, shape};
  }
  if (kind == "Softmax") {
    if (lastAxisOf(config.value("axis", json(-1)), in.shape.size()) != -1)
      return unsupported(layer, "only a softmax over the last axis is supported");
    return Value{emit("torch.softmax(" + in.var + ", 1)"), in.shape};
  }
  if (kind == "LeakyReLU") {
    const double alpha = config.value("alpha", config.value("negative_slope", 0.3));
    return Value{emit("torch.leaky_relu(" + in.var + ", " + number(alpha) + ")"), in.shape};
  }
  if (kind == "PReLU") {
    // alpha has the input's channels-last shape, with size 1 along the shared axes.
    std::vector<std::int64_t> shape(in.shape.begin(), in.shape.end());
    if (shape.size() == 3)
      shape = {in.shape[1], in.shape[2], in.shape[0]};
    if (config.contains("shared_axes") && !config.at("shared_axes").is_null()) {
      const json &axes = config.at("shared_axes");
      for (const auto &a : axes.is_array() ? axes : json::array({axes})) {
        const auto axis = wholeNumber(a);
        if (axis < 1 || axis > static_cast<std::int64_t>(shape.size()))
          return unsupported(layer, "its shared axis " + std::to_string(axis) + " is impossible");
        shape[static_cast<std::size_t>(axis - 1)] = 1;
      }
    }
    auto alpha = weight(layer, "alpha", shape);
    if (!alpha)
      return alpha.error();
    const at::Tensor slopes = in.shape.size() == 3 ? alpha->permute({2, 0, 1}) : *alpha;
    return Value{emit("torch.relu(" + in.var + ") - " + param(slopes.unsqueeze(0)) +
                      " * torch.relu(-" + in.var + ")"),
                 in.shape};
  }
  if (kind == "Permute") {
    const auto dims = wholeNumbers(config, "dims");
    std::vector<std::int64_t> sorted = dims;
    std::sort(sorted.begin(), sorted.end());
    for (std::size_t i = 0; i < sorted.size(); ++i)
      if (sorted[i] != static_cast<std::int64_t>(i + 1) || sorted.size() != in.shape.size())
        return unsupported(layer, "its dims are not a permutation of the input's axes");
    // Keras permutes channels-last axes: go there, permute, and come back for images.
    const bool image = in.shape.size() == 3;
    const std::vector<std::int64_t> last =
        image ? std::vector<std::int64_t>{in.shape[1], in.shape[2], in.shape[0]} : in.shape;
    std::vector<std::int64_t> order{0}, shape;
    for (auto d : dims) {
      order.push_back(d);
      shape.push_back(last[static_cast<std::size_t>(d - 1)]);
    }
    std::string y = emit((image ? in.var + ".permute([0, 2, 3, 1])" : in.var) + ".permute(" +
                         list(order) + ")");
    if (!image)
      return Value{y, shape};
    return Value{emit(y + ".permute([0, 3, 1, 2])"), {shape[2], shape[0], shape[1]}};
  }
  if (kind == "Conv2DTranspose")
    return transposed(layer, config, in);
  if (kind == "ELU") {
    const double alpha = config.value("alpha", 1.0);
    return Value{emit("torch.elu(" + in.var + ", " + number(alpha) + ", 1.0, 1.0)"), in.shape};
  }
  return unsupported(layer, "this layer type is not supported");
}

} // namespace nesa::model::tfjs
