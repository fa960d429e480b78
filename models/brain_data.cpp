#include "brain_data.h"

#include "ingest/nifti_reader.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <random>

namespace nesa::models {
namespace {

Result<ingest::Volume> readTemplate(const std::filesystem::path &file) {
  if (!std::filesystem::exists(file))
    return fail(ErrorCode::NotFound, file.string() + " is missing (install mricron-data, or run "
                                                     "scripts/fetch-test-data.sh)");
  return ingest::readNifti(file);
}

// Labels 4-connected components of one slice's mask; returns their count.
int labelComponents(const std::uint8_t *mask, std::int64_t rows, std::int64_t cols,
                    std::vector<int> &labels) {
  labels.assign(static_cast<std::size_t>(rows * cols), 0);
  int next = 0;
  std::vector<std::int64_t> stack;
  for (std::int64_t start = 0; start < rows * cols; ++start) {
    if (!mask[start] || labels[static_cast<std::size_t>(start)])
      continue;
    labels[static_cast<std::size_t>(start)] = ++next;
    stack.push_back(start);
    while (!stack.empty()) {
      const std::int64_t p = stack.back(), r = p / cols, c = p % cols;
      stack.pop_back();
      const std::int64_t neighbours[4][2] = {{r - 1, c}, {r + 1, c}, {r, c - 1}, {r, c + 1}};
      for (const auto &[nr, nc] : neighbours) {
        const std::int64_t q = nr * cols + nc;
        if (nr >= 0 && nr < rows && nc >= 0 && nc < cols && mask[q] &&
            !labels[static_cast<std::size_t>(q)]) {
          labels[static_cast<std::size_t>(q)] = next;
          stack.push_back(q);
        }
      }
    }
  }
  return next;
}

// Trilinear sample of `volume` at the world position `world` (mm); 0 outside.
float sampleAtWorld(const ingest::Volume &volume, const std::array<double, 3> &world) {
  // Inverts the 3×3 part of the affine (general, though the templates' are diagonal).
  const auto &a = volume.affine;
  const double m[3][3] = {
      {a[0][0], a[0][1], a[0][2]}, {a[1][0], a[1][1], a[1][2]}, {a[2][0], a[2][1], a[2][2]}};
  const double det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) -
                     m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
                     m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
  const double d[3] = {world[0] - a[0][3], world[1] - a[1][3], world[2] - a[2][3]};
  double v[3];
  for (int c = 0; c < 3; ++c) { // Cramer's rule: column c replaced by d
    double r[3][3];
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 3; ++j)
        r[i][j] = j == c ? d[i] : m[i][j];
    v[c] = (r[0][0] * (r[1][1] * r[2][2] - r[1][2] * r[2][1]) -
            r[0][1] * (r[1][0] * r[2][2] - r[1][2] * r[2][0]) +
            r[0][2] * (r[1][0] * r[2][1] - r[1][1] * r[2][0])) /
           det;
  }
  const std::int64_t nz = volume.shape[0], ny = volume.shape[1], nx = volume.shape[2];
  const std::int64_t size[3] = {nx, ny, nz};
  std::int64_t lo[3];
  double f[3];
  for (int c = 0; c < 3; ++c) {
    if (v[c] < 0 || v[c] > static_cast<double>(size[c] - 1))
      return 0.0f;
    lo[c] = std::min(static_cast<std::int64_t>(v[c]), size[c] - 2 < 0 ? 0 : size[c] - 2);
    f[c] = v[c] - static_cast<double>(lo[c]);
  }
  double sum = 0;
  for (int corner = 0; corner < 8; ++corner) {
    double weight = 1;
    std::int64_t index[3];
    for (int c = 0; c < 3; ++c) {
      const bool up = (corner >> c) & 1;
      index[c] = std::min(lo[c] + (up ? 1 : 0), size[c] - 1);
      weight *= up ? f[c] : 1 - f[c];
    }
    sum += weight *
           volume.voxels[static_cast<std::size_t>((index[2] * ny + index[1]) * nx + index[0])];
  }
  return static_cast<float>(sum);
}

} // namespace

Result<SliceStack> loadColin27(const std::filesystem::path &templates,
                               const std::filesystem::path &scanFile,
                               const ingest::Preprocessing &steps) {
  if (steps.slices == ingest::Preprocessing::Slices::None)
    return fail(ErrorCode::InvalidInput, "the brain models take 2-D slices");
  auto scan = readTemplate(templates / scanFile);
  if (!scan)
    return scan.error();
  auto stripped = readTemplate(templates / "ch2bet.nii.gz");
  if (!stripped)
    return stripped.error();
  ingest::Preprocessing volumeSteps = steps;
  volumeSteps.slices = ingest::Preprocessing::Slices::None;
  auto prepared = ingest::preprocess(*scan, volumeSteps);
  if (!prepared)
    return prepared.error();
  // The mask: the skull-stripped copy as 0/1, sampled at the world position of every prepared
  // voxel and thresholded at one half, so scans on other grids (ch2better) line up too.
  for (float &v : stripped->voxels)
    v = v > 0 ? 1.0f : 0.0f;
  ingest::Volume mask = *prepared;
  const std::int64_t nz = mask.shape[0], ny = mask.shape[1], nx = mask.shape[2];
  for (std::int64_t k = 0; k < nz; ++k)
    for (std::int64_t j = 0; j < ny; ++j)
      for (std::int64_t i = 0; i < nx; ++i) {
        std::array<double, 3> world{};
        for (int r = 0; r < 3; ++r)
          world[static_cast<std::size_t>(r)] =
              mask.affine[static_cast<std::size_t>(r)][0] * static_cast<double>(i) +
              mask.affine[static_cast<std::size_t>(r)][1] * static_cast<double>(j) +
              mask.affine[static_cast<std::size_t>(r)][2] * static_cast<double>(k) +
              mask.affine[static_cast<std::size_t>(r)][3];
        mask.voxels[static_cast<std::size_t>((k * ny + j) * nx + i)] =
            sampleAtWorld(*stripped, world);
      }
  const auto images = ingest::slicesAlong(*prepared, steps.slices);
  const auto masks = ingest::slicesAlong(mask, steps.slices);
  SliceStack stack{images.shape[0], images.shape[1], images.shape[2], images.voxels, {}};
  stack.masks.reserve(masks.voxels.size());
  for (float v : masks.voxels)
    stack.masks.push_back(v >= 0.5f ? 1 : 0);
  return stack;
}

