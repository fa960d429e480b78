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

  /// "hss/ring64/3/fused", "ee/f32/whole/fused", "ee/f32/per-call/unfused".
  std::string name() const;
  /// The inverse of name(); InvalidInput naming the expected form otherwise.
  static Result<Arm> parse(const std::string &text);
  bool operator==(const Arm &) const = default;
  /// Whether this arm hides at least as much as `floor` (what the user asked for): the same
  /// level, at least as many shares (more miners must collude), and ring64 when the floor is
  /// ring64 (perfect hiding; f64-masked hides statistically). Fusion and the whole program
  /// change only how the same data travels. See docs/privacy.md.
  bool atLeastAsPrivateAs(const Arm &floor) const;
};

/// Every arm of every level, in a fixed order: ee's three (the whole program, call by call
/// fused, call by call unfused), then hss's six (f64-masked with 2 or 3 shares, fused or not;
/// ring64 with 2 or 3 shares), then hss-ee's six. Indices into this list name arms everywhere.
const std::vector<Arm> &allArms();
/// Indices (into allArms()) of the arms of `level`; empty for a level MetaInf does not know.
std::vector<int> armsOf(const std::string &level);
/// Indices of the arms of `floor.level` at least as private as `floor`: what a selector may
/// choose among for a user who asked for `floor`. For the level's default (the weakest
/// settings), every arm of the level.
std::vector<int> armsAtLeast(const Arm &floor);
/// The index of `arm` in allArms(), or -1.
int armIndex(const Arm &arm);
/// What `nesa analyze` runs without MetaInf: ee in float32 as one whole program, hss and
/// hss-ee in f64-masked with two shares, fused. -1 for an unknown level.
int defaultArm(const std::string &level);

} // namespace nesa::metainf
