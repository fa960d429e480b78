// multipart/related bodies (RFC 2387) as DICOMweb uses them: WADO-RS answers and STOW-RS requests.
#pragma once

#include "util/result.h"

#include <string>
#include <string_view>
#include <vector>

namespace nesa::pacs {

/// One part of a multipart body: its Content-Type and its bytes (views into the body).
struct BodyPart {
  std::string contentType;
  std::string_view content;
};

/// The boundary named by a Content-Type such as `multipart/related; type="application/dicom";
/// boundary=abc`. Corrupt when the type is not multipart or names no boundary.
Result<std::string> multipartBoundary(std::string_view contentType);

/// Splits `body` at `boundary`. Corrupt when a delimiter, a part's header block or the closing
/// delimiter is missing.
Result<std::vector<BodyPart>> splitMultipart(std::string_view body, std::string_view boundary);

/// A boundary that occurs in none of `contents`, for a body we send.
std::string freshBoundary(const std::vector<std::string_view> &contents);

} // namespace nesa::pacs
