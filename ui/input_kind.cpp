#include "ui/input_kind.h"

#include <QCoreApplication>
#include <QFileInfo>

namespace nesa::ui {

InputKind guessInputKind(const QString &path) {
  const QFileInfo info(path);
  if (info.isDir())
    return InputKind::DicomSeries;
  const QString name = info.fileName().toLower();
  if (name.endsWith(QLatin1String(".nii")) || name.endsWith(QLatin1String(".nii.gz")))
    return InputKind::MedicalVolume;
  const QString suffix = info.suffix().toLower();
  if (suffix == QLatin1String("dcm") || name == QLatin1String("dicomdir"))
    return InputKind::DicomSeries;
  for (const char *image : {"png", "jpg", "jpeg", "tif", "tiff", "bmp"})
    if (suffix == QLatin1String(image))
      return InputKind::Image;
  for (const char *document : {"pdf", "docx", "txt", "md"})
    if (suffix == QLatin1String(document))
      return InputKind::Document;
  return InputKind::Unsupported;
}

QString inputKindLabel(InputKind kind) {
  switch (kind) {
  case InputKind::MedicalVolume: return QCoreApplication::translate("nesa::ui", "MRI/CT volume");
  case InputKind::DicomSeries: return QCoreApplication::translate("nesa::ui", "DICOM scan");
  case InputKind::Image: return QCoreApplication::translate("nesa::ui", "Image");
  case InputKind::Document: return QCoreApplication::translate("nesa::ui", "Document");
  case InputKind::Unsupported: return QCoreApplication::translate("nesa::ui", "Unsupported");
  }
  return {};
}

} // namespace nesa::ui
