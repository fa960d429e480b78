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
  explicit RemoteLedger(std::unique_ptr<net::Connection> connection)
      : m_connection(std::move(connection)) {}
  Result<net::Bytes> ask(const net::Bytes &request);

  std::unique_ptr<net::Connection> m_connection;
};

} // namespace nesa::node
