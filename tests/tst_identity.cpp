// Single sign-on against a real OpenID Connect provider (glewlwyd, started by the test on
// loopback). ID tokens: a sign-in with PKCE gives a token whose signature, issuer, audience,
// nonce and lifetime verify and which names the user and their groups; a token meant for another
// application, from another sign-in (nonce), expired, altered, unsigned or signed by another key
// is refused, each saying why. Then `nesa login` end to end, the test playing the browser: the
// signed-in person kept and shown; a forged state, a replayed code, a plain-HTTP provider and
// no answer in time each refused with a clear message. Last, an organisation's policy that names
// the provider: roles by the signed-in person's groups, none before signing in or with an
// altered token.
#include "glewlwyd_server.h"
#include "identity/id_token.h"
#include "policy/enforcement.h"
#include "process_sign_in_backend.h"
#include "test_policy.h"
#include "test_programs.h"

#include <QFileInfo>
#include <QTest>

#include <chrono>
#include <thread>

using namespace nesa;
using nesa::testing::AuthorizationRequest;
using nesa::testing::GlewlwydServer;

namespace {

std::int64_t nowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

QByteArray base64Url(const QByteArray &bytes) {
  return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

const QString kNesa = QStringLiteral(NESA_CLI_PATH);

/// `nesa login` against the test's provider, in `home`, waiting for the sign-in address it
/// prints (instead of opening a browser).
struct LoginRun {
  QProcess process;
  QString address;
  QByteArray err;

  bool start(const QString &home, const QStringList &args) {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("NESA_HOME"), home);
    process.setProcessEnvironment(env);
    process.start(kNesa, QStringList{QStringLiteral("login")} + args);
    for (int i = 0; i < 300 && address.isEmpty(); ++i) {
      process.waitForReadyRead(100);
      err += process.readAllStandardError();
      for (const QByteArray &line : err.split('\n'))
        if (line.trimmed().startsWith("http"))
          address = QString::fromUtf8(line.trimmed());
      if (process.state() == QProcess::NotRunning)
        break;
    }
    return !address.isEmpty();
  }
  /// Its exit code once it ended (-1: still running after a minute), with all it printed.
  int finish(QString &out) {
    // It may have ended already, while the test's HTTP request ran an event loop (then
    // waitForFinished says false).
    const bool ended = process.state() == QProcess::NotRunning || process.waitForFinished(60000);
    err += process.readAllStandardError();
    out = QString::fromUtf8(process.readAllStandardOutput()) + QString::fromUtf8(err);
    return ended ? process.exitCode() : -1;
  }
};

} // namespace

class TestIdentity : public QObject {
  Q_OBJECT

  GlewlwydServer m_provider;

  /// Installs in `folder` a policy signed by a new administrator key that names the test's
  /// provider (its keys pinned) and gives the radiology group the clinician role.
  bool installSignInPolicy(const QString &folder) {
    auto key = audit::SignerKey::generate("admin.example.org");
    if (!key)
      return false;
    const QJsonObject signIn{{"issuer", m_provider.issuer()},
                             {"clientId", GlewlwydServer::kClientId},
                             {"redirectPort", m_callbackPort},
                             {"keys", QJsonDocument::fromJson(m_jwks).object()}};
    const QJsonObject policyJson{
        {"organisation", "St Example Hospital"},
        {"version", 3},
        {"expires", "2099-01-01T00:00:00Z"},
        {"roles", QJsonObject{{"clinician", QJsonObject{{"minimumLevel", "hss"}}}}},
        {"groups", QJsonObject{{"radiology", QJsonArray{"clinician"}}}},
        {"signIn", signIn}};
    auto note = policy::signPolicy(QJsonDocument(policyJson).toJson().toStdString(), *key);
    return note && installPolicy(folder, *key, *note);
  }
  quint16 m_callbackPort = 0;
  QString m_redeemedCode; ///< a code `nesa login` already exchanged
  QString m_idToken;
  QByteArray m_jwks;
  AuthorizationRequest m_request;

  identity::IdTokenExpectations expectations() const {
    return {m_provider.issuer().toStdString(), GlewlwydServer::kClientId,
            m_request.nonce.toStdString(), nowSeconds(), 60};
  }

