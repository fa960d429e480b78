#include "scripted_run.h"

#include "ui/analyze_page.h"
#include "ui/audit_page.h"
#include "ui/history_page.h"
#include "ui/main_window.h"
#include "ui/miner_page.h"
#include "ui/network_page.h"
#include "ui/open_from_pacs_dialog.h"
#include "ui/wallet_activity.h"
#include "ui/wallet_page.h"

#include <QApplication>
#include <QPushButton>
#include <QTableWidget>
#include <QTimer>

#include <cstdio>
#include <memory>

namespace nesa::app {

namespace {

// Opens "Open from PACS", searches every study, picks the first study and its first series, and
// saves the dialog as `png`; quits with 1 when the PACS answers with an error or nothing.
void screenshotPacsDialogThenQuit(ui::MainWindow &window, const QString &png) {
  auto *page = window.analyzePage();
  QTimer::singleShot(0, page, [page, png] {
    page->openFromPacs();
    ui::OpenFromPacsDialog *dialog = page->pacsDialog();
    if (!dialog) {
      std::fprintf(stderr, "nesa-desktop: no PACS backend\n");
      QApplication::exit(1);
      return;
    }
    QObject::connect(dialog, &ui::OpenFromPacsDialog::studiesShown, dialog, [dialog] {
      if (dialog->studiesTable()->rowCount() == 0) {
        std::fprintf(stderr, "nesa-desktop: %s\n", qPrintable(dialog->statusText()));
        QApplication::exit(1);
        return;
      }
      dialog->studiesTable()->selectRow(0);
    });
    QObject::connect(dialog, &ui::OpenFromPacsDialog::seriesShown, dialog, [dialog, png] {
      dialog->seriesTable()->selectRow(0);
      QTimer::singleShot(300, dialog, [dialog, png] {
        dialog->grab().save(png);
        QApplication::quit();
      });
    });
    dialog->searchButton()->click();
  });
}

} // namespace

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
  else if (page == QLatin1String("audit") && window.auditPage())
    QObject::connect(window.auditPage(), &ui::AuditPage::updated, &window, [&window, save] {
      // Opened, or the unlocked wallet's passphrase tried and the page says why it did not open.
      if (window.auditPage()->isOpen() || window.walletPage()->isUnlocked())
        save();
    });
  else if (page == QLatin1String("pacs"))
    screenshotPacsDialogThenQuit(window, png);
  else if (page == QLatin1String("network"))
    QObject::connect(window.networkPage(), &ui::NetworkPage::updated, &window, save,
                     Qt::SingleShotConnection);
  else
    save();
}

void runThenQuit(ui::MainWindow &window, const QString &model, const QString &level,
                 const QString &png, const QString &sharePng) {
  auto *page = window.analyzePage();
  auto *wallet = window.walletPage();
  // The run starts once the file is on screen and, when a passphrase is unlocking the wallet,
  // once the analyze page has it (a run kept in the audit log needs it); an unlock that fails
  // lets the run start and say so.
  struct Waiting {
    bool shown = false;
    bool announced = false;
    bool started = false;
  };
  auto waiting = std::make_shared<Waiting>();
  const auto startWhenReady = [page, wallet, model, level, waiting] {
    if (waiting->started || !waiting->shown || (wallet->isUnlocked() && !waiting->announced))
      return;
    waiting->started = true;
    if (!page->selectModel(model) || !page->selectLevel(level)) {
      std::fprintf(stderr, "nesa-desktop: cannot run %s at %s on this input\n", qPrintable(model),
                   qPrintable(level));
      QApplication::exit(2);
      return;
    }
    page->run();
  };
  QObject::connect(page, &ui::AnalyzePage::inputShown, page, [waiting, startWhenReady] {
    waiting->shown = true;
    startWhenReady();
  });
  QObject::connect(wallet, &ui::WalletPage::unlockedWith, page, [waiting, startWhenReady] {
    waiting->announced = true;
    startWhenReady();
  });
  auto *poll = new QTimer(page); // notices an unlock that failed
  QObject::connect(poll, &QTimer::timeout, page, startWhenReady);
  poll->start(200);
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
