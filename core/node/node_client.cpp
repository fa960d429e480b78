#include "node/node_client.h"

namespace nesa::node {

using namespace std::chrono_literals;

Result<std::unique_ptr<NodeClient>> NodeClient::connect(const net::Endpoint &node,
                                                        const net::Identity &identity) {
  auto connection = net::Connection::open(node, identity, {});
  if (!connection)
    return connection.error();
  return std::unique_ptr<NodeClient>(new NodeClient(node, std::move(*connection)));
}

Result<std::vector<net::MinerRecord>> NodeClient::listMiners() {
  auto reply = m_connection->request(net::encodeListMiners(), 10s);
  if (!reply)
    return reply.error().withContext("asking the node for miners");
  if (auto answer = net::expectMessage(*reply, net::MessageKind::MinerList); !answer)
    return answer.error().withContext("asking the node for miners");
  return net::decodeMinerList(*reply);
}

Result<void> NodeClient::publishBundle(const std::string &bundleId,
                                       std::span<const std::uint8_t> content) {
  auto reply = m_connection->request(net::encodePublishBundle(bundleId, content), 120s);
  if (!reply)
    return reply.error().withContext("publishing the model to the node");
  if (auto ack = net::expectAck(*reply); !ack)
    return ack.error().withContext("publishing the model to the node");
  return {};
}

Result<void> NodeClient::reportEvidence(std::span<const std::uint8_t> frame) {
  auto reply = m_connection->request(frame, 300s);
  if (!reply)
    return reply.error().withContext("reporting a wrong answer to the node");
  return net::expectAck(*reply);
}

Result<void> NodeClient::reportMissing(const net::PublicKey &miner) {
  auto reply = m_connection->request(net::encodeReportMissing(miner), 60s);
  if (!reply)
    return reply.error().withContext("reporting a silent miner to the node");
  return net::expectAck(*reply);
}

} // namespace nesa::node