  /// Why `token` is refused ("" when it is accepted).
  std::string refusal(const QByteArray &token, const identity::IdTokenExpectations &expect,
                      const QByteArray &jwks) {
    auto verified = identity::verifyIdToken(token.toStdString(), jwks.toStdString(), expect);
    if (verified)
      return {};
    if (verified.error().code != ErrorCode::Forbidden)
      return "not Forbidden: " + verified.error().message;
    return verified.error().message;
  }

private Q_SLOTS:
  void initTestCase() {
    m_callbackPort = GlewlwydServer::freePort();
    const QString redirect = QString("http://127.0.0.1:%1/callback").arg(m_callbackPort);
    const QString started = m_provider.start(redirect, {"radiology", "staff"});
    QVERIFY2(started.isEmpty(), qPrintable(started));
    m_request = AuthorizationRequest::fresh();
    const QString back = m_provider.signInAndAuthorize(m_provider.authorizationUrl(m_request));
    QVERIFY2(back.startsWith(redirect + "?"), qPrintable(back));
    const QUrlQuery query(QUrl(back).query());
    QCOMPARE(query.queryItemValue("state"), m_request.state);
    const auto answer = m_provider.exchange(query.queryItemValue("code"), m_request.verifier);
    QVERIFY2(answer.status == 200, answer.body.constData());
    m_idToken = QJsonDocument::fromJson(answer.body).object()["id_token"].toString();
    QVERIFY(!m_idToken.isEmpty());
    m_jwks = m_provider.jwks();
    QVERIFY(QJsonDocument::fromJson(m_jwks).object()["keys"].isArray());
  }

  void aSignInGivesAVerifiedPersonAndTheirGroups() {
    auto who =
        identity::verifyIdToken(m_idToken.toStdString(), m_jwks.toStdString(), expectations());
    QVERIFY2(who.ok(), who ? "" : who.error().message.c_str());
    QCOMPARE(who->userName, std::string("alice"));
    QVERIFY(!who->subject.empty());
    QCOMPARE(who->groups, (std::vector<std::string>{"radiology", "staff"}));
    QVERIFY(who->expiresAt > nowSeconds());
  }

  void aTokenForAnotherAppAnotherSignInOrPastItsTimeIsRefused() {
    auto expect = expectations();
    expect.clientId = "another-app";
    QVERIFY(refusal(m_idToken.toUtf8(), expect, m_jwks).find("audience") != std::string::npos);
    expect = expectations();
    expect.nonce = AuthorizationRequest::fresh().nonce.toStdString();
    QVERIFY(refusal(m_idToken.toUtf8(), expect, m_jwks).find("nonce") != std::string::npos);
    expect = expectations();
    expect.issuer = "https://login.example.org";
    QVERIFY(refusal(m_idToken.toUtf8(), expect, m_jwks).find("issued by") != std::string::npos);
    expect = expectations();
    expect.nowSeconds += 2 * 3600; // the provider gives an hour
    QVERIFY(refusal(m_idToken.toUtf8(), expect, m_jwks).find("expired") != std::string::npos);
    expect = expectations();
    expect.nowSeconds -= 3600; // this computer's clock an hour behind
    QVERIFY(refusal(m_idToken.toUtf8(), expect, m_jwks).find("future") != std::string::npos);
  }

  void anAlteredUnsignedOrForeignTokenIsRefused() {
    const QList<QByteArray> parts = m_idToken.toUtf8().split('.');
    QCOMPARE(parts.size(), 3);
    // Alice's groups swapped for the administrators' in the signed claims.
    QJsonObject claims =
        QJsonDocument::fromJson(QByteArray::fromBase64(parts[1], QByteArray::Base64UrlEncoding))
            .object();
    claims["groups"] = QJsonArray{"administrators"};
    const QByteArray altered = parts[0] + '.' +
                               base64Url(QJsonDocument(claims).toJson(QJsonDocument::Compact)) +
                               '.' + parts[2];
    QVERIFY(refusal(altered, expectations(), m_jwks).find("signature") != std::string::npos);
    // The same claims, unsigned.
    const QByteArray unsigned_ = base64Url(R"({"alg":"none","typ":"JWT"})") + '.' + parts[1] + '.';
    QVERIFY(refusal(unsigned_, expectations(), m_jwks).find("not a signed token") !=
            std::string::npos);
    // The provider's key id, but another key: what a token signed elsewhere meets.
    QProcess openssl;
    openssl.start("sh", {"-c", "openssl genrsa 2048 2>/dev/null | openssl rsa -noout -modulus"});
    QVERIFY(openssl.waitForFinished(60000));
    const QByteArray modulus = openssl.readAllStandardOutput().trimmed().split('=').last();
    QJsonObject set = QJsonDocument::fromJson(m_jwks).object();
    QJsonArray keys = set["keys"].toArray();
    QJsonObject key = keys[0].toObject();
    key["n"] = QString::fromLatin1(base64Url(QByteArray::fromHex(modulus)));
    keys[0] = key;
    set["keys"] = keys;
    const QByteArray foreign = QJsonDocument(set).toJson(QJsonDocument::Compact);
    QVERIFY(refusal(m_idToken.toUtf8(), expectations(), foreign).find("signature") !=
            std::string::npos);
    // A key set without the token's key, and no key set at all.
    key["kid"] = "another-key";
    keys[0] = key;
    set["keys"] = keys;
    QVERIFY(refusal(m_idToken.toUtf8(), expectations(),
                    QJsonDocument(set).toJson(QJsonDocument::Compact))
                .find("has no key") != std::string::npos);
    auto broken = identity::verifyIdToken(m_idToken.toStdString(), "not json", expectations());
    QVERIFY(!broken.ok());
    QCOMPARE(broken.error().code, ErrorCode::InvalidInput);
  }

