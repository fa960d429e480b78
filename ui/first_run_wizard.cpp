#include "ui/first_run_wizard.h"

#include "ui/translations.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QRadioButton>
#include <QRandomGenerator>
#include <QVBoxLayout>

#include <functional>
#include <set>

namespace nesa::ui {

/// One page: what it shows when entered, whether it may be left, and where Next goes.
class FirstRunWizard::Page : public QWizardPage {
public:
  std::function<void()> enter;
  std::function<bool()> leave;
  std::function<bool()> ready;
  std::function<int()> next;
  QVBoxLayout *body = new QVBoxLayout;
  QLabel *error = new QLabel;

  Page() {
    error->setWordWrap(true);
    error->setStyleSheet(QStringLiteral("color: #b00020"));
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(body);
    layout->addStretch(1);
    layout->addWidget(error);
  }
  void initializePage() override {
    error->clear();
    if (enter)
      enter();
  }
  bool validatePage() override { return !leave || leave(); }
  bool isComplete() const override { return !ready || ready(); }
  int nextId() const override { return next ? next() : QWizardPage::nextId(); }
  void changed() { Q_EMIT completeChanged(); }
};

FirstRunWizard::FirstRunWizard(WalletSetupBackend &wallet, SettingsBackend &settings,
                               QWidget *parent)
    : QWizard(parent), m_wallet(wallet), m_settings(settings) {
  setWindowIcon(QIcon(QStringLiteral(":/icons/nesa.svg")));
  setWizardStyle(QWizard::ClassicStyle);
  setOption(QWizard::NoBackButtonOnStartPage);
  resize(720, 520);
  buildLanguagePage();
  buildWalletChoicePage();
  buildPhrasePage();
  buildConfirmPage();
  buildRestorePage();
  buildPassphrasePage();
  buildNetworkPage();
  setStartId(Language);
}

FirstRunWizard::Page *FirstRunWizard::addPage(PageId id) {
  auto *page = new Page;
  setPage(id, page);
  return page;
}

QString FirstRunWizard::errorText() const {
  auto *page = dynamic_cast<Page *>(currentPage());
  return page ? page->error->text() : QString();
}

void FirstRunWizard::showError(const QString &text) {
  if (auto *page = dynamic_cast<Page *>(currentPage()))
    page->error->setText(text);
}

void FirstRunWizard::buildLanguagePage() {
  Page *page = addPage(Language);
  m_language = new QComboBox;
  m_language->addItem(QStringLiteral("English"), QStringLiteral("en"));
  m_language->addItem(QStringLiteral("Français"), QStringLiteral("fr"));
  const auto current = m_settings.load().language;
  m_language->setCurrentIndex(std::max(0, m_language->findData(QString::fromStdString(current))));
  page->body->addWidget(m_language);
  // Named in both languages: the user has not chosen yet.
  page->setTitle(QStringLiteral("Welcome to Nesa Desktop · Bienvenue dans Nesa Desktop"));
  page->setSubTitle(QStringLiteral("Language · Langue"));
  page->leave = [this] {
    installTranslation(*qApp, m_language->currentData().toString());
    setWindowTitle(tr("Nesa Desktop: first start"));
    setButtonText(QWizard::NextButton, tr("Next >"));
    setButtonText(QWizard::BackButton, tr("< Back"));
    setButtonText(QWizard::FinishButton, tr("Finish"));
    setButtonText(QWizard::CancelButton, tr("Cancel"));
    return true;
  };
}

void FirstRunWizard::buildWalletChoicePage() {
  Page *page = addPage(WalletChoice);
  m_create = new QRadioButton;
  m_restore = new QRadioButton;
  m_create->setChecked(true);
  auto *explain = new QLabel;
  explain->setWordWrap(true);
  page->body->addWidget(explain);
  page->body->addWidget(m_create);
  page->body->addWidget(m_restore);
  page->enter = [this, page, explain] {
    page->setTitle(tr("Your wallet"));
    explain->setText(tr("The wallet pays miners for your analyses and receives what your miner "
                        "earns. Its keys stay on this computer, in an encrypted file."));
    m_create->setText(tr("Create a new wallet"));
    m_restore->setText(tr("Restore a wallet from its recovery phrase"));
  };
  page->next = [this] { return m_create->isChecked() ? Phrase : Restore; };
}

void FirstRunWizard::buildPhrasePage() {
  Page *page = addPage(Phrase);
  auto *explain = new QLabel;
  explain->setWordWrap(true);
  m_phraseText = new QLabel;
  m_phraseText->setObjectName(QStringLiteral("recoveryPhrase"));
  QFont mono(QStringLiteral("monospace"));
  mono.setStyleHint(QFont::Monospace);
  mono.setPointSizeF(mono.pointSizeF() * 1.1);
  m_phraseText->setFont(mono);
  m_written = new QCheckBox;
  page->body->addWidget(explain);
  page->body->addWidget(m_phraseText);
  page->body->addWidget(m_written);
  page->enter = [this, page, explain] {
    page->setTitle(tr("Your recovery phrase"));
    explain->setText(tr("Write these 24 words down, in order, on paper. They are shown only "
                        "once. Anyone who has them can spend your NES; without them a forgotten "
                        "passphrase cannot be recovered."));
    m_written->setText(tr("I have written the 24 words down"));
    m_written->setChecked(false);
    if (m_words.isEmpty())
      m_words = m_wallet.newRecoveryPhrase();
    QString grid;
    for (int i = 0; i < m_words.size(); ++i)
      grid += QStringLiteral("%1. %2").arg(i + 1, 2).arg(m_words[i], -10) +
              (i % 4 == 3 ? QStringLiteral("\n") : QStringLiteral("   "));
    while (grid.endsWith(QLatin1Char('\n')) || grid.endsWith(QLatin1Char(' ')))
      grid.chop(1);
    m_phraseText->setText(grid);
    if (m_words.size() != 24)
      showError(tr("No recovery phrase could be made on this computer."));
  };
  connect(m_written, &QCheckBox::toggled, page, &Page::changed);
  page->ready = [this] { return m_written->isChecked() && m_words.size() == 24; };
  page->next = [] { return Confirm; };
}

void FirstRunWizard::buildConfirmPage() {
  Page *page = addPage(Confirm);
  auto *explain = new QLabel;
  explain->setWordWrap(true);
  page->body->addWidget(explain);
  auto *form = new QFormLayout;
  for (int i = 0; i < 3; ++i) {
    auto *label = new QLabel;
    auto *answer = new QLineEdit;
    answer->setObjectName(QStringLiteral("confirmWord%1").arg(i));
    form->addRow(label, answer);
    m_answerLabels.push_back(label);
    m_answers.push_back(answer);
  }
  page->body->addLayout(form);
  page->enter = [this, page, explain] {
    page->setTitle(tr("Prove the backup"));
    explain->setText(tr("Type the words at these three positions, from your paper."));
    std::set<int> chosen;
    while (chosen.size() < 3)
      chosen.insert(static_cast<int>(QRandomGenerator::system()->bounded(24)) + 1);
    m_positions.assign(chosen.begin(), chosen.end());
    m_phraseText->clear(); // going back shows no words: they were shown once
    for (std::size_t i = 0; i < 3; ++i) {
      m_answerLabels[i]->setText(tr("Word #%1").arg(m_positions[i]));
      m_answers[i]->clear();
    }
  };
  page->leave = [this] {
    for (std::size_t i = 0; i < 3; ++i)
      if (m_answers[i]->text().trimmed().toLower() != m_words.value(m_positions[i] - 1)) {
        showError(tr("Word #%1 does not match. Check your paper; if the words were not written "
                     "down, cancel and start again for a new phrase.")
                      .arg(m_positions[i]));
        return false;
      }
    return true;
  };
  page->next = [] { return Passphrase; };
}

void FirstRunWizard::buildRestorePage() {
  Page *page = addPage(Restore);
  auto *explain = new QLabel;
  explain->setWordWrap(true);
  m_restorePhrase = new QPlainTextEdit;
  m_restorePhrase->setObjectName(QStringLiteral("restorePhrase"));
  page->body->addWidget(explain);
  page->body->addWidget(m_restorePhrase);
  page->enter = [page, explain] {
    page->setTitle(tr("Restore a wallet"));
    explain->setText(
        tr("Type the recovery phrase (12 to 24 words, in order, separated by spaces)."));
  };
  page->leave = [this] {
    const QString why = m_wallet.checkRecoveryPhrase(m_restorePhrase->toPlainText());
    if (!why.isEmpty())
      showError(tr("This is not a valid recovery phrase: %1").arg(why));
    return why.isEmpty();
  };
  page->next = [] { return Passphrase; };
}

void FirstRunWizard::buildPassphrasePage() {
  Page *page = addPage(Passphrase);
  auto *explain = new QLabel;
  explain->setWordWrap(true);
  m_passphrase = new QLineEdit;
  m_passphrase->setObjectName(QStringLiteral("passphrase"));
  m_passphrase->setEchoMode(QLineEdit::Password);
  m_repeat = new QLineEdit;
  m_repeat->setObjectName(QStringLiteral("passphraseRepeat"));
  m_repeat->setEchoMode(QLineEdit::Password);
  auto *form = new QFormLayout;
  auto *first = new QLabel, *second = new QLabel;
  form->addRow(first, m_passphrase);
  form->addRow(second, m_repeat);
  page->body->addWidget(explain);
  page->body->addLayout(form);
  page->enter = [page, explain, first, second] {
    page->setTitle(tr("Passphrase"));
    explain->setText(tr("The passphrase locks the wallet file and the history of your analyses "
                        "on this computer. At least 8 characters."));
    first->setText(tr("Passphrase"));
    second->setText(tr("Repeat it"));
  };
  page->setCommitPage(true); // once the wallet exists, there is no going back to other choices
  page->leave = [this] { return createWallet(); };
  page->next = [] { return Network; };
}

bool FirstRunWizard::createWallet() {
  if (m_created)
    return true;
  if (m_passphrase->text().size() < 8) {
    showError(tr("The passphrase needs at least 8 characters."));
    return false;
  }
  if (m_passphrase->text() != m_repeat->text()) {
    showError(tr("The two passphrases differ."));
    return false;
  }
  const bool restoring = m_restore->isChecked();
  std::map<int, QString> confirmed;
  if (!restoring)
    for (std::size_t i = 0; i < m_positions.size(); ++i)
      confirmed[m_positions[i]] = m_answers[i]->text();
  QApplication::setOverrideCursor(Qt::WaitCursor); // the key derivation takes a moment
  const QString error = m_wallet.createWallet(restoring ? m_restorePhrase->toPlainText()
                                                        : m_words.join(QLatin1Char(' ')),
                                              m_passphrase->text(), confirmed);
  QApplication::restoreOverrideCursor();
  if (!error.isEmpty()) {
    showError(tr("The wallet could not be created: %1").arg(error));
    return false;
  }
  m_created = true;
  // The phrase is not needed any more: forget every copy this window holds.
  m_words.clear();
  m_restorePhrase->clear();
  m_passphrase->clear();
  m_repeat->clear();
  for (auto *answer : m_answers)
    answer->clear();
  return true;
}

void FirstRunWizard::buildNetworkPage() {
  Page *page = addPage(Network);
  m_devnet = new QRadioButton;
  m_join = new QRadioButton;
  m_devnet->setChecked(true);
  m_node = new QLineEdit;
  m_node->setObjectName(QStringLiteral("nodeAddress"));
  m_node->setPlaceholderText(QStringLiteral("rpc.example.org:8545"));
  m_node->setEnabled(false);
  m_deployment = new QLineEdit;
  m_deployment->setObjectName(QStringLiteral("deploymentFile"));
  m_deployment->setEnabled(false);
  auto *explain = new QLabel;
  explain->setWordWrap(true);
  page->body->addWidget(explain);
  page->body->addWidget(m_devnet);
  page->body->addWidget(m_join);
  page->body->addWidget(m_node);
  page->body->addWidget(m_deployment);
  connect(m_join, &QRadioButton::toggled, m_node, &QLineEdit::setEnabled);
  connect(m_join, &QRadioButton::toggled, m_deployment, &QLineEdit::setEnabled);
  page->enter = [this, page, explain] {
    page->setTitle(tr("Network"));
    explain->setText(tr("Where your analyses go. The local network runs a chain node, the Nesa "
                        "contracts and miners on this computer: nothing leaves it, and the demo "
                        "wallet pays. Joining a network sends encrypted shares to other "
                        "people's miners and pays them from your wallet."));
    m_devnet->setText(tr("Local network (everything on this computer)"));
    m_join->setText(tr("Join the EVM network of this chain node:"));
    m_deployment->setPlaceholderText(tr("its deployment file (deployment.json)"));
  };
  page->leave = [this] {
    Config config = m_settings.load();
    config.language = m_language->currentData().toString().toStdString();
    config.network = m_join->isChecked() ? "join" : "devnet";
    config.nodeAddress = m_node->text().trimmed().toStdString();
    config.deploymentFile = m_deployment->text().trimmed().toStdString();
    if (auto valid = config.validate(); !valid) {
      showError(QString::fromStdString(valid.error().message));
      return false;
    }
    if (const QString error = m_settings.save(config); !error.isEmpty()) {
      showError(tr("The settings could not be saved: %1").arg(error));
      return false;
    }
    return true;
  };
  page->next = [] { return -1; };
}

} // namespace nesa::ui
