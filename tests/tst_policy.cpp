// An organisation's signed policy: the signed note and its refusals (tampered, unsigned, another
// key, expired), the modes (open, enforced, lockdown), the roles by user and group and each rule;
// then the real programs under an installed policy: nesa analyze, the desktop's nesa-analyze
// session, nesa pacs send, nesa miner start, and a spending limit on a real devnet's payments;
// and the audit log's records of the policy and the sign-in in force.
#include "policy/audit_records.h"
#include "policy/enforcement.h"
#include "test_policy.h"
#include "test_programs.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <chrono>

using namespace nesa;
using namespace nesa::policy;

namespace {

const QString kNesa = QStringLiteral(NESA_CLI_PATH);
const QString kTestModels = QStringLiteral(NESA_TEST_MODELS_PATH);
const QString kScan = QStringLiteral(NESA_TEST_DATA "/nifti/anatomical.nii");

std::int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

/// A hospital's policy: clinicians (by group) at hss or above on scans, within a daily budget,
/// without the miner; analysts (by user) anything, no export; `extra` is spliced into the roles.
std::string hospitalPolicy(const std::string &expires = "2099-01-01T00:00:00Z",
                           const std::string &clinicianExtra = "") {
  return R"({"organisation": "St Example Hospital", "version": 7, "expires": ")" + expires +
         R"(",
  "roles": {
    "clinician": {"minimumLevel": "hss", "models": ["brain-*", "/models/[a-z]*.pt"],
                  "inputs": ["scan"], "dailySpendMicroNes": 100, "miner": false)" +
         clinicianExtra + R"(},
    "analyst": {"export": false, "pacs": false},
    "operator": {"minimumLevel": "hss-ee", "models": [], "miner": true}
  },
  "users": {"ana": ["analyst"]},
  "groups": {"radiology": ["clinician"], "it": ["operator"]}})";
}

} // namespace