  QStringList loginArgs() const {
    return {"--issuer",
            m_provider.issuer(),
            "--client-id",
            GlewlwydServer::kClientId,
            "--port",
            QString::number(m_callbackPort),
            "--no-browser",
            "--timeout",
            "60"};
  }

  // nesa login end to end: the address it prints, alice's sign-in at the provider, the redirect
  // to its loopback port; then the verified person kept (owner-only), shown, and forgotten.
  void nesaLoginSignsInThroughTheBrowser() {
    QTemporaryDir home;
    LoginRun login;
    QVERIFY2(login.start(home.path(), loginArgs()), login.err.constData());
    QVERIFY(login.address.startsWith(m_provider.issuer() + "/auth?"));
    QVERIFY(login.address.contains("code_challenge_method=S256"));
    QVERIFY(login.address.contains("nonce="));
    const QString back = m_provider.signInAndAuthorize(login.address);
    QVERIFY2(back.startsWith(QString("http://127.0.0.1:%1/callback?").arg(m_callbackPort)),
             qPrintable(back));
    QCOMPARE(testing::HttpSession().send("GET", back).status, 200); // the browser's tab
    QString printed;
    QCOMPARE(login.finish(printed), 0);
    QVERIFY2(printed.contains("Signed in as alice at " + m_provider.issuer() +
                              " (groups: radiology, staff)"),
             qPrintable(printed));
    m_redeemedCode = QUrlQuery(QUrl(back).query()).queryItemValue("code");

    const QString session = home.filePath("identity/session.json");
    const QFileInfo file(session);
    QVERIFY2(file.exists(), qPrintable(session));
    QCOMPARE(file.permissions() & (QFile::ReadGroup | QFile::ReadOther), QFile::Permissions());
    Run r = run(kNesa, {"login", "--status", "--json"}, home.path());
    QCOMPARE(r.code, 0);
    const QJsonObject who = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(who["userName"].toString(), QStringLiteral("alice"));
    QCOMPARE(who["groups"].toArray().size(), 2);
    QVERIFY(!who.contains("idToken")); // shown nowhere
    QCOMPARE(run(kNesa, {"login", "--forget"}, home.path()).code, 0);
    r = run(kNesa, {"login", "--status"}, home.path());
    QCOMPARE(r.code, 1);
    QVERIFY(r.err.contains("nobody is signed in"));
  }

