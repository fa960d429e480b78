// What scripts ask of the desktop app (scripts/screenshots.sh, the end-to-end test): run a
// model on the opened file and save the window, or save a page once its data is there; then
// quit with an exit code that says how it went.
#pragma once

#include <QString>

namespace nesa::ui {
class MainWindow;
}

namespace nesa::app {

/// After the window has read `page`'s data ("wallet", "miner", …), saves the window as `png`
/// and quits. "pacs" saves the "Open from PACS" dialog instead, with the PACS's first study and
/// its first series picked.
void screenshotPageThenQuit(ui::MainWindow &window, const QString &page, const QString &png);

/// When the first file is on screen, runs `model` at `level` on it; when the run ends, saves the
/// window as `png` and the "What the miners saw" tab as `sharePng` (each when not empty) and
/// quits: 0 when the run worked, 1 when it failed, 2 when the model does not fit the file.
void runThenQuit(ui::MainWindow &window, const QString &model, const QString &level,
                 const QString &png, const QString &sharePng);

} // namespace nesa::app
