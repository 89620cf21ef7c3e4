#include "widgets/drop_views.hpp"

#include <QDrag>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileInfo>
#include <QHeaderView>
#include <QMimeData>

#include "models/directory_tree_model.hpp"
#include "models/remote_files_mime_data.hpp"

namespace ft::ui {

QStringList localFilesOf(const QMimeData* mime) {
  QStringList paths;
  if (!mime || !mime->hasUrls()) return paths;
  // Our own rows dragged back in are not uploads.
  if (qobject_cast<const RemoteFilesMimeData*>(mime)) return paths;
  for (const QUrl& url : mime->urls()) {
    if (url.isLocalFile()) paths << url.toLocalFile();
  }
  return paths;
}

bool isCompareDrop(const QStringList& paths, Qt::KeyboardModifiers modifiers) {
  return (modifiers & Qt::AltModifier) && paths.size() == 1 && QFileInfo(paths.first()).isDir();
}

FileTableView::FileTableView(QWidget* parent) : QTableView(parent) {
  setAcceptDrops(true);
  setDragEnabled(true);
  setDragDropMode(QAbstractItemView::DragDrop);
  setDefaultDropAction(Qt::CopyAction);
  setSelectionBehavior(QAbstractItemView::SelectRows);
  setSelectionMode(QAbstractItemView::ExtendedSelection);
  setSortingEnabled(true);
  setWordWrap(false);
  setShowGrid(false);
  setAlternatingRowColors(true);
  verticalHeader()->hide();
  // Fixed row heights keep scrolling 100,000 rows cheap.
  verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
  verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
  horizontalHeader()->setHighlightSections(false);
  horizontalHeader()->setStretchLastSection(false);
}

void FileTableView::dragEnterEvent(QDragEnterEvent* event) {
  // The whole table is one drop target: entering it is judged like moving in it.
  dragMoveEvent(event);
}

void FileTableView::dragMoveEvent(QDragMoveEvent* event) {
  if (!localFilesOf(event->mimeData()).isEmpty()) {
    event->setDropAction(Qt::CopyAction);
    event->accept();
  } else {
    event->ignore();
  }
}

void FileTableView::dropEvent(QDropEvent* event) {
  const QStringList paths = localFilesOf(event->mimeData());
  if (paths.isEmpty()) {
    event->ignore();
    return;
  }
  event->setDropAction(Qt::CopyAction);
  event->accept();
  if (isCompareDrop(paths, event->modifiers())) return emit compareDropped(paths.first());
  emit filesDropped(paths);
}

void FileTableView::startDrag(Qt::DropActions supportedActions) {
  Q_UNUSED(supportedActions);
  const QModelIndexList rows = selectionModel()->selectedRows(0);
  if (rows.isEmpty()) return;
  QMimeData* data = model()->mimeData(rows);
  if (!data) return;
  auto* drag = new QDrag(this);
  drag->setMimeData(data);
  drag->setPixmap(style()->standardIcon(QStyle::SP_FileIcon).pixmap(32, 32));
  drag->exec(Qt::CopyAction, Qt::CopyAction);
}

DirectoryTreeView::DirectoryTreeView(QWidget* parent) : QTreeView(parent) {
  setAcceptDrops(true);
  setDragDropMode(QAbstractItemView::DropOnly);
  setDefaultDropAction(Qt::CopyAction);
  setHeaderHidden(true);
  setUniformRowHeights(true);
}

void DirectoryTreeView::dragEnterEvent(QDragEnterEvent* event) {
  if (!localFilesOf(event->mimeData()).isEmpty()) {
    event->setDropAction(Qt::CopyAction);
    event->accept();
  } else {
    event->ignore();
  }
}

void DirectoryTreeView::dragMoveEvent(QDragMoveEvent* event) {
  const QModelIndex index = indexAt(event->position().toPoint());
  if (index.isValid() && !localFilesOf(event->mimeData()).isEmpty()) {
    event->setDropAction(Qt::CopyAction);
    event->accept();
  } else {
    event->ignore();
  }
}

void DirectoryTreeView::dropEvent(QDropEvent* event) {
  const QStringList paths = localFilesOf(event->mimeData());
  const QModelIndex index = indexAt(event->position().toPoint());
  const QString path = index.data(DirectoryTreeModel::PathRole).toString();
  if (paths.isEmpty() || path.isEmpty()) {
    event->ignore();
    return;
  }
  event->setDropAction(Qt::CopyAction);
  event->accept();
  if (isCompareDrop(paths, event->modifiers())) return emit compareDropped(paths.first(), path);
  emit filesDropped(paths, path);
}

}  // namespace ft::ui
