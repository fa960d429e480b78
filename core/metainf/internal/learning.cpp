#include "metainf/internal/learning.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <numeric>
#include <random>

namespace nesa::metainf::internal {

void Standardizer::fit(const Rows &rows) {
  const std::size_t d = rows.empty() ? 0 : rows[0].size();
  mean.assign(d, 0);
  scale.assign(d, 0);
  for (const auto &r : rows)
    for (std::size_t j = 0; j < d; ++j)
      mean[j] += r[j] / static_cast<double>(rows.size());
  for (const auto &r : rows)
    for (std::size_t j = 0; j < d; ++j)
      scale[j] += (r[j] - mean[j]) * (r[j] - mean[j]) / static_cast<double>(rows.size());
  for (auto &s : scale)
    s = s > 1e-12 ? 1 / std::sqrt(s) : 0;
}

std::vector<double> Standardizer::apply(const std::vector<double> &row) const {
  std::vector<double> out(row.size());
  for (std::size_t j = 0; j < row.size() && j < mean.size(); ++j)
    out[j] = (row[j] - mean[j]) * scale[j];
  return out;
}

double distance2(const std::vector<double> &a, const std::vector<double> &b) {
  double sum = 0;
  for (std::size_t j = 0; j < a.size(); ++j)
    sum += (a[j] - b[j]) * (a[j] - b[j]);
  return sum;
}

int nearest(const Rows &centres, const std::vector<double> &point) {
  int best = 0;
  double bestDistance = std::numeric_limits<double>::infinity();
  for (int c = 0; c < static_cast<int>(centres.size()); ++c)
    if (const double d = distance2(centres[c], point); d < bestDistance) {
      bestDistance = d;
      best = c;
    }
  return best;
}

Rows kMeans(const Rows &points, int k, std::uint64_t seed, int iterations) {
  if (points.empty())
    return {};
  k = std::clamp(k, 1, static_cast<int>(points.size()));
  std::mt19937_64 rng(seed);
  Rows centres{points[rng() % points.size()]};
  std::vector<double> d2(points.size());
  while (static_cast<int>(centres.size()) < k) { // k-means++: far points are likelier centres
    double total = 0;
    for (std::size_t i = 0; i < points.size(); ++i)
      total += d2[i] = distance2(points[i], centres[nearest(centres, points[i])]);
    if (total <= 0)
      break;
    double pick = std::uniform_real_distribution<double>(0, total)(rng);
    std::size_t i = 0;
    for (; i + 1 < points.size() && pick > d2[i]; ++i)
      pick -= d2[i];
    centres.push_back(points[i]);
  }
  std::vector<int> owner(points.size(), -1);
  for (int it = 0; it < iterations; ++it) {
    bool moved = false;
    for (std::size_t i = 0; i < points.size(); ++i)
      if (const int c = nearest(centres, points[i]); c != owner[i]) {
        owner[i] = c;
        moved = true;
      }
    if (!moved)
      break;
    Rows sums(centres.size(), std::vector<double>(points[0].size(), 0));
    std::vector<int> counts(centres.size(), 0);
    for (std::size_t i = 0; i < points.size(); ++i) {
      ++counts[owner[i]];
      for (std::size_t j = 0; j < points[i].size(); ++j)
        sums[owner[i]][j] += points[i][j];
    }
    for (std::size_t c = 0; c < centres.size(); ++c)
      if (counts[c] > 0)
        for (std::size_t j = 0; j < sums[c].size(); ++j)
          centres[c][j] = sums[c][j] / counts[c];
  }
  return centres;
}

namespace {

double meanOf(const std::vector<double> &y, const std::vector<int> &idx) {
  double sum = 0;
  for (int i : idx)
    sum += y[i];
  return idx.empty() ? 0 : sum / static_cast<double>(idx.size());
}

} // namespace

void RegressionForest::fit(const Rows &x, const std::vector<double> &y, const Params &params) {
  m_trees.clear();
  if (x.empty())
    return;
  const int n = static_cast<int>(x.size());
  const int d = static_cast<int>(x[0].size());
  const int tried = std::max(1, d / 3);
  std::mt19937_64 rng(params.seed);
  for (int t = 0; t < params.trees; ++t) {
    std::vector<int> sample(n);
    for (auto &s : sample)
      s = static_cast<int>(rng() % n);
    std::vector<Node> tree;
    // Grows the node for `idx` at `depth`; returns its index in `tree`.
    std::function<int(std::vector<int>, int)> grow = [&](std::vector<int> idx, int depth) -> int {
      const int self = static_cast<int>(tree.size());
      tree.push_back({-1, 0, meanOf(y, idx), -1, -1});
      if (depth >= params.maxDepth || static_cast<int>(idx.size()) < 2 * params.minLeaf)
        return self;
      std::vector<int> features(d);
      std::iota(features.begin(), features.end(), 0);
      std::shuffle(features.begin(), features.end(), rng);
      double bestGain = 1e-12, bestThreshold = 0;
      int bestFeature = -1;
      const double total = meanOf(y, idx) * static_cast<double>(idx.size());
      double totalSq = 0;
      for (int i : idx)
        totalSq += y[i] * y[i];
      const double parentSse = totalSq - total * total / static_cast<double>(idx.size());
      for (int f = 0; f < tried; ++f) {
        const int j = features[f];
        std::sort(idx.begin(), idx.end(), [&](int a, int b) { return x[a][j] < x[b][j]; });
        double leftSum = 0, leftSq = 0;
        for (std::size_t k = 0; k + 1 < idx.size(); ++k) {
          leftSum += y[idx[k]];
          leftSq += y[idx[k]] * y[idx[k]];
          const auto nl = static_cast<double>(k + 1), nr = static_cast<double>(idx.size()) - nl;
          if (nl < params.minLeaf || nr < params.minLeaf || x[idx[k]][j] == x[idx[k + 1]][j])
            continue;
          const double rightSum = total - leftSum, rightSq = totalSq - leftSq;
          const double sse =
              (leftSq - leftSum * leftSum / nl) + (rightSq - rightSum * rightSum / nr);
          if (parentSse - sse > bestGain) {
            bestGain = parentSse - sse;
            bestFeature = j;
            bestThreshold = x[idx[k]][j]; // left: x <= the lower value, exactly
          }
        }
      }
      if (bestFeature < 0)
        return self;
      std::vector<int> left, right;
      for (int i : idx)
        (x[i][bestFeature] <= bestThreshold ? left : right).push_back(i);
      tree[self].feature = bestFeature;
      tree[self].threshold = bestThreshold;
      const int l = grow(std::move(left), depth + 1);
      const int r = grow(std::move(right), depth + 1);
      tree[self].left = l;
      tree[self].right = r;
      return self;
    };
    grow(sample, 0);
    m_trees.push_back(std::move(tree));
  }
}

double RegressionForest::predict(const std::vector<double> &x) const {
  if (m_trees.empty())
    return 0;
  double sum = 0;
  for (const auto &tree : m_trees) {
    int at = 0;
    while (tree[at].feature >= 0)
      at = x[tree[at].feature] <= tree[at].threshold ? tree[at].left : tree[at].right;
    sum += tree[at].value;
  }
  return sum / static_cast<double>(m_trees.size());
}

std::vector<double> ridge(const Rows &x, const std::vector<double> &y,
                          const std::vector<double> &weight, double lambda) {
  const std::size_t d = x.empty() ? 0 : x[0].size();
  // Normal equations (XᵀWX + λI) w = XᵀWy, solved by Gaussian elimination with pivoting.
  std::vector<std::vector<double>> a(d, std::vector<double>(d + 1, 0));
  for (std::size_t i = 0; i < x.size(); ++i)
    for (std::size_t r = 0; r < d; ++r) {
      for (std::size_t c = 0; c < d; ++c)
        a[r][c] += weight[i] * x[i][r] * x[i][c];
      a[r][d] += weight[i] * x[i][r] * y[i];
    }
  for (std::size_t r = 0; r < d; ++r)
    a[r][r] += lambda;
  for (std::size_t c = 0; c < d; ++c) {
    std::size_t pivot = c;
    for (std::size_t r = c + 1; r < d; ++r)
      if (std::abs(a[r][c]) > std::abs(a[pivot][c]))
        pivot = r;
    std::swap(a[c], a[pivot]);
    if (std::abs(a[c][c]) < 1e-300)
      continue;
    for (std::size_t r = 0; r < d; ++r)
      if (r != c) {
        const double f = a[r][c] / a[c][c];
        for (std::size_t k = c; k <= d; ++k)
          a[r][k] -= f * a[c][k];
      }
  }
  std::vector<double> w(d, 0);
  for (std::size_t r = 0; r < d; ++r)
    w[r] = std::abs(a[r][r]) < 1e-300 ? 0 : a[r][d] / a[r][r];
  return w;
}

} // namespace nesa::metainf::internal
