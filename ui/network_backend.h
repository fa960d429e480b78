// The network page's view of the product: the node this app talks to and the miners it lists,
// with what each asks, stakes and has done. The app implements it with `nesa node status
// --json` (app/process_network_backend.h); tests with fakes. Every call may block.
#pragma once

#include <QString>

#include <cstdint>
#include <vector>

namespace nesa::ui {

/// One miner as the node lists it.
struct NetworkMiner {
  QString identity;               ///< hex public key
  QString endpoint;               ///< host:port
  QString backend;                ///< "cpu (4 threads)", "cuda"
  std::int64_t pricePerQuery = 0; ///< µNES per job
  std::int64_t pricePerByte = 0;  ///< µNES per payload byte
  std::int64_t jobsServed = 0;    ///< as its heartbeat reports
  bool onLedger = false;          ///< registered and staked on the node's ledger
  std::int64_t staked = 0;        ///< µNES, when onLedger
  std::int64_t reputation = 0;    ///< −1000..1000, when onLedger
  double latencyMs = -1;          ///< a status round trip from here; −1: no answer
  double secondsSinceSeen = 0;    ///< since its last heartbeat
};

/// The node and its miners.
struct NodeStatus {
  QString node;     ///< host:port
  QString identity; ///< the node's public key
  int available = 0, registered = 0;
  std::vector<NetworkMiner> miners; ///< the available ones
  QString error;                    ///< why there is no status ("no local node is running")
};

/// The product behind the network page.
class NetworkBackend {
public:
  virtual ~NetworkBackend() = default;
  virtual NodeStatus status() = 0;
};

} // namespace nesa::ui
