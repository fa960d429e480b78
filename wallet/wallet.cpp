#include "wallet/wallet.h"

#include "storage/encrypted_store.h"
#include "wallet/address.h"
#include "wallet/ethereum_keys.h"
#include "wallet/hd_keys.h"
#include "wallet/mnemonic.h"

#include <sstream>

namespace nesa::wallet {
namespace {

const storage::Schema kSchema{
    {1, "wallet tables",
     "CREATE TABLE wallet_meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);"
     "CREATE TABLE accounts (idx INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
     " public_key BLOB NOT NULL, address TEXT NOT NULL);"},
};

Error locked() {
  return fail(ErrorCode::Unavailable, "the wallet is locked; unlock it with its passphrase");
}

/// The Ethereum key of account `index`, and its EIP-55 address in `account`.
Result<std::unique_ptr<chain::AccountKey>> deriveEthereumKey(const SecureBuffer &seed,
                                                             Account &account) {
  auto key = ethereumAccountKey(seed, account.index);
  if (!key)
    return key.error();
  account.ethereumAddress = chain::checksumAddress(key->address());
  return std::make_unique<chain::AccountKey>(std::move(*key));
}

} // namespace

std::filesystem::path defaultWalletFile(const std::filesystem::path &dataDir) {
  return dataDir / "wallet.db";
}

Wallet::Wallet() = default;
Wallet::Wallet(Wallet &&) noexcept = default;
Wallet &Wallet::operator=(Wallet &&) noexcept = default;
Wallet::~Wallet() = default;

Result<Wallet> Wallet::create(const std::filesystem::path &file, const SecureBuffer &passphrase,
                              std::string_view mnemonic, bool restored,
                              const storage::KdfParams &kdf) {
  auto entropy = entropyFromMnemonic(mnemonic); // checked before anything touches the disk
  if (!entropy)
    return entropy.error();
  auto store = storage::EncryptedStore::create(file, passphrase, kSchema, kdf);
  if (!store)
    return store.error();
  Wallet wallet;
  wallet.m_file = file;
  wallet.m_store = std::make_unique<storage::EncryptedStore>(std::move(*store));
  const std::uint8_t confirmed = restored ? '1' : '0';
  auto stored = wallet.m_store->transaction([&]() -> Result<void> {
    if (auto r = wallet.setMeta("entropy", entropy->bytes()); !r)
      return r;
    return wallet.setMeta("backup_confirmed", std::span(&confirmed, 1));
  });
  if (stored)
    stored = wallet.load();
  if (stored) {
    auto first = wallet.addAccount("main");
    if (!first)
      stored = first.error();
  }
  if (!stored) {
    wallet.m_store.reset();
    std::error_code ec;
    std::filesystem::remove(file, ec); // a half-made wallet helps nobody
    return stored.error();
  }
  return wallet;
}

Result<Wallet> Wallet::open(const std::filesystem::path &file, const SecureBuffer &passphrase) {
  Wallet wallet;
  wallet.m_file = file;
  if (auto loaded = wallet.unlock(passphrase); !loaded)
    return loaded.error();
  return wallet;
}

Result<void> Wallet::unlock(const SecureBuffer &passphrase) {
  if (!isLocked())
    return {};
  auto store = storage::EncryptedStore::open(m_file, passphrase, kSchema);
  if (!store)
    return store.error();
  m_store = std::make_unique<storage::EncryptedStore>(std::move(*store));
  if (auto loaded = load(); !loaded) {
    lock();
    return loaded.error().withContext(m_file.string());
  }
  m_lastUse = Clock::now();
  return {};
}

Result<SecureBuffer> Wallet::seed() const {
  auto phrase = recoveryPhrase();
  if (!phrase)
    return phrase.error();
  return seedFromMnemonic(phrase->view());
}

Result<void> Wallet::load() {
  auto seed = this->seed();
  if (!seed)
    return seed.error();
  auto confirmed =
      m_store->prepare("SELECT value FROM wallet_meta WHERE key = 'backup_confirmed';");
  if (!confirmed)
    return confirmed.error();
  auto row = confirmed->step();
  if (!row)
    return row.error();
  m_backupConfirmed = *row && confirmed->columnText(0) == "1";

  auto select =
      m_store->prepare("SELECT idx, name, public_key, address FROM accounts ORDER BY idx;");
  if (!select)
    return select.error();
  m_accounts.clear();
  m_keys.clear();
  m_ethereumKeys.clear();
  while (true) {
    auto more = select->step();
    if (!more)
      return more.error();
    if (!*more)
      break;
    Account account;
    account.index = static_cast<std::uint32_t>(select->columnInt64(0));
    account.name = select->columnText(1);
    const auto key = select->columnBlob(2);
    if (key.size() != 32)
      return fail(ErrorCode::Corrupt, "account " + account.name + " has a damaged public key");
    std::copy(key.begin(), key.end(), account.publicKey.begin());
    account.address = select->columnText(3);
    auto pair = accountKeyPair(*seed, account.index);
    if (!pair)
      return pair.error();
    if (pair->publicKey != account.publicKey)
      return fail(ErrorCode::Corrupt,
                  "account " + account.name + " does not match the recovery phrase");
    auto ethereum = deriveEthereumKey(*seed, account);
    if (!ethereum)
      return ethereum.error();
    m_keys[account.index] = std::make_unique<KeyPair>(std::move(*pair));
    m_ethereumKeys[account.index] = std::move(*ethereum);
    m_accounts.push_back(std::move(account));
  }
  return {};
}

Result<void> Wallet::setMeta(const std::string &key, std::span<const std::uint8_t> value) {
  auto insert = m_store->prepare("INSERT OR REPLACE INTO wallet_meta (key, value) VALUES (?, ?);");
  if (!insert)
    return insert.error();
  return insert->bind(1, key).bindBlob(2, value).run();
}

Result<Account> Wallet::addAccount(const std::string &name) {
  if (isLocked())
    return locked();
  if (name.empty() || name.size() > 64)
    return fail(ErrorCode::InvalidInput, "an account name has 1 to 64 characters");
  for (const auto &a : m_accounts)
    if (a.name == name)
      return fail(ErrorCode::AlreadyExists, "there is already an account named '" + name + "'");
  auto seed = this->seed();
  if (!seed)
    return seed.error();
  Account account;
  account.index = m_accounts.empty() ? 0 : m_accounts.back().index + 1;
  account.name = name;
  auto pair = accountKeyPair(*seed, account.index);
  if (!pair)
    return pair.error();
  account.publicKey = pair->publicKey;
  account.address = addressOf(account.publicKey);
  auto ethereum = deriveEthereumKey(*seed, account);
  if (!ethereum)
    return ethereum.error();
  auto insert = m_store->prepare(
      "INSERT INTO accounts (idx, name, public_key, address) VALUES (?, ?, ?, ?);");
  if (!insert)
    return insert.error();
  if (auto r = insert->bind(1, std::int64_t{account.index})
                   .bind(2, account.name)
                   .bindBlob(3, account.publicKey)
                   .bind(4, account.address)
                   .run();
      !r)
    return r.error();
  m_keys[account.index] = std::make_unique<KeyPair>(std::move(*pair));
  m_ethereumKeys[account.index] = std::move(*ethereum);
  m_accounts.push_back(account);
  return account;
}

Result<std::array<std::uint8_t, 64>> Wallet::sign(std::uint32_t index,
                                                  std::span<const std::uint8_t> message) {
  if (isLocked())
    return locked();
  auto it = m_keys.find(index);
  if (it == m_keys.end())
    return fail(ErrorCode::NotFound, "there is no account " + std::to_string(index));
  m_lastUse = Clock::now();
  return wallet::sign(*it->second, message);
}

Result<const chain::AccountKey *> Wallet::ethereumKey(std::uint32_t index) {
  if (isLocked())
    return locked();
  auto it = m_ethereumKeys.find(index);
  if (it == m_ethereumKeys.end())
    return fail(ErrorCode::NotFound, "there is no account " + std::to_string(index));
  m_lastUse = Clock::now();
  return static_cast<const chain::AccountKey *>(it->second.get());
}

Result<chain::Signature> Wallet::signDigest(std::uint32_t index, const chain::Hash32 &digest) {
  auto key = ethereumKey(index);
  if (!key)
    return key.error();
  return (*key)->sign(digest);
}

void Wallet::lock() {
  m_keys.clear(); // SecureBuffer wipes each secret key
  m_ethereumKeys.clear();
  m_store.reset();
}

bool Wallet::lockIfIdle(Clock::time_point now) {
  if (isLocked() || m_autoLock.count() == 0 || now - m_lastUse < m_autoLock)
    return false;
  lock();
  return true;
}

Result<SecureBuffer> Wallet::recoveryPhrase() const {
  if (isLocked())
    return locked();
  auto select = m_store->prepare("SELECT value FROM wallet_meta WHERE key = 'entropy';");
  if (!select)
    return select.error();
  auto row = select->step();
  if (!row)
    return row.error();
  if (!*row)
    return fail(ErrorCode::Corrupt, "the wallet has no recovery phrase");
  auto entropy = select->columnSecret(0);
  if (!entropy)
    return entropy.error();
  return mnemonicFromEntropy(*entropy);
}

Result<SecureBuffer> Wallet::eeKeySecret() {
  if (isLocked())
    return locked();
  auto select = m_store->prepare("SELECT value FROM wallet_meta WHERE key = 'ee_key';");
  if (!select)
    return select.error();
  auto row = select->step();
  if (!row)
    return row.error();
  if (*row)
    return select->columnSecret(0);
  auto fresh = SecureBuffer::random(32);
  if (!fresh)
    return fresh.error();
  if (auto stored = setMeta("ee_key", fresh->bytes()); !stored)
    return stored.error();
  return fresh;
}

Result<void> Wallet::confirmBackup(const std::map<int, std::string> &words) {
  if (words.size() < 3)
    return fail(ErrorCode::InvalidInput, "confirm at least three words of the recovery phrase");
  auto phrase = recoveryPhrase();
  if (!phrase)
    return phrase.error();
  std::vector<std::string_view> actual;
  std::string_view text = phrase->view();
  for (std::size_t start = 0; start <= text.size();) {
    const auto end = std::min(text.find(' ', start), text.size());
    actual.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  for (const auto &[position, word] : words)
    if (position < 1 || position > static_cast<int>(actual.size()) ||
        actual[static_cast<std::size_t>(position - 1)] != word)
      return fail(ErrorCode::InvalidInput,
                  "word " + std::to_string(position) +
                      " does not match the recovery phrase; check what you wrote down");
  const std::uint8_t yes = '1';
  if (auto r = setMeta("backup_confirmed", std::span(&yes, 1)); !r)
    return r;
  m_backupConfirmed = true;
  return {};
}

} // namespace nesa::wallet