  // A redirect whose state is not the sign-in's (a forged or crossed answer) is refused, and so
  // is a code the provider already redeemed; nothing is kept.
  void nesaLoginRefusesAForgedStateAndAReplayedCode() {
    QTemporaryDir home;
    LoginRun forged;
    QVERIFY2(forged.start(home.path(), loginArgs()), forged.err.constData());
    QString back = m_provider.signInAndAuthorize(forged.address);
    QUrl url(back);
    QUrlQuery query(url.query());
    query.removeQueryItem("state");
    query.addQueryItem("state", "forged");
    url.setQuery(query);
    testing::HttpSession().send("GET", url.toString());
    QString printed;
    QCOMPARE(forged.finish(printed), 4);
    QVERIFY2(printed.contains("does not carry this sign-in's state"), qPrintable(printed));

    QVERIFY(!m_redeemedCode.isEmpty());
    LoginRun replayed;
    QVERIFY2(replayed.start(home.path(), loginArgs()), replayed.err.constData());
    const QString state = QUrlQuery(QUrl(replayed.address).query()).queryItemValue("state");
    testing::HttpSession().send("GET", QString("http://127.0.0.1:%1/callback?state=%2&code=%3")
                                           .arg(m_callbackPort)
                                           .arg(state, m_redeemedCode));
    QCOMPARE(replayed.finish(printed), 4);
    QVERIFY2(printed.contains("refused this sign-in's code (HTTP 403, invalid_code)"),
             qPrintable(printed));
    QVERIFY(!QFile::exists(home.filePath("identity/session.json")));

    // An error answer counts only with this sign-in's state: a page that sends the browser to
    // the loopback port with error= cannot pass for the provider.
    for (const bool rightState : {false, true}) {
      LoginRun errored;
      QVERIFY2(errored.start(home.path(), loginArgs()), errored.err.constData());
      const QString ours = QUrlQuery(QUrl(errored.address).query()).queryItemValue("state");
      testing::HttpSession().send(
          "GET", QString("http://127.0.0.1:%1/callback?error=access_denied&state=%2")
                     .arg(m_callbackPort)
                     .arg(rightState ? ours : QStringLiteral("forged")));
      QCOMPARE(errored.finish(printed), 4);
      QVERIFY2(printed.contains(rightState ? "the provider refused the sign-in: access_denied"
                                           : "does not carry this sign-in's state"),
               qPrintable(printed));
    }
  }

  void nesaLoginRefusesPlainHttpElsewhereAndGivesUpInTime() {
    QTemporaryDir home;
    Run r =
        run(kNesa,
            {"login", "--issuer", "http://login.example.org", "--client-id", "x", "--port", "1234"},
            home.path());
    QCOMPARE(r.code, 2);
    QVERIFY(r.err.contains("https"));
    QStringList args = loginArgs();
    args[args.indexOf("60")] = "1";
    LoginRun waiting;
    QVERIFY(waiting.start(home.path(), args));
    QString printed;
    QCOMPARE(waiting.finish(printed), 1);
    QVERIFY2(printed.contains("no sign-in within 1 s"), qPrintable(printed));
  }

  void thePolicyGivesRolesByTheSignedInPersonsGroups() {
    if (QFile::exists("/etc/nesa/policy.pub"))
      QSKIP("this computer has an organisation's policy installed in /etc/nesa, which no test "
            "may replace");
    QTemporaryDir home, installed;
    QVERIFY(installSignInPolicy(installed.path()));
    qputenv("NESA_POLICY_DIR", installed.path().toUtf8());

    Run r = run(kNesa, {"policy", "show"}, home.path());
    QVERIFY2(r.out.contains("not signed in at " + m_provider.issuer()) &&
                 r.out.contains("roles: none"),
             qPrintable(r.out + r.err));
    LoginRun login; // the provider, client and port come from the policy
    QVERIFY2(login.start(home.path(), {"--no-browser", "--timeout", "60"}), login.err.constData());
    QCOMPARE(
        testing::HttpSession().send("GET", m_provider.signInAndAuthorize(login.address)).status,
        200);
    QString printed;
    QCOMPARE(login.finish(printed), 0);
    r = run(kNesa, {"policy", "show"}, home.path());
    QVERIFY2(r.out.contains("signed in at " + m_provider.issuer() +
                            " as alice (groups: radiology, staff)") &&
                 r.out.contains("user alice; roles: clinician"),
             qPrintable(r.out + r.err));
    // The audit log names alice (and counts her spending), not this computer's user.
    const QByteArray ownHome = qgetenv("NESA_HOME");
    qputenv("NESA_HOME", home.path().toUtf8());
    QCOMPARE(policy::currentActor(), std::string("alice"));
    qputenv("NESA_HOME", ownHome);

    // The token's groups claim changed in the kept file: its signature no longer holds.
    QFile session(home.filePath("identity/session.json"));
    QVERIFY(session.open(QIODevice::ReadOnly));
    QJsonObject kept = QJsonDocument::fromJson(session.readAll()).object();
    session.close();
    QList<QByteArray> parts = kept["idToken"].toString().toUtf8().split('.');
    QJsonObject claims =
        QJsonDocument::fromJson(QByteArray::fromBase64(parts[1], QByteArray::Base64UrlEncoding))
            .object();
    claims["groups"] = QJsonArray{"radiology", "administrators"};
    parts[1] = base64Url(QJsonDocument(claims).toJson(QJsonDocument::Compact));
    kept["idToken"] = QString::fromUtf8(parts.join('.'));
    QVERIFY(session.open(QIODevice::WriteOnly | QIODevice::Truncate));
    session.write(QJsonDocument(kept).toJson());
    session.close();
    r = run(kNesa, {"policy", "show"}, home.path());
    QVERIFY2(r.out.contains("not signed in") && r.out.contains("signature"),
             qPrintable(r.out + r.err));
    r = run(kNesa, {"login", "--status"}, home.path());
    QCOMPARE(r.code, 4);
    QVERIFY2(r.err.contains("does not hold") && r.err.contains("signature"), qPrintable(r.err));

    r = run(kNesa, {"login", "--issuer", "https://login.example.org", "--client-id", "x"},
            home.path());
    QCOMPARE(r.code, 4);
    QVERIFY2(r.err.contains("signs in with " + m_provider.issuer()), qPrintable(r.err));
    qunsetenv("NESA_POLICY_DIR");
  }

