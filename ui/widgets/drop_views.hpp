// The Remote view's table and tree, accepting files and folders dropped from
// the desktop's file manager (local file URLs). Rows dragged out of the table
// carry RemoteFilesMimeData (see FileTableModel::mimeData).
#pragma once

#include <QTableView>
#include <QTreeView>
#include <QUrl>

namespace ft::ui {

// Local files among a drop's URLs (nothing when there are none).
QStringList localFilesOf(const QMimeData* mime);
// One local folder dropped with Alt held: compare it instead of uploading it.
bool isCompareDrop(const QStringList& paths, Qt::KeyboardModifiers modifiers);

class FileTableView : public QTableView {
  Q_OBJECT
 public:
  explicit FileTableView(QWidget* parent = nullptr);

 signals:
  void filesDropped(const QStringList& localPaths);
  // A local folder dropped with Alt (isCompareDrop).
  void compareDropped(const QString& localFolder);

 protected:
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dragMoveEvent(QDragMoveEvent* event) override;
  void dropEvent(QDropEvent* event) override;
  void startDrag(Qt::DropActions supportedActions) override;
};

class DirectoryTreeView : public QTreeView {
  Q_OBJECT
 public:
  explicit DirectoryTreeView(QWidget* parent = nullptr);

 signals:
  // Dropped onto the directory `path` (the item under the cursor).
  void filesDropped(const QStringList& localPaths, const QString& path);
  void compareDropped(const QString& localFolder, const QString& path);

 protected:
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dragMoveEvent(QDragMoveEvent* event) override;
  void dropEvent(QDropEvent* event) override;
};

}  // namespace ft::ui
