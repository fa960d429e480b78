#include "chain/local_miners.h"

#include "chain/anvil_node.h"
#include "chain/key_file.h"
#include "chain/miner_directory.h"
#include "chain/transactor.h"

#include <set>
#include <thread>

namespace nesa::chain {

namespace fs = std::filesystem;

fs::path minerKeyFile(const fs::path &minerDir) { return minerDir / "chain.key"; }

namespace {

/// Gas money for a miner of this computer's devnet (anvil_setBalance): plenty for a devnet.
const U256 kLocalMinerGas = *U256::parse("1000000000000000000000");

/// What `account` lacks, staked and held together, to stake `stake`.
Result<U256> missingStake(RpcClient &rpc, const NesaContracts &contracts, const Address &account,
                          const U256 &stake) {
  auto staked = contracts.registry.call(rpc, "staked", {abi::Value::address(account)});
  auto balance = contracts.token.call(rpc, "balanceOf", {abi::Value::address(account)});
  if (!staked || !balance)
    return staked ? balance.error() : staked.error();
  U256 held, missing;
  U256::addOverflows(*(*staked)[0].asUint(), *(*balance)[0].asUint(), held);
  if (!U256::subtract(stake, held, missing))
    return U256();
  return missing;
}

} // namespace

Result<U256> fundLocalMiner(ChainConnection &chain, const fs::path &chainDir,
                            const Address &account) {
  if (auto allowed = checkDemoAllowed(chain.chainId()); !allowed)
    return fail(ErrorCode::InvalidInput,
                "only the local devnet gives a miner its stake; on chain " +
                    std::to_string(chain.chainId()) + " its account " + checksumAddress(account) +
                    " needs the minimum stake in $NES and gas money from its owner");
  const fs::path keyFile = chainDir / "treasury.key";
  if (!fs::exists(keyFile))
    return fail(ErrorCode::NotFound, "the devnet's treasury key " + keyFile.string() +
                                         " is missing: is this the devnet of this computer?");
  auto treasury = loadOrCreateKeyFile(keyFile);
  if (!treasury)
    return treasury.error();
  const NesaContracts &contracts = chain.contracts();
  auto minStake = contracts.parameters.call(chain.rpc(), "minStake");
  if (!minStake)
    return minStake.error();
  auto missing = missingStake(chain.rpc(), contracts, account, *(*minStake)[0].asUint());
  if (!missing)
    return missing.error();
  if (auto gas = fundWithGas(chain.rpc(), account, kLocalMinerGas); !gas)
    return gas.error();
  if (missing->isZero())
    return *missing;
  // Its own journal: the devnet process sends from the treasury only while it starts.
  Transactor sender(chain.rpc(), *treasury, chain.chainId(),
                    chainDir / "treasury-cli-journal.json");
  auto sent = contracts.token.send(sender, "transfer",
                                   {abi::Value::address(account), abi::Value::uint(*missing)});
  if (!sent)
    return sent.error().withContext("funding a local miner's stake");
  return *missing;
}

Result<std::vector<LocalMiner>> startLocalMiners(Devnet &devnet, const fs::path &deploymentFile,
                                                 const LocalMinerOptions &options) {
  auto contracts = NesaContracts::attach(devnet.deployment(), defaultArtifactDir());
  if (!contracts)
    return contracts.error();
  auto minStake = contracts->parameters.call(devnet.rpc(), "minStake");
  if (!minStake)
    return minStake.error();
  const U256 stake = *(*minStake)[0].asUint();
  // Local miners share this computer's cores: each gets its part unless told otherwise (every
  // one running on every core only makes their threads fight).
  const int threads = options.threads > 0
                          ? options.threads
                          : std::max(1, static_cast<int>(std::thread::hardware_concurrency()) /
                                            std::max(1, options.count));
  std::vector<LocalMiner> miners;
  for (int i = 0; i < options.count; ++i) {
    const fs::path dir = options.parentDir / ("miner-" + std::to_string(i + 1));
    std::error_code ec;
    fs::create_directories(dir, ec);
    // The account is made here so that it can be given its stake before the miner starts.
    auto key = loadOrCreateKeyFile(minerKeyFile(dir));
    if (!key)
      return key.error();
    if (auto gas = devnet.fundGas(key->address()); !gas)
      return gas.error();
    // A miner from an earlier start of the same devnet may hold its stake already.
    auto missing = missingStake(devnet.rpc(), *contracts, key->address(), stake);
    if (!missing)
      return missing.error();
    if (!missing->isZero())
      if (auto funded = devnet.fund(key->address(), *missing); !funded)
        return funded.error().withContext("funding a local miner's stake");
    std::vector<std::string> arguments{"--chain-rpc", devnet.endpoint().text(), "--chain-id",
                                       std::to_string(devnet.deployment().chainId), "--deployment",
                                       deploymentFile.string(), "--data-dir", dir.string(),
                                       "--port", "0", "--threads", std::to_string(threads),
                                       // this user's own miners run this user's programs
                                       "--client-programs"};
    arguments.insert(arguments.end(), options.extraArguments.begin(), options.extraArguments.end());
    auto child = ChildProcess::start(options.program, arguments, /*captureStdout=*/true);
    if (!child)
      return child.error().withContext("starting " + options.program.string());
    auto ready = child->readLine(options.readyTimeout);
    if (!ready || ready->rfind("miner ready ", 0) != 0)
      return fail(ErrorCode::Unavailable,
                  "a local miner did not start: " + (ready ? *ready : ready.error().message));
    LocalMiner miner;
    miner.process = std::move(*child);
    miner.account = key->address();
    miner.endpoint = ready->substr(12, ready->find(' ', 12) - 12);
    miners.push_back(std::move(miner));
  }
  // They stake and register on their own; ready once the registry lists them all.
  const auto deadline = std::chrono::steady_clock::now() + options.readyTimeout;
  while (true) {
    auto listed = listMiners(devnet.rpc(), *contracts);
    if (!listed)
      return listed.error();
    std::set<Address> registered;
    for (const auto &entry : *listed)
      registered.insert(entry.account);
    std::size_t found = 0;
    for (const auto &miner : miners)
      found += registered.count(miner.account);
    if (found == miners.size())
      return miners;
    if (std::chrono::steady_clock::now() > deadline)
      return fail(ErrorCode::Unavailable, std::to_string(found) + " of " +
                                              std::to_string(miners.size()) +
                                              " local miners registered on chain in time");
    for (auto &miner : miners)
      if (!miner.process.running())
        return fail(ErrorCode::Unavailable, "a local miner stopped before it registered");
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

} // namespace nesa::chain
