#include "models/file_filter_proxy.hpp"

#include "models/file_table_model.hpp"

namespace ft::ui {

FileFilterProxy::FileFilterProxy(QObject* parent) : QSortFilterProxyModel(parent) {
  setSortCaseSensitivity(Qt::CaseInsensitive);
}

void FileFilterProxy::setNameFilter(const QString& text) {
  if (filter_ == text) return;
  const auto apply = [&] {
    filter_ = text;
    const bool wildcards = text.contains(QLatin1Char('*')) || text.contains(QLatin1Char('?')) || text.contains(QLatin1Char('['));
    glob_ = wildcards ? QRegularExpression(QRegularExpression::wildcardToRegularExpression(text),
                                           QRegularExpression::CaseInsensitiveOption)
                      : QRegularExpression();
  };
#if QT_VERSION >= QT_VERSION_CHECK(6, 9, 0)
  beginFilterChange();
  apply();
  endFilterChange();
#else
  apply();
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
    const QString& name = model->row(sourceRow).baseName;
    if (!glob_.pattern().isEmpty() && glob_.isValid()) return glob_.match(name).hasMatch();
    return name.contains(filter_, Qt::CaseInsensitive);
  }
  return QSortFilterProxyModel::filterAcceptsRow(sourceRow, sourceParent);
}

}  // namespace ft::ui
