// Translations: the compiled catalogues load, French replaces the English text, plurals agree.
#include "fake_backends.h"
#include "ui/drop_file_list.h"
#include "ui/main_window.h"
#include "ui/translations.h"

#include <QApplication>
#include <QLabel>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>

using namespace nesa::ui;

class TestTranslations : public QObject {
  Q_OBJECT

  static bool hasLabel(const QWidget &window, const QString &text) {
    for (const auto *label : window.findChildren<QLabel *>())
      if (label->text() == text)
        return true;
    return false;
  }

private Q_SLOTS:
  void unknownLanguageIsRefused() { QVERIFY(!installTranslation(*qApp, QStringLiteral("xx"))); }

  void englishPluralsAgree() {
    QVERIFY(installTranslation(*qApp, QStringLiteral("en")));
    nesa::testing::FakeBackends fakes;
    MainWindow window({QStringLiteral("devnet"), QStringLiteral("2")}, fakes.backends());
    QVERIFY(window.statusBar()->currentMessage().startsWith(QStringLiteral("0 files ready")));
    QTemporaryDir dir;
    QFile file(dir.filePath(QStringLiteral("a.txt")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.close();
    window.fileList()->addPaths({file.fileName()});
    QVERIFY(window.statusBar()->currentMessage().startsWith(QStringLiteral("1 file ready")));
  }

  void frenchReplacesEnglish() {
    QVERIFY(installTranslation(*qApp, QStringLiteral("fr")));
    nesa::testing::FakeBackends fakes;
    MainWindow window({QStringLiteral("devnet"), QStringLiteral("2")}, fakes.backends());
    QVERIFY(hasLabel(window, QStringLiteral("Analyse privée")));
    QVERIFY(!hasLabel(window, QStringLiteral("Private analysis")));
    QVERIFY(window.statusBar()->currentMessage().startsWith(QStringLiteral("0 fichier prêt")));
  }
};

QTEST_MAIN(TestTranslations)
#include "tst_translations.moc"
