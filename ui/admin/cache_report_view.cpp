#include "admin/cache_report_view.hpp"

#include <QDateTime>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

#include "common/size_format.hpp"
#include "models/cache_table_model.hpp"

namespace ft::ui {

CacheReportView::CacheReportView(const CacheReport& report, QWidget* parent) : QWidget(parent, Qt::Window) {
  setObjectName(QStringLiteral("cacheReportView"));
  setWindowTitle(tr("Cache report %1").arg(QFileInfo(report.path).fileName()));
  auto* layout = new QVBoxLayout(this);
  summary_ = new QLabel(this);
  summary_->setObjectName(QStringLiteral("cacheReportSummary"));
  summary_->setWordWrap(true);
  summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  const QString where = report.host.isEmpty() ? report.cache
                        : report.cache.isEmpty() ? report.host
                                                 : tr("%1 on %2").arg(report.cache, report.host);
  const QString when = report.generated >= 0
                           ? QLocale().toString(QDateTime::fromSecsSinceEpoch(report.generated), QLocale::ShortFormat)
                           : tr("an unknown time");
  summary_->setText(tr("%1, reported at %2: %n file(s), %3 (read-only)", "", int(report.files.size()))
                        .arg(where.isEmpty() ? tr("A cache") : where, when, humanSize(report.totalBytes())));
  if (report.inUse > 0)
    summary_->setText(summary_->text() + QLatin1Char(' ') + tr("%n file(s) were in use.", "", report.inUse));
  layout->addWidget(summary_);
  filter_ = new QLineEdit(this);
  filter_->setObjectName(QStringLiteral("cacheReportFilter"));
  filter_->setPlaceholderText(tr("Filter by name"));
  filter_->setClearButtonEnabled(true);
  layout->addWidget(filter_);
  model_ = new CacheTableModel(this);
  model_->setEntries(report.files);
  proxy_ = new QSortFilterProxyModel(this);
  proxy_->setSourceModel(model_);
  proxy_->setSortRole(CacheTableModel::SortRole);
  proxy_->setFilterKeyColumn(CacheTableModel::NameColumn);
  proxy_->setFilterCaseSensitivity(Qt::CaseInsensitive);
  view_ = new QTableView(this);
  view_->setObjectName(QStringLiteral("cacheReportTable"));
  view_->setModel(proxy_);
  view_->setSortingEnabled(true);
  view_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  view_->setSelectionBehavior(QAbstractItemView::SelectRows);
  view_->verticalHeader()->hide();
  view_->horizontalHeader()->setSectionResizeMode(CacheTableModel::NameColumn, QHeaderView::Stretch);
  view_->sortByColumn(CacheTableModel::NameColumn, Qt::AscendingOrder);
  // The report says for no file when it was last read: no empty column.
  view_->setColumnHidden(CacheTableModel::LastUseColumn, !report.hasLastUse);
  layout->addWidget(view_, 1);
  connect(filter_, &QLineEdit::textChanged, proxy_, &QSortFilterProxyModel::setFilterFixedString);
  resize(800, 560);
}

}  // namespace ft::ui
