// The sign-in bar against a fake backend (offscreen): hidden without a provider, who is signed
// in and until when, the warning as the end nears or once it passed, signing in (and failing,
// and cancelling) and out; the window adds or removes the Audit page as the person changes.
#include "fake_audit_backend.h"
#include "fake_backends.h"
#include "fake_sign_in_backend.h"
#include "ui/main_window.h"
#include "ui/sign_in_bar.h"
#include "ui/translations.h"

#include <QApplication>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTest>

using namespace nesa::ui;
using nesa::testing::FakeAuditBackend;
using nesa::testing::FakeBackends;
using nesa::testing::FakeSignInBackend;

namespace {

const QString kProvider = QStringLiteral("https://login.example.org/realms/hospital");

SignInState alice(int minutesLeft) {
  return {kProvider,
          QStringLiteral("alice"),
          QDateTime::currentDateTimeUtc().addSecs(60 * minutesLeft),
          {}};
}

} // namespace

class TestSignInBar : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void initTestCase() { QVERIFY(installTranslation(*qApp, QStringLiteral("en"))); }

  // Without a provider and without a sign-in there is nothing to show.
  void hiddenWhenThePolicyNamesNoProvider() {
    FakeSignInBackend backend;
    SignInBar bar(backend);
    QVERIFY(bar.isHidden());
    backend.set({kProvider, {}, {}, {}});
    bar.refresh();
    QVERIFY(!bar.isHidden());
    QCOMPARE(bar.text(), QStringLiteral("Not signed in at login.example.org"));
    QCOMPARE(bar.button()->text(), QStringLiteral("Sign in…"));
  }

  // A sign-in made with nesa login --issuer, no policy naming a provider: it can only be ended.
  void withoutAProviderASignInCanOnlyBeEnded() {
    FakeSignInBackend backend;
    SignInState byHand = alice(60);
    byHand.provider.clear();
    backend.set(byHand);
    SignInBar bar(backend);
    QVERIFY(!bar.isHidden());
    QCOMPARE(bar.button()->text(), QStringLiteral("Sign out"));
    byHand.expires = QDateTime::currentDateTimeUtc().addSecs(-60);
    backend.set(byHand);
    bar.refresh();
    QCOMPARE(bar.text(), QStringLiteral("The sign-in of alice has ended"));
    QCOMPARE(bar.button()->text(), QStringLiteral("Sign out"));
    QTest::mouseClick(bar.button(), Qt::LeftButton);
    QTRY_VERIFY(!bar.isSigningIn());
    QCOMPARE(backend.signOuts.load(), 1);
    QCOMPARE(backend.signIns.load(), 0);
    QVERIFY(bar.isHidden());
  }

  void signingInAndOut() {
    FakeSignInBackend backend;
    backend.set({kProvider, {}, {}, {}});
    backend.signedIn = alice(60);
    SignInBar bar(backend);
    QSignalSpy changed(&bar, &SignInBar::signInChanged);
    QTest::mouseClick(bar.button(), Qt::LeftButton);
    QTRY_VERIFY(!bar.isSigningIn());
    QCOMPARE(backend.signIns, 1);
    QVERIFY2(bar.text().startsWith(QStringLiteral("Signed in as alice until ")),
             qPrintable(bar.text()));
    QCOMPARE(bar.button()->text(), QStringLiteral("Sign out"));
    QCOMPARE(changed.count(), 1);
    bar.refresh(); // nothing changed: nothing said
    QCOMPARE(changed.count(), 1);
    QTest::mouseClick(bar.button(), Qt::LeftButton);
    QTRY_VERIFY(!bar.isSigningIn());
    QCOMPARE(backend.signOuts, 1);
    QCOMPARE(bar.text(), QStringLiteral("Not signed in at login.example.org"));
    QCOMPARE(changed.count(), 2);
  }

  // The end of a sign-in is announced before it comes, and said once it passed.
  void theEndIsAnnounced() {
    FakeSignInBackend backend;
    backend.set(alice(5));
    SignInBar bar(backend);
    QVERIFY(bar.text().endsWith(QStringLiteral("(ends soon)")));
    QCOMPARE(bar.button()->text(), QStringLiteral("Sign in again"));
    backend.set(alice(-1));
    bar.refresh();
    QCOMPARE(bar.text(), QStringLiteral("The sign-in of alice has ended"));
    QCOMPARE(bar.button()->text(), QStringLiteral("Sign in…"));
    SignInState altered = alice(60);
    altered.problem = QStringLiteral("the ID token's signature does not hold");
    backend.set(altered);
    bar.refresh();
    QCOMPARE(bar.text(), QStringLiteral("Not signed in: the ID token's signature does not hold"));
  }

  void aFailedSignInIsSaidAndACancelledOneIsNot() {
    FakeSignInBackend backend;
    backend.set({kProvider, {}, {}, {}});
    backend.signInAnswer = QStringLiteral("the provider refused the sign-in: access_denied");
    SignInBar bar(backend);
    QSignalSpy said(&bar, &SignInBar::message);
    bar.signIn();
    QTRY_VERIFY(!bar.isSigningIn());
    QCOMPARE(said.count(), 1);
    QVERIFY(said.at(0).at(0).toString().contains(QStringLiteral("access_denied")));
    QCOMPARE(bar.text(), QStringLiteral("Not signed in at login.example.org"));

    backend.waitForCancel = true;
    bar.signIn();
    QVERIFY(bar.isSigningIn());
    QCOMPARE(bar.text(), QStringLiteral("Finish signing in in your browser…"));
    QCOMPARE(bar.button()->text(), QStringLiteral("Cancel"));
    QTest::mouseClick(bar.button(), Qt::LeftButton);
    QTRY_VERIFY(!bar.isSigningIn());
    QCOMPARE(said.count(), 1); // the user's own cancel needs no message
    QVERIFY(bar.button()->isEnabled());
  }

  // Roles follow the signed-in person: the Audit page comes and goes with the audit right.
  void theWindowFollowsTheSignIn() {
    FakeBackends fakes;
    FakeAuditBackend audit;
    audit.refusal = QStringLiteral("sign in first");
    FakeSignInBackend signIn;
    signIn.set({kProvider, {}, {}, {}});
    signIn.signedIn = alice(60);
    Backends backends = fakes.backends();
    backends.audit = &audit;
    backends.signIn = &signIn;
    MainWindow window(backends);
    QVERIFY(window.signInBar());
    QVERIFY(!window.auditPage());
    audit.refusal.clear(); // alice's roles may read it
    window.signInBar()->signIn();
    QTRY_VERIFY(window.auditPage());
    QVERIFY(window.showPage(QStringLiteral("audit")));
    audit.refusal = QStringLiteral("sign in first");
    window.signInBar()->signOut();
    QTRY_VERIFY(!window.auditPage());
  }
};

QTEST_MAIN(TestSignInBar)
#include "tst_sign_in_bar.moc"
