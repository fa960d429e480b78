#include "suites/linked_miners.h"

#include "miner/remote_miner.h"
#include "suites/or_die.h"

#include <optional>
#include <string>
#include <unistd.h>

namespace nesa::bench {

namespace fs = std::filesystem;

LinkedMiners::~LinkedMiners() {
  services.clear();
  std::error_code ec;
  fs::remove_all(dir, ec);
}

std::shared_ptr<LinkedMiners> startLinkedMiners(const net::Identity &client, int count,
                                                const char *suite, std::size_t maxBundleBytes) {
  auto out = std::make_shared<LinkedMiners>();
  out->dir = fs::temp_directory_path() /
             ("nesa-bench-links-" + std::string(suite) + "-" + std::to_string(::getpid()));
  for (int i = 0; i < count; ++i) {
    miner::MinerOptions options;
    options.dataDir = out->dir / ("miner-" + std::to_string(i));
    options.requirePayment = false;
    options.runClientPrograms = true; // this process's own programs
    options.maxBundleBytes = maxBundleBytes;
    out->services.push_back(orDie(miner::MinerService::start(options), suite, "miner service"));
  }
  using Compression = miner::RemoteMinerOptions::Compression;
  const auto engineOver = [&](const std::optional<net::LinkProfile> &profile,
                              Compression compression) {
    std::vector<std::shared_ptr<privacy::MinerEndpoint>> miners;
    for (const auto &service : out->services) {
      net::Endpoint at{"127.0.0.1", service->port()};
      if (profile) {
        out->links.push_back(orDie(net::LinkEmulator::start(at, *profile), suite, "link emulator"));
        at = out->links.back()->endpoint();
      }
      net::MinerRecord record;
      record.identity = service->identity();
      record.endpoint = at.text();
      miner::RemoteMinerOptions options;
      options.compression = compression;
      miners.push_back(std::make_shared<miner::RemoteMiner>(client, record, options));
    }
    return std::make_shared<privacy::Engine>(std::move(miners));
  };
  out->loopback = engineOver(std::nullopt, Compression::Auto); // none: 127.0.0.1
  out->lan = engineOver(net::LinkProfile::lan(), Compression::Always);
  out->wan = engineOver(net::LinkProfile::wan(), Compression::Always);
  out->wanUncompressed = engineOver(net::LinkProfile::wan(), Compression::Never);
  return out;
}

} // namespace nesa::bench
