// The small learners MetaInf's selectors are built from: feature scaling, k-means, a
// regression forest (CART with bagging) and ridge least squares. Deterministic given a seed.
#pragma once

#include <cstdint>
#include <vector>

namespace nesa::metainf::internal {

using Rows = std::vector<std::vector<double>>;

/// Scales each column to mean 0 and standard deviation 1 (constant columns are left at 0).
struct Standardizer {
  std::vector<double> mean, scale;
  void fit(const Rows &rows);
  std::vector<double> apply(const std::vector<double> &row) const;
};

/// Squared Euclidean distance.
double distance2(const std::vector<double> &a, const std::vector<double> &b);

/// k-means with k-means++ seeding and Lloyd's iterations; returns the centres.
Rows kMeans(const Rows &points, int k, std::uint64_t seed, int iterations = 50);
/// The index of the centre nearest to `point`.
int nearest(const Rows &centres, const std::vector<double> &point);

/// A random forest of regression trees (CART, variance reduction), each grown on a bootstrap
/// sample with a random third of the features tried at each split.
class RegressionForest {
public:
  struct Params {
    int trees = 60;
    int maxDepth = 12;
    int minLeaf = 3;
    std::uint64_t seed = 1;
  };
  void fit(const Rows &x, const std::vector<double> &y, const Params &params);
  double predict(const std::vector<double> &x) const;

private:
  struct Node {
    int feature = -1; ///< -1: a leaf holding `value`
    double threshold = 0, value = 0;
    int left = -1, right = -1;
  };
  std::vector<std::vector<Node>> m_trees;
};

/// Ridge least squares: the w minimising Σ weight_i (x_i·w − y_i)² + lambda |w|².
std::vector<double> ridge(const Rows &x, const std::vector<double> &y,
                          const std::vector<double> &weight, double lambda);

} // namespace nesa::metainf::internal
