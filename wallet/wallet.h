// The $NES wallet: accounts derived from one recovery phrase, kept in an encrypted store.
#pragma once

#include "chain/account_key.h"
#include "storage/key_derivation.h"
#include "util/result.h"
#include "util/secure_buffer.h"

#include <array>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace nesa::storage {
class EncryptedStore;
}

namespace nesa::wallet {

struct KeyPair;

/// One account: public facts only, available while the wallet is locked too.
struct Account {
  std::uint32_t index = 0; ///< derivation index: m/44'/8888'/index'/0'/0'
  std::string name;
  std::array<std::uint8_t, 32> publicKey{};
  std::string address; ///< "nes1..."
  /// The same account on Ethereum chains: "0x…" (EIP-55) at m/44'/60'/0'/0/index, the address
  /// any Ethereum wallet restored from the same phrase shows. Derived while unlocked.
  std::string ethereumAddress;
};

/// A wallet file. Unlocked, it holds the store open and every account's key pair in locked
/// memory; locking closes the store and wipes the keys. Move-only; not thread-safe.
class Wallet {
public:
  using Clock = std::chrono::steady_clock;

  /// Creates `file` from a recovery phrase (checked) with a first account "main". The file must
  /// not exist. `restored`: the phrase came from the user, so its backup counts as confirmed.
  /// The wallet is returned unlocked.
  static Result<Wallet> create(const std::filesystem::path &file, const SecureBuffer &passphrase,
                               std::string_view mnemonic, bool restored,
                               const storage::KdfParams &kdf = {});
  /// Opens and unlocks `file`. WrongPassphrase, NotFound and Corrupt errors as EncryptedStore.
  static Result<Wallet> open(const std::filesystem::path &file, const SecureBuffer &passphrase);

  Wallet(Wallet &&) noexcept;
  Wallet &operator=(Wallet &&) noexcept;
  ~Wallet();

  /// Every account, by index.
  const std::vector<Account> &accounts() const { return m_accounts; }
  /// Derives and stores the next account under `name` (unique, 1–64 characters).
  Result<Account> addAccount(const std::string &name);

  /// Signs `message` with account `index`; Unavailable while locked.
  Result<std::array<std::uint8_t, 64>> sign(std::uint32_t index,
                                            std::span<const std::uint8_t> message);

  /// Signs a 32-byte digest (a transaction's, an EIP-712 receipt's) with account `index`'s
  /// Ethereum key; Unavailable while locked.
  Result<chain::Signature> signDigest(std::uint32_t index, const chain::Hash32 &digest);
  /// The raw Ethereum key of account `index` (to sign transactions); Unavailable while locked.
  Result<const chain::AccountKey *> ethereumKey(std::uint32_t index);

  bool isLocked() const { return m_store == nullptr; }
  /// Wipes the keys and closes the store.
  void lock();
  /// Reopens the store and re-derives the keys; WrongPassphrase leaves it locked.
  Result<void> unlock(const SecureBuffer &passphrase);
  /// Locks after `idle` without use (0 = never); sign() and unlock() count as use.
  void setAutoLock(std::chrono::minutes idle) { m_autoLock = idle; }
  /// Locks if the wallet has been idle longer than the auto-lock delay at `now`; true if it did.
  bool lockIfIdle(Clock::time_point now);

  /// The recovery phrase, for a backup screen. Unavailable while locked.
  Result<SecureBuffer> recoveryPhrase() const;
  /// The user's equivariant-encryption key (32 secret bytes), created with libsodium randomness
  /// on first use and kept only in this encrypted store. Not derived from the recovery phrase:
  /// restoring a wallet elsewhere gives a new EE key. Unavailable while locked.
  Result<SecureBuffer> eeKeySecret();
  /// True once the user proved they wrote the phrase down (or restored from it).
  bool backupConfirmed() const { return m_backupConfirmed; }
  /// Confirms the backup if `words` (1-based position → word) match the phrase; at least 3.
  Result<void> confirmBackup(const std::map<int, std::string> &words);

  /// The wallet file.
  const std::filesystem::path &file() const { return m_file; }

private:
  Wallet();
  Result<void> load();
  /// The BIP39 seed of the stored phrase (unlocked only).
  Result<SecureBuffer> seed() const;
  Result<void> setMeta(const std::string &key, std::span<const std::uint8_t> value);

  std::filesystem::path m_file;
  std::unique_ptr<storage::EncryptedStore> m_store;
  std::vector<Account> m_accounts;
  std::map<std::uint32_t, std::unique_ptr<KeyPair>> m_keys;
  std::map<std::uint32_t, std::unique_ptr<chain::AccountKey>> m_ethereumKeys;
  bool m_backupConfirmed = false;
  std::chrono::minutes m_autoLock{10};
  Clock::time_point m_lastUse = Clock::now();
};

/// The wallet file inside a data folder.
std::filesystem::path defaultWalletFile(const std::filesystem::path &dataDir);

} // namespace nesa::wallet
