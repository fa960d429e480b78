// The Ethereum account of a recovery phrase: BIP-32 secp256k1 derivation along the BIP-44 path
// m/44'/60'/0'/0/i, as every Ethereum wallet restores it from the same 24 words.
#pragma once

#include "chain/account_key.h"
#include "util/result.h"
#include "util/secure_buffer.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace nesa::wallet {

/// A BIP-32 node on secp256k1: the private key and chain code in locked memory, and what the
/// extended-key serialisation needs.
struct Bip32Node {
  SecureBuffer key;
  SecureBuffer chainCode;
  std::uint8_t depth = 0;
  std::uint32_t parentFingerprint = 0;
  std::uint32_t childNumber = 0;
};

/// The hardened bit of a BIP-32 index.
inline constexpr std::uint32_t kHardened = 0x80000000u;

/// The master node of `seed` (16–64 bytes): HMAC-SHA512("Bitcoin seed", seed).
Result<Bip32Node> bip32Master(const SecureBuffer &seed);

/// The child `index` of `parent`; indices ≥ 2^31 are hardened.
Result<Bip32Node> bip32Child(const Bip32Node &parent, std::uint32_t index);

/// The node at `path` below the master of `seed`: "m/44'/60'/0'/0/0" ("H" or "'" mark a
/// hardened step). A malformed path is an InvalidInput error.
Result<Bip32Node> bip32Derive(const SecureBuffer &seed, std::string_view path);

/// The Base58Check "xprv…" text of `node` (mainnet version bytes), as BIP-32 writes its vectors.
std::string extendedPrivateKeyText(const Bip32Node &node);

/// SLIP-0044's coin type for Ether.
inline constexpr std::uint32_t kEthereumCoinType = 60;

/// "m/44'/60'/0'/0/<index>": the path of Ethereum account `index` (MetaMask, Ledger Live).
std::string ethereumPath(std::uint32_t index);

/// The secp256k1 key of Ethereum account `index` of `seed`.
Result<chain::AccountKey> ethereumAccountKey(const SecureBuffer &seed, std::uint32_t index);

/// The devnet's demo wallet: a recovery phrase everybody knows (the BIP39 test phrase), so its
/// account exists only on the local devnet's chain id (chain::checkDemoAllowed). `nesa wallet
/// restore` with it gives its funds to play with.
inline constexpr const char *kDevnetDemoPhrase =
    "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon "
    "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon "
    "abandon art";

/// Ethereum account 0 of the demo phrase (0xF278cF59F82eDcf871d630F28EcC8056f25C1cdb).
Result<chain::AccountKey> devnetDemoAccountKey();

/// Refuses to let `account` sign on chain `chainId` when it is the demo phrase's account and the
/// chain is not the local devnet's: anyone can sign with that key, so nothing of value may ever
/// be sent from or to it (a wallet restored from the demo phrase included).
Result<void> checkSigningAllowed(const chain::Address &account, std::uint64_t chainId);

} // namespace nesa::wallet
