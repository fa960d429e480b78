// Where a client's miners come from: a node it is pointed at, or, with none, an embedded devnet
// started for the occasion. Publishes the model's bundle and hands the engine RemoteMiners.
#pragma once

#include "miner/remote_miner.h"
#include "model/linear_bundle.h"
#include "node/devnet_process.h"
#include "node/node_client.h"
#include "privacy/engine.h"

#include <functional>
#include <memory>
#include <optional>

namespace nesa::miner {

/// How to find miners.
struct NetworkOptions {
  std::optional<net::Endpoint> node; ///< none: start an embedded devnet
  int devnetMiners = 3;              ///< miner processes of an embedded devnet
  int minerThreads = 0;
  RemoteMinerOptions remote;
  std::function<void(const std::string &)> onStatus; ///< "starting a local network…"
};

/// The client's connection to a network for the length of a session. An embedded devnet is
/// stopped (and its folder removed) when this object goes.
class NetworkMiners {
public:
  /// `client` must outlive this object.
  static Result<std::unique_ptr<NetworkMiners>> open(const net::Identity &client,
                                                     NetworkOptions options);
  ~NetworkMiners();
  NetworkMiners(const NetworkMiners &) = delete;
  NetworkMiners &operator=(const NetworkMiners &) = delete;

  /// Publishes `bundle` to the node and returns its available miners, at least `needed`.
  Result<std::vector<std::shared_ptr<privacy::MinerEndpoint>>>
  minersFor(const model::LinearBundle &bundle, std::size_t needed);
  /// Sends each miner the receipt for its verified answers; returns the micro-NES owed in
  /// total (miners settle receipts on the ledger themselves).
  Result<ledger::Amount> finishPayments();
  /// Pays the miners handed out from now on (PayForQuery sessions, pay-after-verify).
  void setPayer(std::shared_ptr<Payer> payer) { m_options.remote.payer = std::move(payer); }
  /// Reports a wrong, signed answer (from the run report) to the node, which has other miners
  /// recompute it and slashes the miner when they disagree with it; `reporter` gets half.
  Result<void> reportEvidence(const privacy::Evidence &evidence, const ledger::KeyHash &reporter);
  /// Reports every miner named in `missing` (RunReport::missing) that did not answer at all;
  /// returns how many the node recorded as having missed a deadline.
  int reportMissing(const std::vector<std::string> &missing);
  /// The node's ledger (connected on first use).
  Result<std::shared_ptr<ledger::Ledger>> ledger();
  const net::Endpoint &node() const;
  /// The embedded devnet, when this object started one.
  node::DevnetProcess *devnet();

private:
  NetworkMiners() = default;
  const net::Identity *m_client = nullptr;
  NetworkOptions m_options;
  std::optional<node::DevnetProcess> m_devnet;
  std::filesystem::path m_devnetDir;
  std::unique_ptr<node::NodeClient> m_node;
  std::shared_ptr<ledger::Ledger> m_ledger;
  std::vector<std::shared_ptr<RemoteMiner>> m_handedOut;
};

} // namespace nesa::miner
