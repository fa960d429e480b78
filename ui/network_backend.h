// The network page's view of the product: the EVM network this app uses and the miners its
// MinerRegistry contract lists, with what each asks, stakes and has done. The app implements it
// with `nesa chain status --json` (app/desktop/process_network_backend.h); tests with fakes.
// Every call may block.
#pragma once

#include <QString>

#include <cstdint>
#include <vector>

namespace nesa::ui {

/// One miner as the registry lists it.
struct NetworkMiner {
  QString identity;               ///< its account, "0x…"
  QString endpoint;               ///< host:port of its share-job server
  QString backend;                ///< "cpu (4 threads)", "cuda"
  std::int64_t pricePerQuery = 0; ///< µNES per job
  std::int64_t pricePerMiB = 0;   ///< µNES per MiB of share data
  std::int64_t jobsServed = 0;    ///< as the miner itself says (0 when it does not answer)
  std::int64_t staked = 0;        ///< µNES staked on the registry
  std::int64_t reputation = 0;    ///< paid work minus proven faults, on the registry
  double latencyMs = -1;          ///< a status round trip from here; −1: no answer
};

/// The network and its miners.
struct NodeStatus {
  QString node;                      ///< the chain node's JSON-RPC ("http://127.0.0.1:8545")
  QString identity;                  ///< which network: "chain 4242, registry 0x…"
  int available = 0, registered = 0; ///< answering now, listed on the registry
  std::vector<NetworkMiner> miners;  ///< the listed ones
  QString error;                     ///< why there is no status ("no local EVM network…")
};

/// The product behind the network page.
class NetworkBackend {
public:
  virtual ~NetworkBackend() = default;
  virtual NodeStatus status() = 0;
};

} // namespace nesa::ui
