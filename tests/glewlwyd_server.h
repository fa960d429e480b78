// A real OpenID Connect provider for a test: glewlwyd (Debian 12) on a free loopback port, as
// nobody when the test runs as root, with a fresh SQLite database from the packaged schema, an
// RS256 key made for the test, and over its admin API: the OIDC plugin (PKCE required, a
// `groups` claim from the user's groups), one public client with an exact loopback redirect and
// one user. It also plays the browser: the user's password login and the authorization request
// that ends in the redirect carrying the code. Facts behind each step: docs/sso-research/.
#pragma once

#include "server_process.h"

#include <QCryptographicHash>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkCookieJar>
#include <QNetworkReply>
#include <QProcess>
#include <QRandomGenerator>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTimer>
#include <QUrlQuery>

namespace nesa::testing {

/// One HTTP answer.
struct HttpAnswer {
  int status = 0;
  QByteArray body;
  QString location; ///< the Location header of a redirect
};

/// A browser's worth of HTTP: one cookie jar, redirects not followed, each call waited for.
class HttpSession {
public:
  HttpAnswer send(const QByteArray &method, const QString &url, const QByteArray &body = {},
                  const QByteArray &contentType = "application/json") {
    QNetworkRequest request{QUrl(url)};
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    if (!body.isEmpty() || method != "GET")
      request.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
    QNetworkReply *reply = m_network.sendCustomRequest(request, method, body);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(30000, &loop, &QEventLoop::quit);
    loop.exec();
    HttpAnswer answer;
    answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    answer.body = reply->readAll();
    answer.location = QString::fromUtf8(reply->rawHeader("Location"));
    reply->deleteLater();
    return answer;
  }
  HttpAnswer json(const QByteArray &method, const QString &url, const QJsonObject &body) {
    return send(method, url, QJsonDocument(body).toJson(QJsonDocument::Compact));
  }

private:
  QNetworkAccessManager m_network;
};

/// A PKCE pair (RFC 7636, S256) and the state and nonce of one authorization request.
struct AuthorizationRequest {
  QString verifier, challenge, state, nonce;

