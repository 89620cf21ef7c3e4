// The filter box for the files table: filters on the base name,
// case-insensitively; a text with a wildcard (*, ?, [...]) is a glob that
// must match the whole name ("*.out", "1?.in"), any other text a part of it. Sorting is forwarded to FileTableModel, which sorts its
// rows itself (natural keys, integers; prepared off the GUI thread when a
// directory loads), so the proxy never sorts 100,000 rows through QVariants.
#pragma once

#include <QRegularExpression>
#include <QSortFilterProxyModel>

namespace ft::ui {

class FileFilterProxy : public QSortFilterProxyModel {
  Q_OBJECT
 public:
  explicit FileFilterProxy(QObject* parent = nullptr);
  void setNameFilter(const QString& text);
  void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;
  const QString& nameFilter() const { return filter_; }

 protected:
  bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;
  bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

 private:
  QString filter_;
  QRegularExpression glob_;  // valid when filter_ has wildcards
};

}  // namespace ft::ui
