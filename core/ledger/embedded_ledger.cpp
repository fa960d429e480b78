#include "ledger/embedded_ledger.h"

#include "storage/encrypted_store.h"

#include <sodium.h>

#include <algorithm>
#include <deque>
#include <map>

namespace nesa::ledger {
namespace {

const storage::Schema kSchema{
    {1, "chain tables",
     "CREATE TABLE chain_meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);"
     "CREATE TABLE blocks (height INTEGER PRIMARY KEY, hash BLOB NOT NULL, data BLOB NOT NULL);"},
};

__extension__ typedef unsigned __int128 Wide;

// Priority: what the sender pays per byte, as a fraction compared by cross-multiplication.
bool paysMore(const Transaction &a, const Transaction &b) {
  const auto sizeA = a.serialize().size(), sizeB = b.serialize().size();
  return static_cast<Wide>(a.fee + a.tip) * sizeB > static_cast<Wide>(b.fee + b.tip) * sizeA;
}

} // namespace

EmbeddedLedger::EmbeddedLedger(const Genesis &genesis)
    : m_genesis(genesis), m_state(genesis), m_pendingState(genesis), m_tip(genesisHash(genesis)) {}
EmbeddedLedger::EmbeddedLedger(EmbeddedLedger &&) noexcept = default;
EmbeddedLedger &EmbeddedLedger::operator=(EmbeddedLedger &&) noexcept = default;
EmbeddedLedger::~EmbeddedLedger() = default;

Hash EmbeddedLedger::genesisHash(const Genesis &genesis) {
  auto allocations = genesis.allocations;
  std::sort(allocations.begin(), allocations.end());
  crypto_generichash_state state;
  crypto_generichash_init(&state, nullptr, 0, 32);
  crypto_generichash_update(&state, reinterpret_cast<const unsigned char *>(genesis.chainId.data()),
                            genesis.chainId.size());
  const std::uint64_t numbers[] = {
      genesis.params.baseFee,          genesis.params.feePerByte,   genesis.params.unbondingBlocks,
      genesis.params.minStake,         genesis.params.votingBlocks, genesis.params.quorumPercent,
      genesis.params.maxSessionBlocks, genesis.params.slashPercent, genesis.params.rewardBlocks};
  crypto_generichash_update(&state, reinterpret_cast<const unsigned char *>(numbers),
                            sizeof numbers);
  crypto_generichash_update(&state, genesis.arbiter.data(), genesis.arbiter.size());
  for (const auto &[id, amount] : allocations) {
    crypto_generichash_update(&state, id.data(), id.size());
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char *>(&amount),
                              sizeof amount);
  }
  Hash hash{};
  crypto_generichash_final(&state, hash.data(), hash.size());
  return hash;
}

Result<EmbeddedLedger> EmbeddedLedger::open(const std::filesystem::path &file,
                                            const SecureBuffer &passphrase, const Genesis &genesis,
                                            const storage::KdfParams &kdf) {
  EmbeddedLedger ledger(genesis);
  const Hash expected = genesisHash(genesis);
  std::error_code ec;
  const bool exists = std::filesystem::exists(file, ec);
  auto store = exists ? storage::EncryptedStore::open(file, passphrase, kSchema)
                      : storage::EncryptedStore::create(file, passphrase, kSchema, kdf);
  if (!store)
    return store.error();
  ledger.m_store = std::make_unique<storage::EncryptedStore>(std::move(*store));
  if (!exists) {
    auto insert =
        ledger.m_store->prepare("INSERT INTO chain_meta (key, value) VALUES ('genesis', ?);");
    if (!insert)
      return insert.error();
    if (auto r = insert->bindBlob(1, expected).run(); !r)
      return r.error();
  }
  auto select = ledger.m_store->prepare("SELECT value FROM chain_meta WHERE key = 'genesis';");
  if (!select)
    return select.error();
  auto row = select->step();
  if (!row)
    return row.error();
  if (!*row || select->columnBlob(0) != std::vector<std::uint8_t>(expected.begin(), expected.end()))
    return fail(ErrorCode::InvalidInput, file.string() + " holds a chain from another genesis");
  if (auto replayed = ledger.replay(); !replayed)
    return replayed.error().withContext(file.string());
  return ledger;
}

Result<void> EmbeddedLedger::replay() {
  auto select = m_store->prepare("SELECT height, hash, data FROM blocks ORDER BY height;");
  if (!select)
    return select.error();
  while (true) {
    auto row = select->step();
    if (!row)
      return row.error();
    if (!*row)
      break;
    const auto data = select->columnBlob(2);
    auto block = Block::parse(data);
    if (!block)
      return block.error();
    const auto stored = select->columnBlob(1);
    const Hash hash = block->hash();
    if (block->height != m_height + 1 || block->previous != m_tip ||
        stored != std::vector<std::uint8_t>(hash.begin(), hash.end()))
      return fail(ErrorCode::Corrupt,
                  "block " + std::to_string(block->height) + " does not link to the chain");
    for (const auto &tx : block->transactions)
      if (auto applied = m_state.apply(tx, block->height); !applied)
        return fail(ErrorCode::Corrupt,
                    "block " + std::to_string(block->height) +
                        " holds a transaction that does not apply: " + applied.error().message);
    m_state.endBlock(block->height);
    index(*block);
    if (m_state.stateHash() != block->stateHash)
      return fail(ErrorCode::Corrupt, "replaying block " + std::to_string(block->height) +
                                          " gives another state than the one it recorded");
    m_height = block->height;
    m_tip = hash;
  }
  m_pendingState = m_state;
  return {};
}

