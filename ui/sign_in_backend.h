// The sign-in bar's view of the product: who is signed in with the organisation's identity
// provider, and signing in and out (the app runs `nesa login`: app/desktop/
// process_sign_in_backend.h); tests use fakes.
#pragma once

#include <QDateTime>
#include <QString>

#include <atomic>

namespace nesa::ui {

/// Who is signed in, as the organisation's policy sees it.
struct SignInState {
  /// The provider the organisation's policy names (its issuer URL); empty: the policy names
  /// none, and people are this computer's users.
  QString provider;
  QString person;    ///< who is signed in (empty: nobody)
  QDateTime expires; ///< when that sign-in ends
  /// Why the kept sign-in does not count (expired, altered, not the policy's provider); empty
  /// when it counts or nobody is signed in.
  QString problem;
};

/// Signing in and out. Calls may block; the bar makes them off the GUI thread.
class SignInBackend {
public:
  virtual ~SignInBackend() = default;
  /// The state now (reads the policy and the kept sign-in; quick).
  virtual SignInState state() = 0;
  /// Signs in through the system browser and waits until it is done, refused, timed out or
  /// `cancelled` turns true. Returns why it did not work; empty when someone is signed in.
  virtual QString signIn(const std::atomic<bool> &cancelled) = 0;
  /// Forgets the kept sign-in; returns why it could not, or empty.
  virtual QString signOut() = 0;
};

} // namespace nesa::ui
