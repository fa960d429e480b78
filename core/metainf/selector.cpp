#include "metainf/selector.h"

#include "metainf/internal/selectors.h"

namespace nesa::metainf {

std::vector<std::unique_ptr<Selector>> makeSelectors() {
  using namespace internal;
  std::vector<std::unique_ptr<Selector>> out;
  out.push_back(makeDefaultSelector());
  out.push_back(makeSingleBestSelector());
  out.push_back(makeKnnSelector());
  out.push_back(makeIsacSelector());
  out.push_back(makeAlorsSelector());
  out.push_back(makeForestSelector());
  out.push_back(makeBoostingSelector());
  out.push_back(makeMetaInfSelector());
  return out;
}

Result<std::unique_ptr<Selector>> makeSelector(const std::string &name) {
  std::string names;
  for (auto &selector : makeSelectors()) {
    if (selector->name() == name)
      return std::move(selector);
    names += (names.empty() ? "" : ", ") + selector->name();
  }
  return fail(ErrorCode::NotFound, "no selector '" + name + "' (there are: " + names + ")");
}

} // namespace nesa::metainf