void EmbeddedLedger::index(const Block &block) {
  for (const auto &tx : block.transactions) {
    const Hash id = tx.id();
    m_included[id] = block.height;
    const KeyHash sender = keyHashOf(tx.sender);
    m_touched[sender].emplace_back(block.height, id);
    if (tx.kind == TxKind::Transfer && tx.to != sender)
      m_touched[tx.to].emplace_back(block.height, id);
  }
}

std::uint64_t EmbeddedLedger::inclusionHeight(const Hash &id) const {
  const auto it = m_included.find(id);
  return it == m_included.end() ? 0 : it->second;
}

Result<std::vector<std::pair<std::uint64_t, Transaction>>>
EmbeddedLedger::history(const KeyHash &account, std::size_t limit) const {
  std::vector<std::pair<std::uint64_t, Transaction>> out;
  const auto it = m_touched.find(account);
  if (it == m_touched.end())
    return out;
  auto select = m_store->prepare("SELECT data FROM blocks WHERE height = ?;");
  if (!select)
    return select.error();
  for (auto entry = it->second.rbegin(); entry != it->second.rend() && out.size() < limit;
       ++entry) {
    select->reset();
    select->bind(1, static_cast<std::int64_t>(entry->first));
    auto row = select->step();
    if (!row)
      return row.error();
    if (!*row)
      return fail(ErrorCode::Corrupt, "block " + std::to_string(entry->first) + " is missing");
    auto block = Block::parse(select->columnBlob(0));
    if (!block)
      return block.error();
    for (const auto &tx : block->transactions)
      if (tx.id() == entry->second)
        out.emplace_back(entry->first, tx);
  }
  return out;
}

Result<Hash> EmbeddedLedger::submit(const Transaction &tx) {
  const Hash id = tx.id();
  if (m_queuedIds.count(id))
    return fail(ErrorCode::AlreadyExists, "transaction " + hex(id) + " is already queued");
  if (auto applied = m_pendingState.apply(tx, m_height + 1); !applied)
    return applied.error();
  m_mempool.push_back(tx);
  m_queuedIds.insert(id);
  return id;
}

Result<Block> EmbeddedLedger::produceBlock(std::size_t maxTransactions) {
  Block block;
  block.height = m_height + 1;
  block.previous = m_tip;
  LedgerState next = m_state;
  // Each sender's queued transactions in nonce order; only the head of a queue can apply next.
  std::map<PublicKey, std::deque<const Transaction *>> bySender;
  for (const auto &tx : m_mempool)
    bySender[tx.sender].push_back(&tx);
  for (auto &[sender, queue] : bySender)
    std::stable_sort(queue.begin(), queue.end(),
                     [](auto *a, auto *b) { return a->nonce < b->nonce; });
  while (block.transactions.size() < maxTransactions) {
    // Among heads that apply now (funded, right nonce), take the best paying. A head that does
    // not apply yet may once another transaction has funded it, so it stays queued.
    std::deque<const Transaction *> *best = nullptr;
    for (auto &[sender, queue] : bySender)
      if (!queue.empty() && (!best || paysMore(*queue.front(), *best->front())) &&
          next.check(*queue.front(), block.height, LedgerState::Verify::StateOnly))
        best = &queue;
    if (!best)
      break;
    (void)next.apply(*best->front(), block.height, LedgerState::Verify::StateOnly);
    block.transactions.push_back(*best->front());
    best->pop_front();
  }
  next.endBlock(block.height);
  block.stateHash = next.stateHash();
  const Hash hash = block.hash();
  const auto data = block.serialize();
  auto committed = m_store->transaction([&]() -> Result<void> {
    auto insert = m_store->prepare("INSERT INTO blocks (height, hash, data) VALUES (?, ?, ?);");
    if (!insert)
      return insert.error();
    return insert->bind(1, static_cast<std::int64_t>(block.height))
        .bindBlob(2, hash)
        .bindBlob(3, data)
        .run();
  });
  if (!committed)
    return committed.error();
  m_state = std::move(next);
  m_height = block.height;
  m_tip = hash;
  index(block);
  // Keep what is still valid on top of the new state, in the order it arrived.
  std::set<Hash> included;
  for (const auto &tx : block.transactions)
    included.insert(tx.id());
  std::vector<Transaction> remaining;
  m_pendingState = m_state;
  m_queuedIds.clear();
  for (auto &tx : m_mempool) {
    const Hash id = tx.id();
    if (!included.count(id) &&
        m_pendingState.apply(tx, m_height + 1, LedgerState::Verify::StateOnly)) {
      m_queuedIds.insert(id);
      remaining.push_back(std::move(tx));
    }
  }
  m_mempool = std::move(remaining);
  return block;
}

} // namespace nesa::ledger
