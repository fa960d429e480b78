// Judging a client's report that a miner answered a share job wrongly: the miner's signature
// must cover the answer, other miners recompute the job, and when they agree with each other and
// not with the accused, the node (the chain's arbiter) submits a Slash transaction.
#pragma once

#include "ledger/ledger.h"
#include "net/identity.h"
#include "net/messages.h"

#include <functional>
#include <memory>

namespace nesa::node {

/// The node's judge. Thread-safe (each judgement uses its own connections).
class Arbiter {
public:
  /// `identity` is the chain's arbiter key (it signs Slash transactions) and must outlive this;
  /// `miners` lists who can recompute.
  Arbiter(const net::Identity &identity, std::shared_ptr<ledger::Ledger> ledger,
          std::function<std::vector<net::MinerRecord>()> miners);

  /// Judges a ReportEvidence frame; returns the Slash transaction's id when the accused was
  /// wrong, or why no slash follows (unsigned, not wrong, nobody to recompute, ...).
  Result<ledger::Hash> judge(std::span<const std::uint8_t> report);
  /// Checks a report that `miner` did not answer: the arbiter tries it itself, and when it does
  /// not answer either, records the missed deadline on the ledger (lowering its reputation).
  Result<ledger::Hash> probe(const net::PublicKey &miner);

private:
  const net::Identity &m_identity;
  std::shared_ptr<ledger::Ledger> m_ledger;
  std::function<std::vector<net::MinerRecord>()> m_miners;
};

} // namespace nesa::node
