// The sign-in bar in the window's top corner, when the organisation's policy names an identity
// provider (or someone signed in anyway): who is signed in and until when, a warning as the
// end nears or once it passed, and Sign in… / Sign out / Cancel. Roles follow the signed-in
// person, so a change is announced (signInChanged) for the window to follow.
#pragma once

#include "ui/sign_in_backend.h"

#include <QFutureWatcher>
#include <QWidget>

#include <memory>

class QLabel;
class QPushButton;
class QTimer;

namespace nesa::ui {

/// The bar. `backend` must outlive it.
class SignInBar : public QWidget {
  Q_OBJECT
public:
  explicit SignInBar(SignInBackend &backend, QWidget *parent = nullptr);

  /// Reads the state again and shows it (also every 30 s, for the expiry).
  void refresh();
  /// Starts signing in (the browser opens); the button turns into Cancel.
  void signIn();
  /// Forgets the sign-in (off the GUI thread too).
  void signOut();
  /// Whether a sign-in waits for the browser, or a sign-out is under way.
  bool isSigningIn() const;

  QString text() const;
  QPushButton *button() const { return m_button; }

Q_SIGNALS:
  /// The person signed in changed (signed in, out, or the sign-in ended).
  void signInChanged();
  /// A sentence for the status bar (a failed sign-in, say).
  void message(const QString &text);

private:
  void display(const SignInState &state);
  void buttonClicked();

  SignInBackend &m_backend;
  QLabel *m_label = nullptr;
  QPushButton *m_button = nullptr;
  QTimer *m_timer = nullptr;
  QFutureWatcher<QString> *m_signingIn = nullptr;
  std::shared_ptr<std::atomic<bool>> m_cancelled;
  bool m_busy = false;       ///< from signIn() or signOut() until its result was shown
  bool m_signingOut = false; ///< the work under way is a sign-out
  QString m_shownPerson;     ///< whose sign-in was shown last (empty: nobody's, or none valid)
  enum class Action { SignIn, SignOut, Cancel } m_action = Action::SignIn;
};

} // namespace nesa::ui
