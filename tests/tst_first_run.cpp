// The first-run wizard against fakes: the language chosen first speaks on the next pages; a new
// wallet shows its phrase once and is created only after three of its words are typed back
// and the passphrase is repeated; a restore refuses a bad phrase; the network choice is saved
// (and refused without a node to join). Then the real WalletSetup on a scratch folder.
#include "fake_settings_backend.h"
#include "ui/first_run_wizard.h"
#include "ui/translations.h"
#include "wallet_setup.h"

#include <QAbstractButton>
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QRadioButton>
#include <QTemporaryDir>
#include <QTest>

using namespace nesa::ui;
using nesa::testing::FakeSettingsBackend;

namespace {

const QString kDemoPhrase = QStringLiteral(
    "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon "
    "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon "
    "abandon art");

/// Words "w1" … "w24"; accepts only the demo phrase as a restore; records what it created.
class FakeWalletSetup : public WalletSetupBackend {
public:
  QString createdPhrase, createdPassphrase;
  std::map<int, QString> createdConfirmed;
  int creations = 0;

  QStringList newRecoveryPhrase() override {
    QStringList words;
    for (int i = 1; i <= 24; ++i)
      words << QStringLiteral("w%1").arg(i);
    return words;
  }
  QString checkRecoveryPhrase(const QString &phrase) override {
    return phrase.simplified() == kDemoPhrase ? QString() : QStringLiteral("word 3 is unknown");
  }
  QString createWallet(const QString &phrase, const QString &passphrase,
                       const std::map<int, QString> &confirmed) override {
    ++creations;
    createdPhrase = phrase;
    createdPassphrase = passphrase;
    createdConfirmed = confirmed;
    return {};
  }
};

template <typename T> T *named(QWidget &parent, const QString &name) {
  return parent.findChild<T *>(name);
}

QRadioButton *radio(QWidget &parent, const QString &text) {
  for (auto *button : parent.findChildren<QRadioButton *>())
    if (button->text() == text)
      return button;
  return nullptr;
}

} // namespace

