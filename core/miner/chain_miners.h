// Where a client's miners come from on an EVM network: the MinerRegistry contract of a network it
// is pointed at, or, with none, a local devnet started for the occasion (anvil, the contracts,
// and miner processes that stake and register there). Hands the engine RemoteMiners that pin the
// wire key published on chain, upload the model's bundle and pay through PaymentSessions.
#pragma once

#include "chain/devnet.h"
#include "chain/local_miners.h"
#include "chain/session_payer.h"
#include "miner/remote_miner.h"
#include "model/linear_bundle.h"
#include "privacy/engine.h"
#include "util/child_process.h"

#include <functional>
#include <memory>
#include <optional>

namespace nesa::miner {

/// How to reach an EVM network's miners.
struct ChainNetworkOptions {
  std::optional<chain::ChainAccess> chain; ///< none: start a local devnet for this run
  int devnetMiners = 3;                    ///< miner processes of a local devnet
  int minerThreads = 0;
  RemoteMinerOptions remote;
  chain::SessionPayer::Terms terms;
  /// Where the paying account's unmined transactions are journaled (a local devnet keeps its
  /// own in its folder); empty: memory only.
  std::filesystem::path payerJournal;
  /// Where the newest receipt signed for each miner is kept, so that a later run continues the
  /// cumulative amounts of the same sessions; empty: memory only (a local devnet keeps it in its
  /// folder).
  std::filesystem::path payerReceipts;
  std::function<void(const std::string &)> onStatus; ///< "starting a local network…"
  /// The dearest miner a run uses: the registry is open to anyone, and a client pays what a
  /// miner lists (µNES per job; per MiB of share data).
  std::uint64_t maxPricePerJob = 1'000;
  std::uint64_t maxPricePerMiB = 100'000;
  std::filesystem::path minerProgram = executableDir() / "nesa-miner";
  std::chrono::milliseconds readyTimeout{90'000};
};

/// A wrong answer or a missed deadline reported on chain.
struct ChainReport {
  std::uint64_t dispute = 0; ///< its id on the Disputes contract
  chain::Address accused{};
  chain::DisputeState state;         ///< as drawn (finalized at once when too few jurors were free)
  int jurorsAsked = 0;               ///< jurors that took the job to recompute
  std::vector<std::string> problems; ///< jurors that could not be reached, and why
};

/// The client's connection to an EVM network for one run. A local devnet is stopped (miners
/// first, so that they settle, then the chain) and its folder removed when this object goes.
class ChainMiners {
public:
  /// `client` (the wire identity) must outlive this object; `payer` pays the miners (on a local
  /// devnet it must be the demo account, which the devnet funds).
  static Result<std::unique_ptr<ChainMiners>>
  open(const net::Identity &client, chain::AccountKey payer, ChainNetworkOptions options);
  ~ChainMiners();
  ChainMiners(const ChainMiners &) = delete;
  ChainMiners &operator=(const ChainMiners &) = delete;

  /// The registered miners, at least `needed`, as engine endpoints that upload `bundle` when
  /// they lack it.
  Result<std::vector<std::shared_ptr<privacy::MinerEndpoint>>>
  minersFor(const model::LinearBundle &bundle, std::size_t needed);
  /// Sends each miner the receipt for its verified answers; returns the µNES owed in total.
  Result<std::uint64_t> finishPayments();
  /// Reports the wrong answer of `evidence` (RunReport::failures) on the Disputes contract from
  /// the paying account (which posts the bond), with the call's other miners kept off the jury,
  /// draws the jury and sends each juror the job (and `bundle`) to recompute. The jurors commit,
  /// reveal and finalize on their own; the verdict comes after the contract's two phases.
  Result<ChainReport> reportWrongAnswer(const privacy::Evidence &evidence,
                                        const model::LinearBundle &bundle);
  /// Reports that the miner of `missed` (RunReport::missed) took its job and did not answer, the
  /// same way: the jurors ask the accused for the job again and vote guilty when it does not
  /// answer them in time, or answers wrongly.
  Result<ChainReport> reportTimeout(const privacy::MissedAnswer &missed,
                                    const model::LinearBundle &bundle);
  /// Every signed answer of the call `call` (who served a share of it).
  std::vector<chain::SignedAnswer> answersOf(const privacy::Seed &call) const {
    return m_answers->of(call);
  }
  /// Stops a local devnet's miners, which settle their receipts as they stop (no-op on another
  /// network, whose miners settle when they like).
  void stopLocalMiners();
  /// µNES the chain shows settled in this payer's sessions with the miners handed out.
  Result<chain::U256> settledOnChain();
  /// µNES this run locked in session deposits.
  chain::U256 deposited() const { return m_payer->deposited(); }

  chain::ChainConnection &chain() { return *m_chain; }
  const chain::Address &payer() const { return m_payer->address(); }
  /// True when this object started the network.
  bool isLocalDevnet() const { return m_devnet.has_value(); }

private:
  ChainMiners() = default;
  /// Starts anvil, deploys, funds and starts the miners, and waits for them on the registry.
  Result<void> startDevnet(const chain::Address &payer);
  /// The signed answers of every miner of `call` but the accused, to keep them off the jury;
  /// refused when another miner of the call is silent (it could be drawn).
  Result<std::vector<chain::SignedAnswer>> otherMinersOf(const privacy::Seed &call,
                                                         const chain::Address &accused,
                                                         const std::string &accusedName) const;
  /// Draws dispute `id`'s jury and sends each juror `job` (and `bundle`) with the accused's
  /// `answer` (none for a missed deadline).
  Result<ChainReport> summonJury(std::uint64_t id, const chain::Address &accused,
                                 const privacy::ShareJob &job, const model::TensorData *answer,
                                 const model::LinearBundle &bundle);

  const net::Identity *m_client = nullptr;
  ChainNetworkOptions m_options;
  std::filesystem::path m_devnetDir;
  std::optional<chain::Devnet> m_devnet;
  std::vector<chain::LocalMiner> m_localMiners;
  std::unique_ptr<chain::ChainConnection> m_chain;
  std::shared_ptr<chain::SessionPayer> m_payer;
  std::shared_ptr<CallAnswers> m_answers = std::make_shared<CallAnswers>();
  std::vector<std::shared_ptr<RemoteMiner>> m_handedOut;
};

} // namespace nesa::miner
