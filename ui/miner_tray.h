// The system tray icon: the miner's state and earnings at a glance, and a menu to open the
// window, turn the miner off and quit. With it the window can close to the tray while the
// miner keeps serving.
#pragma once

#include <QObject>

class QAction;
class QSystemTrayIcon;

namespace nesa::ui {

class MainWindow;

/// The tray icon of `window` (none when the desktop has no system tray).
class MinerTray : public QObject {
  Q_OBJECT
public:
  explicit MinerTray(MainWindow *window);

  /// True when the icon is shown (the desktop has a system tray).
  bool isAvailable() const;
  /// Reads the miner page again for the tooltip and the menu.
  void update();
  /// The tooltip ("Miner on · earned 0.000400 NES").
  QString toolTip() const;
  /// Shows a short note near the icon (the window went to the tray).
  void notify(const QString &text);

private:
  MainWindow *m_window;
  QSystemTrayIcon *m_icon = nullptr;
  QAction *m_open = nullptr;
  QAction *m_minerOff = nullptr;
  QAction *m_quit = nullptr;
};

} // namespace nesa::ui
