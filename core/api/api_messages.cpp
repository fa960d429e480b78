#include "api/api_messages.h"

#include <nlohmann/json.hpp>

namespace nesa::api {
namespace {

using json = nlohmann::json;

std::string dump(const json &value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

bool isOllama(Dialect dialect) {
  return dialect == Dialect::OllamaChat || dialect == Dialect::OllamaGenerate;
}

bool isChat(Dialect dialect) {
  return dialect == Dialect::OpenAiChat || dialect == Dialect::OllamaChat;
}

Error badField(const std::string &field, const std::string &what) {
  return Error{ErrorCode::InvalidInput, "'" + field + "' " + what};
}

/// A chat message's text: a string, or OpenAI's list of parts (the "text" ones, joined).
Result<std::string> messageText(const json &content) {
  if (content.is_string())
    return content.get<std::string>();
  if (!content.is_array())
    return badField("messages[].content", "must be a string or a list of text parts");
  std::string text;
  for (const auto &part : content) {
    if (!part.is_object() || part.value("type", "") != "text" || !part.contains("text") ||
        !part["text"].is_string())
      return badField("messages[].content", "may hold only {\"type\":\"text\",\"text\":…} parts");
    text += part["text"].get<std::string>();
  }
  return text;
}

/// The document of a chat: its last user message.
Result<std::string> lastUserMessage(const json &body) {
  if (!body.contains("messages") || !body["messages"].is_array() || body["messages"].empty())
    return badField("messages", "must be a non-empty list");
  for (auto it = body["messages"].rbegin(); it != body["messages"].rend(); ++it) {
    if (!it->is_object() || !it->contains("role") || !(*it)["role"].is_string())
      return badField("messages[]", "must be objects with a role");
    if ((*it)["role"] == "user")
      return it->contains("content")
                 ? messageText((*it)["content"])
                 : Result<std::string>(badField("messages[].content", "is missing"));
  }
  return badField("messages", "hold no user message (the document to work on)");
}

Result<NesaOptions> readNesa(const json &nesa) {
  NesaOptions out;
  if (nesa.is_null())
    return out;
  if (!nesa.is_object())
    return badField("nesa", "must be an object");
  for (const auto &[key, value] : nesa.items()) {
    if (key == "privacy") {
      if (!value.is_string())
        return badField("nesa.privacy", "must be a string");
      auto level = privacy::parsePrivacyLevel(value.get<std::string>());
      if (!level)
        return badField("nesa.privacy", "must be local, ee, hss or hss-ee");
      out.level = *level;
    } else if (key == "task") {
      if (!value.is_string() || (value != "summarize" && value != "classify"))
        return badField("nesa.task", "must be summarize or classify");
      out.task = value.get<std::string>();
    } else if (key == "labels") {
      if (!value.is_array())
        return badField("nesa.labels", "must be a list of strings");
      for (const auto &label : value) {
        if (!label.is_string())
          return badField("nesa.labels", "must be a list of strings");
        out.labels.push_back(label.get<std::string>());
      }
    } else if (key == "shares") {
      if (!value.is_number_integer() || value.get<std::int64_t>() < 1 ||
          value.get<std::int64_t>() > 64)
        return badField("nesa.shares", "must be a whole number of shares (2 to 8)");
      out.shares = static_cast<int>(value.get<std::int64_t>());
    } else {
      return badField("nesa." + key, "is not a field (privacy, task, labels, shares)");
    }
  }
  return out;
}

json parsedResult(const std::string &resultJson) {
  auto parsed = json::parse(resultJson, nullptr, false);
  return parsed.is_discarded() ? json(nullptr) : parsed;
}

std::string finishedAt(std::int64_t created) {
  // Ollama's created_at is an RFC 3339 time.
  const std::time_t when = static_cast<std::time_t>(created);
  std::tm utc{};
  gmtime_r(&when, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

/// An Ollama line: the message (chat) or response (generate) piece.
json ollamaLine(const AnswerContext &context, const std::string &text, bool done) {
  json line = {
      {"model", context.model}, {"created_at", finishedAt(context.created)}, {"done", done}};
  if (context.dialect == Dialect::OllamaChat)
    line["message"] = {{"role", "assistant"}, {"content", text}};
  else
    line["response"] = text;
  return line;
}

/// OpenAI's object with one choice, whole or a stream's delta.
json openAiObject(const AnswerContext &context, const std::string &text, bool chunk,
                  const char *finish) {
  const bool chat = context.dialect == Dialect::OpenAiChat;
  json choice = {{"index", 0}, {"finish_reason", finish ? json(finish) : json(nullptr)}};
  if (!chat)
    choice["text"] = text;
  else if (chunk)
    choice["delta"] =
        text.empty() && finish ? json::object() : json{{"role", "assistant"}, {"content", text}};
  else
    choice["message"] = {{"role", "assistant"}, {"content", text}};
  if (!chat)
    choice["logprobs"] = nullptr;
  return {
      {"id", context.id},
      {"object", chat ? (chunk ? "chat.completion.chunk" : "chat.completion") : "text_completion"},
      {"created", context.created},
      {"model", context.model},
      {"choices", json::array({choice})}};
}

} // namespace

Result<TextQuery> parseTextQuery(Dialect dialect, std::string_view body) {
  const auto parsed = json::parse(body, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object())
    return Error{ErrorCode::InvalidInput, "the body is not a JSON object"};
  TextQuery query;
  if (!parsed.contains("model") || !parsed["model"].is_string() || parsed["model"] == "")
    return badField("model", "must name an installed language model (GET /v1/models)");
  query.model = parsed["model"].get<std::string>();
  if (isChat(dialect)) {
    auto text = lastUserMessage(parsed);
    if (!text)
      return text.error();
    query.document = std::move(*text);
  } else {
    if (!parsed.contains("prompt") || !parsed["prompt"].is_string())
      return badField("prompt", "must be a string (the document to work on)");
    query.document = parsed["prompt"].get<std::string>();
  }
  query.stream = isOllama(dialect);
  if (parsed.contains("stream")) {
    if (!parsed["stream"].is_boolean())
      return badField("stream", "must be true or false");
    query.stream = parsed["stream"].get<bool>();
  }
  if (parsed.contains("nesa")) {
    auto nesa = readNesa(parsed["nesa"]);
    if (!nesa)
      return nesa.error();
    query.nesa = std::move(*nesa);
  }
  return query;
}

Result<NesaOptions> parseNesaOptions(std::string_view text) {
  const auto parsed = json::parse(text, nullptr, false);
  if (parsed.is_discarded())
    return badField("nesa", "is not JSON");
  return readNesa(parsed);
}

std::string wholeAnswer(const AnswerContext &context, const std::string &text,
                        const std::string &resultJson) {
  json answer = isOllama(context.dialect) ? ollamaLine(context, text, true)
                                          : openAiObject(context, text, false, "stop");
  if (isOllama(context.dialect))
    answer["done_reason"] = "stop";
  answer["nesa"] = parsedResult(resultJson);
  return dump(answer);
}

std::string streamPiece(const AnswerContext &context, const std::string &text) {
  if (isOllama(context.dialect))
    return dump(ollamaLine(context, text, false)) + "\n";
  return "data: " + dump(openAiObject(context, text, true, nullptr)) + "\n\n";
}

std::string streamEnd(const AnswerContext &context, const std::string &resultJson) {
  if (isOllama(context.dialect)) {
    json last = ollamaLine(context, "", true);
    last["done_reason"] = "stop";
    last["nesa"] = parsedResult(resultJson);
    return dump(last) + "\n";
  }
  json last = openAiObject(context, "", true, "stop");
  last["nesa"] = parsedResult(resultJson);
  return "data: " + dump(last) + "\n\ndata: [DONE]\n\n";
}

std::string errorBody(bool ollama, const std::string &message, const std::string &type,
                      const std::string &code) {
  if (ollama)
    return dump(json{{"error", message}});
  return dump(
      json{{"error", {{"message", message}, {"type", type}, {"param", nullptr}, {"code", code}}}});
}

std::string streamError(const AnswerContext &context, const std::string &message,
                        const std::string &code) {
  if (isOllama(context.dialect))
    return dump(json{{"error", message}}) + "\n";
  return "data: " + errorBody(false, message, "server_error", code) + "\n\n";
}

std::string modelList(bool ollama, const std::vector<ListedModel> &models, std::int64_t created) {
  json list = json::array();
  for (const auto &model : models) {
    if (ollama)
      list.push_back({{"name", model.id},
                      {"model", model.id},
                      {"modified_at", finishedAt(created)},
                      {"size", model.bytes},
                      {"digest", model.sha256},
                      {"details", {{"format", model.kind}}}});
    else
      list.push_back({{"id", model.id},
                      {"object", "model"},
                      {"created", created},
                      {"owned_by", "local"},
                      {"nesa", {{"kind", model.kind}, {"sha256", model.sha256}}}});
  }
  return ollama ? dump(json{{"models", list}}) : dump(json{{"object", "list"}, {"data", list}});
}

} // namespace nesa::api
