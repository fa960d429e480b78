// JSON from outside (a chain node, a file) may have any shape: nlohmann::json throws on a wrong
// type, and no exception may cross our interfaces. This turns one into a Corrupt error.
#pragma once

#include "util/result.h"

#include <nlohmann/json.hpp>

namespace nesa::chain::internal {

/// Runs `body` (which returns a Result) and turns a JSON type or parse exception into an error
/// naming `what`.
template <typename Body> auto guardJson(const std::string &what, Body &&body) -> decltype(body()) {
  try {
    return body();
  } catch (const nlohmann::json::exception &e) {
    return fail(ErrorCode::Corrupt, what + " has an unexpected shape (" + e.what() + ")");
  }
}

} // namespace nesa::chain::internal
