// The JSON of a query between processes (docs/engine.md, "nesa-analyze --json"): the request a
// program hands nesa-analyze (--request), and the lines it answers — the estimate, one line per
// remote call, the result, an error. One schema, versioned, written and read here only.
#pragma once

#include "analysis/analyzer.h"

#include <string>

namespace nesa::analysis {

/// The schema's version: in every request ("version") and every line written. A request of a
/// newer version is refused rather than half understood.
inline constexpr int kJsonSchemaVersion = 1;

/// `request` as one JSON object.
std::string requestToJson(const Request &request);
/// A request from JSON; InvalidInput naming the field when one is unknown, mistyped, missing
/// (input, model) or out of range, or when the version is newer than kJsonSchemaVersion.
Result<Request> requestFromJson(const std::string &json);

/// The estimate: {"event":"estimate","total":…,"jobs":…,…,"work":{…}} (no newline). `work` is
/// the analyzer's counters so far (inputs read, models compiled, miner pools opened).
std::string estimateLine(const CostEstimate &estimate, const Analyzer::Counters &work);
/// One finished remote call: {"event":"call","done":…,"expected":…,"kind":…,"miners":[…]}.
std::string callLine(const privacy::RunProgress &progress);
/// The result: {"event":"result","shape":…,"summary":[…],"text":…,"segmentation":[…],
/// "report":{…},"payment":{…}|null,"settlement_error":{"code":…,"message":…}|null,"work":{…}}.
std::string resultLine(const Outcome &outcome, const Analyzer::Counters &work);
/// A failure: {"event":"error","code":"not-found","message":…}.
std::string errorLine(const Error &error);

} // namespace nesa::analysis
