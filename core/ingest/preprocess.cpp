#include "ingest/preprocess.h"

#include "ingest/internal/json_object.h"

#include <algorithm>
#include <cmath>

namespace nesa::ingest {
namespace {

using nlohmann::json;

Error invalid(const std::string &key, const std::string &why) {
  return fail(ErrorCode::InvalidInput, "preprocessing '" + key + "' " + why);
}

// The voxel at (z, y, x) or `outside` when it falls off the volume.
struct Grid {
  const Volume &v;
  std::int64_t nz, ny, nx;
  explicit Grid(const Volume &volume)
      : v(volume), nz(volume.shape[0]), ny(volume.shape[1]), nx(volume.shape[2]) {}
  float at(std::int64_t z, std::int64_t y, std::int64_t x) const {
    z = std::clamp<std::int64_t>(z, 0, nz - 1);
    y = std::clamp<std::int64_t>(y, 0, ny - 1);
    x = std::clamp<std::int64_t>(x, 0, nx - 1);
    return v.voxels[static_cast<std::size_t>((z * ny + y) * nx + x)];
  }
};

} // namespace

Result<nlohmann::json> parseJsonObject(const std::string &text, const std::string &what) {
  json root;
  try {
    root = json::parse(text);
  } catch (const json::exception &e) { // parse errors, and numbers too large (out_of_range)
    return fail(ErrorCode::InvalidInput, what + " is not valid JSON: " + e.what());
  }
  if (!root.is_object())
    return fail(ErrorCode::InvalidInput, what + " must be a JSON object");
  return root;
}

Result<Preprocessing> parsePreprocessing(const std::string &text) {
  auto root = parseJsonObject(text, "the preprocessing");
  if (!root)
    return root.error();
  return preprocessingFromJson(*root);
}

Result<Preprocessing> preprocessingFromJson(const nlohmann::json &root) {
  if (!root.is_object())
    return fail(ErrorCode::InvalidInput, "the preprocessing must be a JSON object");
  Preprocessing steps;
  for (const auto &[key, value] : root.items()) {
    if (key == "spacing") {
      if (!value.is_array() || value.size() != 3)
        return invalid(key, "must be three numbers (mm along x, y, z)");
      std::array<double, 3> spacing{};
      for (int i = 0; i < 3; ++i) {
        if (!value[static_cast<std::size_t>(i)].is_number() ||
            value[static_cast<std::size_t>(i)].get<double>() <= 0)
          return invalid(key, "must be positive numbers");
        spacing[static_cast<std::size_t>(i)] = value[static_cast<std::size_t>(i)].get<double>();
      }
      steps.spacing = spacing;
    } else if (key == "shape") {
      if (!value.is_array() || value.size() != 3)
        return invalid(key, "must be three sizes [z, y, x]");
      std::array<std::int64_t, 3> shape{};
      for (int i = 0; i < 3; ++i) {
        const auto &d = value[static_cast<std::size_t>(i)];
        if (!d.is_number_integer() || d.get<std::int64_t>() < 1 || d.get<std::int64_t>() > 4096)
          return invalid(key, "sizes must be whole numbers from 1 to 4096");
        shape[static_cast<std::size_t>(i)] = d.get<std::int64_t>();
      }
      steps.shape = shape;
    } else if (key == "pad") {
      if (!value.is_number())
        return invalid(key, "must be a number");
      steps.padValue = value.get<float>();
    } else if (key == "normalize") {
      const std::string name = value.is_string() ? value.get<std::string>() : "";
      if (name == "none")
        steps.normalize = Preprocessing::Normalize::None;
      else if (name == "zscore")
        steps.normalize = Preprocessing::Normalize::ZScore;
      else if (name == "zscore-foreground")
        steps.normalize = Preprocessing::Normalize::ZScoreForeground;
      else if (name == "minmax")
        steps.normalize = Preprocessing::Normalize::MinMax;
      else if (name == "window")
        steps.normalize = Preprocessing::Normalize::Window;
      else
        return invalid(key, "must be none, zscore, zscore-foreground, minmax or window");
    } else if (key == "window") {
      if (!value.is_array() || value.size() != 2 || !value[0].is_number() ||
          !value[1].is_number() || value[1].get<double>() <= 0)
        return invalid(key, "must be [center, width] with a positive width");
      steps.windowCenter = value[0].get<double>();
      steps.windowWidth = value[1].get<double>();
    } else if (key == "slices") {
      const std::string name = value.is_string() ? value.get<std::string>() : "";
      if (name == "axial")
        steps.slices = Preprocessing::Slices::Axial;
      else if (name == "coronal")
        steps.slices = Preprocessing::Slices::Coronal;
      else if (name == "sagittal")
        steps.slices = Preprocessing::Slices::Sagittal;
      else if (name != "none")
        return invalid(key, "must be none, axial, coronal or sagittal");
    } else {
      return invalid(key, "is not a known step (spacing, shape, pad, normalize, window, slices)");
    }
  }
  if (steps.normalize == Preprocessing::Normalize::Window && steps.windowWidth <= 0)
    return invalid("window", "is required when normalize is \"window\"");
  return steps;
}

Result<Volume> resample(const Volume &volume, const std::array<double, 3> &spacing) {
  if (volume.shape.size() != 3)
    return fail(ErrorCode::InvalidInput, "only 3-D volumes can be resampled");
  std::array<std::int64_t, 3> size{}; // x, y, z
  for (int a = 0; a < 3; ++a) {
    const auto n = volume.shape[static_cast<std::size_t>(2 - a)];
    const double extent = static_cast<double>(n) * volume.spacing[static_cast<std::size_t>(a)];
    size[static_cast<std::size_t>(a)] =
        std::max<std::int64_t>(1, std::llround(extent / spacing[static_cast<std::size_t>(a)]));
  }
  if (size[0] * size[1] * size[2] > (std::int64_t{1} << 30))
    return fail(ErrorCode::InvalidInput, "resampling would make the volume too large");
  Volume out = volume;
  out.shape = {size[2], size[1], size[0]};
  out.spacing = spacing;
  out.voxels.assign(static_cast<std::size_t>(size[0] * size[1] * size[2]), 0.0f);
  const Grid grid(volume);
  // Output voxel i covers the same physical point as input coordinate i·(new/old spacing).
  const double sx = spacing[0] / volume.spacing[0], sy = spacing[1] / volume.spacing[1],
               sz = spacing[2] / volume.spacing[2];
  std::size_t index = 0;
  for (std::int64_t z = 0; z < size[2]; ++z) {
    const double fz = static_cast<double>(z) * sz;
    const auto z0 = static_cast<std::int64_t>(std::floor(fz));
    const double tz = fz - static_cast<double>(z0);
    for (std::int64_t y = 0; y < size[1]; ++y) {
      const double fy = static_cast<double>(y) * sy;
      const auto y0 = static_cast<std::int64_t>(std::floor(fy));
      const double ty = fy - static_cast<double>(y0);
      for (std::int64_t x = 0; x < size[0]; ++x) {
        const double fx = static_cast<double>(x) * sx;
        const auto x0 = static_cast<std::int64_t>(std::floor(fx));
        const double tx = fx - static_cast<double>(x0);
        double value = 0;
        for (int dz = 0; dz < 2; ++dz)
          for (int dy = 0; dy < 2; ++dy)
            for (int dx = 0; dx < 2; ++dx)
              value += (dz ? tz : 1 - tz) * (dy ? ty : 1 - ty) * (dx ? tx : 1 - tx) *
                       grid.at(z0 + dz, y0 + dy, x0 + dx);
        out.voxels[index++] = static_cast<float>(value);
      }
    }
  }
  for (int r = 0; r < 3; ++r) { // columns scale with the new voxel size; the origin stays
    out.affine[static_cast<std::size_t>(r)][0] *= sx;
    out.affine[static_cast<std::size_t>(r)][1] *= sy;
    out.affine[static_cast<std::size_t>(r)][2] *= sz;
  }
  return out;
}

Volume cropOrPad(const Volume &volume, const std::array<std::int64_t, 3> &shape, float padValue) {
  Volume out = volume;
  out.shape = {shape[0], shape[1], shape[2]};
  out.voxels.assign(static_cast<std::size_t>(shape[0] * shape[1] * shape[2]), padValue);
  std::array<std::int64_t, 3> offset{}; // input index = output index + offset, per [z, y, x]
  for (int a = 0; a < 3; ++a)
    offset[static_cast<std::size_t>(a)] =
        (volume.shape[static_cast<std::size_t>(a)] - shape[static_cast<std::size_t>(a)]) / 2;
  for (std::int64_t z = 0; z < shape[0]; ++z) {
    const auto iz = z + offset[0];
    if (iz < 0 || iz >= volume.shape[0])
      continue;
    for (std::int64_t y = 0; y < shape[1]; ++y) {
      const auto iy = y + offset[1];
      if (iy < 0 || iy >= volume.shape[1])
        continue;
      for (std::int64_t x = 0; x < shape[2]; ++x) {
        const auto ix = x + offset[2];
        if (ix < 0 || ix >= volume.shape[2])
          continue;
        out.voxels[static_cast<std::size_t>((z * shape[1] + y) * shape[2] + x)] =
            volume.voxels[static_cast<std::size_t>((iz * volume.shape[1] + iy) * volume.shape[2] +
                                                   ix)];
      }
    }
  }
  for (int r = 0; r < 3; ++r) // voxel (0,0,0) of the result sits at input voxel `offset`
    out.affine[static_cast<std::size_t>(r)][3] +=
        volume.affine[static_cast<std::size_t>(r)][0] * static_cast<double>(offset[2]) +
        volume.affine[static_cast<std::size_t>(r)][1] * static_cast<double>(offset[1]) +
        volume.affine[static_cast<std::size_t>(r)][2] * static_cast<double>(offset[0]);
  return out;
}

void normalizeIntensities(Volume &volume, const Preprocessing &steps) {
  auto &v = volume.voxels;
  if (v.empty())
    return;
  switch (steps.normalize) {
  case Preprocessing::Normalize::None: return;
  case Preprocessing::Normalize::ZScore: {
    double mean = 0, squares = 0;
    for (float x : v)
      mean += x;
    mean /= static_cast<double>(v.size());
    for (float x : v)
      squares += (x - mean) * (x - mean);
    const double sd = std::sqrt(squares / static_cast<double>(v.size()));
    for (float &x : v)
      x = sd > 0 ? static_cast<float>((x - mean) / sd) : 0.0f;
    return;
  }
  case Preprocessing::Normalize::ZScoreForeground: {
    // Foreground: brighter than a tenth of the 99.5th percentile, so the statistics do not
    // depend on how much air or padding surrounds the subject.
    std::vector<float> sorted(v);
    const auto rank = static_cast<std::ptrdiff_t>(0.995 * static_cast<double>(sorted.size() - 1));
    std::nth_element(sorted.begin(), sorted.begin() + rank, sorted.end());
    const double threshold = 0.1 * sorted[static_cast<std::size_t>(rank)];
    double sum = 0, squares = 0, n = 0;
    for (float x : v)
      if (x > threshold)
        sum += x, squares += static_cast<double>(x) * x, n += 1;
    const double mean = n > 0 ? sum / n : 0;
    const double sd = n > 0 ? std::sqrt(std::max(0.0, squares / n - mean * mean)) : 0;
    for (float &x : v)
      x = sd > 0 ? static_cast<float>((x - mean) / sd) : 0.0f;
    return;
  }
  case Preprocessing::Normalize::MinMax: {
    const auto [low, high] = std::minmax_element(v.begin(), v.end());
    const float lo = *low, range = *high - *low;
    for (float &x : v)
      x = range > 0 ? (x - lo) / range : 0.0f;
    return;
  }
  case Preprocessing::Normalize::Window: {
    const double lo = steps.windowCenter - steps.windowWidth / 2;
    for (float &x : v)
      x = static_cast<float>(std::clamp((x - lo) / steps.windowWidth, 0.0, 1.0));
    return;
  }
  }
}

Volume slicesAlong(const Volume &volume, Preprocessing::Slices axis) {
  if (axis == Preprocessing::Slices::None || axis == Preprocessing::Slices::Axial)
    return volume; // [z, y, x] already is a stack of axial slices
  const auto nz = volume.shape[0], ny = volume.shape[1], nx = volume.shape[2];
  Volume out = volume;
  out.voxels.clear();
  out.voxels.reserve(volume.voxels.size());
  const Grid grid(volume);
  if (axis == Preprocessing::Slices::Coronal) { // one slice per y: rows z, columns x
    out.shape = {ny, nz, nx};
    for (std::int64_t y = 0; y < ny; ++y)
      for (std::int64_t z = 0; z < nz; ++z)
        for (std::int64_t x = 0; x < nx; ++x)
          out.voxels.push_back(grid.at(z, y, x));
  } else { // sagittal: one slice per x: rows z, columns y
    out.shape = {nx, nz, ny};
    for (std::int64_t x = 0; x < nx; ++x)
      for (std::int64_t z = 0; z < nz; ++z)
        for (std::int64_t y = 0; y < ny; ++y)
          out.voxels.push_back(grid.at(z, y, x));
  }
  return out;
}

namespace {

VoxelGrid gridOf(const Volume &volume) {
  return {
      {volume.shape[0], volume.shape[1], volume.shape[2]}, volume.affine, volume.coordinateSystem};
}

} // namespace

Result<Volume> preprocess(const Volume &volume, const Preprocessing &steps,
                          PreparedGeometry *geometry) {
  if (volume.shape.size() != 3)
    return fail(ErrorCode::InvalidInput, "this model takes 3-D volumes; the input has " +
                                             std::to_string(volume.shape.size()) + " dimensions");
  Volume current = volume;
  if (steps.spacing) {
    auto resampled = resample(current, *steps.spacing);
    if (!resampled)
      return resampled.error();
    current = std::move(*resampled);
  }
  if (steps.shape)
    current = cropOrPad(current, *steps.shape, steps.padValue);
  normalizeIntensities(current, steps);
  if (geometry)
    *geometry = {gridOf(volume), gridOf(current), steps.slices};
  return slicesAlong(current, steps.slices);
}

Result<std::vector<float>> prepareImage(const Image &image, std::int64_t channels,
                                        std::int64_t height, std::int64_t width) {
  if (image.width <= 0 || image.height <= 0 ||
      image.pixels.size() != static_cast<std::size_t>(image.width) * image.height * image.channels)
    return fail(ErrorCode::InvalidInput, "the image is empty");
  if ((channels != 1 && channels != 3) || height <= 0 || width <= 0 || height > 16384 ||
      width > 16384)
    return fail(ErrorCode::InvalidInput, "the model takes an image shape this reader cannot make");
  std::vector<float> out(static_cast<std::size_t>(channels * height * width));
  // Align corners: output pixel i samples input position i·(in−1)/(out−1).
  auto ratio = [](int in, std::int64_t outSize) {
    return outSize > 1 ? static_cast<double>(in - 1) / static_cast<double>(outSize - 1) : 0.0;
  };
  const double ry = ratio(image.height, height), rx = ratio(image.width, width);
  for (std::int64_t y = 0; y < height; ++y) {
    const double sy = static_cast<double>(y) * ry;
    const auto y0 = static_cast<int>(sy);
    const int y1 = std::min(y0 + 1, image.height - 1);
    const double fy = sy - y0;
    for (std::int64_t x = 0; x < width; ++x) {
      const double sx = static_cast<double>(x) * rx;
      const auto x0 = static_cast<int>(sx);
      const int x1 = std::min(x0 + 1, image.width - 1);
      const double fx = sx - x0;
      for (std::int64_t c = 0; c < channels; ++c) {
        const int source = image.channels == 1
                               ? 0
                               : static_cast<int>(std::min<std::int64_t>(c, image.channels - 1));
        auto at = [&](int row, int column) {
          return static_cast<double>(
              image.pixels[(static_cast<std::size_t>(row) * image.width + column) * image.channels +
                           source]);
        };
        const double top = at(y0, x0) + (at(y0, x1) - at(y0, x0)) * fx;
        const double bottom = at(y1, x0) + (at(y1, x1) - at(y1, x0)) * fx;
        out[static_cast<std::size_t>((c * height + y) * width + x)] =
            static_cast<float>((top + (bottom - top) * fy) / 255.0);
      }
    }
  }
  return out;
}

} // namespace nesa::ingest
