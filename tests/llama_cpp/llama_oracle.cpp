// llama_oracle: llama.cpp itself (its prebuilt libraries from node-llama-cpp), driven from the
// command line, as the reference the GGUF tests compare our reader and forward pass with.
//   llama_oracle make FILE llama|gpt2 SEED     writes a tiny random-weight F32 model, with a
//                                              tokenizer, through ggml's own GGUF writer
//                                              (llama-1b: Llama 3.2 1B's shape, 1.1 B parameters)
//   llama_oracle quantize IN OUT TYPE          llama_model_quantize, every matrix to TYPE (f16,
//                                              bf16, q8_0, q4_0, q4_k, q5_k, q6_k)
//   llama_oracle dequantize FILE TENSOR OUT    the tensor as ggml dequantizes it (raw float32)
//   llama_oracle tokenize FILE TEXT            the ids (no BOS), one line, space-separated
//   llama_oracle logits FILE OUT ID...         logits of every position (raw float32 [T, vocab])
//   llama_oracle generate FILE N ID...         N greedy tokens after the ids, one line
//   llama_oracle speed FILE N ID...            milliseconds for the ids' pass and N greedy
//                                              tokens (loading excluded)
// llama.cpp runs with flash attention off and a float32 KV cache, on the CPU.
#include <ggml-backend.h>
#include <ggml.h>
#include <gguf.h>
#include <llama.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace {

[[noreturn]] void die(const std::string &why) {
  std::fprintf(stderr, "llama_oracle: %s\n", why.c_str());
  std::exit(1);
}

void quietLog(ggml_log_level level, const char *text, void *) {
  if (level >= GGML_LOG_LEVEL_ERROR)
    std::fputs(text, stderr);
}

