#include "llm/internal/gguf_model.h"

#include "ingest/gguf_file.h"
#include "ingest/gguf_quants.h"
#include "llm/gguf_vocabulary.h"

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>

namespace nesa::llm {
namespace {

using nlohmann::json;
namespace gguf = ingest::gguf;

constexpr std::uint32_t kQ8_0 = 8; // ggml's type number

// config.json's fields from the GGUF metadata, so ModelConfig::parse checks them as for a folder.
Result<ModelConfig> configOf(const gguf::File &file, const std::string &arch,
                             std::int64_t vocabSize) {
  const std::string p = arch + ".";
  constexpr std::int64_t kLarge = std::int64_t{1} << 30;
  auto need = [&](const std::string &key) { return file.integer(p + key, 1, kLarge); };
  json j;
  j["vocab_size"] = vocabSize;
  for (const auto &[key, field] : std::map<std::string, std::string>{
           {"embedding_length", arch == "gpt2" ? "n_embd" : "hidden_size"},
           {"block_count", arch == "gpt2" ? "n_layer" : "num_hidden_layers"},
           {"attention.head_count", arch == "gpt2" ? "n_head" : "num_attention_heads"},
           {"context_length", arch == "gpt2" ? "n_positions" : "max_position_embeddings"},
           {"feed_forward_length", arch == "gpt2" ? "n_inner" : "intermediate_size"}}) {
    auto value = need(key);
    if (!value)
      return value.error();
    j[field] = *value;
  }
  if (arch == "gpt2") {
    j["model_type"] = "gpt2";
    auto eps = file.real(p + "attention.layer_norm_epsilon");
    if (!eps)
      return eps.error();
    j["layer_norm_epsilon"] = *eps;
  } else {
    j["model_type"] = "llama";
    auto eps = file.real(p + "attention.layer_norm_rms_epsilon");
    if (!eps)
      return eps.error();
    j["rms_norm_eps"] = *eps;
    j["num_key_value_heads"] = j["num_attention_heads"];
    if (file.find(p + "attention.head_count_kv")) {
      auto kv = need("attention.head_count_kv");
      if (!kv)
        return kv.error();
      j["num_key_value_heads"] = *kv;
    }
    if (file.find(p + "rope.freq_base")) {
      auto theta = file.real(p + "rope.freq_base");
      if (!theta)
        return theta.error();
      j["rope_theta"] = *theta;
    }
    if (const auto *scaling = file.find(p + "rope.scaling.type");
        scaling && !(scaling->kind == gguf::Value::Kind::String && scaling->text == "none"))
      return fail(ErrorCode::InvalidInput, "rope scaling is not supported");
    j["tie_word_embeddings"] = file.tensor("output.weight") == nullptr;
  }
  if (const auto *eos = file.find("tokenizer.ggml.eos_token_id");
      eos && eos->kind == gguf::Value::Kind::Integer)
    j["eos_token_id"] = eos->integer;
  auto config = ModelConfig::parse(j.dump());
  if (!config)
    return fail(ErrorCode::InvalidInput, config.error().message.substr(13)); // "config.json: "
  const std::int64_t headDim = config->headDim();
  for (const char *key : {"rope.dimension_count", "attention.key_length", "attention.value_length"})
    if (file.find(p + key)) {
      auto value = file.integer(p + key, headDim, headDim);
      if (!value)
        return fail(ErrorCode::InvalidInput,
                    p + key + " must equal the head dimension (" + std::to_string(headDim) + ")");
    }
  return config;
}

// The float32 tensor of a GGUF entry, in PyTorch's order of dimensions (ggml's reversed).
at::Tensor tensorOf(const gguf::File &file, const gguf::TensorInfo &info) {
  std::vector<std::int64_t> shape(info.shape.rbegin(), info.shape.rend());
  auto tensor = at::empty(shape, at::kFloat);
  file.dequantize(info, tensor.data_ptr<float>());
  return tensor;
}

// A Q8_0 matrix's rows as stored: 34-byte blocks of a half scale and 32 signed bytes.
Q8Rows q8Of(const gguf::File &file, const gguf::TensorInfo &info) {
  Q8Rows m;
  m.columns = info.shape[0];
  m.rows = info.elements() / m.columns;
  const auto bytes = file.data(info);
  const auto blocks = static_cast<std::size_t>(info.elements() / 32);
  m.values.resize(static_cast<std::size_t>(info.elements()));
  m.scales.resize(blocks);
  for (std::size_t b = 0; b < blocks; ++b) {
    const std::uint8_t *block = bytes.data() + 34 * b;
    m.scales[b] = gguf::halfToFloat(static_cast<std::uint16_t>(block[0] | block[1] << 8));
    std::memcpy(m.values.data() + 32 * b, block + 2, 32);
  }
  return m;
}

// Row i of a query or key matrix in Hugging Face's layout is row rotaryOrder[i] of GGUF's.
std::vector<std::int64_t> rotaryOrder(std::int64_t heads, std::int64_t headDim) {
  std::vector<std::int64_t> order;
  for (std::int64_t h = 0; h < heads; ++h)
    for (std::int64_t half = 0; half < 2; ++half)
      for (std::int64_t i = 0; i < headDim / 2; ++i)
        order.push_back(h * headDim + 2 * i + half);
  return order;
}

// GGUF stores each head's query or key rows with the two rotary halves interleaved (pairs
// (0, D/2), (1, D/2 + 1), …), as ggml's rotation expects; the native pass rotates halves.
at::Tensor rotaryHalves(const at::Tensor &rows, std::int64_t heads, std::int64_t headDim) {
  if (rows.size(0) != heads * headDim)
    return rows; // a wrong shape: buildWeights() names it
  const auto perHead = headDim;
  auto rest = rows.sizes().slice(1).vec();
  std::vector<std::int64_t> split{heads, perHead / 2, 2};
  split.insert(split.end(), rest.begin(), rest.end());
  return rows.reshape(split).transpose(1, 2).reshape(rows.sizes()).contiguous();
}

// The Hugging Face name of a GGUF tensor, or "" for a name this architecture does not have.
std::string huggingFaceName(const std::string &name, bool gpt2, std::int64_t blocks,
                            bool &transpose) {
  transpose = false;
  static const std::map<std::string, std::string> llamaTop = {
      {"token_embd.weight", "model.embed_tokens.weight"},
      {"output_norm.weight", "model.norm.weight"},
      {"output.weight", "lm_head.weight"}};
  static const std::map<std::string, std::string> gpt2Top = {{"token_embd.weight", "wte.weight"},
                                                             {"position_embd.weight", "wpe.weight"},
                                                             {"output_norm.weight", "ln_f.weight"},
                                                             {"output_norm.bias", "ln_f.bias"},
                                                             {"output.weight", "lm_head.weight"}};
  static const std::map<std::string, std::string> llamaBlock = {
      {"attn_norm.weight", "input_layernorm.weight"},
      {"attn_q.weight", "self_attn.q_proj.weight"},
      {"attn_q.bias", "self_attn.q_proj.bias"},
      {"attn_k.weight", "self_attn.k_proj.weight"},
      {"attn_k.bias", "self_attn.k_proj.bias"},
      {"attn_v.weight", "self_attn.v_proj.weight"},
      {"attn_v.bias", "self_attn.v_proj.bias"},
      {"attn_output.weight", "self_attn.o_proj.weight"},
      {"ffn_norm.weight", "post_attention_layernorm.weight"},
      {"ffn_gate.weight", "mlp.gate_proj.weight"},
      {"ffn_up.weight", "mlp.up_proj.weight"},
      {"ffn_down.weight", "mlp.down_proj.weight"}};
  static const std::map<std::string, std::string> gpt2Block = {
      {"attn_norm.weight", "ln_1.weight"},          {"attn_norm.bias", "ln_1.bias"},
      {"attn_qkv.weight", "attn.c_attn.weight"},    {"attn_qkv.bias", "attn.c_attn.bias"},
      {"attn_output.weight", "attn.c_proj.weight"}, {"attn_output.bias", "attn.c_proj.bias"},
      {"ffn_norm.weight", "ln_2.weight"},           {"ffn_norm.bias", "ln_2.bias"},
      {"ffn_up.weight", "mlp.c_fc.weight"},         {"ffn_up.bias", "mlp.c_fc.bias"},
      {"ffn_down.weight", "mlp.c_proj.weight"},     {"ffn_down.bias", "mlp.c_proj.bias"}};
  const auto &top = gpt2 ? gpt2Top : llamaTop;
  if (auto it = top.find(name); it != top.end())
    return it->second;
  // "blk.N.REST" with N of 1 to 5 digits, below `blocks`.
  const auto digits = name.rfind("blk.", 0) == 0 ? name.find('.', 4) : std::string::npos;
  if (digits == std::string::npos || digits == 4 || digits > 9 || digits + 1 >= name.size())
    return "";
  const std::string index = name.substr(4, digits - 4), rest = name.substr(digits + 1);
  if (!std::all_of(index.begin(), index.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
      std::stoll(index) >= blocks)
    return "";
  const auto &inBlock = gpt2 ? gpt2Block : llamaBlock;
  auto it = inBlock.find(rest);
  if (it == inBlock.end())
    return "";
  // GPT-2's Conv1D layers keep [in, out]; GGUF stores them as rows of outputs.
  transpose = gpt2 && it->second.find(".weight") != std::string::npos &&
              it->second.find("ln_") == std::string::npos;
  return (gpt2 ? "h." : "model.layers.") + index + "." + it->second;
}

} // namespace

Result<GgufModel> readGgufModel(const std::filesystem::path &path) {
  auto file = gguf::File::open(path);
  if (!file)
    return file.error();
  auto withPath = [&](const Error &e) { return e.withContext(path.string()); };
  auto arch = file->text("general.architecture");
  if (!arch)
    return withPath(arch.error());
  if (*arch != "llama" && *arch != "gpt2")
    return withPath(fail(ErrorCode::InvalidInput,
                         "the architecture '" + *arch + "' is not supported (llama and gpt2 are)"));
  const bool gpt2 = *arch == "gpt2";
  auto tokenizer = tokenizerFromGguf(*file);
  if (!tokenizer)
    return withPath(tokenizer.error());
  // The embedding may have more rows than the tokenizer has pieces (a padded vocabulary).
  std::int64_t vocabSize = tokenizer->size();
  if (const auto *embed = file->tensor("token_embd.weight"); embed && embed->shape.size() == 2)
    vocabSize = std::max(vocabSize, embed->shape[1]);
  auto config = configOf(*file, *arch, vocabSize);
  if (!config)
    return withPath(config.error());
  GgufModel model{*config, {}, {}, std::move(*tokenizer)};
  for (const auto &info : file->tensors()) {
    bool transpose = false;
    const std::string name = huggingFaceName(info.name, gpt2, config->layers, transpose);
    if (name.empty())
      return withPath(fail(ErrorCode::InvalidInput,
                           "the tensor " + info.name + " is not part of a " + *arch +
                               " model this reader knows (rope scaling or another variant?)"));
    if (transpose && info.shape.size() > 2)
      return withPath(fail(ErrorCode::InvalidInput, "the tensor " + info.name + " has " +
                                                        std::to_string(info.shape.size()) +
                                                        " dimensions, not 2"));
    at::Tensor t = tensorOf(*file, info);
    std::int64_t rotaryHeads = 0;
    if (!gpt2 && info.name.find(".attn_q.") != std::string::npos)
      rotaryHeads = config->heads;
    else if (!gpt2 && info.name.find(".attn_k.") != std::string::npos)
      rotaryHeads = config->kvHeads;
    if (rotaryHeads)
      t = rotaryHalves(t, rotaryHeads, config->headDim());
    if (info.type == kQ8_0 && info.shape.size() == 2) {
      auto rows = q8Of(*file, info);
      if (rotaryHeads && rows.rows == rotaryHeads * config->headDim())
        rows = rows.permuteRows(rotaryOrder(rotaryHeads, config->headDim()));
      model.q8.emplace(name, std::move(rows));
    }
    if (transpose)
      t = t.t().contiguous();
    model.tensors.emplace(name, std::move(t));
  }
  return model;
}

} // namespace nesa::llm
