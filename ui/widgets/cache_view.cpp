#include "widgets/cache_view.hpp"

#include <QDialog>
#include <QDialogButtonBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QStyle>
#include <QTableView>
#include <QVBoxLayout>

#include "common/icons.hpp"
#include "common/size_format.hpp"
#include "session/profile_session.hpp"

namespace ft::ui {

CacheView::CacheView(ProfileSession* session, QWidget* parent) : QWidget(parent), session_(session) {
  auto* layout = new QVBoxLayout(this);
  auto* top = new QHBoxLayout();
  summary_ = new QLabel(this);
  summary_->setObjectName(QStringLiteral("cacheSummary"));
  summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  filter_ = new QLineEdit(this);
  filter_->setClearButtonEnabled(true);
  filter_->setMinimumWidth(260);
  filter_->setMaximumWidth(360);
  top->addWidget(summary_, 1);
  top->addWidget(filter_);
  layout->addLayout(top);

  proxy_ = new QSortFilterProxyModel(this);
  proxy_->setSourceModel(&model_);
  proxy_->setSortRole(CacheTableModel::SortRole);
  proxy_->setFilterKeyColumn(CacheTableModel::NameColumn);
  proxy_->setFilterCaseSensitivity(Qt::CaseInsensitive);
  view_ = new QTableView(this);
  view_->setObjectName(QStringLiteral("cacheTable"));
  view_->setModel(proxy_);
  view_->setSortingEnabled(true);
  view_->sortByColumn(CacheTableModel::LastUseColumn, Qt::DescendingOrder);
  view_->setSelectionBehavior(QAbstractItemView::SelectRows);
  view_->setSelectionMode(QAbstractItemView::ExtendedSelection);
  view_->setAlternatingRowColors(true);
  view_->setShowGrid(false);
  view_->setWordWrap(false);
  view_->verticalHeader()->hide();
  view_->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
  view_->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
  view_->horizontalHeader()->setSectionResizeMode(CacheTableModel::NameColumn, QHeaderView::Stretch);
  view_->horizontalHeader()->setStretchLastSection(false);
  view_->horizontalHeader()->resizeSection(CacheTableModel::VersionColumn, 250);
  view_->horizontalHeader()->resizeSection(CacheTableModel::SizeColumn, 100);
  view_->horizontalHeader()->resizeSection(CacheTableModel::LastUseColumn, 170);
  layout->addWidget(view_, 1);

  auto* bottom = new QHBoxLayout();
  reload_ = new QPushButton(style()->standardIcon(QStyle::SP_BrowserReload), QString(), this);
  remove_ = new QPushButton(style()->standardIcon(QStyle::SP_TrashIcon), QString(), this);
  cleanUp_ = new QPushButton(ownIcon(QStringLiteral("clean-up.svg"), QStyle::SP_DialogDiscardButton), QString(), this);
  cleanUp_->setObjectName(QStringLiteral("cleanUpButton"));
  cancel_ = new QPushButton(style()->standardIcon(QStyle::SP_DialogCancelButton), QString(), this);
  cancel_->hide();
  progress_ = new QProgressBar(this);
  progress_->hide();
  bottom->addWidget(reload_);
  bottom->addWidget(remove_);
  bottom->addWidget(cleanUp_);
  bottom->addStretch(1);
  bottom->addWidget(progress_);
  bottom->addWidget(cancel_);
  layout->addLayout(bottom);

  connect(reload_, &QPushButton::clicked, this, &CacheView::reload);
  connect(remove_, &QPushButton::clicked, this, &CacheView::removeSelected);
  connect(cleanUp_, &QPushButton::clicked, this, [this] { cleanUpToLimit(); });
  connect(cancel_, &QPushButton::clicked, this, [this] {
    if (cleaning_) cleaning_->cancel();
  });
  connect(filter_, &QLineEdit::textChanged, proxy_, &QSortFilterProxyModel::setFilterFixedString);
  connect(view_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
          [this] { remove_->setEnabled(!busy_ && view_->selectionModel()->hasSelection()); });
  retranslate();
  remove_->setEnabled(false);
}

void CacheView::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) retranslate();
  QWidget::changeEvent(event);
}

void CacheView::retranslate() {
  filter_->setPlaceholderText(tr("Filter cached files"));
  reload_->setText(tr("Re&load"));
  remove_->setText(tr("&Remove selected"));
  remove_->setToolTip(tr("Delete the selected files from the local cache (the server keeps them)"));
  cleanUp_->setText(tr("C&lean up to limit…"));
  cleanUp_->setToolTip(tr("Show which files the cache cleaner would delete to get under the limit, then do it"));
  cancel_->setText(tr("Cancel"));
  updateSummary();
}

void CacheView::updateSummary() {
  const qint64 total = model_.totalBytes();
  const qint64 limit = session_->profile().cacheLimit;
  QString text = tr("%n file(s), %1 of %2 limit", "", model_.rowCount()).arg(humanSize(total), humanSize(limit));
  if (total > limit) text += QStringLiteral(" — ") + tr("over the limit");
  summary_->setText(text);
  summary_->setToolTip(session_->cacheDirectory());
}

