#include "pacs/pacs_node.h"

#include <charconv>

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

} // namespace

Result<PacsNode> parsePacsNode(const std::string &text, const std::string &callingAeTitle) {
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
  const std::string port = text.substr(colon + 1);
  unsigned value = 0;
  const auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (error != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535)
    return fail(ErrorCode::InvalidInput, "the PACS port must be 1 to 65535, not \"" + port + "\"");
  node.port = static_cast<std::uint16_t>(value);
  if (node.host.empty())
    return fail(ErrorCode::InvalidInput, "the PACS host is missing in \"" + text + "\"");
  if (auto checked = checkAeTitle(node.calledAeTitle, "the PACS's"); !checked)
    return checked.error();
  if (auto checked = checkAeTitle(node.callingAeTitle, "our"); !checked)
    return checked.error();
  return node;
}

std::string describe(const PacsNode &node) {
  return node.calledAeTitle + "@" + node.host + ":" + std::to_string(node.port) +
         (node.usesTls() ? " over TLS" : "");
}

Result<void> checkTlsFiles(const PacsNode &node) {
  if (node.certificate.empty() != node.privateKey.empty())
    return fail(ErrorCode::InvalidInput,
                "give our TLS certificate and its private key together, or neither");
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
