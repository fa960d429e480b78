// Translations: the compiled catalogues load, French replaces the English text, plurals agree.
#include "fake_backends.h"
#include "ui/analyze_page.h"
#include "ui/drop_file_list.h"
#include "ui/main_window.h"
#include "ui/settings_page.h"
#include "ui/translations.h"

#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

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
  // Every message that says what leaves the computer, what a miner sees, what stays hidden or
  // who colludes is in docs/privacy.md's sentence table, in English and in French, next to what
  // backs it.
  void everyPrivacySentenceIsInTheTable() {
    QFile docFile(QStringLiteral(NESA_SOURCE_DIR "/docs/privacy.md"));
    QFile catalogue(QStringLiteral(NESA_SOURCE_DIR "/translations/nesa_fr.ts"));
    QVERIFY(docFile.open(QIODevice::ReadOnly) && catalogue.open(QIODevice::ReadOnly));
    const auto collapse = [](QString text) { return text.simplified(); };
    const QString doc = collapse(QString::fromUtf8(docFile.readAll()));
    static const QRegularExpression claim(
        QStringLiteral("\\b(leaves?|leave it|stays? on this computer|stays? hidden|never sent|"
                       "scrambled|collude\\w*|random-looking|unscramble|encrypted shares)\\b"),
        QRegularExpression::CaseInsensitiveOption);
    QXmlStreamReader xml(&catalogue);
    QString source, translation;
    bool numerus = false;
    int claims = 0;
    while (!xml.atEnd()) {
      xml.readNext();
      if (xml.isStartElement()) {
        if (xml.name() == QLatin1String("message")) {
          numerus = xml.attributes().value(QLatin1String("numerus")) == QLatin1String("yes");
          source.clear();
          translation.clear();
        } else if (xml.name() == QLatin1String("source")) {
          source = collapse(xml.readElementText());
        } else if (xml.name() == QLatin1String("translation") && !numerus) {
          translation = collapse(xml.readElementText());
        } else if (xml.name() == QLatin1String("numerusform") && translation.isEmpty()) {
          translation = collapse(xml.readElementText()); // the singular form
        }
      } else if (xml.isEndElement() && xml.name() == QLatin1String("message") &&
                 claim.match(source).hasMatch()) {
        ++claims;
        QVERIFY2(doc.contains(source),
                 qPrintable(QStringLiteral("not in docs/privacy.md: ") + source));
        QVERIFY2(!translation.isEmpty() && doc.contains(translation),
                 qPrintable(QStringLiteral("French not in docs/privacy.md: ") + translation));
      }
    }
    QVERIFY(!xml.hasError());
    QVERIFY(claims >= 10);
  }

  // The catalogues are the one source of the translations (edited with Qt Linguist): lupdate
  // brings copies of them up to date with the sources, after which the French one may hold no
  // unfinished message, the English one no unfinished plural, and neither a message the sources
  // no longer have.
  void theCataloguesCoverTheSources() {
    QTemporaryDir dir;
    for (const QString &language : {QStringLiteral("en"), QStringLiteral("fr")}) {
      const QString name = QStringLiteral("nesa_%1.ts").arg(language);
      const QString copy = dir.filePath(name);
      QVERIFY(QFile::copy(QStringLiteral(NESA_SOURCE_DIR "/translations/") + name, copy));
      QVERIFY(QFile::setPermissions(copy, QFile::ReadOwner | QFile::WriteOwner));
      QProcess lupdate;
      lupdate.start(QStringLiteral(NESA_LUPDATE_PATH),
                    {QStringLiteral("-locations"), QStringLiteral("none"),
                     QStringLiteral("@" NESA_TRANSLATED_SOURCES), QStringLiteral("-ts"), copy});
      QVERIFY(lupdate.waitForFinished(120000));
      QVERIFY2(lupdate.exitCode() == 0, lupdate.readAllStandardError().constData());
      QFile catalogue(copy);
      QVERIFY(catalogue.open(QIODevice::ReadOnly));
      QXmlStreamReader xml(&catalogue);
      QStringList problems;
      QString source, type;
      bool numerus = false;
      int messages = 0;
      while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement() && xml.name() == QLatin1String("message")) {
          numerus = xml.attributes().value(QLatin1String("numerus")) == QLatin1String("yes");
        } else if (xml.isStartElement() && xml.name() == QLatin1String("source")) {
          source = xml.readElementText();
        } else if (xml.isStartElement() && xml.name() == QLatin1String("translation")) {
          type = xml.attributes().value(QLatin1String("type")).toString();
        } else if (xml.isEndElement() && xml.name() == QLatin1String("message")) {
          ++messages;
          if (type == QLatin1String("vanished") || type == QLatin1String("obsolete"))
            problems << QStringLiteral("no longer in the sources: ") + source;
          else if (type == QLatin1String("unfinished") &&
                   (language == QLatin1String("fr") || numerus))
            problems << QStringLiteral("not translated: ") + source;
        }
      }
      QVERIFY(!xml.hasError());
      QVERIFY2(problems.isEmpty(),
               qPrintable(name + QStringLiteral(":\n  ") + problems.join(QStringLiteral("\n  "))));
      QVERIFY(messages > 300);
    }
  }

  void unknownLanguageIsRefused() { QVERIFY(!installTranslation(*qApp, QStringLiteral("xx"))); }

  void englishPluralsAgree() {
    QVERIFY(installTranslation(*qApp, QStringLiteral("en")));
    nesa::testing::FakeBackends fakes;
    MainWindow window(fakes.backends());
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
    MainWindow window(fakes.backends());
    QVERIFY(hasLabel(window, QStringLiteral("Analyse privée")));
    QVERIFY(!hasLabel(window, QStringLiteral("Private analysis")));
    QVERIFY(window.statusBar()->currentMessage().startsWith(QStringLiteral("0 fichier prêt")));
  }

  // The language chosen in the settings applies at once: the pages are rebuilt in it and keep
  // the listed files.
  void switchingLanguageAtRunTime() {
    QVERIFY(installTranslation(*qApp, QStringLiteral("en")));
    nesa::testing::FakeBackends fakes;
    MainWindow window(fakes.backends());
    QVERIFY(hasLabel(window, QStringLiteral("Private analysis")));
    QTemporaryDir dir;
    QFile file(dir.filePath(QStringLiteral("a.txt")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.close();
    window.fileList()->addPaths({file.fileName()});
    QSignalSpy switched(&window, &MainWindow::languageSwitched);
    auto *languages = window.settingsPage()->languageBox();
    languages->setCurrentIndex(languages->findData(QStringLiteral("fr")));
    QVERIFY(window.settingsPage()->save());
    QTRY_COMPARE(switched.count(), 1);
    QVERIFY(hasLabel(window, QStringLiteral("Analyse privée")));
    QVERIFY(!hasLabel(window, QStringLiteral("Private analysis")));
    QCOMPARE(window.fileList()->count(), 1);
    QVERIFY(window.statusBar()->currentMessage().startsWith(QStringLiteral("1 fichier prêt")));
    QCOMPARE(fakes.settings.config.language, std::string("fr"));
    // A switch is refused while the rebuilt page still opens the file in the background (on a
    // loaded machine that outlasts the French switch above): wait for it, then switch once.
    QTRY_VERIFY_WITH_TIMEOUT(!window.analyzePage()->isBusy(), 10000);
    QVERIFY(window.switchLanguage(QStringLiteral("en")));
    QVERIFY(hasLabel(window, QStringLiteral("Private analysis")));
    QVERIFY(!window.switchLanguage(QStringLiteral("xx")));
    QVERIFY(hasLabel(window, QStringLiteral("Private analysis")));
  }
};

QTEST_MAIN(TestTranslations)
#include "tst_translations.moc"
