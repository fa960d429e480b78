#include "llm/gguf_vocabulary.h"

namespace nesa::llm {

using Kind = ingest::gguf::Value::Kind;

Result<Tokenizer> tokenizerFromGguf(const ingest::gguf::File &file) {
  VocabularyTables tables;
  auto model = file.text("tokenizer.ggml.model");
  if (!model)
    return model.error();
  tables.model = *model;
  if (tables.model == "gpt2") {
    const auto *pre = file.find("tokenizer.ggml.pre");
    const std::string name = pre && pre->kind == Kind::String ? pre->text : "";
    if (name != "gpt-2")
      return fail(ErrorCode::InvalidInput,
                  "the pre-tokenizer '" + name +
                      "' is not supported (GPT-2's, 'gpt-2', is; Llama 3 and Qwen files use "
                      "their own)");
  }
  const auto *tokens = file.find("tokenizer.ggml.tokens");
  if (!tokens || tokens->kind != Kind::StringArray)
    return fail(ErrorCode::InvalidInput, "the GGUF metadata has no tokenizer.ggml.tokens");
  tables.tokens = tokens->strings;
  if (const auto *scores = file.find("tokenizer.ggml.scores");
      scores && scores->kind == Kind::NumberArray)
    tables.scores.assign(scores->numbers.begin(), scores->numbers.end());
  if (const auto *types = file.find("tokenizer.ggml.token_type");
      types && types->kind == Kind::NumberArray)
    for (double t : types->numbers)
      tables.types.push_back(t >= 0 && t <= 1000 ? static_cast<int>(t) : 0); // 0: undefined
  if (const auto *merges = file.find("tokenizer.ggml.merges");
      merges && merges->kind == Kind::StringArray)
    tables.merges = merges->strings;
  if (const auto *unk = file.find("tokenizer.ggml.unknown_token_id");
      unk && unk->kind == Kind::Integer)
    tables.unknown = unk->integer;
  // llama.cpp begins a SentencePiece model's sequences with BOS unless the file says otherwise,
  // a byte-level BPE model's only when it says so.
  bool addStart = tables.model == "llama";
  if (const auto *add = file.find("tokenizer.ggml.add_bos_token"); add && add->kind == Kind::Bool)
    addStart = add->integer != 0;
  if (const auto *bos = file.find("tokenizer.ggml.bos_token_id");
      addStart && bos && bos->kind == Kind::Integer)
    tables.start = bos->integer;
  if (const auto *prefix = file.find("tokenizer.ggml.add_space_prefix");
      prefix && prefix->kind == Kind::Bool)
    tables.addSpacePrefix = prefix->integer != 0;
  return Tokenizer::fromTables(tables);
}

} // namespace nesa::llm
