// The libtorch side of a KeyedModel.
#pragma once

#include "privacy/internal/channel_transform.h"
#include "privacy/keyed_model.h"

#include <optional>

namespace nesa::privacy {

/// A channel transform placed on one axis of a tensor.
struct PlacedTransform {
  ChannelTransform transform;
  std::int64_t dim = 1; ///< 1 (channels) or −1 (features)
};

struct KeyedModel::Impl {
  model::CompiledModel compiled;
  std::string keyId;
  std::vector<std::string> transforms;
  std::optional<PlacedTransform> input;  ///< none: the input is not transformed
  std::optional<PlacedTransform> output; ///< none: the output is not transformed
};

} // namespace nesa::privacy
