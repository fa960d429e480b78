// A compiled model keyed with an EE key: the same client program over a linear bundle whose
// weights absorb secret channel permutations and positive scales. Miners get only the keyed
// bundle; the client transforms the input before a run and un-transforms the output after it.
#pragma once

#include "model/compiled_model.h"
#include "privacy/ee_key.h"
#include "util/result.h"

#include <memory>
#include <string>
#include <vector>

namespace nesa::privacy {

/// A keyed TorchScript model (docs/privacy.md, "EE for TorchScript models"). Cheap to copy.
class KeyedModel {
public:
  /// The client program with the keyed bundle (its bundleId() is the keyed bundle's).
  const model::CompiledModel &compiled() const;
  /// The id of the key it was derived with.
  const std::string &keyId() const;
  /// One line per transformed activation: "conv2d 0 out: 16 channels, permuted, scaled".
  const std::vector<std::string> &transforms() const;
  /// The input as the miners will see it instead.
  Result<model::TensorData> transformInput(const model::TensorData &input) const;
  /// The original model's output from the keyed model's output.
  Result<model::TensorData> untransformOutput(const model::TensorData &output) const;

  struct Impl; ///< libtorch-side state (privacy/internal/keyed_model_impl.h)
  explicit KeyedModel(std::shared_ptr<const Impl> impl) : m_impl(std::move(impl)) {}
  const Impl &impl() const { return *m_impl; }

private:
  std::shared_ptr<const Impl> m_impl;
};

/// Derives the keyed model of `model` under `key`, deterministically. `inputShape` is the shape
/// the model will run on (the client program is run once on zeros to learn the rank of every
/// remote call's input). Errors name the op the transforms do not commute with (reshapes,
/// concatenations, norms with per-channel constants, grouped convolutions other than depthwise,
/// control flow over activations): such a model runs at `local` or `hss` only.
Result<KeyedModel> keyModel(const model::CompiledModel &model, const EeKey &key,
                            const std::vector<std::int64_t> &inputShape);

} // namespace nesa::privacy
