// The bodies of the local API: OpenAI's and Ollama's requests read into one text query, and the
// answers written back in the dialect they came in (whole, or as stream pieces). Pure functions
// of JSON text; the server (local_api.h) does the HTTP.
#pragma once

#include "privacy/engine.h"
#include "util/result.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nesa::api {

/// The endpoint a text query came to.
enum class Dialect {
  OpenAiChat,       ///< POST /v1/chat/completions
  OpenAiCompletion, ///< POST /v1/completions
  OllamaChat,       ///< POST /api/chat
  OllamaGenerate,   ///< POST /api/generate
};

/// Nesa's own fields, in a request's "nesa" object (every field optional).
struct NesaOptions {
  /// "privacy": the level; absent: the user's default (settings' defaultPrivacy). A level
  /// that is not one of local, ee, hss, hss-ee is refused, never replaced.
  std::optional<privacy::PrivacyLevel> level;
  std::string task = "summarize";  ///< "task": summarize or classify
  std::vector<std::string> labels; ///< "labels": classify's labels
  std::optional<int> shares;       ///< "shares": shares per remote call at the hss levels
};

/// A document task asked in an API dialect: the document is the last user message (chat) or
/// the prompt (completions, generate).
struct TextQuery {
  std::string model; ///< an installed language model's id
  std::string document;
  bool stream = false; ///< OpenAI: "stream" (default false); Ollama: "stream" (default true)
  NesaOptions nesa;
};

/// Reads a request body of `dialect`. InvalidInput naming the field for broken JSON, a missing
/// model or document, a mistyped field or an unknown privacy level.
Result<TextQuery> parseTextQuery(Dialect dialect, std::string_view body);

/// Reads the "nesa" object of a JSON body (for /v1/analyze's form field of the same name).
Result<NesaOptions> parseNesaOptions(std::string_view json);

/// What an answer is written with.
struct AnswerContext {
  Dialect dialect = Dialect::OpenAiChat;
  std::string id;           ///< "chatcmpl-…" / "cmpl-…"
  std::string model;        ///< as asked
  std::int64_t created = 0; ///< Unix seconds
};

/// The whole answer: `text`, with `resultJson` (core/analysis's result line) as "nesa".
std::string wholeAnswer(const AnswerContext &context, const std::string &text,
                        const std::string &resultJson);

/// One stream piece carrying `text`: an SSE event ("data: …\n\n") for OpenAI, one JSON line for
/// Ollama.
std::string streamPiece(const AnswerContext &context, const std::string &text);

/// The end of a stream: the last piece (finish reason, `resultJson` as "nesa"), and for OpenAI
/// "data: [DONE]".
std::string streamEnd(const AnswerContext &context, const std::string &resultJson);

/// An error body in the dialect: OpenAI {"error":{"message","type","code"}}, Ollama
/// {"error":"…"}. `code` is a stable name ("model_not_found"), `type` OpenAI's kind.
std::string errorBody(bool ollama, const std::string &message, const std::string &type,
                      const std::string &code);

/// An error inside a stream that has begun (OpenAI: an SSE event with "error"; Ollama: a line).
std::string streamError(const AnswerContext &context, const std::string &message,
                        const std::string &code);

/// The installed models as listed: OpenAI's {"object":"list","data":[…]} or Ollama's
/// {"models":[…]}.
struct ListedModel {
  std::string id;
  std::string kind; ///< "language-model" or "torchscript"
  std::string sha256;
  std::uint64_t bytes = 0;
};
std::string modelList(bool ollama, const std::vector<ListedModel> &models, std::int64_t created);

} // namespace nesa::api
