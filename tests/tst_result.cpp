// Result<T>, Result<void> and Error: values, errors, context.
#include "util/result.h"

#include <QTest>

#include <memory>

using namespace nesa;

class TestResult : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void holdsValue() {
    Result<int> r = 42;
    QVERIFY(r.ok());
    QVERIFY(static_cast<bool>(r));
    QCOMPARE(r.value(), 42);
  }

  void holdsError() {
    Result<int> r = fail(ErrorCode::NotFound, "no such file");
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::NotFound);
    QCOMPARE(QString::fromStdString(r.error().message), QStringLiteral("no such file"));
  }

  void movesOnlyValues() {
    Result<std::unique_ptr<int>> r = std::make_unique<int>(7);
    std::unique_ptr<int> taken = std::move(r).value();
    QCOMPARE(*taken, 7);
  }

  void voidResult() {
    Result<void> good;
    QVERIFY(good.ok());
    Result<void> bad = fail(ErrorCode::Io, "disk full");
    QVERIFY(!bad.ok());
    QCOMPARE(bad.error().code, ErrorCode::Io);
  }

  void contextPrefixesMessage() {
    const Error e = fail(ErrorCode::Corrupt, "bad header").withContext("Opening wallet.db");
    QCOMPARE(QString::fromStdString(e.message), QStringLiteral("Opening wallet.db: bad header"));
    QCOMPARE(e.code, ErrorCode::Corrupt);
  }

  void codeNamesAreStableAndDistinct() {
    QCOMPARE(QString(errorCodeName(ErrorCode::WrongPassphrase)),
             QStringLiteral("wrong-passphrase"));
    QSet<QString> names;
    for (auto code :
         {ErrorCode::InvalidInput, ErrorCode::NotFound, ErrorCode::AlreadyExists,
          ErrorCode::WrongPassphrase, ErrorCode::Corrupt, ErrorCode::Io, ErrorCode::Unavailable,
          ErrorCode::Cancelled, ErrorCode::Internal, ErrorCode::Busy,
          ErrorCode::Forbidden})
      names.insert(QString(errorCodeName(code)));
    QCOMPARE(names.size(), 11);
  }
};

QTEST_GUILESS_MAIN(TestResult)
#include "tst_result.moc"
