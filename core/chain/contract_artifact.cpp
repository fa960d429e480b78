#include "chain/contract_artifact.h"
#include "chain/internal/json_guard.h"
#include "util/paths.h"

#include <cstdlib>
#include <fstream>

namespace nesa::chain {

using json = nlohmann::json;

namespace {

/// "uint256", "(address,uint64)[]": the canonical type text of an ABI parameter.
std::string canonicalType(const json &parameter) {
  const std::string type = parameter.value("type", "");
  if (!type.starts_with("tuple"))
    return type;
  std::string inner = "(";
  bool first = true;
  for (const json &component : parameter.value("components", json::array())) {
    inner += (first ? "" : ",") + canonicalType(component);
    first = false;
  }
  return inner + ")" + type.substr(5); // keeps any array suffix
}

std::string typeList(const json &parameters) {
  std::string out;
  for (const json &p : parameters)
    out += (out.empty() ? "" : ",") + canonicalType(p);
  return out;
}

} // namespace

Result<ContractArtifact> ContractArtifact::load(const std::filesystem::path &dir,
                                                const std::string &name) {
  return internal::guardJson("the contract artifact " + name, [&]() -> Result<ContractArtifact> {
    const auto file = dir / (name + ".json");
    std::ifstream in(file);
    if (!in)
      return fail(ErrorCode::NotFound, "no compiled contract " + file.string() +
                                           " (the build writes it: cmake --build build)");
    const json artifact = json::parse(in, nullptr, false);
    if (artifact.is_discarded() || !artifact.contains("abi") || !artifact.contains("bytecode"))
      return fail(ErrorCode::Corrupt, file.string() + " is not a contract artifact");
    auto bytecode = fromHex(artifact["bytecode"].get<std::string>());
    if (!bytecode || bytecode->empty())
      return fail(ErrorCode::Corrupt, file.string() + " has no creation code");
    return ContractArtifact{name, artifact["abi"], std::move(*bytecode)};
  });
}

Result<std::string> ContractArtifact::functionSignature(const std::string &function) const {
  return internal::guardJson("the ABI of " + name, [&]() -> Result<std::string> {
    std::optional<std::string> found;
    for (const json &entry : abi) {
      if (entry.value("type", "") != "function" || entry.value("name", "") != function)
        continue;
      if (found)
        return fail(ErrorCode::InvalidInput, name + "." + function + " is overloaded");
      found = function + "(" + typeList(entry.value("inputs", json::array())) + ")";
    }
    if (!found)
      return fail(ErrorCode::NotFound, name + " has no function " + function);
    return *found;
  });
}

Result<std::vector<abi::Type>> ContractArtifact::outputTypes(const std::string &function) const {
  return internal::guardJson("the ABI of " + name, [&]() -> Result<std::vector<abi::Type>> {
    for (const json &entry : abi)
      if (entry.value("type", "") == "function" && entry.value("name", "") == function)
        return abi::parseTypeList(typeList(entry.value("outputs", json::array())));
    return fail(ErrorCode::NotFound, name + " has no function " + function);
  });
}

Result<Bytes>
ContractArtifact::deployData(const std::vector<abi::Value> &constructorArguments) const {
  return internal::guardJson("the ABI of " + name, [&]() -> Result<Bytes> {
    std::string types;
    for (const json &entry : abi)
      if (entry.value("type", "") == "constructor")
        types = typeList(entry.value("inputs", json::array()));
    auto parsed = abi::parseTypeList(types);
    if (!parsed)
      return parsed.error();
    auto arguments = abi::encode(*parsed, constructorArguments);
    if (!arguments)
      return arguments.error().withContext(name + " constructor");
    Bytes out = bytecode;
    out.insert(out.end(), arguments->begin(), arguments->end());
    return out;
  });
}

std::filesystem::path defaultArtifactDir() {
  if (const char *fromEnv = std::getenv("NESA_CONTRACTS"); fromEnv && *fromEnv)
    return fromEnv;
  return paths::shippedData("share/nesa/contracts", NESA_CONTRACTS_DIR);
}

} // namespace nesa::chain