bool isHeldOut(std::int64_t slice) { return (slice / 8) % 4 == 2; }

std::vector<std::uint8_t> paintLesions(float *image, const std::uint8_t *brain, std::int64_t rows,
                                       std::int64_t cols, int maxLesions, std::uint64_t seed) {
  std::vector<std::uint8_t> lesions(static_cast<std::size_t>(rows * cols), 0);
  std::vector<std::int64_t> inside;
  for (std::int64_t p = 0; p < rows * cols; ++p)
    if (brain[p])
      inside.push_back(p);
  if (inside.empty() || maxLesions <= 0)
    return lesions;
  std::mt19937_64 rng(seed);
  auto uniform = [&](double lo, double hi) {
    return lo + (hi - lo) * std::uniform_real_distribution<double>(0, 1)(rng);
  };
  const int count = 1 + static_cast<int>(rng() % static_cast<std::uint64_t>(maxLesions));
  for (int l = 0; l < count; ++l) {
    const std::int64_t centre = inside[rng() % inside.size()];
    const double cr = static_cast<double>(centre / cols), cc = static_cast<double>(centre % cols);
    const double ra = uniform(3, 8), rb = uniform(3, 8), angle = uniform(0, std::numbers::pi);
    const double contrast = uniform(1.5, 3);
    const double ca = std::cos(angle), sa = std::sin(angle);
    const auto reach = static_cast<std::int64_t>(std::ceil(std::max(ra, rb))) + 1;
    for (std::int64_t r = std::max<std::int64_t>(0, static_cast<std::int64_t>(cr) - reach);
         r <= std::min(rows - 1, static_cast<std::int64_t>(cr) + reach); ++r)
      for (std::int64_t c = std::max<std::int64_t>(0, static_cast<std::int64_t>(cc) - reach);
           c <= std::min(cols - 1, static_cast<std::int64_t>(cc) + reach); ++c) {
        const std::int64_t p = r * cols + c;
        if (!brain[p])
          continue;
        const double u = ((r - cr) * ca + (c - cc) * sa) / ra;
        const double v = (-(r - cr) * sa + (c - cc) * ca) / rb;
        const double d2 = u * u + v * v;
        if (d2 > 1.0)
          continue;
        // A soft edge: full contrast in the inner part, fading to nothing at the rim.
        const double weight = std::min(1.0, 3.0 * (1.0 - d2));
        image[p] += static_cast<float>(contrast * weight);
        if (d2 <= 0.8)
          lesions[static_cast<std::size_t>(p)] = 1;
      }
  }
  return lesions;
}

double dice(const std::vector<std::uint8_t> &predicted, const std::vector<std::uint8_t> &truth) {
  std::int64_t both = 0, sum = 0;
  for (std::size_t i = 0; i < predicted.size() && i < truth.size(); ++i) {
    both += predicted[i] && truth[i];
    sum += (predicted[i] ? 1 : 0) + (truth[i] ? 1 : 0);
  }
  return sum == 0 ? 1.0 : 2.0 * static_cast<double>(both) / static_cast<double>(sum);
}

DetectionScore scoreDetection(const std::vector<std::uint8_t> &predicted,
                              const std::vector<std::uint8_t> &truth, std::int64_t count,
                              std::int64_t rows, std::int64_t cols) {
  DetectionScore score;
  score.slices = count;
  std::vector<int> truthLabels, predictedLabels;
  for (std::int64_t s = 0; s < count; ++s) {
    const std::uint8_t *t = truth.data() + s * rows * cols, *p = predicted.data() + s * rows * cols;
    const int lesions = labelComponents(t, rows, cols, truthLabels);
    const int found = labelComponents(p, rows, cols, predictedLabels);
    std::vector<bool> lesionHit(static_cast<std::size_t>(lesions) + 1, false),
        componentHit(static_cast<std::size_t>(found) + 1, false);
    for (std::int64_t i = 0; i < rows * cols; ++i)
      if (truthLabels[static_cast<std::size_t>(i)] &&
          predictedLabels[static_cast<std::size_t>(i)]) {
        lesionHit[static_cast<std::size_t>(truthLabels[static_cast<std::size_t>(i)])] = true;
        componentHit[static_cast<std::size_t>(predictedLabels[static_cast<std::size_t>(i)])] = true;
      }
    score.lesions += lesions;
    for (int l = 1; l <= lesions; ++l)
      score.detected += lesionHit[static_cast<std::size_t>(l)] ? 1 : 0;
    for (int c = 1; c <= found; ++c)
      score.falsePositives += componentHit[static_cast<std::size_t>(c)] ? 0 : 1;
  }
  return score;
}

} // namespace nesa::models
