// What the TF.js layers and graph converters share: a writer for the generated TorchScript
// module, TensorFlow's padding rules, TensorFlow's pooling (average over the part of the window
// inside the image) and TensorFlow's resizing, all on channels-first values.
#pragma once

#include "util/result.h"

#include <torch/script.h>

#include <filesystem>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace nesa::model::tfjs {

/// A number as a TorchScript literal that reads back exactly.
std::string number(double value);

/// The largest kernel, stride or dilation the converters accept.
constexpr std::int64_t kMaxWindow = 1 << 16;
/// The most values one tensor of a converted program may hold.
constexpr std::int64_t kMaxValues = std::int64_t{1} << 28;

/// The product of `sizes` in `product`; false when a size is negative or the product would
/// pass `limit`.
bool checkedProduct(const std::vector<std::int64_t> &sizes, std::int64_t limit,
                    std::int64_t &product);

/// TensorFlow's padding along one dimension: what goes before and after, and the output size.
struct Pads {
  std::int64_t before = 0, after = 0, output = 0;
};

/// "valid" or "same" (either case) padding for one dimension of size `in`.
Pads paddingFor(const std::string &mode, std::int64_t in, std::int64_t kernel, std::int64_t stride,
                std::int64_t dilation);

/// The converted program's input shape for a TF.js input shape: [1, C, H, W] for an image
/// ([1, H, W, C]), [1, F] for flat features; an error for anything else.
Result<std::vector<std::int64_t>> channelsFirstInput(const std::vector<std::int64_t> &shape);

/// Builds `def forward(self, x)` line by line, keeping constants as parameters of the module.
class ScriptWriter {
public:
  explicit ScriptWriter(const std::string &moduleName) : m_module(moduleName) {}

  /// Registers `t` as a constant of the module and returns its name in the program.
  std::string param(const at::Tensor &t);
  /// Appends `var = expression` and returns the new variable.
  std::string emit(const std::string &expression);
  /// Defines forward() returning `output`, runs it once on zeros of `inputShape` and saves the
  /// module to `out`.
  Result<void> save(const std::string &output, const std::vector<std::int64_t> &inputShape,
                    const std::filesystem::path &out);

private:
  torch::jit::Module m_module;
  std::ostringstream m_code;
  int m_params = 0, m_vars = 0;
};

/// A window over the two trailing (spatial) dimensions of a channels-first image.
struct Window {
  std::int64_t kh = 1, kw = 1, sh = 1, sw = 1;
};

/// Whether every size, stride and dilation is between 1 and kMaxWindow.
bool windowFits(const Window &window, std::pair<std::int64_t, std::int64_t> dilation = {1, 1});

/// A 2-D convolution of `var` ([N, C, h, w]) with `kernel` ([O, C / groups, kh, kw]) and `bias`
/// ("None" or a parameter), padded as TensorFlow pads (unevenly where it must).
std::string convolve(ScriptWriter &writer, const std::string &var, const at::Tensor &kernel,
                     const std::string &bias, const Window &window,
                     std::pair<std::int64_t, std::int64_t> dilation, const Pads &ph, const Pads &pw,
                     std::int64_t groups);

/// TensorFlow's max or average pooling of `var` ([N, C, h, w]) with "valid" or "same" padding:
/// padded cells never win a max and never count in an average. Returns the variable and sets
/// the output height and width; an error string when the window does not fit.
Result<std::string> pool(ScriptWriter &writer, const std::string &var, std::int64_t h,
                         std::int64_t w, const Window &window, const std::string &mode, bool max,
                         std::int64_t &outH, std::int64_t &outW);

/// TensorFlow's (and TensorFlow.js's) resizing of `var` ([N, C, h, w]) to outH × outW, as two
/// constant matrix products (which the miners can run): bilinear or nearest, with TensorFlow's
/// align_corners and half_pixel_centers. The caller keeps h·outH and w·outW within kMaxValues.
std::string resize(ScriptWriter &writer, const std::string &var, std::int64_t h, std::int64_t w,
                   std::int64_t outH, std::int64_t outW, bool bilinear, bool alignCorners,
                   bool halfPixelCenters);

} // namespace nesa::model::tfjs
