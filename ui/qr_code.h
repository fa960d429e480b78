// QR codes for addresses (libqrencode), drawn as crisp black-on-white images.
#pragma once

#include <QImage>
#include <QString>

namespace nesa::ui {

/// `text` as a QR code (error correction M) with a 4-module quiet zone, `scale` pixels per
/// module; a null image when the text cannot be encoded.
QImage qrCodeImage(const QString &text, int scale = 4);

} // namespace nesa::ui
