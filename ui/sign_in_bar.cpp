#include "ui/sign_in_bar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QTimer>
#include <QUrl>
#include <QtConcurrent>

namespace nesa::ui {
namespace {

/// How long before its end a sign-in is said to end soon.
constexpr qint64 kEndsSoonSeconds = 10 * 60;

} // namespace

SignInBar::SignInBar(SignInBackend &backend, QWidget *parent)
    : QWidget(parent), m_backend(backend) {
  auto *layout = new QHBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  m_label = new QLabel(this);
  m_button = new QPushButton(this);
  layout->addWidget(m_label);
  layout->addWidget(m_button);
  m_signingIn = new QFutureWatcher<QString>(this);
  m_timer = new QTimer(this);
  m_timer->start(30 * 1000); // the end of a sign-in comes without a word from anyone
  connect(m_timer, &QTimer::timeout, this, &SignInBar::refresh);
  connect(m_button, &QPushButton::clicked, this, &SignInBar::buttonClicked);
  connect(m_signingIn, &QFutureWatcher<QString>::finished, this, [this] {
    const QString why = m_signingIn->result();
    const bool cancelled = m_cancelled && m_cancelled->load();
    m_busy = false;
    m_button->setEnabled(true);
    refresh();
    if (!why.isEmpty() && !cancelled)
      Q_EMIT message(m_signingOut ? tr("Signing out did not work: %1").arg(why)
                                  : tr("Signing in did not work: %1").arg(why));
  });
  refresh();
}

bool SignInBar::isSigningIn() const { return m_busy; }

QString SignInBar::text() const { return m_label->text(); }

void SignInBar::refresh() {
  if (!isSigningIn())
    display(m_backend.state());
}

void SignInBar::display(const SignInState &state) {
  setVisible(!state.provider.isEmpty() || !state.person.isEmpty());
  const QDateTime now = QDateTime::currentDateTimeUtc();
  const bool holds = !state.person.isEmpty() && state.problem.isEmpty() && state.expires > now;
  const bool endsSoon = holds && now.secsTo(state.expires) < kEndsSoonSeconds;
  QString text;
  if (holds) {
    text = tr("Signed in as %1 until %2")
               .arg(state.person, state.expires.toLocalTime().toString(QStringLiteral("HH:mm")));
    if (endsSoon)
      text += tr(" (ends soon)");
  } else if (!state.person.isEmpty()) {
    text = state.problem.isEmpty() ? tr("The sign-in of %1 has ended").arg(state.person)
                                   : tr("Not signed in: %1").arg(state.problem);
  } else {
    text = tr("Not signed in at %1").arg(QUrl(state.provider).host());
  }
  m_label->setText(text);
  m_label->setToolTip(state.provider);
  m_label->setStyleSheet(holds && !endsSoon ? QString() : QStringLiteral("color: #b35c00;"));
  // Without a provider in the policy there is nothing to sign in to here (nesa login would need
  // one named): a sign-in made by hand can only be ended.
  m_action = (holds && !endsSoon) || state.provider.isEmpty() ? Action::SignOut : Action::SignIn;
  m_button->setText(m_action == Action::SignOut ? tr("Sign out")
                    : holds                     ? tr("Sign in again")
                                                : tr("Sign in…"));
  const QString person = holds ? state.person : QString();
  if (person != m_shownPerson) {
    m_shownPerson = person;
    Q_EMIT signInChanged();
  }
}

void SignInBar::signIn() {
  if (isSigningIn())
    return;
  m_busy = true;
  m_signingOut = false;
  m_cancelled = std::make_shared<std::atomic<bool>>(false);
  m_label->setText(tr("Finish signing in in your browser…"));
  m_label->setStyleSheet(QString());
  m_action = Action::Cancel;
  m_button->setText(tr("Cancel"));
  m_signingIn->setFuture(QtConcurrent::run(
      [backend = &m_backend, cancelled = m_cancelled] { return backend->signIn(*cancelled); }));
}

void SignInBar::signOut() {
  if (isSigningIn())
    return;
  m_busy = true;
  m_signingOut = true;
  m_cancelled.reset();
  m_button->setEnabled(false);
  m_signingIn->setFuture(QtConcurrent::run([backend = &m_backend] { return backend->signOut(); }));
}

void SignInBar::buttonClicked() {
  switch (m_action) {
  case Action::SignIn: signIn(); break;
  case Action::SignOut: signOut(); break;
  case Action::Cancel:
    if (m_cancelled)
      m_cancelled->store(true);
    m_button->setEnabled(false); // until the sign-in has stopped
    break;
  }
}

} // namespace nesa::ui
