#include "node/remote_ledger.h"

#include "ledger/ledger_codec.h"
#include "net/messages.h"

namespace nesa::node {

using namespace std::chrono_literals;

Result<std::unique_ptr<RemoteLedger>> RemoteLedger::connect(const net::Endpoint &node,
                                                            const net::Identity &identity) {
  auto connection = net::Connection::open(node, identity, {});
  if (!connection)
    return connection.error().withContext("reaching the node's ledger");
  return std::unique_ptr<RemoteLedger>(new RemoteLedger(std::move(*connection), node, identity));
}

Result<net::Bytes> RemoteLedger::ask(const net::Bytes &request) {
  std::lock_guard lock(m_mutex);
  const auto frame = net::encodeLedgerRequest(request);
  auto reply = m_connection->request(frame, 30s);
  if (!reply && m_connection->droppedByPeer()) {
    // A dropped connection says nothing of the node: it may only have closed an idle one. (A
    // request that timed out is not sent again: the node may be working on it.)
    auto again = net::Connection::open(m_node, m_identity, {});
    if (!again)
      return again.error().withContext("reaching the node's ledger again");
    m_connection = std::move(*again);
    reply = m_connection->request(frame, 30s);
  }
  if (!reply)
    return reply.error().withContext("asking the node's ledger");
  if (auto answer = net::expectMessage(*reply, net::MessageKind::LedgerReply); !answer)
    return answer.error();
  return net::decodeLedgerBody(*reply);
}

#define NESA_ASK(request, decode)                                                                  \
  auto answer = ask(request);                                                                      \
  if (!answer)                                                                                     \
    return answer.error();                                                                         \
  return decode(*answer)

Result<ledger::Hash> RemoteLedger::submit(const ledger::Transaction &tx) {
  NESA_ASK(ledger::requestSubmit(tx), ledger::decodeHashAnswer);
}
Result<ledger::AccountView> RemoteLedger::account(const ledger::KeyHash &id) {
  NESA_ASK(ledger::requestAccount(id), ledger::decodeAccountAnswer);
}
Result<ledger::LedgerStatus> RemoteLedger::status() {
  NESA_ASK(ledger::requestStatus(), ledger::decodeStatusAnswer);
}
Result<std::optional<ledger::SessionRecord>> RemoteLedger::session(const ledger::Hash &id) {
  NESA_ASK(ledger::requestSession(id), ledger::decodeSessionAnswer);
}
Result<std::vector<ledger::ProposalView>> RemoteLedger::proposals() {
  NESA_ASK(ledger::requestProposals(), ledger::decodeProposalsAnswer);
}
Result<std::vector<ledger::LedgerMiner>> RemoteLedger::miners() {
  NESA_ASK(ledger::requestMiners(), ledger::decodeMinersAnswer);
}
Result<std::vector<ledger::TxRecord>> RemoteLedger::history(const ledger::KeyHash &id,
                                                            std::size_t limit) {
  NESA_ASK(ledger::requestHistory(id, static_cast<std::uint32_t>(limit)),
           ledger::decodeHistoryAnswer);
}
Result<std::uint64_t> RemoteLedger::inclusionHeight(const ledger::Hash &id) {
  NESA_ASK(ledger::requestInclusion(id), ledger::decodeHeightAnswer);
}

#undef NESA_ASK

} // namespace nesa::node