std::string utf8(unsigned cp) {
  std::string out;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else {
    out += static_cast<char>(0xC0 | cp >> 6);
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
  return out;
}

// GPT-2's byte-to-character map (every value is below 0x800, so two UTF-8 bytes at most).
std::vector<std::string> byteLevelPieces() {
  std::vector<std::string> pieces(256);
  unsigned next = 256;
  for (unsigned b = 0; b < 256; ++b) {
    const bool printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || b >= 174;
    pieces[b] = utf8(printable ? b : next++);
  }
  return pieces;
}

const std::vector<std::string> kWords = {"the",  "and",     "of",       "to",   "in",
                                         "is",   "that",    "it",       "for",  "on",
                                         "scan", "patient", "contract", "note", "summary"};

struct Vocabulary {
  std::vector<std::string> tokens;
  std::vector<float> scores;
  std::vector<int> types; // 1 normal, 2 unknown, 3 control, 6 byte
  std::vector<std::string> merges;
  int bos = 0, eos = 0;
};

void addPiece(Vocabulary &v, std::set<std::string> &seen, const std::string &piece) {
  if (!seen.insert(piece).second)
    return;
  v.tokens.push_back(piece);
  v.scores.push_back(-static_cast<float>(v.tokens.size()));
  v.types.push_back(1);
}

// A SentencePiece vocabulary as Llama GGUFs carry it: <unk>, <s>, </s>, 256 byte pieces, then
// pieces with scores (every prefix of the words, so SentencePiece's merging reaches them).
Vocabulary sentencePieceVocabulary() {
  Vocabulary v;
  const std::string mark = "\xE2\x96\x81";
  v.tokens = {"<unk>", "<s>", "</s>"};
  v.scores = {0, 0, 0};
  v.types = {2, 3, 3};
  v.bos = 1;
  v.eos = 2;
  for (int b = 0; b < 256; ++b) {
    char name[8];
    std::snprintf(name, sizeof name, "<0x%02X>", b);
    v.tokens.push_back(name);
    v.scores.push_back(0);
    v.types.push_back(6);
  }
  std::set<std::string> seen(v.tokens.begin(), v.tokens.end());
  addPiece(v, seen, mark);
  for (char c = 'a'; c <= 'z'; ++c) {
    addPiece(v, seen, std::string(1, c));
    addPiece(v, seen, mark + c);
  }
  for (const auto &word : kWords)
    for (std::size_t k = 2; k <= word.size(); ++k) {
      addPiece(v, seen, mark + word.substr(0, k));
      addPiece(v, seen, word.substr(k - 2, 2));
    }
  for (const char *p : {".", ",", "!", "?", "0", "1", "2"})
    addPiece(v, seen, p);
  return v;
}

// A GPT-2 byte-level BPE vocabulary: the 256 byte pieces, merges that build the words with and
// without their leading space, and <|endoftext|>.
Vocabulary byteLevelVocabulary() {
  Vocabulary v;
  const auto bytes = byteLevelPieces();
  std::set<std::string> seen;
  for (const auto &piece : bytes)
    addPiece(v, seen, piece);
  const std::string space = bytes[' '];
  for (const auto &word : kWords)
    for (const std::string &start : {space, std::string()}) {
      std::string built = start.empty() ? std::string(1, word[0]) : start;
      for (std::size_t k = start.empty() ? 1 : 0; k < word.size(); ++k) {
        const std::string next(1, word[k]);
        const std::string merged = built + next;
        if (!seen.count(merged)) {
          v.merges.push_back(built + " " + next);
          addPiece(v, seen, merged);
        }
        built = merged;
      }
    }
  // Merges across the pre-tokenizer's boundaries ("\n\n", two spaces, "!'"): a wrong split
  // of the text would then give other ids.
  for (const auto &[a, b] : {std::pair{bytes['\n'], bytes['\n']}, std::pair{space, space},
                             std::pair{std::string("!"), std::string("'")}}) {
    v.merges.push_back(a + " " + b);
    addPiece(v, seen, a + b);
  }
  v.tokens.push_back("<|endoftext|>");
  v.scores.push_back(0);
  v.types.push_back(3);
  v.bos = v.eos = static_cast<int>(v.tokens.size()) - 1;
  return v;
}

void setStrings(gguf_context *g, const char *key, const std::vector<std::string> &values) {
  std::vector<const char *> pointers;
  for (const auto &value : values)
    pointers.push_back(value.c_str());
  gguf_set_arr_str(g, key, pointers.data(), pointers.size());
}

class ModelWriter {
public:
  ModelWriter(unsigned seed, std::size_t bytes = 512u << 20) : m_rng(seed) {
    ggml_init_params params{bytes, nullptr, false};
    m_ctx = ggml_init(params);
    m_gguf = gguf_init_empty();
  }
  ~ModelWriter() {
    gguf_free(m_gguf);
    ggml_free(m_ctx);
  }
  gguf_context *gguf() { return m_gguf; }
  // A float32 tensor of ggml shape {ne0, ne1}: row-major [ne1, ne0], values around `mean`.
  void tensor(const std::string &name, std::int64_t ne0, std::int64_t ne1, float mean,
              float spread) {
    auto *t = ne1 > 0 ? ggml_new_tensor_2d(m_ctx, GGML_TYPE_F32, ne0, ne1)
                      : ggml_new_tensor_1d(m_ctx, GGML_TYPE_F32, ne0);
    ggml_set_name(t, name.c_str());
    std::normal_distribution<float> normal(mean, spread);
    auto *data = static_cast<float *>(t->data);
    for (std::int64_t i = 0; i < ggml_nelements(t); ++i)
      data[i] = normal(m_rng);
    gguf_add_tensor(m_gguf, t);
  }
  // A head whose row v leans towards the embedding of token v − 1 (`lean` of it, plus noise):
  // each token makes its successor likely, so greedy choices are clear rather than near-ties,
  // while the context still moves the logits.
  void leaningHead(const std::string &name, const std::string &embedding, float lean,
                   float spread) {
    const auto *embed = ggml_get_tensor(m_ctx, embedding.c_str());
    const std::int64_t H = embed->ne[0], V = embed->ne[1];
    tensor(name, H, V, 0, spread);
    auto *head = static_cast<float *>(ggml_get_tensor(m_ctx, name.c_str())->data);
    const auto *e = static_cast<const float *>(embed->data);
    for (std::int64_t v = 0; v < V; ++v)
      for (std::int64_t h = 0; h < H; ++h)
        head[v * H + h] += lean * e[((v + V - 1) % V) * H + h];
  }
  void write(const std::string &file) {
    if (!gguf_write_to_file(m_gguf, file.c_str(), false))
      die("cannot write " + file);
  }

private:
  std::mt19937 m_rng;
  ggml_context *m_ctx = nullptr;
  gguf_context *m_gguf = nullptr;
};

void writeVocabulary(gguf_context *g, const Vocabulary &v, bool sentencePiece) {
  gguf_set_val_str(g, "tokenizer.ggml.model", sentencePiece ? "llama" : "gpt2");
  if (!sentencePiece)
    gguf_set_val_str(g, "tokenizer.ggml.pre", "gpt-2");
  setStrings(g, "tokenizer.ggml.tokens", v.tokens);
  gguf_set_arr_data(g, "tokenizer.ggml.scores", GGUF_TYPE_FLOAT32, v.scores.data(),
                    v.scores.size());
  gguf_set_arr_data(g, "tokenizer.ggml.token_type", GGUF_TYPE_INT32, v.types.data(),
                    v.types.size());
  if (!sentencePiece)
    setStrings(g, "tokenizer.ggml.merges", v.merges);
  gguf_set_val_u32(g, "tokenizer.ggml.bos_token_id", static_cast<std::uint32_t>(v.bos));
  gguf_set_val_u32(g, "tokenizer.ggml.eos_token_id", static_cast<std::uint32_t>(v.eos));
  if (sentencePiece)
    gguf_set_val_u32(g, "tokenizer.ggml.unknown_token_id", 0);
}

// How much each head row leans towards its predecessor's embedding (see leaningHead).
constexpr float kLean = 0.03f;

// A Llama's shape. The vocabulary is padded with <extra_N> pieces up to `vocab`.
struct LlamaShape {
  const char *name;
  std::int64_t H, I, heads, kvHeads, L, vocab, context;
};
// 2 blocks, hidden 256 (K-quants need rows of 256), 4 heads, 2 key/value heads.
constexpr LlamaShape kTinyLlama{"nesa-tiny-llama", 256, 512, 4, 2, 2, 0, 128};
// Llama 3.2 1B's layout with a 32 000-piece vocabulary: 1.10 B parameters.
constexpr LlamaShape kLlama1B{"nesa-random-llama-1b", 2048, 8192, 32, 8, 16, 32000, 2048};

void makeLlama(const std::string &file, unsigned seed, const LlamaShape &shape) {
  auto vocab = sentencePieceVocabulary();
  while (static_cast<std::int64_t>(vocab.tokens.size()) < shape.vocab) {
    vocab.tokens.push_back("<extra_" + std::to_string(vocab.tokens.size()) + ">");
    vocab.scores.push_back(-static_cast<float>(vocab.tokens.size()));
    vocab.types.push_back(1);
  }
  const std::int64_t V = static_cast<std::int64_t>(vocab.tokens.size()), H = shape.H, I = shape.I,
                     heads = shape.heads, kvHeads = shape.kvHeads, D = H / heads, L = shape.L;
  // Weights scaled by 1/√fan-in, as the tiny model's were chosen for hidden 256.
  const float in = 1.28f / std::sqrt(static_cast<float>(H)),
              down = 1.13f / std::sqrt(static_cast<float>(I));
  const std::int64_t elements =
      2 * V * H + L * (2 * H + 2 * heads * D * H + 2 * kvHeads * D * H + 3 * H * I) + H;
  ModelWriter w(seed, static_cast<std::size_t>(elements) * sizeof(float) + (64u << 20));
  auto *g = w.gguf();
  gguf_set_val_str(g, "general.architecture", "llama");
  gguf_set_val_str(g, "general.name", shape.name);
  gguf_set_val_u32(g, "llama.context_length", static_cast<std::uint32_t>(shape.context));
  gguf_set_val_u32(g, "llama.embedding_length", H);
  gguf_set_val_u32(g, "llama.block_count", L);
  gguf_set_val_u32(g, "llama.feed_forward_length", I);
  gguf_set_val_u32(g, "llama.rope.dimension_count", D);
  gguf_set_val_u32(g, "llama.attention.head_count", heads);
  gguf_set_val_u32(g, "llama.attention.head_count_kv", kvHeads);
  gguf_set_val_f32(g, "llama.attention.layer_norm_rms_epsilon", 1e-5f);
  gguf_set_val_f32(g, "llama.rope.freq_base", 10000.0f);
  writeVocabulary(g, vocab, true);
  w.tensor("token_embd.weight", H, V, 0, 1.0f);
  for (std::int64_t l = 0; l < L; ++l) {
    const std::string p = "blk." + std::to_string(l) + ".";
    w.tensor(p + "attn_norm.weight", H, 0, 1, 0.1f);
    w.tensor(p + "attn_q.weight", H, heads * D, 0, in);
    w.tensor(p + "attn_k.weight", H, kvHeads * D, 0, in);
    w.tensor(p + "attn_v.weight", H, kvHeads * D, 0, in);
    w.tensor(p + "attn_output.weight", heads * D, H, 0, 0.75f * in);
    w.tensor(p + "ffn_norm.weight", H, 0, 1, 0.1f);
    w.tensor(p + "ffn_gate.weight", H, I, 0, 0.75f * in);
    w.tensor(p + "ffn_up.weight", H, I, 0, 0.75f * in);
    w.tensor(p + "ffn_down.weight", I, H, 0, down);
  }
  w.tensor("output_norm.weight", H, 0, 1, 0.1f);
  w.leaningHead("output.weight", "token_embd.weight", kLean, 1.5f * in);
  w.write(file);
}

// GPT-2: 2 blocks, hidden 256, 4 heads, an untied head.
void makeGpt2(const std::string &file, unsigned seed) {
  const auto vocab = byteLevelVocabulary();
  const std::int64_t V = static_cast<std::int64_t>(vocab.tokens.size()), H = 256, I = 1024, L = 2,
                     context = 64;
  ModelWriter w(seed);
  auto *g = w.gguf();
  gguf_set_val_str(g, "general.architecture", "gpt2");
  gguf_set_val_str(g, "general.name", "nesa-tiny-gpt2");
  gguf_set_val_u32(g, "gpt2.context_length", context);
  gguf_set_val_u32(g, "gpt2.embedding_length", H);
  gguf_set_val_u32(g, "gpt2.block_count", L);
  gguf_set_val_u32(g, "gpt2.feed_forward_length", I);
  gguf_set_val_u32(g, "gpt2.attention.head_count", 4);
  gguf_set_val_f32(g, "gpt2.attention.layer_norm_epsilon", 1e-5f);
  writeVocabulary(g, vocab, false);
  w.tensor("token_embd.weight", H, V, 0, 0.3f);
  w.tensor("position_embd.weight", H, context, 0, 0.1f);
  for (std::int64_t l = 0; l < L; ++l) {
    const std::string p = "blk." + std::to_string(l) + ".";
    w.tensor(p + "attn_norm.weight", H, 0, 1, 0.1f);
    w.tensor(p + "attn_norm.bias", H, 0, 0, 0.05f);
    w.tensor(p + "attn_qkv.weight", H, 3 * H, 0, 0.08f);
    w.tensor(p + "attn_qkv.bias", 3 * H, 0, 0, 0.05f);
    w.tensor(p + "attn_output.weight", H, H, 0, 0.06f);
    w.tensor(p + "attn_output.bias", H, 0, 0, 0.05f);
    w.tensor(p + "ffn_norm.weight", H, 0, 1, 0.1f);
    w.tensor(p + "ffn_norm.bias", H, 0, 0, 0.05f);
    w.tensor(p + "ffn_up.weight", H, I, 0, 0.06f);
    w.tensor(p + "ffn_up.bias", I, 0, 0, 0.05f);
    w.tensor(p + "ffn_down.weight", I, H, 0, 0.04f);
    w.tensor(p + "ffn_down.bias", H, 0, 0, 0.05f);
  }
  w.tensor("output_norm.weight", H, 0, 1, 0.1f);
  w.tensor("output_norm.bias", H, 0, 0, 0.05f);
  w.leaningHead("output.weight", "token_embd.weight", kLean / 0.3f, 0.12f); // an untied head
  w.write(file);
}

void quantize(const std::string &in, const std::string &out, const std::string &type) {
  static const std::map<std::string, llama_ftype> types = {
      {"f16", LLAMA_FTYPE_MOSTLY_F16},     {"bf16", LLAMA_FTYPE_MOSTLY_BF16},
      {"q8_0", LLAMA_FTYPE_MOSTLY_Q8_0},   {"q4_0", LLAMA_FTYPE_MOSTLY_Q4_0},
      {"q4_k", LLAMA_FTYPE_MOSTLY_Q4_K_M}, {"q5_k", LLAMA_FTYPE_MOSTLY_Q5_K_M},
      {"q6_k", LLAMA_FTYPE_MOSTLY_Q6_K}};
  auto it = types.find(type);
  if (it == types.end())
    die("unknown quantization type " + type);
  auto params = llama_model_quantize_default_params();
  params.ftype = it->second;
  params.pure = true; // every matrix of the type named, not a mix
  params.nthread = 2;
  if (llama_model_quantize(in.c_str(), out.c_str(), &params) != 0)
    die("llama_model_quantize failed");
}

void dequantize(const std::string &file, const std::string &name, const std::string &out) {
  ggml_context *data = nullptr;
  gguf_init_params params{false, &data};
  gguf_context *g = gguf_init_from_file(file.c_str(), params);
  if (!g)
    die("ggml cannot read " + file);
  ggml_tensor *t = ggml_get_tensor(data, name.c_str());
  if (!t)
    die("no tensor " + name);
  std::vector<float> values(static_cast<std::size_t>(ggml_nelements(t)));
  if (t->type == GGML_TYPE_F32)
    std::memcpy(values.data(), t->data, values.size() * sizeof(float));
  else
    ggml_get_type_traits(t->type)->to_float(t->data, values.data(), ggml_nelements(t));
  std::ofstream(out, std::ios::binary)
      .write(reinterpret_cast<const char *>(values.data()),
             static_cast<std::streamsize>(values.size() * sizeof(float)));
  gguf_free(g);
  ggml_free(data);
}

struct Loaded {
  llama_model *model = nullptr;
  llama_context *ctx = nullptr;
  const llama_vocab *vocab = nullptr;
  ~Loaded() {
    if (ctx)
      llama_free(ctx);
    if (model)
      llama_model_free(model);
  }
};

void load(Loaded &l, const std::string &file, bool withContext) {
  auto mp = llama_model_default_params();
  mp.n_gpu_layers = 0;
  l.model = llama_model_load_from_file(file.c_str(), mp);
  if (!l.model)
    die("llama.cpp cannot load " + file);
  l.vocab = llama_model_get_vocab(l.model);
  if (!withContext)
    return;
  auto cp = llama_context_default_params();
  cp.n_ctx = 0;
  cp.n_batch = 512;
  cp.n_ubatch = 512;
  cp.n_threads = cp.n_threads_batch = 2;
  cp.flash_attn_type = LLAMA_FLASH_ATTN_TYPE_DISABLED;
  cp.type_k = GGML_TYPE_F32;
  cp.type_v = GGML_TYPE_F32;
  l.ctx = llama_init_from_model(l.model, cp);
  if (!l.ctx)
    die("llama.cpp cannot make a context");
}

// Decodes `ids` after what the context holds; with `all`, every position's logits are output.
void decode(Loaded &l, const std::vector<llama_token> &ids, int start, bool all) {
  llama_batch batch = llama_batch_init(static_cast<int>(ids.size()), 0, 1);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    batch.token[i] = ids[i];
    batch.pos[i] = start + static_cast<int>(i);
    batch.n_seq_id[i] = 1;
    batch.seq_id[i][0] = 0;
    batch.logits[i] = all || i + 1 == ids.size();
  }
  batch.n_tokens = static_cast<int>(ids.size());
  if (llama_decode(l.ctx, batch) != 0)
    die("llama_decode failed");
  llama_batch_free(batch);
}

