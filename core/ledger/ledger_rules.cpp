// What each kind of transaction requires and does (LedgerState::checkKind / applyKind).
#include "ledger/ledger_state.h"

#include <sodium.h>

namespace nesa::ledger {
namespace {

Error no(const std::string &why) { return fail(ErrorCode::InvalidInput, why); }

} // namespace

Result<void> LedgerState::checkKind(const Transaction &tx, const AccountState &sender,
                                    Amount charges, std::uint64_t height) const {
  const KeyHash senderId = keyHashOf(tx.sender);
  // Slashes and timeout reports come from the arbiter the genesis names (none: nobody).
  const bool fromArbiter = m_genesis.arbiter != PublicKey{} && tx.sender == m_genesis.arbiter;
  switch (tx.kind) {
  case TxKind::Transfer:
    if (tx.amount == 0)
      return no("a transfer moves a positive amount");
    if (sender.balance < charges + tx.amount)
      return no("the balance does not cover the amount and the fee");
    return {};
  case TxKind::Stake:
    if (sender.balance < charges + tx.amount)
      return no("the balance does not cover the amount and the fee");
    if (sender.staked + tx.amount < m_params.minStake)
      return no("stake must reach at least " + std::to_string(m_params.minStake));
    return {};
  case TxKind::Unstake:
    if (tx.amount == 0 || tx.amount > sender.staked)
      return no("cannot unstake more than is staked");
    return {};
  case TxKind::RegisterMiner: {
    auto offer = MinerOffer::decode(tx.payload);
    if (!offer || offer->endpoint.empty())
      return no("a miner registration needs an endpoint and prices");
    if (sender.staked < m_params.minStake)
      return no("a miner must stake at least " + std::to_string(m_params.minStake) + " first");
    return {};
  }
  case TxKind::OpenSession: {
    auto terms = SessionTerms::decode(tx.payload);
    if (!terms || terms->durationBlocks == 0 || terms->durationBlocks > m_params.maxSessionBlocks)
      return no("a session lasts between 1 and " + std::to_string(m_params.maxSessionBlocks) +
                " blocks");
    if (!m_miners.count(tx.to))
      return no("the session's miner is not registered");
    if (tx.amount == 0 || sender.balance < charges + tx.amount)
      return no("the balance does not cover the deposit and the fee");
    return {};
  }
  case TxKind::Settle: {
    auto receipt = Receipt::decode(tx.payload);
    if (!receipt)
      return no("a settlement carries one receipt");
    auto it = m_sessions.find(receipt->session);
    if (it == m_sessions.end())
      return no("no such session (closed, or never opened)");
    const SessionRecord &session = it->second;
    if (session.miner != senderId)
      return no("only the session's miner can settle it");
    if (height > session.expiry)
      return no("the session expired at block " + std::to_string(session.expiry));
    if (receipt->cumulative <= session.paid)
      return no("this receipt is not newer than the last one settled");
    if (receipt->cumulative > session.deposit)
      return no("the receipt claims more than the session's deposit");
    const auto bytes =
        Receipt::signedBytes(m_genesis.chainId, receipt->session, receipt->cumulative);
    if (crypto_sign_verify_detached(receipt->clientSignature.data(), bytes.data(), bytes.size(),
                                    session.client.data()) != 0)
      return no("the receipt is not signed by the session's client");
    return {};
  }
  case TxKind::CloseSession: {
    auto id = decodeSessionId(tx.payload);
    auto it = id ? m_sessions.find(*id) : m_sessions.end();
    if (it == m_sessions.end())
      return no("no such session");
    if (it->second.client != tx.sender)
      return no("only the session's client can close it");
    if (height <= it->second.expiry)
      return no("the session runs until block " + std::to_string(it->second.expiry) +
                "; the miner may still settle until then");
    return {};
  }
  case TxKind::Propose: {
    auto change = ParamChange::decode(tx.payload);
    if (!change)
      return no("a proposal names a parameter and a value");
    if (sender.staked == 0)
      return no("only stakers can propose");
    const bool sane = change->param == ParamId::UnbondingBlocks
                          ? change->value >= 1 && change->value <= 1'000'000
                          : change->value <= 1'000'000'000'000ULL;
    if (!sane)
      return no("the proposed value is out of range");
    return {};
  }
  case TxKind::Vote: {
    auto ballot = Ballot::decode(tx.payload);
    if (!ballot)
      return no("a vote names a proposal and yes or no");
    auto it = m_proposals.find(ballot->proposal);
    if (it == m_proposals.end())
      return no("no such proposal");
    if (it->second.decided || height > it->second.endsAt)
      return no("the vote on this proposal is over");
    if (it->second.voters.count(senderId))
      return no("this account already voted on this proposal");
    if (sender.staked == 0)
      return no("only stakers can vote");
    return {};
  }
  case TxKind::ReportTimeout: {
    if (!fromArbiter)
      return no("only the chain's arbiter can report a missed deadline");
    if (tx.payload.size() != 32)
      return no("a timeout report names one miner key");
    PublicKey key{};
    std::copy(tx.payload.begin(), tx.payload.end(), key.begin());
    if (!m_miners.count(keyHashOf(key)))
      return no("no such registered miner");
    return {};
  }
  case TxKind::Slash: {
    auto evidence = SlashEvidence::decode(tx.payload);
    if (!evidence)
      return no("a slash carries one piece of evidence");
    if (!fromArbiter)
      return no("only the chain's arbiter can slash");
    const auto miner = m_accounts.find(keyHashOf(evidence->minerKey));
    if (miner == m_accounts.end() || miner->second.staked == 0)
      return no("the accused has no stake");
    if (m_usedEvidence.count(evidence->id()))
      return no("this evidence was already punished");
    const auto bytes = SlashEvidence::signedBytes(evidence->jobDigest, evidence->resultDigest);
    if (crypto_sign_verify_detached(evidence->minerSignature.data(), bytes.data(), bytes.size(),
                                    evidence->minerKey.data()) != 0)
      return no("the evidence is not signed by the accused miner");
    return {};
  }
  }
  return no("unknown transaction kind");
}

void LedgerState::applyKind(const Transaction &tx, AccountState &sender, std::uint64_t height) {
  const KeyHash senderId = keyHashOf(tx.sender);
  switch (tx.kind) {
  case TxKind::Transfer:
    sender.balance -= tx.amount;
    m_accounts[tx.to].balance += tx.amount;
    break;
  case TxKind::Stake:
    sender.balance -= tx.amount;
    sender.staked += tx.amount;
    break;
  case TxKind::Unstake:
    sender.staked -= tx.amount;
    sender.unbonding.emplace_back(height + m_params.unbondingBlocks, tx.amount);
    if (sender.staked < m_params.minStake)
      m_miners.erase(senderId); // too little stake left to keep serving
    break;
  case TxKind::RegisterMiner:
    m_miners[senderId] = MinerRecord{tx.sender, *MinerOffer::decode(tx.payload), height};
    break;
  case TxKind::OpenSession:
    sender.balance -= tx.amount;
    m_sessions[tx.id()] = SessionRecord{tx.sender, tx.to, tx.amount, 0,
                                        height + SessionTerms::decode(tx.payload)->durationBlocks};
    break;
  case TxKind::Settle: {
    const auto receipt = *Receipt::decode(tx.payload);
    auto &session = m_sessions.at(receipt.session);
    sender.balance += receipt.cumulative - session.paid;
    session.paid = receipt.cumulative;
    adjustReputation(senderId, +1); // verified work, paid for
    break;
  }
  case TxKind::CloseSession: {
    const auto id = *decodeSessionId(tx.payload);
    const auto &session = m_sessions.at(id);
    sender.balance += session.deposit - session.paid;
    m_sessions.erase(id);
    break;
  }
  case TxKind::Propose:
    m_proposals[tx.id()] = ProposalRecord{
        *ParamChange::decode(tx.payload), height + m_params.votingBlocks, 0, 0, {}, false, false};
    break;
  case TxKind::Vote: {
    const auto ballot = *Ballot::decode(tx.payload);
    auto &proposal = m_proposals.at(ballot.proposal);
    (ballot.yes ? proposal.yes : proposal.no) += sender.staked;
    proposal.voters.insert(senderId);
    break;
  }
  case TxKind::ReportTimeout: {
    PublicKey key{};
    std::copy(tx.payload.begin(), tx.payload.end(), key.begin());
    adjustReputation(keyHashOf(key), -10);
    break;
  }
  case TxKind::Slash: {
    const auto evidence = *SlashEvidence::decode(tx.payload);
    const KeyHash minerId = keyHashOf(evidence.minerKey);
    auto &miner = m_accounts[minerId];
    const Amount amount = std::max<Amount>(1, miner.staked * m_params.slashPercent / 100);
    const Amount taken = std::min(amount, miner.staked);
    miner.staked -= taken;
    m_accounts[evidence.reporter].balance += taken / 2;
    m_burnt += taken - taken / 2;
    m_usedEvidence.insert(evidence.id());
    adjustReputation(minerId, -100);
    if (miner.staked < m_params.minStake)
      m_miners.erase(minerId); // too little stake left to keep serving
    break;
  }
  }
}

} // namespace nesa::ledger
