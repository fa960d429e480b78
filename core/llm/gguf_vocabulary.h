// The tokenizer a GGUF file carries (its tokenizer.ggml.* metadata). Torch-free, so the GGUF
// fuzz target exercises it too.
#pragma once

#include "ingest/gguf_file.h"
#include "llm/tokenizer.h"

namespace nesa::llm {

/// The tokenizer of a GGUF file: byte-level BPE ("gpt2", with GPT-2's pre-tokenizer only) or
/// SentencePiece ("llama"). Errors name a missing table or an unsupported model or
/// pre-tokenizer.
Result<Tokenizer> tokenizerFromGguf(const ingest::gguf::File &file);

} // namespace nesa::llm
