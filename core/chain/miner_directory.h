// The miners of a network as the MinerRegistry contract lists them — what a client reads to pick
// and reach miners (pinning the wire key published there) — and a miner publishing itself there.
#pragma once

#include "chain/nesa_contracts.h"

#include <array>
#include <string>
#include <vector>

namespace nesa::chain {

/// What a miner publishes about itself.
struct MinerListing {
  std::string endpoint;                   ///< "host:port" of its share-job server
  std::array<std::uint8_t, 32> wireKey{}; ///< its Ed25519 wire identity
  std::uint64_t pricePerJob = 0;          ///< µNES, the fixed part of a share job
  std::uint64_t pricePerMiB = 0;          ///< µNES per MiB of share data
  std::string backend;                    ///< "cpu (2 threads)", "cuda (…)"
};

/// A registered miner.
struct ListedMiner {
  Address account{};
  MinerListing listing;
  U256 stake;                  ///< staked now (unbonding stake not counted)
  std::int64_t reputation = 0; ///< verified jobs served minus penalties
};

/// Every miner registered on `contracts.registry` now.
Result<std::vector<ListedMiner>> listMiners(RpcClient &rpc, const NesaContracts &contracts);

/// What publishing did.
struct Publication {
  U256 staked;          ///< µNES staked by this call (0 when the stake already sufficed)
  bool changed = false; ///< a register transaction was sent (the record was missing or differed)
};

/// Stakes up to the registry's minimum from the account's $NES when it has less staked, then
/// registers `listing` unless the registry already holds exactly it. Too little $NES or gas is
/// an error naming the account and what it needs.
Result<Publication> publishMiner(Transactor &sender, const NesaContracts &contracts,
                                 const MinerListing &listing);

} // namespace nesa::chain
