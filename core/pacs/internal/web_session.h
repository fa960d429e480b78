// HTTP/1.1 to a DICOMweb node, over TLS for https:// (the certificate must chain to the node's
// trusted file, or to the system's authorities, and name the host), on one kept-alive connection.
#pragma once

#include "pacs/pacs_node.h"
#include "util/result.h"

#include <chrono>
#include <memory>
#include <string>

namespace nesa::pacs {

/// An answer from the node.
struct WebResponse {
  int status = 0;
  std::string contentType;
  std::string body;
};

/// Requests to one DICOMweb node. The connection opens on the first request, is kept between
/// requests and reopened once when the node closed it meanwhile. Opening (name lookup, TCP,
/// TLS handshake) must end within `timeout`; after that, a request fails when nothing moves
/// for `timeout`, however long the whole transfer takes.
class WebSession {
public:
  explicit WebSession(PacsNode node, std::chrono::seconds timeout = std::chrono::seconds(60));
  ~WebSession();
  WebSession(const WebSession &) = delete;
  WebSession &operator=(const WebSession &) = delete;

  /// GETs `path` (below the node's base path; it may hold a query) accepting `accept`. Answers
  /// of any status come back; Unavailable when no answer came, InvalidInput when the TLS
  /// certificate is refused, Corrupt when the body is over `maxBytes`.
  Result<WebResponse> get(const std::string &path, const std::string &accept,
                          std::size_t maxBytes = 64u << 20);
  /// POSTs `body` typed `contentType` to `path`.
  Result<WebResponse> post(const std::string &path, const std::string &contentType,
                           std::string body, const std::string &accept,
                           std::size_t maxBytes = 64u << 20);

  struct State;

private:
  std::unique_ptr<State> m_state;
};

} // namespace nesa::pacs
