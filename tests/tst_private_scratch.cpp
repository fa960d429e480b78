// Private scratch folders: named after their process, and swept at start only when that process
// is gone and they are ours.
#include "util/private_scratch.h"

#include <QTemporaryDir>
#include <QTest>

#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using namespace nesa;

class TestPrivateScratch : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void theTemplateNamesThisProcess() {
    const std::string made = paths::privateScratchTemplate();
    QVERIFY2(made.find("/nesa-private-" + std::to_string(::getpid()) + "-XXXXXX") !=
                 std::string::npos,
             made.c_str());
  }

  // A folder of a process that has ended goes, with what it holds; this process's, a running
  // process's and folders named otherwise stay.
  void onlyFoldersOfEndedProcessesGo() {
    QTemporaryDir temp;
    QVERIFY(temp.isValid());
    const fs::path root = temp.path().toStdString();
    const pid_t child = ::fork();
    if (child == 0)
      ::_exit(0);
    QVERIFY(child > 0);
    int status = 0;
    QCOMPARE(::waitpid(child, &status, 0), child); // reaped: no such process any more

    const fs::path stale = root / ("nesa-private-" + std::to_string(child) + "-abc123");
    const fs::path mine = root / ("nesa-private-" + std::to_string(::getpid()) + "-def456");
    const fs::path running = root / "nesa-private-1-ghi789"; // init never ends
    const fs::path other = root / ("nesa-dicom-" + std::to_string(child));
    const fs::path notAFolder = root / ("nesa-private-" + std::to_string(child) + "-file");
    for (const auto &folder : {stale, mine, running, other})
      fs::create_directories(folder / "series");
    { std::ofstream(stale / "series" / "1.dcm") << "patient data"; }
    { std::ofstream(notAFolder) << "not a folder"; }

    QCOMPARE(paths::sweepStalePrivateScratch(root), 1);
    QVERIFY(!fs::exists(stale));
    QVERIFY(fs::exists(mine));
    QVERIFY(fs::exists(running));
    QVERIFY(fs::exists(other));
    QVERIFY(fs::exists(notAFolder));
    QCOMPARE(paths::sweepStalePrivateScratch(root), 0); // nothing more to do
    QCOMPARE(paths::sweepStalePrivateScratch(root / "missing"), 0);
  }
};

QTEST_GUILESS_MAIN(TestPrivateScratch)
#include "tst_private_scratch.moc"
