// The wallet: BIP39, SLIP-0010 and BIP-32 (secp256k1, the Ethereum account) against published
// vectors, bech32 addresses, and the
// encrypted wallet file (passphrases, locking, backup confirmation, signing).
#include "chain/anvil_node.h"
#include "chain/keccak.h"
#include "wallet/address.h"
#include "wallet/ethereum_keys.h"
#include "wallet/hd_keys.h"
#include "wallet/mnemonic.h"
#include "wallet/wallet.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

#include <fstream>

using namespace nesa;
using namespace nesa::wallet;
namespace fs = std::filesystem;

namespace {

SecureBuffer secret(std::string_view text) { return SecureBuffer::copyOf(text).value(); }

SecureBuffer fromHex(const char *hex) {
  std::vector<std::uint8_t> bytes;
  for (std::size_t i = 0; hex[i] && hex[i + 1]; i += 2)
    bytes.push_back(static_cast<std::uint8_t>(std::stoi(std::string(hex + i, 2), nullptr, 16)));
  return SecureBuffer::copyOf(bytes).value();
}

QString hexOf(const SecureBuffer &b) { return QString::fromStdString(toHex(b.bytes())); }

const char *const kAbandon24 =
    "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon "
    "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon "
    "abandon art";

} // namespace

class TestWallet : public QObject {
  Q_OBJECT
  QTemporaryDir m_dir;
  fs::path path(const char *name) const { return fs::path(m_dir.path().toStdString()) / name; }
  const storage::KdfParams kFast = storage::KdfParams::forTestsOnly();

private Q_SLOTS:
  // Published BIP39 vectors (trezor/python-mnemonic vectors.json, passphrase "TREZOR").
  void bip39Vectors_data() {
    QTest::addColumn<QString>("entropy");
    QTest::addColumn<QString>("mnemonic");
    QTest::addColumn<QString>("seed");
    QTest::newRow("12 words, zero")
        << "00000000000000000000000000000000"
        << "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon "
           "abandon about"
        << "c55257c360c07c72029aebc1b53c05ed0362ada38ead3e3e9efa3708e53495531f09a6987599d18264c1e1c"
           "92f2cf141630c7a3c4ab7c81b2f001698e7463b04";
    QTest::newRow("12 words, 7f")
        << "7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f"
        << "legal winner thank year wave sausage worth useful legal winner thank yellow"
        << "2e8905819b8723fe2c1d161860e5ee1830318dbf49a83bd451cfb8440c28bd6fa457fe1296106559a3c8093"
           "7a1c1069be3a3a5bd381ee6260e8d9739fce1f607";
    QTest::newRow("12 words, ff")
        << "ffffffffffffffffffffffffffffffff"
        << "zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo wrong"
        << "ac27495480225222079d7be181583751e86f571027b0497b5b5d11218e0a8a13332572917f0f8e5a589620c"
           "6f15b11c61dee327651a14c34e18231052e48c069";
    QTest::newRow("24 words, zero")
        << "0000000000000000000000000000000000000000000000000000000000000000" << kAbandon24
        << "bda85446c68413707090a52022edd26a1c9462295029f2e60cd7c4f2bbd3097170af7a4d73245cafa9c3cca"
           "8d561a7c3de6f5d4a10be8ed2a5e608d68f92fcc8";
  }

  void bip39Vectors() {
    QFETCH(QString, entropy);
    QFETCH(QString, mnemonic);
    QFETCH(QString, seed);
    auto words = mnemonicFromEntropy(fromHex(entropy.toLatin1().constData()));
    QVERIFY(words.ok());
    QCOMPARE(QString::fromLatin1(words->view().data(), int(words->size())), mnemonic);
    auto back = entropyFromMnemonic(mnemonic.toStdString());
    QVERIFY(back.ok());
    QCOMPARE(hexOf(*back), entropy);
    auto derived = seedFromMnemonic(mnemonic.toStdString(), "TREZOR");
    QVERIFY(derived.ok());
    QCOMPARE(hexOf(*derived), seed);
  }

