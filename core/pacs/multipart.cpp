#include "pacs/internal/multipart.h"

#include <algorithm>
#include <cctype>
#include <random>

namespace nesa::pacs {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
    text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
    text.remove_suffix(1);
  return text;
}

// Where the next delimiter line ("\r\n--boundary" followed by "--", white space or a line end)
// starts at or after `from`: a "--boundary" that continues otherwise is content.
std::size_t nextDelimiter(std::string_view body, const std::string &delimiter, std::size_t from) {
  const std::string line = "\r\n" + delimiter;
  for (std::size_t at = body.find(line, from); at != std::string_view::npos;
       at = body.find(line, at + 1)) {
    const std::string_view after = body.substr(at + line.size());
    if (after.starts_with("--") || after.starts_with("\r\n") || after.starts_with(" ") ||
        after.starts_with("\t"))
      return at;
  }
  return std::string_view::npos;
}

Error malformed(const std::string &what) {
  return Error{ErrorCode::Corrupt, "a malformed multipart answer: " + what};
}

} // namespace

Result<std::string> multipartBoundary(std::string_view contentType) {
  if (!lower(contentType).starts_with("multipart/"))
    return fail(ErrorCode::Corrupt,
                "expected a multipart answer, got \"" + std::string(contentType) + "\"");
  std::size_t at = 0;
  while ((at = contentType.find(';', at)) != std::string_view::npos) {
    std::string_view parameter = contentType.substr(at + 1);
    parameter = trimmed(parameter.substr(0, parameter.find(';')));
    ++at;
    const auto equals = parameter.find('=');
    if (equals == std::string_view::npos ||
        lower(trimmed(parameter.substr(0, equals))) != "boundary")
      continue;
    std::string_view value = trimmed(parameter.substr(equals + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
      value = value.substr(1, value.size() - 2);
    if (value.empty() || value.size() > 70) // RFC 2046: 1 to 70 characters
      break;
    return std::string(value);
  }
  return fail(ErrorCode::Corrupt,
              "a multipart answer without a boundary: \"" + std::string(contentType) + "\"");
}

Result<std::vector<BodyPart>> splitMultipart(std::string_view body, std::string_view boundary) {
  const std::string delimiter = "--" + std::string(boundary);
  std::size_t at;
  if (body.starts_with(delimiter))
    at = 0;
  else if ((at = body.find("\r\n" + delimiter)) != std::string_view::npos)
    at += 2; // after a preamble
  else
    return malformed("no opening boundary");
  std::vector<BodyPart> parts;
  while (true) {
    at += delimiter.size();
    if (body.substr(at).starts_with("--"))
      return parts; // the closing delimiter
    while (at < body.size() && (body[at] == ' ' || body[at] == '\t'))
      ++at;
    if (!body.substr(at).starts_with("\r\n"))
      return malformed("a boundary not followed by a line end");
    at += 2;
    const auto headersEnd = body.find("\r\n\r\n", at);
    const bool noHeaders = body.substr(at).starts_with("\r\n");
    const auto following = nextDelimiter(body, delimiter, at);
    if (!noHeaders && (headersEnd == std::string_view::npos ||
                       (following != std::string_view::npos && headersEnd > following)))
      return malformed("a part without the end of its headers");
    const std::string_view headers =
        noHeaders ? std::string_view() : body.substr(at, headersEnd - at);
    const std::size_t contentStart = noHeaders ? at + 2 : headersEnd + 4;
    const auto next = nextDelimiter(body, delimiter, contentStart);
    if (next == std::string_view::npos)
      return malformed("a part that does not end (the answer was cut short?)");
    BodyPart part;
    part.content = body.substr(contentStart, next - contentStart);
    std::size_t line = 0;
    while (line < headers.size()) {
      const auto end = std::min(headers.find("\r\n", line), headers.size());
      const std::string_view header = headers.substr(line, end - line);
      const auto colon = header.find(':');
      if (colon != std::string_view::npos &&
          lower(trimmed(header.substr(0, colon))) == "content-type")
        part.contentType = std::string(trimmed(header.substr(colon + 1)));
      line = end + 2;
    }
    parts.push_back(part);
    at = next + 2;
  }
}

std::string freshBoundary(const std::vector<std::string_view> &contents) {
  std::random_device device;
  while (true) {
    std::string boundary = "nesa-";
    for (int i = 0; i < 4; ++i)
      boundary += std::to_string(device());
    if (std::none_of(contents.begin(), contents.end(), [&](std::string_view content) {
          return content.find(boundary) != content.npos;
        }))
      return boundary;
  }
}

} // namespace nesa::pacs
