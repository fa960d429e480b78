#include "metainf/arm.h"

namespace nesa::metainf {

std::string Arm::name() const {
  std::string out = level + "/" + arithmetic + "/";
  if (level == "ee")
    out += wholeProgram ? "whole" : "per-call";
  else
    out += std::to_string(shares);
  return out + (fused ? "/fused" : "/unfused");
}

Result<Arm> Arm::parse(const std::string &text) {
  for (const auto &arm : allArms())
    if (arm.name() == text)
      return arm;
  return fail(ErrorCode::InvalidInput,
              "'" + text +
                  "' is not an arm (LEVEL/ARITHMETIC/SHARES-OR-WHOLE/FUSION, such as "
                  "hss/ring64/2/fused or ee/f32/whole/fused)");
}

bool Arm::atLeastAsPrivateAs(const Arm &floor) const {
  return level == floor.level && shares >= floor.shares &&
         (floor.arithmetic != "ring64" || arithmetic == "ring64");
}

std::vector<int> armsAtLeast(const Arm &floor) {
  std::vector<int> out;
  for (int i : armsOf(floor.level))
    if (allArms()[i].atLeastAsPrivateAs(floor))
      out.push_back(i);
  return out;
}

const std::vector<Arm> &allArms() {
  static const std::vector<Arm> arms = [] {
    // Only arms that run differently: a whole program runs every call on the miner however
    // its ops are grouped, and ring64 re-encodes between the ops of a chain (so it never fuses).
    std::vector<Arm> out = {{"ee", "f32", 1, true, true},
                            {"ee", "f32", 1, true, false},
                            {"ee", "f32", 1, false, false}};
    for (const char *level : {"hss", "hss-ee"})
      for (int shares : {2, 3}) {
        for (bool fused : {true, false})
          out.push_back({level, "f64-masked", shares, fused, false});
        out.push_back({level, "ring64", shares, true, false});
      }
    return out;
  }();
  return arms;
}

std::vector<int> armsOf(const std::string &level) {
  std::vector<int> out;
  const auto &arms = allArms();
  for (int i = 0; i < static_cast<int>(arms.size()); ++i)
    if (arms[i].level == level)
      out.push_back(i);
  return out;
}

int armIndex(const Arm &arm) {
  const auto &arms = allArms();
  for (int i = 0; i < static_cast<int>(arms.size()); ++i)
    if (arms[i] == arm)
      return i;
  return -1;
}

int defaultArm(const std::string &level) {
  if (level == "ee")
    return armIndex({"ee", "f32", 1, true, true});
  if (level == "hss" || level == "hss-ee")
    return armIndex({level, "f64-masked", 2, true, false});
  return -1;
}

} // namespace nesa::metainf
