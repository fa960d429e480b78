// Miner services of the benchmark's own process, reached over the real wire directly (loopback)
// and through emulated LAN and WAN links (net::LinkEmulator): what distance alone costs a query.
#pragma once

#include "miner/miner_service.h"
#include "net/identity.h"
#include "net/link_emulator.h"
#include "privacy/engine.h"

#include <filesystem>
#include <memory>
#include <vector>

namespace nesa::bench {

/// Unpaid miner services (no network pays here: distance is what is measured) and an engine
/// per distance, all over the same services. The LAN and WAN engines treat their miners as the
/// distant machines they stand for: float32 activations travel compressed, as they would to a
/// miner on another computer; `wanUncompressed` is the WAN without that.
struct LinkedMiners {
  std::filesystem::path dir;
  std::vector<std::unique_ptr<miner::MinerService>> services;
  std::vector<std::unique_ptr<net::LinkEmulator>> links;
  std::shared_ptr<privacy::Engine> loopback, lan, wan, wanUncompressed;
  ~LinkedMiners();
};

/// Starts `count` miner services and the links to them; exits with a message naming `suite`
/// when a step fails. Each service keeps up to `maxBundleBytes` of bundles (nobody pays these
/// miners, so every client counts as paying).
std::shared_ptr<LinkedMiners>
startLinkedMiners(const net::Identity &client, int count, const char *suite,
                  std::size_t maxBundleBytes = miner::MinerOptions{}.maxBundleBytes);

} // namespace nesa::bench
