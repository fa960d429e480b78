#include "analysis/json_schema.h"

#include <nlohmann/json.hpp>

#include <set>

namespace nesa::analysis {
namespace {

using nlohmann::json;

// Text a model wrote (a summary) may hold bytes that are not UTF-8: JSON carries U+FFFD for them.
std::string dump(const json &value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

/// Every line starts with its event and the schema's version.
json line(const char *event) { return json{{"event", event}, {"version", kJsonSchemaVersion}}; }

Error badField(const std::string &field, const std::string &why) {
  return Error{ErrorCode::InvalidInput, "request field '" + field + "' " + why};
}

/// The string field `name`, or `otherwise` when absent.
Result<std::string> text(const json &object, const char *name, const std::string &otherwise = {}) {
  if (!object.contains(name))
    return otherwise;
  if (!object[name].is_string())
    return badField(name, "must be a string");
  return object[name].get<std::string>();
}

json workJson(const Analyzer::Counters &work) {
  return json{{"inputs_read", work.inputsRead},
              {"models_compiled", work.modelsCompiled},
              {"pools_opened", work.poolsOpened}};
}

} // namespace

std::string requestToJson(const Request &request) {
  json object{{"version", kJsonSchemaVersion},
              {"input", request.input.string()},
              {"model", request.model},
              {"manifest", request.manifest.string()},
              {"task", request.task},
              {"labels", request.labels},
              {"privacy", privacy::privacyLevelName(request.level)},
              {"shares", request.shares},
              {"show_share", request.showShare.string()}};
  if (request.arithmetic) // absent: the level's default
    object["arithmetic"] = privacy::arithmeticName(*request.arithmetic);
  return dump(object);
}

Result<Request> requestFromJson(const std::string &text_) {
  const auto object = json::parse(text_, nullptr, /*allow_exceptions=*/false);
  if (!object.is_object())
    return fail(ErrorCode::InvalidInput, "a request is one JSON object");
  static const std::set<std::string> known{"version", "input",     "model",   "manifest",
                                           "task",    "labels",    "privacy", "arithmetic",
                                           "shares",  "show_share"};
  for (const auto &[key, value] : object.items())
    if (!known.contains(key))
      return badField(key, "is not part of version " + std::to_string(kJsonSchemaVersion));
  if (!object.contains("version") || !object["version"].is_number_unsigned() ||
      object["version"].get<std::uint64_t>() == 0)
    return badField("version", "must be a whole number from 1");
  if (object["version"].get<std::uint64_t>() > kJsonSchemaVersion)
    return badField("version", "is newer than this program's (" +
                                   std::to_string(kJsonSchemaVersion) + "): update Nesa");
  Request request;
  for (const char *required : {"input", "model"})
    if (!object.contains(required))
      return badField(required, "is missing");
  auto input = text(object, "input"), model = text(object, "model"),
       manifest = text(object, "manifest"), task = text(object, "task", "summarize"),
       level = text(object, "privacy", "hss"), arithmetic = text(object, "arithmetic", ""),
       showShare = text(object, "show_share");
  for (const auto *field : {&input, &model, &manifest, &task, &level, &arithmetic, &showShare})
    if (!*field)
      return field->error();
  request.input = *input;
  request.model = *model;
  request.manifest = *manifest;
  request.task = *task;
  request.showShare = *showShare;
  auto parsedLevel = privacy::parsePrivacyLevel(*level);
  if (!parsedLevel)
    return parsedLevel.error();
  request.level = *parsedLevel;
  if (!arithmetic->empty()) {
    auto parsedArithmetic = privacy::parseArithmetic(*arithmetic);
    if (!parsedArithmetic)
      return parsedArithmetic.error();
    request.arithmetic = *parsedArithmetic;
  }
  if (object.contains("labels")) {
    if (!object["labels"].is_array())
      return badField("labels", "must be a list of strings");
    for (const auto &label : object["labels"]) {
      if (!label.is_string())
        return badField("labels", "must be a list of strings");
      request.labels.push_back(label.get<std::string>());
    }
  }
  if (object.contains("shares")) {
    if (!object["shares"].is_number_integer() || object["shares"].get<std::int64_t>() < 1 ||
        object["shares"].get<std::int64_t>() > 64)
      return badField("shares", "must be a whole number of shares per call (2 to 8)");
    request.shares = object["shares"].get<int>();
  }
  return request;
}

std::string estimateLine(const CostEstimate &e, const Analyzer::Counters &work) {
  auto out = line("estimate");
  out.update(json{{"total", e.total()},
                  {"jobs", e.jobs},
                  {"per_job", e.perJob},
                  {"per_mib", e.perMiB},
                  {"sessions", e.sessions},
                  {"deposit", e.deposit},
                  {"miners", e.miners},
                  {"chain_id", e.chainId},
                  {"work", workJson(work)}});
  return dump(out);
}

std::string callLine(const privacy::RunProgress &p) {
  json miners = json::array();
  for (const auto &work : p.call->miners)
    miners.push_back({{"miner", work.miner}, {"role", work.role}, {"verified", work.passed}});
  auto out = line("call");
  out.update(json{{"done", p.callsDone},
                  {"expected", p.callsExpected},
                  {"kind", p.call->kind},
                  {"miners", miners}});
  return dump(out);
}

std::string resultLine(const Outcome &outcome, const Analyzer::Counters &work) {
  const auto &report = outcome.report;
  json segmentation = json::array();
  for (const auto &volume : outcome.segmentation) {
    json entry{{"label", volume.label}, {"voxels", volume.voxels}};
    entry["ml"] = volume.millilitres ? json(*volume.millilitres) : json(nullptr);
    segmentation.push_back(entry);
  }
  auto out = line("result");
  out.update(json{{"shape", outcome.output ? json(outcome.output->shape) : json(nullptr)},
                  {"summary", outcome.summary},
                  {"text", outcome.text},
                  {"segmentation", segmentation},
                  {"report",
                   {{"level", privacy::privacyLevelName(report.level)},
                    {"arithmetic", privacy::arithmeticName(report.arithmetic)},
                    {"shares_per_call", report.sharesPerCall},
                    {"calls", report.calls.size()},
                    {"round_trips", report.roundTrips},
                    {"checks_passed", report.checksPassed},
                    {"checks_failed", report.checksFailed},
                    {"bytes_sent", report.bytesSent},
                    {"bytes_received", report.bytesReceived},
                    {"ms", report.totalMs}}},
                  {"payment", nullptr},
                  {"work", workJson(work)}});
  out["settlement_error"] = outcome.settlementError
                                ? json{{"code", errorCodeName(outcome.settlementError->code)},
                                       {"message", outcome.settlementError->message}}
                                : json(nullptr);
  if (const auto &payment = outcome.payment) {
    out["payment"] = {{"paid", payment->paid}, {"chain_id", payment->chainId}};
    if (payment->settled)
      out["payment"]["settled"] = *payment->settled;
  }
  return dump(out);
}

std::string errorLine(const Error &error) {
  auto out = line("error");
  out.update(json{{"code", errorCodeName(error.code)}, {"message", error.message}});
  return dump(out);
}

} // namespace nesa::analysis
