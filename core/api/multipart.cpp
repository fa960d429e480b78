#include "api/multipart.h"

#include <algorithm>
#include <cctype>

namespace nesa::api {
namespace {

constexpr std::size_t kMaxHeaderBytes = 8 * 1024;
constexpr std::size_t kMaxParts = 64;

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
    text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r'))
    text.remove_suffix(1);
  return text;
}

/// The value of `key=` among a header's `; `-separated parameters ("name", "filename"),
/// unquoted (backslash escapes kept literal but for \" and \\).
std::optional<std::string> parameter(std::string_view header, std::string_view key) {
  std::size_t at = 0;
  while (at < header.size()) {
    auto semicolon = header.find(';', at);
    if (semicolon == std::string_view::npos)
      return std::nullopt;
    at = semicolon + 1;
    auto rest = trim(header.substr(at));
    const auto equals = rest.find('=');
    if (equals == std::string_view::npos || lower(trim(rest.substr(0, equals))) != key)
      continue;
    auto value = rest.substr(equals + 1);
    if (value.empty() || value.front() != '"') {
      return std::string(trim(value.substr(0, value.find(';'))));
    }
    std::string out;
    for (std::size_t i = 1; i < value.size(); ++i) {
      if (value[i] == '\\' && i + 1 < value.size() && (value[i + 1] == '"' || value[i + 1] == '\\'))
        out += value[++i];
      else if (value[i] == '"')
        return out;
      else
        out += value[i];
    }
    return std::nullopt; // an unterminated quote
  }
  return std::nullopt;
}

Result<FormPart> parsePart(std::string_view part) {
  const auto headersEnd = part.find("\r\n\r\n");
  if (headersEnd == std::string_view::npos || headersEnd > kMaxHeaderBytes)
    return fail(ErrorCode::InvalidInput, "a form part has no end to its headers (or over 8 KiB)");
  FormPart out;
  out.content = part.substr(headersEnd + 4);
  bool named = false;
  for (std::string_view headers = part.substr(0, headersEnd); !headers.empty();) {
    const auto eol = headers.find("\r\n");
    const auto line = headers.substr(0, eol);
    headers = eol == std::string_view::npos ? std::string_view{} : headers.substr(eol + 2);
    const auto colon = line.find(':');
    if (colon == std::string_view::npos)
      return fail(ErrorCode::InvalidInput, "a form part has a header line without ':'");
    const auto key = lower(trim(line.substr(0, colon)));
    const auto value = trim(line.substr(colon + 1));
    if (key == "content-type") {
      out.contentType = std::string(value);
    } else if (key == "content-disposition") {
      if (lower(trim(value.substr(0, value.find(';')))) != "form-data")
        return fail(ErrorCode::InvalidInput, "a form part is not form-data");
      auto name = parameter(value, "name");
      if (!name || name->empty())
        return fail(ErrorCode::InvalidInput, "a form part has no name");
      out.name = std::move(*name);
      out.filename = parameter(value, "filename");
      named = true;
    }
  }
  if (!named)
    return fail(ErrorCode::InvalidInput, "a form part has no Content-Disposition");
  return out;
}

} // namespace

Result<std::string> multipartBoundary(std::string_view contentType) {
  if (lower(trim(contentType.substr(0, contentType.find(';')))) != "multipart/form-data")
    return fail(ErrorCode::InvalidInput, "the body must be multipart/form-data (curl -F)");
  auto boundary = parameter(contentType, "boundary");
  if (!boundary || boundary->empty() || boundary->size() > 70)
    return fail(ErrorCode::InvalidInput, "the multipart body has no usable boundary");
  return std::move(*boundary);
}

Result<std::vector<FormPart>> parseMultipart(std::string_view body, std::string_view boundary) {
  const std::string delimiter = "--" + std::string(boundary);
  if (body.substr(0, delimiter.size()) != delimiter)
    return fail(ErrorCode::InvalidInput, "the multipart body does not start with its boundary");
  const std::string between = "\r\n" + delimiter;
  std::vector<FormPart> parts;
  std::size_t at = delimiter.size();
  for (;;) {
    if (body.substr(at, 2) == "--")
      return parts; // the closing delimiter; anything after it is an epilogue
    if (body.substr(at, 2) != "\r\n")
      return fail(ErrorCode::InvalidInput, "a multipart boundary is not followed by a line end");
    at += 2;
    const auto next = body.find(between, at);
    if (next == std::string_view::npos)
      return fail(ErrorCode::InvalidInput, "the multipart body ends inside a part");
    if (parts.size() == kMaxParts)
      return fail(ErrorCode::InvalidInput, "the form has more than 64 parts");
    auto part = parsePart(body.substr(at, next - at));
    if (!part)
      return part.error();
    parts.push_back(std::move(*part));
    at = next + between.size();
  }
}

} // namespace nesa::api
