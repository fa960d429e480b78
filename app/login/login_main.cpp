// nesa-login: single sign-on with the organisation's OpenID Connect provider (what `nesa login`
// runs), the way RFC 8252 asks of a native app: the system browser, a redirect to a loopback port,
// PKCE (S256), a state and a nonce, and the ID token verified against the provider's keys
// (core/identity) before the signed-in person is kept in the data folder.
#include "cli/arguments.h"
#include "cli/commands.h"
#include "identity/id_token.h"
#include "policy/enforcement.h"
#include "util/config.h"
#include "util/paths.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRandomGenerator>
#include <QTimer>
#include <QtNetworkAuth/QOAuth2AuthorizationCodeFlow>
#include <QtNetworkAuth/QOAuthHttpServerReplyHandler>

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>

namespace {

using namespace nesa;
namespace fs = std::filesystem;
using json = nlohmann::json;

const std::vector<cli::OptionSpec> kOptions = {
    {"issuer", true,
     "the provider's issuer URL (https, or http to 127.0.0.1 only; default: the policy's)", "URL"},
    {"client-id", true, "this app's client id at the provider (default: the policy's)", "ID"},
    {"port", true,
     "the loopback port of the redirect registered at the provider "
     "(http://127.0.0.1:PORT/callback; default: the policy's)",
     "PORT"},
    {"no-browser", false, "print the address to open instead of opening the browser"},
    {"timeout", true, "give up after SECONDS without an answer (default 300)", "SECONDS"},
    {"status", false,
     "who is signed in (under a policy that names the provider, the kept ID token is checked "
     "again against its keys)"},
    {"forget", false, "sign out: forget the kept ID token"},
    {"json", false,
     "print JSON lines: while signing in {\"event\": \"open\", \"url\": ...} (the page to "
     "open), then the signed-in person"},
    {"config", true, "read settings from FILE instead of the default", "FILE"},
    {"help", false, "show this help"},
};

const char *kUsage =
    "usage: nesa login --issuer URL --client-id ID --port PORT [--no-browser] [--timeout S]\n"
    "       nesa login --status [--json]\n"
    "       nesa login --forget\n\n"
    "Signs in with the organisation's OpenID Connect provider (Keycloak, Entra ID, Okta,\n"
    "glewlwyd; SAML providers through their OIDC bridge): the browser opens the provider's\n"
    "sign-in page, which sends it back to http://127.0.0.1:PORT/callback, registered at the\n"
    "provider for this client (a public client: PKCE, no secret). The ID token is checked\n"
    "against the provider's keys and this sign-in (issuer, audience, nonce, expiry) and kept in\n"
    "<data folder>/identity/session.json. When the organisation's policy names the provider\n"
    "(signIn), the options default to it and the policy gives roles by the signed-in person's\n"
    "groups, checked against the provider's keys the policy pins (docs/enterprise.md).\n"
    "Exit codes: 0 signed in, 1 failed, 2 wrong input, 3 the provider did not answer, 4 "
    "refused.\n\n"
    "Options:\n";

int failWith(const Error &error) {
  std::cerr << "nesa login: " << error.message << '\n';
  return cli::exitCodeFor(error);
}

std::int64_t nowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

QString randomText(int bytes) {
  QByteArray raw(bytes, '\0');
  QRandomGenerator::system()->generate(raw.begin(), raw.end());
  return QString::fromLatin1(
      raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

/// GET `url`, waiting at most `seconds`; the body of a 2xx answer.
Result<QByteArray> fetch(QNetworkAccessManager &network, const QUrl &url, int seconds) {
  QNetworkReply *reply = network.get(QNetworkRequest(url));
  QEventLoop loop;
  QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
  QTimer::singleShot(seconds * 1000, &loop, &QEventLoop::quit);
  loop.exec();
  reply->deleteLater();
  if (!reply->isFinished()) {
    reply->abort();
    return fail(ErrorCode::Unavailable, url.toString().toStdString() + " did not answer");
  }
  if (reply->error() != QNetworkReply::NoError)
    return fail(ErrorCode::Unavailable,
                url.toString().toStdString() + ": " + reply->errorString().toStdString());
  return reply->readAll();
}

/// Where the provider's endpoints are (OpenID Connect Discovery).
struct Provider {
  QUrl authorization, token, jwks;
};

Result<Provider> discover(QNetworkAccessManager &network, const std::string &issuer, int seconds) {
  auto body = fetch(
      network, QUrl(QString::fromStdString(issuer) + "/.well-known/openid-configuration"), seconds);
  if (!body)
    return body.error();
  const QJsonObject doc = QJsonDocument::fromJson(*body).object();
  if (doc["issuer"].toString().toStdString() != issuer)
    return fail(ErrorCode::Forbidden, "the provider at " + issuer + " calls itself \"" +
                                          doc["issuer"].toString().toStdString() +
                                          "\": refusing a provider that is not the one named");
  Provider p{QUrl(doc["authorization_endpoint"].toString()), QUrl(doc["token_endpoint"].toString()),
             QUrl(doc["jwks_uri"].toString())};
  if (!p.authorization.isValid() || !p.token.isValid() || !p.jwks.isValid() ||
      p.authorization.isEmpty() || p.token.isEmpty() || p.jwks.isEmpty())
    return fail(ErrorCode::InvalidInput,
                "the provider's discovery document lacks its endpoints or keys");
  return p;
}

/// https, or http to this computer (a test provider): never a token over plain HTTP elsewhere.
Result<void> checkIssuer(const std::string &issuer) {
  const QUrl url(QString::fromStdString(issuer));
  const bool loopback = url.host() == "127.0.0.1" || url.host() == "::1";
  if (!url.isValid() || url.host().isEmpty() ||
      !(url.scheme() == "https" || (url.scheme() == "http" && loopback)))
    return fail(ErrorCode::InvalidInput,
                "--issuer must be an https URL (http only for a provider on this computer)");
  return {};
}

/// The sign-in itself: the browser, the code, the token; the verified ID token and its claims.
struct SignedIn {
  std::string idToken;
  identity::IdClaims claims;
};

Result<SignedIn> signIn(const std::string &issuer, const std::string &clientId, quint16 port,
                        const std::string &pinnedKeys, bool openBrowser, bool asJson, int seconds) {
  QNetworkAccessManager network;
  auto provider = discover(network, issuer, std::min(seconds, 30));
  if (!provider)
    return provider.error();
  const QString verifier = randomText(48), state = randomText(24), nonce = randomText(24);
  const QString challenge = QString::fromLatin1(
      QCryptographicHash::hash(verifier.toLatin1(), QCryptographicHash::Sha256)
          .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));

  QNetworkAccessManager tokenNetwork;
  QOAuth2AuthorizationCodeFlow flow(&tokenNetwork);
  flow.setAuthorizationUrl(provider->authorization);
  flow.setAccessTokenUrl(provider->token);
  flow.setClientIdentifier(QString::fromStdString(clientId));
  flow.setScope("openid");
  flow.setState(state); // Qt 6.4's own is not from a secure generator
  // Loopback only, on the registered port and path.
  auto *handler = new QOAuthHttpServerReplyHandler(QHostAddress::LocalHost, port, &flow);
  if (!handler->isListening())
    return fail(ErrorCode::Unavailable, "cannot listen on 127.0.0.1:" + std::to_string(port) +
                                            " for the provider's answer: is another sign-in "
                                            "running?");
  handler->setCallbackPath("/callback");
  handler->setCallbackText("Signed in to Nesa. You can close this tab.");

  std::optional<Error> failure;
  QEventLoop loop;
  const auto stop = [&](Error error) {
    if (!failure)
      failure = std::move(error);
    loop.quit();
  };
  // Connected before the flow's own handler, so it comes first: Qt 6.4 only warns about a wrong
  // state, and would act on an error= answer of any state (one a web page could send).
  QObject::connect(handler, &QAbstractOAuthReplyHandler::callbackReceived,
                   [&](const QVariantMap &values) {
                     if (values.value("state").toString() != state)
                       stop(Error{ErrorCode::Forbidden,
                                  "the provider's answer does not carry this sign-in's state: "
                                  "it may come from another sign-in or another site; sign in "
                                  "again"});
                   });
  // The ID token of the token endpoint's answer, never one from the redirect's query.
  std::string idToken;
  QObject::connect(handler, &QAbstractOAuthReplyHandler::tokensReceived,
                   [&](const QVariantMap &tokens) {
                     idToken = tokens.value("id_token").toString().toStdString();
                   });
  flow.setReplyHandler(handler);
  flow.setModifyParametersFunction(
      [&](QAbstractOAuth::Stage stage, QMultiMap<QString, QVariant> *parameters) {
        if (stage == QAbstractOAuth::Stage::RequestingAuthorization) {
          parameters->insert("code_challenge", challenge);
          parameters->insert("code_challenge_method", "S256");
          parameters->insert("nonce", nonce);
        } else if (stage == QAbstractOAuth::Stage::RequestingAccessToken) {
          parameters->insert("code_verifier", verifier);
        }
      });

  QObject::connect(&flow, &QAbstractOAuth::authorizeWithBrowser, [&](const QUrl &url) {
    const QString address = url.toString(QUrl::FullyEncoded);
    if (asJson) // for a program that opens the page itself (the desktop app)
      std::cout << json{{"event", "open"}, {"url", address.toStdString()}}.dump() << std::endl;
    else
      std::cerr << "Sign in at your organisation's provider in the browser"
                << (openBrowser ? "" : ": open") << "\n  " << address.toStdString() << std::endl;
    if (openBrowser && !QProcess::startDetached("xdg-open", {address}))
      std::cerr << "(no browser could be opened: open the address above yourself)" << std::endl;
  });
  QObject::connect(
      &flow, &QAbstractOAuth2::error,
      [&](const QString &error, const QString &description, const QUrl &) {
        stop(Error{ErrorCode::Forbidden,
                   "the provider refused the sign-in: " + error.toStdString() +
                       (description.isEmpty() ? "" : " (" + description.toStdString() + ")")});
      });
  // Qt 6.4 says nothing when the token endpoint refuses a code: read its answer here.
  QObject::connect(&tokenNetwork, &QNetworkAccessManager::finished, [&](QNetworkReply *reply) {
    if (reply->error() == QNetworkReply::NoError)
      return;
    const auto status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QString error = QJsonDocument::fromJson(reply->readAll()).object()["error"].toString();
    stop(status > 0
             ? Error{ErrorCode::Forbidden,
                     "the provider refused this sign-in's code (HTTP " + std::to_string(status) +
                         ", " + (error.isEmpty() ? "no reason given" : error.toStdString()) +
                         "): a code is good once, with its own sign-in; sign in again"}
             : Error{ErrorCode::Unavailable, "the provider's token endpoint did not "
                                             "answer: " +
                                                 reply->errorString().toStdString()});
  });
  QObject::connect(&flow, &QAbstractOAuth::granted, &loop, &QEventLoop::quit);
  QTimer::singleShot(seconds * 1000, &loop, [&] {
    stop(Error{ErrorCode::Cancelled,
               "no sign-in within " + std::to_string(seconds) + " s; run nesa login again"});
  });
  flow.grant();
  loop.exec();
  if (failure)
    return *failure;

  if (idToken.empty())
    return fail(ErrorCode::Forbidden, "the provider gave no ID token (is \"openid\" allowed "
                                      "for this client?)");
  // Under a policy, the keys it pins (what every later check uses); else the provider's own.
  std::string keys = pinnedKeys;
  if (keys.empty()) {
    auto jwks = fetch(network, provider->jwks, 30);
    if (!jwks)
      return jwks.error();
    keys = jwks->toStdString();
  }
  auto claims = identity::verifyIdToken(idToken, keys,
                                        {issuer, clientId, nonce.toStdString(), nowSeconds(), 60});
  if (!claims)
    return claims.error();
  return SignedIn{idToken, std::move(*claims)};
}

fs::path sessionFile(const Config &config) {
  return policy::signInSessionFile(config.effectiveDataDir());
}

/// Writes `contents` to `file` readable by its owner alone from the first byte: the folder
/// 0700, a temporary created 0600, flushed, then renamed over the file.
Result<void> writePrivately(const fs::path &file, const std::string &contents) {
  std::error_code ec;
  fs::create_directories(file.parent_path(), ec);
  fs::permissions(file.parent_path(), fs::perms::owner_all, ec);
  if (ec)
    return fail(ErrorCode::Io,
                "cannot make " + file.parent_path().string() + " private: " + ec.message());
  const fs::path temporary = file.string() + ".tmp";
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0 || ::fchmod(fd, 0600) != 0)
    return fail(ErrorCode::Io, "cannot write " + temporary.string());
  const bool written =
      ::write(fd, contents.data(), contents.size()) == static_cast<ssize_t>(contents.size()) &&
      ::fsync(fd) == 0;
  ::close(fd);
  if (!written || ::rename(temporary.c_str(), file.c_str()) != 0) {
    ::unlink(temporary.c_str());
    return fail(ErrorCode::Io, "cannot write " + file.string());
  }
  return {};
}

std::string timeText(std::int64_t seconds) {
  const std::time_t t = seconds;
  const std::tm *utc = std::gmtime(&t);
  if (!utc) // a year beyond what the C library can name
    return "an unreadable time (" + std::to_string(seconds) + " s after 1970)";
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M UTC", utc);
  return text;
}

void printPerson(const json &session, bool asJson) {
  if (asJson) {
    json out = session;
    out.erase("idToken");
    std::cout << out.dump() << '\n';
    return;
  }
  std::string groups;
  for (const auto &g : session["groups"])
    if (g.is_string())
      groups += (groups.empty() ? "" : ", ") + g.get<std::string>();
  std::cout << "Signed in as " << session["userName"].get<std::string>() << " at "
            << session["issuer"].get<std::string>()
            << " (groups: " << (groups.empty() ? "none" : groups) << ") until "
            << timeText(session["expiresAt"].get<std::int64_t>()) << ".\n";
}

} // namespace

