#include "ledger/local_ledger.h"

#include "util/log.h"

namespace nesa::ledger {

Result<std::uint64_t> waitForInclusion(Ledger &ledger, const Hash &id,
                                       std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    auto height = ledger.inclusionHeight(id);
    if (!height || *height > 0)
      return height;
    if (std::chrono::steady_clock::now() >= deadline)
      return fail(ErrorCode::Unavailable, "transaction " + hex(id).substr(0, 12) +
                                              " is not in a block after " +
                                              std::to_string(timeout.count()) + " ms");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

Result<Transaction> prepareTransaction(Ledger &ledger, TxKind kind, const PublicKey &sender,
                                       Amount amount, const KeyHash &to,
                                       std::vector<std::uint8_t> payload, Amount tip) {
  auto status = ledger.status();
  if (!status)
    return status.error();
  auto account = ledger.account(keyHashOf(sender));
  if (!account)
    return account.error();
  Transaction tx;
  tx.chainId = status->chainId;
  tx.kind = kind;
  tx.sender = sender;
  tx.nonce = account->nextNonce;
  tx.to = to;
  tx.amount = amount;
  tx.payload = std::move(payload);
  tx.tip = tip;
  tx.fee = status->params.minimumFee(tx.serialize().size());
  return tx;
}

LocalLedger::LocalLedger(EmbeddedLedger chain, std::chrono::milliseconds blockInterval)
    : m_chain(std::move(chain)), m_interval(blockInterval) {
  m_producer = std::thread([this] { produce(); });
}

LocalLedger::~LocalLedger() {
  {
    std::lock_guard lock(m_mutex);
    m_stopping = true;
  }
  m_wake.notify_all();
  m_producer.join();
}

void LocalLedger::produce() {
  std::unique_lock lock(m_mutex);
  while (!m_stopping) {
    m_wake.wait_for(lock, m_interval, [this] { return m_stopping; });
    if (m_stopping)
      break;
    if (auto block = m_chain.produceBlock(); !block)
      log::error("ledger: cannot commit block " + std::to_string(m_chain.height() + 1) + ": " +
                 block.error().message);
  }
}

Result<std::uint64_t> LocalLedger::produceBlockNow() {
  std::lock_guard lock(m_mutex);
  auto block = m_chain.produceBlock();
  if (!block)
    return block.error();
  return block->height;
}

Result<Hash> LocalLedger::submit(const Transaction &tx) {
  std::lock_guard lock(m_mutex);
  return m_chain.submit(tx);
}

Result<AccountView> LocalLedger::account(const KeyHash &id) {
  std::lock_guard lock(m_mutex);
  const auto state = m_chain.state().account(id);
  AccountView view{state.balance, state.staked, 0, m_chain.nextNonce(id)};
  for (const auto &[height, amount] : state.unbonding)
    view.unbonding += amount;
  return view;
}

Result<LedgerStatus> LocalLedger::status() {
  std::lock_guard lock(m_mutex);
  const auto &state = m_chain.state();
  return LedgerStatus{state.chainId(),        m_chain.height(),  m_chain.tip(),
                      state.stateHash(),      state.params(),    state.totalSupply(),
                      state.feePool(),        m_chain.pending(), state.miners().size(),
                      state.sessions().size()};
}

Result<std::optional<SessionRecord>> LocalLedger::session(const Hash &id) {
  std::lock_guard lock(m_mutex);
  const auto &sessions = m_chain.state().sessions();
  const auto it = sessions.find(id);
  if (it == sessions.end())
    return std::optional<SessionRecord>();
  return std::optional<SessionRecord>(it->second);
}

Result<std::vector<ProposalView>> LocalLedger::proposals() {
  std::lock_guard lock(m_mutex);
  std::vector<ProposalView> out;
  for (const auto &[id, record] : m_chain.state().proposals())
    out.push_back({id, record});
  return out;
}

Result<std::vector<LedgerMiner>> LocalLedger::miners() {
  std::lock_guard lock(m_mutex);
  std::vector<LedgerMiner> out;
  for (const auto &[account, record] : m_chain.state().miners())
    out.push_back({account, record, m_chain.state().account(account).staked});
  return out;
}

Result<std::vector<TxRecord>> LocalLedger::history(const KeyHash &id, std::size_t limit) {
  std::lock_guard lock(m_mutex);
  auto found = m_chain.history(id, limit);
  if (!found)
    return found.error();
  std::vector<TxRecord> out;
  for (auto &[height, tx] : *found)
    out.push_back({height, std::move(tx)});
  return out;
}

Result<std::uint64_t> LocalLedger::inclusionHeight(const Hash &id) {
  std::lock_guard lock(m_mutex);
  return m_chain.inclusionHeight(id);
}

} // namespace nesa::ledger
