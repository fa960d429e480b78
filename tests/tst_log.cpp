// Logging: level names and the log file.
#include "util/log.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace nesa;

class TestLog : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void parsesLevels() {
    QCOMPARE(log::parseLevel("debug").value(), log::Level::Debug);
    QCOMPARE(log::parseLevel("off").value(), log::Level::Off);
    auto bad = log::parseLevel("loud");
    QVERIFY(!bad.ok());
    QVERIFY(QString::fromStdString(bad.error().message).contains(QStringLiteral("loud")));
  }

  void writesToFileAtLevel() {
    QTemporaryDir dir;
    const auto file = std::filesystem::path(dir.path().toStdString()) / "logs" / "nesa.log";
    QVERIFY(log::init({log::Level::Info, file}).ok());
    log::debug("hidden-debug-line");
    log::info("visible-info-line");
    log::error("visible-error-line");
    QFile in(QString::fromStdString(file.string()));
    QVERIFY(in.open(QIODevice::ReadOnly));
    const QByteArray text = in.readAll();
    QVERIFY(text.contains("visible-info-line"));
    QVERIFY(text.contains("visible-error-line"));
    QVERIFY(!text.contains("hidden-debug-line"));
    QVERIFY(text.contains("[error]"));
  }

  void unwritableFileIsAnError() {
    auto r = log::init({log::Level::Info, "/proc/nesa-cannot-write-here/x.log"});
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::Io);
  }
};

QTEST_GUILESS_MAIN(TestLog)
#include "tst_log.moc"
