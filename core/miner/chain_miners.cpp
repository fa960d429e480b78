#include "miner/chain_miners.h"

#include "chain/local_miners.h"
#include "chain/miner_directory.h"
#include "miner/share_codec.h"

#include <algorithm>
#include <cstdlib>
#include <set>

namespace nesa::miner {

namespace fs = std::filesystem;
using V = chain::abi::Value;

ChainMiners::~ChainMiners() {
  m_handedOut.clear();
  m_options.remote.chainPayer.reset(); // the payer refers to m_chain, which goes first
  m_payer.reset();
  stopLocalMiners();
  if (m_devnet)
    m_devnet->stop();
  if (!m_devnetDir.empty()) {
    std::error_code ec;
    fs::remove_all(m_devnetDir, ec);
  }
}

Result<std::unique_ptr<ChainMiners>> ChainMiners::open(const net::Identity &client,
                                                       chain::AccountKey payer,
                                                       ChainNetworkOptions options) {
  std::unique_ptr<ChainMiners> self(new ChainMiners());
  self->m_client = &client;
  self->m_options = std::move(options);
  if (!self->m_options.chain)
    if (auto started = self->startDevnet(payer.address()); !started)
      return started.error();
  if (!self->m_chain) {
    auto connected = chain::ChainConnection::open(*self->m_options.chain);
    if (!connected)
      return connected.error();
    self->m_chain = std::move(*connected);
  }
  fs::path journal = self->m_options.payerJournal, receipts = self->m_options.payerReceipts;
  if (self->m_devnet) {
    journal = self->m_devnetDir / "payer-journal.json";
    receipts = self->m_devnetDir / "payer-receipts.json";
  }
  self->m_payer = std::make_shared<chain::SessionPayer>(*self->m_chain, std::move(payer),
                                                        self->m_options.terms, journal, receipts);
  if (auto loaded = self->m_payer->loadReceipts(); !loaded)
    return loaded.error();
  self->m_options.remote.chainPayer = self->m_payer;
  self->m_options.remote.answers = self->m_answers;
  return self;
}

Result<void> ChainMiners::startDevnet(const chain::Address &payer) {
  const int count = m_options.devnetMiners;
  if (m_options.onStatus)
    m_options.onStatus("starting a local EVM network (anvil, the Nesa contracts, " +
                       std::to_string(count) + " miners)");
  std::string pattern = (fs::temp_directory_path() / "nesa-chain-XXXXXX").string();
  if (!::mkdtemp(pattern.data()))
    return fail(ErrorCode::Io, "cannot create a folder for the local network");
  m_devnetDir = pattern;
  chain::DevnetOptions devnet;
  devnet.dataDir = m_devnetDir;
  devnet.demoAccount = payer;
  auto started = chain::Devnet::start(devnet);
  if (!started)
    return started.error().withContext("starting the local EVM network");
  m_devnet.emplace(std::move(*started));
  chain::ChainAccess access;
  access.rpc = m_devnet->endpoint();
  access.chainId = m_devnet->deployment().chainId;
  access.deployment = m_devnetDir / "chain" / "deployment.json";
  auto connected = chain::ChainConnection::open(access);
  if (!connected)
    return connected.error();
  m_chain = std::move(*connected);
  m_options.chain = access;

  chain::LocalMinerOptions miners;
  miners.count = count;
  miners.threads = m_options.minerThreads;
  miners.parentDir = m_devnetDir;
  miners.program = m_options.minerProgram;
  miners.extraArguments = {"--log-level", "warn"};
  miners.readyTimeout = m_options.readyTimeout;
  auto local = chain::startLocalMiners(*m_devnet, access.deployment, miners);
  if (!local)
    return local.error();
  m_localMiners = std::move(*local);
  return {};
}

Result<std::vector<std::shared_ptr<privacy::MinerEndpoint>>>
ChainMiners::minersFor(const model::LinearBundle &, std::size_t needed) {
  auto listed = chain::listMiners(m_chain->rpc(), m_chain->contracts());
  if (!listed)
    return listed.error();
  const auto affordable = [this](const chain::ListedMiner &m) {
    return m.listing.pricePerJob <= m_options.maxPricePerJob &&
           m.listing.pricePerMiB <= m_options.maxPricePerMiB;
  };
  const auto usable =
      static_cast<std::size_t>(std::count_if(listed->begin(), listed->end(), affordable));
  if (usable < needed)
    return fail(ErrorCode::Unavailable, "chain " + std::to_string(m_chain->chainId()) + " lists " +
                                            std::to_string(listed->size()) + " miners, " +
                                            std::to_string(usable) + " asking at most " +
                                            std::to_string(m_options.maxPricePerJob) +
                                            " µNES per job; " + std::to_string(needed) +
                                            " are needed for this many shares");
  std::vector<std::shared_ptr<privacy::MinerEndpoint>> miners;
  for (const auto &entry : *listed) {
    if (!affordable(entry))
      continue;
    net::MinerRecord record;
    record.identity = entry.listing.wireKey; // pinned: the handshake must prove this key
    record.endpoint = entry.listing.endpoint;
    record.backend = entry.listing.backend;
    record.pricePerJob = entry.listing.pricePerJob;
    record.pricePerByte = entry.listing.pricePerMiB >> 20;
    auto miner = std::make_shared<RemoteMiner>(*m_client, std::move(record), m_options.remote);
    miner->setChainAccount(entry.account);
    m_handedOut.push_back(miner);
    miners.push_back(std::move(miner));
  }
  return miners;
}

Result<ChainReport> ChainMiners::reportWrongAnswer(const privacy::Evidence &evidence,
                                                   const model::LinearBundle &bundle) {
  if (evidence.job.wholeProgram)
    return fail(ErrorCode::Unavailable,
                "a wrong answer to a whole program cannot be disputed yet (a jury would have to "
                "replay the program); the miner was not trusted again in this run");
  const auto answers = m_answers->of(evidence.job.call);
  const chain::Hash32 job = jobDigestOf(evidence.job), result = resultDigestOf(evidence.reply);
  const auto accused = std::find_if(answers.begin(), answers.end(), [&](const auto &a) {
    return a.job == job && a.result == result;
  });
  if (accused == answers.end())
    return fail(ErrorCode::InvalidInput,
                "the wrong answer of " + evidence.miner + " was not signed on chain");
  auto others = otherMinersOf(evidence.job.call, accused->miner, evidence.miner);
  if (!others)
    return others.error();
  const chain::NesaContracts &c = m_chain->contracts();
  auto id = m_payer->withSender([&](chain::Transactor &sender) {
    return chain::fileWrongAnswer(sender, c, evidence.job.call, *accused, *others);
  });
  if (!id)
    return id.error();
  return summonJury(*id, accused->miner, evidence.job, &evidence.reply, bundle);
}

Result<ChainReport> ChainMiners::reportTimeout(const privacy::MissedAnswer &missed,
                                               const model::LinearBundle &bundle) {
  const auto miner = std::find_if(m_handedOut.begin(), m_handedOut.end(),
                                  [&](const auto &m) { return m->id() == missed.miner; });
  if (miner == m_handedOut.end() || !(*miner)->chainAccount())
    return fail(ErrorCode::InvalidInput, missed.miner + " is not a miner of this network");
  const chain::Address accused = *(*miner)->chainAccount();
  auto others = otherMinersOf(missed.job.call, accused, missed.miner);
  if (!others)
    return others.error();
  const chain::NesaContracts &c = m_chain->contracts();
  auto id = m_payer->withSender([&](chain::Transactor &sender) {
    return chain::fileTimeout(sender, c, missed.job.call, accused, jobDigestOf(missed.job),
                              *others);
  });
  if (!id)
    return id.error();
  return summonJury(*id, accused, missed.job, nullptr, bundle);
}

Result<std::vector<chain::SignedAnswer>>
ChainMiners::otherMinersOf(const privacy::Seed &call, const chain::Address &accused,
                           const std::string &accusedName) const {
  // A miner that got a share of this call and never answered cannot be proven to be of the
  // call, so the contract could draw it as a juror and hand it the accused's share: no report
  // then. (The accused of a missed deadline is one of them: it is never its own juror.)
  for (const auto &silent : m_answers->silent(call))
    if (silent != accused)
      return fail(ErrorCode::Unavailable,
                  "not reporting " + accusedName + ": miner " + chain::checksumAddress(silent) +
                      " received a share of the same call and did not answer, so it could not "
                      "be kept off the jury");
  std::vector<chain::SignedAnswer> others;
  std::set<chain::Address> seen{accused};
  for (const auto &answer : m_answers->of(call))
    if (seen.insert(answer.miner).second)
      others.push_back(answer);
  return others;
}

Result<ChainReport> ChainMiners::summonJury(std::uint64_t id, const chain::Address &accused,
                                            const privacy::ShareJob &job,
                                            const model::TensorData *answer,
                                            const model::LinearBundle &bundle) {
  const chain::NesaContracts &c = m_chain->contracts();
  ChainReport report;
  report.dispute = id;
  report.accused = accused;
  auto drawn = m_payer->withSender([&](chain::Transactor &sender) {
    // A local anvil (the devnet's chain id, whoever started it) mines only when sent
    // transactions: the next block is mined here rather than waited for.
    return chain::drawCommittee(sender, c, id, m_chain->chainId() == chain::kDevnetChainId,
                                std::chrono::minutes(2));
  });
  if (!drawn)
    return drawn.error();
  report.state = *drawn;
  if (drawn->finalized)
    return report; // too few miners were free to judge: the bond came back
  auto listed = chain::listMiners(m_chain->rpc(), c);
  if (!listed)
    return listed.error();
  for (const auto &juror : drawn->jurors) {
    const auto entry = std::find_if(listed->begin(), listed->end(),
                                    [&](const auto &m) { return m.account == juror; });
    if (entry == listed->end()) {
      report.problems.push_back(chain::checksumAddress(juror) + ": no longer registered");
      continue;
    }
    net::MinerRecord record;
    record.identity = entry->listing.wireKey;
    record.endpoint = entry->listing.endpoint;
    RemoteMiner miner(*m_client, std::move(record), m_options.remote);
    miner.setChainAccount(juror);
    if (auto asked = miner.judge(id, job, answer, bundle); asked)
      ++report.jurorsAsked;
    else
      report.problems.push_back(chain::checksumAddress(juror) + ": " + asked.error().message);
  }
  return report;
}

Result<std::uint64_t> ChainMiners::finishPayments() {
  std::uint64_t total = 0;
  for (const auto &miner : m_handedOut) {
    if (auto paid = miner->finishPayments(); !paid)
      return paid.error();
    total += miner->verifiedAmount();
  }
  return total;
}

void ChainMiners::stopLocalMiners() {
  for (auto &miner : m_localMiners)
    miner.process.stop(std::chrono::seconds(30));
  m_localMiners.clear();
}

Result<chain::U256> ChainMiners::settledOnChain() {
  chain::U256 total;
  std::set<chain::Address> seen;
  for (const auto &miner : m_handedOut) {
    if (!miner->chainAccount() || !seen.insert(*miner->chainAccount()).second)
      continue;
    auto session = chain::readSession(m_chain->rpc(), m_chain->contracts().sessions, payer(),
                                      *miner->chainAccount());
    if (!session)
      return session.error();
    chain::U256::addOverflows(total, session->settled, total);
  }
  return total;
}

} // namespace nesa::miner
