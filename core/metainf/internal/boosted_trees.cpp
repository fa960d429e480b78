#include "metainf/internal/boosted_trees.h"

#include <xgboost/c_api.h>

#include <cmath>
#include <string>

namespace nesa::metainf::internal {

struct BoostedTrees::Booster {
  BoosterHandle handle = nullptr;
  ~Booster() {
    if (handle)
      XGBoosterFree(handle);
  }
};

namespace {

/// A DMatrix freed when it goes out of scope.
struct Matrix {
  DMatrixHandle handle = nullptr;
  explicit Matrix(const Rows &x) {
    const std::size_t cols = x.empty() ? 0 : x[0].size();
    std::vector<float> flat;
    flat.reserve(x.size() * cols);
    for (const auto &row : x)
      flat.insert(flat.end(), row.begin(), row.end());
    if (XGDMatrixCreateFromMat(flat.data(), x.size(), cols, std::nanf(""), &handle) != 0)
      handle = nullptr;
  }
  ~Matrix() {
    if (handle)
      XGDMatrixFree(handle);
  }
  Matrix(const Matrix &) = delete;
  Matrix &operator=(const Matrix &) = delete;
};

Error xgboostError(const char *what) {
  return Error{ErrorCode::Internal,
               std::string("XGBoost could not ") + what + ": " + XGBGetLastError()};
}

} // namespace

BoostedTrees::BoostedTrees() = default;
BoostedTrees::~BoostedTrees() = default;
BoostedTrees::BoostedTrees(BoostedTrees &&) noexcept = default;
BoostedTrees &BoostedTrees::operator=(BoostedTrees &&) noexcept = default;

Result<void> BoostedTrees::fit(const Rows &x, const std::vector<double> &y, const Params &params) {
  m_booster.reset();
  if (x.empty() || x.size() != y.size())
    return fail(ErrorCode::InvalidInput, "boosted trees need as many targets as rows, and some");
  Matrix train(x);
  if (!train.handle)
    return xgboostError("hold the training data");
  const std::vector<float> labels(y.begin(), y.end());
  if (XGDMatrixSetFloatInfo(train.handle, "label", labels.data(), labels.size()) != 0)
    return xgboostError("set the targets");
  auto booster = std::make_unique<Booster>();
  if (XGBoosterCreate(&train.handle, 1, &booster->handle) != 0)
    return xgboostError("create a booster");
  const std::pair<const char *, std::string> settings[] = {
      {"verbosity", "0"},
      {"nthread", "1"},
      {"tree_method", "exact"},
      {"objective", "reg:squarederror"},
      {"max_depth", std::to_string(params.maxDepth)},
      {"eta", std::to_string(params.eta)},
      {"min_child_weight", std::to_string(params.minChildWeight)},
      {"lambda", std::to_string(params.lambda)},
      {"subsample", std::to_string(params.subsample)},
      {"seed", std::to_string(params.seed)},
  };
  for (const auto &[key, value] : settings)
    if (XGBoosterSetParam(booster->handle, key, value.c_str()) != 0)
      return xgboostError("take its settings");
  for (int round = 0; round < params.rounds; ++round)
    if (XGBoosterUpdateOneIter(booster->handle, round, train.handle) != 0)
      return xgboostError("train");
  m_booster = std::move(booster);
  return {};
}

std::vector<double> BoostedTrees::predict(const Rows &x) const {
  std::vector<double> out(x.size(), 0);
  if (!m_booster || x.empty())
    return out;
  Matrix rows(x);
  bst_ulong length = 0;
  const float *values = nullptr;
  if (!rows.handle ||
      XGBoosterPredict(m_booster->handle, rows.handle, 0, 0, 0, &length, &values) != 0 ||
      length != x.size())
    return out;
  for (std::size_t i = 0; i < x.size(); ++i)
    out[i] = values[i];
  return out;
}

} // namespace nesa::metainf::internal
