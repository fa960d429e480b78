#include "chain/contract.h"

#include "chain/keccak.h"

namespace nesa::chain {

using json = nlohmann::json;

namespace {

std::string signatureOf(const json &entry) {
  std::string types;
  for (const json &input : entry.value("inputs", json::array()))
    types += (types.empty() ? "" : ",") + input.value("type", "");
  return entry.value("name", "") + "(" + types + ")";
}

std::string describe(const abi::Value &value) {
  if (const auto *word = std::get_if<U256>(&value.data))
    return word->bitLength() > 64 ? word->toQuantity() : word->toDecimal();
  if (const auto *bytes = std::get_if<Bytes>(&value.data)) {
    const bool printable = std::all_of(bytes->begin(), bytes->end(),
                                       [](std::uint8_t c) { return c >= 0x20 && c < 0x7f; });
    return printable ? "\"" + std::string(bytes->begin(), bytes->end()) + "\"" : toHex(*bytes);
  }
  return "[…]";
}

} // namespace

Result<Bytes> Contract::encode(const std::string &function,
                               const std::vector<abi::Value> &arguments) const {
  auto signature = m_artifact.functionSignature(function);
  if (!signature)
    return signature.error();
  return abi::encodeCall(*signature, arguments);
}

Result<std::vector<abi::Value>> Contract::call(RpcClient &rpc, const std::string &function,
                                               const std::vector<abi::Value> &arguments,
                                               const std::optional<Address> &from) const {
  auto data = encode(function, arguments);
  if (!data)
    return data.error();
  auto answer = rpc.ethCall(m_address, *data, from);
  if (!answer)
    return explain(answer.error());
  auto types = m_artifact.outputTypes(function);
  if (!types)
    return types.error();
  auto decoded = abi::decode(*types, *answer);
  if (!decoded)
    return decoded.error().withContext(m_artifact.name + "." + function);
  return decoded;
}

Result<Sent> Contract::send(Transactor &sender, const std::string &function,
                            const std::vector<abi::Value> &arguments, const U256 &value) const {
  auto data = encode(function, arguments);
  if (!data)
    return data.error();
  auto sent = sender.send(m_address, *data, value);
  if (!sent)
    return explain(sent.error()).withContext(m_artifact.name + "." + function);
  return sent;
}

Result<Hash32> Contract::eventTopic(const std::string &event) const {
  for (const json &entry : m_artifact.abi)
    if (entry.value("type", "") == "event" && entry.value("name", "") == event)
      return keccak256(std::string_view(signatureOf(entry)));
  return fail(ErrorCode::NotFound, m_artifact.name + " has no event " + event);
}

Error Contract::explain(const Error &error) const {
  const auto at = error.message.find("[revert 0x");
  if (at == std::string::npos)
    return error;
  const auto end = error.message.find(']', at);
  auto data = fromHex(error.message.substr(at + 8, end - at - 8));
  if (!data || data->size() < 4)
    return error;
  for (const json &entry : m_artifact.abi) {
    if (entry.value("type", "") != "error")
      continue;
    const std::string signature = signatureOf(entry);
    const auto selector = abi::selector(signature);
    if (!std::equal(selector.begin(), selector.end(), data->begin()))
      continue;
    std::string text = entry.value("name", "") + "(";
    auto types = abi::parseTypeList(
        signature.substr(signature.find('(') + 1, signature.size() - signature.find('(') - 2));
    if (types)
      if (auto values = abi::decode(*types, std::span(*data).subspan(4)))
        for (std::size_t i = 0; i < values->size(); ++i)
          text += (i ? ", " : "") + describe((*values)[i]);
    // The node's own text of the revert may show the raw data as characters: keep what precedes it.
    static constexpr std::string_view kReverted = "execution reverted";
    const auto reverted = error.message.find(kReverted);
    const std::string prefix = reverted == std::string::npos
                                   ? error.message.substr(0, at)
                                   : error.message.substr(0, reverted + kReverted.size()) + ": ";
    return Error{error.code, prefix + text + ")"};
  }
  return error;
}

Result<Contract> deployContract(Transactor &sender, const ContractArtifact &artifact,
                                const std::vector<abi::Value> &constructorArguments) {
  auto data = artifact.deployData(constructorArguments);
  if (!data)
    return data.error();
  auto sent = sender.send(std::nullopt, *data);
  if (!sent)
    return sent.error().withContext("Deploying " + artifact.name);
  if (!sent->receipt.contractAddress)
    return fail(ErrorCode::Internal, "deploying " + artifact.name + " created no contract");
  return Contract(artifact, *sent->receipt.contractAddress);
}

} // namespace nesa::chain
