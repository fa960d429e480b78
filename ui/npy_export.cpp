#include "ui/npy_export.h"

#include <QSaveFile>

#include <cstring>

namespace nesa::ui {

bool writeFloatNpy(const QString &file, const std::vector<std::int64_t> &shape,
                   const std::vector<float> &values) {
  std::int64_t count = 1;
  QByteArrayList dims;
  for (const auto d : shape) {
    count *= d;
    dims << QByteArray::number(static_cast<qlonglong>(d));
  }
  if (shape.empty() || count != static_cast<std::int64_t>(values.size()))
    return false;
  // "(2, 3)", but "(4,)" for one dimension, as Python writes tuples.
  const QByteArray tuple = dims.join(", ") + (dims.size() == 1 ? "," : "");
  QByteArray header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + tuple + "), }";
  // Magic, version 1.0, a 2-byte header length; the whole preamble padded to 64 bytes.
  const int preamble = 10;
  while ((preamble + header.size() + 1) % 64 != 0)
    header += ' ';
  header += '\n';
  QByteArray bytes("\x93NUMPY\x01\x00", 8);
  bytes += static_cast<char>(header.size() & 0xff);
  bytes += static_cast<char>(header.size() >> 8);
  bytes += header;
  const auto start = bytes.size();
  bytes.resize(start + static_cast<qsizetype>(values.size() * sizeof(float)));
  std::memcpy(bytes.data() + start, values.data(), values.size() * sizeof(float));
  QSaveFile out(file);
  return out.open(QIODevice::WriteOnly) && out.write(bytes) == bytes.size() && out.commit();
}

} // namespace nesa::ui
