// The viewer of the analyze page: a 2-D image, or a 3-D volume one slice at a time (slider,
// three orientations, window/level), with a segmentation drawn over it at a chosen opacity.
#pragma once

#include "ingest/volume.h"

#include <QImage>
#include <QWidget>

#include <cstdint>
#include <vector>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QSlider;

namespace nesa::ui {

/// Shows what the user opened and, after a run, the segmentation over it.
class SliceViewer : public QWidget {
  Q_OBJECT
public:
  enum class Orientation { Axial, Coronal, Sagittal };

  explicit SliceViewer(QWidget *parent = nullptr);

  /// Shows a 3-D volume (a 4-D one's first frame), axial, middle slice, default window.
  void showVolume(ingest::Volume volume);
  /// Shows a 2-D image.
  void showImage(const QImage &image);
  /// Empties the viewer.
  void clear();
  /// Draws `mask` (1 where a structure is, on the shown volume's [z, y, x] grid) over the
  /// volume; an empty mask, or one of another size, removes the overlay.
  void setOverlay(std::vector<std::uint8_t> mask);

  bool hasVolume() const { return !m_volume.voxels.empty(); }
  bool hasOverlay() const { return !m_overlay.empty(); }
  int sliceCount() const;
  int currentSlice() const;
  void setSlice(int slice);
  void setOrientation(Orientation orientation);
  /// Window centre and width for the grey levels.
  void setWindow(double center, double width);
  /// The overlay's opacity, 0 to 100.
  void setOverlayOpacity(int percent);
  /// What the viewer currently draws (before scaling to the widget).
  QImage renderedImage() const { return m_rendered; }

Q_SIGNALS:
  /// Emitted when the drawn picture changed (slice, orientation, window, overlay).
  void rendered();

protected:
  void resizeEvent(QResizeEvent *event) override;

private:
  void render();
  void showRendered();
  Orientation orientation() const;

  ingest::Volume m_volume;
  QImage m_image;
  std::vector<std::uint8_t> m_overlay;
  QImage m_rendered;
  QLabel *m_picture = nullptr;
  QLabel *m_position = nullptr;
  QSlider *m_slice = nullptr;
  QComboBox *m_orientation = nullptr;
  QDoubleSpinBox *m_center = nullptr;
  QDoubleSpinBox *m_width = nullptr;
  QSlider *m_opacity = nullptr;
  QWidget *m_volumeControls = nullptr;
};

} // namespace nesa::ui