  void badPhrasesAreExplained() {
    auto unknown = entropyFromMnemonic("abandon abandon abandon abandon abandon abandon abandon "
                                       "abandon abandon abandon abandon abandonn");
    QVERIFY(!unknown.ok());
    QVERIFY(QString::fromStdString(unknown.error().message).contains(QStringLiteral("word 12")));
    auto checksum = entropyFromMnemonic("abandon abandon abandon abandon abandon abandon abandon "
                                        "abandon abandon abandon abandon abandon");
    QVERIFY(!checksum.ok());
    QVERIFY(QString::fromStdString(checksum.error().message).contains(QStringLiteral("checksum")));
    auto count = entropyFromMnemonic("abandon abandon abandon");
    QVERIFY(!count.ok());
    QVERIFY(QString::fromStdString(count.error().message).contains(QStringLiteral("3")));
    QVERIFY(!seedFromMnemonic(kAbandon24, "pass\xc3\xa9").ok()); // non-ASCII passphrase refused
  }

  void spacingAndCaseDoNotMatter() {
    auto normalized = normalizeMnemonic("  Zoo zoo ZOO zoo zoo zoo\tzoo zoo zoo zoo zoo   wrong\n");
    QVERIFY(normalized.ok());
    QCOMPARE(QString::fromLatin1(normalized->view().data(), int(normalized->size())),
             QStringLiteral("zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo wrong"));
  }

  void generatedPhrasesAreValidAndFresh() {
    auto a = generateMnemonic();
    auto b = generateMnemonic();
    QVERIFY(a.ok() && b.ok());
    QCOMPARE(QString::fromLatin1(a->view().data(), int(a->size())).split(' ').size(), 24);
    QVERIFY(entropyFromMnemonic(a->view()).ok());
    QVERIFY(!a->equals(*b));
  }

  // SLIP-0010 test vector 1 for ed25519.
  void slip10Vector() {
    const auto seed = fromHex("000102030405060708090a0b0c0d0e0f");
    auto master = masterKey(seed);
    QVERIFY(master.ok());
    QCOMPARE(hexOf(master->chainCode),
             QStringLiteral("90046a93de5380a72b5e45010748567d5ea02bbf6522f979e05c0d8d8ca9fffb"));
    QCOMPARE(hexOf(master->key),
             QStringLiteral("2b4be7f19ee27bbf30c667b642d5f4aa69fd169872f8fc3059c08ebae2eb19e7"));
    auto pair = keyPairOf(*master);
    QCOMPARE(QString::fromStdString(toHex(pair->publicKey)),
             QStringLiteral("a4b2856bfec510abab89753fac1ac0e1112364e7d250545963f135f2a33188ed"));
    const std::uint32_t path[] = {0, 1};
    auto child = derivePath(seed, std::span(path, 1));
    QCOMPARE(hexOf(child->chainCode),
             QStringLiteral("8b59aa11380b624e81507a27fedda59fea6d0b779a778918a2fd3590e16e9c69"));
    QCOMPARE(hexOf(child->key),
             QStringLiteral("68e0fe46dfb67e368c75379acec591dad19df3cde26e63b93a8e704f1dade7a3"));
    auto grandchild = derivePath(seed, path);
    QCOMPARE(hexOf(grandchild->chainCode),
             QStringLiteral("a320425f77d1b5c2505a6b1b27382b37368ee640e3557c315416801243552f14"));
    QCOMPARE(hexOf(grandchild->key),
             QStringLiteral("b1d0bad404bf35da785a64ca1ac54b2617211d2777696fbffaf208f746ae84f2"));
    QVERIFY(!deriveHardened(*master, 0x80000000u).ok());
  }

