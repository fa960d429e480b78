#include "metainf/dataset.h"

#include "metainf/arm.h"

#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>

namespace nesa::metainf {
namespace {

constexpr int kLeadingColumns = 6;  // task, family, model, hardware, network, level
constexpr int kTrailingColumns = 5; // arm, latency_ms, bytes, round_trips, runs

std::vector<std::string> splitCommas(const std::string &line) {
  std::vector<std::string> out;
  std::string cell;
  std::istringstream in(line);
  while (std::getline(in, cell, ','))
    out.push_back(cell);
  if (!line.empty() && line.back() == ',')
    out.emplace_back();
  return out;
}

/// Names in the CSV: non-empty, no separators (the collector writes only such names).
bool validName(const std::string &text) {
  return !text.empty() && text.find_first_of(",\"\r\n") == std::string::npos;
}

bool parseNumber(const std::string &text, double &out) {
  const auto *end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc() && ptr == end && std::isfinite(out);
}

std::string number(double v) {
  std::ostringstream out;
  out.precision(10);
  out << v;
  return out.str();
}

/// When fusion joins nothing (no two linear ops in a row: every CNN), the fused and unfused arms
/// run the same program; their measurements are two samples of one computation, so each twin
/// gets their mean and the two tie, as they should.
void mergeSamePrograms(Task &t) {
  const auto &m = t.features.model;
  if (m.fusedCalls != m.unfusedCalls || m.fusedCallBytes != m.unfusedCallBytes)
    return;
  for (int unfused : armsOf(t.features.level)) {
    Arm twin = allArms()[unfused];
    if (twin.fused)
      continue;
    twin.fused = true;
    const int fused = armIndex(twin);
    if (fused < 0)
      continue;
    for (auto *values : {&t.latencyMs, &t.bytes}) {
      const double mean = ((*values)[fused] + (*values)[unfused]) / 2;
      (*values)[fused] = (*values)[unfused] = mean;
    }
  }
}

} // namespace

std::string csvHeader() {
  std::string out = "task,family,model,hardware,network,level";
  for (const auto &name : rawNames())
    out += "," + name;
  return out + ",arm,latency_ms,bytes,round_trips,runs";
}

std::string csvRow(const Measurement &m) {
  std::string out = m.task + "," + m.family + "," + m.model + "," + m.hardware + "," + m.network +
                    "," + m.features.level;
  for (double v : m.features.raw())
    out += "," + number(v);
  return out + "," + m.arm + "," + number(m.latencyMs) + "," + number(m.bytes) + "," +
         number(m.roundTrips) + "," + std::to_string(m.runs);
}

Result<void> appendCsv(const std::filesystem::path &file, const std::vector<Measurement> &rows) {
  std::error_code ec;
  const bool fresh =
      !std::filesystem::exists(file, ec) || std::filesystem::file_size(file, ec) == 0;
  if (!fresh) {
    std::ifstream in(file);
    std::string header;
    if (!std::getline(in, header) || header != csvHeader())
      return fail(ErrorCode::Corrupt, file.string() + " is not a MetaInf data set of this version "
                                                      "(its header differs): not appending to it");
  }
  // One write for all of a task's rows, so an interrupted collection leaves whole tasks.
  std::string text = fresh ? csvHeader() + "\n" : "";
  for (const auto &row : rows)
    text += csvRow(row) + "\n";
  std::ofstream out(file, std::ios::app);
  if (!out)
    return fail(ErrorCode::Io, "cannot open " + file.string() + " to append measurements");
  out << text;
  out.flush();
  if (!out)
    return fail(ErrorCode::Io, "cannot write to " + file.string());
  return {};
}

Result<std::vector<Measurement>> readCsv(const std::filesystem::path &file) {
  std::ifstream in(file);
  if (!in)
    return fail(ErrorCode::NotFound, "cannot open the data set " + file.string());
  std::string line;
  const auto withoutCr = [&] {
    if (!line.empty() && line.back() == '\r')
      line.pop_back();
  };
  if (std::getline(in, line))
    withoutCr();
  if (line != csvHeader())
    return fail(ErrorCode::Corrupt, file.string() + ": the first line is not MetaInf's header (" +
                                        csvHeader().substr(0, 40) + "...)");
  const std::size_t features = rawNames().size();
  const std::size_t columns = kLeadingColumns + features + kTrailingColumns;
  std::vector<Measurement> rows;
  int lineNo = 1;
  while (std::getline(in, line)) {
    ++lineNo;
    withoutCr();
    if (line.empty())
      continue;
    const auto cells = splitCommas(line);
    const auto where = file.string() + ":" + std::to_string(lineNo) + ": ";
    if (cells.size() != columns)
      return fail(ErrorCode::Corrupt, where + std::to_string(cells.size()) + " columns, expected " +
                                          std::to_string(columns));
    Measurement m;
    m.task = cells[0];
    m.family = cells[1];
    m.model = cells[2];
    m.hardware = cells[3];
    m.network = cells[4];
    m.features.level = cells[5];
    for (std::size_t i = 0; i < kLeadingColumns; ++i)
      if (!validName(cells[i]))
        return fail(ErrorCode::Corrupt, where + "column " + std::to_string(i + 1) + " is empty");
    std::vector<double> raw(features);
    for (std::size_t i = 0; i < features; ++i)
      if (!parseNumber(cells[kLeadingColumns + i], raw[i]))
        return fail(ErrorCode::Corrupt, where + rawNames()[i] + " is not a number");
    m.features.setRaw(raw);
    std::size_t at = kLeadingColumns + features;
    m.arm = cells[at];
    double runs = 0;
    if (!parseNumber(cells[at + 1], m.latencyMs) || !parseNumber(cells[at + 2], m.bytes) ||
        !parseNumber(cells[at + 3], m.roundTrips) || !parseNumber(cells[at + 4], runs) ||
        m.latencyMs <= 0 || m.bytes < 0 || m.roundTrips < 0 || runs < 1 || runs != std::floor(runs))
      return fail(ErrorCode::Corrupt, where + "latency, bytes, round trips or runs is not a "
                                              "number of the right sign");
    m.runs = static_cast<int>(runs);
    rows.push_back(std::move(m));
  }
  return rows;
}

int Task::best() const {
  int best = -1;
  for (int i : measured())
    if (best < 0 || latencyMs[i] < latencyMs[best])
      best = i;
  return best;
}

std::vector<int> Task::measured() const {
  std::vector<int> out;
  for (int i = 0; i < static_cast<int>(latencyMs.size()); ++i)
    if (!std::isnan(latencyMs[i]))
      out.push_back(i);
  return out;
}

Result<std::vector<Task>> groupTasks(const std::vector<Measurement> &rows) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::size_t arms = allArms().size();
  std::vector<Task> tasks;
  std::map<std::string, std::size_t> index;
  for (const auto &row : rows) {
    auto arm = Arm::parse(row.arm);
    if (!arm)
      return arm.error().withContext("task " + row.task);
    if (arm->level != row.features.level)
      return fail(ErrorCode::Corrupt, "task " + row.task + ": arm " + row.arm +
                                          " is not of level " + row.features.level);
    auto [it, fresh] = index.try_emplace(row.task, tasks.size());
    if (fresh) {
      Task t{row.task,
             row.family,
             row.model,
             row.hardware,
             row.network,
             row.features,
             std::vector<double>(arms, nan),
             std::vector<double>(arms, nan)};
      tasks.push_back(std::move(t));
    }
    Task &t = tasks[it->second];
    if (t.family != row.family || t.model != row.model || t.hardware != row.hardware ||
        t.network != row.network || t.features.level != row.features.level ||
        t.features.raw() != row.features.raw())
      return fail(ErrorCode::Corrupt,
                  "task " + row.task + ": its rows disagree on its features or groups");
    const int i = armIndex(*arm);
    if (!std::isnan(t.latencyMs[i]))
      return fail(ErrorCode::Corrupt, "task " + row.task + " has arm " + row.arm + " twice");
    t.latencyMs[i] = row.latencyMs;
    t.bytes[i] = row.bytes;
  }
  for (const auto &t : tasks)
    for (int i : armsOf(t.features.level))
      if (std::isnan(t.latencyMs[i]))
        return fail(ErrorCode::Corrupt, "task " + t.id + " lacks arm " + allArms()[i].name() +
                                            " (every arm of a "
                                            "task's level must be measured)");
  for (auto &t : tasks)
    mergeSamePrograms(t);
  return tasks;
}

} // namespace nesa::metainf
