// A deployed contract addressed by function name: encoded calls, decoded answers, transactions
// through a Transactor, event topics, and reverts explained with the contract's own error names.
#pragma once

#include "chain/contract_artifact.h"
#include "chain/transactor.h"

namespace nesa::chain {

/// A contract at an address.
class Contract {
public:
  Contract(ContractArtifact artifact, const Address &address)
      : m_artifact(std::move(artifact)), m_address(address) {}

  /// Call data for `function` with `arguments`.
  Result<Bytes> encode(const std::string &function, const std::vector<abi::Value> &arguments) const;
  /// eth_call of a view (or a dry run of any function) from `from`; the decoded outputs.
  Result<std::vector<abi::Value>> call(RpcClient &rpc, const std::string &function,
                                       const std::vector<abi::Value> &arguments = {},
                                       const std::optional<Address> &from = std::nullopt) const;
  /// A transaction calling `function`, mined.
  Result<Sent> send(Transactor &sender, const std::string &function,
                    const std::vector<abi::Value> &arguments, const U256 &value = 0) const;
  /// topic0 of event `event` (keccak256 of its signature).
  Result<Hash32> eventTopic(const std::string &event) const;
  /// The same error with a revert's custom error spelled out ("BelowMinStake(5, 100000000)").
  Error explain(const Error &error) const;

  const Address &address() const { return m_address; }
  const ContractArtifact &artifact() const { return m_artifact; }

private:
  ContractArtifact m_artifact;
  Address m_address{};
};

/// Deploys `artifact` with `constructorArguments` from `sender`; the new contract.
Result<Contract> deployContract(Transactor &sender, const ContractArtifact &artifact,
                                const std::vector<abi::Value> &constructorArguments);

} // namespace nesa::chain
