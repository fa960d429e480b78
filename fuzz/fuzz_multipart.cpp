// libFuzzer target: the multipart parsers of what comes over HTTP, the PACS's WADO-RS answers
// (multipart/related) and the local API's uploads (multipart/form-data). The input is a
// Content-Type line, a newline, then the body.
#include "api/multipart.h"
#include "pacs/internal/multipart.h"

#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char *>(data), size);
  const auto newline = input.find('\n');
  const std::string_view contentType = input.substr(0, newline);
  const std::string_view body =
      newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);
  if (auto boundary = nesa::pacs::multipartBoundary(contentType))
    if (auto parts = nesa::pacs::splitMultipart(body, *boundary))
      for (const auto &part : *parts) // every part lies inside the body
        if (part.content.data() < body.data() ||
            part.content.data() + part.content.size() > body.data() + body.size())
          __builtin_trap();
  if (auto boundary = nesa::api::multipartBoundary(contentType))
    (void)nesa::api::parseMultipart(body, *boundary);
  return 0;
}
