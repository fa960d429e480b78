#include "net/endpoint.h"

#include <charconv>

namespace nesa::net {

Result<Endpoint> parseEndpoint(const std::string &text) {
  std::string rest = text;
  for (const char *scheme : {"ws://", "http://"})
    if (rest.rfind(scheme, 0) == 0)
      rest = rest.substr(std::char_traits<char>::length(scheme));
  if (!rest.empty() && rest.back() == '/')
    rest.pop_back();
  const auto colon = rest.rfind(':');
  const auto bad = [&] {
    return fail(ErrorCode::InvalidInput,
                "'" + text + "' is not a node address (expected host:port, e.g. 127.0.0.1:7600)");
  };
  if (colon == std::string::npos || colon == 0 || colon + 1 == rest.size())
    return bad();
  unsigned port = 0;
  const char *first = rest.data() + colon + 1, *last = rest.data() + rest.size();
  auto [end, ec] = std::from_chars(first, last, port);
  if (ec != std::errc() || end != last || port == 0 || port > 65535)
    return bad();
  return Endpoint{rest.substr(0, colon), static_cast<std::uint16_t>(port)};
}

bool isLoopbackHost(const std::string &host) {
  return host == "localhost" || host == "::1" || host == "[::1]" || host.rfind("127.", 0) == 0;
}

} // namespace nesa::net
