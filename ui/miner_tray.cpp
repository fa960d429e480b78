#include "ui/miner_tray.h"

#include "ui/main_window.h"
#include "ui/miner_page.h"

#include <QApplication>
#include <QMenu>
#include <QPushButton>
#include <QSystemTrayIcon>

namespace nesa::ui {

MinerTray::MinerTray(MainWindow *window) : QObject(window), m_window(window) {
  if (!QSystemTrayIcon::isSystemTrayAvailable())
    return;
  m_icon = new QSystemTrayIcon(QIcon(QStringLiteral(":/icons/nesa.svg")), this);
  auto *menu = new QMenu(window);
  m_open = menu->addAction(QString(), window, [window] {
    window->showNormal();
    window->raise();
    window->activateWindow();
  });
  m_minerOff = menu->addAction(QString(), window, [window] {
    if (window->minerPage()->isRunning())
      window->minerPage()->toggleButton()->click();
  });
  menu->addSeparator();
  m_quit = menu->addAction(QString(), window, [window] { window->quitFromTray(); });
  m_icon->setContextMenu(menu);
  connect(m_icon, &QSystemTrayIcon::activated, window, [this](QSystemTrayIcon::ActivationReason r) {
    if (r == QSystemTrayIcon::Trigger)
      m_open->trigger();
  });
  m_icon->show();
  update();
}

bool MinerTray::isAvailable() const { return m_icon != nullptr; }

QString MinerTray::toolTip() const { return m_icon ? m_icon->toolTip() : QString(); }

void MinerTray::update() {
  if (!m_icon)
    return;
  const MinerPage *page = m_window->minerPage();
  m_icon->setToolTip(tr("Nesa Desktop · miner: %1").arg(page->stateText()));
  m_open->setText(tr("Open Nesa Desktop"));
  m_minerOff->setText(tr("Turn the miner off"));
  m_minerOff->setEnabled(page->isRunning());
  m_quit->setText(tr("Quit"));
}

void MinerTray::notify(const QString &text) {
  if (m_icon)
    m_icon->showMessage(tr("Nesa Desktop"), text, QSystemTrayIcon::Information, 5000);
}

} // namespace nesa::ui
