#include "chain/nesa_contracts.h"
#include "chain/internal/json_guard.h"

#include "chain/account_key.h"
#include "chain/keccak.h"
#include "util/atomic_file.h"

#include <fstream>

namespace nesa::chain {

using json = nlohmann::json;

namespace {

/// The deployment's fields with their names in the file, in one place.
template <typename D, typename F> void forEachAddress(D &deployment, F &&f) {
  f("token", deployment.token);
  f("parameters", deployment.parameters);
  f("registry", deployment.registry);
  f("sessions", deployment.sessions);
  f("disputes", deployment.disputes);
  f("timelock", deployment.timelock);
  f("governor", deployment.governor);
}

} // namespace

Result<Deployment> Deployment::load(const std::filesystem::path &file) {
  return internal::guardJson("the deployment file " + file.string(), [&]() -> Result<Deployment> {
    std::ifstream in(file);
    if (!in)
      return fail(ErrorCode::NotFound, "no deployment file " + file.string());
    const json j = json::parse(in, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("chainId") ||
        !j["chainId"].is_number_unsigned())
      return fail(ErrorCode::Corrupt, file.string() + " is not a deployment file");
    Deployment d;
    d.chainId = j["chainId"].get<std::uint64_t>();
    std::string problem;
    forEachAddress(d, [&](const char *name, Address &address) {
      auto parsed = parseAddress(j.value(name, std::string()));
      if (!parsed && problem.empty())
        problem = std::string(name) + ": " + parsed.error().message;
      if (parsed)
        address = *parsed;
    });
    if (!problem.empty())
      return fail(ErrorCode::Corrupt, file.string() + ": " + problem);
    if (j.contains("deploymentBlock")) {
      if (!j["deploymentBlock"].is_number_unsigned())
        return fail(ErrorCode::Corrupt, file.string() + ": deploymentBlock is not a block number");
      d.deploymentBlock = j["deploymentBlock"].get<std::uint64_t>();
    }
    return d;
  });
}

Result<void> Deployment::save(const std::filesystem::path &file) const {
  json j = {{"chainId", chainId}, {"deploymentBlock", deploymentBlock}};
  forEachAddress(
      *this, [&](const char *name, const Address &address) { j[name] = checksumAddress(address); });
  return writeFileAtomically(file, j.dump(2) + "\n");
}

Result<NesaContracts> NesaContracts::attach(const Deployment &d, const std::filesystem::path &dir) {
  const std::pair<const char *, const Address *> parts[] = {
      {"NesToken", &d.token},         {"Parameters", &d.parameters},
      {"MinerRegistry", &d.registry}, {"PaymentSessions", &d.sessions},
      {"Disputes", &d.disputes},      {"NesaTimelock", &d.timelock},
      {"NesaGovernor", &d.governor}};
  std::vector<Contract> contracts;
  for (const auto &[name, address] : parts) {
    auto artifact = ContractArtifact::load(dir, name);
    if (!artifact)
      return artifact.error();
    contracts.emplace_back(std::move(*artifact), *address);
  }
  return NesaContracts{contracts[0], contracts[1], contracts[2], contracts[3],
                       contracts[4], contracts[5], contracts[6]};
}

Result<Deployment> deployNesa(Transactor &sender, const std::filesystem::path &dir,
                              const DeployOptions &options) {
  auto artifact = [&](const char *name) { return ContractArtifact::load(dir, name); };
  auto deploy = [&](const char *name,
                    const std::vector<abi::Value> &arguments) -> Result<Contract> {
    auto a = artifact(name);
    if (!a)
      return a.error();
    return deployContract(sender, *a, arguments);
  };
  using V = abi::Value;
  Deployment d;
  auto chainId = sender.rpc().chainId();
  if (!chainId)
    return chainId.error();
  d.chainId = *chainId;
  auto before = sender.rpc().blockNumber();
  if (!before)
    return before.error();
  d.deploymentBlock = *before + 1; // the token's deployment is mined after it

  auto token = deploy("NesToken", {V::address(options.holder), V::uint(options.supply)});
  if (!token)
    return token.error();
  auto timelock =
      deploy("NesaTimelock", {V::uint(options.timelockDelay), V::list({}),
                              V::list({V::address(Address{})}), V::address(sender.address())});
  if (!timelock)
    return timelock.error();
  auto parameters = deploy("Parameters", {V::address(timelock->address())});
  if (!parameters)
    return parameters.error();
  auto registry =
      deploy("MinerRegistry", {V::address(token->address()), V::address(parameters->address())});
  if (!registry)
    return registry.error();
  const std::vector<V> wiring = {V::address(token->address()), V::address(parameters->address()),
                                 V::address(registry->address())};
  auto sessions = deploy("PaymentSessions", wiring);
  auto disputes = deploy("Disputes", wiring);
  if (!sessions || !disputes)
    return sessions ? disputes.error() : sessions.error();
  if (auto linked = registry->send(
          sender, "link", {V::address(sessions->address()), V::address(disputes->address())});
      !linked)
    return linked.error();
  auto governor =
      deploy("NesaGovernor", {V::address(token->address()), V::address(timelock->address()),
                              V::uint(options.votingDelay), V::uint(options.votingPeriod),
                              V::uint(options.proposalThreshold)});
  if (!governor)
    return governor.error();

  // The governor proposes and cancels; the deployer keeps no role.
  for (const char *role : {"PROPOSER_ROLE", "CANCELLER_ROLE"}) {
    auto id = timelock->call(sender.rpc(), role);
    if (!id)
      return id.error();
    if (auto granted =
            timelock->send(sender, "grantRole", {(*id)[0], V::address(governor->address())});
        !granted)
      return granted.error();
  }
  auto admin = timelock->call(sender.rpc(), "DEFAULT_ADMIN_ROLE");
  if (!admin)
    return admin.error();
  if (auto renounced =
          timelock->send(sender, "renounceRole", {(*admin)[0], V::address(sender.address())});
      !renounced)
    return renounced.error();

  d.token = token->address();
  d.parameters = parameters->address();
  d.registry = registry->address();
  d.sessions = sessions->address();
  d.disputes = disputes->address();
  d.timelock = timelock->address();
  d.governor = governor->address();
  return d;
}

} // namespace nesa::chain
