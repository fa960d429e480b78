#include "scripted_run.h"

#include "ui/analyze_page.h"
#include "ui/history_page.h"
#include "ui/main_window.h"
#include "ui/miner_page.h"
#include "ui/network_page.h"
#include "ui/wallet_activity.h"
#include "ui/wallet_page.h"

#include <QApplication>
#include <QTimer>

#include <cstdio>

namespace nesa::app {

void screenshotPageThenQuit(ui::MainWindow &window, const QString &page, const QString &png) {
  // Saved a moment after the data arrived, once the layouts have settled around it.
  const auto save = [&window, png] {
    QTimer::singleShot(300, &window, [&window, png] {
      window.grab().save(png);
      QApplication::quit();
    });
  };
  if (page == QLatin1String("wallet") && window.walletPage()->isUnlocked())
    QObject::connect(window.walletPage()->activity(), &ui::WalletActivity::updated, &window, save,
                     Qt::SingleShotConnection);
  else if (page == QLatin1String("miner"))
    QObject::connect(window.minerPage(), &ui::MinerPage::updated, &window, save,
                     Qt::SingleShotConnection);
  else if (page == QLatin1String("history"))
    QObject::connect(window.historyPage(), &ui::HistoryPage::updated, &window, [&window, save] {
      if (window.historyPage()->isOpen())
        save();
    });
  else if (page == QLatin1String("network"))
    QObject::connect(window.networkPage(), &ui::NetworkPage::updated, &window, save,
                     Qt::SingleShotConnection);
  else
    save();
}

void runThenQuit(ui::MainWindow &window, const QString &model, const QString &level,
                 const QString &png, const QString &sharePng) {
  auto *page = window.analyzePage();
  QObject::connect(
      page, &ui::AnalyzePage::inputShown, page,
      [page, model, level] {
        if (!page->selectModel(model) || !page->selectLevel(level)) {
          std::fprintf(stderr, "nesa-desktop: cannot run %s at %s on this input\n",
                       qPrintable(model), qPrintable(level));
          QApplication::exit(2);
          return;
        }
        page->run();
      },
      Qt::SingleShotConnection);
  QObject::connect(page, &ui::AnalyzePage::runFinished, &window, [&window, page, png, sharePng] {
    if (!png.isEmpty())
      window.grab().save(png);
    if (!sharePng.isEmpty()) {
      page->showMinersView();
      window.grab().save(sharePng);
    }
    const QString error = page->errorText();
    if (!error.isEmpty())
      std::fprintf(stderr, "nesa-desktop: %s\n", qPrintable(error));
    QApplication::exit(error.isEmpty() ? 0 : 1);
  });
}

} // namespace nesa::app