  // BIP173 examples.
  void bech32Vectors() {
    for (const char *valid :
         {"A12UEL5L", "a12uel5l", "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
          "split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w"})
      QVERIFY2(bech32Decode(valid).ok(), valid);
    for (const char *invalid :
         {"pzry9x0s0muk", "1pzry9x0s0muk", "x1b4n0q5v", "li1dgmt3", "A1G7SGD8", "a12UEL5L",
          "an84characterslonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1569"
          "pvx"})
      QVERIFY2(!bech32Decode(invalid).ok(), invalid);
  }

  void addressesRoundTripAndCatchTypos() {
    std::array<std::uint8_t, 32> key{};
    key[0] = 7;
    const std::string address = addressOf(key);
    QVERIFY(QString::fromStdString(address).startsWith(QStringLiteral("nes1")));
    QCOMPARE(address.size(), std::size_t{42});
    QVERIFY(parseAddress(address).ok());
    std::string typo = address;
    typo[10] = typo[10] == 'q' ? 'p' : 'q';
    auto refused = parseAddress(typo);
    QVERIFY(!refused.ok());
    QVERIFY(QString::fromStdString(refused.error().message).contains(QStringLiteral("checksum")));
    QVERIFY(!parseAddress("abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw").ok()); // another prefix
  }

  void bip32Vectors() {
    std::ifstream in(NESA_BIP32_VECTORS);
    QVERIFY(in.good());
    const auto vectors = nlohmann::json::parse(in);
    int checked = 0;
    for (const auto &vector : vectors) {
      const SecureBuffer seed = fromHex(vector["seed"].get<std::string>().c_str());
      for (const auto &[path, xprv] : vector["chains"].items()) {
        auto node = bip32Derive(seed, path);
        QVERIFY2(node.ok(), path.c_str());
        QCOMPARE(extendedPrivateKeyText(*node), xprv.get<std::string>());
        ++checked;
      }
    }
    QCOMPARE(checked, 12);
    for (const char *bad : {"", "44'/60'", "m/", "m//1", "m/x", "m/2147483648", "m/1'/", "m/-1"})
      QVERIFY2(!bip32Derive(fromHex("000102030405060708090a0b0c0d0e0f"), bad).ok(), bad);
    QVERIFY(!bip32Master(fromHex("0001")).ok()); // a seed under 16 bytes
  }

  void ethereumAccountsMatchOtherWallets() {
    // What MetaMask, Ledger Live and Foundry's anvil show for these public phrases (checked with
    // anvil --mnemonic): the standard path m/44'/60'/0'/0/i.
    const struct {
      std::string_view phrase;
      std::uint32_t index;
      const char *address;
    } known[] = {
        {kAbandon24, 0, "0xF278cF59F82eDcf871d630F28EcC8056f25C1cdb"},
        {"test test test test test test test test test test test junk", 0,
         "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"},
        {"test test test test test test test test test test test junk", 1,
         "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"},
        {"abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon "
         "about",
         0, "0x9858EfFD232B4033E47d90003D41EC34EcaEda94"},
    };
    for (const auto &k : known) {
      auto seed = seedFromMnemonic(k.phrase);
      QVERIFY(seed.ok());
      auto key = ethereumAccountKey(*seed, k.index);
      QVERIFY(key.ok());
      QCOMPARE(chain::checksumAddress(key->address()), std::string(k.address));
    }
    QCOMPARE(ethereumPath(3), std::string("m/44'/60'/0'/0/3"));
  }

