// MetaInf's data set: one CSV row per measured (task, arm), grouped into tasks for learning.
// A task is one query (a model, an input, a level) on one hardware setting over one network.
#pragma once

#include "metainf/features.h"
#include "util/result.h"

#include <filesystem>
#include <string>
#include <vector>

namespace nesa::metainf {

/// One arm's measurement of one task, as the collector logged it.
struct Measurement {
  std::string task;     ///< unique per task: "cnn2d-17/hss/threads2/wan"
  std::string family;   ///< model family ("mlp", "cnn2d", ...): the leave-one-family-out group
  std::string model;    ///< the generated model's name (family and seed)
  std::string hardware; ///< hardware setting ("threads1"): the leave-one-hardware-out group
  std::string network;  ///< network regime ("loopback", "lan", "wan"): its group
  TaskFeatures features;
  std::string arm;      ///< Arm::name()
  double latencyMs = 0; ///< the median of `runs` runs, each timed by the client
  double bytes = 0;     ///< on the wire, both ways
  double roundTrips = 0;
  int runs = 0;
};

/// The CSV header line (no newline).
std::string csvHeader();
/// One row for `m` (no newline). Names must not hold commas, quotes or line breaks.
std::string csvRow(const Measurement &m);
/// Appends `rows` to `file`, writing the header first when the file is new or empty.
Result<void> appendCsv(const std::filesystem::path &file, const std::vector<Measurement> &rows);
/// Every row of `file`; Corrupt naming the line when a row or the header is malformed.
Result<std::vector<Measurement>> readCsv(const std::filesystem::path &file);

/// A task with every arm's latency: what selectors train on and are judged by.
struct Task {
  std::string id, family, model, hardware, network;
  TaskFeatures features;
  std::vector<double> latencyMs; ///< by index into allArms(); NaN where not measured
  std::vector<double> bytes;     ///< the same for bytes on the wire
  /// The fastest measured arm (-1 when none was).
  int best() const;
  /// Indices of the arms measured for this task.
  std::vector<int> measured() const;
};

/// Groups rows into tasks (in order of first appearance). A task whose rows disagree on its
/// features or groups, names an unknown arm, has an arm twice, or lacks one of its level's arms
/// is an error: a selector must be judged on every arm it could pick. Where fusion joins
/// nothing for a task (as many fused as unfused calls), its fused and unfused arms run the same
/// program: both get the mean of their measurements, so choosing either is right.
Result<std::vector<Task>> groupTasks(const std::vector<Measurement> &rows);

} // namespace nesa::metainf
