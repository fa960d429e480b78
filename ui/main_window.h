// The desktop app's main window: the analyze page (drop, view, run, result) under a title, with
// the network it runs on in the status bar.
#pragma once

#include <QMainWindow>

class QLabel;

namespace nesa::ui {

class AnalysisBackend;
class AnalyzePage;
class DropFileList;

/// What the window shows about the network it runs on.
struct NetworkSummary {
  QString mode;   ///< "devnet" or "join"
  QString detail; ///< node address, or how many local miners
};

/// The top-level window. `backend` runs the analyses and must outlive the window.
class MainWindow : public QMainWindow {
  Q_OBJECT
public:
  MainWindow(const NetworkSummary &network, AnalysisBackend &backend, QWidget *parent = nullptr);

  /// The list files are dropped onto (the analyze page's).
  DropFileList *fileList() const;
  /// The analyze page.
  AnalyzePage *analyzePage() const { return m_analyze; }

private:
  void updateStatus();

  AnalyzePage *m_analyze = nullptr;
  QString m_networkText;
};

} // namespace nesa::ui
