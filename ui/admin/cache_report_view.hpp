// A read-only window on a cache report (File → Open cache report…): which
// machine and cache it describes, when it was written, the files (name,
// version, size, last use when reported) sortable and filterable, and the
// total. Nothing in it acts on any cache.
#pragma once

#include <QWidget>

#include "admin/cache_report.hpp"

class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

namespace ft::ui {

class CacheTableModel;

class CacheReportView : public QWidget {
  Q_OBJECT
 public:
  CacheReportView(const CacheReport& report, QWidget* parent = nullptr);
  QTableView* view() const { return view_; }
  QLabel* summaryLabel() const { return summary_; }
  QLineEdit* filter() const { return filter_; }

 private:
  QLabel* summary_;
  QLineEdit* filter_;
  QTableView* view_;
  CacheTableModel* model_;
  QSortFilterProxyModel* proxy_;
};

}  // namespace ft::ui
