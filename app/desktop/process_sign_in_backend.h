// The desktop app's SignInBackend: the state from the installed policy and the sign-in that
// `nesa login` keeps in the data folder; signing in and out by running `nesa login` beside the
// app, which does the OpenID Connect flow (docs/enterprise.md). The app opens the sign-in page
// in the system browser itself, from the JSON line `nesa login --no-browser --json` prints.
#pragma once

#include "ui/sign_in_backend.h"

#include <QString>

#include <functional>

namespace nesa::app {

/// Runs `nesa login` (beside this program) for the settings in `configPath`.
class ProcessSignInBackend : public ui::SignInBackend {
public:
  /// Opens the provider's sign-in page (called from the thread that signs in).
  using OpenAddress = std::function<void(const QString &url)>;

  /// `configPath`: the settings file ("" for the default one); `openAddress`: how the sign-in
  /// page is opened (none: the system browser, QDesktopServices).
  explicit ProcessSignInBackend(QString configPath, OpenAddress openAddress = {});

  ui::SignInState state() override;
  QString signIn(const std::atomic<bool> &cancelled) override;
  QString signOut() override;

private:
  /// `nesa login` with `args`, and --config when one was given.
  QStringList loginArguments(const QStringList &args) const;

  QString m_configPath;
  OpenAddress m_openAddress;
};

} // namespace nesa::app