std::vector<llama_token> idsFrom(int argc, char **argv, int first) {
  std::vector<llama_token> ids;
  for (int i = first; i < argc; ++i)
    ids.push_back(std::atoi(argv[i]));
  if (ids.empty())
    die("no token ids given");
  return ids;
}

} // namespace

int main(int argc, char **argv) {
  if (argc < 3) {
    std::fputs("usage: llama_oracle make|quantize|dequantize|tokenize|logits|generate ...\n",
               stderr);
    return 2;
  }
  const std::string command = argv[1], file = argv[2];
  llama_log_set(quietLog, nullptr);
  ggml_backend_load_all_from_path(LLAMA_ORACLE_LIBRARY_DIR);
  llama_backend_init();
  if (command == "make" && argc == 5) {
    const std::string family = argv[3];
    const auto seed = static_cast<unsigned>(std::atoi(argv[4]));
    if (family == "llama")
      makeLlama(file, seed, kTinyLlama);
    else if (family == "llama-1b")
      makeLlama(file, seed, kLlama1B);
    else if (family == "gpt2")
      makeGpt2(file, seed);
    else
      die("unknown family " + family);
  } else if (command == "quantize" && argc == 5) {
    quantize(file, argv[3], argv[4]);
  } else if (command == "dequantize" && argc == 5) {
    dequantize(file, argv[3], argv[4]);
  } else if (command == "tokenize" && argc == 4) {
    Loaded l;
    load(l, file, false);
    const std::string text = argv[3];
    std::vector<llama_token> ids(text.size() + 8);
    const int n = llama_tokenize(l.vocab, text.data(), static_cast<int>(text.size()), ids.data(),
                                 static_cast<int>(ids.size()), false, false);
    if (n < 0)
      die("llama_tokenize failed");
    for (int i = 0; i < n; ++i)
      std::printf("%s%d", i ? " " : "", ids[static_cast<std::size_t>(i)]);
    std::printf("\n");
  } else if (command == "logits" && argc >= 5) {
    Loaded l;
    load(l, file, true);
    const auto ids = idsFrom(argc, argv, 4);
    decode(l, ids, 0, true);
    const int vocab = llama_vocab_n_tokens(l.vocab);
    std::ofstream out(argv[3], std::ios::binary);
    for (std::size_t i = 0; i < ids.size(); ++i)
      out.write(reinterpret_cast<const char *>(llama_get_logits_ith(l.ctx, static_cast<int>(i))),
                static_cast<std::streamsize>(vocab * sizeof(float)));
  } else if (command == "generate" && argc >= 5) {
    Loaded l;
    load(l, file, true);
    const int count = std::atoi(argv[3]);
    auto ids = idsFrom(argc, argv, 4);
    const int vocab = llama_vocab_n_tokens(l.vocab);
    int position = 0;
    std::vector<llama_token> next = ids;
    for (int step = 0; step < count; ++step) {
      decode(l, next, position, false);
      position += static_cast<int>(next.size());
      const float *logits = llama_get_logits_ith(l.ctx, -1);
      llama_token best = 0;
      for (int v = 1; v < vocab; ++v)
        if (logits[v] > logits[best])
          best = v;
      std::printf("%s%d", step ? " " : "", best);
      next = {best};
    }
    std::printf("\n");
  } else if (command == "speed" && argc >= 5) {
    Loaded l;
    load(l, file, true);
    const int count = std::atoi(argv[3]);
    const auto ids = idsFrom(argc, argv, 4);
    const auto start = std::chrono::steady_clock::now();
    decode(l, ids, 0, false);
    int position = static_cast<int>(ids.size());
    const int vocab = llama_vocab_n_tokens(l.vocab);
    for (int step = 0; step < count; ++step, ++position) {
      const float *logits = llama_get_logits_ith(l.ctx, -1);
      llama_token best = 0;
      for (int v = 1; v < vocab; ++v)
        if (logits[v] > logits[best])
          best = v;
      decode(l, {best}, position, false);
    }
    const std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - start;
    std::printf("%.3f\n", took.count());
  } else {
    std::fputs("llama_oracle: unknown command or wrong arguments\n", stderr);
    return 2;
  }
  llama_backend_free();
  return 0;
}
