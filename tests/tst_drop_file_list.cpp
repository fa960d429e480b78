// Dropping files onto the main window's list: local files are listed once, the rest refused.
#include "fake_backends.h"
#include "ui/drop_file_list.h"
#include "ui/input_kind.h"
#include "ui/main_window.h"

#include <QApplication>
#include <QFile>
#include <QMimeData>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

using namespace nesa::ui;

namespace {

QString makeFile(const QTemporaryDir &dir, const QString &name, const QByteArray &content = "x") {
  const QString path = dir.filePath(name);
  QFile file(path);
  file.open(QIODevice::WriteOnly);
  file.write(content);
  return path;
}

// Delivers a real drag-enter and drop of `urls` to `widget`, as the window system would.
bool dropUrls(QWidget *widget, const QList<QUrl> &urls) {
  QMimeData mime;
  mime.setUrls(urls);
  const QPoint centre = widget->rect().center();
  QDragEnterEvent enter(centre, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
  QApplication::sendEvent(widget, &enter);
  if (!enter.isAccepted())
    return false;
  QDropEvent drop(QPointF(centre), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
  QApplication::sendEvent(widget, &drop);
  return drop.isAccepted();
}

} // namespace

class TestDropFileList : public QObject {
  Q_OBJECT
  QTemporaryDir m_dir;

private Q_SLOTS:
  void droppedLocalFilesAreListed() {
    nesa::testing::FakeBackends fakes;
    MainWindow window(fakes.backends());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    DropFileList *list = window.fileList();
    QSignalSpy added(list, &DropFileList::filesAdded);

    const QString scan = makeFile(m_dir, QStringLiteral("brain.nii.gz"), QByteArray(2048, 'n'));
    const QString report = makeFile(m_dir, QStringLiteral("contract.pdf"));
    QVERIFY(dropUrls(list->viewport(), {QUrl::fromLocalFile(scan), QUrl::fromLocalFile(report)}));

    QCOMPARE(list->count(), 2);
    QCOMPARE(list->paths(), (QStringList{scan, report}));
    QCOMPARE(added.count(), 1);
    QVERIFY(list->item(0)->text().contains(QStringLiteral("brain.nii.gz")));
    QVERIFY(list->item(0)->text().contains(inputKindLabel(InputKind::MedicalVolume)));
    QVERIFY(list->item(1)->text().contains(inputKindLabel(InputKind::Document)));
  }

  void sameFileIsListedOnce() {
    DropFileList list;
    const QString image = makeFile(m_dir, QStringLiteral("photo.png"));
    QVERIFY(dropUrls(list.viewport(), {QUrl::fromLocalFile(image)}));
    QVERIFY(dropUrls(list.viewport(), {QUrl::fromLocalFile(image), QUrl::fromLocalFile(image)}));
    QCOMPARE(list.count(), 1);
  }

  void remoteUrlsAreRefused() {
    DropFileList list;
    QSignalSpy refused(&list, &DropFileList::itemsRefused);
    QVERIFY(!dropUrls(list.viewport(), {QUrl(QStringLiteral("https://example.org/scan.dcm"))}));
    QCOMPARE(list.count(), 0);

    const QString local = makeFile(m_dir, QStringLiteral("notes.txt"));
    QVERIFY(dropUrls(list.viewport(), {QUrl(QStringLiteral("https://example.org/a.png")),
                                       QUrl::fromLocalFile(local)}));
    QCOMPARE(list.paths(), QStringList{local});
    QCOMPARE(refused.count(), 1);
  }

  void vanishedFilesAreSkipped() {
    DropFileList list;
    QSignalSpy refused(&list, &DropFileList::itemsRefused);
    QVERIFY(dropUrls(list.viewport(),
                     {QUrl::fromLocalFile(m_dir.filePath(QStringLiteral("gone.dcm")))}));
    QCOMPARE(list.count(), 0);
    QCOMPARE(refused.count(), 1);
    QVERIFY(refused.first().first().toString().contains(QStringLiteral("no longer exist")));
  }

  void textDragIsNotAccepted() {
    DropFileList list;
    QMimeData mime;
    mime.setText(QStringLiteral("just text"));
    QDragEnterEvent enter(QPoint(1, 1), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(list.viewport(), &enter);
    QVERIFY(!enter.isAccepted());
  }

  void folderCountsAsDicomSeries() {
    QTemporaryDir series;
    QCOMPARE(guessInputKind(series.path()), InputKind::DicomSeries);
    QCOMPARE(guessInputKind(QStringLiteral("/x/IM0001.DCM")), InputKind::DicomSeries);
    QCOMPARE(guessInputKind(QStringLiteral("/x/scan.NII")), InputKind::MedicalVolume);
    QCOMPARE(guessInputKind(QStringLiteral("/x/report.docx")), InputKind::Document);
    QCOMPARE(guessInputKind(QStringLiteral("/x/archive.zip")), InputKind::Unsupported);
  }

  void removeButtonDeletesSelection() {
    nesa::testing::FakeBackends fakes;
    fakes.settings.config.network = "join";
    fakes.settings.config.nodeAddress = "node.example:7600";
    MainWindow window(fakes.backends());
    const QString a = makeFile(m_dir, QStringLiteral("a.png"));
    const QString b = makeFile(m_dir, QStringLiteral("b.png"));
    window.fileList()->addPaths({a, b});
    auto *remove = window.findChild<QPushButton *>(QStringLiteral("removeFiles"));
    QVERIFY(remove != nullptr);
    window.fileList()->clearSelection(); // the page selects what was added last, to open it
    QVERIFY(!remove->isEnabled());
    window.fileList()->item(0)->setSelected(true);
    QVERIFY(remove->isEnabled());
    QTest::mouseClick(remove, Qt::LeftButton);
    QCOMPARE(window.fileList()->paths(), QStringList{b});
  }
};

QTEST_MAIN(TestDropFileList)
#include "tst_drop_file_list.moc"
