// Model preprocessing: resampling, crop/pad, normalization, slicing, and the manifest's JSON;
// and the way back: a segmentation put on the scan's grid and written as NIfTI.
#include "ingest/label_map.h"
#include "ingest/model_manifest.h"
#include "ingest/nifti_reader.h"
#include "ingest/nifti_writer.h"
#include "ingest/preprocess.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

#include <filesystem>

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

// World coordinates of voxel (x, y, z) of a grid.
std::array<double, 3> worldOf(const VoxelGrid &g, std::int64_t x, std::int64_t y, std::int64_t z) {
  std::array<double, 3> p{};
  for (std::size_t r = 0; r < 3; ++r)
    p[r] = g.affine[r][0] * static_cast<double>(x) + g.affine[r][1] * static_cast<double>(y) +
           g.affine[r][2] * static_cast<double>(z) + g.affine[r][3];
  return p;
}

// Label 1 inside the world box [lo, hi] (mm), 0 elsewhere, per voxel of `g`; `margin` receives,
// per voxel, how far its centre is from the box's surface (mm, the nearest face).
std::vector<std::uint8_t> boxLabels(const VoxelGrid &g, const std::array<double, 3> &lo,
                                    const std::array<double, 3> &hi,
                                    std::vector<double> *margin = nullptr) {
  std::vector<std::uint8_t> labels;
  for (std::int64_t z = 0; z < g.shape[0]; ++z)
    for (std::int64_t y = 0; y < g.shape[1]; ++y)
      for (std::int64_t x = 0; x < g.shape[2]; ++x) {
        const auto p = worldOf(g, x, y, z);
        bool inside = true;
        double nearest = 1e9;
        for (std::size_t a = 0; a < 3; ++a) {
          inside = inside && p[a] >= lo[a] && p[a] <= hi[a];
          nearest = std::min({nearest, std::abs(p[a] - lo[a]), std::abs(p[a] - hi[a])});
        }
        labels.push_back(inside ? 1 : 0);
        if (margin)
          margin->push_back(nearest);
      }
  return labels;
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
            "preprocessing": {"normalize": "loud"}})",
        R"({"name": "n", "task": "t", "input": "image", "inputShape": [65536, 65536, 65536, 65536],
            "licence": "x", "provenance": "y"})"};
    const char *keys[] = {"name", "input", "inputShape", "licence", "speed", "normalize", "2^31"};
    for (int i = 0; i < 7; ++i) {
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

  // A segmentation made on the model's grid (resampled to 1 mm, cropped) lies on the scan's grid
  // where the scan is: every scan voxel farther than a model voxel from the object's surface gets
  // the object's label; outside the model's field of view everything is background.
  void aSegmentationGoesBackOntoTheScansGrid() {
    Volume scan = ramp(20, 24, 28);
    scan.spacing = {1.5, 1.25, 2.0};
    // A DICOM-like grid: x runs to the patient's right (negative), with an offset.
    scan.affine = {{{-1.5, 0, 0, 40}, {0, 1.25, 0, -12}, {0, 0, 2.0, 3}, {0, 0, 0, 1}}};
    scan.coordinateSystem = "LPS";
    auto steps = parsePreprocessing(R"({"spacing": [1, 1, 1], "shape": [32, 26, 36]})");
    QVERIFY(steps.ok());
    PreparedGeometry geometry;
    auto prepared = preprocess(scan, *steps, &geometry);
    QVERIFY(prepared.ok());
    QCOMPARE(geometry.source.shape, (std::array<std::int64_t, 3>{20, 24, 28}));
    QCOMPARE(geometry.model.shape, (std::array<std::int64_t, 3>{32, 26, 36}));
    QCOMPARE(geometry.source.coordinateSystem, std::string("LPS"));

    const std::array<double, 3> lo{10, 0, 20}, hi{25, 12, 40};
    const auto onModel = boxLabels(geometry.model, lo, hi);
    auto back = labelsOnSourceGrid(onModel, geometry);
    QVERIFY2(back.ok(), back.ok() ? "" : back.error().message.c_str());
    QCOMPARE(back->grid.shape, geometry.source.shape);
    QCOMPARE(back->grid.affine, scan.affine);
    std::vector<double> margin;
    const auto expected = boxLabels(geometry.source, lo, hi, &margin);
    QCOMPARE(back->labels.size(), expected.size());
    // The model's field of view (36 × 26 × 32 mm at 1 mm) is smaller than the scan's
    // (42 × 30 × 40 mm): scan voxels it does not cover are background even inside the box.
    const VoxelGrid &model = geometry.model;
    std::int64_t agree = 0, inView = 0, insideFarFromSurface = 0, outsideView = 0;
    for (std::size_t i = 0; i < expected.size(); ++i) {
      const auto x = static_cast<std::int64_t>(i) % 28, y = static_cast<std::int64_t>(i) / 28 % 24,
                 z = static_cast<std::int64_t>(i) / (28 * 24);
      const auto p = worldOf(geometry.source, x, y, z);
      bool covered = true;
      for (std::size_t a = 0; a < 3; ++a) {
        const double first = worldOf(model, 0, 0, 0)[a];
        const double last =
            worldOf(model, model.shape[2] - 1, model.shape[1] - 1, model.shape[0] - 1)[a];
        covered =
            covered && p[a] >= std::min(first, last) - 0.5 && p[a] <= std::max(first, last) + 0.5;
      }
      if (!covered) {
        ++outsideView;
        QCOMPARE(back->labels[i], std::uint8_t{0});
        continue;
      }
      if (margin[i] > 1.0) { // the nearest model voxel is on the same side of the surface
        ++insideFarFromSurface;
        QCOMPARE(back->labels[i], expected[i]);
      }
      ++inView;
      agree += back->labels[i] == expected[i];
    }
    QVERIFY(outsideView > 0);
    QVERIFY(insideFarFromSurface > 1000);
    QVERIFY(std::count(back->labels.begin(), back->labels.end(), 1) > 500);
    QVERIFY2(agree * 10 > inView * 9,
             qPrintable(QStringLiteral("%1 of %2").arg(agree).arg(inView)));
  }

  // Slices (coronal, sagittal) come back in [z, y, x]; on the same grid nothing moves.
  void slicedLabelsAreReassembled() {
    for (const auto axis : {Preprocessing::Slices::Axial, Preprocessing::Slices::Coronal,
                            Preprocessing::Slices::Sagittal}) {
      Volume v = ramp(3, 4, 5);
      for (auto &value : v.voxels)
        value = static_cast<float>(static_cast<int>(value) % 251);
      PreparedGeometry same{{{3, 4, 5}, v.affine, "RAS"}, {{3, 4, 5}, v.affine, "RAS"}, axis};
      const Volume sliced = slicesAlong(v, axis);
      std::vector<std::uint8_t> labels(sliced.voxels.begin(), sliced.voxels.end());
      auto back = labelsOnSourceGrid(labels, same);
      QVERIFY(back.ok());
      QCOMPARE(back->labels, std::vector<std::uint8_t>(v.voxels.begin(), v.voxels.end()));
    }
    PreparedGeometry same{{{3, 4, 5}, ramp(1, 1, 1).affine, "RAS"},
                          {{3, 4, 5}, ramp(1, 1, 1).affine, "RAS"},
                          Preprocessing::Slices::None};
    QCOMPARE(labelsOnSourceGrid(std::vector<std::uint8_t>(59), same).error().code,
             ErrorCode::InvalidInput);
    same.model.affine[0][0] = 0; // singular
    QCOMPARE(labelsOnSourceGrid(std::vector<std::uint8_t>(60), same).error().code,
             ErrorCode::InvalidInput);
  }

  // The NIfTI file reads back as the same labels on the same grid, in RAS+ (a DICOM scan's LPS+
  // affine turned); a wrong name or an unwritable folder is an error that leaves nothing.
  void labelsAreWrittenAsNifti() {
    QTemporaryDir dir;
    LabelMap map;
    map.grid = {
        {4, 5, 6}, {{{-1.5, 0, 0, 40}, {0, 1.25, 0, -12}, {0, 0, 2, 3}, {0, 0, 0, 1}}}, "LPS"};
    for (int i = 0; i < 120; ++i)
      map.labels.push_back(static_cast<std::uint8_t>(i % 3));
    for (const char *name : {"labels.nii.gz", "labels.nii"}) {
      const std::filesystem::path file = dir.filePath(QString::fromLatin1(name)).toStdString();
      auto written = writeNiftiLabels(file, map, "Nesa segmentation: test");
      QVERIFY2(written.ok(), written.ok() ? "" : written.error().message.c_str());
      auto read = readNifti(file);
      QVERIFY2(read.ok(), read.ok() ? "" : read.error().message.c_str());
      QCOMPARE(read->shape, (std::vector<std::int64_t>{4, 5, 6}));
      QCOMPARE(read->voxels, std::vector<float>(map.labels.begin(), map.labels.end()));
      const std::array<std::array<double, 4>, 4> ras = {
          {{1.5, 0, 0, -40}, {0, -1.25, 0, 12}, {0, 0, 2, 3}, {0, 0, 0, 1}}};
      for (std::size_t r = 0; r < 4; ++r)
        for (std::size_t c = 0; c < 4; ++c)
          QVERIFY(std::abs(read->affine[r][c] - ras[r][c]) < 1e-5);
      QCOMPARE(read->spacing, (std::array<double, 3>{1.5, 1.25, 2}));
    }
    QVERIFY(
        std::filesystem::file_size(dir.filePath(QStringLiteral("labels.nii.gz")).toStdString()) <
        std::filesystem::file_size(dir.filePath(QStringLiteral("labels.nii")).toStdString()));
    QCOMPARE(writeNiftiLabels(dir.filePath(QStringLiteral("labels.txt")).toStdString(), map, "")
                 .error()
                 .code,
             ErrorCode::InvalidInput);
    QVERIFY(!writeNiftiLabels("/nonexistent-folder/labels.nii.gz", map, "").ok());
    map.labels.pop_back();
    QCOMPARE(writeNiftiLabels(dir.filePath(QStringLiteral("short.nii")).toStdString(), map, "")
                 .error()
                 .code,
             ErrorCode::InvalidInput);
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 2);
  }
};

QTEST_GUILESS_MAIN(TestPreprocess)
#include "tst_preprocess.moc"
