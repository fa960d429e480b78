// The built-in brain models on real scans they never saw in training: brain-extraction Dice on
// held-out Colin27 slices and on the same subject's other reconstruction (ch2better), the lesion
// variant's detection rate and false positives on held-out slices with synthetic lesions, its
// false positives on clean slices, and equal answers at `local` and `hss`. Prints the figures
// that docs/models.md quotes.
#include "brain_data.h"
#include "ingest/model_manifest.h"
#include "ingest/nifti_reader.h"
#include "ingest/preprocess.h"
#include "model/compiled_model.h"
#include "privacy/engine.h"
#include "test_miners.h"
#include "test_tensors.h"

#include <QTest>

using namespace nesa;
namespace fs = std::filesystem;

namespace {

const fs::path kModels = NESA_MODELS_DIR;

// The masks the model gives for every slice of `images` ([count, rows, cols]), at `level`.
Result<std::vector<std::uint8_t>>
segment(privacy::Engine &engine, const model::CompiledModel &model,
        const std::vector<float> &images, std::int64_t count, std::int64_t rows, std::int64_t cols,
        privacy::PrivacyLevel level, std::vector<float> *logits = nullptr) {
  privacy::RunOptions options;
  options.level = level;
  auto run =
      engine.run(model, model::TensorData::fromFloats({count, 1, rows, cols}, images), options);
  if (!run)
    return run.error();
  const auto out = run->output.toFloats(); // [count, 2, rows, cols]
  std::vector<std::uint8_t> masks(static_cast<std::size_t>(count * rows * cols));
  const auto plane = rows * cols;
  for (std::int64_t s = 0; s < count; ++s)
    for (std::int64_t p = 0; p < plane; ++p)
      masks[static_cast<std::size_t>(s * plane + p)] =
          out[static_cast<std::size_t>((s * 2 + 1) * plane + p)] >
                  out[static_cast<std::size_t>(s * 2 * plane + p)]
              ? 1
              : 0;
  if (logits)
    *logits = out;
  return masks;
}

struct Loaded {
  ingest::ModelManifest manifest;
  model::CompiledModel compiled;
};

} // namespace

class TestBrainModels : public QObject {
  Q_OBJECT
  std::map<std::string, Loaded> m_models;
  models::SliceStack m_colin;
  privacy::Engine m_engine{testing::honestPool(2)};

  const Loaded &model(const std::string &name) { return m_models.at(name); }

private Q_SLOTS:
  void initTestCase() {
    for (const char *name : {"brain-extraction", "brain-lesions-synthetic"}) {
      auto manifest = ingest::loadManifest(kModels / (std::string(name) + ".json"));
      QVERIFY2(manifest.ok(), manifest.ok() ? "" : manifest.error().message.c_str());
      auto compiled = model::compileModel(kModels / (std::string(name) + ".pt"));
      QVERIFY2(compiled.ok(), compiled.ok() ? "" : compiled.error().message.c_str());
      m_models.emplace(name, Loaded{*manifest, *compiled});
    }
    auto colin = models::loadColin27(models::kMricronTemplates, "ch2.nii.gz",
                                     model("brain-extraction").manifest.preprocessing);
    QVERIFY2(colin.ok(), colin.ok() ? "" : colin.error().message.c_str());
    m_colin = std::move(*colin);
    const auto &shape = model("brain-extraction").manifest.inputShape;
    QCOMPARE(shape, (std::vector<std::int64_t>{m_colin.count, 1, m_colin.rows, m_colin.cols}));
  }

  void manifestsSayWhatTheModelsAre() {
    const auto &lesions = model("brain-lesions-synthetic").manifest;
    QCOMPARE(lesions.notice, std::string("synthetic lesions — demonstration only"));
    QCOMPARE(lesions.labels, (std::vector<std::string>{"background", "lesion"}));
    QCOMPARE(model("brain-extraction").manifest.labels,
             (std::vector<std::string>{"background", "brain"}));
    for (const auto &[name, loaded] : m_models) {
      QVERIFY(loaded.manifest.licence.find("mricron-data") != std::string::npos);
      QVERIFY(loaded.manifest.provenance.find("--seed") != std::string::npos);
    }
  }

