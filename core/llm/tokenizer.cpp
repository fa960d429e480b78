#include "llm/tokenizer.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <climits>
#include <cmath>
#include <fstream>
#include <limits>
#include <queue>
#include <sstream>

namespace nesa::llm {
namespace {

using nlohmann::json;

const std::string kSpaceMark = "\xE2\x96\x81"; // ▁

Error invalid(const std::string &why) {
  return {ErrorCode::InvalidInput, "tokenizer.json: " + why};
}

std::string utf8(std::uint32_t cp) {
  std::string out;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | cp >> 6);
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | cp >> 12);
    out += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
  return out;
}

// GPT-2's reversible map from bytes to printable characters.
const std::array<std::string, 256> &byteToUnicode() {
  static const auto table = [] {
    std::array<std::string, 256> t;
    std::uint32_t next = 256;
    for (int b = 0; b < 256; ++b) {
      const bool printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || b >= 174;
      t[static_cast<std::size_t>(b)] = utf8(printable ? static_cast<std::uint32_t>(b) : next++);
    }
    return t;
  }();
  return table;
}

// Splits UTF-8 text into code points (as strings).
std::vector<std::string> codePoints(std::string_view text) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const std::size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    out.emplace_back(text.substr(i, std::min(n, text.size() - i)));
    i += n;
  }
  return out;
}

enum class CharClass { Letter, Digit, Space, Other };
CharClass classOf(unsigned char c) {
  if (std::isalpha(c) || c >= 0x80)
    return CharClass::Letter; // bytes of multi-byte UTF-8 count as letters
  if (std::isdigit(c))
    return CharClass::Digit;
  if (std::isspace(c))
    return CharClass::Space;
  return CharClass::Other;
}

// GPT-2's pre-tokenization: contractions, runs of letters, digits or other symbols with an
// optional leading space, and whitespace (a run before a word leaves its last space to it).
std::vector<std::string> splitWords(std::string_view text) {
  std::vector<std::string> words;
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '\'') {
      bool matched = false;
      for (std::string_view suffix : {"s", "t", "re", "ve", "m", "ll", "d"})
        if (text.substr(i + 1, suffix.size()) == suffix) {
          words.emplace_back(text.substr(i, 1 + suffix.size()));
          i += 1 + suffix.size();
          matched = true;
          break;
        }
      if (matched)
        continue;
    }
    std::size_t start = i;
    auto cls = classOf(static_cast<unsigned char>(text[i]));
    if (cls == CharClass::Space) {
      std::size_t end = i;
      while (end < text.size() &&
             classOf(static_cast<unsigned char>(text[end])) == CharClass::Space)
        ++end;
      // `\s+(?!\S)` then `\s+`: before a word, a run leaves its last character out; that
      // character joins the word when it is a space, else it is a word of its own.
      if (end < text.size() && end - i > 1) {
        words.emplace_back(text.substr(i, end - 1 - i));
        i = end - 1;
        continue;
      }
      if (end < text.size() && text[i] == ' ') {
        ++i; // a single space joins the word after it
        cls = classOf(static_cast<unsigned char>(text[i]));
      } else {
        words.emplace_back(text.substr(i, end - i));
        i = end;
        continue;
      }
    }
    const std::size_t body = i;
    while (i < text.size() && classOf(static_cast<unsigned char>(text[i])) == cls)
      ++i;
    if (i == body)
      ++i;
    words.emplace_back(text.substr(start, i - start));
  }
  return words;
}

// True when `step` (a pre-tokenizer or decoder, possibly a Sequence of them) is of `type`.
bool usesType(const json &step, const std::string &type) {
  if (!step.is_object())
    return false;
  if (step.value("type", "") == type)
    return true;
  for (const char *list : {"pretokenizers", "decoders"})
    if (auto it = step.find(list); it != step.end() && it->is_array())
      for (const auto &inner : *it)
        if (usesType(inner, type))
          return true;
  return false;
}

} // namespace

const std::string &byteLevelPiece(unsigned char b) { return byteToUnicode()[b]; }