  static QString randomText(int bytes) {
    QByteArray raw(bytes, '\0');
    for (auto &b : raw)
      b = static_cast<char>(QRandomGenerator::system()->bounded(256));
    return QString::fromLatin1(
        raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
  }
  static AuthorizationRequest fresh() {
    AuthorizationRequest r;
    r.verifier = randomText(48);
    r.challenge = QString::fromLatin1(
        QCryptographicHash::hash(r.verifier.toLatin1(), QCryptographicHash::Sha256)
            .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
    r.state = randomText(12);
    r.nonce = randomText(12);
    return r;
  }
};

class GlewlwydServer {
public:
  static constexpr const char *kClientId = "nesa-desktop";
  static constexpr const char *kUser = "alice";
  static constexpr const char *kPassword = "alice-Pw-4711";

  /// Starts the provider with `redirectUri` registered for the client and the user `alice` in
  /// `groups`; "" or what went wrong.
  QString start(const QString &redirectUri, const QStringList &groups) {
    if (!m_dir.isValid())
      return "no temporary folder";
    m_redirectUri = redirectUri;
    const QString dir = m_dir.path();
    if (QString error = run("openssl", {"genrsa", "-out", dir + "/sign.key", "2048"});
        !error.isEmpty())
      return error;
    if (QString error =
            run("openssl", {"rsa", "-in", dir + "/sign.key", "-pubout", "-out", dir + "/sign.pub"});
        !error.isEmpty())
      return error;
    QFile schema("/usr/share/dbconfig-common/data/glewlwyd/install/sqlite3");
    if (!schema.open(QIODevice::ReadOnly))
      return "glewlwyd's database schema is missing (apt-get install glewlwyd)";
    // One transaction: statement by statement, SQLite syncs each (seconds instead of 40 ms).
    if (QString error =
            run("sqlite3", {dir + "/glewlwyd.db"}, "BEGIN;\n" + schema.readAll() + "\nCOMMIT;\n");
        !error.isEmpty())
      return error;
    m_port = freePort();
    QFile config(dir + "/glewlwyd.conf");
    if (!config.open(QIODevice::WriteOnly))
      return "cannot write glewlwyd's configuration";
    config.write(QString(R"(port=%1
bind_address="127.0.0.1"
external_url="%2"
login_url="login.html"
api_prefix="api"
log_mode="file"
log_level="WARNING"
log_file="%3/glewlwyd.log"
cookie_secure=0
session_key="GLEWLWYD2_SESSION_ID"
session_expiration=3600
admin_scope="g_admin"
profile_scope="g_profile"
user_module_path="/usr/lib/glewlwyd/user"
client_module_path="/usr/lib/glewlwyd/client"
user_auth_scheme_module_path="/usr/lib/glewlwyd/scheme"
plugin_module_path="/usr/lib/glewlwyd/plugin"
hash_algorithm="SHA512"
database = { type = "sqlite3"; path = "%3/glewlwyd.db"; };
)")
                     .arg(m_port)
                     .arg(url(), dir)
                     .toUtf8());
    config.close();
    if (QString error =
            m_process.start("glewlwyd", "glewlwyd", {"-c", config.fileName()}, dir, m_port);
        !error.isEmpty())
      return error;
    return provision(groups);
  }

  /// "http://127.0.0.1:PORT"; the issuer is url() + "/api/oidc".
  QString url() const { return QString("http://127.0.0.1:%1").arg(m_port); }
  QString issuer() const { return url() + "/api/oidc"; }

  /// The authorization request a native app sends the browser to.
  QString authorizationUrl(const AuthorizationRequest &r) const {
    QUrlQuery query;
    query.addQueryItem("response_type", "code");
    query.addQueryItem("client_id", kClientId);
    query.addQueryItem("redirect_uri", QUrl::toPercentEncoding(m_redirectUri));
    query.addQueryItem("scope", "openid");
    query.addQueryItem("state", r.state);
    query.addQueryItem("nonce", r.nonce);
    query.addQueryItem("code_challenge", r.challenge);
    query.addQueryItem("code_challenge_method", "S256");
    return issuer() + "/auth?" + query.toString(QUrl::FullyEncoded);
  }

  /// The browser: alice signs in with her password and the provider redirects `authUrl` back to
  /// the app. The redirect's URL (with code and state), or "" when there was none.
  QString signInAndAuthorize(const QString &authUrl) {
    HttpSession browser;
    if (browser
            .json("POST", url() + "/api/auth/",
                  QJsonObject{{"username", kUser}, {"password", kPassword}})
            .status != 200)
      return {};
    // glewlwyd's login page appends g_continue once the user is signed in.
    return browser.send("GET", authUrl + "&g_continue").location;
  }

  /// The token endpoint's answer to `code` (a public client: no secret, the PKCE verifier).
  HttpAnswer exchange(const QString &code, const QString &verifier) {
    QUrlQuery form;
    form.addQueryItem("grant_type", "authorization_code");
    form.addQueryItem("client_id", kClientId);
    form.addQueryItem("redirect_uri", QUrl::toPercentEncoding(m_redirectUri));
    form.addQueryItem("code", QUrl::toPercentEncoding(code));
    form.addQueryItem("code_verifier", QUrl::toPercentEncoding(verifier));
    return HttpSession().send("POST", issuer() + "/token",
                              form.toString(QUrl::FullyEncoded).toUtf8(),
                              "application/x-www-form-urlencoded");
  }

  /// The provider's JSON Web Key Set.
  QByteArray jwks() { return HttpSession().send("GET", issuer() + "/jwks").body; }

  static quint16 freePort() {
    QTcpServer server;
    server.listen(QHostAddress::LocalHost, 0);
    return server.serverPort();
  }

private:
  static QString run(const QString &program, const QStringList &args,
                     const QByteArray &input = {}) {
    QProcess process;
    process.start(program, args);
    process.write(input);
    process.closeWriteChannel();
    if (!process.waitForFinished(60000) || process.exitCode() != 0)
      return program + " failed: " + QString::fromUtf8(process.readAllStandardError());
    return {};
  }

  QString provision(const QStringList &groups) {
    HttpSession admin;
    const QString api = url() + "/api";
    if (admin.json("POST", api + "/auth/", {{"username", "admin"}, {"password", "password"}})
            .status != 200)
      return "the administrator cannot sign in to glewlwyd";
    // The user database keeps a multi-valued `groups` property (applied by the reset).
    HttpAnswer users = admin.send("GET", api + "/mod/user/database");
    QJsonObject module = QJsonDocument::fromJson(users.body).object();
    QJsonObject parameters = module["parameters"].toObject();
    QJsonObject format = parameters["data-format"].toObject();
    format["groups"] = QJsonObject{{"multiple", true},
                                   {"read", true},
                                   {"write", true},
                                   {"profile-read", true},
                                   {"profile-write", false}};
    parameters["data-format"] = format;
    const QJsonObject moduleUpdate{{"display_name", module["display_name"]},
                                   {"order_rank", module["order_rank"]},
                                   {"readonly", module["readonly"]},
                                   {"parameters", parameters}};
    if (admin.json("PUT", api + "/mod/user/database", moduleUpdate).status != 200 ||
        admin.send("PUT", api + "/mod/user/database/reset").status != 200)
      return "glewlwyd's user database does not take a groups property";
    QFile key(m_dir.filePath("sign.key")), pub(m_dir.filePath("sign.pub"));
    if (!key.open(QIODevice::ReadOnly) || !pub.open(QIODevice::ReadOnly))
      return "the signing key is missing";
    const auto claim = [](const char *name, const char *property) {
      return QJsonObject{{"name", name},      {"user-property", property}, {"type", "string"},
                         {"mandatory", true}, {"on-demand", false},        {"scope", QJsonArray()}};
    };
    const QJsonObject plugin{
        {"module", "oidc"},
        {"name", "oidc"},
        {"display_name", "Test OIDC"},
        {"enabled", true},
        {"parameters",
         QJsonObject{{"iss", issuer()},
                     {"jwt-type", "rsa"},
                     {"jwt-key-size", "256"},
                     {"key", QString::fromLatin1(key.readAll())},
                     {"cert", QString::fromLatin1(pub.readAll())},
                     {"jwks-show", true},
                     {"access-token-duration", 3600},
                     {"refresh-token-duration", 1209600},
                     {"code-duration", 600},
                     {"refresh-token-rolling", true},
                     {"allow-non-oidc", false},
                     {"auth-type-code-enabled", true},
                     {"auth-type-refresh-enabled", true},
                     {"auth-type-token-enabled", false},
                     {"auth-type-password-enabled", false},
                     {"auth-type-client-enabled", false},
                     {"auth-type-device-enabled", false},
                     {"auth-type-code-revoke-replayed", false},
                     {"pkce-allowed", true},
                     {"pkce-method-plain-allowed", false},
                     {"pkce-required", true},
                     {"subject-type", "public"},
                     {"allowed-scope", QJsonArray{"openid"}},
                     {"name-claim", "mandatory"},
                     {"email-claim", "mandatory"},
                     {"scope-claim", "no"},
                     {"claims", QJsonArray{claim("groups", "groups"),
                                           claim("preferred_username", "username")}}}}};
    if (HttpAnswer a = admin.json("POST", api + "/mod/plugin/", plugin); a.status != 200)
      return "glewlwyd refused the OIDC plugin: " + QString::fromUtf8(a.body);
    const QJsonObject client{{"client_id", kClientId},
                             {"name", "Nesa Desktop"},
                             {"description", "the native app (public client)"},
                             {"enabled", true},
                             {"confidential", false},
                             {"scope", QJsonArray()},
                             {"redirect_uri", QJsonArray{m_redirectUri}},
                             {"authorization_type", QJsonArray{"code", "refresh_token"}}};
    if (admin.json("POST", api + "/client/", client).status != 200)
      return "glewlwyd refused the client";
    const QJsonObject user{{"username", kUser},
                           {"password", kPassword},
                           {"name", "Alice Liddell"},
                           {"email", "alice@example.test"},
                           {"enabled", true},
                           {"scope", QJsonArray{"openid"}},
                           {"groups", QJsonArray::fromStringList(groups)}};
    if (admin.json("POST", api + "/user/", user).status != 200)
      return "glewlwyd refused the user";
    return {};
  }

  QTemporaryDir m_dir;
  ServerProcess m_process;
  quint16 m_port = 0;
  QString m_redirectUri;
};

} // namespace nesa::testing