  void brainExtractionOnHeldOutSlices() {
    const auto heldOut = models::selectSlices(m_colin, models::isHeldOut);
    auto masks = segment(m_engine, model("brain-extraction").compiled, heldOut.images,
                         heldOut.count, heldOut.rows, heldOut.cols, privacy::PrivacyLevel::Local);
    QVERIFY2(masks.ok(), masks.ok() ? "" : masks.error().message.c_str());
    const double dice = models::dice(*masks, heldOut.masks);
    qInfo("brain extraction, held-out Colin27 slices (%lld): Dice %.4f",
          static_cast<long long>(heldOut.count), dice);
    QVERIFY2(dice >= 0.93, qPrintable(QStringLiteral("Dice %1").arg(dice)));
  }

  void brainExtractionOnTheOtherReconstruction() {
    // ch2better: the same subject, another reconstruction with a different contrast; never
    // used in training. Scored on every slice and on the held-out ones.
    auto better = models::loadColin27(models::kMricronTemplates, "ch2better.nii.gz",
                                      model("brain-extraction").manifest.preprocessing);
    QVERIFY2(better.ok(), better.ok() ? "" : better.error().message.c_str());
    auto masks = segment(m_engine, model("brain-extraction").compiled, better->images,
                         better->count, better->rows, better->cols, privacy::PrivacyLevel::Local);
    QVERIFY(masks.ok());
    const double all = models::dice(*masks, better->masks);
    const auto heldOutTruth = models::selectSlices(*better, models::isHeldOut).masks;
    std::vector<std::uint8_t> heldOutMasks;
    const auto n = better->sliceSize();
    for (std::int64_t s = 0; s < better->count; ++s)
      if (models::isHeldOut(s))
        heldOutMasks.insert(heldOutMasks.end(), masks->begin() + s * n,
                            masks->begin() + (s + 1) * n);
    const double heldOut = models::dice(heldOutMasks, heldOutTruth);
    const auto count = [](const std::vector<std::uint8_t> &m) {
      return std::count(m.begin(), m.end(), std::uint8_t{1});
    };
    qInfo("brain extraction, ch2better: Dice %.4f on all slices, %.4f on held-out slices "
          "(%lld voxels predicted, %lld true)",
          all, heldOut, static_cast<long long>(count(*masks)),
          static_cast<long long>(count(better->masks)));
    QVERIFY2(heldOut >= 0.9, qPrintable(QStringLiteral("Dice %1").arg(heldOut)));
  }

  void lesionsOnHeldOutSlices() {
    const auto heldOut = models::selectSlices(m_colin, [&](std::int64_t s) {
      std::int64_t brain = 0;
      for (std::int64_t i = 0; i < m_colin.sliceSize(); ++i)
        brain += m_colin.masks[static_cast<std::size_t>(s * m_colin.sliceSize() + i)];
      return models::isHeldOut(s) && brain >= 400;
    });
    auto painted = heldOut.images;
    std::vector<std::uint8_t> truth;
    for (std::int64_t s = 0; s < heldOut.count; ++s) {
      // Seeds the training program never drew from (it draws below 2^30 + 1000 per slice).
      auto t = models::paintLesions(painted.data() + s * heldOut.sliceSize(),
                                    heldOut.masks.data() + s * heldOut.sliceSize(), heldOut.rows,
                                    heldOut.cols, 3, (1ULL << 40) + static_cast<std::uint64_t>(s));
      truth.insert(truth.end(), t.begin(), t.end());
    }
    const auto &compiled = model("brain-lesions-synthetic").compiled;
    auto withLesions = segment(m_engine, compiled, painted, heldOut.count, heldOut.rows,
                               heldOut.cols, privacy::PrivacyLevel::Local);
    auto clean = segment(m_engine, compiled, heldOut.images, heldOut.count, heldOut.rows,
                         heldOut.cols, privacy::PrivacyLevel::Local);
    QVERIFY(withLesions.ok() && clean.ok());
    const auto score =
        models::scoreDetection(*withLesions, truth, heldOut.count, heldOut.rows, heldOut.cols);
    const auto none = std::vector<std::uint8_t>(clean->size(), 0);
    const auto cleanScore =
        models::scoreDetection(*clean, none, heldOut.count, heldOut.rows, heldOut.cols);
    const double rate = static_cast<double>(score.detected) / score.lesions;
    qInfo("lesions, held-out slices (%lld): %d of %d detected (%.1f%%), %d false positives; "
          "clean slices: %d false positives",
          static_cast<long long>(heldOut.count), score.detected, score.lesions, 100 * rate,
          score.falsePositives, cleanScore.falsePositives);
    QVERIFY(score.lesions >= heldOut.count);
    QVERIFY2(rate >= 0.9, qPrintable(QStringLiteral("detection rate %1").arg(rate)));
    QVERIFY2(score.falsePositives <= heldOut.count, "more than one false positive per slice");
    QVERIFY2(2 * cleanScore.falsePositives <= heldOut.count,
             "more than one false positive per two clean slices");
  }

