#include "ui/share_view.h"

#include "ui/privacy_levels.h"

#include <QGridLayout>
#include <QLabel>
#include <QPixmap>

#include <algorithm>
#include <cmath>

namespace nesa::ui {
namespace {

/// Where the middle slice lies: its channel count, height, width and first value's offset.
struct Slice {
  std::int64_t channels = 0, height = 0, width = 0;
  std::size_t offset = 0;
};

std::optional<Slice> middleSlice(const TensorView &t) {
  const auto &s = t.shape;
  Slice slice;
  std::int64_t items = 1;
  if (s.size() == 4)
    items = s[0], slice.channels = s[1], slice.height = s[2], slice.width = s[3];
  else if (s.size() == 3)
    slice.channels = s[0], slice.height = s[1], slice.width = s[2];
  else if (s.size() == 2)
    slice.channels = 1, slice.height = s[0], slice.width = s[1];
  else
    return std::nullopt;
  const auto per = static_cast<std::size_t>(slice.channels * slice.height * slice.width);
  if (per == 0 || t.values.size() != per * static_cast<std::size_t>(items))
    return std::nullopt;
  slice.offset = per * static_cast<std::size_t>(items / 2);
  return slice;
}

} // namespace

QImage tensorSliceImage(const TensorView &tensor) {
  const auto slice = middleSlice(tensor);
  if (!slice)
    return {};
  const bool rgb = slice->channels == 3;
  const auto plane = static_cast<std::size_t>(slice->height * slice->width);
  const auto first = tensor.values.begin() + static_cast<std::ptrdiff_t>(slice->offset);
  const auto last = first + static_cast<std::ptrdiff_t>(plane * (rgb ? 3 : 1));
  const auto [low, high] = std::minmax_element(first, last);
  const float range = *high > *low ? *high - *low : 1.0f;
  const auto level = [&](std::size_t i) {
    return static_cast<int>(
        std::lround(255.0f * (tensor.values[slice->offset + i] - *low) / range));
  };
  QImage image(static_cast<int>(slice->width), static_cast<int>(slice->height),
               QImage::Format_RGB32);
  for (int y = 0; y < image.height(); ++y)
    for (int x = 0; x < image.width(); ++x) {
      const auto p = static_cast<std::size_t>(y) * static_cast<std::size_t>(slice->width) +
                     static_cast<std::size_t>(x);
      const int r = level(p);
      image.setPixel(x, y, rgb ? qRgb(r, level(plane + p), level(2 * plane + p)) : qRgb(r, r, r));
    }
  return image;
}

double sliceCorrelation(const TensorView &a, const TensorView &b) {
  const auto sa = middleSlice(a), sb = middleSlice(b);
  if (!sa || !sb || a.shape != b.shape)
    return 0;
  const auto n = static_cast<std::size_t>(sa->channels * sa->height * sa->width);
  double ma = 0, mb = 0;
  for (std::size_t i = 0; i < n; ++i)
    ma += a.values[sa->offset + i], mb += b.values[sb->offset + i];
  ma /= static_cast<double>(n), mb /= static_cast<double>(n);
  double cov = 0, va = 0, vb = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double da = a.values[sa->offset + i] - ma, db = b.values[sb->offset + i] - mb;
    cov += da * db, va += da * da, vb += db * db;
  }
  return va > 0 && vb > 0 ? cov / std::sqrt(va * vb) : 0;
}

ShareView::ShareView(QWidget *parent) : QWidget(parent) {
  m_original = new QLabel;
  m_share = new QLabel;
  m_caption = new QLabel;
  m_caption->setWordWrap(true);
  for (auto *image : {m_original, m_share}) {
    image->setAlignment(Qt::AlignCenter);
    image->setMinimumSize(160, 160);
  }
  auto *layout = new QGridLayout(this);
  layout->addWidget(new QLabel(tr("On this computer")), 0, 0, Qt::AlignHCenter);
  layout->addWidget(new QLabel(tr("What one miner received")), 0, 1, Qt::AlignHCenter);
  layout->addWidget(m_original, 1, 0);
  layout->addWidget(m_share, 1, 1);
  layout->addWidget(m_caption, 2, 0, 1, 2);
  clear();
}

void ShareView::clear() {
  m_original->clear();
  m_share->clear();
  m_caption->setText(tr("After a run on the network, the data one miner received is shown here "
                        "next to the original."));
}

bool ShareView::hasImages() const { return !m_share->pixmap().isNull(); }
QString ShareView::captionText() const { return m_caption->text(); }

void ShareView::showTensors(const TensorView &input, const TensorView &share,
                            const QString &level) {
  m_original->clear();
  m_share->clear();
  if (level == QLatin1String("local")) {
    m_caption->setText(tr("At the local level no miner received anything."));
    return;
  }
  const QImage original = tensorSliceImage(input), received = tensorSliceImage(share);
  if (received.isNull()) {
    m_caption->setText(tr("This run kept no copy of what the miners received."));
    return;
  }
  const auto show = [](QLabel *label, const QImage &image) {
    label->setPixmap(
        QPixmap::fromImage(image.scaled(240, 240, Qt::KeepAspectRatio, Qt::FastTransformation)));
  };
  show(m_original, original);
  show(m_share, received);
  const auto [low, high] = std::minmax_element(share.values.begin(), share.values.end());
  m_caption->setText(
      tr("The middle slice of the first call's input. At level %1 the miner got numbers from %2 to "
         "%3; their correlation with the original is %4.")
          .arg(level)
          .arg(static_cast<double>(*low), 0, 'g', 3)
          .arg(static_cast<double>(*high), 0, 'g', 3)
          .arg(sliceCorrelation(input, share), 0, 'f', 3) +
      QLatin1Char(' ') +
      (level.startsWith(QLatin1String("hss"))
           ? tr("The other miners got other shares, and only this computer can combine them.")
           : privacyLevelSentence(level)));
}

} // namespace nesa::ui
