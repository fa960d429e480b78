#include "tiny_language_models.h"

#include "llm/internal/safetensors.h"
#include "llm/tokenizer.h"

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <fstream>

namespace nesa::testing {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

constexpr std::int64_t kVocab = 320, kHidden = 32, kLayers = 2, kContext = 64;

void writeText(const fs::path &file, const std::string &text) { std::ofstream(file) << text; }

at::Tensor weight(std::vector<std::int64_t> shape) { return torch::randn(shape) * 0.2; }
at::Tensor gain(std::int64_t n) { return 1 + torch::randn({n}) * 0.1; }
at::Tensor small(std::int64_t n) { return torch::randn({n}) * 0.02; }

// Merges that make a few common English pieces; `space` is how the tokenizer writes a space.
std::vector<std::pair<std::string, std::string>> merges(const std::string &space) {
  return {{"h", "e"},          {"t", "h"}, {"th", "e"},        {space, "t"},
          {space + "t", "he"}, {"i", "n"}, {"e", "r"},         {"a", "n"},
          {space, "a"},        {"o", "n"}, {space + "a", "n"}, {space + "an", "d"},
          {"r", "e"},          {"e", "n"}, {"o", "r"},         {space, "s"}};
}

json mergeList(const std::vector<std::pair<std::string, std::string>> &list) {
  json out = json::array();
  for (const auto &[a, b] : list)
    out.push_back(a + " " + b);
  return out;
}

} // namespace

std::map<std::string, at::Tensor> randomGpt2Tensors(const llm::ModelConfig &c) {
  std::map<std::string, at::Tensor> t;
  const auto H = c.hidden, I = c.intermediate;
  t["wte.weight"] = weight({c.vocabSize, H});
  t["wpe.weight"] = weight({c.maxPositions, H}) * 0.5;
  for (std::int64_t l = 0; l < c.layers; ++l) {
    const std::string p = "h." + std::to_string(l) + ".";
    t[p + "ln_1.weight"] = gain(H);
    t[p + "ln_1.bias"] = small(H);
    t[p + "ln_2.weight"] = gain(H);
    t[p + "ln_2.bias"] = small(H);
    t[p + "attn.c_attn.weight"] = weight({H, 3 * H});
    t[p + "attn.c_attn.bias"] = small(3 * H);
    t[p + "attn.c_proj.weight"] = weight({H, H});
    t[p + "attn.c_proj.bias"] = small(H);
    t[p + "mlp.c_fc.weight"] = weight({H, I});
    t[p + "mlp.c_fc.bias"] = small(I);
    t[p + "mlp.c_proj.weight"] = weight({I, H});
    t[p + "mlp.c_proj.bias"] = small(H);
  }
  t["ln_f.weight"] = gain(H);
  t["ln_f.bias"] = small(H);
  return t;
}

void writeTinyGpt2(const fs::path &folder, std::uint64_t seed) {
  fs::create_directories(folder);
  torch::manual_seed(seed);
  json vocab = json::object();
  std::int64_t next = 0;
  for (int b = 0; b < 256; ++b)
    vocab[llm::byteLevelPiece(static_cast<unsigned char>(b))] = next++;
  const auto list = merges(llm::byteLevelPiece(' '));
  for (const auto &[a, b] : list)
    vocab[a + b] = next++;
  const std::int64_t eos = next++;
  json tokenizer = {
      {"version", "1.0"},
      {"added_tokens", {{{"id", eos}, {"content", "<|endoftext|>"}, {"special", true}}}},
      {"pre_tokenizer", {{"type", "ByteLevel"}, {"add_prefix_space", false}}},
      {"decoder", {{"type", "ByteLevel"}}},
      {"model", {{"type", "BPE"}, {"vocab", vocab}, {"merges", mergeList(list)}}}};
  writeText(folder / "tokenizer.json", tokenizer.dump(1));
  json config = {{"model_type", "gpt2"},       {"vocab_size", kVocab}, {"n_embd", kHidden},
                 {"n_layer", kLayers},         {"n_head", 4},          {"n_positions", kContext},
                 {"layer_norm_epsilon", 1e-5}, {"eos_token_id", eos}};
  writeText(folder / "config.json", config.dump(1));

  llm::ModelConfig shapes;
  shapes.vocabSize = kVocab;
  shapes.hidden = kHidden;
  shapes.layers = kLayers;
  shapes.intermediate = 4 * kHidden;
  shapes.maxPositions = kContext;
  (void)llm::writeSafetensors(folder / "model.safetensors", randomGpt2Tensors(shapes));
}

