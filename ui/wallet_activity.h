// The lower half of the wallet page: the account's history (transfers, stake, sessions opened
// to pay miners, votes), its payment sessions with what is left of each, and the network's
// governance proposals, with voting on open ones by the account's stake. Read off the GUI
// thread.
#pragma once

#include "ui/wallet_backend.h"

#include <QFutureWatcher>
#include <QTabWidget>

class QLabel;
class QPushButton;
class QTableWidget;

namespace nesa::ui {

/// History and governance tabs. `backend` must outlive it.
class WalletActivity : public QTabWidget {
  Q_OBJECT
public:
  explicit WalletActivity(WalletBackend &backend, QWidget *parent = nullptr);
  ~WalletActivity() override;

  /// Reads the history (with the wallet's passphrase) and the proposals again.
  void refresh(const QString &passphrase);
  /// Empties both tabs and forgets the passphrase (the wallet locked).
  void clear();
  /// Votes on the selected open proposal with the account's stake.
  void voteOnSelected(bool yes);

  QTableWidget *historyTable() const { return m_history; }
  QTableWidget *proposalTable() const { return m_proposals; }
  QTableWidget *sessionTable() const { return m_sessions; }
  /// The sentence above the proposals: none, how to vote, a vote's outcome, an error.
  QString governanceText() const;
  /// The sentence above the history (empty, or an error).
  QString historyText() const;

Q_SIGNALS:
  /// Emitted after the history and proposals were read.
  void updated();
  /// Emitted after a vote was submitted (or refused).
  void voted();

private:
  struct Activity {
    WalletHistory history;
    WalletSessions sessions;
    Governance governance;
  };
  void showSessions(const WalletSessions &sessions);
  void show(const Activity &activity);
  void updateVoteButtons();

  WalletBackend &m_backend;
  QString m_passphrase;
  QString m_voteOutcome; ///< what became of the last vote, shown until the next one
  std::vector<GovernanceProposal> m_shown;
  QFutureWatcher<Activity> *m_reading = nullptr;
  QFutureWatcher<QString> *m_voting = nullptr;
  QTableWidget *m_history = nullptr;
  QTableWidget *m_proposals = nullptr;
  QTableWidget *m_sessions = nullptr;
  QLabel *m_sessionsText = nullptr;
  QLabel *m_historyText = nullptr;
  QLabel *m_governanceText = nullptr;
  QPushButton *m_yes = nullptr;
  QPushButton *m_no = nullptr;
};

} // namespace nesa::ui
