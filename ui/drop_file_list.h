// The list that files are dropped onto: accepts local files and folders, shows what they are.
#pragma once

#include <QListWidget>
#include <QStringList>

namespace nesa::ui {

/// A list of input files. Accepts drops of local files and folders (a DICOM series is a
/// folder); refuses remote URLs and anything that no longer exists; never lists a file twice.
class DropFileList : public QListWidget {
  Q_OBJECT
public:
  explicit DropFileList(QWidget *parent = nullptr);

  /// Adds existing local paths not yet listed; returns the ones actually added.
  QStringList addPaths(const QStringList &paths);
  /// Every listed path, in display order.
  QStringList paths() const;
  /// Removes the selected entries.
  void removeSelected();

Q_SIGNALS:
  /// Emitted after files were added by a drop or by addPaths.
  void filesAdded(const QStringList &paths);
  /// Emitted after entries were removed.
  void filesRemoved();
  /// Emitted when some dropped items were refused, with a sentence saying why.
  void itemsRefused(const QString &why);

protected:
  void dragEnterEvent(QDragEnterEvent *event) override;
  void dragMoveEvent(QDragMoveEvent *event) override;
  void dropEvent(QDropEvent *event) override;
  Qt::DropActions supportedDropActions() const override;
};

} // namespace nesa::ui
