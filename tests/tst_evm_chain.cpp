// The Nesa contracts on a real local EVM chain (anvil, started here on a free loopback port),
// driven by our own chain client: deployment, stake and registry, PayForQuery sessions with
// EIP-712 cumulative receipts, disputes judged by a committee of staked jurors, governance with
// bounded parameters, and a crash of the chain node in the middle of payments. Each finding of
// the review of the home-made chain (issue 15) is a test here.
#include "chain/anvil_node.h"
#include "chain/chain_access.h"
#include "chain/devnet.h"
#include "chain/keccak.h"
#include "chain/nesa_contracts.h"
#include "chain/session_desk.h"
#include "chain/session_payer.h"
#include "chain/signed_messages.h"

#include <utility> // before Boost (see STACK.md)

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <QTemporaryDir>

#include <QTest>
#include <fstream>

#include <algorithm>
#include <map>
#include <memory>

using namespace nesa;
using namespace nesa::chain;
using V = abi::Value;

#define REQUIRE_OK(expr)                                                                           \
  do {                                                                                             \
    const auto &nesaResult_ = (expr);                                                              \
    QVERIFY2(nesaResult_.ok(), nesaResult_.ok() ? "" : nesaResult_.error().message.c_str());       \
  } while (false)
// Runs a helper that may fail a QVERIFY, and stops the test when it did.
#define STEP(call)                                                                                 \
  do {                                                                                             \
    call;                                                                                          \
    if (QTest::currentTestFailed())                                                                \
      return;                                                                                      \
  } while (false)

namespace {

constexpr std::uint64_t kNes = 1'000'000; // µNES per NES

AccountKey testKey(const std::string &name) {
  auto key = AccountKey::fromSecret(keccak256(std::string_view("nesa test key " + name)));
  return std::move(*key);
}

U256 minus(const U256 &a, const U256 &b) {
  U256 out;
  U256::subtract(a, b, out);
  return out;
}

U256 uintOf(const Result<std::vector<V>> &values, std::size_t index = 0) {
  return values ? *(*values)[index].asUint() : U256::max();
}

/// One account on the test chain: its key and its sender.
struct Actor {
  explicit Actor(RpcClient &rpc, std::uint64_t chainId, const std::string &name)
      : key(testKey(name)), sender(rpc, key, chainId) {}
  AccountKey key;
  Transactor sender;
  const Address &address() const { return key.address(); }
};

/// A fresh deployment of every contract on the shared anvil, and the people using it.
class Network {
public:
  Network(RpcClient &rpc, std::uint64_t chainId) : m_rpc(rpc), m_chainId(chainId) {}

  void deploy() {
    Actor &deployer = actor("deployer");
    DeployOptions options;
    options.holder = actor("treasury").address();
    options.votingDelay = 10;
    options.votingPeriod = 3'600;
    options.timelockDelay = 600;
    auto deployed = deployNesa(deployer.sender, defaultArtifactDir(), options);
    REQUIRE_OK(deployed);
    deployment = *deployed;
    auto attached = NesaContracts::attach(deployment, defaultArtifactDir());
    REQUIRE_OK(attached);
    c.emplace(std::move(*attached));
  }

  Actor &actor(const std::string &name) {
    auto it = m_actors.find(name);
    if (it != m_actors.end())
      return *it->second;
    auto created = std::make_unique<Actor>(m_rpc, m_chainId, name);
    if (!fundWithGas(m_rpc, created->address(), *U256::parse("100000000000000000000")))
      qFatal("cannot fund %s with gas", name.c_str());
    return *m_actors.emplace(name, std::move(created)).first->second;
  }

  U256 nes(const std::string &name) {
    return uintOf(c->token.call(m_rpc, "balanceOf", {V::address(actor(name).address())}));
  }

  void give(const std::string &name, std::uint64_t micro) {
    REQUIRE_OK(c->token.send(actor("treasury").sender, "transfer",
                             {V::address(actor(name).address()), V::uint(micro)}));
  }

  void approve(const std::string &name, const Address &spender, std::uint64_t micro) {
    REQUIRE_OK(c->token.send(actor(name).sender, "approve", {V::address(spender), V::uint(micro)}));
  }

  /// Gives a miner NES, stakes `stake` and registers it.
  void miner(const std::string &name, std::uint64_t stake = 1'000 * kNes) {
    STEP(give(name, stake));
    STEP(approve(name, c->registry.address(), stake));
    Actor &m = actor(name);
    REQUIRE_OK(c->registry.send(m.sender, "stake", {V::uint(stake)}));
    REQUIRE_OK(c->registry.send(m.sender, "register",
                                {V::string("127.0.0.1:7000"), V::bytes(Bytes(32, 0x11)),
                                 V::uint(10), V::uint(2), V::string("cpu")}));
  }

  /// `client` gets 10 NES, approves the sessions contract and opens a session with `miner`.
  void openSession(const std::string &client, const std::string &miner, std::uint64_t deposit,
                   std::uint64_t seconds) {
    STEP(give(client, 10 * kNes));
    STEP(approve(client, deployment.sessions, 10 * kNes));
    REQUIRE_OK(c->sessions.send(
        actor(client).sender, "open",
        {V::address(actor(miner).address()), V::uint(deposit), V::uint(now() + seconds)}));
  }

  U256 staked(const std::string &name) {
    return uintOf(c->registry.call(m_rpc, "staked", {V::address(actor(name).address())}));
  }

  U256 unbonding(const std::string &name) {
    return uintOf(c->registry.call(m_rpc, "unbonding", {V::address(actor(name).address())}));
  }

  /// A receipt for `amount` µNES over `jobs` answers, signed by `client` for `miner`.
  Bytes receipt(const std::string &client, const std::string &miner, std::uint64_t jobs,
                std::uint64_t amount, std::uint64_t epoch = 0) {
    const PaymentReceipt r{actor(client).address(), actor(miner).address(), epoch, jobs, amount};
    return actor(client).key.sign(receiptDigest(r, m_chainId, deployment.sessions)).toRsv();
  }

  Result<Sent> settle(const std::string &miner, const std::string &client, std::uint64_t jobs,
                      std::uint64_t amount, const Bytes &signature) {
    return c->sessions.send(
        actor(miner).sender, "settle",
        {V::address(actor(client).address()), V::uint(jobs), V::uint(amount), V::bytes(signature)});
  }

  /// A miner's signature over its answer `result` to `job` in call `call`.
  Bytes answer(const std::string &miner, const Hash32 &call, const Hash32 &job,
               const Hash32 &result) {
    return actor(miner)
        .key.sign(answerDigest(call, job, result, m_chainId, deployment.disputes))
        .toRsv();
  }

  /// Another miner of the call, as a report lists it: its signed answer to its own share.
  V callMiner(const std::string &miner, const Hash32 &call) {
    const Hash32 job = keccak256(std::string_view("the share of " + miner));
    const Hash32 result = keccak256(std::string_view("the answer of " + miner));
    return V::list({V::address(actor(miner).address()), V::bytes(job), V::bytes(result),
                    V::bytes(answer(miner, call, job, result))});
  }

