#include "pacs/pacs_node.h"

#include <algorithm>
#include <charconv>
#include <string_view>

namespace nesa::pacs {
namespace {

Result<void> checkAeTitle(const std::string &title, const char *whose) {
  if (title.empty() || title.size() > 16)
    return fail(ErrorCode::InvalidInput,
                std::string(whose) + " AE title must be 1 to 16 characters, not \"" + title + "\"");
  for (char c : title)
    if (c == '\\' || static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e)
      return fail(
          ErrorCode::InvalidInput,
          std::string(whose) + " AE title \"" + title +
              "\" holds a character DICOM does not allow (backslash, control or non-ASCII)");
  return {};
}

Result<std::uint16_t> portOf(const std::string &port) {
  unsigned value = 0;
  const auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (error != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535)
    return fail(ErrorCode::InvalidInput, "the PACS port must be 1 to 65535, not \"" + port + "\"");
  return static_cast<std::uint16_t>(value);
}

// "http[s]://HOST[:PORT][/PATH]": a DICOMweb node. Credentials, queries and fragments are
// refused rather than silently dropped.
Result<PacsNode> parseWebNode(const std::string &text) {
  PacsNode node;
  node.https = text.starts_with("https://");
  std::string rest = text.substr(node.https ? 8 : 7);
  const bool unsafe = std::any_of(rest.begin(), rest.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u <= 0x20 || u >= 0x7f ||
           std::string_view("?#@\"<>\\^`{|}").find(c) != std::string_view::npos;
  });
  if (unsafe)
    return fail(ErrorCode::InvalidInput,
                "a DICOMweb URL is http[s]://HOST[:PORT]/PATH, without user, query or spaces, "
                "not \"" +
                    text + "\"");
  const auto slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  std::string path = slash == std::string::npos ? "" : rest.substr(slash);
  while (!path.empty() && path.back() == '/')
    path.pop_back();
  node.webPath = path.empty() ? "/" : path;
  node.port = node.https ? 443 : 80;
  const bool ipv6 = authority.starts_with('[');
  if (ipv6) { // an IPv6 literal
    const auto close = authority.find(']');
    if (close == std::string::npos)
      return fail(ErrorCode::InvalidInput, "an unclosed [ in \"" + text + "\"");
    node.host = authority.substr(1, close - 1);
    authority = authority.substr(close + 1);
    if (!authority.empty() && !authority.starts_with(':'))
      return fail(ErrorCode::InvalidInput, "unexpected text after ] in \"" + text + "\"");
  } else {
    const auto colon = authority.find(':');
    node.host = authority.substr(0, colon);
    authority = colon == std::string::npos ? "" : authority.substr(colon);
  }
  if (!authority.empty()) {
    auto port = portOf(authority.substr(1));
    if (!port)
      return port.error();
    node.port = *port;
  }
  if (node.host.empty())
    return fail(ErrorCode::InvalidInput, "the PACS host is missing in \"" + text + "\"");
  const char *hostCharacters =
      ipv6 ? "0123456789abcdefABCDEF:.%"
           : "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_";
  if (node.host.find_first_not_of(hostCharacters) != std::string::npos)
    return fail(ErrorCode::InvalidInput, "\"" + node.host + "\" is not a host name or address");
  return node;
}

} // namespace

Result<PacsNode> parsePacsNode(const std::string &text, const std::string &callingAeTitle) {
  if (text.starts_with("http://") || text.starts_with("https://"))
    return parseWebNode(text);
  const auto at = text.find('@');
  const auto colon = text.rfind(':');
  if (at == std::string::npos || colon == std::string::npos || colon < at)
    return fail(ErrorCode::InvalidInput,
                "a PACS is given as AET@HOST:PORT (its AE title, host and DICOM port), not \"" +
                    text + "\"");
  PacsNode node;
  node.calledAeTitle = text.substr(0, at);
  node.host = text.substr(at + 1, colon - at - 1);
  node.callingAeTitle = callingAeTitle;
  auto port = portOf(text.substr(colon + 1));
  if (!port)
    return port.error();
  node.port = *port;
  if (node.host.empty())
    return fail(ErrorCode::InvalidInput, "the PACS host is missing in \"" + text + "\"");
  if (auto checked = checkAeTitle(node.calledAeTitle, "the PACS's"); !checked)
    return checked.error();
  if (auto checked = checkAeTitle(node.callingAeTitle, "our"); !checked)
    return checked.error();
  return node;
}

std::string describe(const PacsNode &node) {
  if (node.isDicomWeb()) {
    const bool ipv6 = node.host.find(':') != std::string::npos;
    return std::string(node.https ? "https://" : "http://") + (ipv6 ? "[" : "") + node.host +
           (ipv6 ? "]" : "") + ":" + std::to_string(node.port) +
           (node.webPath == "/" ? "" : node.webPath);
  }
  return node.calledAeTitle + "@" + node.host + ":" + std::to_string(node.port) +
         (node.usesTls() ? " over TLS" : "");
}

Result<void> checkTlsFiles(const PacsNode &node) {
  if (node.certificate.empty() != node.privateKey.empty())
    return fail(ErrorCode::InvalidInput,
                "give our TLS certificate and its private key together, or neither");
  if (node.isDicomWeb() && !node.https &&
      !(node.certificate.empty() && node.trustedCertificates.empty()))
    return fail(ErrorCode::InvalidInput,
                "TLS files were given for a plain http:// DICOMweb URL: use https://");
  if (!node.usesTls() && !node.certificate.empty())
    return fail(ErrorCode::InvalidInput,
                "a TLS certificate of ours needs the PACS's trusted certificates too");
  for (const auto *file : {&node.trustedCertificates, &node.certificate, &node.privateKey}) {
    std::error_code ec;
    if (!file->empty() && !std::filesystem::is_regular_file(*file, ec))
      return fail(ErrorCode::InvalidInput, "no TLS file at " + file->string());
  }
  return {};
}

} // namespace nesa::pacs
