// Sorting and the filter box for the files table. Compares through
// FileTableModel::lessThan (collation keys, integers) rather than QVariants,
// and filters on the base name, case-insensitively.
#pragma once

#include <QSortFilterProxyModel>

namespace ft::ui {

class FileFilterProxy : public QSortFilterProxyModel {
  Q_OBJECT
 public:
  explicit FileFilterProxy(QObject* parent = nullptr);
  void setNameFilter(const QString& text);
  const QString& nameFilter() const { return filter_; }

 protected:
  bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;
  bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

 private:
  QString filter_;
};

}  // namespace ft::ui
