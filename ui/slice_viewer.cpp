#include "ui/slice_viewer.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSlider>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace nesa::ui {
namespace {

// A display window covering the 1st to 99th percentile of a sample of the voxels.
std::pair<double, double> defaultWindow(const ingest::Volume &volume) {
  if (volume.windowWidth > 0)
    return {volume.windowCenter, volume.windowWidth};
  std::vector<float> sample;
  const std::size_t step = std::max<std::size_t>(1, volume.voxels.size() / 100000);
  for (std::size_t i = 0; i < volume.voxels.size(); i += step)
    sample.push_back(volume.voxels[i]);
  if (sample.empty())
    return {0, 1};
  std::sort(sample.begin(), sample.end());
  const double lo = sample[sample.size() / 100], hi = sample[sample.size() * 99 / 100];
  return {(lo + hi) / 2, std::max(hi - lo, 1e-6)};
}

} // namespace

SliceViewer::SliceViewer(QWidget *parent) : QWidget(parent) {
  m_picture = new QLabel(tr("Drop a scan, an image or a document to see it here."));
  m_picture->setAlignment(Qt::AlignCenter);
  m_picture->setMinimumSize(240, 240);
  m_picture->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
  m_position = new QLabel;
  m_slice = new QSlider(Qt::Horizontal);
  m_slice->setMinimumWidth(160);
  m_orientation = new QComboBox;
  m_orientation->addItems({tr("Axial"), tr("Coronal"), tr("Sagittal")});
  m_center = new QDoubleSpinBox;
  m_width = new QDoubleSpinBox;
  for (auto *box : {m_center, m_width}) {
    box->setRange(-1e6, 1e6);
    box->setDecimals(2);
  }
  m_width->setMinimum(1e-3);
  m_opacity = new QSlider(Qt::Horizontal);
  m_opacity->setRange(0, 100);
  m_opacity->setValue(50);
  m_opacity->setMinimumWidth(80);

  m_volumeControls = new QWidget;
  // Two rows, so the viewer fits a narrow window: where in the volume, then how it looks.
  auto *where = new QHBoxLayout;
  where->addWidget(m_orientation);
  where->addWidget(m_slice, 1);
  where->addWidget(m_position);
  auto *look = new QHBoxLayout;
  look->addWidget(new QLabel(tr("Level")));
  look->addWidget(m_center);
  look->addWidget(new QLabel(tr("Window")));
  look->addWidget(m_width);
  look->addWidget(new QLabel(tr("Overlay")));
  look->addWidget(m_opacity, 1);
  auto *controls = new QVBoxLayout(m_volumeControls);
  controls->setContentsMargins(0, 0, 0, 0);
  controls->addLayout(where);
  controls->addLayout(look);
  m_volumeControls->setVisible(false);

  auto *layout = new QVBoxLayout(this);
  layout->addWidget(m_picture, 1);
  layout->addWidget(m_volumeControls);

  connect(m_slice, &QSlider::valueChanged, this, [this] { render(); });
  connect(m_orientation, &QComboBox::currentIndexChanged, this, [this] {
    const QSignalBlocker block(m_slice);
    m_slice->setRange(0, std::max(0, sliceCount() - 1));
    m_slice->setValue(sliceCount() / 2);
    render();
  });
  for (auto *box : {m_center, m_width})
    connect(box, &QDoubleSpinBox::valueChanged, this, [this] { render(); });
  connect(m_opacity, &QSlider::valueChanged, this, [this] { render(); });
}

void SliceViewer::showVolume(ingest::Volume volume) {
  if (volume.shape.size() == 4) { // the first frame of a 4-D series
    const auto frame = volume.count() / volume.shape[0];
    volume.voxels.resize(static_cast<std::size_t>(frame));
    volume.shape.erase(volume.shape.begin());
  }
  m_volume = std::move(volume);
  m_image = QImage();
  m_overlay.clear();
  const auto [center, width] = defaultWindow(m_volume);
  {
    const QSignalBlocker a(m_center), b(m_width), c(m_orientation), d(m_slice);
    m_center->setValue(center);
    m_width->setValue(width);
    m_orientation->setCurrentIndex(0);
    m_slice->setRange(0, std::max(0, sliceCount() - 1));
    m_slice->setValue(sliceCount() / 2);
  }
  m_volumeControls->setVisible(true);
  render();
}

void SliceViewer::showImage(const QImage &image) {
  m_volume = {};
  m_overlay.clear();
  m_image = image;
  m_volumeControls->setVisible(false);
  render();
}

void SliceViewer::clear() {
  m_volume = {};
  m_image = QImage();
  m_overlay.clear();
  m_volumeControls->setVisible(false);
  m_rendered = QImage();
  m_picture->setPixmap({});
  m_picture->setText(tr("Drop a scan, an image or a document to see it here."));
  Q_EMIT rendered();
}

