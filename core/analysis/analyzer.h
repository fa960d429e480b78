// The one path of a query, for every front end (nesa-analyze, the local API): the model is
// found and compiled, the input read and prepared, the cost estimated, the miners found and
// paid, the run verified and reported — each step once, in typed results. An analyzer keeps
// what it read and compiled, so an estimate followed by the run reads the input once and
// compiles the model once.
#pragma once

#include "analysis/miner_pool.h"
#include "analysis/request.h"
#include "analysis/result_summary.h"
#include "ingest/label_map.h"
#include "ingest/volume.h"
#include "model/tensor_data.h"

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace nesa::analysis {

/// What a query gave.
struct Outcome {
  std::optional<model::TensorData> output; ///< the model's output (none for a document task)
  std::vector<ClassVolume> segmentation;   ///< per class, for a segmentation model
  /// A segmentation model's labels on the scan's own grid (its input was a NIfTI or DICOM
  /// scan): what ingest::writeNiftiLabels writes, to lie on the scan in a viewer.
  std::optional<ingest::LabelMap> scanLabels;
  /// The DICOM scan the labels lie on (none for NIfTI): what DICOM results refer to and copy.
  std::optional<ingest::DicomSource> scanSource;
  /// The compiled model's bundle id (hex BLAKE2b-256 of its linear weights): changes with them.
  std::string modelVersion;
  /// The model's class names, background first (a segmentation model's manifest labels).
  std::vector<std::string> labelNames;
  std::string modelName;            ///< the manifest's name of the model, else its file's name
  std::vector<std::string> summary; ///< what it means, a line each, for people
  std::string text;                 ///< a summarized document's summary
  privacy::RunReport report;        ///< every remote call and its verification
  std::optional<Payment> payment;   ///< what the miners were paid (none: nobody was)
  /// The run succeeded but reporting wrong answers or paying failed (the result stands; the
  /// payment did not happen or is unknown).
  std::optional<Error> settlementError;
};

/// Runs queries. Thread-safe: queries are served one at a time.
class Analyzer {
public:
  Analyzer(NetworkChoice network, Secrets secrets, Events events = {});
  ~Analyzer();
  Analyzer(const Analyzer &) = delete;
  Analyzer &operator=(const Analyzer &) = delete;

  /// What `request` would cost on the network's miners. Reads the input and compiles the
  /// model (kept for the run); asks for no secret, starts no miner and pays nothing.
  Result<CostEstimate> estimate(const Request &request);

  /// Runs `request` at its privacy level on the network's miners, verifies every answer,
  /// reports wrong ones and pays for the verified ones (a failure there is the outcome's
  /// settlementError). Setting `*cancel` stops the run before its next remote call (a
  /// Cancelled error). The wallet's secrets are asked for each run and forgotten after it.
  Result<Outcome> run(const Request &request, const std::atomic<bool> *cancel = nullptr);

  /// How often the costly steps ran (tests check that none runs twice for one query).
  struct Counters {
    int inputsRead = 0;     ///< inputs (scans, images, arrays, documents) read and prepared
    int modelsCompiled = 0; ///< TorchScript models compiled or language models loaded
    int poolsOpened = 0;    ///< times miners were found (and payment made possible)
  };
  Counters counters() const;

  struct State;

private:
  std::unique_ptr<State> m;
};

} // namespace nesa::analysis
