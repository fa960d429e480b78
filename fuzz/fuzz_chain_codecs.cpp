// libFuzzer target: the Ethereum decoders. The first byte picks one: 0 RLP, 1 a transaction
// (checked for chain 1), 2 ABI data of a tuple with static, dynamic and nested types.
#include "chain/abi.h"
#include "chain/rlp.h"
#include "chain/transaction.h"

#include <cstdint>
#include <span>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  using namespace nesa::chain;
  if (size == 0)
    return 0;
  const std::span<const std::uint8_t> rest(data + 1, size - 1);
  switch (data[0] % 3) {
  case 0:
    if (auto item = rlpDecode(rest)) // what decodes must encode back to the same bytes
      if (rlpEncode(*item) != Bytes(rest.begin(), rest.end()))
        __builtin_trap();
    break;
  case 1: (void)decodeTransaction(rest, 1); break;
  default: {
    static const auto types =
        abi::parseTypeList("uint256,bytes,address[],(uint64,string)[],bytes32[2],bool");
    if (auto values = abi::decode(*types, rest))
      (void)abi::encode(*types, *values);
    break;
  }
  }
  return 0;
}