  // The demo phrase's key is public: it may sign on the devnet's chain id only, whoever holds it
  // (a wallet restored from the demo phrase included); any other account signs anywhere.
  void theDemoAccountSignsOnTheDevnetOnly() {
    auto demo = devnetDemoAccountKey();
    QVERIFY(demo.ok());
    QCOMPARE(chain::checksumAddress(demo->address()),
             std::string("0xF278cF59F82eDcf871d630F28EcC8056f25C1cdb"));
    QVERIFY(checkSigningAllowed(demo->address(), chain::kDevnetChainId).ok());
    for (std::uint64_t chainId : {1ULL, 10ULL, 8453ULL, 4243ULL}) {
      auto refused = checkSigningAllowed(demo->address(), chainId);
      QVERIFY(!refused.ok());
      QVERIFY2(refused.error().message.find("public") != std::string::npos,
               refused.error().message.c_str());
    }
    auto seed = seedFromMnemonic("test test test test test test test test test test test junk");
    QVERIFY(seed.ok());
    auto other = ethereumAccountKey(*seed, 0);
    QVERIFY(other.ok());
    QVERIFY(checkSigningAllowed(other->address(), 1).ok());
  }

  void walletLifecycle() {
    const auto file = path("wallet.db");
    std::string firstAddress;
    {
      auto wallet = Wallet::create(file, secret("correct horse"), kAbandon24, false, kFast);
      QVERIFY2(wallet.ok(), wallet.ok() ? "" : wallet.error().message.c_str());
      QCOMPARE(wallet->accounts().size(), std::size_t{1});
      firstAddress = wallet->accounts()[0].address;
      QCOMPARE(wallet->accounts()[0].ethereumAddress,
               std::string("0xF278cF59F82eDcf871d630F28EcC8056f25C1cdb"));
      QVERIFY(!wallet->backupConfirmed());
      auto second = wallet->addAccount("savings");
      QVERIFY(second.ok());
      QCOMPARE(second->index, 1u);
      QVERIFY(second->address != firstAddress);
      QVERIFY(!wallet->addAccount("savings").ok());
    }
    auto wrong = Wallet::open(file, secret("wrong horse"));
    QVERIFY(!wrong.ok());
    QCOMPARE(wrong.error().code, ErrorCode::WrongPassphrase);

    auto wallet = Wallet::open(file, secret("correct horse"));
    QVERIFY(wallet.ok());
    QCOMPARE(wallet->accounts().size(), std::size_t{2});
    QCOMPARE(wallet->accounts()[0].address, firstAddress); // deterministic from the phrase

    const std::string message = "pay 5 NES";
    const auto bytes =
        std::span(reinterpret_cast<const std::uint8_t *>(message.data()), message.size());
    auto signature = wallet->sign(0, bytes);
    QVERIFY(signature.ok());
    QVERIFY(verify(wallet->accounts()[0].publicKey, bytes, *signature));
    QVERIFY(!verify(wallet->accounts()[1].publicKey, bytes, *signature));

    // The Ethereum key of each account signs digests that recover to its 0x address.
    const chain::Hash32 digest = chain::keccak256(std::string_view(message));
    for (const Account &account : wallet->accounts()) {
      auto ethSignature = wallet->signDigest(account.index, digest);
      QVERIFY(ethSignature.ok());
      QCOMPARE(chain::checksumAddress(*chain::recoverSigner(digest, *ethSignature)),
               account.ethereumAddress);
    }
    QVERIFY(wallet->accounts()[0].ethereumAddress != wallet->accounts()[1].ethereumAddress);
    QCOMPARE(wallet->signDigest(7, digest).error().code, ErrorCode::NotFound);

    wallet->lock();
    QVERIFY(wallet->isLocked());
    QCOMPARE(wallet->sign(0, bytes).error().code, ErrorCode::Unavailable);
    QCOMPARE(wallet->signDigest(0, digest).error().code, ErrorCode::Unavailable);
    QCOMPARE(wallet->accounts().size(), std::size_t{2}); // public data stays visible
    QCOMPARE(wallet->unlock(secret("nope")).error().code, ErrorCode::WrongPassphrase);
    QVERIFY(wallet->isLocked());
    QVERIFY(wallet->unlock(secret("correct horse")).ok());
    QVERIFY(wallet->sign(0, bytes).ok());

    wallet->setAutoLock(std::chrono::minutes(5));
    const auto now = Wallet::Clock::now();
    QVERIFY(!wallet->lockIfIdle(now + std::chrono::minutes(1)));
    QVERIFY(wallet->lockIfIdle(now + std::chrono::minutes(6)));
    QVERIFY(wallet->isLocked());
  }