  void keyedLevelsEqualLocal() {
    // The U-Net's additive skips and upsampling go through the EE keying pass too.
    const auto slices =
        models::selectSlices(m_colin, [](std::int64_t s) { return s >= 46 && s < 50; });
    const auto &compiled = model("brain-extraction").compiled;
    const auto input =
        model::TensorData::fromFloats({slices.count, 1, slices.rows, slices.cols}, slices.images);
    privacy::RunOptions local;
    local.level = privacy::PrivacyLevel::Local;
    auto expected = m_engine.run(compiled, input, local);
    QVERIFY(expected.ok());
    for (auto level : {privacy::PrivacyLevel::Ee, privacy::PrivacyLevel::HssEe}) {
      privacy::RunOptions options;
      options.level = level;
      options.arithmetic = privacy::defaultArithmetic(level); // f32 at ee, as nesa analyze runs
      options.key = testing::freshEeKey();
      auto got = m_engine.run(compiled, input, options);
      QVERIFY2(got.ok(), got.ok() ? "" : got.error().message.c_str());
      const double error = testing::relativeError(got->output, expected->output);
      qInfo("brain-extraction at %s: relative error %.2e", privacy::privacyLevelName(level), error);
      QVERIFY(error < 1e-4);
      // At ee the U-Net's whole program (upsampled to its skips' sizes) is one round trip.
      if (level == privacy::PrivacyLevel::Ee)
        QCOMPARE(got->report.roundTrips, 1);
    }
  }

  void hssEqualsLocal() {
    // Eight slices through the middle of the brain, for both models.
    const auto slices =
        models::selectSlices(m_colin, [](std::int64_t s) { return s >= 44 && s < 52; });
    for (const auto &[name, loaded] : m_models) {
      std::vector<float> localLogits, hssLogits;
      auto local = segment(m_engine, loaded.compiled, slices.images, slices.count, slices.rows,
                           slices.cols, privacy::PrivacyLevel::Local, &localLogits);
      auto hss = segment(m_engine, loaded.compiled, slices.images, slices.count, slices.rows,
                         slices.cols, privacy::PrivacyLevel::Hss, &hssLogits);
      QVERIFY2(hss.ok(), hss.ok() ? "" : hss.error().message.c_str());
      QVERIFY(local.ok());
      double worst = 0;
      for (std::size_t i = 0; i < localLogits.size(); ++i)
        worst = std::max(worst, static_cast<double>(std::abs(localLogits[i] - hssLogits[i])));
      std::size_t differing = 0;
      for (std::size_t i = 0; i < local->size(); ++i)
        differing += (*local)[i] != (*hss)[i];
      qInfo("%s: hss vs local, largest logit difference %.2e, %zu of %zu labels differ",
            name.c_str(), worst, differing, local->size());
      QVERIFY(worst < 1e-3);
      QCOMPARE(differing, std::size_t{0});
    }
  }
};

QTEST_GUILESS_MAIN(TestBrainModels)
#include "tst_brain_models.moc"
