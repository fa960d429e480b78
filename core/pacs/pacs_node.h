// A PACS as DICOM addresses it: the application entity title it answers to, its host and port,
// and the title we call it with.
#pragma once

#include "util/result.h"

#include <cstdint>
#include <string>

namespace nesa::pacs {

/// Where a PACS listens for DICOM associations (DIMSE).
struct PacsNode {
  std::string calledAeTitle;           ///< the PACS's AE title, e.g. "ORTHANC"
  std::string host;                    ///< name or address
  std::uint16_t port = 104;            ///< its DICOM port
  std::string callingAeTitle = "NESA"; ///< ours: the PACS must know it to answer queries
};

/// Parses "AET@HOST:PORT" (the PACS's AE title, its host and port). AE titles are 1 to 16
/// characters without backslashes or control characters. InvalidInput names what is wrong.
Result<PacsNode> parsePacsNode(const std::string &text, const std::string &callingAeTitle = "NESA");

/// "AET@HOST:PORT".
std::string describe(const PacsNode &node);

} // namespace nesa::pacs
