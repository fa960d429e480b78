// Writing float32 .npy arrays from Qt tests (the format the CLI reads as a model's input).
#pragma once

#include <QByteArray>
#include <QFile>
#include <QList>
#include <QString>
#include <QStringList>

#include <vector>

/// Writes `values` with `shape` to `path` as a little-endian float32 .npy (version 1.0) file.
inline void writeFloatNpy(const QString &path, const QList<qint64> &shape,
                          const std::vector<float> &values) {
  QStringList dims;
  for (auto d : shape)
    dims << QString::number(d);
  QByteArray header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" +
                      dims.join(", ").toLatin1() + (shape.size() == 1 ? "," : "") + "), }";
  header.append(QByteArray((64 - (10 + header.size() + 1) % 64) % 64, ' ')).append('\n');
  QFile file(path);
  if (!file.open(QIODevice::WriteOnly))
    return;
  file.write("\x93NUMPY\x01\x00", 8);
  const char length[2] = {static_cast<char>(header.size() & 0xff),
                          static_cast<char>(header.size() >> 8)};
  file.write(length, 2);
  file.write(header);
  file.write(reinterpret_cast<const char *>(values.data()),
             static_cast<qint64>(values.size() * sizeof(float)));
}