  // The desktop app signs in through nesa login, opening the page it names (here the test is the
  // browser), and reads who signed in; signing out forgets it; a cancel stops nesa login.
  void theDesktopSignsInThroughNesaLogin() {
    if (QFile::exists("/etc/nesa/policy.pub"))
      QSKIP("this computer has an organisation's policy installed in /etc/nesa, which no test "
            "may replace");
    QTemporaryDir home, installed;
    QVERIFY(installSignInPolicy(installed.path()));
    qputenv("NESA_POLICY_DIR", installed.path().toUtf8());
    const QByteArray ownHome = qgetenv("NESA_HOME");
    qputenv("NESA_HOME", home.path().toUtf8());
    app::ProcessSignInBackend backend({}, [this](const QString &url) {
      testing::HttpSession().send("GET", m_provider.signInAndAuthorize(url));
    });
    const ui::SignInState before = backend.state();
    QCOMPARE(before.provider, m_provider.issuer());
    QVERIFY(before.person.isEmpty());
    std::atomic<bool> cancelled{false};
    QCOMPARE(backend.signIn(cancelled), QString());
    const ui::SignInState after = backend.state();
    QCOMPARE(after.person, QStringLiteral("alice"));
    QVERIFY2(after.problem.isEmpty(), qPrintable(after.problem));
    QVERIFY(after.expires > QDateTime::currentDateTimeUtc());
    QCOMPARE(backend.signOut(), QString());
    QVERIFY(backend.state().person.isEmpty());

    app::ProcessSignInBackend unanswered({}, [](const QString &) {}); // nobody signs in
    std::thread canceller([&cancelled] {
      std::this_thread::sleep_for(std::chrono::seconds(1));
      cancelled = true;
    });
    QCOMPARE(unanswered.signIn(cancelled), QStringLiteral("cancelled"));
    canceller.join();
    QVERIFY(unanswered.state().person.isEmpty());
    if (ownHome.isNull())
      qunsetenv("NESA_HOME");
    else
      qputenv("NESA_HOME", ownHome);
    qunsetenv("NESA_POLICY_DIR");
  }

  // The provider keeps its side: a code is redeemed once, and only with its PKCE verifier.
  void theProviderRedeemsACodeOnceAndOnlyWithItsVerifier() {
    const auto request = AuthorizationRequest::fresh();
    const QString back = m_provider.signInAndAuthorize(m_provider.authorizationUrl(request));
    const QString code = QUrlQuery(QUrl(back).query()).queryItemValue("code");
    QVERIFY(!code.isEmpty());
    QCOMPARE(m_provider.exchange(code, AuthorizationRequest::fresh().verifier).status, 403);
    QCOMPARE(m_provider.exchange(code, request.verifier).status, 200);
    const auto replayed = m_provider.exchange(code, request.verifier);
    QCOMPARE(replayed.status, 403);
    QCOMPARE(QJsonDocument::fromJson(replayed.body).object()["error"].toString(),
             QStringLiteral("invalid_code"));
  }
};

QTEST_GUILESS_MAIN(TestIdentity)
#include "tst_identity.moc"
