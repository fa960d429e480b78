// Tokenizers from a Hugging Face tokenizer.json (GPT-2's byte-level BPE and the Llama family's
// metaspace BPE with byte fallback, plus added (special) tokens) or from a GGUF file's tables
// (byte-level BPE, or SentencePiece merging by score).
#pragma once

#include "util/result.h"

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace nesa::llm {

/// The character GPT-2's byte-level BPE writes byte `b` as (UTF-8).
const std::string &byteLevelPiece(unsigned char b);

/// A vocabulary as GGUF files carry it (the tokenizer.ggml.* metadata).
struct VocabularyTables {
  std::string model;               ///< "gpt2" (byte-level BPE) or "llama" (SentencePiece)
  std::vector<std::string> tokens; ///< id → piece
  std::vector<float> scores;       ///< SentencePiece: the piece's merge priority (higher first)
  std::vector<int> types; ///< 1 normal, 2 unknown, 3 control, 4 user-defined, 5 unused, 6 byte
  std::vector<std::string> merges; ///< byte-level BPE: "a b", highest priority first
  std::optional<std::int64_t> unknown;
  std::optional<std::int64_t>
      start;                  ///< the token a sequence begins with (BOS), if the model has one
  bool addSpacePrefix = true; ///< SentencePiece: the text gets a leading ▁
};

/// A loaded tokenizer. Copyable; immutable after load.
class Tokenizer {
public:
  /// Builds a tokenizer from GGUF tables. SentencePiece merges any two neighbours that form a
  /// piece, the highest score first (as llama.cpp does), and falls back to <0xXX> byte pieces.
  /// Errors: an unknown model, tables of different lengths, merges of unknown pieces, a
  /// byte-level vocabulary without its 256 byte pieces.
  static Result<Tokenizer> fromTables(const VocabularyTables &tables);
  /// Parses tokenizer.json text. Errors: not JSON, a model other than BPE, merges whose parts or
  /// result are not in the vocabulary (unknown pieces), ids out of range.
  static Result<Tokenizer> parse(const std::string &json);
  /// Reads and parses a tokenizer.json file.
  static Result<Tokenizer> load(const std::filesystem::path &file);

  /// The ids of `text`. Added tokens that appear verbatim become their ids. Errors for a piece
  /// the vocabulary cannot express (no byte fallback and no unknown token).
  Result<std::vector<std::int64_t>> encode(std::string_view text) const;
  /// The text of `ids` (unknown ids are skipped).
  std::string decode(const std::vector<std::int64_t> &ids) const;
  /// One more than the largest id.
  std::int64_t size() const { return static_cast<std::int64_t>(m_pieces.size()); }
  /// The id of an added token by its content ("<|endoftext|>", "</s>").
  std::optional<std::int64_t> addedToken(const std::string &content) const;
  /// The token every sequence begins with (a GGUF Llama's BOS), or none (Hugging Face folders:
  /// their prompts start with the text, as before).
  std::optional<std::int64_t> startToken() const { return m_start; }

private:
  enum class Mode { ByteLevel, Metaspace, SentencePiece };
  std::vector<std::string> bpe(const std::string &word) const;
  std::vector<std::string> sentencePiece(const std::string &text) const;
  Result<void> addMerge(const std::string &a, const std::string &b, int rank);
  Result<void> requireBytePieces() const;
  Result<void> encodeWord(const std::string &word, std::vector<std::int64_t> &out) const;

  Mode m_mode = Mode::ByteLevel;
  bool m_byteFallback = false;
  bool m_addSpacePrefix = true;
  std::vector<float> m_scores; // SentencePiece: id → score
  std::optional<std::int64_t> m_unk;
  std::optional<std::int64_t> m_start;
  std::unordered_map<std::string, std::int64_t> m_vocab;
  std::unordered_map<std::string, int> m_mergeRank;          // "a b" → rank
  std::vector<std::string> m_pieces;                         // id → piece
  std::vector<std::pair<std::string, std::int64_t>> m_added; // longest first
};

} // namespace nesa::llm
