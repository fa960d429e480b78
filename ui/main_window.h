// The desktop app's main window (for now: the file list that analyses will start from).
#pragma once

#include <QMainWindow>

class QLabel;
class QPushButton;

namespace nesa::ui {

class DropFileList;

/// What the window shows about the network it runs on.
struct NetworkSummary {
  QString mode;   ///< "devnet" or "join"
  QString detail; ///< node address, or how many local miners
};

/// The top-level window: a drop zone listing the inputs, with add/remove buttons.
class MainWindow : public QMainWindow {
  Q_OBJECT
public:
  explicit MainWindow(const NetworkSummary &network, QWidget *parent = nullptr);

  /// The list files are dropped onto (exposed for tests and for the analyze page to come).
  DropFileList *fileList() const { return m_files; }

private:
  void chooseFiles();
  void removeSelected();
  void updateStatus();

  DropFileList *m_files = nullptr;
  QLabel *m_hint = nullptr;
  QPushButton *m_remove = nullptr;
  QString m_networkText;
};

} // namespace nesa::ui
