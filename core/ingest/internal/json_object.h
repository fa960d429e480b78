// JSON helpers shared by the manifest and preprocessing parsers (nlohmann stays out of the
// public headers).
#pragma once

#include "ingest/preprocess.h"
#include "util/result.h"

#include <nlohmann/json.hpp>

#include <string>

namespace nesa::ingest {

/// Parses `text` as a JSON object; the error names `what` ("the manifest", ...).
Result<nlohmann::json> parseJsonObject(const std::string &text, const std::string &what);

/// The preprocessing steps of an already parsed JSON object.
Result<Preprocessing> preprocessingFromJson(const nlohmann::json &root);

} // namespace nesa::ingest