Result<Tokenizer> Tokenizer::parse(const std::string &text) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::exception &e) {
    return invalid(std::string("not valid JSON (") + e.what() + ")");
  }
  Tokenizer t;
  try {
    const auto &model = j.at("model");
    if (model.value("type", "BPE") != "BPE")
      return invalid("only BPE models are supported, not " + model.value("type", std::string()));
    t.m_byteFallback = model.value("byte_fallback", false);
    const bool byteLevel = usesType(j.value("pre_tokenizer", json()), "ByteLevel") ||
                           usesType(j.value("decoder", json()), "ByteLevel");
    t.m_mode = byteLevel ? Mode::ByteLevel : Mode::Metaspace;
    std::int64_t largest = -1;
    for (const auto &[piece, id] : model.at("vocab").items()) {
      if (!id.is_number_integer())
        return invalid("the id of '" + piece + "' is not a whole number");
      const auto value = id.get<std::int64_t>();
      if (value < 0 || value > 10'000'000)
        return invalid("the id of '" + piece + "' is out of range");
      t.m_vocab[piece] = value;
      largest = std::max(largest, value);
    }
    if (j.contains("added_tokens"))
      for (const auto &added : j["added_tokens"]) {
        const auto content = added.at("content").get<std::string>();
        if (!added.at("id").is_number_integer())
          return invalid("the added token '" + content + "' has an id that is not a whole number");
        const auto id = added.at("id").get<std::int64_t>();
        if (id < 0 || id > 10'000'000)
          return invalid("the added token '" + content + "' has an id out of range");
        t.m_vocab[content] = id;
        t.m_added.emplace_back(content, id);
        largest = std::max(largest, id);
      }
    std::sort(t.m_added.begin(), t.m_added.end(),
              [](const auto &a, const auto &b) { return a.first.size() > b.first.size(); });
    t.m_pieces.assign(static_cast<std::size_t>(largest + 1), std::string());
    for (const auto &[piece, id] : t.m_vocab)
      t.m_pieces[static_cast<std::size_t>(id)] = piece;
    if (model.contains("unk_token") && model["unk_token"].is_string()) {
      auto unk = t.m_vocab.find(model["unk_token"].get<std::string>());
      if (unk == t.m_vocab.end())
        return invalid("the unknown token is not in the vocabulary");
      t.m_unk = unk->second;
    }
    int rank = 0;
    for (const auto &merge : model.at("merges")) {
      std::string a, b;
      if (merge.is_string()) {
        const auto s = merge.get<std::string>();
        const auto space = s.find(' ');
        if (space == std::string::npos)
          return invalid("the merge '" + s + "' is not two pieces");
        a = s.substr(0, space);
        b = s.substr(space + 1);
      } else {
        a = merge.at(0).get<std::string>();
        b = merge.at(1).get<std::string>();
      }
      if (auto added = t.addMerge(a, b, rank++); !added)
        return invalid(added.error().message);
    }
  } catch (const json::exception &e) {
    return invalid(std::string("malformed (") + e.what() + ")");
  }
  if (auto bytes = t.requireBytePieces(); !bytes)
    return invalid(bytes.error().message);
  return t;
}

Result<void> Tokenizer::addMerge(const std::string &a, const std::string &b, int rank) {
  for (const auto &piece : {a, b, a + b})
    if (!m_vocab.count(piece))
      return fail(ErrorCode::InvalidInput,
                  "the merge '" + a + " " + b + "' uses the unknown piece '" + piece + "'");
  m_mergeRank.emplace(a + " " + b, rank);
  return {};
}

Result<void> Tokenizer::requireBytePieces() const {
  if (m_mode == Mode::ByteLevel)
    for (const auto &piece : byteToUnicode())
      if (!m_vocab.count(piece))
        return fail(ErrorCode::InvalidInput,
                    "a byte-level vocabulary must hold all 256 byte pieces; '" + piece +
                        "' is missing");
  return {};
}