class TestPolicy : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void signerKeyStringsRoundTrip() {
    auto key = audit::SignerKey::generate("admin.example.org");
    QVERIFY(key.ok());
    auto text = key->toSecretString();
    QVERIFY(text.ok());
    QVERIFY(text->view().starts_with("PRIVATE+KEY+admin.example.org+"));
    auto back = audit::SignerKey::parseSecretString(text->view());
    QVERIFY2(back.ok(), back ? "" : back.error().message.c_str());
    QCOMPARE(back->verifier.toString(), key->verifier.toString());
    // The same signatures (Ed25519 is deterministic).
    QCOMPARE(*audit::signNote("x\n", *back), *audit::signNote("x\n", *key));
    std::string wrongId(text->view());
    wrongId[wrongId.find('+', 12 + 17) + 1] ^= 1; // a digit of the key ID
    QVERIFY(!audit::SignerKey::parseSecretString(wrongId).ok());
    QVERIFY(!audit::SignerKey::parseSecretString(key->verifier.toString()).ok());
    QVERIFY(!audit::SignerKey::parseSecretString("PRIVATE+KEY+x+00000000+AAAA").ok());
  }

  void malformedPoliciesAreRefusedWithTheReason() {
    QVERIFY(parsePolicyJson(hospitalPolicy()).ok());
    const auto refusal = [](const std::string &json) {
      auto parsed = parsePolicyJson(json);
      return parsed ? std::string() : parsed.error().message;
    };
    QVERIFY(refusal("[1]").find("not a JSON object") != std::string::npos);
    QVERIFY(refusal(R"({"version": 1, "expires": "2099-01-01T00:00:00Z", "roles": {"a": {}}})")
                .find("no organisation") != std::string::npos);
    QVERIFY(
        refusal(R"({"organisation": "O", "version": 1, "roles": {"a": {}}})").find("no expiry") !=
        std::string::npos);
    QVERIFY(refusal(R"({"organisation": "O", "version": 1, "expires": "next year",
                        "roles": {"a": {}}})")
                .find("2027-06-30T00:00:00Z") != std::string::npos);
    QVERIFY(refusal(R"({"organisation": "O", "version": 1, "expires": "2099-01-01T00:00:00Z",
                        "roles": {"a": {"minimumLevel": "secret"}}})")
                .find("local, ee, hss or hss-ee") != std::string::npos);
    QVERIFY(refusal(R"({"organisation": "O", "version": 1, "expires": "2099-01-01T00:00:00Z",
                        "roles": {"a": {"inputs": ["video"]}}})")
                .find("\"video\"") != std::string::npos);
    QVERIFY(refusal(R"({"organisation": "O", "version": 1, "expires": "2099-01-01T00:00:00Z",
                        "roles": {"a": {"mayFly": true}}})")
                .find("unknown rule \"mayFly\"") != std::string::npos);
    QVERIFY(refusal(R"({"organisation": "O", "version": 1, "expires": "2099-01-01T00:00:00Z",
                        "roles": {"a": {"dailySpendMicroNes": -5}}})")
                .find("whole number") != std::string::npos);
    QVERIFY(refusal(R"({"organisation": "O", "version": 1, "expires": "2099-01-01T00:00:00Z",
                        "roles": {"a": {}}, "groups": {"g": ["b"]}})")
                .find("unknown role \"b\"") != std::string::npos);
    // (Built as JSON objects: raw strings with unbalanced braces confuse moc.)
    const auto withStorage = [](const QJsonObject &storage) {
      return QJsonDocument(
                 QJsonObject{
                     {QStringLiteral("organisation"), QStringLiteral("O")},
                     {QStringLiteral("version"), 1},
                     {QStringLiteral("expires"), QStringLiteral("2099-01-01T00:00:00Z")},
                     {QStringLiteral("roles"), QJsonObject{{QStringLiteral("a"), QJsonObject{}}}},
                     {QStringLiteral("storage"), storage}})
          .toJson()
          .toStdString();
    };
    QVERIFY(refusal(withStorage({{QStringLiteral("keepForever"), true}}))
                .find("unknown field \"keepForever\"") != std::string::npos);
    QVERIFY(refusal(withStorage({{QStringLiteral("folder"), QStringLiteral("stores/{user}")}}))
                .find("absolute path") != std::string::npos);
    QVERIFY(refusal(withStorage({{QStringLiteral("history"), QStringLiteral("some")}}))
                .find("\"reports\"") != std::string::npos);
    QVERIFY(refusal(withStorage({{QStringLiteral("auditLog"), true}})).find("\"required\"") !=
            std::string::npos);
    QVERIFY(
        refusal(withStorage({{QStringLiteral("historyDays"), -1}})).find("whole number of days") !=
        std::string::npos);
    auto storage =
        parsePolicyJson(withStorage({{QStringLiteral("auditLog"), QStringLiteral("required")},
                                     {QStringLiteral("folder"), QStringLiteral("/srv/{user}")},
                                     {QStringLiteral("history"), QStringLiteral("reports")},
                                     {QStringLiteral("historyDays"), 90}}));
    QVERIFY(storage.ok());
    QVERIFY(storage->storage.auditRequired);
    QCOMPARE(storage->storage.folder, std::string("/srv/{user}"));
    QVERIFY(storage->storage.history == HistoryKeeps::Reports);
    QCOMPARE(storage->storage.historyDays, 90u);
    QVERIFY(!parsePolicyJson(hospitalPolicy())->storage.auditRequired); // the defaults
  }

  void aPolicyOpensOnlyUnderItsKeyAndBeforeItExpires() {
    auto key = audit::SignerKey::generate("admin.example.org");
    auto other = audit::SignerKey::generate("admin.example.org");
    QVERIFY(key.ok() && other.ok());
    auto note = signPolicy(hospitalPolicy(), *key);
    QVERIFY(note.ok());
    QVERIFY(note->starts_with("nesa-policy v1\n{"));
    auto opened = openPolicy(*note, key->verifier, nowMs());
    QVERIFY2(opened.ok(), opened ? "" : opened.error().message.c_str());
    QCOMPARE(opened->organisation, std::string("St Example Hospital"));
    QCOMPARE(opened->version, std::uint64_t{7});
    QCOMPARE(opened->roles.at("clinician").minimumLevel, std::string("hss"));
    QCOMPARE(*opened->roles.at("clinician").dailySpendMicroNes, std::uint64_t{100});
    QVERIFY(!opened->roles.at("clinician").runMiner);
    QVERIFY(opened->roles.at("analyst").runMiner);     // rights default to allowed
    QVERIFY(!opened->roles.at("analyst").reviewAudit); // except reading the audit trail
    // Tampered: the level lowered in the signed text.
    std::string tampered = *note;
    tampered.replace(tampered.find("\"hss\""), 5, "\"ee\" ");
    auto refused = openPolicy(tampered, key->verifier, nowMs());
    QVERIFY(!refused.ok());
    QCOMPARE(refused.error().code, ErrorCode::Corrupt);
    // Another key of the same name, the bare JSON, a signed note that is not a policy.
    QVERIFY(!openPolicy(*note, other->verifier, nowMs()).ok());
    QVERIFY(!openPolicy(hospitalPolicy(), key->verifier, nowMs()).ok());
    auto notPolicy = openPolicy(*audit::signNote("hello\n", *key), key->verifier, nowMs());
    QVERIFY(!notPolicy.ok());
    QVERIFY(notPolicy.error().message.find("not a Nesa policy") != std::string::npos);
    // Expired.
    auto old = signPolicy(hospitalPolicy("2020-01-01T00:00:00Z"), *key);
    QVERIFY(old.ok());
    auto expired = openPolicy(*old, key->verifier, nowMs());
    QVERIFY(!expired.ok());
    QCOMPARE(expired.error().code, ErrorCode::Forbidden);
    QVERIFY(expired.error().message.find("expired at 2020-01-01T00:00:00Z") != std::string::npos);
    QCOMPARE(*parseUtcTime("2020-01-01T00:00:00Z"), std::int64_t{1577836800000});
    QCOMPARE(formatUtcTime(1577836800000), std::string("2020-01-01T00:00:00Z"));
  }

  // No administrator key: open. A key with a missing, tampered, expired or unsigned policy:
  // lockdown, which refuses everything and says why.
  void aBrokenPolicyLocksEverythingDown() {
    QTemporaryDir folder;
    const Identity who{"ana", {"staff"}};
    const auto modeOf = [&](const Enforcement &e) { return e.mode(); };
    Enforcement open = Enforcement::load(folder.path().toStdString(), who, nowMs());
    QCOMPARE(modeOf(open), Enforcement::Mode::Open);
    QVERIFY(open.allowsQuery("local", "anything", "document").ok());
    QVERIFY(open.allowsSpending(std::nullopt, 1'000'000).ok());
    QVERIFY(open.allowsMiner().ok());
    QVERIFY(open.allowsAuditReview().ok()); // one's own log, with no organisation

    auto key = audit::SignerKey::generate("admin.example.org");
    QVERIFY(key.ok());
    auto good = signPolicy(hospitalPolicy(), *key);
    std::string tampered = *good;
    tampered.replace(tampered.rfind("\"analyst\""), 9, "\"operator\""); // ana's role
    const std::vector<std::pair<std::string, std::string>> broken{
        {"", "there is no policy"},
        {tampered, "not signed by the administrator's key"},
        {hospitalPolicy(), "not signed by the administrator's key"},
        {*signPolicy(hospitalPolicy("2021-05-01T00:00:00Z"), *key), "expired"},
    };
    for (const auto &[note, why] : broken) {
      QVERIFY(installPolicy(folder.path(), *key, note));
      if (note.empty())
        QVERIFY(QFile::remove(folder.filePath(QStringLiteral("policy"))));
      const Enforcement locked = Enforcement::load(folder.path().toStdString(), who, nowMs());
      QCOMPARE(modeOf(locked), Enforcement::Mode::Lockdown);
      QVERIFY2(locked.problem().find(why) != std::string::npos, locked.problem().c_str());
      for (const Result<void> &refused :
           {locked.allowsQuery("hss-ee", "brain-extraction", "scan"), locked.allowsExport(),
            locked.allowsPacsTransfer(), locked.allowsMiner(), locked.allowsAuditReview(),
            locked.allowsSpending(std::uint64_t{0}, 1)}) {
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code, ErrorCode::Forbidden);
        QVERIFY(refused.error().message.find("most restrictive mode") != std::string::npos);
        QVERIFY(refused.error().message.find(why) != std::string::npos);
      }
    }
    QFile pub(folder.filePath(QStringLiteral("policy.pub")));
    QVERIFY(pub.open(QIODevice::WriteOnly));
    pub.write("not a key\n");
    pub.close();
    QCOMPARE(modeOf(Enforcement::load(folder.path().toStdString(), who, nowMs())),
             Enforcement::Mode::Lockdown);
  }

  void rolesComeFromTheUserAndItsGroups() {
    QTemporaryDir folder;
    auto key = audit::SignerKey::generate("admin.example.org");
    QVERIFY(key.ok() && installPolicy(folder.path(), *key, *signPolicy(hospitalPolicy(), *key)));
    const auto load = [&](const Identity &who) {
      return Enforcement::load(folder.path().toStdString(), who, nowMs());
    };
    const Enforcement clinician = load({"cleo", {"staff", "radiology"}});
    QCOMPARE(clinician.mode(), Enforcement::Mode::Enforced);
    QCOMPARE(clinician.roles(), std::vector<std::string>{"clinician"});
    const auto message = [](const Result<void> &r) {
      return r ? std::string() : r.error().message;
    };
    for (const char *level : {"local", "ee"}) {
      const auto refused = clinician.allowsQuery(level, "brain-extraction", "scan");
      QCOMPARE(refused.error().code, ErrorCode::Forbidden);
      QCOMPARE(message(refused),
               "refused by the policy of St Example Hospital (version 7): your roles (clinician) "
               "require privacy level hss or higher; this query asked for " +
                   std::string(level));
    }
    QVERIFY(clinician.allowsQuery("hss", "brain-extraction", "scan").ok());
    QVERIFY(clinician.allowsQuery("hss-ee", "/models/volume.pt", "scan").ok());
    QVERIFY(message(clinician.allowsQuery("hss", "tiny-gpt2", "scan"))
                .find("may run only the models brain-*, /models/[a-z]*.pt at hss, not tiny-gpt2") !=
            std::string::npos);
    // A path's wildcard stays in its folder (written without a slash-star: moc reads one in a
    // raw string as a comment).
    QVERIFY(!clinician.allowsQuery("hss", "/models/../home/u/evil.pt", "scan").ok());
    QVERIFY(!clinician.allowsQuery("hss", "/models/sub/evil.pt", "scan").ok());
    QVERIFY(message(clinician.allowsQuery("hss", "brain-extraction", "document"))
                .find("may give only scan inputs to brain-extraction, and this one is a "
                      "document") != std::string::npos);
    // Rules of two roles are not combined: neither the clinician (hss, brain models) nor the
    // operator (hss-ee, no models) alone allows a local brain run or another model at hss-ee.
    const Enforcement twoRoles = load({"cleo", {"radiology", "it"}});
    QCOMPARE(twoRoles.roles(), (std::vector<std::string>{"clinician", "operator"}));
    QVERIFY(!twoRoles.allowsQuery("local", "brain-extraction", "scan").ok());
    QVERIFY(!twoRoles.allowsQuery("hss-ee", "tiny-gpt2", "scan").ok());
    QVERIFY(twoRoles.allowsQuery("hss", "brain-extraction", "scan").ok());
    QVERIFY(message(clinician.allowsMiner()).find("may not run this computer's miner") !=
            std::string::npos);
    QVERIFY(clinician.allowsExport().ok() && clinician.allowsPacsTransfer().ok());

    // A user in two roles may do what either may: the analyst's levels and models, and export,
    // which the operator role (unlike the analyst's) does not forbid.
    const Enforcement both = load({"ana", {"it"}});
    QCOMPARE(both.roles(), (std::vector<std::string>{"analyst", "operator"}));
    QVERIFY(both.allowsQuery("local", "tiny-gpt2", "document").ok());
    QVERIFY(both.allowsMiner().ok());
    QVERIFY(both.allowsExport().ok()); // the operator role does not forbid it
    const Enforcement analyst = load({"ana", {}});
    QVERIFY(message(analyst.allowsExport()).find("may not write results to files") !=
            std::string::npos);
    QVERIFY(message(analyst.allowsPacsTransfer()).find("may not send results to a PACS") !=
            std::string::npos);
    QVERIFY(!analyst.limitsSpending());
    QVERIFY(analyst.allowsSpending(std::nullopt, 1'000'000'000).ok());

    const Enforcement stranger = load({"eve", {"staff"}});
    QCOMPARE(stranger.mode(), Enforcement::Mode::Enforced);
    QVERIFY(message(stranger.allowsQuery("hss-ee", "brain-extraction", "scan"))
                .find("eve holds no role in it") != std::string::npos);
    QVERIFY(!stranger.allowsMiner().ok());
  }

  void aSpendingLimitCountsTodaysPayments() {
    QTemporaryDir folder;
    auto key = audit::SignerKey::generate("admin.example.org");
    QVERIFY(key.ok() && installPolicy(folder.path(), *key, *signPolicy(hospitalPolicy(), *key)));
    const Enforcement clinician =
        Enforcement::load(folder.path().toStdString(), {"cleo", {"radiology"}}, nowMs());
    QVERIFY(clinician.limitsSpending());
    QVERIFY(clinician.allowsSpending(std::uint64_t{60}, 40).ok()); // exactly the limit
    const auto over = clinician.allowsSpending(std::uint64_t{61}, 40);
    QVERIFY(!over.ok());
    QCOMPARE(over.error().code, ErrorCode::Forbidden);
    QVERIFY2(over.error().message.find("may spend 100 µNES a day (UTC); 61 µNES were spent "
                                       "today and this query would cost about 40 µNES more") !=
                 std::string::npos,
             over.error().message.c_str());
    const auto unknown = clinician.allowsSpending(std::nullopt, 1);
    QVERIFY(!unknown.ok());
    QVERIFY(unknown.error().message.find("nesa config set auditLog true") != std::string::npos);
  }

  // The audit log notes the policy in force and the person signed in each time either changed,
  // and nothing when neither did; a computer without a policy or a sign-in records neither.
  void theAuditLogRecordsPolicyAndSignInChanges() {
    if (QFile::exists(QStringLiteral("/etc/nesa/policy.pub")))
      QSKIP("this computer has a system policy, which NESA_POLICY_DIR cannot replace");
    QTemporaryDir data, installed;
    qputenv("NESA_POLICY_DIR", installed.path().toUtf8());
    auto passphrase = SecureBuffer::copyOf(std::string_view("context passphrase"));
    auto log =
        audit::AuditLog::open(data.filePath(QStringLiteral("audit")).toStdString(), *passphrase);
    QVERIFY2(log.ok(), log.ok() ? "" : log.error().message.c_str());
    const std::filesystem::path dataDir = data.path().toStdString();
    const auto latest = [&]() {
      auto all = log->list();
      return all->empty() ? audit::AuditEntry{} : all->back();
    };
    const auto noted = recordContextChanges(*log, dataDir);
    QVERIFY2(noted.ok(), noted.ok() ? "" : noted.error().message.c_str());
    QCOMPARE(log->size(), 0u);

    auto key = audit::SignerKey::generate("admin.example.org");
    QVERIFY(key.ok() && installPolicy(installed.path(), *key, *signPolicy(hospitalPolicy(), *key)));
    QVERIFY(recordContextChanges(*log, dataDir).ok());
    QVERIFY(recordContextChanges(*log, dataDir).ok()); // unchanged: nothing more
    QCOMPARE(log->size(), 1u);
    QCOMPARE(latest().action, std::string("policy"));
    QCOMPARE(latest().subject, std::string("St Example Hospital version 7"));
    QCOMPARE(latest().outcome, std::string("ok"));

    std::string next = hospitalPolicy();
    next.replace(next.find("\"version\": 7"), 12, "\"version\": 8");
    QVERIFY(installPolicy(installed.path(), *key, *signPolicy(next, *key)));
    QVERIFY(recordContextChanges(*log, dataDir).ok());
    QCOMPARE(log->size(), 2u);
    QCOMPARE(latest().subject, std::string("St Example Hospital version 8"));

    QVERIFY(installPolicy(installed.path(), *key, "not a signed note"));
    QVERIFY(recordContextChanges(*log, dataDir).ok());
    QCOMPARE(log->size(), 3u);
    QCOMPARE(latest().outcome, std::string("lockdown"));
    QVERIFY(latest().details.find("problem") != std::string::npos);

    QVERIFY(QFile::remove(installed.filePath(QStringLiteral("policy.pub"))));
    QVERIFY(recordContextChanges(*log, dataDir).ok());
    QCOMPARE(log->size(), 4u);
    QCOMPARE(latest().subject, std::string("none"));

    // A sign-in kept by nesa login (this policy-less computer does not check its token).
    QVERIFY(QDir().mkpath(data.filePath(QStringLiteral("identity"))));
    const auto signIn = [&](const QByteArray &token) {
      QFile session(data.filePath(QStringLiteral("identity/session.json")));
      return session.open(QIODevice::WriteOnly) &&
             session.write(
                 QJsonDocument(QJsonObject{{QStringLiteral("issuer"),
                                            QStringLiteral("https://idp.example.org")},
                                           {QStringLiteral("userName"), QStringLiteral("alice")},
                                           {QStringLiteral("expiresAt"), qint64{4102444800}},
                                           {QStringLiteral("idToken"), QString::fromLatin1(token)}})
                     .toJson()) > 0;
    };
    QVERIFY(signIn("first.token.value"));
    QVERIFY(recordContextChanges(*log, dataDir).ok());
    QVERIFY(recordContextChanges(*log, dataDir).ok());
    QCOMPARE(log->size(), 5u);
    const audit::AuditEntry first = latest();
    QCOMPARE(first.action, std::string("sign-in"));
    QCOMPARE(first.subject, std::string("alice"));
    QCOMPARE(first.outcome, std::string("unverified (no policy names a provider)"));
    QVERIFY(first.details.find("blake2b-256:") != std::string::npos);
    QVERIFY(first.details.find("first.token.value") == std::string::npos); // never the token
    QVERIFY(first.details.find("2100-01-01T00:00:00Z") != std::string::npos);
    QVERIFY(signIn("second.token.value"));
    QVERIFY(recordContextChanges(*log, dataDir).ok());
    QCOMPARE(log->size(), 6u);
    QVERIFY(latest().details != first.details);
    QVERIFY(QFile::remove(data.filePath(QStringLiteral("identity/session.json"))));
    QVERIFY(recordContextChanges(*log, dataDir).ok());
    QVERIFY(recordContextChanges(*log, dataDir).ok());
    QCOMPARE(log->size(), 7u);
    QCOMPARE(latest().action, std::string("sign-out"));
    QCOMPARE(latest().subject, std::string("alice"));
    QVERIFY(log->verify()->intact());
    qunsetenv("NESA_POLICY_DIR");
  }

  // A policy that requires the audit log keeps it, where it says, whatever the settings say;
  // a broken policy keeps no history.
  void aRequiredAuditLogIsKeptWhereThePolicySays() {
    if (QFile::exists(QStringLiteral("/etc/nesa/policy.pub")))
      QSKIP("this computer has a system policy, which NESA_POLICY_DIR cannot replace");
    QTemporaryDir home, installed, stores, models;
    QVERIFY(writeVolumeModel(kTestModels, models.path()));
    const std::string user = currentUserName();
    const std::string policy =
        QJsonDocument(
            QJsonObject{
                {QStringLiteral("organisation"), QStringLiteral("St Example Hospital")},
                {QStringLiteral("version"), 9},
                {QStringLiteral("expires"), QStringLiteral("2099-01-01T00:00:00Z")},
                {QStringLiteral("roles"),
                 QJsonObject{
                     {QStringLiteral("analyst"), QJsonObject{{QStringLiteral("audit"), true}}}}},
                {QStringLiteral("users"), QJsonObject{{QString::fromStdString(user),
                                                       QJsonArray{QStringLiteral("analyst")}}}},
                {QStringLiteral("storage"),
                 QJsonObject{{QStringLiteral("auditLog"), QStringLiteral("required")},
                             {QStringLiteral("folder"), stores.path() + QStringLiteral("/{user}")},
                             {QStringLiteral("history"), QStringLiteral("reports")}}}})
            .toJson()
            .toStdString();
    auto key = audit::SignerKey::generate("admin.example.org");
    QVERIFY(key.ok() && installPolicy(installed.path(), *key, *signPolicy(policy, *key)));
    qputenv("NESA_POLICY_DIR", installed.path().toUtf8());
    const Enforcement enforced = Enforcement::installed();
    QVERIFY(enforced.storage().auditRequired);
    QVERIFY(enforced.storage().history == HistoryKeeps::Reports);
    const QString pass = QStringLiteral("required audit passphrase");
    Run r = run(kNesa, {QStringLiteral("policy"), QStringLiteral("show")}, home.path());
    QVERIFY2(r.out.contains(QStringLiteral("storage: audit log required; history keeps reports "
                                           "without their inputs; stores in ")),
             qPrintable(r.out));
    r = run(kNesa,
            {QStringLiteral("analyze"), kScan, QStringLiteral("--model"),
             models.filePath(QStringLiteral("volume.pt")), QStringLiteral("--privacy"),
             QStringLiteral("local")},
            home.path(), {}, pass);
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QString folder = stores.filePath(QString::fromStdString(user) + QStringLiteral("/audit"));
    QVERIFY(QFile::exists(folder + QStringLiteral("/audit.db")));
    QVERIFY(!QFile::exists(home.filePath(QStringLiteral("audit")))); // not in the data folder
    r = run(kNesa, {QStringLiteral("audit"), QStringLiteral("list"), QStringLiteral("--json")},
            home.path(), {}, pass);
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QStringList records = r.out.trimmed().split(QLatin1Char('\n'));
    QCOMPARE(records.size(), 3); // the policy in force, then the run's start and end
    QCOMPARE(QJsonDocument::fromJson(records[0].toUtf8()).object()[u"action"].toString(),
             QStringLiteral("policy"));
    QCOMPARE(QJsonDocument::fromJson(records[2].toUtf8()).object()[u"outcome"].toString(),
             QStringLiteral("ok"));

    QVERIFY(installPolicy(installed.path(), *key, "tampered"));
    const Enforcement broken = Enforcement::installed();
    QVERIFY(broken.storage().history == HistoryKeeps::Nothing);
    qunsetenv("NESA_POLICY_DIR");
    QVERIFY(!Enforcement::installed().storage().auditRequired); // no policy: the settings decide
  }

  // Records name inputs by a digest of their bytes (a folder's: of its files' names and bytes).
  void recordsNameInputsByDigest() {
    QTemporaryDir folder;
    const auto write = [&](const QString &name, const QByteArray &bytes) {
      QFile file(folder.filePath(name));
      return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
    };
    QVERIFY(write(QStringLiteral("a.dcm"), "first"));
    const std::string one = contentDigest(folder.filePath(QStringLiteral("a.dcm")).toStdString());
    QVERIFY(QRegularExpression(QStringLiteral("^blake2b-256:[0-9a-f]{64}$"))
                .match(QString::fromStdString(one))
                .hasMatch());
    const std::string all = contentDigest(folder.path().toStdString());
    QVERIFY(all != one);
    QVERIFY(write(QStringLiteral("a.dcm"), "changed"));
    QVERIFY(contentDigest(folder.filePath(QStringLiteral("a.dcm")).toStdString()) != one);
    QVERIFY(contentDigest(folder.path().toStdString()) != all);
    QVERIFY(write(QStringLiteral("b.dcm"), ""));
    const std::string two = contentDigest(folder.path().toStdString());
    QVERIFY(QFile::rename(folder.filePath(QStringLiteral("b.dcm")),
                          folder.filePath(QStringLiteral("c.dcm"))));
    QVERIFY(contentDigest(folder.path().toStdString()) != two); // names count too
    QCOMPARE(contentDigest(folder.filePath(QStringLiteral("missing")).toStdString()),
             std::string("unreadable"));
  }

  // The programs under an installed policy (NESA_POLICY_DIR): the administrator's tools, then
  // each rule refusing in nesa analyze, the desktop's session, nesa pacs send and nesa miner
  // start, each saying which rule; a tampered policy then refuses everything.
  void theProgramsEnforceTheInstalledPolicy() {
    QTemporaryDir home, admin, installed, models;
    QVERIFY(writeVolumeModel(kTestModels, models.path()));
    const QString model = models.filePath(QStringLiteral("volume.pt"));
    const QString keyFile = admin.filePath(QStringLiteral("admin.key"));
    Run r = run(kNesa, {QStringLiteral("policy"), QStringLiteral("keygen"),
                        QStringLiteral("admin.example.org"), QStringLiteral("--output"), keyFile});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QCOMPARE(QFileInfo(keyFile).permissions() & (QFile::ReadGroup | QFile::ReadOther),
             QFile::Permissions());
    QVERIFY(r.out.startsWith(QStringLiteral("admin.example.org+")));
    QFile pub(installed.filePath(QStringLiteral("policy.pub")));
    QVERIFY(pub.open(QIODevice::WriteOnly));
    pub.write(r.out.toUtf8());
    pub.close();
    QCOMPARE(run(kNesa, {QStringLiteral("policy"), QStringLiteral("keygen"), QStringLiteral("x"),
                         QStringLiteral("--output"), keyFile})
                 .code,
             1); // a key is never overwritten
    // Cleo's role, by her user name (the test's own user).
    const QString user = QString::fromStdString(currentUserName());
    QFile json(admin.filePath(QStringLiteral("policy.json")));
    QVERIFY(json.open(QIODevice::WriteOnly));
    json.write(
        QByteArray::fromStdString(R"({"organisation": "St Example Hospital", "version": 8,
      "expires": "2099-01-01T00:00:00Z",
      "roles": {"clinician": {"minimumLevel": "hss", "models": [")" +
                                  QFileInfo(models.path()).canonicalFilePath().toStdString() +
                                  R"(/volume.*"],
                              "inputs": ["scan"], "export": false, "pacs": false,
                              "miner": false}},
      "users": {")" + user.toStdString() +
                                  R"(": ["clinician"]}})"));
    json.close();
    const QString note = installed.filePath(QStringLiteral("policy"));
    r = run(kNesa, {QStringLiteral("policy"), QStringLiteral("sign"), json.fileName(),
                    QStringLiteral("--key"), keyFile, QStringLiteral("--output"), note});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    r = run(kNesa, {QStringLiteral("policy"), QStringLiteral("verify"), note,
                    QStringLiteral("--pub"), pub.fileName()});
    QVERIFY2(r.code == 0 &&
                 r.out.contains(QStringLiteral("version 8, signed by admin.example.org")),
             qPrintable(r.out + r.err));

    qputenv("NESA_POLICY_DIR", installed.path().toUtf8());
    r = run(kNesa, {QStringLiteral("policy"), QStringLiteral("show")}, home.path());
    QVERIFY2(r.out.contains(QStringLiteral("roles: clinician")) &&
                 r.out.contains(QStringLiteral("privacy level hss or higher")),
             qPrintable(r.out));
    const auto analyze = [&](const QStringList &extra) {
      return run(kNesa,
                 QStringList{QStringLiteral("analyze"), kScan, QStringLiteral("--model"), model,
                             QStringLiteral("--in-process")} +
                     extra,
                 home.path());
    };
    for (const QString &level : {QStringLiteral("local"), QStringLiteral("ee")}) {
      r = analyze({QStringLiteral("--privacy"), level});
      QCOMPARE(r.code, 4);
      QVERIFY2(r.err.contains(QStringLiteral("your roles (clinician) require privacy level hss or "
                                             "higher; this query asked for ") +
                              level),
               qPrintable(r.err));
    }
    // An estimate reads the input too: refused the same way.
    r = analyze(
        {QStringLiteral("--privacy"), QStringLiteral("local"), QStringLiteral("--estimate")});
    QCOMPARE(r.code, 4);
    QVERIFY2(r.err.contains(QStringLiteral("require privacy level hss")), qPrintable(r.err));
    r = analyze({QStringLiteral("--privacy"), QStringLiteral("hss")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY(r.out.contains(QStringLiteral("level hss")));
    r = analyze({QStringLiteral("--privacy"), QStringLiteral("hss"), QStringLiteral("--output"),
                 home.filePath(QStringLiteral("out.npy"))});
    QCOMPARE(r.code, 4);
    QVERIFY2(r.err.contains(QStringLiteral("may not write results to files outside Nesa")),
             qPrintable(r.err));
    QVERIFY(!QFile::exists(home.filePath(QStringLiteral("out.npy"))));
    // Reading the audit trail is an administrator's right.
    r = run(kNesa, {QStringLiteral("audit"), QStringLiteral("list")}, home.path(), {},
            QStringLiteral("pass"));
    QCOMPARE(r.code, 4);
    QVERIFY2(r.err.contains(QStringLiteral("may not read the audit trail")), qPrintable(r.err));
    r = run(kNesa,
            {QStringLiteral("analyze"), kScan, QStringLiteral("--model"),
             models.filePath(QStringLiteral("mlp.pt")), QStringLiteral("--privacy"),
             QStringLiteral("hss"), QStringLiteral("--in-process")},
            home.path());
    QCOMPARE(r.code, 4);
    QVERIFY2(r.err.contains(QStringLiteral("may run only the models ")) &&
                 r.err.contains(QStringLiteral("/volume.* at hss, not ")),
             qPrintable(r.err));
    // The desktop's path: its session answers the op with the same refusal, as an error event.
    QProcess session;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("NESA_HOME"), home.path());
    session.setProcessEnvironment(env);
    session.start(QFileInfo(kNesa).dir().filePath(QStringLiteral("nesa-analyze")),
                  {QStringLiteral("--session"), QStringLiteral("--in-process")});
    QVERIFY(session.waitForStarted(10000));
    const QJsonObject op{{QStringLiteral("op"), QStringLiteral("run")},
                         {QStringLiteral("request"),
                          QJsonObject{{QStringLiteral("version"), 1},
                                      {QStringLiteral("input"), kScan},
                                      {QStringLiteral("model"), model},
                                      {QStringLiteral("privacy"), QStringLiteral("ee")}}}};
    session.write(QJsonDocument(op).toJson(QJsonDocument::Compact) + "\n");
    session.closeWriteChannel();
    QVERIFY(session.waitForFinished(120000));
    QJsonObject answer;
    for (const QByteArray &line : session.readAllStandardOutput().split('\n'))
      if (const auto event = QJsonDocument::fromJson(line).object();
          event[u"event"].toString() == QStringLiteral("error"))
        answer = event;
    QCOMPARE(answer[u"code"].toString(), QStringLiteral("forbidden"));
    QVERIFY2(answer[u"message"].toString().contains(QStringLiteral("require privacy level hss")),
             qPrintable(QJsonDocument(answer).toJson()));
    // Results to a PACS, and the miner: refused before anything connects.
    r = run(kNesa,
            {QStringLiteral("pacs"), QStringLiteral("send"), kScan, QStringLiteral("--pacs"),
             QStringLiteral("ORTHANC@127.0.0.1:9")},
            home.path());
    QCOMPARE(r.code, 4);
    QVERIFY2(r.err.contains(QStringLiteral("may not send results to a PACS")), qPrintable(r.err));
    r = run(kNesa, {QStringLiteral("miner"), QStringLiteral("start")}, home.path());
    QCOMPARE(r.code, 4);
    QVERIFY2(r.err.contains(QStringLiteral("may not run this computer's miner")),
             qPrintable(r.err));

    // Tampered (the level lowered): the most restrictive mode, even for what was allowed.
    QFile signedNote(note);
    QVERIFY(signedNote.open(QIODevice::ReadWrite));
    QByteArray text = signedNote.readAll();
    text.replace("\"hss\"", "\"ee\" ");
    QVERIFY(signedNote.seek(0));
    signedNote.write(text);
    signedNote.close();
    r = analyze({QStringLiteral("--privacy"), QStringLiteral("hss")});
    QCOMPARE(r.code, 4);
    QVERIFY2(r.err.contains(QStringLiteral("most restrictive mode")), qPrintable(r.err));
    r = run(kNesa, {QStringLiteral("policy"), QStringLiteral("show"), QStringLiteral("--json")},
            home.path());
    QCOMPARE(QJsonDocument::fromJson(r.out.toUtf8()).object()[u"mode"].toString(),
             QStringLiteral("lockdown"));
    qunsetenv("NESA_POLICY_DIR");
  }

  // A daily limit on a real devnet: the first paid query fits and is paid (the audit log keeps
  // what it paid); with the limit lowered below what was paid plus the next estimate, the next
  // paid query stops before anything is sent, says the figures, and is on record as refused.
  void aSpendingLimitStopsTheNextPaidQuery() {
    QTemporaryDir home, admin, installed, models;
    QVERIFY(writeVolumeModel(kTestModels, models.path()));
    const QString pass = QStringLiteral("policy passphrase");
    QVERIFY(setConfig(kNesa, home.path(), QStringLiteral("auditLog"), QStringLiteral("true")));
    auto key = audit::SignerKey::generate("admin.example.org");
    QVERIFY(key.ok());
    const std::string user = currentUserName();
    const auto policyWithLimit = [&](std::uint64_t limit) {
      return *signPolicy(R"({"organisation": "St Example Hospital", "version": 9,
        "expires": "2099-01-01T00:00:00Z",
        "roles": {"clinician": {"minimumLevel": "hss", "dailySpendMicroNes": )" +
                             std::to_string(limit) + R"(},
                  "auditor": {"models": [], "dailySpendMicroNes": 0, "audit": true}},
        "users": {")" + user +
                             R"(": ["clinician", "auditor"]}})",
                         *key);
    };
    QVERIFY(installPolicy(installed.path(), *key, policyWithLimit(1'000'000'000)));
    qputenv("NESA_POLICY_DIR", installed.path().toUtf8());

    QProcess devnet;
    auto env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("NESA_HOME"), home.path());
    devnet.setProcessEnvironment(env);
    devnet.start(kNesa,
                 {QStringLiteral("chain"), QStringLiteral("devnet"), QStringLiteral("--miners"),
                  QStringLiteral("3"), QStringLiteral("--json")});
    QByteArray printed;
    QTRY_VERIFY_WITH_TIMEOUT(
        (printed += devnet.readAllStandardOutput(), QJsonDocument::fromJson(printed).isObject()),
        90000);
    const auto analyze = [&] {
      return run(kNesa,
                 {QStringLiteral("analyze"), kScan, QStringLiteral("--model"),
                  models.filePath(QStringLiteral("volume.pt")), QStringLiteral("--privacy"),
                  QStringLiteral("hss")},
                 home.path(), {}, pass);
    };
    Run r = analyze();
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const auto paid = QRegularExpression(QStringLiteral("paid (\\d+) µNES")).match(r.out);
    const auto estimate =
        QRegularExpression(QStringLiteral("cost estimate: about (\\d+) µNES")).match(r.err);
    QVERIFY2(paid.hasMatch() && estimate.hasMatch(), qPrintable(r.out + r.err));
    const auto spent = paid.captured(1).toULongLong(), next = estimate.captured(1).toULongLong();
    QVERIFY(spent > 0 && next > 0);

    QVERIFY(installPolicy(installed.path(), *key, policyWithLimit(spent + next - 1)));
    r = analyze();
    QCOMPARE(r.code, 4);
    QVERIFY2(r.err.contains(QStringLiteral("may spend %1 µNES a day (UTC); %2 µNES were spent "
                                           "today and this query would cost about %3 µNES more")
                                .arg(spent + next - 1)
                                .arg(spent)
                                .arg(next)),
             qPrintable(r.err));
    QVERIFY(!r.out.contains(QStringLiteral("paid ")));
    r = run(kNesa, {QStringLiteral("audit"), QStringLiteral("list"), QStringLiteral("--json")},
            home.path(), {}, pass);
    const QStringList records = r.out.trimmed().split(QLatin1Char('\n'));
    QCOMPARE(records.size(), 5); // the policy in force, then each run's start and end
    QCOMPARE(QJsonDocument::fromJson(records.first().toUtf8()).object()[u"action"].toString(),
             QStringLiteral("policy"));
    QCOMPARE(QJsonDocument::fromJson(records.last().toUtf8()).object()[u"outcome"].toString(),
             QStringLiteral("failed (forbidden)"));
    devnet.terminate();
    QVERIFY(devnet.waitForFinished(60000));
    qunsetenv("NESA_POLICY_DIR");
  }
};

QTEST_GUILESS_MAIN(TestPolicy)
#include "tst_policy.moc"
