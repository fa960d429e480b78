#include "llm/model_config.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

namespace nesa::llm {
namespace {

using nlohmann::json;

Error invalid(const std::string &why) { return {ErrorCode::InvalidInput, "config.json: " + why}; }

// No size of a model we run comes near this (GGUF's reader has the same bound), and products
// of a few such sizes stay far from int64's limit.
constexpr std::int64_t kLargestSize = std::int64_t{1} << 30;

// The first of `names` present in `j`, as a positive integer up to kLargestSize.
Result<std::int64_t> positive(const json &j, std::initializer_list<const char *> names) {
  for (const char *name : names) {
    auto it = j.find(name);
    if (it == j.end() || it->is_null())
      continue;
    if (!it->is_number_integer() || it->get<std::int64_t>() <= 0 ||
        it->get<std::int64_t>() > kLargestSize)
      return invalid(std::string(name) + " must be a positive integer up to 2^30, not " +
                     it->dump());
    return it->get<std::int64_t>();
  }
  return invalid(std::string("the field ") + *names.begin() + " is missing");
}

} // namespace

const char *familyName(Family family) { return family == Family::Gpt2 ? "gpt2" : "llama"; }

Result<ModelConfig> ModelConfig::parse(const std::string &text) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::exception &e) {
    return invalid(std::string("not valid JSON (") + e.what() + ")");
  }
  if (!j.is_object())
    return invalid("not a JSON object");
  const std::string type = j.value("model_type", "");
  ModelConfig c;
  if (type == "gpt2") {
    c.family = Family::Gpt2;
  } else if (type == "llama" || type == "mistral" || type == "qwen2") {
    c.family = Family::Llama;
  } else {
    return invalid("model_type '" + type +
                   "' is not supported (gpt2 and the llama family: llama, mistral, qwen2)");
  }
  const bool gpt2 = c.family == Family::Gpt2;
  auto field = [&](std::initializer_list<const char *> names, std::int64_t &out) -> Result<void> {
    auto value = positive(j, names);
    if (!value)
      return value.error();
    out = *value;
    return {};
  };
  for (auto r :
       {field({"vocab_size"}, c.vocabSize), field({gpt2 ? "n_embd" : "hidden_size"}, c.hidden),
        field({gpt2 ? "n_layer" : "num_hidden_layers"}, c.layers),
        field({gpt2 ? "n_head" : "num_attention_heads"}, c.heads),
        field({gpt2 ? "n_positions" : "max_position_embeddings"}, c.maxPositions)})
    if (!r)
      return r.error();
  if (gpt2) {
    c.kvHeads = c.heads;
    c.intermediate = 4 * c.hidden;
    if (j.contains("n_inner") && !j["n_inner"].is_null())
      if (auto r = field({"n_inner"}, c.intermediate); !r)
        return r.error();
    c.normEps = j.value("layer_norm_epsilon", 1e-5);
    c.tiedHead = true;
  } else {
    c.kvHeads = c.heads;
    if (j.contains("num_key_value_heads") && !j["num_key_value_heads"].is_null())
      if (auto r = field({"num_key_value_heads"}, c.kvHeads); !r)
        return r.error();
    if (auto r = field({"intermediate_size"}, c.intermediate); !r)
      return r.error();
    c.normEps = j.value("rms_norm_eps", 1e-6);
    c.ropeTheta = j.value("rope_theta", 10000.0);
    c.tiedHead = j.value("tie_word_embeddings", false);
    if (j.contains("rope_scaling") && !j["rope_scaling"].is_null())
      return invalid("rope_scaling is not supported");
  }
  if (c.hidden % c.heads != 0)
    return invalid("hidden size " + std::to_string(c.hidden) + " is not a multiple of " +
                   std::to_string(c.heads) + " heads");
  if (c.heads % c.kvHeads != 0)
    return invalid("attention heads must be a multiple of key/value heads");
  if (c.family == Family::Llama && c.headDim() % 2 != 0)
    return invalid("rotary embeddings need an even head dimension");
  if (auto eos = j.find("eos_token_id"); eos != j.end() && eos->is_number_integer())
    c.eosId = eos->get<std::int64_t>();
  return c;
}

Result<ModelConfig> ModelConfig::load(const std::filesystem::path &file) {
  std::ifstream in(file);
  if (!in)
    return fail(ErrorCode::NotFound, "no config.json at " + file.string());
  std::stringstream text;
  text << in.rdbuf();
  auto parsed = parse(text.str());
  if (!parsed)
    return parsed.error().withContext(file.parent_path().string());
  return parsed;
}

} // namespace nesa::llm
