// The data of the built-in brain models: Colin27 T1 slices with their brain masks (from
// Debian's mricron-data), the held-out split, synthetic lesions painted into real slices, and the
// scores (Dice, lesion detection). Shared by the training program and the tests, so the figures
// in docs/models.md come from the same code that made the models. Torch-free.
#pragma once

#include "ingest/preprocess.h"
#include "util/result.h"

#include <cstdint>
#include <filesystem>
#include <vector>

namespace nesa::models {

/// A stack of 2-D slices, row-major [count, rows, cols], with one mask per slice.
struct SliceStack {
  std::int64_t count = 0, rows = 0, cols = 0;
  std::vector<float> images;       ///< prepared as the model's manifest says
  std::vector<std::uint8_t> masks; ///< 1 inside the structure (brain or lesion), else 0
  std::int64_t sliceSize() const { return rows * cols; }
};

/// Where Debian installs mricron-data's templates.
inline const std::filesystem::path kMricronTemplates = "/usr/share/mricron/templates";

/// The Colin27 T1 scan `scanFile` (ch2.nii.gz or ch2better.nii.gz) prepared with `steps` (which
/// must cut slices), with brain masks from the skull-stripped copy ch2bet.nii.gz resampled the
/// same way. Errors name the missing or unreadable file.
Result<SliceStack> loadColin27(const std::filesystem::path &templates,
                               const std::filesystem::path &scanFile,
                               const ingest::Preprocessing &steps);

/// Training uses slices in three of every four blocks of 8; the fourth block of each group of
/// 32 slices (16–23, 48–55, 80–87 at 2 mm) is never seen in training.
bool isHeldOut(std::int64_t slice);

/// The slices of `stack` for which `keep(index)` is true.
template <typename Keep> SliceStack selectSlices(const SliceStack &stack, Keep keep) {
  SliceStack out{0, stack.rows, stack.cols, {}, {}};
  const auto n = static_cast<std::ptrdiff_t>(stack.sliceSize());
  for (std::int64_t s = 0; s < stack.count; ++s)
    if (keep(s)) {
      out.images.insert(out.images.end(), stack.images.begin() + s * n,
                        stack.images.begin() + (s + 1) * n);
      out.masks.insert(out.masks.end(), stack.masks.begin() + s * n,
                       stack.masks.begin() + (s + 1) * n);
      ++out.count;
    }
  return out;
}

/// Paints up to `maxLesions` synthetic lesions (soft-edged ellipses, 3–8 pixels in radius,
/// brighter than the tissue by 1.5–3 standard deviations) into slice `image` where
/// `brain` is set, and returns their mask. The same `seed` paints the same lesions.
std::vector<std::uint8_t> paintLesions(float *image, const std::uint8_t *brain, std::int64_t rows,
                                       std::int64_t cols, int maxLesions, std::uint64_t seed);

/// Dice overlap 2|A∩B| / (|A| + |B|); 1 when both are empty.
double dice(const std::vector<std::uint8_t> &predicted, const std::vector<std::uint8_t> &truth);

/// How a lesion detector did over a stack.
struct DetectionScore {
  int lesions = 0;        ///< painted lesions (connected components of the truth)
  int detected = 0;       ///< those that a predicted component touches
  int falsePositives = 0; ///< predicted components that touch no lesion
  std::int64_t slices = 0;
};

/// Scores predicted masks against true ones, slice by slice (4-connected components).
DetectionScore scoreDetection(const std::vector<std::uint8_t> &predicted,
                              const std::vector<std::uint8_t> &truth, std::int64_t count,
                              std::int64_t rows, std::int64_t cols);

} // namespace nesa::models