Result<Tokenizer> Tokenizer::fromTables(const VocabularyTables &tables) {
  auto invalidTables = [](const std::string &why) {
    return fail(ErrorCode::InvalidInput, "the GGUF tokenizer: " + why);
  };
  Tokenizer t;
  if (tables.model == "gpt2")
    t.m_mode = Mode::ByteLevel;
  else if (tables.model == "llama")
    t.m_mode = Mode::SentencePiece;
  else
    return invalidTables("the model '" + tables.model +
                         "' is not supported (gpt2: byte-level BPE; llama: SentencePiece)");
  const auto count = tables.tokens.size();
  if (count == 0 || count > 10'000'000)
    return invalidTables("it holds " + std::to_string(count) + " tokens");
  if (!tables.types.empty() && tables.types.size() != count)
    return invalidTables("it has " + std::to_string(tables.types.size()) + " token types for " +
                         std::to_string(count) + " tokens");
  if (t.m_mode == Mode::SentencePiece && tables.scores.size() != count)
    return invalidTables("SentencePiece needs one score per token");
  t.m_pieces = tables.tokens;
  t.m_scores = tables.scores;
  for (auto &score : t.m_scores) // a NaN would break the merge queue's ordering
    if (std::isnan(score))
      score = -std::numeric_limits<float>::infinity();
  t.m_addSpacePrefix = tables.addSpacePrefix;
  t.m_byteFallback = t.m_mode == Mode::SentencePiece;
  for (std::size_t id = 0; id < count; ++id) {
    const auto &piece = tables.tokens[id];
    // As in llama.cpp: the last id of a piece wins, an empty piece gets a name no text has.
    t.m_vocab[piece.empty() ? "[EMPTY_" + std::to_string(id) + "]" : piece] =
        static_cast<std::int64_t>(id);
    const int type = tables.types.empty() ? 1 : tables.types[id];
    if ((type == 3 || type == 4) && !piece.empty())
      t.m_added.emplace_back(piece, static_cast<std::int64_t>(id));
  }
  std::sort(t.m_added.begin(), t.m_added.end(),
            [](const auto &a, const auto &b) { return a.first.size() > b.first.size(); });
  if (tables.start) {
    if (*tables.start < 0 || *tables.start >= static_cast<std::int64_t>(count))
      return invalidTables("the start token's id is out of range");
    t.m_start = *tables.start;
  }
  if (tables.unknown) {
    if (*tables.unknown < 0 || *tables.unknown >= static_cast<std::int64_t>(count))
      return invalidTables("the unknown token's id is out of range");
    t.m_unk = *tables.unknown;
  }
  int rank = 0;
  for (const auto &merge : tables.merges) {
    const auto space = merge.find(' ', 1);
    if (space == std::string::npos)
      return invalidTables("the merge '" + merge + "' is not two pieces");
    if (auto added = t.addMerge(merge.substr(0, space), merge.substr(space + 1), rank++); !added)
      return invalidTables(added.error().message);
  }
  if (auto bytes = t.requireBytePieces(); !bytes)
    return invalidTables(bytes.error().message);
  return t;
}

Result<Tokenizer> Tokenizer::load(const std::filesystem::path &file) {
  std::ifstream in(file);
  if (!in)
    return fail(ErrorCode::NotFound, "no tokenizer.json at " + file.string());
  std::stringstream text;
  text << in.rdbuf();
  return parse(text.str());
}

std::optional<std::int64_t> Tokenizer::addedToken(const std::string &content) const {
  for (const auto &[text, id] : m_added)
    if (text == content)
      return id;
  return std::nullopt;
}

// SentencePiece's merging as llama.cpp runs it: every two neighbouring symbols that form a
// piece are candidates; the highest score merges first (the leftmost among equals), and a
// candidate whose symbols changed since it was queued is dropped.
std::vector<std::string> Tokenizer::sentencePiece(const std::string &text) const {
  struct Symbol {
    std::string text;
    int prev, next;
  };
  struct Candidate {
    int left, right;
    float score;
    std::size_t size;
    bool operator<(const Candidate &other) const {
      return score < other.score || (score == other.score && left > other.left);
    }
  };
  std::vector<Symbol> symbols;
  for (auto &cp : codePoints(text)) {
    const int index = static_cast<int>(symbols.size());
    symbols.push_back({std::move(cp), index - 1, index + 1});
  }
  if (symbols.empty())
    return {};
  symbols.back().next = -1;
  std::priority_queue<Candidate> queue;
  auto consider = [&](int left, int right) {
    if (left < 0 || right < 0)
      return;
    const std::string joined = symbols[static_cast<std::size_t>(left)].text +
                               symbols[static_cast<std::size_t>(right)].text;
    auto it = m_vocab.find(joined);
    if (it == m_vocab.end())
      return;
    queue.push({left, right, m_scores[static_cast<std::size_t>(it->second)], joined.size()});
  };
  for (int i = 1; i < static_cast<int>(symbols.size()); ++i)
    consider(i - 1, i);
  while (!queue.empty()) {
    const Candidate c = queue.top();
    queue.pop();
    auto &left = symbols[static_cast<std::size_t>(c.left)];
    auto &right = symbols[static_cast<std::size_t>(c.right)];
    if (left.text.empty() || right.text.empty() || left.text.size() + right.text.size() != c.size)
      continue;
    left.text += right.text;
    right.text.clear();
    left.next = right.next;
    if (right.next >= 0)
      symbols[static_cast<std::size_t>(right.next)].prev = c.left;
    consider(left.prev, c.left);
    consider(c.left, left.next);
  }
  std::vector<std::string> out;
  for (int i = 0; i >= 0; i = symbols[static_cast<std::size_t>(i)].next)
    out.push_back(symbols[static_cast<std::size_t>(i)].text);
  return out;
}