  void backupMustBeConfirmedWithTheRightWords() {
    auto wallet = Wallet::create(path("backup.db"), secret("pw"), kAbandon24, false, kFast);
    QVERIFY(wallet.ok());
    QVERIFY(!wallet->confirmBackup({{1, "abandon"}, {24, "art"}}).ok()); // fewer than three
    QVERIFY(!wallet->confirmBackup({{1, "abandon"}, {2, "abandon"}, {24, "zoo"}}).ok());
    QVERIFY(!wallet->backupConfirmed());
    QVERIFY(wallet->confirmBackup({{1, "abandon"}, {2, "abandon"}, {24, "art"}}).ok());
    QVERIFY(wallet->backupConfirmed());
    wallet->lock();
    QVERIFY(wallet->unlock(secret("pw")).ok());
    QVERIFY(wallet->backupConfirmed()); // persisted
    auto phrase = wallet->recoveryPhrase();
    QCOMPARE(QString::fromLatin1(phrase->view().data(), int(phrase->size())),
             QString::fromLatin1(kAbandon24));
  }

  // The EE key: random, created once, kept across reopening, unreadable while locked, and
  // never in the file in the clear.
  void eeKeyStaysInTheStore() {
    const auto file = path("ee.db");
    std::vector<std::uint8_t> first;
    {
      auto wallet = Wallet::create(file, secret("pw"), kAbandon24, false, kFast);
      QVERIFY(wallet.ok());
      auto key = wallet->eeKeySecret();
      QVERIFY(key.ok());
      QCOMPARE(key->size(), std::size_t{32});
      first.assign(key->bytes().begin(), key->bytes().end());
      auto again = wallet->eeKeySecret();
      QVERIFY(std::equal(first.begin(), first.end(), again->bytes().begin()));
      wallet->lock();
      QCOMPARE(wallet->eeKeySecret().error().code, ErrorCode::Unavailable);
    }
    auto reopened = Wallet::open(file, secret("pw"));
    QVERIFY(reopened.ok());
    auto key = reopened->eeKeySecret();
    QVERIFY(std::equal(first.begin(), first.end(), key->bytes().begin()));
    auto other = Wallet::create(path("ee2.db"), secret("pw"), kAbandon24, false, kFast);
    auto otherKey = other->eeKeySecret();
    QVERIFY(!std::equal(first.begin(), first.end(), otherKey->bytes().begin()));
    QFile raw(QString::fromStdString(file.string()));
    QVERIFY(raw.open(QIODevice::ReadOnly));
    const QByteArray bytes = raw.readAll();
    QVERIFY(!bytes.contains(QByteArray(reinterpret_cast<const char *>(first.data()), 32)));
  }

  void badPhraseCreatesNothing() {
    auto wallet = Wallet::create(path("never.db"), secret("pw"), "abandon abandon", false, kFast);
    QVERIFY(!wallet.ok());
    QVERIFY(!fs::exists(path("never.db")));
  }

  void damagedFileIsAnErrorNotAnEmptyWallet() {
    const auto file = path("damaged.db");
    QVERIFY(Wallet::create(file, secret("pw"), kAbandon24, true, kFast).ok());
    {
      // Flip bits of one byte: writing a constant left the file as it was whenever the byte
      // already held it (one run in 256: the encrypted page is random).
      std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
      f.seekg(2000);
      const auto byte = static_cast<char>(f.get() ^ 0x55);
      f.seekp(2000);
      f.put(byte);
      QVERIFY(f.good());
    }
    auto wallet = Wallet::open(file, secret("pw"));
    QVERIFY(!wallet.ok());
  }
};

QTEST_GUILESS_MAIN(TestWallet)
#include "tst_wallet.moc"
