// Config and paths: defaults, round trips, and clear errors for every kind of broken file.
#include "util/config.h"
#include "util/paths.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cstdlib>
#include <fstream>

using namespace nesa;
namespace fs = std::filesystem;

namespace {

void writeFile(const fs::path &path, const std::string &text) {
  std::ofstream(path, std::ios::binary) << text;
}

QString message(const Error &e) { return QString::fromStdString(e.message); }

} // namespace

class TestConfig : public QObject {
  Q_OBJECT
  QTemporaryDir m_dir;
  fs::path file() const { return fs::path(m_dir.path().toStdString()) / "config.json"; }

private Q_SLOTS:
  void cleanup() { fs::remove(file()); }

  void missingFileGivesDefaults() {
    auto config = loadConfig(file());
    QVERIFY(config.ok());
    QCOMPARE(QString::fromStdString(config->network), QStringLiteral("devnet"));
    QCOMPARE(config->devnetMiners, 2);
    QCOMPARE(QString::fromStdString(config->defaultPrivacy), QStringLiteral("hss"));
  }

  void roundTrips() {
    Config config;
    config.network = "join";
    config.nodeAddress = "node.example:7600";
    config.deploymentFile = "/etc/nesa/deployment.json";
    config.devnetMiners = 5;
    config.language = "fr";
    config.dataDir = "/tmp/nesa-data";
    QVERIFY(saveConfig(config, file()).ok());
    auto loaded = loadConfig(file());
    QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.error().message.c_str());
    QCOMPARE(QString::fromStdString(loaded->nodeAddress), QStringLiteral("node.example:7600"));
    QCOMPARE(loaded->deploymentFile.string(), std::string("/etc/nesa/deployment.json"));
    QCOMPARE(loaded->devnetMiners, 5);
    QCOMPARE(QString::fromStdString(loaded->language), QStringLiteral("fr"));
    QCOMPARE(QString::fromStdString(loaded->dataDir.string()), QStringLiteral("/tmp/nesa-data"));
    QVERIFY(!fs::exists(fs::path(file()).concat(".tmp")));
  }

  void brokenJsonIsAnErrorNamingTheFile() {
    writeFile(file(), "{\"network\": \"devnet\",");
    auto config = loadConfig(file());
    QVERIFY(!config.ok());
    QCOMPARE(config.error().code, ErrorCode::Corrupt);
    QVERIFY(message(config.error()).contains(QString::fromStdString(file().string())));
  }

  void wrongTypeNamesTheKey() {
    writeFile(file(), R"({"devnetMiners": "three"})");
    auto config = loadConfig(file());
    QVERIFY(!config.ok());
    QCOMPARE(config.error().code, ErrorCode::InvalidInput);
    QVERIFY(message(config.error()).contains(QStringLiteral("devnetMiners")));
  }

  void invalidValueIsRefused() {
    writeFile(file(), R"({"defaultPrivacy": "none"})");
    auto config = loadConfig(file());
    QVERIFY(!config.ok());
    QVERIFY(message(config.error()).contains(QStringLiteral("defaultPrivacy")));
  }

  void joinNeedsAnAddressAndADeploymentFile() {
    Config config;
    config.network = "join";
    QVERIFY(!config.validate().ok());
    config.nodeAddress = "rpc.example:8545";
    QVERIFY(config.validate().error().message.find("deploymentFile") != std::string::npos);
    config.deploymentFile = "deployment.json";
    QVERIFY(config.validate().ok());
    config.nodeAddress.clear();
    QVERIFY(!saveConfig(config, file()).ok());
    QVERIFY(!fs::exists(file()));
  }

  void notAnObjectIsCorrupt() {
    writeFile(file(), "[1, 2, 3]");
    auto config = loadConfig(file());
    QVERIFY(!config.ok());
    QCOMPARE(config.error().code, ErrorCode::Corrupt);
  }

  void setValueParsesAndValidates() {
    Config config;
    QVERIFY(setConfigValue(config, "devnetMiners", "4").ok());
    QCOMPARE(config.devnetMiners, 4);
    QVERIFY(!setConfigValue(config, "devnetMiners", "4x").ok());
    QVERIFY(!setConfigValue(config, "devnetMiners", "99").ok());
    QCOMPARE(config.devnetMiners, 4); // a refused value changes nothing
    QVERIFY(!setConfigValue(config, "noSuchKey", "1").ok());
    QVERIFY(setConfigValue(config, "language", "fr").ok());
    QCOMPARE(QString::fromStdString(config.language), QStringLiteral("fr"));
    QVERIFY(setConfigValue(config, "minerOnlyWhenIdle", "true").ok());
    QVERIFY(config.minerOnlyWhenIdle);
    QVERIFY(!setConfigValue(config, "minerOnlyWhenIdle", "yes").ok());
    QVERIFY(!setConfigValue(config, "minerBackend", "tpu").ok());
    QVERIFY(setConfigValue(config, "minerBackend", "cuda").ok());
    QVERIFY(!setConfigValue(config, "minerMaxJobs", "0").ok());
    QVERIFY(setConfigValue(config, "minerMaxJobs", "4").ok());
  }

  // Booleans round-trip through the file, and a wrong type there is an error, not a default.
  void minerSettingsRoundTrip() {
    QTemporaryDir dir;
    const auto file = std::filesystem::path(dir.filePath(QStringLiteral("c.json")).toStdString());
    Config config;
    config.minerBackend = "cpu";
    config.minerOnlyWhenIdle = true;
    config.minerKeepsRunning = false;
    config.apiEnabled = true;
    config.apiPort = 8080;
    QVERIFY(saveConfig(config, file).ok());
    auto loaded = loadConfig(file);
    QVERIFY(loaded);
    QCOMPARE(loaded->minerBackend, std::string("cpu"));
    QVERIFY(loaded->minerOnlyWhenIdle);
    QVERIFY(!loaded->minerKeepsRunning);
    QVERIFY(loaded->apiEnabled);
    QCOMPARE(loaded->apiPort, 8080);
    config.apiPort = 0;
    QVERIFY(!config.validate()); // no port 0: the desktop's API has a port others can find
    QFile broken(QString::fromStdString(file.string()));
    QVERIFY(broken.open(QIODevice::WriteOnly));
    broken.write(R"({"minerOnlyWhenIdle": "yes"})");
    broken.close();
    auto refused = loadConfig(file);
    QVERIFY(!refused);
    QVERIFY(QString::fromStdString(refused.error().message)
                .contains(QStringLiteral("minerOnlyWhenIdle")));
  }

  void entriesListEverySetting() {
    const auto entries = configEntries(Config{});
    QCOMPARE(entries.size(), std::size_t{22});
    QCOMPARE(QString::fromStdString(entries.front().first), QStringLiteral("network"));
    // An unset deployment file shows as empty (only the data folder has a default shown).
    QCOMPARE(QString::fromStdString(entries[2].first), QStringLiteral("deploymentFile"));
    QVERIFY(entries[2].second.empty());
  }

  void pathsFollowXdgAndNesaHome() {
    qunsetenv("NESA_HOME");
    qputenv("XDG_DATA_HOME", "/xdg/data");
    qputenv("XDG_CONFIG_HOME", "/xdg/config");
    qputenv("XDG_CACHE_HOME", "relative/is/ignored");
    qputenv("HOME", "/home/alice");
    QCOMPARE(QString::fromStdString(paths::dataDir().string()), QStringLiteral("/xdg/data/nesa"));
    QCOMPARE(QString::fromStdString(paths::configFile().string()),
             QStringLiteral("/xdg/config/nesa/config.json"));
    QCOMPARE(QString::fromStdString(paths::cacheDir().string()),
             QStringLiteral("/home/alice/.cache/nesa"));
    qputenv("NESA_HOME", "/portable/nesa");
    QCOMPARE(QString::fromStdString(paths::dataDir().string()), QStringLiteral("/portable/nesa"));
    QCOMPARE(QString::fromStdString(paths::cacheDir().string()),
             QStringLiteral("/portable/nesa/cache"));
  }
};

QTEST_GUILESS_MAIN(TestConfig)
#include "tst_config.moc"
