#include "ingest/image_reader.h"

#include <QImage>
#include <QImageReader>

namespace nesa::ingest {

Result<Image> readImage(const std::filesystem::path &file) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec))
    return fail(ErrorCode::NotFound, "no image at " + file.string());
  QImageReader reader(QString::fromStdString(file.string()));
  const QByteArray format = reader.format();
  if (format.isEmpty() ||
      !(format == "png" || format == "jpeg" || format == "tiff" || format == "bmp"))
    return fail(ErrorCode::InvalidInput, file.string() + " is not a PNG, JPEG, TIFF or BMP image");
  const QSize size = reader.size();
  if (size.isValid() && static_cast<qint64>(size.width()) * size.height() > (qint64{1} << 28))
    return fail(ErrorCode::InvalidInput,
                file.string() + " is too large (more than 268 million pixels)");
  QImage image = reader.read();
  if (image.isNull())
    return fail(ErrorCode::Corrupt,
                file.string() + " cannot be decoded (" + reader.errorString().toStdString() + ")");
  Image out;
  out.width = image.width();
  out.height = image.height();
  out.format = format.toStdString();
  const bool grey = image.isGrayscale();
  image = image.convertToFormat(grey ? QImage::Format_Grayscale8 : QImage::Format_RGB888);
  out.channels = grey ? 1 : 3;
  out.pixels.reserve(static_cast<std::size_t>(out.width) * out.height * out.channels);
  for (int y = 0; y < out.height; ++y) {
    const uchar *line = image.constScanLine(y);
    for (int x = 0; x < out.width * out.channels; ++x)
      out.pixels.push_back(static_cast<float>(line[x]));
  }
  return out;
}

} // namespace nesa::ingest
