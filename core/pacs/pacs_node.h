// A PACS as DICOM addresses it: the application entity title it answers to, its host and port,
// and the title we call it with.
#pragma once

#include "util/result.h"

#include <cstdint>
#include <filesystem>
#include <string>

namespace nesa::pacs {

/// Where a PACS listens for DICOM associations (DIMSE).
struct PacsNode {
  std::string calledAeTitle;           ///< the PACS's AE title, e.g. "ORTHANC"
  std::string host;                    ///< name or address
  std::uint16_t port = 104;            ///< its DICOM port
  std::string callingAeTitle = "NESA"; ///< ours: the PACS must know it to answer queries
  /// DICOM over TLS, on when set: the PEM file of the certificates (or their authority) the
  /// PACS's certificate must chain to. A PACS whose certificate does not is refused.
  std::filesystem::path trustedCertificates;
  /// Our own certificate and private key (PEM), for a PACS that asks the caller for one.
  std::filesystem::path certificate, privateKey;

  /// True when the association is made over TLS.
  bool usesTls() const { return !trustedCertificates.empty(); }
};

/// Parses "AET@HOST:PORT" (the PACS's AE title, its host and port). AE titles are 1 to 16
/// characters without backslashes or control characters. InvalidInput names what is wrong.
Result<PacsNode> parsePacsNode(const std::string &text, const std::string &callingAeTitle = "NESA");

/// InvalidInput unless the TLS files of `node` are readable and come as a whole: trusted
/// certificates for any TLS, and a certificate and a key together or neither.
Result<void> checkTlsFiles(const PacsNode &node);

/// "AET@HOST:PORT" (with " over TLS" when it is).
std::string describe(const PacsNode &node);

} // namespace nesa::pacs
