// A fake SignInBackend for the UI tests: the state in memory; signIn answers `signInAnswer`
// (setting `state.person` when that is empty), or waits until cancelled when `waitForCancel`.
#pragma once

#include "ui/sign_in_backend.h"

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

namespace nesa::testing {

class FakeSignInBackend : public ui::SignInBackend {
public:
  ui::SignInState signedIn;   ///< what a sign-in that works leads to
  QString signInAnswer;       ///< what signIn answers (empty: it works)
  bool waitForCancel = false; ///< signIn waits until cancelled
  std::atomic<int> signIns{0}, signOuts{0};

  void set(const ui::SignInState &state) {
    std::lock_guard lock(m_mutex);
    m_state = state;
  }
  ui::SignInState state() override {
    std::lock_guard lock(m_mutex);
    return m_state;
  }
  QString signIn(const std::atomic<bool> &cancelled) override {
    ++signIns;
    while (waitForCancel && !cancelled.load())
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    if (cancelled.load())
      return QStringLiteral("cancelled");
    if (signInAnswer.isEmpty())
      set(signedIn);
    return signInAnswer;
  }
  QString signOut() override {
    ++signOuts;
    std::lock_guard lock(m_mutex);
    m_state.person.clear();
    return {};
  }

private:
  std::mutex m_mutex;
  ui::SignInState m_state;
};

} // namespace nesa::testing
