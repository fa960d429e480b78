// A model's manifest: what the model does, what input it takes and how to prepare it, what its
// outputs mean, and where it came from. Shipped as JSON next to the TorchScript file.
#pragma once

#include "ingest/preprocess.h"
#include "util/result.h"

#include <filesystem>
#include <string>
#include <vector>

namespace nesa::ingest {

/// The parsed manifest.
struct ModelManifest {
  std::string name;                     ///< "Brain extraction (demo)"
  std::string task;                     ///< "segmentation", "classification", "summarization"
  std::string input;                    ///< "volume", "image" or "text": which readers feed it
  std::vector<std::int64_t> inputShape; ///< the tensor the model takes, e.g. [1, 1, 128, 128]
  std::vector<std::string> labels;      ///< one per output class
  Preprocessing preprocessing;
  std::string preprocessingJson; ///< the "preprocessing" object as JSON text ("" when none)
  std::string licence;           ///< of the weights and of the training data
  std::string provenance;        ///< how it was made: data, script, seed
  std::string notice; ///< shown in the app as is, e.g. "synthetic lesions — demonstration only"
};

/// Parses manifest JSON; required keys: name, task, input, inputShape, licence, provenance.
/// Errors name the key and say what is expected.
Result<ModelManifest> parseManifest(const std::string &json);

/// Reads and parses a manifest file.
Result<ModelManifest> loadManifest(const std::filesystem::path &file);

} // namespace nesa::ingest
