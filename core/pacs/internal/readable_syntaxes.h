// The transfer syntaxes instances may arrive in: those the DICOM reader decodes.
#pragma once

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcuid.h>

#include <algorithm>
#include <string>
#include <vector>

namespace nesa::pacs {

/// Uncompressed (explicit and implicit little endian), then RLE, JPEG and JPEG-LS.
inline const std::vector<std::string> &readableTransferSyntaxes() {
  static const std::vector<std::string> syntaxes = {
      UID_LittleEndianExplicitTransferSyntax, UID_LittleEndianImplicitTransferSyntax,
      UID_JPEGProcess14SV1TransferSyntax,     UID_JPEGProcess1TransferSyntax,
      UID_JPEGProcess2_4TransferSyntax,       UID_JPEGLSLosslessTransferSyntax,
      UID_JPEGLSLossyTransferSyntax,          UID_RLELosslessTransferSyntax};
  return syntaxes;
}

/// True when the DICOM reader decodes `syntax`.
inline bool isReadableTransferSyntax(const std::string &syntax) {
  const auto &all = readableTransferSyntaxes();
  return std::find(all.begin(), all.end(), syntax) != all.end();
}

} // namespace nesa::pacs
