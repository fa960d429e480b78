#include "wallet_setup.h"

#include "storage/key_derivation.h"
#include "wallet/mnemonic.h"
#include "wallet/wallet.h"

namespace nesa::app {
namespace {

QString text(const Error &error) { return QString::fromStdString(error.message); }

} // namespace

QStringList WalletSetup::newRecoveryPhrase() {
  auto phrase = wallet::generateMnemonic();
  if (!phrase)
    return {};
  const auto view = phrase->view();
  return QString::fromUtf8(view.data(), static_cast<qsizetype>(view.size()))
      .split(QLatin1Char(' '), Qt::SkipEmptyParts);
}

QString WalletSetup::checkRecoveryPhrase(const QString &phrase) {
  const QByteArray bytes = phrase.toUtf8();
  auto entropy = wallet::entropyFromMnemonic(std::string_view(bytes.constData(), bytes.size()));
  return entropy ? QString() : text(entropy.error());
}

QString WalletSetup::createWallet(const QString &phrase, const QString &passphrase,
                                  const std::map<int, QString> &confirmed) {
  const QByteArray words = phrase.toUtf8(), secretBytes = passphrase.toUtf8();
  auto secret = SecureBuffer::copyOf(std::string_view(secretBytes.constData(), secretBytes.size()));
  if (!secret)
    return text(secret.error());
  const bool restored = confirmed.empty();
  auto created = wallet::Wallet::create(
      m_file, *secret, std::string_view(words.constData(), words.size()), restored,
      m_testKdf ? storage::KdfParams::forTestsOnly() : storage::KdfParams{});
  if (!created)
    return text(created.error());
  if (!restored) {
    std::map<int, std::string> answers;
    for (const auto &[position, word] : confirmed)
      answers[position] = word.trimmed().toLower().toStdString();
    if (auto ok = created->confirmBackup(answers); !ok)
      return text(ok.error());
  }
  return {};
}

} // namespace nesa::app
