// The chain a node runs: its genesis (kept beside it so every restart replays the same chain),
// the devnet's publicly known demo account, and opening the embedded ledger.
#pragma once

#include "ledger/local_ledger.h"
#include "wallet/hd_keys.h"

#include <filesystem>
#include <memory>

namespace nesa::node {

/// The devnet's demo wallet: a recovery phrase everybody knows (the BIP39 test phrase), so it is
/// for the local devnet only. `nesa wallet restore` with it gives its funds to play with.
inline constexpr const char *kDevnetDemoPhrase =
    "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon "
    "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon "
    "abandon art";

/// Micro-NES the devnet genesis gives the demo account and each local miner.
inline constexpr ledger::Amount kDemoFunds = 1'000'000'000'000; // 1 000 000 NES
inline constexpr ledger::Amount kMinerFunds = 1'000'000'000;    // 1 000 NES

/// Account 0 of the demo phrase.
Result<wallet::KeyPair> devnetDemoKey();

/// A devnet genesis: the demo account and `miners` funded, `arbiter` (the node) judging.
Result<ledger::Genesis> devnetGenesis(const std::vector<ledger::PublicKey> &miners,
                                      const ledger::PublicKey &arbiter);

/// Opens the node's chain in `dir` (chain.db, its key and genesis.bin), creating it from
/// `genesis` the first time; later opens use the stored genesis and ignore `genesis`.
Result<std::shared_ptr<ledger::LocalLedger>> openNodeChain(const std::filesystem::path &dir,
                                                           const ledger::Genesis &genesis,
                                                           std::chrono::milliseconds blockInterval);

} // namespace nesa::node
