// A PACS as we reach it: over DIMSE (its AE title, host and port, and the title we call it with)
// or over DICOMweb (the base URL of its QIDO-RS, WADO-RS and STOW-RS services), over TLS or not.
#pragma once

#include "util/result.h"

#include <cstdint>
#include <filesystem>
#include <string>

namespace nesa::pacs {

/// Where a PACS listens: for DICOM associations (DIMSE), or for DICOMweb requests when
/// `webPath` is set.
struct PacsNode {
  std::string calledAeTitle;           ///< DIMSE: the PACS's AE title, e.g. "ORTHANC"
  std::string host;                    ///< name or address
  std::uint16_t port = 104;            ///< its DICOM (or HTTP) port
  std::string callingAeTitle = "NESA"; ///< DIMSE: ours; the PACS must know it to answer queries
  /// DICOMweb: the path of the services on `host`, e.g. "/dicom-web" (never ends with '/'). A
  /// DIMSE node leaves it empty.
  std::string webPath;
  bool https = false; ///< DICOMweb: https:// rather than http://
  /// The PEM file of the certificates (or their authority) the PACS's certificate must chain
  /// to. DIMSE: setting it turns TLS on. DICOMweb over https: the system's authorities when
  /// empty.
  std::filesystem::path trustedCertificates;
  /// Our own certificate and private key (PEM), for a PACS that asks the caller for one.
  std::filesystem::path certificate, privateKey;

  /// True when the node is reached over DICOMweb (HTTP) rather than DIMSE.
  bool isDicomWeb() const { return !webPath.empty(); }
  /// True when what goes to the PACS is encrypted (DICOM over TLS, or https).
  bool usesTls() const { return isDicomWeb() ? https : !trustedCertificates.empty(); }
};

/// Parses "AET@HOST:PORT" (the PACS's AE title, its host and port; AE titles are 1 to 16
/// characters without backslashes or control characters) or a DICOMweb base URL
/// ("https://pacs.example.org/dicom-web"). InvalidInput names what is wrong.
Result<PacsNode> parsePacsNode(const std::string &text, const std::string &callingAeTitle = "NESA");

/// InvalidInput unless the TLS files of `node` are readable and come as a whole: trusted
/// certificates for any DIMSE TLS, a certificate and a key together or neither, and none for a
/// plain http:// URL.
Result<void> checkTlsFiles(const PacsNode &node);

/// "AET@HOST:PORT" (with " over TLS" when it is), or the DICOMweb URL.
std::string describe(const PacsNode &node);

} // namespace nesa::pacs