std::vector<std::string> Tokenizer::bpe(const std::string &word) const {
  if (m_mode == Mode::SentencePiece)
    return sentencePiece(word);
  std::vector<std::string> symbols;
  if (m_mode == Mode::ByteLevel)
    for (unsigned char c : word)
      symbols.push_back(byteToUnicode()[c]);
  else
    symbols = codePoints(word);
  while (symbols.size() > 1) {
    int best = INT_MAX;
    std::size_t at = 0;
    for (std::size_t i = 0; i + 1 < symbols.size(); ++i) {
      auto it = m_mergeRank.find(symbols[i] + " " + symbols[i + 1]);
      if (it != m_mergeRank.end() && it->second < best) {
        best = it->second;
        at = i;
      }
    }
    if (best == INT_MAX)
      break;
    symbols[at] += symbols[at + 1];
    symbols.erase(symbols.begin() + static_cast<std::ptrdiff_t>(at) + 1);
  }
  return symbols;
}

Result<void> Tokenizer::encodeWord(const std::string &word, std::vector<std::int64_t> &out) const {
  for (const auto &piece : bpe(word)) {
    if (auto it = m_vocab.find(piece); it != m_vocab.end()) {
      out.push_back(it->second);
      continue;
    }
    if (m_byteFallback) {
      for (unsigned char c : piece) {
        char name[8];
        std::snprintf(name, sizeof name, "<0x%02X>", c);
        auto byte = m_vocab.find(name);
        if (byte == m_vocab.end())
          return invalid(std::string("byte fallback needs the piece ") + name);
        out.push_back(byte->second);
      }
      continue;
    }
    if (m_unk) {
      out.push_back(*m_unk);
      continue;
    }
    return fail(ErrorCode::InvalidInput, "the tokenizer cannot express '" + piece +
                                             "' (no byte fallback, no unknown token)");
  }
  return {};
}

Result<std::vector<std::int64_t>> Tokenizer::encode(std::string_view text) const {
  std::vector<std::int64_t> ids;
  std::string pending;
  bool first = true;
  auto flush = [&]() -> Result<void> {
    if (pending.empty())
      return {};
    if (m_mode == Mode::ByteLevel) {
      for (const auto &word : splitWords(pending))
        if (auto r = encodeWord(word, ids); !r)
          return r;
    } else {
      std::string marked = first && m_addSpacePrefix ? kSpaceMark : "";
      for (char c : pending)
        marked += c == ' ' ? kSpaceMark : std::string(1, c);
      if (auto r = encodeWord(marked, ids); !r)
        return r;
    }
    pending.clear();
    first = false;
    return {};
  };
  for (std::size_t i = 0; i < text.size();) {
    bool special = false;
    for (const auto &[content, id] : m_added)
      if (!content.empty() && text.substr(i, content.size()) == content) {
        if (auto r = flush(); !r)
          return r.error();
        ids.push_back(id);
        i += content.size();
        special = true;
        first = first || m_mode == Mode::SentencePiece; // llama.cpp: ▁ again after a special
        break;
      }
    if (!special)
      pending += text[i++];
  }
  if (auto r = flush(); !r)
    return r.error();
  return ids;
}

std::string Tokenizer::decode(const std::vector<std::int64_t> &ids) const {
  std::string joined;
  for (auto id : ids)
    if (id >= 0 && id < size())
      joined += m_pieces[static_cast<std::size_t>(id)];
  if (m_mode == Mode::ByteLevel) {
    std::unordered_map<std::string, char> back;
    for (int b = 0; b < 256; ++b)
      back[byteToUnicode()[static_cast<std::size_t>(b)]] = static_cast<char>(b);
    std::string out;
    for (const auto &cp : codePoints(joined)) {
      auto it = back.find(cp);
      out += it != back.end() ? std::string(1, it->second) : cp;
    }
    return out;
  }
  std::string out;
  for (std::size_t i = 0; i < joined.size();) {
    if (joined.compare(i, kSpaceMark.size(), kSpaceMark) == 0) {
      out += ' ';
      i += kSpaceMark.size();
    } else if (joined.compare(i, 3, "<0x") == 0 && i + 6 <= joined.size() && joined[i + 5] == '>') {
      out += static_cast<char>(std::stoi(joined.substr(i + 3, 2), nullptr, 16));
      i += 6;
    } else {
      out += joined[i++];
    }
  }
  if (m_addSpacePrefix && !out.empty() && out.front() == ' ')
    out.erase(0, 1);
  return out;
}

} // namespace nesa::llm
