// Model preprocessing: resampling, crop/pad, normalization, slicing, and the manifest's JSON.
#include "ingest/model_manifest.h"
#include "ingest/preprocess.h"

#include <QTest>

#include <cmath>

using namespace nesa;
using namespace nesa::ingest;

namespace {

// v(z, y, x) = x + 10 y + 100 z on a [nz, ny, nx] grid with 1 mm voxels and an identity affine.
Volume ramp(std::int64_t nz, std::int64_t ny, std::int64_t nx) {
  Volume v;
  v.shape = {nz, ny, nx};
  for (std::int64_t z = 0; z < nz; ++z)
    for (std::int64_t y = 0; y < ny; ++y)
      for (std::int64_t x = 0; x < nx; ++x)
        v.voxels.push_back(static_cast<float>(x + 10 * y + 100 * z));
  v.affine = {{{1, 0, 0, 5}, {0, 1, 0, 6}, {0, 0, 1, 7}, {0, 0, 0, 1}}};
  return v;
}

float at(const Volume &v, std::int64_t z, std::int64_t y, std::int64_t x) {
  return v.voxels[static_cast<std::size_t>((z * v.shape[1] + y) * v.shape[2] + x)];
}

std::array<double, 3> world(const Volume &v, double i, double j, double k) {
  std::array<double, 3> p{};
  for (int r = 0; r < 3; ++r)
    p[static_cast<std::size_t>(r)] = v.affine[static_cast<std::size_t>(r)][0] * i +
                                     v.affine[static_cast<std::size_t>(r)][1] * j +
                                     v.affine[static_cast<std::size_t>(r)][2] * k +
                                     v.affine[static_cast<std::size_t>(r)][3];
  return p;
}

} // namespace

