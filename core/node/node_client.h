// What a client (the app, `nesa analyze`, tests) asks of a node: its miners, and to keep a
// bundle for them to download.
#pragma once

#include "net/connection.h"
#include "net/messages.h"

#include <memory>

namespace nesa::node {

/// An authenticated connection to a node.
class NodeClient {
public:
  /// `identity` must outlive the client.
  static Result<std::unique_ptr<NodeClient>> connect(const net::Endpoint &node,
                                                     const net::Identity &identity);
  /// Miners the node currently offers (alive, not paused).
  Result<std::vector<net::MinerRecord>> listMiners();
  /// Stores bundle bytes on the node under their content id.
  Result<void> publishBundle(const std::string &bundleId, std::span<const std::uint8_t> content);
  /// Sends a ReportEvidence frame and waits for the node's judgement (Ack: the miner was
  /// slashed; otherwise the reason).
  Result<void> reportEvidence(std::span<const std::uint8_t> frame);
  /// Reports that `miner` did not answer; the node checks it and records a missed deadline.
  Result<void> reportMissing(const net::PublicKey &miner);
  const net::Endpoint &endpoint() const { return m_endpoint; }

private:
  NodeClient(net::Endpoint endpoint, std::unique_ptr<net::Connection> connection)
      : m_endpoint(std::move(endpoint)), m_connection(std::move(connection)) {}
  net::Endpoint m_endpoint;
  std::unique_ptr<net::Connection> m_connection;
};

} // namespace nesa::node
