// The settings page: language, data folder, default privacy level, network (this computer or a
// node to join), the miner's threads and the wallet's auto-lock. Save validates everything
// first and keeps nothing when a value is wrong; the window applies what it can at once.
#pragma once

#include "ui/settings_backend.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;
class QSpinBox;

namespace nesa::ui {

/// The settings page. `backend` must outlive it.
class SettingsPage : public QWidget {
  Q_OBJECT
public:
  explicit SettingsPage(SettingsBackend &backend, QWidget *parent = nullptr);

  /// The settings as they were last loaded or saved.
  const Config &settings() const { return m_config; }
  /// Puts `config` into the fields (without saving).
  void showSettings(const Config &config);
  /// Validates the fields and saves them; false (with the reason shown) when nothing was kept.
  bool save();
  /// The sentence under the Save button: what was saved and applies when, or what is wrong.
  QString statusText() const;

  QComboBox *languageBox() const { return m_language; }
  QComboBox *privacyBox() const { return m_privacy; }
  QRadioButton *joinButton() const { return m_join; }
  QLineEdit *nodeField() const { return m_node; }
  QLineEdit *deploymentField() const { return m_deployment; }
  QSpinBox *autoLockBox() const { return m_autoLock; }
  QSpinBox *minerThreadsBox() const { return m_minerThreads; }
  /// "Keep an audit log" (auditLog).
  QCheckBox *auditLogBox() const { return m_auditLog; }
  QCheckBox *apiBox() const { return m_api; }
  QSpinBox *apiPortBox() const { return m_apiPort; }
  /// The PACS ("AET@HOST:PORT" or a DICOMweb URL) and our AE title towards it.
  QLineEdit *pacsField() const { return m_pacs; }
  QLineEdit *pacsAeTitleField() const { return m_pacsAeTitle; }
  /// The TLS files towards the PACS: what its certificate must chain to, ours and our key.
  QLineEdit *pacsTrustedField() const { return m_pacsTrusted; }
  QLineEdit *pacsCertificateField() const { return m_pacsCertificate; }
  QLineEdit *pacsKeyField() const { return m_pacsKey; }
  QPushButton *saveButton() const { return m_save; }

Q_SIGNALS:
  /// Emitted after a save; `previous` is what was in force before.
  void saved(const nesa::Config &config, const nesa::Config &previous);

private:
  Config fromFields() const;
  void browseDataFolder();

  SettingsBackend &m_backend;
  Config m_config;
  QComboBox *m_language = nullptr;
  QLineEdit *m_dataDir = nullptr;
  QComboBox *m_privacy = nullptr;
  QRadioButton *m_devnet = nullptr;
  QRadioButton *m_join = nullptr;
  QLineEdit *m_node = nullptr;
  QLineEdit *m_deployment = nullptr;
  QLineEdit *m_pacs = nullptr;
  QLineEdit *m_pacsAeTitle = nullptr;
  QLineEdit *m_pacsTrusted = nullptr;
  QLineEdit *m_pacsCertificate = nullptr;
  QLineEdit *m_pacsKey = nullptr;
  QSpinBox *m_devnetMiners = nullptr;
  QSpinBox *m_minerThreads = nullptr;
  QSpinBox *m_minerMaxJobs = nullptr;
  QSpinBox *m_autoLock = nullptr;
  QCheckBox *m_auditLog = nullptr;
  QCheckBox *m_api = nullptr;
  QSpinBox *m_apiPort = nullptr;
  QPushButton *m_save = nullptr;
  QLabel *m_status = nullptr;
};

} // namespace nesa::ui
