// A first guess, from the name alone, of what kind of input a dropped file is.
#pragma once

#include <QString>

namespace nesa::ui {

/// The families of input the app analyzes.
enum class InputKind { MedicalVolume, DicomSeries, Image, Document, Unsupported };

/// Guesses the kind of `path` from its extension (a folder counts as a DICOM series).
/// The readers in core/ingest make the real decision when the file is opened.
InputKind guessInputKind(const QString &path);

/// A translated label for `kind`: "MRI/CT volume", "Document", ...
QString inputKindLabel(InputKind kind);

} // namespace nesa::ui
