// What the contract build (contracts/build.js) leaves for each contract: its ABI and creation
// code, read from the build folder, and function/event lookups by name.
#pragma once

#include "chain/abi.h"

#include <nlohmann/json.hpp>

#include <filesystem>

namespace nesa::chain {

/// One compiled contract.
struct ContractArtifact {
  std::string name;
  nlohmann::json abi;
  Bytes bytecode;

  /// Reads DIR/<name>.json.
  static Result<ContractArtifact> load(const std::filesystem::path &dir, const std::string &name);

  /// The canonical signature of function `function` ("settle(address,uint64,uint256,bytes)");
  /// NotFound when the ABI has no such function, InvalidInput when it is overloaded.
  Result<std::string> functionSignature(const std::string &function) const;
  /// The output types of function `function`.
  Result<std::vector<abi::Type>> outputTypes(const std::string &function) const;
  /// Creation code followed by the ABI-encoded constructor arguments.
  Result<Bytes> deployData(const std::vector<abi::Value> &constructorArguments) const;
};

/// The contracts' artifacts: $NESA_CONTRACTS if set, else share/nesa/contracts of an installed
/// program, or the build tree's for this build's programs (paths::shippedData).
std::filesystem::path defaultArtifactDir();

} // namespace nesa::chain