void writeTinyLlama(const fs::path &folder, std::uint64_t seed) {
  fs::create_directories(folder);
  torch::manual_seed(seed);
  const std::string space = "\xE2\x96\x81";
  json vocab = json::object();
  std::int64_t next = 0;
  vocab["<unk>"] = next++;
  vocab["<s>"] = next++;
  vocab["</s>"] = next++;
  for (int b = 0; b < 256; ++b) {
    char name[8];
    std::snprintf(name, sizeof name, "<0x%02X>", b);
    vocab[name] = next++;
  }
  vocab[space] = next++;
  for (char c = 'a'; c <= 'z'; ++c)
    vocab[std::string(1, c)] = next++;
  const auto list = merges(space);
  for (const auto &[a, b] : list)
    if (!vocab.contains(a + b))
      vocab[a + b] = next++;
  json tokenizer = {
      {"version", "1.0"},
      {"added_tokens",
       {{{"id", 0}, {"content", "<unk>"}, {"special", true}},
        {{"id", 1}, {"content", "<s>"}, {"special", true}},
        {{"id", 2}, {"content", "</s>"}, {"special", true}}}},
      {"normalizer",
       {{"type", "Sequence"},
        {"normalizers",
         {{{"type", "Prepend"}, {"prepend", space}},
          {{"type", "Replace"}, {"pattern", {{"String", " "}}}, {"content", space}}}}}},
      {"decoder", {{"type", "Metaspace"}}},
      {"model",
       {{"type", "BPE"},
        {"vocab", vocab},
        {"merges", mergeList(list)},
        {"byte_fallback", true},
        {"unk_token", "<unk>"}}}};
  writeText(folder / "tokenizer.json", tokenizer.dump(1));
  const std::int64_t I = 64, heads = 4, kvHeads = 2, D = kHidden / heads;
  json config = {{"model_type", "llama"},
                 {"vocab_size", kVocab},
                 {"hidden_size", kHidden},
                 {"intermediate_size", I},
                 {"num_hidden_layers", kLayers},
                 {"num_attention_heads", heads},
                 {"num_key_value_heads", kvHeads},
                 {"max_position_embeddings", kContext},
                 {"rms_norm_eps", 1e-5},
                 {"rope_theta", 10000.0},
                 {"tie_word_embeddings", false},
                 {"bos_token_id", 1},
                 {"eos_token_id", 2}};
  writeText(folder / "config.json", config.dump(1));

  std::map<std::string, at::Tensor> t;
  const auto H = kHidden;
  t["model.embed_tokens.weight"] = weight({kVocab, H}) * 5;
  for (int l = 0; l < kLayers; ++l) {
    const std::string p = "model.layers." + std::to_string(l) + ".";
    t[p + "input_layernorm.weight"] = gain(H);
    t[p + "post_attention_layernorm.weight"] = gain(H);
    t[p + "self_attn.q_proj.weight"] = weight({heads * D, H});
    t[p + "self_attn.k_proj.weight"] = weight({kvHeads * D, H});
    t[p + "self_attn.v_proj.weight"] = weight({kvHeads * D, H});
    t[p + "self_attn.o_proj.weight"] = weight({H, heads * D});
    t[p + "mlp.gate_proj.weight"] = weight({I, H});
    t[p + "mlp.up_proj.weight"] = weight({I, H});
    t[p + "mlp.down_proj.weight"] = weight({H, I});
  }
  t["model.norm.weight"] = gain(H);
  t["lm_head.weight"] = weight({kVocab, H});
  (void)llm::writeSafetensors(folder / "model.safetensors", t);
}

} // namespace nesa::testing
