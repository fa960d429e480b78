#include "ledger/ledger_codec.h"

#include "ledger/payloads.h"
#include "util/byte_io.h"

namespace nesa::ledger {

namespace {

constexpr std::uint32_t kMaxItems = 100'000;

Error malformed() { return fail(ErrorCode::InvalidInput, "a malformed ledger answer"); }

template <std::size_t N> void put(ByteWriter &w, const std::array<std::uint8_t, N> &a) { w.raw(a); }
template <std::size_t N> bool get(ByteReader &r, std::array<std::uint8_t, N> &a) {
  return r.raw(a.data(), N);
}
void putBlob(ByteWriter &w, std::span<const std::uint8_t> bytes) {
  w.u32(static_cast<std::uint32_t>(bytes.size()));
  w.raw(bytes);
}
bool getBlob(ByteReader &r, Bytes &out) {
  std::uint32_t n = 0;
  return r.u32(n) && r.bytes(out, n);
}

void put(ByteWriter &w, const Params &p) {
  for (auto v : {p.baseFee, p.feePerByte, p.unbondingBlocks, p.minStake, p.votingBlocks,
                 p.quorumPercent, p.maxSessionBlocks, p.slashPercent, p.rewardBlocks})
    w.u64(v);
}
bool get(ByteReader &r, Params &p) {
  return r.u64(p.baseFee) && r.u64(p.feePerByte) && r.u64(p.unbondingBlocks) && r.u64(p.minStake) &&
         r.u64(p.votingBlocks) && r.u64(p.quorumPercent) && r.u64(p.maxSessionBlocks) &&
         r.u64(p.slashPercent) && r.u64(p.rewardBlocks);
}

void put(ByteWriter &w, const SessionRecord &s) {
  put(w, s.client);
  put(w, s.miner);
  w.u64(s.deposit);
  w.u64(s.paid);
  w.u64(s.expiry);
}
bool get(ByteReader &r, SessionRecord &s) {
  return get(r, s.client) && get(r, s.miner) && r.u64(s.deposit) && r.u64(s.paid) &&
         r.u64(s.expiry);
}

template <typename T, typename Item>
Result<std::vector<T>> decodeList(std::span<const std::uint8_t> answer, Item item) {
  ByteReader r(answer);
  std::uint32_t count = 0;
  if (!r.u32(count) || count > kMaxItems)
    return malformed();
  std::vector<T> out(count);
  for (auto &value : out)
    if (!item(r, value))
      return malformed();
  if (!r.atEnd())
    return malformed();
  return out;
}

Bytes request(LedgerOp op, std::span<const std::uint8_t> argument = {}) {
  ByteWriter w;
  w.u8(static_cast<std::uint8_t>(op));
  w.raw(argument);
  return w.take();
}

} // namespace

Bytes encodeGenesis(const Genesis &genesis) {
  ByteWriter w;
  putBlob(w, std::span(reinterpret_cast<const std::uint8_t *>(genesis.chainId.data()),
                       genesis.chainId.size()));
  w.u32(static_cast<std::uint32_t>(genesis.allocations.size()));
  for (const auto &[account, amount] : genesis.allocations) {
    put(w, account);
    w.u64(amount);
  }
  put(w, genesis.arbiter);
  put(w, genesis.params);
  return w.take();
}

Result<Genesis> decodeGenesis(std::span<const std::uint8_t> bytes) {
  ByteReader r(bytes);
  Genesis genesis;
  Bytes chain;
  std::uint32_t count = 0;
  const auto damaged = fail(ErrorCode::Corrupt, "the genesis file is damaged");
  if (!getBlob(r, chain) || chain.size() > 64 || !r.u32(count) || count > kMaxItems)
    return damaged;
  genesis.chainId.assign(chain.begin(), chain.end());
  for (std::uint32_t i = 0; i < count; ++i) {
    KeyHash account{};
    Amount amount = 0;
    if (!get(r, account) || !r.u64(amount))
      return damaged;
    genesis.allocations.emplace_back(account, amount);
  }
  if (!get(r, genesis.arbiter) || !get(r, genesis.params) || !r.atEnd())
    return damaged;
  return genesis;
}

Bytes requestSubmit(const Transaction &tx) { return request(LedgerOp::Submit, tx.serialize()); }
Bytes requestAccount(const KeyHash &id) { return request(LedgerOp::Account, id); }
Bytes requestStatus() { return request(LedgerOp::Status); }
Bytes requestSession(const Hash &id) { return request(LedgerOp::Session, id); }
Bytes requestProposals() { return request(LedgerOp::Proposals); }
Bytes requestMiners() { return request(LedgerOp::Miners); }
Bytes requestHistory(const KeyHash &id, std::uint32_t limit) {
  ByteWriter w;
  w.raw(id);
  w.u32(limit);
  return request(LedgerOp::History, w.take());
}
Bytes requestInclusion(const Hash &id) { return request(LedgerOp::Inclusion, id); }

Result<Bytes> answerRequest(Ledger &ledger, std::span<const std::uint8_t> bytes) {
  ByteReader r(bytes);
  std::uint8_t op = 0;
  if (!r.u8(op))
    return fail(ErrorCode::InvalidInput, "an empty ledger request");
  ByteWriter w;
  const auto bad = fail(ErrorCode::InvalidInput, "a malformed ledger request");
  switch (static_cast<LedgerOp>(op)) {
  case LedgerOp::Submit: {
    auto tx = Transaction::parse(bytes.subspan(1));
    if (!tx)
      return tx.error();
    auto id = ledger.submit(*tx);
    if (!id)
      return id.error();
    put(w, *id);
    break;
  }
  case LedgerOp::Account: {
    KeyHash id{};
    if (!get(r, id) || !r.atEnd())
      return bad;
    auto a = ledger.account(id);
    if (!a)
      return a.error();
    for (auto v : {a->balance, a->staked, a->unbonding, a->nextNonce})
      w.u64(v);
    break;
  }
  case LedgerOp::Status: {
    auto s = ledger.status();
    if (!s)
      return s.error();
    putBlob(
        w, std::span(reinterpret_cast<const std::uint8_t *>(s->chainId.data()), s->chainId.size()));
    w.u64(s->height);
    put(w, s->tip);
    put(w, s->stateHash);
    put(w, s->params);
    for (auto v : {s->supply, s->feePool, s->pending, s->miners, s->sessions})
      w.u64(v);
    break;
  }
  case LedgerOp::Session: {
    Hash id{};
    if (!get(r, id) || !r.atEnd())
      return bad;
    auto s = ledger.session(id);
    if (!s)
      return s.error();
    w.u8(s->has_value() ? 1 : 0);
    if (*s)
      put(w, **s);
    break;
  }
  case LedgerOp::Proposals: {
    auto list = ledger.proposals();
    if (!list)
      return list.error();
    w.u32(static_cast<std::uint32_t>(list->size()));
    for (const auto &p : *list) {
      put(w, p.id);
      putBlob(w, p.record.change.encode());
      for (auto v : {p.record.endsAt, p.record.yes, p.record.no})
        w.u64(v);
      w.u32(static_cast<std::uint32_t>(p.record.voters.size()));
      for (const auto &voter : p.record.voters)
        put(w, voter);
      w.u8(p.record.decided ? 1 : 0);
      w.u8(p.record.passed ? 1 : 0);
    }
    break;
  }
  case LedgerOp::Miners: {
    auto list = ledger.miners();
    if (!list)
      return list.error();
    w.u32(static_cast<std::uint32_t>(list->size()));
    for (const auto &m : *list) {
      put(w, m.account);
      put(w, m.record.key);
      putBlob(w, m.record.offer.encode());
      w.u64(m.record.registeredAt);
      w.i64(m.record.reputation);
      w.u64(m.staked);
    }
    break;
  }
  case LedgerOp::History: {
    KeyHash id{};
    std::uint32_t limit = 0;
    if (!get(r, id) || !r.u32(limit) || !r.atEnd())
      return bad;
    auto list = ledger.history(id, std::min(limit, kMaxHistoryAnswer));
    if (!list)
      return list.error();
    w.u32(static_cast<std::uint32_t>(list->size()));
    for (const auto &record : *list) {
      w.u64(record.height);
      putBlob(w, record.tx.serialize());
    }
    break;
  }
  case LedgerOp::Inclusion: {
    Hash id{};
    if (!get(r, id) || !r.atEnd())
      return bad;
    auto height = ledger.inclusionHeight(id);
    if (!height)
      return height.error();
    w.u64(*height);
    break;
  }
  default: return fail(ErrorCode::InvalidInput, "an unknown ledger request");
  }
  return w.take();
}

Result<Hash> decodeHashAnswer(std::span<const std::uint8_t> answer) {
  ByteReader r(answer);
  Hash id{};
  if (!get(r, id) || !r.atEnd())
    return malformed();
  return id;
}

Result<AccountView> decodeAccountAnswer(std::span<const std::uint8_t> answer) {
  ByteReader r(answer);
  AccountView a;
  if (!r.u64(a.balance) || !r.u64(a.staked) || !r.u64(a.unbonding) || !r.u64(a.nextNonce) ||
      !r.atEnd())
    return malformed();
  return a;
}

Result<LedgerStatus> decodeStatusAnswer(std::span<const std::uint8_t> answer) {
  ByteReader r(answer);
  LedgerStatus s;
  Bytes chain;
  if (!getBlob(r, chain) || !r.u64(s.height) || !get(r, s.tip) || !get(r, s.stateHash) ||
      !get(r, s.params) || !r.u64(s.supply) || !r.u64(s.feePool) || !r.u64(s.pending) ||
      !r.u64(s.miners) || !r.u64(s.sessions) || !r.atEnd())
    return malformed();
  s.chainId.assign(chain.begin(), chain.end());
  return s;
}

Result<std::optional<SessionRecord>> decodeSessionAnswer(std::span<const std::uint8_t> answer) {
  ByteReader r(answer);
  std::uint8_t present = 0;
  if (!r.u8(present))
    return malformed();
  if (!present)
    return r.atEnd() ? Result<std::optional<SessionRecord>>(std::nullopt) : malformed();
  SessionRecord s;
  if (!get(r, s) || !r.atEnd())
    return malformed();
  return std::optional<SessionRecord>(s);
}

Result<std::vector<ProposalView>> decodeProposalsAnswer(std::span<const std::uint8_t> answer) {
  return decodeList<ProposalView>(answer, [](ByteReader &r, ProposalView &p) {
    Bytes change;
    std::uint32_t voters = 0;
    if (!get(r, p.id) || !getBlob(r, change) || !r.u64(p.record.endsAt) || !r.u64(p.record.yes) ||
        !r.u64(p.record.no) || !r.u32(voters) || voters > kMaxItems)
      return false;
    auto decoded = ParamChange::decode(change);
    if (!decoded)
      return false;
    p.record.change = *decoded;
    for (std::uint32_t i = 0; i < voters; ++i) {
      KeyHash voter{};
      if (!get(r, voter))
        return false;
      p.record.voters.insert(voter);
    }
    std::uint8_t decided = 0, passed = 0;
    if (!r.u8(decided) || !r.u8(passed))
      return false;
    p.record.decided = decided != 0;
    p.record.passed = passed != 0;
    return true;
  });
}

Result<std::vector<LedgerMiner>> decodeMinersAnswer(std::span<const std::uint8_t> answer) {
  return decodeList<LedgerMiner>(answer, [](ByteReader &r, LedgerMiner &m) {
    Bytes offer;
    if (!get(r, m.account) || !get(r, m.record.key) || !getBlob(r, offer) ||
        !r.u64(m.record.registeredAt) || !r.i64(m.record.reputation) || !r.u64(m.staked))
      return false;
    auto decoded = MinerOffer::decode(offer);
    if (!decoded)
      return false;
    m.record.offer = *decoded;
    return true;
  });
}

Result<std::vector<TxRecord>> decodeHistoryAnswer(std::span<const std::uint8_t> answer) {
  return decodeList<TxRecord>(answer, [](ByteReader &r, TxRecord &t) {
    Bytes tx;
    if (!r.u64(t.height) || !getBlob(r, tx))
      return false;
    auto parsed = Transaction::parse(tx);
    if (!parsed)
      return false;
    t.tx = std::move(*parsed);
    return true;
  });
}

Result<std::uint64_t> decodeHeightAnswer(std::span<const std::uint8_t> answer) {
  ByteReader r(answer);
  std::uint64_t height = 0;
  if (!r.u64(height) || !r.atEnd())
    return malformed();
  return height;
}

} // namespace nesa::ledger
