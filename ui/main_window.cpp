#include "ui/main_window.h"

#include "ui/drop_file_list.h"

#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QStatusBar>
#include <QVBoxLayout>

namespace nesa::ui {

MainWindow::MainWindow(const NetworkSummary &network, QWidget *parent) : QMainWindow(parent) {
  setWindowTitle(tr("Nesa Desktop"));
  setWindowIcon(QIcon(QStringLiteral(":/icons/nesa.svg")));
  resize(820, 560);

  auto *central = new QWidget(this);
  auto *layout = new QVBoxLayout(central);

  auto *title = new QLabel(tr("Private analysis"), central);
  QFont titleFont = title->font();
  titleFont.setPointSizeF(titleFont.pointSizeF() * 1.4);
  titleFont.setBold(true);
  title->setFont(titleFont);
  layout->addWidget(title);

  m_hint = new QLabel(tr("Drop MRI scans (DICOM, NIfTI), images or documents (PDF, DOCX, TXT, MD) "
                         "below. Files stay on this computer: only encrypted shares leave it."),
                      central);
  m_hint->setWordWrap(true);
  layout->addWidget(m_hint);

  m_files = new DropFileList(central);
  m_files->setObjectName(QStringLiteral("inputFiles"));
  layout->addWidget(m_files, 1);

  auto *buttons = new QHBoxLayout;
  auto *add = new QPushButton(tr("Add files…"), central);
  add->setObjectName(QStringLiteral("addFiles"));
  m_remove = new QPushButton(tr("Remove"), central);
  m_remove->setObjectName(QStringLiteral("removeFiles"));
  m_remove->setEnabled(false);
  buttons->addWidget(add);
  buttons->addWidget(m_remove);
  buttons->addStretch(1);
  layout->addLayout(buttons);
  setCentralWidget(central);

  m_networkText = network.mode == QLatin1String("join")
                      ? tr("Network: joining %1").arg(network.detail)
                      : tr("Network: local (everything on this computer), %1").arg(network.detail);

  connect(add, &QPushButton::clicked, this, &MainWindow::chooseFiles);
  connect(m_remove, &QPushButton::clicked, this, &MainWindow::removeSelected);
  connect(m_files, &QListWidget::itemSelectionChanged, this,
          [this] { m_remove->setEnabled(!m_files->selectedItems().isEmpty()); });
  connect(m_files, &DropFileList::filesAdded, this, &MainWindow::updateStatus);
  connect(m_files, &DropFileList::itemsRefused, this,
          [this](const QString &why) { statusBar()->showMessage(why, 8000); });
  updateStatus();
}

void MainWindow::chooseFiles() {
  const QStringList chosen = QFileDialog::getOpenFileNames(
      this, tr("Add files"), QString(),
      tr("Scans, images and documents (*.dcm *.nii *.nii.gz *.png *.jpg *.jpeg *.tif *.tiff *.bmp "
         "*.pdf *.docx *.txt *.md);;All files (*)"));
  m_files->addPaths(chosen);
}

void MainWindow::removeSelected() {
  qDeleteAll(m_files->selectedItems());
  updateStatus();
}

void MainWindow::updateStatus() {
  statusBar()->showMessage(tr("%n file(s) ready", "", m_files->count()) + QStringLiteral(" · ") +
                           m_networkText);
}

} // namespace nesa::ui
