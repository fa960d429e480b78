// A miner's duties as a juror of an EVM network: it checks a dispute it is asked to judge against
// the chain (drawn for it, still in its commit phase, the very job and answer reported), keeps its
// verdict and a fresh salt on disk before anything is sent, commits the vote, reveals it once the
// commit phase is over and finalizes the dispute after the reveal deadline.
#pragma once

#include "chain/chain_access.h"
#include "chain/dispute_client.h"

#include <map>
#include <mutex>

namespace nesa::miner {

/// The votes of one juror. Thread-safe.
class JurorDuties {
public:
  /// `self`: the miner's account; `store`: where its votes are kept (empty: memory only).
  JurorDuties(chain::ChainConnection &chain, const chain::Address &self,
              std::filesystem::path store = {});

  /// Reads the votes a previous run kept; a damaged store is a Corrupt error.
  Result<std::size_t> load();

  /// The dispute `id`, when this miner sits on its jury, the commit phase is still open and
  /// `job` and `result` are the digests it was reported with (`result` zero for a missed
  /// deadline); otherwise why not.
  Result<chain::DisputeState> check(std::uint64_t id, const chain::Hash32 &job,
                                    const chain::Hash32 &result);
  /// Records the verdict on dispute `id` with a fresh salt (on disk first); advance() commits it.
  Result<void> record(std::uint64_t id, bool guilty);
  /// Commits recorded votes, reveals committed ones once their commit phase is over, finalizes
  /// disputes whose reveal phase is over and forgets them. The first failure is returned after
  /// every vote was tried.
  Result<void> advance(chain::Transactor &sender);
  /// Votes not yet finished (recorded, committed or revealed).
  std::size_t pending() const;

private:
  enum class Stage { Recorded, Committed, Revealed };
  struct Vote {
    bool guilty = false;
    chain::Hash32 salt{};
    Stage stage = Stage::Recorded;
  };
  Result<void> save() const;
  /// True when dispute `id` is finalized on chain (by another juror, after ours failed).
  bool finalizedMeanwhile(std::uint64_t id);

  chain::ChainConnection &m_chain;
  chain::Address m_self{};
  std::filesystem::path m_store;
  bool m_storeDamaged = false;
  mutable std::mutex m_mutex;
  std::map<std::uint64_t, Vote> m_votes;
};

} // namespace nesa::miner
