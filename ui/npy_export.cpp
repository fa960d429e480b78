#include "ui/npy_export.h"

#include "model/npy.h"

#include <QFile>

namespace nesa::ui {

bool writeFloatNpy(const QString &file, const std::vector<std::int64_t> &shape,
                   const std::vector<float> &values) {
  if (shape.empty())
    return false;
  return static_cast<bool>(model::writeNpy(QFile::encodeName(file).toStdString(),
                                           model::TensorData::fromFloats(shape, values)));
}

} // namespace nesa::ui
