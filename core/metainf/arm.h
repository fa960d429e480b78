// The ways ("arms") a private query can be run at the privacy level its user chose. MetaInf
// picks among these; it never lowers the level, and every arm keeps verification on.
#pragma once

#include "util/result.h"

#include <string>
#include <vector>

namespace nesa::metainf {

/// One way to run a query: the engine's options that change speed and nothing a user chose.
struct Arm {
  std::string level;         ///< "ee", "hss" or "hss-ee": fixed by the user, never by MetaInf
  std::string arithmetic;    ///< "f32" (ee), "f64-masked" or "ring64" (the hss levels)
  int shares = 1;            ///< shares per remote call: 1 at ee, 2 or 3 at the hss levels
  bool fused = true;         ///< linear ops with nothing between them travel as one call
  bool wholeProgram = false; ///< ee: one miner runs the whole keyed program (one round trip)

  /// "hss/ring64/3/fused", "ee/f32/whole/unfused", "ee/f32/per-call/fused".
  std::string name() const;
  /// The inverse of name(); InvalidInput naming the expected form otherwise.
  static Result<Arm> parse(const std::string &text);
  bool operator==(const Arm &) const = default;
};

/// Every arm of every level, in a fixed order: ee's four, then hss's eight, then hss-ee's eight.
/// Indices into this list name arms everywhere in MetaInf.
const std::vector<Arm> &allArms();
/// Indices (into allArms()) of the arms of `level`; empty for a level MetaInf does not know.
std::vector<int> armsOf(const std::string &level);
/// The index of `arm` in allArms(), or -1.
int armIndex(const Arm &arm);
/// What `nesa analyze` runs without MetaInf: ee in float32 as one whole program, hss and
/// hss-ee in f64-masked with two shares, fused. -1 for an unknown level.
int defaultArm(const std::string &level);

} // namespace nesa::metainf
