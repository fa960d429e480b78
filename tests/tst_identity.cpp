// Single sign-on's ID tokens, against a real OpenID Connect provider (glewlwyd, started by the
// test on loopback): a sign-in with PKCE gives a token whose signature, issuer, audience, nonce
// and lifetime verify and which names the user and their groups; a token meant for another
// application, from another sign-in (nonce), expired, altered, unsigned or signed by another
// key is refused, each saying why.
#include "glewlwyd_server.h"
#include "identity/id_token.h"

#include <QTest>

#include <chrono>

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

} // namespace

class TestIdentity : public QObject {
  Q_OBJECT

  GlewlwydServer m_provider;
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
    const QString redirect =
        QString("http://127.0.0.1:%1/callback").arg(GlewlwydServer::freePort());
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
