#include "models/file_filter_proxy.hpp"

#include "models/file_table_model.hpp"

namespace ft::ui {

FileFilterProxy::FileFilterProxy(QObject* parent) : QSortFilterProxyModel(parent) {
  setSortCaseSensitivity(Qt::CaseInsensitive);
}

void FileFilterProxy::setNameFilter(const QString& text) {
  if (filter_ == text) return;
#if QT_VERSION >= QT_VERSION_CHECK(6, 9, 0)
  beginFilterChange();
  filter_ = text;
  endFilterChange();
#else
  filter_ = text;
  invalidateFilter();
#endif
}

void FileFilterProxy::sort(int column, Qt::SortOrder order) {
  if (auto* model = qobject_cast<FileTableModel*>(sourceModel())) {
    model->sort(column, order);  // the proxy keeps the source order
    return;
  }
  QSortFilterProxyModel::sort(column, order);
}

bool FileFilterProxy::lessThan(const QModelIndex& left, const QModelIndex& right) const {
  if (const auto* model = qobject_cast<const FileTableModel*>(sourceModel())) {
    return model->lessThan(left.row(), right.row(), left.column());
  }
  return QSortFilterProxyModel::lessThan(left, right);
}

bool FileFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const {
  if (filter_.isEmpty()) return true;
  if (const auto* model = qobject_cast<const FileTableModel*>(sourceModel())) {
    return model->row(sourceRow).baseName.contains(filter_, Qt::CaseInsensitive);
  }
  return QSortFilterProxyModel::filterAcceptsRow(sourceRow, sourceParent);
}

}  // namespace ft::ui