class TestPreprocess : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void resamplingInterpolatesLinearly() {
    const Volume input = ramp(6, 5, 8);
    auto out = resample(input, {0.5, 1.0, 2.0});
    QVERIFY(out.ok());
    QCOMPARE(out->shape, (std::vector<std::int64_t>{3, 5, 16}));
    // A linear field is reproduced exactly by trilinear interpolation inside the grid.
    for (std::int64_t z = 0; z < 3; ++z)
      for (std::int64_t y = 0; y < 5; ++y)
        for (std::int64_t x = 0; x < 15; ++x)
          QCOMPARE(at(*out, z, y, x), static_cast<float>(0.5 * x + 10 * y + 100 * 2 * z));
    // The same voxel still maps to the same place.
    QCOMPARE(world(*out, 3, 2, 1), world(input, 1.5, 2, 2));
    QCOMPARE(out->spacing, (std::array<double, 3>{0.5, 1.0, 2.0}));
    auto same = resample(input, {1, 1, 1});
    QCOMPARE(same->voxels, input.voxels);
  }

  void cropAndPadAreCentred() {
    const Volume input = ramp(4, 6, 8);
    const Volume out = cropOrPad(input, {2, 8, 4}, -1.0f);
    QCOMPARE(out.shape, (std::vector<std::int64_t>{2, 8, 4}));
    // z: crop offset 1; y: pad by 1 on each side; x: crop offset 2.
    QCOMPARE(at(out, 0, 0, 0), -1.0f);                           // padding row
    QCOMPARE(at(out, 0, 1, 0), static_cast<float>(2 + 0 + 100)); // input (z1, y0, x2)
    QCOMPARE(at(out, 1, 6, 3), static_cast<float>(5 + 50 + 200));
    QCOMPARE(at(out, 1, 7, 3), -1.0f);
    QCOMPARE(world(out, 0, 1, 0), world(input, 2, 0, 1));
  }

  void normalizations() {
    Volume v = ramp(2, 3, 4);
    Preprocessing z;
    z.normalize = Preprocessing::Normalize::ZScore;
    normalizeIntensities(v, z);
    double mean = 0, squares = 0;
    for (float x : v.voxels)
      mean += x / v.voxels.size();
    for (float x : v.voxels)
      squares += (x - mean) * (x - mean) / v.voxels.size();
    QVERIFY(std::abs(mean) < 1e-6);
    QVERIFY(std::abs(std::sqrt(squares) - 1) < 1e-5);
    Volume m = ramp(2, 3, 4);
    Preprocessing minmax;
    minmax.normalize = Preprocessing::Normalize::MinMax;
    normalizeIntensities(m, minmax);
    QCOMPARE(*std::min_element(m.voxels.begin(), m.voxels.end()), 0.0f);
    QCOMPARE(*std::max_element(m.voxels.begin(), m.voxels.end()), 1.0f);
    Volume w = ramp(2, 3, 4);
    Preprocessing window;
    window.normalize = Preprocessing::Normalize::Window;
    window.windowCenter = 50;
    window.windowWidth = 20; // [40, 60]
    normalizeIntensities(w, window);
    QCOMPARE(at(w, 0, 0, 0), 0.0f); // 0 → below
    QCOMPARE(at(w, 0, 2, 0), 0.0f); // 20 → below
    QCOMPARE(at(w, 1, 0, 0), 1.0f); // 100 → above
    QCOMPARE(at(ramp(2, 3, 4), 0, 2, 0), 20.0f);
  }

  void slicingAlongEachAxis() {
    const Volume v = ramp(2, 3, 4);
    const Volume coronal = slicesAlong(v, Preprocessing::Slices::Coronal);
    QCOMPARE(coronal.shape, (std::vector<std::int64_t>{3, 2, 4}));
    QCOMPARE(at(coronal, 2, 1, 3), static_cast<float>(3 + 20 + 100)); // slice y=2, row z=1, col x=3
    const Volume sagittal = slicesAlong(v, Preprocessing::Slices::Sagittal);
    QCOMPARE(sagittal.shape, (std::vector<std::int64_t>{4, 2, 3}));
    QCOMPARE(at(sagittal, 3, 1, 2),
             static_cast<float>(3 + 20 + 100)); // slice x=3, row z=1, col y=2
    QCOMPARE(slicesAlong(v, Preprocessing::Slices::Axial).voxels, v.voxels);
  }

  void manifestParsing() {
    auto steps = parsePreprocessing(R"({"spacing": [1, 1, 2], "shape": [32, 64, 64], "pad": -1,
                                        "normalize": "window", "window": [40, 400], "slices": "axial"})");
    QVERIFY2(steps.ok(), steps.ok() ? "" : steps.error().message.c_str());
    QCOMPARE((*steps->spacing)[2], 2.0);
    QCOMPARE((*steps->shape)[0], std::int64_t{32});
    QCOMPARE(steps->windowWidth, 400.0);
    QCOMPARE(steps->slices, Preprocessing::Slices::Axial);
    for (const char *bad :
         {R"({"spacing": [1, 1]})", R"({"shape": [0, 1, 1]})", R"({"normalize": "magic"})",
          R"({"normalize": "window"})", R"({"resize": 2})", R"([1, 2])", "{nope"}) {
      auto refused = parsePreprocessing(bad);
      QVERIFY2(!refused.ok(), bad);
      QCOMPARE(refused.error().code, ErrorCode::InvalidInput);
    }
    QVERIFY(QString::fromStdString(parsePreprocessing(R"({"resize": 2})").error().message)
                .contains(QStringLiteral("resize")));
  }

  void manifests() {
    auto manifest = parseManifest(R"json({
      "name": "Brain extraction (demo)", "task": "segmentation", "input": "volume",
      "inputShape": [1, 1, 96, 96], "labels": ["background", "brain"],
      "preprocessing": {"spacing": [2, 2, 2], "normalize": "zscore", "slices": "axial"},
      "licence": "weights CC0; data: mricron-data (BSD)", "provenance": "scripts/train_brain.py, seed 7",
      "notice": "demonstration only"})json");
    QVERIFY2(manifest.ok(), manifest.ok() ? "" : manifest.error().message.c_str());
    QCOMPARE(manifest->labels.size(), std::size_t{2});
    QCOMPARE(manifest->inputShape, (std::vector<std::int64_t>{1, 1, 96, 96}));
    QCOMPARE(manifest->preprocessing.slices, Preprocessing::Slices::Axial);
    QCOMPARE(QString::fromStdString(manifest->notice), QStringLiteral("demonstration only"));
    const char *bad[] = {
        R"({"task": "segmentation", "input": "volume", "inputShape": [1], "licence": "x", "provenance": "y"})",
        R"({"name": "n", "task": "t", "input": "audio", "inputShape": [1], "licence": "x", "provenance": "y"})",
        R"({"name": "n", "task": "t", "input": "image", "inputShape": [0], "licence": "x", "provenance": "y"})",
        R"({"name": "n", "task": "t", "input": "image", "inputShape": [1], "provenance": "y"})",
        R"({"name": "n", "task": "t", "input": "image", "inputShape": [1], "licence": "x", "provenance": "y", "speed": 1})",
        R"({"name": "n", "task": "t", "input": "image", "inputShape": [1], "licence": "x", "provenance": "y",
            "preprocessing": {"normalize": "loud"}})"};
    const char *keys[] = {"name", "input", "inputShape", "licence", "speed", "normalize"};
    for (int i = 0; i < 6; ++i) {
      auto refused = parseManifest(bad[i]);
      QVERIFY2(!refused.ok(), bad[i]);
      QVERIFY2(QString::fromStdString(refused.error().message).contains(QLatin1String(keys[i])),
               refused.error().message.c_str());
    }
    QCOMPARE(loadManifest("/nonexistent/manifest.json").error().code, ErrorCode::NotFound);
  }

  void wholePipelineAndFourDimensionsRefused() {
    auto steps = parsePreprocessing(
        R"({"spacing": [2, 2, 2], "shape": [2, 2, 2], "normalize": "minmax", "slices": "coronal"})");
    auto out = preprocess(ramp(4, 4, 4), *steps);
    QVERIFY(out.ok());
    QCOMPARE(out->shape, (std::vector<std::int64_t>{2, 2, 2}));
    QCOMPARE(*std::max_element(out->voxels.begin(), out->voxels.end()), 1.0f);
    Volume four = ramp(2, 2, 2);
    four.shape = {1, 2, 2, 2};
    QVERIFY(!preprocess(four, *steps).ok());
  }
};

QTEST_GUILESS_MAIN(TestPreprocess)
#include "tst_preprocess.moc"
