#include "ui/settings_page.h"

#include "ui/privacy_levels.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace nesa::ui {

SettingsPage::SettingsPage(SettingsBackend &backend, QWidget *parent)
    : QWidget(parent), m_backend(backend) {
  m_language = new QComboBox;
  // Each language is named in itself, so it can be found whatever the interface speaks.
  m_language->addItem(QStringLiteral("English"), QStringLiteral("en"));
  m_language->addItem(QStringLiteral("Français"), QStringLiteral("fr"));
  m_dataDir = new QLineEdit;
  m_dataDir->setPlaceholderText(tr("the standard folder for this user"));
  auto *browse = new QPushButton(tr("Choose…"));
  m_privacy = new QComboBox;
  for (const QString &level : privacyLevels())
    m_privacy->addItem(privacyLevelTitle(level), level);
  m_devnet = new QRadioButton(tr("Local network (everything on this computer)"));
  m_join = new QRadioButton(tr("Join the EVM network of this chain node:"));
  auto *networkGroup = new QButtonGroup(this);
  networkGroup->addButton(m_devnet);
  networkGroup->addButton(m_join);
  m_node = new QLineEdit;
  m_node->setPlaceholderText(tr("host:port"));
  m_deployment = new QLineEdit;
  m_deployment->setPlaceholderText(tr("its deployment file (deployment.json)"));
  m_devnetMiners = new QSpinBox;
  m_devnetMiners->setRange(1, 16);
  m_minerThreads = new QSpinBox;
  m_minerThreads->setRange(0, 256);
  m_minerThreads->setSpecialValueText(tr("every core"));
  m_minerMaxJobs = new QSpinBox;
  m_minerMaxJobs->setRange(1, 64);
  m_autoLock = new QSpinBox;
  m_autoLock->setRange(0, 24 * 60);
  m_autoLock->setSuffix(tr(" min"));
  m_autoLock->setSpecialValueText(tr("never"));
  m_auditLog = new QCheckBox(tr("Keep a tamper-evident record of what is done with your data"));
  m_api = new QCheckBox(tr("Serve your other programs (OpenAI and Ollama compatible, on "
                           "127.0.0.1 only)"));
  m_api->setToolTip(tr("They need the token in the data folder's api-token file; queries are "
                       "run, verified and paid like yours (docs/api.md)."));
  m_apiPort = new QSpinBox;
  m_apiPort->setRange(1, 65535);
  m_pacs = new QLineEdit;
  m_pacs->setPlaceholderText(
      tr("AET@HOST:PORT, e.g. ORTHANC@pacs.hospital.org:4242, or https://HOST/dicom-web"));
  m_pacs->setToolTip(tr("The hospital's PACS for \"Open from PACS\" and \"Send result to PACS\"; "
                        "over DICOM it must list our AE title among its DICOM modalities."));
  m_pacsAeTitle = new QLineEdit;
  m_pacsAeTitle->setMaxLength(16);
  m_pacsTrusted = new QLineEdit;
  m_pacsTrusted->setPlaceholderText(tr("none: plain DICOM, or the system's authorities for https"));
  m_pacsTrusted->setToolTip(tr("A PEM file of the certificates the PACS's certificate must chain "
                               "to. Set, DICOM goes over TLS; a PACS whose certificate does not "
                               "chain to them or does not name its host is refused."));
  m_pacsCertificate = new QLineEdit;
  m_pacsCertificate->setPlaceholderText(tr("only for a PACS that asks for one"));
  m_pacsKey = new QLineEdit;
  m_pacsKey->setPlaceholderText(tr("the private key of that certificate (PEM)"));
  m_save = new QPushButton(tr("Save"));
  m_status = new QLabel;
  m_status->setWordWrap(true);

  auto *dataRow = new QHBoxLayout;
  dataRow->addWidget(m_dataDir, 1);
  dataRow->addWidget(browse);
  auto *joinRow = new QHBoxLayout;
  joinRow->addWidget(m_join);
  joinRow->addWidget(m_node, 1);
  auto *network = new QVBoxLayout;
  network->addWidget(m_devnet);
  network->addLayout(joinRow);
  network->addWidget(m_deployment);
  auto *form = new QFormLayout;
  form->addRow(tr("Language"), m_language);
  form->addRow(tr("Data folder"), dataRow);
  form->addRow(tr("Default privacy level"), m_privacy);
  form->addRow(tr("Network"), network);
  form->addRow(tr("Miners of the local network"), m_devnetMiners);
  form->addRow(tr("Threads this computer's miner may use"), m_minerThreads);
  form->addRow(tr("Jobs it computes at the same time"), m_minerMaxJobs);
  form->addRow(tr("Lock the wallet after inactivity"), m_autoLock);
  form->addRow(tr("Audit log"), m_auditLog);
  form->addRow(tr("Local API"), m_api);
  form->addRow(tr("Its port"), m_apiPort);
  form->addRow(tr("PACS"), m_pacs);
  form->addRow(tr("Our AE title towards it"), m_pacsAeTitle);
  form->addRow(tr("TLS: certificates it must chain to"), m_pacsTrusted);
  form->addRow(tr("TLS: our certificate"), m_pacsCertificate);
  form->addRow(tr("TLS: our private key"), m_pacsKey);
  auto *buttons = new QHBoxLayout;
  buttons->addWidget(m_save);
  buttons->addStretch(1);
  auto *layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addLayout(buttons);
  layout->addWidget(m_status);
  layout->addStretch(1);

  connect(browse, &QPushButton::clicked, this, &SettingsPage::browseDataFolder);
  connect(m_save, &QPushButton::clicked, this, &SettingsPage::save);
  connect(m_join, &QRadioButton::toggled, m_node, &QLineEdit::setEnabled);
  connect(m_join, &QRadioButton::toggled, m_deployment, &QLineEdit::setEnabled);
  showSettings(m_backend.load());
}

