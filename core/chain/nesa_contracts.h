// The Nesa contracts on one chain: where they are (a deployment file), deploying them all to a
// fresh chain, and attaching to them by address with their ABIs.
#pragma once

#include "chain/contract.h"

#include <filesystem>

namespace nesa::chain {

/// Where the contracts of one network live.
struct Deployment {
  std::uint64_t chainId = 0;
  Address token{}, parameters{}, registry{}, sessions{}, disputes{}, timelock{}, governor{};
  /// No event of the contracts is older than this block: where log searches start (0 in
  /// deployment files written before it was recorded).
  std::uint64_t deploymentBlock = 0;

  /// Reads a deployment file (JSON: chainId and one 0x address per contract).
  static Result<Deployment> load(const std::filesystem::path &file);
  /// Writes it (atomically).
  Result<void> save(const std::filesystem::path &file) const;
};

/// Settings of a fresh deployment.
struct DeployOptions {
  Address holder{};                             ///< receives the whole $NES supply
  U256 supply = U256(1'000'000'000'000'000ULL); ///< µNES: one billion NES
  std::uint64_t votingDelay = 60;               ///< seconds before a proposal's vote opens
  std::uint64_t votingPeriod = 86'400;          ///< seconds of voting (at most 2 days)
  std::uint64_t timelockDelay = 3'600; ///< seconds between a vote passing and its execution
  std::uint64_t proposalThreshold = 0; ///< µNES of votes needed to propose
};

/// The deployed contracts, ready to call.
struct NesaContracts {
  Contract token, parameters, registry, sessions, disputes, timelock, governor;

  /// Attaches to `deployment` with the artifacts in `artifactDir`.
  static Result<NesaContracts> attach(const Deployment &deployment,
                                      const std::filesystem::path &artifactDir);
};

/// Deploys every contract from `sender`, links them, makes the timelock own the parameters and
/// the governor its only proposer, and gives up the deployer's admin role.
Result<Deployment> deployNesa(Transactor &sender, const std::filesystem::path &artifactDir,
                              const DeployOptions &options);

} // namespace nesa::chain
