// A node's ledger reached over an authenticated connection: the same Ledger interface as the
// node's own, so wallets and miners do not care where the chain runs.
#pragma once

#include "ledger/ledger.h"
#include "net/connection.h"

#include <memory>
#include <mutex>

namespace nesa::node {

/// The ledger of the node at the other end of a connection.
class RemoteLedger : public ledger::Ledger {
public:
  /// Connects to `node` as `identity` (which must outlive this object).
  static Result<std::unique_ptr<RemoteLedger>> connect(const net::Endpoint &node,
                                                       const net::Identity &identity);

  Result<ledger::Hash> submit(const ledger::Transaction &tx) override;
  Result<ledger::AccountView> account(const ledger::KeyHash &id) override;
  Result<ledger::LedgerStatus> status() override;
  Result<std::optional<ledger::SessionRecord>> session(const ledger::Hash &id) override;
  Result<std::vector<ledger::ProposalView>> proposals() override;
  Result<std::vector<ledger::LedgerMiner>> miners() override;
  /// At most ledger::kMaxHistoryAnswer records, whatever `limit` asks.
  Result<std::vector<ledger::TxRecord>> history(const ledger::KeyHash &id,
                                                std::size_t limit) override;
  Result<std::uint64_t> inclusionHeight(const ledger::Hash &id) override;

private:
  RemoteLedger(std::unique_ptr<net::Connection> connection, net::Endpoint node,
               const net::Identity &identity)
      : m_connection(std::move(connection)), m_node(std::move(node)), m_identity(identity) {}
  /// Asks on the open connection; when the node has closed it (an idle connection times out
  /// there), connects again once and asks again.
  Result<net::Bytes> ask(const net::Bytes &request);

  std::mutex m_mutex; ///< guards m_connection's replacement
  std::unique_ptr<net::Connection> m_connection;
  net::Endpoint m_node;
  const net::Identity &m_identity;
};

} // namespace nesa::node