void SettingsPage::showSettings(const Config &config) {
  m_config = config;
  m_language->setCurrentIndex(
      std::max(0, m_language->findData(QString::fromStdString(config.language))));
  m_dataDir->setText(QString::fromStdString(config.dataDir.string()));
  m_privacy->setCurrentIndex(
      std::max(0, m_privacy->findData(QString::fromStdString(config.defaultPrivacy))));
  (config.network == "join" ? m_join : m_devnet)->setChecked(true);
  m_node->setText(QString::fromStdString(config.nodeAddress));
  m_node->setEnabled(config.network == "join");
  m_deployment->setText(QString::fromStdString(config.deploymentFile.string()));
  m_deployment->setEnabled(config.network == "join");
  m_devnetMiners->setValue(config.devnetMiners);
  m_minerThreads->setValue(config.minerThreads);
  m_minerMaxJobs->setValue(config.minerMaxJobs);
  m_autoLock->setValue(config.autoLockMinutes);
  // The organisation's policy may require the log: then it is on, whatever is saved here.
  const QString requiredBy = m_backend.auditLogRequiredBy();
  m_auditLog->setChecked(config.auditLog || !requiredBy.isEmpty());
  m_auditLog->setEnabled(requiredBy.isEmpty());
  m_auditLog->setToolTip(
      requiredBy.isEmpty()
          ? tr("An audit log in the data folder, encrypted with the wallet's passphrase: every "
               "analysis (who, when, which input by its digest, never its content, model, "
               "level, miners and cost), export, PACS transfer, wallet action and sign-in. They "
               "then happen only while the wallet is unlocked (docs/enterprise.md).")
          : tr("Required by the policy of %1: the audit log is kept whatever this setting says.")
                .arg(requiredBy));
  m_api->setChecked(config.apiEnabled);
  m_apiPort->setValue(config.apiPort);
  m_pacs->setText(QString::fromStdString(config.pacsNode));
  m_pacsAeTitle->setText(QString::fromStdString(config.pacsAeTitle));
  m_pacsTrusted->setText(QString::fromStdString(config.pacsTlsTrusted.string()));
  m_pacsCertificate->setText(QString::fromStdString(config.pacsTlsCertificate.string()));
  m_pacsKey->setText(QString::fromStdString(config.pacsTlsKey.string()));
}

Config SettingsPage::fromFields() const {
  Config config = m_config; // keeps what the page does not show (the log level)
  config.language = m_language->currentData().toString().toStdString();
  config.dataDir = m_dataDir->text().trimmed().toStdString();
  config.defaultPrivacy = m_privacy->currentData().toString().toStdString();
  config.network = m_join->isChecked() ? "join" : "devnet";
  config.nodeAddress = m_node->text().trimmed().toStdString();
  config.deploymentFile = m_deployment->text().trimmed().toStdString();
  config.devnetMiners = m_devnetMiners->value();
  config.minerThreads = m_minerThreads->value();
  config.minerMaxJobs = m_minerMaxJobs->value();
  config.autoLockMinutes = m_autoLock->value();
  if (m_auditLog->isEnabled()) // else required by the policy, and the user's choice kept
    config.auditLog = m_auditLog->isChecked();
  config.apiEnabled = m_api->isChecked();
  config.apiPort = m_apiPort->value();
  config.pacsNode = m_pacs->text().trimmed().toStdString();
  config.pacsAeTitle = m_pacsAeTitle->text().trimmed().toStdString();
  config.pacsTlsTrusted = m_pacsTrusted->text().trimmed().toStdString();
  config.pacsTlsCertificate = m_pacsCertificate->text().trimmed().toStdString();
  config.pacsTlsKey = m_pacsKey->text().trimmed().toStdString();
  return config;
}

bool SettingsPage::save() {
  const Config config = fromFields();
  if (auto valid = config.validate(); !valid) {
    m_status->setText(tr("Not saved: %1").arg(QString::fromStdString(valid.error().message)));
    return false;
  }
  if (const QString error = m_backend.save(config); !error.isEmpty()) {
    m_status->setText(tr("Not saved: %1").arg(error));
    return false;
  }
  const Config previous = m_config;
  m_config = config;
  QString text = tr("Saved.");
  if (config.network != previous.network || config.nodeAddress != previous.nodeAddress ||
      config.deploymentFile != previous.deploymentFile ||
      config.devnetMiners != previous.devnetMiners || config.dataDir != previous.dataDir)
    text += QLatin1Char(' ') + tr("The network and the data folder change at the next start.");
  m_status->setText(text);
  Q_EMIT saved(config, previous);
  return true;
}

QString SettingsPage::statusText() const { return m_status->text(); }

void SettingsPage::browseDataFolder() {
  const QString folder =
      QFileDialog::getExistingDirectory(this, tr("Data folder"), m_dataDir->text());
  if (!folder.isEmpty())
    m_dataDir->setText(folder);
}

} // namespace nesa::ui
