// The graph-model half of the TF.js reader (tfjs_model.cpp reads the weights for both).
#pragma once

#include "ingest/tfjs_model.h"
#include "util/result.h"

#include <nlohmann/json.hpp>

namespace nesa::ingest {

/// Reads a graph model's nodes, input and output from model.json's root object into `model`:
/// the nodes sorted so that each follows its inputs, attributes made plain, the one Placeholder
/// as the input (its shape with batch 1) and the signature's output (or the one node nothing
/// consumes). Refuses cycles, undefined inputs, several inputs or outputs and function libraries.
Result<void> readGraphTopology(const nlohmann::json &root, TfjsModel &model);

} // namespace nesa::ingest
