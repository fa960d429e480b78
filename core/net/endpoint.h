// Where a node or miner listens: "host:port", optionally written as a ws:// or http:// URL.
#pragma once

#include "util/result.h"

#include <cstdint>
#include <string>

namespace nesa::net {

/// A host and a TCP port.
struct Endpoint {
  std::string host;
  std::uint16_t port = 0;
  /// "host:port"
  std::string text() const { return host + ":" + std::to_string(port); }
};

/// Parses "host:port", "ws://host:port" or "http://host:port" (a trailing "/" is allowed).
Result<Endpoint> parseEndpoint(const std::string &text);
/// True for hosts on this computer: "localhost", 127.0.0.0/8 and ::1.
bool isLoopbackHost(const std::string &host);

} // namespace nesa::net
