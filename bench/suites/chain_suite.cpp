// chain: what paying on an EVM chain costs. EIP-712 receipts signed and verified by our client vs
// raw libsecp256k1 signing and recovery of the same number of digests; and the gas of a paid
// query amortised over a PayForQuery session of 1 000 queries vs paying each query with its own
// token transfer, measured on a local anvil with the real contracts.
#include "chain/devnet.h"
#include "chain/keccak.h"
#include "chain/signed_messages.h"
#include "harness.h"
#include "suites/suites.h"

#include <secp256k1.h>
#include <secp256k1_recovery.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <memory>

namespace nesa::bench {
namespace {

using namespace nesa::chain;
using V = abi::Value;
namespace fs = std::filesystem;

constexpr int kReceipts = 1000;
constexpr std::uint64_t kQueries = 1000;

template <typename T> T need(Result<T> result, const char *what) {
  if (!result) {
    std::cerr << "chain suite: " << what << ": " << result.error().message << '\n';
    std::exit(1);
  }
  return std::move(result).value();
}

AccountKey keyNamed(const std::string &name) {
  return need(AccountKey::fromSecret(keccak256(std::string_view("nesa bench " + name))), "a key");
}

/// The baseline: libsecp256k1 alone signs a digest and recovers the public key from it.
double rawSignRecover(const Hash32 &secret) {
  secp256k1_context *ctx =
      secp256k1_context_create(SECP256K1_CONTEXT_SIGN | SECP256K1_CONTEXT_VERIFY);
  const double ms = timeMs([&] {
    for (int i = 0; i < kReceipts; ++i) {
      Hash32 digest{};
      digest[0] = static_cast<std::uint8_t>(i);
      digest[1] = static_cast<std::uint8_t>(i >> 8);
      secp256k1_ecdsa_recoverable_signature sig;
      secp256k1_pubkey key;
      if (!secp256k1_ecdsa_sign_recoverable(ctx, &sig, digest.data(), secret.data(), nullptr,
                                            nullptr) ||
          !secp256k1_ecdsa_recover(ctx, &key, &sig, digest.data()))
        std::exit(1);
    }
  });
  secp256k1_context_destroy(ctx);
  return ms;
}

/// The candidate: a client signs cumulative receipts; the miner recomputes each digest and
/// checks that the client signed it, as PaymentSessions will.
double receiptSignVerify(const AccountKey &client, const Address &miner, const Address &sessions) {
  return timeMs([&] {
    for (int i = 0; i < kReceipts; ++i) {
      const PaymentReceipt r{client.address(), miner, 0, static_cast<std::uint64_t>(i + 1),
                             U256(static_cast<std::uint64_t>(i + 1) * 12)};
      const Signature sig = client.sign(receiptDigest(r, kDevnetChainId, sessions));
      auto signer = recoverSigner(receiptDigest(r, kDevnetChainId, sessions), sig);
      if (!signer || *signer != client.address())
        std::exit(1);
    }
  });
}

/// Gas figures from sessions on a fresh devnet: a plain token transfer, and approve + open +
/// settlements + close for kQueries queries (a first session, then the steady state).
struct GasFigures {
  double transfer = 0;
  double firstSession = 0;       ///< the miner's first: pays for its first balance and reputation
  double sessionSettledOnce = 0; ///< steady state, one settlement at the end
  double sessionSettledEvery100 = 0;
};

GasFigures measureGas() {
  const fs::path dir =
      fs::temp_directory_path() / ("nesa-bench-chain-" + std::to_string(::getpid()));
  DevnetOptions options;
  options.dataDir = dir;
  const AccountKey client = keyNamed("client"), miner = keyNamed("miner");
  options.gasAccounts = {client.address(), miner.address()};
  auto devnet = need(Devnet::start(options), "starting a devnet");
  const NesaContracts c =
      need(NesaContracts::attach(devnet.deployment(), defaultArtifactDir()), "contracts");
  RpcClient &rpc = devnet.rpc();
  Transactor clientTx(rpc, client, kDevnetChainId), minerTx(rpc, miner, kDevnetChainId);
  for (const Address &who : {client.address(), miner.address()})
    if (auto funded = devnet.fund(who, U256(1'000'000'000ULL)); !funded) {
      std::cerr << "chain suite: funding: " << funded.error().message << '\n';
      std::exit(1);
    }
  need(c.token.send(minerTx, "approve",
                    {V::address(c.registry.address()), V::uint(1'000'000'000ULL)}),
       "approve");
  need(c.registry.send(minerTx, "stake", {V::uint(1'000'000'000ULL)}), "stake");
  need(c.registry.send(minerTx, "register",
                       {V::string("127.0.0.1:1"), V::bytes(Bytes(32, 1)), V::uint(10), V::uint(1),
                        V::string("cpu")}),
       "register");
  GasFigures g;
  g.transfer = static_cast<double>(
      need(c.token.send(clientTx, "transfer", {V::address(miner.address()), V::uint(12)}),
           "transfer")
          .receipt.gasUsed);

  auto session = [&](std::uint64_t settleEvery) {
    std::uint64_t gas = 0;
    const std::uint64_t now = need(rpc.latestTimestamp(), "time");
    gas += need(c.token.send(clientTx, "approve",
                             {V::address(c.sessions.address()), V::uint(100'000)}),
                "approve")
               .receipt.gasUsed;
    gas +=
        need(c.sessions.send(clientTx, "open",
                             {V::address(miner.address()), V::uint(100'000), V::uint(now + 3'600)}),
             "open")
            .receipt.gasUsed;
    auto epoch = need(c.sessions.call(rpc, "sessions",
                                      {V::address(client.address()), V::address(miner.address())}),
                      "session");
    const std::uint64_t e = (*epoch[4].asUint()).low64();
    for (std::uint64_t q = settleEvery; q <= kQueries; q += settleEvery) {
      const PaymentReceipt r{client.address(), miner.address(), e, q, U256(q * 12)};
      const Bytes sig = client.sign(receiptDigest(r, kDevnetChainId, c.sessions.address())).toRsv();
      gas += need(c.sessions.send(
                      minerTx, "settle",
                      {V::address(client.address()), V::uint(q), V::uint(q * 12), V::bytes(sig)}),
                  "settle")
                 .receipt.gasUsed;
    }
    if (!advanceTime(rpc, 3'600 + 86'400 + 1))
      std::exit(1);
    gas += need(c.sessions.send(clientTx, "close", {V::address(miner.address())}), "close")
               .receipt.gasUsed;
    return static_cast<double>(gas) / static_cast<double>(kQueries);
  };
  g.firstSession = session(kQueries);
  g.sessionSettledOnce = session(kQueries);
  g.sessionSettledEvery100 = session(100);
  devnet.stop();
  std::error_code ec;
  fs::remove_all(dir, ec);
  return g;
}

} // namespace

void registerChainSuite() {
  registerSuite(
      {"chain",
       "EIP-712 receipts vs raw libsecp256k1; gas per paid query in a session vs a transfer per "
       "query",
       [] {
         auto client = std::make_shared<AccountKey>(keyNamed("client"));
         const Address miner = keyNamed("miner").address();
         const Address sessions = keyNamed("sessions contract").address();
         Hash32 secret{};
         std::copy(client->secret().bytes().begin(), client->secret().bytes().end(),
                   secret.begin());
         const GasFigures gas = measureGas();
         std::cout << "chain: gas per query over a session of " << kQueries
                   << " queries: " << gas.sessionSettledOnce << " (settled once), "
                   << gas.sessionSettledEvery100 << " (settled every 100), " << gas.firstSession
                   << " (a miner's first session, settled once); a transfer per query: "
                   << gas.transfer << '\n';
         return std::vector<Comparison>{
             {"receipt_sign_verify_1000_vs_raw_secp256k1", "ms",
              [secret] { return rawSignRecover(secret); },
              [client, miner, sessions] { return receiptSignVerify(*client, miner, sessions); }},
             {"gas_per_query_session_1000_vs_transfer_per_query", "gas",
              [gas] { return gas.transfer; }, [gas] { return gas.sessionSettledOnce; }},
             {"gas_per_query_settle_every_100_vs_transfer_per_query", "gas",
              [gas] { return gas.transfer; }, [gas] { return gas.sessionSettledEvery100; }},
         };
       }});
}

} // namespace nesa::bench
