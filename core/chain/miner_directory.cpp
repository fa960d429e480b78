#include "chain/miner_directory.h"

#include "chain/account_key.h"

#include <algorithm>

namespace nesa::chain {

using V = abi::Value;

namespace {

std::string textOf(const V &value) {
  auto bytes = value.asBytes();
  return bytes ? std::string(bytes->begin(), bytes->end()) : std::string();
}

std::uint64_t low64(const V &value) {
  auto number = value.asUint();
  return number ? number->low64() : 0;
}

/// The registry's record of `account`, or nullopt when it is not registered.
Result<std::optional<MinerListing>> recordOf(RpcClient &rpc, const Contract &registry,
                                             const Address &account) {
  auto values = registry.call(rpc, "miners", {V::address(account)});
  if (!values)
    return values.error();
  if (values->size() != 6)
    return fail(ErrorCode::Corrupt,
                "MinerRegistry.miners answered " + std::to_string(values->size()) + " fields");
  const auto &v = *values;
  if (!*v[5].asBool())
    return std::optional<MinerListing>();
  MinerListing listing;
  listing.endpoint = textOf(v[0]);
  auto key = v[1].asBytes();
  if (!key || key->size() != 32)
    return fail(ErrorCode::Corrupt,
                "MinerRegistry.miners answered a wire key that is not 32 bytes");
  std::copy(key->begin(), key->end(), listing.wireKey.begin());
  listing.pricePerJob = low64(v[2]);
  listing.pricePerMiB = low64(v[3]);
  listing.backend = textOf(v[4]);
  return std::optional<MinerListing>(std::move(listing));
}

Result<U256> uintOf(Result<std::vector<V>> values, const char *what) {
  if (!values)
    return values.error();
  if (values->size() != 1)
    return fail(ErrorCode::Corrupt,
                std::string(what) + " answered " + std::to_string(values->size()) + " values");
  return (*values)[0].asUint();
}

bool sameListing(const MinerListing &a, const MinerListing &b) {
  return a.endpoint == b.endpoint && a.wireKey == b.wireKey && a.pricePerJob == b.pricePerJob &&
         a.pricePerMiB == b.pricePerMiB && a.backend == b.backend;
}

} // namespace

Result<std::vector<ListedMiner>> listMiners(RpcClient &rpc, const NesaContracts &contracts) {
  auto list = contracts.registry.call(rpc, "minerList");
  if (!list)
    return list.error();
  if (list->size() != 1)
    return fail(ErrorCode::Corrupt, "MinerRegistry.minerList answered no list");
  auto accounts = (*list)[0].asList();
  if (!accounts)
    return accounts.error();
  std::vector<ListedMiner> miners;
  for (const auto &entry : *accounts) {
    auto account = entry.asAddress();
    if (!account)
      return account.error();
    auto record = recordOf(rpc, contracts.registry, *account);
    if (!record)
      return record.error();
    if (!*record)
      continue; // deregistered between the two calls
    ListedMiner miner;
    miner.account = *account;
    miner.listing = std::move(**record);
    auto stake = uintOf(contracts.registry.call(rpc, "staked", {V::address(*account)}), "staked");
    if (!stake)
      return stake.error();
    miner.stake = *stake;
    auto reputation =
        uintOf(contracts.registry.call(rpc, "reputation", {V::address(*account)}), "reputation");
    if (!reputation)
      return reputation.error();
    miner.reputation = static_cast<std::int64_t>(reputation->low64()); // int256, two's complement
    miners.push_back(std::move(miner));
  }
  return miners;
}

Result<Publication> publishMiner(Transactor &sender, const NesaContracts &contracts,
                                 const MinerListing &listing) {
  RpcClient &rpc = sender.rpc();
  const Address &self = sender.address();
  const std::string who = checksumAddress(self);
  Publication done;
  auto minimum = uintOf(contracts.parameters.call(rpc, "minStake"), "minStake");
  auto staked = uintOf(contracts.registry.call(rpc, "staked", {V::address(self)}), "staked");
  if (!minimum)
    return minimum.error();
  if (!staked)
    return staked.error();
  if (*staked < *minimum) {
    U256 missing;
    U256::subtract(*minimum, *staked, missing);
    auto balance = uintOf(contracts.token.call(rpc, "balanceOf", {V::address(self)}), "balanceOf");
    if (!balance)
      return balance.error();
    if (*balance < missing)
      return fail(ErrorCode::Unavailable, "miner account " + who + " needs " + missing.toDecimal() +
                                              " µNES to stake and holds " + balance->toDecimal() +
                                              ": send it $NES (and gas) to register");
    if (auto approved = contracts.token.send(
            sender, "approve", {V::address(contracts.registry.address()), V::uint(missing)});
        !approved)
      return approved.error().withContext("approving the stake of " + who);
    if (auto sent = contracts.registry.send(sender, "stake", {V::uint(missing)}); !sent)
      return sent.error().withContext("staking from " + who);
    done.staked = missing;
  }
  auto current = recordOf(rpc, contracts.registry, self);
  if (!current)
    return current.error();
  if (*current && sameListing(**current, listing))
    return done;
  if (auto sent = contracts.registry.send(
          sender, "register",
          {V::string(listing.endpoint), V::bytes(std::span<const std::uint8_t>(listing.wireKey)),
           V::uint(listing.pricePerJob), V::uint(listing.pricePerMiB), V::string(listing.backend)});
      !sent)
    return sent.error().withContext("registering miner " + who);
  done.changed = true;
  return done;
}

} // namespace nesa::chain
