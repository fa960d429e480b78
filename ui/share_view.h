// "What the miners saw": the input as the model takes it next to the same data as one miner
// received it, as two images of the middle slice, each scaled to its own range, with the
// numbers' range and their correlation with the original.
#pragma once

#include "ui/analysis_backend.h"

#include <QImage>
#include <QWidget>

class QLabel;

namespace nesa::ui {

/// The middle item of an [N, C, H, W] (or [C, H, W], [H, W]) tensor as an image: RGB when it
/// has 3 channels, else its first channel in grey, scaled from its own min..max. Null for
/// another shape or missing values.
QImage tensorSliceImage(const TensorView &tensor);

/// Pearson correlation of the middle slices of two tensors of the same shape (0 when either is
/// constant or they differ in shape).
double sliceCorrelation(const TensorView &a, const TensorView &b);

/// The two images and a sentence about them.
class ShareView : public QWidget {
  Q_OBJECT
public:
  explicit ShareView(QWidget *parent = nullptr);

  /// Shows `input` and `share` (nothing, with a sentence saying why, when `share` is empty).
  void showTensors(const TensorView &input, const TensorView &share, const QString &level);
  /// Clears both images.
  void clear();
  bool hasImages() const;
  /// The sentence under the images.
  QString captionText() const;

private:
  QLabel *m_original = nullptr;
  QLabel *m_share = nullptr;
  QLabel *m_caption = nullptr;
};

} // namespace nesa::ui
