// imported: what a model a user brings costs at each level. The pretrained TF.js models of npm's
// nsfwjs@4.3.0 (MobileNetV2Mid, a graph model; InceptionV3, a layers model), converted as
// `nesa model add` converts them, on a real photo (chelsea.png from python3-skimage, prepared as
// `nesa analyze` prepares an image) at hss, f64-masked and ring64, against local, with two
// in-process miners. (The ee levels refuse MobileNetV2Mid: its explicit padding does not commute
// with the channel transforms, as `nesa analyze` says.)
// The models and photos are what scripts/fetch-test-data.sh puts in build/test-data (or in
// $NESA_TEST_DATA). For each run it prints the round trips and bytes of one query on stderr.
#include "harness.h"
#include "ingest/image_reader.h"
#include "ingest/preprocess.h"
#include "ingest/tfjs_model.h"
#include "model/compiled_model.h"
#include "model/tfjs_export.h"
#include "privacy/engine.h"
#include "privacy/local_miner.h"
#include "suites/or_die.h"
#include "suites/run_traffic.h"
#include "suites/suites.h"
#include "util/child_process.h"

#include <cstdlib>
#include <iostream>
#include <set>
#include <unistd.h>

namespace nesa::bench {
namespace {

using namespace nesa::privacy;
namespace fs = std::filesystem;

template <typename T> T orDie(Result<T> result, const char *what) {
  return bench::orDie(std::move(result), "imported", what);
}

// build/test-data beside build/bin, unless $NESA_TEST_DATA names another folder.
fs::path testData() {
  const char *chosen = std::getenv("NESA_TEST_DATA");
  const fs::path folder = chosen ? fs::path(chosen) : executableDir().parent_path() / "test-data";
  if (!fs::exists(folder / "nsfwjs" / "mobilenet_v2_mid" / "model.json") ||
      !fs::exists(folder / "nsfwjs" / "inception_v3" / "model.json") ||
      !fs::exists(folder / "photos" / "chelsea.png")) {
    std::cerr << "imported suite: no nsfwjs models or photos in " << folder.string()
              << ": run scripts/fetch-test-data.sh " << folder.string()
              << " (or set NESA_TEST_DATA to where it put them)\n";
    std::exit(1);
  }
  return folder;
}

// One imported model, converted, and the photo prepared for it.
struct ImportedModel {
  std::string name;
  model::CompiledModel compiled;
  model::TensorData input;
};

struct Fixture {
  fs::path scratch;
  std::vector<ImportedModel> models;
  std::shared_ptr<Engine> engine =
      std::make_shared<Engine>(std::vector<std::shared_ptr<MinerEndpoint>>{
          std::make_shared<LocalMiner>("a"), std::make_shared<LocalMiner>("b")});
  std::shared_ptr<const EeKey> key =
      std::make_shared<const EeKey>(orDie(EeKey::generate(), "EE key"));
  std::set<std::string> described; // runs whose round trips and bytes were printed
  ~Fixture() {
    std::error_code ec;
    fs::remove_all(scratch, ec);
  }
};

ImportedModel importModel(const fs::path &data, const fs::path &scratch, const std::string &name,
                          const ingest::Image &photo) {
  const auto tfjs =
      orDie(ingest::readTfjsModel(data / "nsfwjs" / name / "model.json"), ("read " + name).c_str());
  const fs::path converted = scratch / (name + ".pt");
  const auto shape =
      orDie(model::exportTfjsToTorchScript(tfjs, converted), ("convert " + name).c_str());
  auto pixels = orDie(ingest::prepareImage(photo, shape[1], shape[2], shape[3]),
                      ("prepare the photo for " + name).c_str());
  return {name, orDie(model::compileModel(converted), ("compile " + name).c_str()),
          model::TensorData::fromFloats(shape, pixels)};
}

std::shared_ptr<Fixture> makeFixture() {
  const fs::path data = testData();
  auto f = std::make_shared<Fixture>();
  f->scratch = fs::temp_directory_path() / ("nesa-bench-imported-" + std::to_string(::getpid()));
  fs::create_directories(f->scratch);
  const auto photo = orDie(ingest::readImage(data / "photos" / "chelsea.png"), "read the photo");
  for (const char *name : {"mobilenet_v2_mid", "inception_v3"})
    f->models.push_back(importModel(data, f->scratch, name, photo));
  return f;
}

// One query of model `index` at `level`; the first of each label prints what it sent.
double query(Fixture &f, std::size_t index, PrivacyLevel level, ShareArithmetic arithmetic) {
  const ImportedModel &m = f.models[index];
  RunOptions options;
  options.level = level;
  options.arithmetic = arithmetic;
  options.key = f.key;
  RunReport report;
  const std::string label = m.name + " " + privacyLevelName(level) + " " +
                            (arithmetic == ShareArithmetic::Ring64 ? "ring64" : "f64");
  const double ms = timeMs(
      [&] { report = orDie(f.engine->run(m.compiled, m.input, options), label.c_str()).report; });
  if (level != PrivacyLevel::Local && f.described.insert(label).second)
    printTraffic("imported", label, report, "photo");
  return ms;
}

std::vector<Comparison> makeComparisons() {
  auto f = makeFixture();
  std::vector<Comparison> out;
  for (std::size_t i = 0; i < f->models.size(); ++i) {
    const auto at = [f, i](PrivacyLevel level, ShareArithmetic arithmetic) {
      return [f, i, level, arithmetic] { return query(*f, i, level, arithmetic); };
    };
    const auto local = at(PrivacyLevel::Local, ShareArithmetic::F64Masked);
    out.push_back({f->models[i].name + "_hss_f64_vs_local", "ms", local,
                   at(PrivacyLevel::Hss, ShareArithmetic::F64Masked)});
    out.push_back({f->models[i].name + "_hss_ring64_vs_local", "ms", local,
                   at(PrivacyLevel::Hss, ShareArithmetic::Ring64)});
  }
  return out;
}

} // namespace

void registerImportedSuite() {
  registerSuite({"imported",
                 "models users bring: nsfwjs's TF.js MobileNetV2Mid (graph) and InceptionV3 "
                 "(layers) on a photo at hss (f64 and ring64) vs local, in process (needs "
                 "scripts/fetch-test-data.sh's models; about a minute)",
                 makeComparisons});
}

} // namespace nesa::bench
