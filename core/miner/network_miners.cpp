#include "miner/network_miners.h"

#include "miner/share_codec.h"
#include "node/remote_ledger.h"

#include <cstdlib>
#include <set>

namespace nesa::miner {

NetworkMiners::~NetworkMiners() {
  m_node.reset();
  if (m_devnet) {
    m_devnet->process.stop();
    m_devnet.reset();
  }
  if (!m_devnetDir.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(m_devnetDir, ec);
  }
}

Result<std::unique_ptr<NetworkMiners>> NetworkMiners::open(const net::Identity &client,
                                                           NetworkOptions options) {
  std::unique_ptr<NetworkMiners> self(new NetworkMiners());
  self->m_client = &client;
  self->m_options = std::move(options);
  net::Endpoint nodeAddress;
  if (self->m_options.node) {
    nodeAddress = *self->m_options.node;
  } else {
    if (self->m_options.onStatus)
      self->m_options.onStatus("starting a local network (1 node, " +
                               std::to_string(self->m_options.devnetMiners) + " miners)");
    std::string pattern = (std::filesystem::temp_directory_path() / "nesa-devnet-XXXXXX").string();
    if (!::mkdtemp(pattern.data()))
      return fail(ErrorCode::Io, "cannot create a folder for the local network");
    self->m_devnetDir = pattern;
    node::DevnetOptions devnet;
    devnet.miners = self->m_options.devnetMiners;
    devnet.minerThreads = self->m_options.minerThreads;
    devnet.dataDir = self->m_devnetDir;
    devnet.extraArguments = {"--log-level", "warn", "--block-ms", "200"};
    auto started = node::DevnetProcess::start(devnet);
    if (!started)
      return started.error();
    self->m_devnet = std::move(*started);
    nodeAddress = self->m_devnet->node;
  }
  auto connected = node::NodeClient::connect(nodeAddress, client);
  if (!connected)
    return connected.error().withContext("reaching the node");
  self->m_node = std::move(*connected);
  return self;
}

Result<std::vector<std::shared_ptr<privacy::MinerEndpoint>>>
NetworkMiners::minersFor(const model::LinearBundle &bundle, std::size_t needed) {
  const auto bytes = bundle.serialize();
  if (auto published = m_node->publishBundle(model::contentId(bytes), bytes); !published)
    return published.error();
  auto records = m_node->listMiners();
  if (!records)
    return records.error();
  if (records->size() < needed)
    return fail(ErrorCode::Unavailable, "the node offers " + std::to_string(records->size()) +
                                            " miners, " + std::to_string(needed) +
                                            " are needed for this many shares");
  std::vector<std::shared_ptr<privacy::MinerEndpoint>> miners;
  for (auto &record : *records) {
    auto miner = std::make_shared<RemoteMiner>(*m_client, std::move(record), m_options.remote);
    m_handedOut.push_back(miner);
    miners.push_back(std::move(miner));
  }
  return miners;
}

Result<ledger::Amount> NetworkMiners::finishPayments() {
  ledger::Amount total = 0;
  for (const auto &miner : m_handedOut) {
    if (auto paid = miner->finishPayments(); !paid)
      return paid.error();
    total += miner->verifiedAmount();
  }
  return total;
}

Result<void> NetworkMiners::reportEvidence(const privacy::Evidence &evidence,
                                           const ledger::KeyHash &reporter) {
  if (evidence.minerKey == std::array<std::uint8_t, 32>{})
    return fail(ErrorCode::InvalidInput, "the wrong answer was not signed by a remote miner");
  return m_node->reportEvidence(encodeReportEvidence(
      evidence.job, evidence.reply, evidence.minerKey, evidence.minerSignature, reporter));
}

int NetworkMiners::reportMissing(const std::vector<std::string> &missing) {
  int recorded = 0;
  std::set<std::string> reported;
  for (const auto &entry : missing)
    for (const auto &miner : m_handedOut)
      if (entry.rfind(miner->id() + ":", 0) == 0 && reported.insert(miner->id()).second &&
          entry.find("not signed") == std::string::npos) // a refusal is an answer, silence is not
        recorded += m_node->reportMissing(miner->record().identity).ok() ? 1 : 0;
  return recorded;
}

Result<std::shared_ptr<ledger::Ledger>> NetworkMiners::ledger() {
  if (!m_ledger) {
    auto chain = node::RemoteLedger::connect(m_node->endpoint(), *m_client);
    if (!chain)
      return chain.error();
    m_ledger = std::shared_ptr<ledger::Ledger>(std::move(*chain));
  }
  return m_ledger;
}

const net::Endpoint &NetworkMiners::node() const { return m_node->endpoint(); }

node::DevnetProcess *NetworkMiners::devnet() { return m_devnet ? &*m_devnet : nullptr; }

} // namespace nesa::miner
