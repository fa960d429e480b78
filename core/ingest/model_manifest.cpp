#include "ingest/model_manifest.h"

#include "ingest/internal/json_object.h"

#include <fstream>
#include <sstream>

namespace nesa::ingest {
namespace {

// The most values a model's input may hold (a large CT series is about 2^28).
constexpr std::int64_t kMostInputValues = std::int64_t{1} << 31;

using nlohmann::json;

Error invalid(const std::string &key, const std::string &why) {
  return fail(ErrorCode::InvalidInput, "manifest '" + key + "' " + why);
}

Result<std::string> requiredText(const json &root, const char *key) {
  auto it = root.find(key);
  if (it == root.end() || !it->is_string() || it->get<std::string>().empty())
    return invalid(key, "is required and must be non-empty text");
  return it->get<std::string>();
}

} // namespace

Result<ModelManifest> parseManifest(const std::string &text) {
  auto parsed = parseJsonObject(text, "the manifest");
  if (!parsed)
    return parsed.error();
  const json &root = *parsed;
  ModelManifest manifest;
  for (auto [key, field] :
       {std::pair{"name", &manifest.name}, std::pair{"task", &manifest.task},
        std::pair{"input", &manifest.input}, std::pair{"licence", &manifest.licence},
        std::pair{"provenance", &manifest.provenance}}) {
    auto value = requiredText(root, key);
    if (!value)
      return value.error();
    *field = *value;
  }
  if (manifest.input != "volume" && manifest.input != "image" && manifest.input != "text")
    return invalid("input", "must be \"volume\", \"image\" or \"text\"");
  const auto shape = root.find("inputShape");
  if (shape == root.end() || !shape->is_array() || shape->empty() || shape->size() > 6)
    return invalid("inputShape", "is required: the model's input tensor shape, 1 to 6 sizes");
  std::int64_t values = 1;
  for (const auto &d : *shape) {
    if (!d.is_number_integer() || d.get<std::int64_t>() < 1)
      return invalid("inputShape", "sizes must be positive whole numbers");
    manifest.inputShape.push_back(d.get<std::int64_t>());
    // Each size is then at most 2^31, so the product checked here cannot overflow.
    if (d.get<std::int64_t>() > kMostInputValues ||
        (values *= d.get<std::int64_t>()) > kMostInputValues)
      return invalid("inputShape", "describes more than 2^31 values");
  }
  if (auto labels = root.find("labels"); labels != root.end()) {
    if (!labels->is_array())
      return invalid("labels", "must be a list of names");
    for (const auto &label : *labels) {
      if (!label.is_string())
        return invalid("labels", "must be a list of names");
      manifest.labels.push_back(label.get<std::string>());
    }
  }
  if (auto notice = root.find("notice"); notice != root.end()) {
    if (!notice->is_string())
      return invalid("notice", "must be text");
    manifest.notice = notice->get<std::string>();
  }
  if (auto steps = root.find("preprocessing"); steps != root.end()) {
    auto prepared = preprocessingFromJson(*steps);
    if (!prepared)
      return prepared.error();
    manifest.preprocessing = *prepared;
    manifest.preprocessingJson = steps->dump();
  }
  for (const auto &[key, value] : root.items())
    if (key != "name" && key != "task" && key != "input" && key != "inputShape" &&
        key != "labels" && key != "preprocessing" && key != "licence" && key != "provenance" &&
        key != "notice")
      return invalid(key, "is not a manifest key");
  return manifest;
}

Result<ModelManifest> loadManifest(const std::filesystem::path &file) {
  std::ifstream in(file);
  if (!in)
    return fail(ErrorCode::NotFound, "no manifest at " + file.string());
  std::stringstream text;
  text << in.rdbuf();
  auto manifest = parseManifest(text.str());
  if (!manifest)
    return manifest.error().withContext(file.string());
  return manifest;
}

} // namespace nesa::ingest