void SliceViewer::setOverlay(std::vector<std::uint8_t> mask) {
  m_overlay = mask.size() == m_volume.voxels.size() ? std::move(mask) : std::vector<std::uint8_t>{};
  render();
}

SliceViewer::Orientation SliceViewer::orientation() const {
  return static_cast<Orientation>(m_orientation->currentIndex());
}

int SliceViewer::sliceCount() const {
  if (m_volume.shape.size() != 3)
    return 0;
  switch (orientation()) {
  case Orientation::Axial: return static_cast<int>(m_volume.shape[0]);
  case Orientation::Coronal: return static_cast<int>(m_volume.shape[1]);
  case Orientation::Sagittal: return static_cast<int>(m_volume.shape[2]);
  }
  return 0;
}

int SliceViewer::currentSlice() const { return m_slice->value(); }
void SliceViewer::setSlice(int slice) { m_slice->setValue(slice); }
void SliceViewer::setOrientation(Orientation o) {
  m_orientation->setCurrentIndex(static_cast<int>(o));
}
void SliceViewer::setOverlayOpacity(int percent) { m_opacity->setValue(percent); }

void SliceViewer::setWindow(double center, double width) {
  const QSignalBlocker block(m_center);
  m_center->setValue(center);
  m_width->setValue(width);
  render();
}

void SliceViewer::render() {
  if (!m_image.isNull()) {
    m_rendered = m_image;
  } else if (m_volume.shape.size() == 3) {
    const auto nz = m_volume.shape[0], ny = m_volume.shape[1], nx = m_volume.shape[2];
    const int s = std::clamp(currentSlice(), 0, std::max(0, sliceCount() - 1));
    // Rows and columns of the picture: the voxel of the top-left pixel and the steps to the
    // next row and column (superior and anterior up).
    std::int64_t rows, cols, first, rowStep, colStep;
    double rowMm, colMm;
    switch (orientation()) {
    case Orientation::Axial:
      rows = ny, cols = nx, rowMm = m_volume.spacing[1], colMm = m_volume.spacing[0];
      first = (s * ny + ny - 1) * nx, rowStep = -nx, colStep = 1;
      break;
    case Orientation::Coronal:
      rows = nz, cols = nx, rowMm = m_volume.spacing[2], colMm = m_volume.spacing[0];
      first = ((nz - 1) * ny + s) * nx, rowStep = -ny * nx, colStep = 1;
      break;
    default:
      rows = nz, cols = ny, rowMm = m_volume.spacing[2], colMm = m_volume.spacing[1];
      first = (nz - 1) * ny * nx + s, rowStep = -ny * nx, colStep = nx;
    }
    QImage picture(static_cast<int>(cols), static_cast<int>(rows), QImage::Format_RGB32);
    const double width = std::max(m_width->value(), 1e-6), low = m_center->value() - width / 2;
    const double alpha = m_opacity->value() / 100.0;
    for (std::int64_t r = 0; r < rows; ++r) {
      auto *line = reinterpret_cast<QRgb *>(picture.scanLine(static_cast<int>(r)));
      for (std::int64_t c = 0; c < cols; ++c) {
        const auto v = static_cast<std::size_t>(first + r * rowStep + c * colStep);
        const int grey =
            static_cast<int>(std::clamp((m_volume.voxels[v] - low) / width, 0.0, 1.0) * 255);
        if (!m_overlay.empty() && m_overlay[v])
          line[c] = qRgb(static_cast<int>(grey * (1 - alpha) + 255 * alpha),
                         static_cast<int>(grey * (1 - alpha) + 64 * alpha),
                         static_cast<int>(grey * (1 - alpha) + 32 * alpha));
        else
          line[c] = qRgb(grey, grey, grey);
      }
    }
    // Square voxels on screen whatever the spacing.
    const double scale = std::max(rowMm, colMm) / std::min(rowMm, colMm);
    m_rendered = rowMm > colMm
                     ? picture.scaled(picture.width(), static_cast<int>(picture.height() * scale))
                 : rowMm < colMm
                     ? picture.scaled(static_cast<int>(picture.width() * scale), picture.height())
                     : picture;
    m_position->setText(tr("%1 of %2").arg(s + 1).arg(sliceCount()));
  } else {
    m_rendered = QImage();
  }
  showRendered();
  Q_EMIT rendered();
}

void SliceViewer::showRendered() {
  if (m_rendered.isNull())
    return;
  m_picture->setPixmap(
      QPixmap::fromImage(m_rendered)
          .scaled(m_picture->size(), Qt::KeepAspectRatio, Qt::SmoothTransformation));
}

void SliceViewer::resizeEvent(QResizeEvent *event) {
  QWidget::resizeEvent(event);
  showRendered();
}

} // namespace nesa::ui