int main(int argc, char **argv) {
  auto args = cli::parseArguments(argc, argv, 1, kOptions);
  if (!args)
    return failWith(args.error());
  if (args->has("help")) {
    std::cout << kUsage << cli::formatOptions(kOptions);
    return cli::kExitOk;
  }
  auto config = loadConfig(args->value("config", paths::configFile().string()));
  if (!config)
    return failWith(config.error());
  const fs::path file = sessionFile(*config);
  std::error_code ec;
  if (args->has("forget")) {
    const bool removed = fs::remove(file, ec);
    if (ec)
      return failWith(Error{ErrorCode::Io, "cannot remove " + file.string() + ": " + ec.message()});
    std::cout << (removed ? "Signed out: the ID token is forgotten.\n" : "Nobody was signed in.\n");
    return cli::kExitOk;
  }
  if (args->has("status")) {
    std::ifstream in(file);
    if (!in)
      return failWith(Error{ErrorCode::NotFound, "nobody is signed in (nesa login)"});
    const json session = json::parse(in, nullptr, false);
    if (!session.is_object() || !session.value("userName", json()).is_string() ||
        !session.value("issuer", json()).is_string() ||
        !session.value("expiresAt", json()).is_number_integer() ||
        !session.value("groups", json()).is_array())
      return failWith(Error{ErrorCode::Corrupt, file.string() + " is damaged: sign in again"});
    const auto installed = policy::Enforcement::installed();
    if (installed.policy() && installed.policy()->signIn && !installed.signInProblem().empty())
      return failWith(Error{ErrorCode::Forbidden, "the kept sign-in does not hold under the "
                                                  "organisation's policy: " +
                                                      installed.signInProblem()});
    if (session["expiresAt"].get<std::int64_t>() < nowSeconds())
      return failWith(Error{ErrorCode::Forbidden, "the sign-in of " +
                                                      session["userName"].get<std::string>() +
                                                      " expired: sign in again (nesa login)"});
    printPerson(session, args->has("json"));
    return cli::kExitOk;
  }
  // The organisation's policy names its provider; the options are for trying one without.
  const auto installed = policy::Enforcement::installed();
  const auto &named = installed.policy() ? installed.policy()->signIn : std::nullopt;
  const std::string issuer = args->value("issuer", named ? named->issuer : "");
  const std::string clientId = args->value("client-id", named ? named->clientId : "");
  if (issuer.empty() || clientId.empty() || (!args->has("port") && !named)) {
    std::cerr << kUsage << cli::formatOptions(kOptions);
    return cli::kExitUsage;
  }
  if (named && (issuer != named->issuer || clientId != named->clientId ||
                (args->has("port") && args->value("port") != std::to_string(named->redirectPort))))
    return failWith(
        Error{ErrorCode::Forbidden, "the organisation's policy signs in with " + named->issuer +
                                        " (client " + named->clientId + ", port " +
                                        std::to_string(named->redirectPort) + ") only"});
  if (auto ok = checkIssuer(issuer); !ok)
    return failWith(ok.error());
  auto port = args->integer("port", named ? named->redirectPort : 0, 1, 65535);
  auto timeout = args->integer("timeout", 300, 1, 3600);
  if (!port)
    return failWith(port.error());
  if (!timeout)
    return failWith(timeout.error());

  int qtArgc = 1;
  char name[] = "nesa";
  char *qtArgv[] = {name, nullptr};
  QCoreApplication app(qtArgc, qtArgv);
  auto signedIn = signIn(issuer, clientId, static_cast<quint16>(*port), named ? named->keys : "",
                         !args->has("no-browser"), args->has("json"), static_cast<int>(*timeout));
  if (!signedIn)
    return failWith(signedIn.error());
  const json session{{"issuer", issuer},
                     {"clientId", clientId},
                     {"userName", signedIn->claims.userName},
                     {"subject", signedIn->claims.subject},
                     {"groups", signedIn->claims.groups},
                     {"expiresAt", signedIn->claims.expiresAt},
                     {"idToken", signedIn->idToken}};
  if (auto written = writePrivately(file, session.dump(2) + "\n"); !written)
    return failWith(written.error());
  printPerson(session, args->has("json"));
  return cli::kExitOk;
}