  /// `reporter` reports `accused` (kind 0: a wrong answer, 1: a timeout).
  Result<Sent> report(const std::string &reporter, const std::string &accused, int kind,
                      const Hash32 &call, const Hash32 &job, const Hash32 &result,
                      const Bytes &signature, std::vector<V> callMiners = {}) {
    return c->disputes.send(actor(reporter).sender, "report",
                            {V::address(actor(accused).address()), V::uint(kind), V::bytes(call),
                             V::bytes(job), V::bytes(result), V::bytes(signature),
                             V::list(std::move(callMiners))});
  }

  /// Mines the block whose hash draws dispute `id`'s committee, then draws it.
  Result<Sent> draw(std::uint64_t id) {
    if (auto mined = advanceTime(m_rpc, 1); !mined)
      return mined.error();
    return c->disputes.send(actor("deployer").sender, "draw", {V::uint(id)});
  }

  std::uint64_t now() { return *m_rpc.latestTimestamp(); }

  U256 totalSupply() { return uintOf(c->token.call(m_rpc, "totalSupply")); }

  std::string nameOf(const Address &a) const {
    for (const auto &[name, actor] : m_actors)
      if (actor->address() == a)
        return name;
    return toHex(a);
  }

  Deployment deployment;
  std::optional<NesaContracts> c;

private:
  RpcClient &m_rpc;
  std::uint64_t m_chainId;
  std::map<std::string, std::unique_ptr<Actor>> m_actors;
};

/// What an honest juror does: recompute the job (here the "model" is keccak256 of the job's
/// bytes, the stand-in for a share job the reporter sent) and compare with the accused's answer.
bool honestVerdict(const Bytes &jobBytes, const Hash32 &reportedResult) {
  return keccak256(jobBytes) != reportedResult; // guilty when the answer differs
}

Hash32 voteCommitment(std::uint64_t id, const Address &juror, bool guilty, const Hash32 &salt) {
  auto encoded = abi::encode(*abi::parseTypeList("uint256,address,bool,bytes32"),
                             {V::uint(id), V::address(juror), V::boolean(guilty), V::bytes(salt)});
  return keccak256(*encoded);
}

} // namespace