void CacheView::setBusy(bool busy, const QString& what) {
  busy_ = busy;
  reload_->setEnabled(!busy);
  cleanUp_->setEnabled(!busy);
  remove_->setEnabled(!busy && view_->selectionModel()->hasSelection());
  progress_->setVisible(busy);
  cancel_->setVisible(busy && cleaning_);
  progress_->setFormat(what + QStringLiteral(" %p%"));
  if (busy) progress_->setRange(0, 0);
}

void CacheView::reload() {
  if (busy_) {
    reloadPending_ = true;
    return;
  }
  reloadPending_ = false;
  setBusy(true, tr("Reading the cache…"));
  CacheJob* job = session_->cache()->scan();
  connect(job, &CacheJob::finished, this, [this, job] {
    model_.setEntries(job->entries());
    if (!job->succeeded()) summary_->setText(job->errors().join(QLatin1Char('\n')));
    setBusy(false);
    updateSummary();
    emit reloaded(model_.totalBytes(), model_.rowCount());
    if (reloadPending_) reload();
  });
}

void CacheView::removeSelected() {
  if (busy_) return;
  QStringList versioned;
  for (const QModelIndex& index : view_->selectionModel()->selectedRows()) {
    versioned << index.data(CacheTableModel::VersionedNameRole).toString();
  }
  if (versioned.isEmpty()) return;
  const bool ok = removeConfirmer_ ? removeConfirmer_(versioned)
                                   : QMessageBox::question(this, tr("Remove from cache"),
                                                           tr("Remove %n file(s) from the local cache? The server keeps them.", "",
                                                              int(versioned.size())) +
                                                               QStringLiteral("\n\n") +
                                                               versioned.mid(0, 15).join(QLatin1Char('\n')) +
                                                               (versioned.size() > 15 ? QStringLiteral("\n…") : QString())) ==
                                         QMessageBox::Yes;
  if (!ok) return;
  setBusy(true, tr("Removing…"));
  CacheJob* job = session_->cache()->remove(versioned);
  const int asked = int(versioned.size());
  connect(job, &CacheJob::finished, this, [this, job, asked] {
    setBusy(false);
    if (!job->succeeded() && !removeConfirmer_) {
      QMessageBox::warning(this, tr("Remove from cache"), job->errors().join(QLatin1Char('\n')));
    }
    emit removed(asked - int(job->errors().size()), job->errors());
    emit cacheChanged();
    reload();
  });
}

bool CacheView::defaultPlanConfirmer(const QStringList& names, qint64 bytes) {
  QDialog dialog(this);
  dialog.setWindowTitle(tr("Clean up the cache"));
  auto* layout = new QVBoxLayout(&dialog);
  auto* label = new QLabel(tr("These %n file(s), %1 in all, will be deleted from the local cache "
                              "(the oldest versions first):",
                              "", int(names.size()))
                               .arg(humanSize(bytes)),
                           &dialog);
  label->setWordWrap(true);
  layout->addWidget(label);
  auto* list = new QListWidget(&dialog);
  list->addItems(names);
  layout->addWidget(list);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
  buttons->button(QDialogButtonBox::Ok)->setText(tr("Delete them"));
  connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
  layout->addWidget(buttons);
  dialog.resize(560, 420);
  return dialog.exec() == QDialog::Accepted;
}

void CacheView::cleanUpToLimit(bool confirm) {
  if (busy_) return;
  setBusy(true, tr("Planning…"));
  CacheJob* planning = session_->cache()->planCleanUp();
  connect(planning, &CacheJob::finished, this, [this, planning, confirm] {
    setBusy(false);
    if (!planning->succeeded()) {
      QMessageBox::warning(this, tr("Clean up the cache"), planning->errors().join(QLatin1Char('\n')));
      return;
    }
    const CleanUpPlan& plan = planning->plan();
    if (plan.isEmpty()) {
      if (!confirm) return;
      if (!confirmer_) {
        QMessageBox::information(this, tr("Clean up the cache"),
                                 tr("The cache holds %1, within its limit of %2: nothing to delete.")
                                     .arg(humanSize(plan.totalBytes), humanSize(plan.limit)));
      } else {
        confirmer_({}, 0);
      }
      return;
    }
    const bool go = !confirm || (confirmer_ ? confirmer_(plan.names, plan.bytes) : defaultPlanConfirmer(plan.names, plan.bytes));
    if (!go) return;
    cleaning_ = session_->cache()->cleanUp(plan);
    setBusy(true, tr("Deleting…"));
    progress_->setRange(0, int(plan.names.size()));
    connect(cleaning_, &CacheJob::progress, progress_, &QProgressBar::setValue);
    connect(cleaning_, &CacheJob::finished, this, [this, job = cleaning_.data()] {
      cleaning_.clear();
      setBusy(false);
      if (!job->succeeded()) QMessageBox::warning(this, tr("Clean up the cache"), job->errors().join(QLatin1Char('\n')));
      emit cacheChanged();
      reload();
    });
  });
}

}  // namespace ft::ui
