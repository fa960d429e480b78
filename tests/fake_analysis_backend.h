// A fake AnalysisBackend for the UI tests: four models (a volume segmenter, a failing one, an
// image classifier, a summarizer); runs report four calls and answer with a cube segmentation.
#pragma once

#include "ui/analysis_backend.h"

#include <chrono>
#include <thread>

namespace nesa::testing {

using namespace nesa::ui;

// Reports four calls, then answers; "failing" answers with an error instead.
class FakeBackend : public AnalysisBackend {
public:
  std::vector<AnalysisRequest> requests;
  QStringList dicomFiles; ///< what a segmentation run gives as its DICOM form
  QString refuseExports;  ///< what exportRefusal() answers (empty: exports are allowed)

  std::vector<std::pair<QString, ExportStage>> exportsRecorded; ///< recordExport's arguments
  QString recordProblem; ///< what recordExport() answers (empty: recorded)

  QString exportRefusal() override { return refuseExports; }
  QString recordExport(const AnalysisRequest &request, const QString &format,
                       ExportStage stage) override {
    requests.push_back(request);
    exportsRecorded.emplace_back(format, stage);
    return recordProblem;
  }
  std::vector<ModelOption> models() override {
    return {{"fake-seg",
             "Fake segmenter",
             "segmentation",
             "volume",
             {"background", "cube"},
             "demonstration only",
             R"({"spacing": [2, 2, 2], "shape": [8, 8, 8], "slices": "axial"})"},
            {"failing", "Failing model", "segmentation", "volume", {"a", "b"}, "", ""},
            {"fake-cls", "Fake classifier", "classification", "image", {"cat", "dog"}, "", ""},
            {"fake-lm", "Fake summarizer", "summarization", "text", {}, "", ""}};
  }
  CostEstimate estimateCost(const AnalysisRequest &request) override {
    if (request.level == QLatin1String("local"))
      return {true, 0, {}};
    return {true, 0.0058, QStringLiteral("20 share jobs at up to 10 µNES")};
  }
  AnalysisOutcome run(const AnalysisRequest &request,
                      const std::function<void(const AnalysisProgress &)> &progress,
                      const std::atomic<bool> &cancelled) override {
    requests.push_back(request);
    for (int i = 1; i <= 4 && !cancelled.load(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      progress({i, 4, QStringLiteral("conv")});
    }
    AnalysisOutcome outcome;
    if (request.model == QLatin1String("failing")) {
      outcome.error = QStringLiteral("miner m2 did not answer and no other miner was available");
      return outcome;
    }
    outcome.ok = true;
    outcome.summary = QStringLiteral("cube: 64 voxels (0.512 mL)");
    outcome.shape = {8, 2, 8, 8};
    outcome.output.assign(8 * 2 * 64, 0.0f);
    for (int z = 2; z < 6; ++z) // class 1 wins inside the cube
      for (int p = 0; p < 64; ++p)
        if (p / 8 >= 2 && p / 8 < 6 && p % 8 >= 2 && p % 8 < 6)
          outcome.output[static_cast<std::size_t>((z * 2 + 1) * 64 + p)] = 5.0f;
    outcome.calls = 4;
    outcome.checksPassed = 8;
    outcome.miners = {QStringLiteral("m1"), QStringLiteral("m2")};
    outcome.dicomFiles = dicomFiles;
    if (request.level != QLatin1String("local")) { // what a miner saw: the input plus noise
      outcome.input.shape = outcome.share.shape = {8, 1, 8, 8};
      for (int i = 0; i < 512; ++i) {
        outcome.input.values.push_back(static_cast<float>(i % 64));
        outcome.share.values.push_back(static_cast<float>(i % 64 + (i * 7919) % 1000));
      }
    }
    return outcome;
  }
};

} // namespace nesa::testing
