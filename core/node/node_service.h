// The node: the registry of miners (until the ledger takes it over), the store of model bundles
// that miners download by content id, and HTTP status and metrics.
#pragma once

#include "ledger/ledger.h"
#include "net/messages.h"
#include "util/result.h"

#include <chrono>
#include <filesystem>
#include <memory>
#include <vector>

namespace nesa::node {

/// How a node runs.
struct NodeOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;                         ///< 0: any free port
  std::filesystem::path dataDir;                  ///< identity key and bundles
  std::chrono::milliseconds minerTimeout{10'000}; ///< miners silent longer are not offered
  std::size_t maxBundleBytes = 256u << 20;
  std::chrono::milliseconds idleTimeout{300'000}; ///< silent connections are closed after this
  std::shared_ptr<ledger::Ledger> ledger; ///< the chain this node serves (none: registry only)
  /// Judge reports of wrong answers and slash (the chain's genesis must name this node's
  /// identity as its arbiter, or the ledger refuses the slashes).
  bool arbitrate = false;
};

/// A running node. Stops when destroyed.
class NodeService {
public:
  static Result<std::unique_ptr<NodeService>> start(NodeOptions options);
  ~NodeService();
  NodeService(const NodeService &) = delete;
  NodeService &operator=(const NodeService &) = delete;

  std::uint16_t port() const;
  const net::PublicKey &identity() const;
  /// Miners heard from within the timeout and not paused, most recently seen first.
  std::vector<net::MinerRecord> availableMiners() const;
  /// Waits until at least `count` miners are available.
  Result<void> waitForMiners(std::size_t count, std::chrono::milliseconds timeout) const;
  void stop();

  struct State;

private:
  explicit NodeService(std::unique_ptr<State> state);
  std::unique_ptr<State> m_state;
};

/// The content id of bundle bytes (BLAKE2b-256, hex), as model::contentId computes it.
std::string bundleContentId(std::span<const std::uint8_t> bytes);

} // namespace nesa::node