class TestEvmChain : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void initTestCase() {
    AnvilOptions options;
    options.program = defaultAnvilProgram();
    auto anvil = AnvilNode::start(options);
    QVERIFY2(anvil, anvil ? "" : anvil.error().message.c_str());
    m_anvil.emplace(std::move(*anvil));
    m_rpc = std::make_unique<RpcClient>(m_anvil->endpoint());
  }

  void init() { m_ballots.clear(); }

  void cleanupTestCase() {
    if (m_anvil)
      QCOMPARE(m_anvil->stop(), 0);
  }

  void deploysAFixedSupplyTokenNobodyCanMint() {
    Network net(*m_rpc, kDevnetChainId);
    STEP(net.deploy());
    QCOMPARE(uintOf(net.c->token.call(*m_rpc, "decimals")), U256(6));
    QCOMPARE(net.totalSupply(), U256(1'000'000'000 * kNes));
    QCOMPARE(net.nes("treasury"), net.totalSupply());
    for (const auto &entry : net.c->token.artifact().abi)
      QVERIFY2(entry.value("name", "").find("mint") == std::string::npos,
               "the token has a mint function");
    // The deployer kept no power: it cannot change parameters nor propose through the timelock.
    auto set = net.c->parameters.send(net.actor("deployer").sender, "set",
                                      {V::string("minStake"), V::uint(1)});
    QVERIFY(!set);
    QVERIFY2(set.error().message.find("OwnableUnauthorizedAccount") != std::string::npos,
             set.error().message.c_str());
    auto owner = net.c->parameters.call(*m_rpc, "owner");
    QCOMPARE(*(*owner)[0].asAddress(), net.deployment.timelock);
  }

  // A web page the user visits can reach 127.0.0.1 too. Browsers send a cross-origin JSON POST
  // only after a CORS preflight the node accepts, and read an answer only with an
  // Access-Control-Allow-Origin header; the "simple" requests they send without asking
  // (text/plain) must not be executed. anvil allowed any origin by default, so a page could
  // have used its cheat codes (anvil_setStorageAt, anvil_impersonateAccount) on the local chain.
  void aWebPageCannotDriveTheLocalChainNode() {
    namespace http = boost::beast::http;
    const auto exchange = [&](http::verb verb, const std::string &contentType,
                              const std::string &body) {
      boost::asio::io_context ioc;
      boost::beast::tcp_stream stream(ioc);
      stream.connect(boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"),
                                                    m_anvil->endpoint().port));
      http::request<http::string_body> request{verb, "/", 11};
      request.set(http::field::host, "127.0.0.1");
      request.set(http::field::origin, "https://evil.example");
      if (verb == http::verb::options) {
        request.set(http::field::access_control_request_method, "POST");
        request.set(http::field::access_control_request_headers, "content-type");
      } else {
        request.set(http::field::content_type, contentType);
        request.body() = body;
      }
      request.prepare_payload();
      http::write(stream, request);
      boost::beast::flat_buffer buffer;
      http::response<http::string_body> response;
      http::read(stream, buffer, response);
      return response;
    };
    const auto preflight = exchange(http::verb::options, "", "");
    QVERIFY(preflight.result_int() >= 400);
    QVERIFY(preflight.find(http::field::access_control_allow_origin) == preflight.end());
    const std::string mine = R"({"jsonrpc":"2.0","id":1,"method":"evm_mine","params":[]})";
    const auto before = m_rpc->blockNumber();
    REQUIRE_OK(before);
    const auto simple = exchange(http::verb::post, "text/plain", mine);
    QVERIFY2(simple.body().find("error") != std::string::npos, simple.body().c_str());
    QCOMPARE(*m_rpc->blockNumber(), *before); // not executed
    const auto json = exchange(http::verb::post, "application/json", mine);
    QVERIFY(json.find(http::field::access_control_allow_origin) == json.end()); // unreadable
  }

  void registeringNeedsStake() {
    Network net(*m_rpc, kDevnetChainId);
    STEP(net.deploy());
    // The review: the old registry took any key without stake.
    auto bare = net.c->registry.send(net.actor("nobody").sender, "register",
                                     {V::string("10.0.0.1:1"), V::bytes(Bytes(32, 1)), V::uint(1),
                                      V::uint(1), V::string("cpu")});
    QVERIFY(!bare);
    QVERIFY2(bare.error().message.find("BelowMinStake(0, 100000000)") != std::string::npos,
             bare.error().message.c_str());
    STEP(net.miner("m0"));
    auto record = net.c->registry.call(*m_rpc, "miners", {V::address(net.actor("m0").address())});
    REQUIRE_OK(record);
    QCOMPARE(*(*record)[0].asBytes(), bytesOf("127.0.0.1:7000"));
    QVERIFY(*(*record)[5].asBool());
  }

  void sessionsPayCumulativeReceiptsWithTips() {
    Network net(*m_rpc, kDevnetChainId);
    STEP(net.deploy());
    STEP(net.miner("m0"));
    STEP(net.openSession("client", "m0", kNes, 3'600));
    QCOMPARE(net.nes("client"), U256(9 * kNes));

    // Our digest is the contract's digest.
    const PaymentReceipt r{net.actor("client").address(), net.actor("m0").address(), 0, 3, 300};
    auto theirs = net.c->sessions.call(
        *m_rpc, "receiptDigest",
        {V::address(r.client), V::address(r.miner), V::uint(0), V::uint(3), V::uint(300)});
    REQUIRE_OK(theirs);
    const Hash32 ours = receiptDigest(r, kDevnetChainId, net.deployment.sessions);
    QCOMPARE(*(*theirs)[0].asBytes(), Bytes(ours.begin(), ours.end()));

    // Three answers at 10 µNES + 2 per MiB... and a tip: all inside the signed amount.
    REQUIRE_OK(net.settle("m0", "client", 3, 300, net.receipt("client", "m0", 3, 300)));
    QCOMPARE(net.nes("m0"), U256(297)); // 1 % protocol fee to the reward pool
    QCOMPARE(uintOf(net.c->sessions.call(*m_rpc, "rewardPool")), U256(3));
    REQUIRE_OK(net.settle("m0", "client", 5, 500, net.receipt("client", "m0", 5, 500)));
    QCOMPARE(net.nes("m0"), U256(495));
    // Reputation follows what was paid (a point per 0.01 NES), not the job count a client writes.
    QCOMPARE(
        uintOf(net.c->registry.call(*m_rpc, "reputation", {V::address(net.actor("m0").address())})),
        U256(0));

    // An old receipt, a receipt the miner signed itself, and more than the deposit: refused.
    auto replay = net.settle("m0", "client", 3, 300, net.receipt("client", "m0", 3, 300));
    QVERIFY(!replay);
    QVERIFY2(replay.error().message.find("NotNewer") != std::string::npos,
             replay.error().message.c_str());
    auto forged = net.settle("m0", "client", 9, 900, net.receipt("m0", "m0", 9, 900));
    QVERIFY(!forged);
    QVERIFY2(forged.error().message.find("WrongSigner") != std::string::npos,
             forged.error().message.c_str());
    auto greedy = net.settle("m0", "client", 9, 2 * kNes, net.receipt("client", "m0", 9, 2 * kNes));
    QVERIFY(!greedy);
    QVERIFY2(greedy.error().message.find("OverDeposit") != std::string::npos,
             greedy.error().message.c_str());
    // Another miner cannot use the client's receipt for m0.
    STEP(net.miner("m1"));
    QVERIFY(!net.settle("m1", "client", 6, 600, net.receipt("client", "m0", 6, 600)));
  }

  void rewardsGoByStakeTimesReputation() {
    Network net(*m_rpc, kDevnetChainId);
    STEP(net.deploy());
    STEP(net.miner("busy"));
    STEP(net.miner("idle"));
    STEP(net.give("client", 100 * kNes));
    STEP(net.approve("client", net.deployment.sessions, 100 * kNes));
    REQUIRE_OK(net.c->sessions.send(
        net.actor("client").sender, "open",
        {V::address(net.actor("busy").address()), V::uint(50 * kNes), V::uint(net.now() + 3'600)}));
    REQUIRE_OK(net.settle("busy", "client", 400, 40 * kNes,
                          net.receipt("client", "busy", 400, 40 * kNes)));
    const U256 pool = uintOf(net.c->sessions.call(*m_rpc, "rewardPool"));
    QCOMPARE(pool, U256(400'000)); // 1 % of 40 NES
    const U256 busyBefore = net.nes("busy"), idleBefore = net.nes("idle");
    REQUIRE_OK(net.c->sessions.send(net.actor("client").sender, "distributeRewards", {}));
    // 40 NES paid is 4000 points, counted up to 1000: equal stakes, shares 2000 : 1000.
    QCOMPARE(uintOf(net.c->registry.call(*m_rpc, "reputation",
                                         {V::address(net.actor("busy").address())})),
             U256(4000));
    QCOMPARE(minus(net.nes("busy"), busyBefore), U256(400'000ULL * 2000 / 3000));
    QCOMPARE(minus(net.nes("idle"), idleBefore), U256(400'000ULL * 1000 / 3000));
    auto again = net.c->sessions.send(net.actor("client").sender, "distributeRewards", {});
    QVERIFY(!again);
    QVERIFY2(again.error().message.find("TooSoon") != std::string::npos,
             again.error().message.c_str());
  }

  void anExpiringSessionYieldsNoFreeCompute() {
    // The review: a one-block session, used, then refunded in full while the miner's settlement
    // was refused as expired. Now the miner settles after expiry, within the window, and the
    // client gets back only what was not earned.
    Network net(*m_rpc, kDevnetChainId);
    STEP(net.deploy());
    STEP(net.miner("m0"));
    STEP(net.openSession("client", "m0", kNes, 60));
    const Bytes signature = net.receipt("client", "m0", 4, 400'000);
    REQUIRE_OK(advanceTime(*m_rpc, 120)); // the session has expired
    auto early = net.c->sessions.send(net.actor("client").sender, "close",
                                      {V::address(net.actor("m0").address())});
    QVERIFY(!early);
    QVERIFY2(early.error().message.find("SettleWindowOpen") != std::string::npos,
             early.error().message.c_str());
    REQUIRE_OK(net.settle("m0", "client", 4, 400'000, signature));
    REQUIRE_OK(advanceTime(*m_rpc, 86'400));
    REQUIRE_OK(net.c->sessions.send(net.actor("client").sender, "close",
                                    {V::address(net.actor("m0").address())}));
    QCOMPARE(net.nes("client"), U256(9 * kNes + 600'000));
    QCOMPARE(net.nes("m0"), U256(396'000));
    // The closed session's receipts are dead: a new session is a new epoch.
    REQUIRE_OK(net.c->sessions.send(
        net.actor("client").sender, "open",
        {V::address(net.actor("m0").address()), V::uint(kNes), V::uint(net.now() + 600)}));
    QVERIFY(!net.settle("m0", "client", 5, 500'000, net.receipt("client", "m0", 5, 500'000, 0)));
    REQUIRE_OK(net.settle("m0", "client", 1, 100, net.receipt("client", "m0", 1, 100, 1)));
  }

  void theMinerServesOnlyJobsItWillBePaidFor() {
    Network net(*m_rpc, kDevnetChainId);
    STEP(net.deploy());
    STEP(net.miner("m0"));
    STEP(net.openSession("client", "m0", kNes, 600));
    SessionDesk desk(*m_rpc, net.c->sessions, net.actor("m0").address(), kDevnetChainId);
    const Address client = net.actor("client").address();
    REQUIRE_OK(desk.admitJob(client, 100, 60));
    auto tooLong = desk.admitJob(client, 100, 3'600); // would end after the session's expiry
    QVERIFY(!tooLong);
    QVERIFY2(tooLong.error().message.find("expires") != std::string::npos,
             tooLong.error().message.c_str());
    QVERIFY(!desk.admitJob(client, 2 * kNes, 60));                     // over the deposit
    QVERIFY(!desk.admitJob(net.actor("stranger").address(), 100, 60)); // no session

    const PaymentReceipt r{client, net.actor("m0").address(), 0, 3, 300};
    const auto digest = receiptDigest(r, kDevnetChainId, net.deployment.sessions);
    QVERIFY(!desk.acceptReceipt(r, net.actor("m0").key.sign(digest))); // not the client's signature
    PaymentReceipt wrongEpoch = r;
    wrongEpoch.epoch = 1;
    QVERIFY(
        !desk.acceptReceipt(wrongEpoch, net.actor("client").key.sign(receiptDigest(
                                            wrongEpoch, kDevnetChainId, net.deployment.sessions))));
    PaymentReceipt greedy = r;
    greedy.amount = 2 * kNes;
    QVERIFY(!desk.acceptReceipt(greedy, net.actor("client").key.sign(receiptDigest(
                                            greedy, kDevnetChainId, net.deployment.sessions))));
    REQUIRE_OK(desk.acceptReceipt(r, net.actor("client").key.sign(digest)));
    QVERIFY(!desk.acceptReceipt(r, net.actor("client").key.sign(digest))); // not newer
    PaymentReceipt fewerJobs = r;
    fewerJobs.jobs = 1;
    fewerJobs.amount = 301; // the contract would refuse it: fewer jobs than the last receipt
    QVERIFY(
        !desk.acceptReceipt(fewerJobs, net.actor("client").key.sign(receiptDigest(
                                           fewerJobs, kDevnetChainId, net.deployment.sessions))));
    auto settled = desk.settleNewest(net.actor("m0").sender, client);
    REQUIRE_OK(settled);
    QCOMPARE(*settled, U256(300));
    auto again = desk.settleNewest(net.actor("m0").sender, client);
    REQUIRE_OK(again);
    QCOMPARE(*again, U256(0)); // nothing is paid twice
    QCOMPARE(desk.session(client)->settled, U256(300));
  }

  void colludingMinersCannotSlashAnHonestOne() {
    // The review: two fake miners agreeing on another output and one report took 10 % of an
    // honest miner's stake. Now the accused's own signed answer is judged by jurors drawn away
    // from the reporter, and honest jurors recompute it.
    Network net(*m_rpc, kDevnetChainId);
    STEP(net.deploy());
    for (const char *m : {"honest", "fake1", "fake2", "j1", "j2", "j3"})
      STEP(net.miner(m));
    const Hash32 call = keccak256(std::string_view("call 1"));
    const Bytes job = bytesOf("job: segment slice 42");
    const Hash32 jobDigest = keccak256(job);
    const Hash32 rightResult = keccak256(job);
    const Bytes honestSignature = net.answer("honest", call, jobDigest, rightResult);

    // A report with a result the honest miner never signed: refused on chain.
    STEP(net.give("fake1", 100 * kNes));
    STEP(net.approve("fake1", net.deployment.disputes, 100 * kNes));
    const Hash32 otherResult = keccak256(std::string_view("what the fakes agreed on"));
    auto lie = net.report("fake1", "honest", 0, call, jobDigest, otherResult, honestSignature,
                          {net.callMiner("fake2", call)});
    QVERIFY(!lie);
    QVERIFY2(lie.error().message.find("not signed by the accused") != std::string::npos,
             lie.error().message.c_str());
    // Nor can a reporter keep honest miners off the committee by naming them as the call's
    // miners: each must have signed an answer in that call.
    V forged = net.callMiner("j1", keccak256(std::string_view("another call")));
    auto excluded =
        net.report("fake1", "honest", 0, call, jobDigest, rightResult, honestSignature, {forged});
    QVERIFY(!excluded);
    QVERIFY2(excluded.error().message.find("call miner") != std::string::npos,
             excluded.error().message.c_str());

    // The honest answer reported anyway, the fakes excluding each other... jurors recompute.
    REQUIRE_OK(net.report("fake1", "honest", 0, call, jobDigest, rightResult, honestSignature,
                          {net.callMiner("fake2", call)}));
    auto twice = net.report("fake1", "honest", 0, call, jobDigest, rightResult, honestSignature);
    QVERIFY(!twice); // one report per job
    QVERIFY2(twice.error().message.find("already reported") != std::string::npos,
             twice.error().message.c_str());
    // The committee is not known in the report's own block: nobody can retry it by reverting.
    auto tooEarly = net.c->disputes.send(net.actor("deployer").sender, "draw", {V::uint(0)});
    QVERIFY(!tooEarly);
    QVERIFY2(tooEarly.error().message.find("NotYetDrawable") != std::string::npos,
             tooEarly.error().message.c_str());
    REQUIRE_OK(net.draw(0));
    STEP(judge(net, 0, job, rightResult));
    QCOMPARE(net.staked("honest"), U256(1'000 * kNes));
    auto outcome = net.c->disputes.call(*m_rpc, "dispute", {V::uint(0)});
    REQUIRE_OK(outcome);
    QVERIFY(!*(*(*outcome)[0].asList())[9].asBool()); // not guilty
    QCOMPARE(net.nes("fake1"), U256(90 * kNes));      // the bond is lost
  }

  void aLiarIsSlashedEvenWhileUnbondingAndJurorsNeverHoldTheOtherShare() {
    Network net(*m_rpc, kDevnetChainId);
    STEP(net.deploy());
    for (const char *m : {"liar", "otherShare", "j1", "j2", "j3", "j4"})
      STEP(net.miner(m));
    const U256 supplyBefore = net.totalSupply();
    const Hash32 call = keccak256(std::string_view("call 7"));
    const Bytes job = bytesOf("job: share 0 of call 7");
    const Hash32 jobDigest = keccak256(job);
    const Hash32 wrong = keccak256(std::string_view("a wrong answer"));
    const Bytes signature = net.answer("liar", call, jobDigest, wrong);
    // The cheat unstakes everything right after answering.
    REQUIRE_OK(
        net.c->registry.send(net.actor("liar").sender, "requestUnstake", {V::uint(1'000 * kNes)}));
    QCOMPARE(net.staked("liar"), U256(0));
    QCOMPARE(net.unbonding("liar"), U256(1'000 * kNes));

    STEP(net.give("client", 100 * kNes));
    STEP(net.approve("client", net.deployment.disputes, 100 * kNes));
    REQUIRE_OK(net.report("client", "liar", 0, call, jobDigest, wrong, signature,
                          {net.callMiner("otherShare", call)}));
    // While the dispute is open the accused cannot take its stake out, however long it waits.
    REQUIRE_OK(advanceTime(*m_rpc, 8 * 86'400));
    auto escape = net.c->registry.send(net.actor("liar").sender, "withdraw", {});
    QVERIFY(!escape);
    QVERIFY2(escape.error().message.find("UnderDispute(1)") != std::string::npos,
             escape.error().message.c_str());
    REQUIRE_OK(net.draw(0));
    auto dispute = net.c->disputes.call(*m_rpc, "dispute", {V::uint(0)});
    REQUIRE_OK(dispute);
    const auto jurors = *(*(*dispute)[0].asList())[10].asList();
    QCOMPARE(jurors.size(), std::size_t{3});
    for (const V &juror : jurors) {
      const std::string name = net.nameOf(*juror.asAddress());
      QVERIFY2(name != "otherShare" && name != "liar" && name != "client", name.c_str());
    }
    STEP(judge(net, 0, job, wrong));
    // 10 % of the unbonding stake: 30 % of it to the reporter, 20 % to the three jurors, 50 %
    // burnt (with the µNES that do not split in three).
    QCOMPARE(net.unbonding("liar"), U256(900 * kNes));
    QCOMPARE(net.nes("client"), U256(100 * kNes + 30 * kNes));
    QCOMPARE(net.totalSupply(), minus(supplyBefore, 50 * kNes + (20 * kNes) % 3));
    std::uint64_t paidToJurors = 0;
    for (const V &juror : jurors)
      paidToJurors += net.nes(net.nameOf(*juror.asAddress())).low64();
    QCOMPARE(paidToJurors, 20 * kNes - 20 * kNes % 3);
    // Decided: what is left may go.
    REQUIRE_OK(net.c->registry.send(net.actor("liar").sender, "withdraw", {}));
    QCOMPARE(net.nes("liar"), U256(900 * kNes));
  }

  void aStalledJurorBlocksNoOtherDispute() {
    Network net(*m_rpc, kDevnetChainId);
    STEP(net.deploy());
    for (const char *m : {"a", "b", "j1", "j2", "j3", "j4", "j5"})
      STEP(net.miner(m));
    STEP(net.give("client", 100 * kNes));
    STEP(net.approve("client", net.deployment.disputes, 100 * kNes));
    const Hash32 call = keccak256(std::string_view("call 9"));
    const Hash32 wrong = keccak256(std::string_view("wrong"));
    for (const char *accused : {"a", "b"}) {
      const Hash32 job = keccak256(bytesOf(std::string("job for ") + accused));
      REQUIRE_OK(net.report("client", accused, 0, call, job, wrong,
                            net.answer(accused, call, job, wrong)));
    }
    REQUIRE_OK(net.draw(0));
    REQUIRE_OK(net.draw(1));
    // In dispute 0 one juror never commits nor reveals; dispute 1 is judged in full.
    STEP(commitVotes(net, 0, bytesOf("job for a"), wrong, /*silentJurors=*/1));
    STEP(commitVotes(net, 1, bytesOf("job for b"), wrong, /*silentJurors=*/0));
    REQUIRE_OK(advanceTime(*m_rpc, 3'601));
    STEP(revealVotes(net, 0));
    STEP(revealVotes(net, 1));
    REQUIRE_OK(advanceTime(*m_rpc, 3'601));
    REQUIRE_OK(net.c->disputes.send(net.actor("client").sender, "finalize", {V::uint(1)}));
    // (the silent juror of dispute 0 may have sat and voted in dispute 1 too)
    const U256 silentBefore = net.nes(m_lastSilentJuror);
    REQUIRE_OK(net.c->disputes.send(net.actor("client").sender, "finalize", {V::uint(0)}));
    // Two of three seats voted guilty in dispute 0: still two thirds; the silent juror got nothing.
    QVERIFY(net.unbonding("a") == U256(0) && net.staked("a") == U256(900 * kNes));
    QCOMPARE(net.staked("b"), U256(900 * kNes));
    QCOMPARE(net.nes(m_lastSilentJuror), silentBefore);
  }

  void tooFewJurorsEndADisputeUndecided() {
    Network net(*m_rpc, kDevnetChainId);
    STEP(net.deploy());
    for (const char *m : {"accused", "j1", "j2"})
      STEP(net.miner(m));
    STEP(net.give("client", 100 * kNes));
    STEP(net.approve("client", net.deployment.disputes, 100 * kNes));
    const Hash32 call{}, job = keccak256(std::string_view("job")),
                         wrong = keccak256(std::string_view("wrong"));
    REQUIRE_OK(net.report("client", "accused", 0, call, job, wrong,
                          net.answer("accused", call, job, wrong)));
    REQUIRE_OK(net.draw(0));
    QCOMPARE(net.nes("client"), U256(100 * kNes)); // the bond came back
    QCOMPARE(net.staked("accused"), U256(1'000 * kNes));
    QVERIFY(!net.c->disputes.send(net.actor("client").sender, "finalize", {V::uint(0)}));
  }

  void timeoutReportsAreRateLimited() {
    Network net(*m_rpc, kDevnetChainId);
    STEP(net.deploy());
    for (const char *m : {"slow", "j1", "j2", "j3"})
      STEP(net.miner(m));
    STEP(net.give("client", 1'000 * kNes));
    STEP(net.approve("client", net.deployment.disputes, 1'000 * kNes));
    const Hash32 none{}, call{};
    for (int i = 0; i < 10; ++i)
      REQUIRE_OK(net.report("client", "slow", 1, call,
                            keccak256(std::string_view("job " + std::to_string(i))), none, {}));
    auto eleventh =
        net.report("client", "slow", 1, call, keccak256(std::string_view("job 10")), none, {});
    QVERIFY(!eleventh);
    QVERIFY2(eleventh.error().message.find("TooManyReports(10)") != std::string::npos,
             eleventh.error().message.c_str());
  }

  void governanceChangesParametersOnlyWithinBounds() {
    Network net(*m_rpc, kDevnetChainId);
    STEP(net.deploy());
    STEP(net.give("holder", 100'000'000 * kNes)); // 10 % of the supply, over the 4 % quorum
    Actor &holder = net.actor("holder");
    REQUIRE_OK(net.c->token.send(holder.sender, "delegate", {V::address(holder.address())}));
    REQUIRE_OK(advanceTime(*m_rpc, 1));

    // A valid change passes, waits in the timelock and applies.
    STEP(passProposal(net, "settleWindow", 2 * 86'400, true));
    QCOMPARE(uintOf(net.c->parameters.call(*m_rpc, "settleWindow")), U256(2 * 86'400));
    // Out of bounds: fees that would make everything unaffordable, no minimum stake, unbonding
    // shorter than a vote. They pass the vote and fail where the bounds are.
    STEP(passProposal(net, "protocolFeeBps", 10'000, false));
    STEP(passProposal(net, "minStake", 0, false));
    STEP(passProposal(net, "unbondingPeriod", 1, false));
    QCOMPARE(uintOf(net.c->parameters.call(*m_rpc, "minStake")), U256(100 * kNes));
    // The governor's own voting period cannot outgrow unbonding.
    auto longVote = net.c->governor.send(holder.sender, "setVotingPeriod", {V::uint(3 * 86'400)});
    QVERIFY(!longVote); // onlyGovernance, and bounded when governance does it
  }

  void aCrashedChainNodeLosesNoPaymentAndPaysNothingTwice() {
    // anvil keeps its state in a file (saved every second) and is killed with SIGKILL right after
    // a settlement and two transfers, then restarted from the file. The miner settles its newest
    // cumulative receipt again if the chain lost it; the client's journal re-sends its lost
    // transfers; balances add up to the supply.
    QTemporaryDir dir;
    AnvilOptions options;
    options.program = defaultAnvilProgram();
    options.stateFile = dir.filePath(QStringLiteral("chain-state.json")).toStdString();
    auto anvil = AnvilNode::start(options);
    REQUIRE_OK(anvil);
    auto rpc = std::make_unique<RpcClient>(anvil->endpoint());
    auto net = std::make_unique<Network>(*rpc, kDevnetChainId);
    STEP(net->deploy());
    STEP(net->miner("m0"));
    STEP(net->give("client", 100 * kNes));
    STEP(net->approve("client", net->deployment.sessions, 100 * kNes));
    REQUIRE_OK(net->c->sessions.send(
        net->actor("client").sender, "open",
        {V::address(net->actor("m0").address()), V::uint(10 * kNes), V::uint(net->now() + 3'600)}));
    for (std::uint64_t jobs = 1; jobs <= 3; ++jobs)
      REQUIRE_OK(net->settle("m0", "client", jobs, jobs * 100'000,
                             net->receipt("client", "m0", jobs, jobs * 100'000)));
    QTest::qWait(2'500); // saved to the state file by now

    const std::string journal = dir.filePath(QStringLiteral("client-journal.json")).toStdString();
    const Bytes newest = net->receipt("client", "m0", 4, 400'000);
    {
      Transactor client(*rpc, net->actor("client").key, kDevnetChainId, journal);
      REQUIRE_OK(net->settle("m0", "client", 4, 400'000, newest));
      for (int i = 0; i < 2; ++i)
        REQUIRE_OK(net->c->token.send(client, "transfer",
                                      {V::address(net->actor("shop").address()), V::uint(kNes)}));
    }
    anvil->kill();

    options.stateFile = dir.filePath(QStringLiteral("chain-state.json")).toStdString();
    auto restarted = AnvilNode::start(options);
    REQUIRE_OK(restarted);
    RpcClient rpc2(restarted->endpoint());
    auto contracts = NesaContracts::attach(net->deployment, defaultArtifactDir());
    REQUIRE_OK(contracts);
    const Address client = net->actor("client").address(), miner = net->actor("m0").address();
    auto session =
        contracts->sessions.call(rpc2, "sessions", {V::address(client), V::address(miner)});
    REQUIRE_OK(session);
    const U256 settledAfterCrash = *(*session)[1].asUint();
    qInfo("after the crash the chain had settled %s µNES of 400000",
          settledAfterCrash.toDecimal().c_str());
    QVERIFY(settledAfterCrash >= U256(300'000));

    // The miner: its newest receipt is worth more than what the chain says was settled.
    AccountKey minerKey = testKey("m0");
    Transactor minerSender(rpc2, minerKey, kDevnetChainId);
    if (settledAfterCrash < U256(400'000))
      REQUIRE_OK(contracts->sessions.send(
          minerSender, "settle",
          {V::address(client), V::uint(4), V::uint(400'000), V::bytes(newest)}));
    QVERIFY(!contracts->sessions.send(
        minerSender, "settle",
        {V::address(client), V::uint(4), V::uint(400'000), V::bytes(newest)}));
    // The client: its journal re-sends what the chain lost, nothing more.
    AccountKey clientKey = testKey("client");
    Transactor clientSender(rpc2, clientKey, kDevnetChainId, journal);
    auto resent = clientSender.recover();
    REQUIRE_OK(resent);
    qInfo("the client's journal re-sent %d transaction(s)", *resent);
    REQUIRE_OK(advanceTime(rpc2, 1));
    // A new transfer gets the next nonce: none reused, none skipped.
    REQUIRE_OK(contracts->token.send(clientSender, "transfer",
                                     {V::address(net->actor("shop").address()), V::uint(kNes)}));

    auto balance = [&](const Address &a) {
      return uintOf(contracts->token.call(rpc2, "balanceOf", {V::address(a)}));
    };
    QCOMPARE(balance(net->actor("shop").address()), U256(3 * kNes));
    QCOMPARE(balance(miner), U256(396'000));
    QCOMPARE(balance(client), U256(100 * kNes - 10 * kNes - 3 * kNes));
    // Supply conserved: everything is somewhere.
    U256 total = 0;
    for (const char *name : {"treasury", "client", "m0", "shop"})
      U256::addOverflows(total, balance(net->actor(name).address()), total);
    for (const Address &holder :
         {net->deployment.registry, net->deployment.sessions, net->deployment.disputes})
      U256::addOverflows(total, balance(holder), total);
    QCOMPARE(total, uintOf(contracts->token.call(rpc2, "totalSupply")));
    QCOMPARE(restarted->stop(), 0);
  }

  void aJournaledTransactionTheNodeRefusesIsSignedAgainWithFees() {
    // A transaction journaled with fees the chain no longer takes (1 wei, under the base fee):
    // recover() signs the same call at the same nonce with today's fees, and it is mined.
    Network net(*m_rpc, kDevnetChainId);
    STEP(net.deploy());
    STEP(net.give("payer", 5 * kNes));
    Actor &payer = net.actor("payer");
    auto transfer =
        net.c->token.encode("transfer", {V::address(net.actor("shop").address()), V::uint(kNes)});
    REQUIRE_OK(transfer);
    Eip1559Transaction tx;
    tx.chainId = kDevnetChainId;
    tx.nonce = *m_rpc->pendingNonce(payer.address());
    tx.maxPriorityFeePerGas = 1;
    tx.maxFeePerGas = 1;
    tx.gasLimit = 100'000;
    tx.to = net.deployment.token;
    tx.data = *transfer;
    const SignedTransaction cheap = signTransaction(tx, payer.key);
    QVERIFY(!m_rpc->sendRawTransaction(cheap.raw)); // the node refuses it
    QTemporaryDir dir;
    const std::string journal = dir.filePath(QStringLiteral("journal.json")).toStdString();
    {
      std::ofstream out(journal);
      out << nlohmann::json{{"chainId", kDevnetChainId},
                            {"address", toHex(payer.address())},
                            {"pending",
                             {{{"nonce", tx.nonce},
                               {"hash", toHex(cheap.hash)},
                               {"raw", toHex(cheap.raw)}}}}}
                 .dump();
    }
    Transactor sender(*m_rpc, payer.key, kDevnetChainId, journal);
    auto resent = sender.recover();
    REQUIRE_OK(resent);
    QCOMPARE(*resent, 1);
    REQUIRE_OK(advanceTime(*m_rpc, 1));
    QCOMPARE(net.nes("shop"), U256(kNes));
    QCOMPARE(*m_rpc->pendingNonce(payer.address()), tx.nonce + 1);
  }

  // A command shows "at most" a network fee and the Transactor holds it to that: a send that
  // would commit to more (gas prices rose since the quote) is refused before signing.
  void aSendOverTheConfirmedFeeIsRefusedBeforeSigning() {
    Network net(*m_rpc, kDevnetChainId);
    STEP(net.deploy());
    STEP(net.give("payer", 5 * kNes));
    Actor &payer = net.actor("payer");
    auto transfer =
        net.c->token.encode("transfer", {V::address(net.actor("shop").address()), V::uint(kNes)});
    REQUIRE_OK(transfer);
    auto gas = m_rpc->estimateGas(payer.address(), net.deployment.token, *transfer);
    auto gasPrice = m_rpc->gasPrice();
    REQUIRE_OK(gas);
    REQUIRE_OK(gasPrice);
    U256 quoted; // the quote's "at most": gas + 20 % at twice today's price
    QVERIFY(!U256::mulOverflows(*gasPrice, U256(2 * (*gas + *gas / 5)), quoted));
    const auto nonce = *m_rpc->pendingNonce(payer.address());

    U256 half; // what the same quote allows had gas cost half as much then
    QVERIFY(!U256::mulOverflows(*gasPrice, U256(*gas + *gas / 5), half));
    payer.sender.setFeeBudget(half);
    auto refused = payer.sender.send(net.deployment.token, *transfer);
    QVERIFY(!refused);
    QVERIFY2(refused.error().message.find("gas prices rose") != std::string::npos,
             refused.error().message.c_str());
    QCOMPARE(*m_rpc->pendingNonce(payer.address()), nonce); // nothing signed or sent
    QCOMPARE(net.nes("shop"), U256(0));

    payer.sender.setFeeBudget(quoted);
    REQUIRE_OK(payer.sender.send(net.deployment.token, *transfer));
    QCOMPARE(net.nes("shop"), U256(kNes));
    QVERIFY(payer.sender.feeBudget() && *payer.sender.feeBudget() < quoted);
    payer.sender.setFeeBudget(std::nullopt);
  }

  void theDevnetDeploysOnceAndKeepsTheDemoAccountToItself() {
    QTemporaryDir dir;
    DevnetOptions options;
    options.dataDir = dir.path().toStdString();
    options.demoAccount = testKey("demo").address();
    options.gasAccounts = {testKey("local miner").address()};
    Deployment first;
    {
      auto devnet = Devnet::start(options);
      REQUIRE_OK(devnet);
      first = devnet->deployment();
      auto contracts = NesaContracts::attach(first, defaultArtifactDir());
      REQUIRE_OK(contracts);
      QCOMPARE(uintOf(contracts->token.call(devnet->rpc(), "balanceOf",
                                            {V::address(*options.demoAccount)})),
               options.demoAmount);
      QVERIFY(!devnet->rpc().balance(testKey("local miner").address())->isZero());
      QCOMPARE(devnet->stop(), 0);
    }
    {
      // The next start continues the same chain: same contracts, the demo account funded once.
      auto devnet = Devnet::start(options);
      REQUIRE_OK(devnet);
      QCOMPARE(devnet->deployment().token, first.token);
      QCOMPARE(devnet->deployment().governor, first.governor);
      auto contracts = NesaContracts::attach(first, defaultArtifactDir());
      QCOMPARE(uintOf(contracts->token.call(devnet->rpc(), "balanceOf",
                                            {V::address(*options.demoAccount)})),
               options.demoAmount);
      // A real network needs its deployment file, for its own chain id.
      RpcClient &rpc = devnet->rpc();
      auto missing = loadDeployment(rpc, dir.filePath(QStringLiteral("none.json")).toStdString(),
                                    kDevnetChainId);
      QVERIFY(!missing);
      QVERIFY(missing.error().message.find("needs its deployment file") != std::string::npos);
      const auto file = std::filesystem::path(options.dataDir) / "chain" / "deployment.json";
      REQUIRE_OK(loadDeployment(rpc, file, kDevnetChainId));
      QVERIFY(!loadDeployment(rpc, file, 1));

      // Events are searched from the deployment's block on, in windows a public node accepts.
      auto connection = ChainConnection::open({devnet->endpoint(), kDevnetChainId, file});
      REQUIRE_OK(connection);
      const auto &deployment = (*connection)->deployment();
      QVERIFY(deployment.deploymentBlock > 0);
      REQUIRE_OK(rpc.call("anvil_mine", nlohmann::json::array({U256(25).toQuantity()})));
      const AccountKey demoKey = testKey("demo"); // the Transactor keeps a reference
      Transactor demo(rpc, demoKey, kDevnetChainId);
      auto transfer = contracts->token.encode(
          "transfer", {V::address(testKey("shop").address()), V::uint(kNes)});
      REQUIRE_OK(transfer);
      REQUIRE_OK(demo.send(deployment.token, *transfer));
      auto topic = contracts->token.eventTopic("Transfer");
      REQUIRE_OK(topic);
      Hash32 demoTopic{};
      std::copy(options.demoAccount->begin(), options.demoAccount->end(), demoTopic.begin() + 12);
      const std::vector<std::optional<Hash32>> toDemo{*topic, std::nullopt, demoTopic},
          fromDemo{*topic, demoTopic};
      auto funded = (*connection)->events(deployment.token, toDemo, 10); // windows of 10 blocks
      auto spent = (*connection)->events(deployment.token, fromDemo, 10);
      REQUIRE_OK(funded);
      REQUIRE_OK(spent);
      QCOMPARE(funded->size(), std::size_t{1}); // in the first window
      QVERIFY(funded->front().blockNumber >= deployment.deploymentBlock);
      QCOMPARE(spent->size(), std::size_t{1}); // three windows later
      QVERIFY(spent->front().blockNumber > deployment.deploymentBlock + 25);
      QCOMPARE(rpc.logs(deployment.token, fromDemo, 0, std::nullopt)->size(), spent->size());
      QCOMPARE(devnet->stop(), 0);
    }
    // The demo account's phrase is public: never on another chain id.
    options.chainId = 1;
    auto mainnet = Devnet::start(options);
    QVERIFY(!mainnet);
    QVERIFY2(mainnet.error().message.find("phrase is public") != std::string::npos,
             mainnet.error().message.c_str());
    QVERIFY(!checkDemoAllowed(10));
    REQUIRE_OK(checkDemoAllowed(kDevnetChainId));
  }

  // Receipts are cumulative per session, so two programs paying from one account would sign
  // overlapping amounts: the second is refused while the first holds the account's receipts.
  void oneProgramAtATimePaysFromAnAccount() {
    QTemporaryDir dir;
    DevnetOptions options;
    options.dataDir = dir.path().toStdString();
    options.demoAccount = testKey("demo").address();
    auto devnet = Devnet::start(options);
    REQUIRE_OK(devnet);
    const auto file = std::filesystem::path(options.dataDir) / "chain" / "deployment.json";
    auto connection = ChainConnection::open({devnet->endpoint(), kDevnetChainId, file});
    REQUIRE_OK(connection);
    const auto receipts = std::filesystem::path(options.dataDir) / "payer-receipts.json";
    const auto payer = [&] {
      return std::make_unique<SessionPayer>(**connection, testKey("demo"), SessionPayer::Terms{},
                                            std::filesystem::path(), receipts);
    };
    auto first = payer();
    REQUIRE_OK(first->loadReceipts());
    auto second = payer();
    auto refused = second->loadReceipts();
    QVERIFY(!refused);
    QCOMPARE(refused.error().code, ErrorCode::Unavailable);
    QVERIFY2(refused.error().message.find("another program is paying from account") !=
                 std::string::npos,
             refused.error().message.c_str());
    first.reset(); // the first program ends (a crash releases the lock the same way)
    REQUIRE_OK(second->loadReceipts());
    QCOMPARE(devnet->stop(), 0);
  }

private:
  /// Jurors of dispute `id` commit and reveal what an honest recomputation of `job` says about
  /// `reported`; then the dispute is finalized.
  void judge(Network &net, std::uint64_t id, const Bytes &job, const Hash32 &reported) {
    STEP(commitVotes(net, id, job, reported, 0));
    REQUIRE_OK(
        advanceTime(*m_rpc, uintOf(net.c->parameters.call(*m_rpc, "commitPeriod")).low64() + 1));
    STEP(revealVotes(net, id));
    auto early = net.c->disputes.send(net.actor("client").sender, "finalize", {V::uint(id)});
    QVERIFY(!early); // before the reveal deadline
    REQUIRE_OK(
        advanceTime(*m_rpc, uintOf(net.c->parameters.call(*m_rpc, "revealPeriod")).low64() + 1));
    REQUIRE_OK(net.c->disputes.send(net.actor("client").sender, "finalize", {V::uint(id)}));
  }

  /// The jurors of dispute `id` commit their honest verdict; the first `silentJurors` do not.
  void commitVotes(Network &net, std::uint64_t id, const Bytes &job, const Hash32 &reported,
                   int silentJurors) {
    auto dispute = net.c->disputes.call(*m_rpc, "dispute", {V::uint(id)});
    REQUIRE_OK(dispute);
    const auto jurors = *(*(*dispute)[0].asList())[10].asList();
    Ballots &ballots = m_ballots[id];
    ballots.guilty = honestVerdict(job, reported);
    for (std::size_t i = 0; i < jurors.size(); ++i) {
      const std::string name = net.nameOf(*jurors[i].asAddress());
      if (static_cast<int>(i) < silentJurors) {
        m_lastSilentJuror = name;
        continue;
      }
      ballots.voters.push_back(name);
      REQUIRE_OK(net.c->disputes.send(
          net.actor(name).sender, "commit",
          {V::uint(id), V::bytes(voteCommitment(id, net.actor(name).address(), ballots.guilty,
                                                saltOf(name, id)))}));
    }
  }

  /// The committed jurors of dispute `id` reveal (a reveal unlike the commitment is refused first).
  void revealVotes(Network &net, std::uint64_t id) {
    const Ballots &ballots = m_ballots[id];
    for (const std::string &name : ballots.voters) {
      QVERIFY(!net.c->disputes.send(
          net.actor(name).sender, "reveal",
          {V::uint(id), V::boolean(!ballots.guilty), V::bytes(saltOf(name, id))}));
      REQUIRE_OK(net.c->disputes.send(
          net.actor(name).sender, "reveal",
          {V::uint(id), V::boolean(ballots.guilty), V::bytes(saltOf(name, id))}));
    }
  }

  static Hash32 saltOf(const std::string &juror, std::uint64_t id) {
    return keccak256(std::string_view("salt " + juror + " " + std::to_string(id)));
  }

  /// Proposes Parameters.set(name, value), votes for it with "holder", queues it and executes
  /// it after the timelock; `applies` says whether execution should succeed.
  void passProposal(Network &net, const std::string &name, std::uint64_t value, bool applies) {
    Actor &holder = net.actor("holder");
    auto call = net.c->parameters.encode("set", {V::string(name), V::uint(value)});
    REQUIRE_OK(call);
    const std::string description = "set " + name + " to " + std::to_string(value);
    const std::vector<V> proposal = {V::list({V::address(net.deployment.parameters)}),
                                     V::list({V::uint(0)}), V::list({V::bytes(*call)})};
    std::vector<V> propose = proposal;
    propose.push_back(V::string(description));
    auto id = net.c->governor.call(*m_rpc, "propose", propose, holder.address());
    REQUIRE_OK(id);
    REQUIRE_OK(net.c->governor.send(holder.sender, "propose", propose));
    REQUIRE_OK(advanceTime(*m_rpc, 11));
    REQUIRE_OK(net.c->governor.send(holder.sender, "castVote", {(*id)[0], V::uint(1)}));
    REQUIRE_OK(advanceTime(*m_rpc, 3'601));
    std::vector<V> queued = proposal;
    queued.push_back(V::bytes(keccak256(std::string_view(description))));
    REQUIRE_OK(net.c->governor.send(holder.sender, "queue", queued));
    auto tooSoon = net.c->governor.send(holder.sender, "execute", queued);
    QVERIFY(!tooSoon); // the timelock's delay
    REQUIRE_OK(advanceTime(*m_rpc, 601));
    auto executed = net.c->governor.send(holder.sender, "execute", queued);
    QVERIFY2(executed.ok() == applies,
             executed ? description.c_str() : executed.error().message.c_str());
    if (applies)
      return;
    // The timelock passes the Parameters contract's own refusal up: it names the bound.
    const std::string why = net.c->parameters.explain(executed.error()).message;
    QVERIFY2(why.find("OutOfBounds(\"" + name + "\", " + std::to_string(value) + ",") !=
                 std::string::npos,
             why.c_str());
  }

  std::optional<AnvilNode> m_anvil;
  std::unique_ptr<RpcClient> m_rpc;
  struct Ballots {
    bool guilty = false;
    std::vector<std::string> voters;
  };
  std::map<std::uint64_t, Ballots> m_ballots;
  std::string m_lastSilentJuror;
};

QTEST_GUILESS_MAIN(TestEvmChain)
#include "tst_evm_chain.moc"