class TestFirstRun : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void cleanup() { installTranslation(*qApp, QStringLiteral("en")); }

  void newWalletInFrench() {
    FakeWalletSetup setup;
    FakeSettingsBackend settings;
    FirstRunWizard wizard(setup, settings);
    wizard.show();
    auto *language = wizard.findChild<QComboBox *>();
    language->setCurrentIndex(language->findData(QStringLiteral("fr")));
    wizard.next();
    QCOMPARE(wizard.currentId(), int(FirstRunWizard::WalletChoice));
    QCOMPARE(wizard.currentPage()->title(), QStringLiteral("Votre portefeuille"));
    QVERIFY(radio(wizard, QStringLiteral("Créer un nouveau portefeuille"))->isChecked());
    wizard.next();
    QCOMPARE(wizard.currentId(), int(FirstRunWizard::Phrase));
    QVERIFY(named<QLabel>(wizard, QStringLiteral("recoveryPhrase"))
                ->text()
                .contains(QStringLiteral("24. w24")));
    QVERIFY(!wizard.button(QWizard::NextButton)->isEnabled()); // not before "written down"
    wizard.currentPage()->findChild<QCheckBox *>()->setChecked(true);
    QVERIFY(wizard.button(QWizard::NextButton)->isEnabled());
    wizard.next();
    QCOMPARE(wizard.currentId(), int(FirstRunWizard::Confirm));
    QVERIFY(named<QLabel>(wizard, QStringLiteral("recoveryPhrase"))->text().isEmpty());
    const auto positions = wizard.confirmPositions();
    QCOMPARE(positions.size(), std::size_t{3});
    // A wrong word keeps the user on the page, with the reason.
    for (int i = 0; i < 3; ++i)
      named<QLineEdit>(wizard, QStringLiteral("confirmWord%1").arg(i))
          ->setText(QStringLiteral("w%1").arg(positions[i]));
    named<QLineEdit>(wizard, QStringLiteral("confirmWord1"))->setText(QStringLiteral("nope"));
    wizard.next();
    QCOMPARE(wizard.currentId(), int(FirstRunWizard::Confirm));
    QVERIFY(wizard.errorText().contains(QString::number(positions[1])));
    named<QLineEdit>(wizard, QStringLiteral("confirmWord1"))
        ->setText(QStringLiteral(" W%1 ").arg(positions[1])); // case and spaces do not matter
    wizard.next();
    QCOMPARE(wizard.currentId(), int(FirstRunWizard::Passphrase));
    // Too short, then two that differ: nothing is created.
    named<QLineEdit>(wizard, QStringLiteral("passphrase"))->setText(QStringLiteral("short"));
    named<QLineEdit>(wizard, QStringLiteral("passphraseRepeat"))->setText(QStringLiteral("short"));
    wizard.next();
    QVERIFY(wizard.errorText().contains(QStringLiteral("8")));
    named<QLineEdit>(wizard, QStringLiteral("passphrase"))->setText(QStringLiteral("long enough"));
    named<QLineEdit>(wizard, QStringLiteral("passphraseRepeat"))
        ->setText(QStringLiteral("long enougH"));
    wizard.next();
    QCOMPARE(wizard.currentId(), int(FirstRunWizard::Passphrase));
    QCOMPARE(setup.creations, 0);
    named<QLineEdit>(wizard, QStringLiteral("passphraseRepeat"))
        ->setText(QStringLiteral("long enough"));
    wizard.next();
    QCOMPARE(wizard.currentId(), int(FirstRunWizard::Network));
    QCOMPARE(setup.creations, 1);
    QVERIFY(setup.createdPhrase.startsWith(QStringLiteral("w1 w2 w3")));
    QCOMPARE(setup.createdPassphrase, QStringLiteral("long enough"));
    QCOMPARE(setup.createdConfirmed.size(), std::size_t{3});
    QVERIFY(wizard.phraseWords().isEmpty()); // forgotten once the wallet exists
    // Joining needs a chain node and the network's deployment file.
    radio(wizard, QStringLiteral("Rejoindre le réseau EVM de ce nœud de chaîne :"))
        ->setChecked(true);
    wizard.next();
    QVERIFY(wizard.errorText().contains(QStringLiteral("nodeAddress")));
    QCOMPARE(settings.saves, 0);
    named<QLineEdit>(wizard, QStringLiteral("nodeAddress"))
        ->setText(QStringLiteral("node.example:7600"));
    wizard.next();
    QVERIFY(wizard.errorText().contains(QStringLiteral("deploymentFile")));
    QCOMPARE(settings.saves, 0);
    named<QLineEdit>(wizard, QStringLiteral("deploymentFile"))
        ->setText(QStringLiteral("/etc/nesa/deployment.json"));
    wizard.next(); // the last page: Next finishes
    QCOMPARE(settings.saves, 1);
    QCOMPARE(settings.config.language, std::string("fr"));
    QCOMPARE(settings.config.network, std::string("join"));
    QCOMPARE(settings.config.nodeAddress, std::string("node.example:7600"));
    QCOMPARE(settings.config.deploymentFile.string(), std::string("/etc/nesa/deployment.json"));
  }

  void restoreRefusesABadPhrase() {
    FakeWalletSetup setup;
    FakeSettingsBackend settings;
    FirstRunWizard wizard(setup, settings);
    wizard.show();
    wizard.next();
    radio(wizard, QStringLiteral("Restore a wallet from its recovery phrase"))->setChecked(true);
    wizard.next();
    QCOMPARE(wizard.currentId(), int(FirstRunWizard::Restore));
    auto *phrase = named<QPlainTextEdit>(wizard, QStringLiteral("restorePhrase"));
    phrase->setPlainText(QStringLiteral("abandon abandon zzz"));
    wizard.next();
    QCOMPARE(wizard.currentId(), int(FirstRunWizard::Restore));
    QVERIFY(wizard.errorText().contains(QStringLiteral("word 3 is unknown")));
    phrase->setPlainText(kDemoPhrase);
    wizard.next();
    QCOMPARE(wizard.currentId(), int(FirstRunWizard::Passphrase));
    named<QLineEdit>(wizard, QStringLiteral("passphrase"))->setText(QStringLiteral("long enough"));
    named<QLineEdit>(wizard, QStringLiteral("passphraseRepeat"))
        ->setText(QStringLiteral("long enough"));
    wizard.next();
    QCOMPARE(setup.creations, 1);
    QCOMPARE(setup.createdPhrase, kDemoPhrase);
    QVERIFY(setup.createdConfirmed.empty()); // a restored phrase needs no proof
    wizard.next();
    QCOMPARE(settings.config.network, std::string("devnet"));
  }

  void theRealWalletSetup() {
    QTemporaryDir dir;
    const auto file =
        std::filesystem::path(dir.filePath(QStringLiteral("wallet.db")).toStdString());
    nesa::app::WalletSetup setup(file, true);
    const QStringList words = setup.newRecoveryPhrase();
    QCOMPARE(words.size(), 24);
    QVERIFY(setup.checkRecoveryPhrase(words.join(QLatin1Char(' '))).isEmpty());
    QVERIFY(!setup.checkRecoveryPhrase(QStringLiteral("abandon abandon")).isEmpty());
    // A wrong proof word is refused.
    QVERIFY(!setup
                 .createWallet(words.join(QLatin1Char(' ')), QStringLiteral("long enough"),
                               {{1, QStringLiteral("x")}, {2, words[1]}, {3, words[2]}})
                 .isEmpty());
    QDir().remove(QString::fromStdString(file.string()));
    QCOMPARE(setup.createWallet(words.join(QLatin1Char(' ')), QStringLiteral("long enough"),
                                {{1, words[0]}, {5, words[4]}, {24, words[23]}}),
             QString());
    QVERIFY(std::filesystem::exists(file));
    // An existing wallet is never overwritten.
    QVERIFY(!setup.createWallet(kDemoPhrase, QStringLiteral("long enough"), {}).isEmpty());
  }
};

QTEST_MAIN(TestFirstRun)
#include "tst_first_run.moc"
