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

const std::vector<Arm> &allArms() {
  static const std::vector<Arm> arms = [] {
    std::vector<Arm> out;
    for (bool whole : {true, false})
      for (bool fused : {true, false})
        out.push_back({"ee", "f32", 1, fused, whole});
    for (const char *level : {"hss", "hss-ee"})
      for (const char *arithmetic : {"f64-masked", "ring64"})
        for (int shares : {2, 3})
          for (bool fused : {true, false})
            out.push_back({level, arithmetic, shares, fused, false});
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
