// multipart/form-data bodies (RFC 7578), as curl -F and browsers send them: the local API's
// uploads. A parser over bytes already read; nothing here touches the network.
#pragma once

#include "util/result.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nesa::api {

/// One part of a form: a field, or a file with the name the client gave it.
struct FormPart {
  std::string name;                    ///< the form field's name
  std::optional<std::string> filename; ///< set for a file upload
  std::string contentType;             ///< as sent; empty when none
  std::string_view content;            ///< a view into the parsed body
};

/// The boundary of a `Content-Type: multipart/form-data; boundary=…` header value; InvalidInput
/// when the type is another or the boundary is missing, empty or over 70 characters.
Result<std::string> multipartBoundary(std::string_view contentType);

/// The parts of `body` (which must outlive them). InvalidInput, naming what is wrong, for a
/// missing or unterminated boundary, a part without a name, a header over 8 KiB or more than
/// 64 parts.
Result<std::vector<FormPart>> parseMultipart(std::string_view body, std::string_view boundary);

} // namespace nesa::api
