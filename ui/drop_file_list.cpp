#include "ui/drop_file_list.h"

#include "ui/input_kind.h"

#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileInfo>
#include <QLocale>
#include <QMimeData>
#include <QUrl>

namespace nesa::ui {
namespace {

constexpr int kPathRole = Qt::UserRole + 1;

bool hasLocalFile(const QMimeData *mime) {
  if (mime == nullptr || !mime->hasUrls())
    return false;
  for (const QUrl &url : mime->urls())
    if (url.isLocalFile())
      return true;
  return false;
}

QString describe(const QFileInfo &info) {
  const QString kind = inputKindLabel(guessInputKind(info.filePath()));
  if (info.isDir())
    return QStringLiteral("%1 — %2 (%3)").arg(info.fileName(), kind, DropFileList::tr("folder"));
  return QStringLiteral("%1 — %2 (%3)")
      .arg(info.fileName(), kind, QLocale().formattedDataSize(info.size()));
}

} // namespace

DropFileList::DropFileList(QWidget *parent) : QListWidget(parent) {
  setAcceptDrops(true);
  setDragDropMode(QAbstractItemView::DropOnly);
  setSelectionMode(QAbstractItemView::ExtendedSelection);
  setAlternatingRowColors(true);
}

QStringList DropFileList::addPaths(const QStringList &paths) {
  QStringList added;
  const QStringList existing = this->paths();
  for (const QString &path : paths) {
    const QFileInfo info(path);
    if (!info.exists())
      continue;
    const QString canonical = info.canonicalFilePath();
    if (existing.contains(canonical) || added.contains(canonical))
      continue;
    auto *item = new QListWidgetItem(describe(info), this);
    item->setData(kPathRole, canonical);
    item->setToolTip(canonical);
    added.append(canonical);
  }
  if (!added.isEmpty())
    Q_EMIT filesAdded(added);
  return added;
}

QStringList DropFileList::paths() const {
  QStringList result;
  for (int row = 0; row < count(); ++row)
    result.append(item(row)->data(kPathRole).toString());
  return result;
}

void DropFileList::dragEnterEvent(QDragEnterEvent *event) {
  if (hasLocalFile(event->mimeData()))
    event->acceptProposedAction();
  else
    event->ignore();
}

void DropFileList::dragMoveEvent(QDragMoveEvent *event) {
  if (hasLocalFile(event->mimeData()))
    event->acceptProposedAction();
  else
    event->ignore();
}

void DropFileList::dropEvent(QDropEvent *event) {
  const QMimeData *mime = event->mimeData();
  if (!hasLocalFile(mime)) {
    event->ignore();
    Q_EMIT itemsRefused(tr("Only files on this computer can be added."));
    return;
  }
  QStringList local;
  int remote = 0;
  int missing = 0;
  for (const QUrl &url : mime->urls()) {
    if (!url.isLocalFile()) {
      ++remote;
      continue;
    }
    const QString path = url.toLocalFile();
    if (QFileInfo::exists(path))
      local.append(path);
    else
      ++missing;
  }
  addPaths(local);
  if (remote > 0)
    Q_EMIT itemsRefused(
        tr("%n item(s) were not files on this computer and were skipped.", "", remote));
  if (missing > 0)
    Q_EMIT itemsRefused(tr("%n file(s) no longer exist and were skipped.", "", missing));
  event->acceptProposedAction();
}

Qt::DropActions DropFileList::supportedDropActions() const {
  return Qt::CopyAction | Qt::LinkAction;
}

void DropFileList::removeSelected() {
  const auto selected = selectedItems();
  if (selected.isEmpty())
    return;
  qDeleteAll(selected);
  Q_EMIT filesRemoved();
}

} // namespace nesa::ui
