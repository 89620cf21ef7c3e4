#include "widgets/search_view.hpp"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

#include "filetracker/error.hpp"
#include "filetracker/size_string.hpp"
#include "models/file_table_model.hpp"
#include "models/search_results_model.hpp"
#include "session/profile_session.hpp"
#include "session/remote_browser.hpp"
#include "store/store_backend.hpp"
#include "store/store_find.hpp"
#include "widgets/drop_views.hpp"

namespace ft::ui {

namespace {

// "100" is bytes; "10K", "1M512K" as the cache cleaner reads sizes.
std::optional<std::uint64_t> sizeOf(const QString& text, QString* error) {
  const QString t = text.trimmed();
  if (t.isEmpty()) return std::nullopt;
  bool digits = false;
  const qulonglong plain = t.toULongLong(&digits);
  if (digits) return plain;
  try {
    return ft::parse_size(t.toStdString());
  } catch (const std::exception& e) {
    *error = QString::fromStdString(e.what());
    return std::nullopt;
  }
}

}  // namespace

SearchView::SearchView(ProfileSession* session, RemoteBrowser* browser, QWidget* parent)
    : QWidget(parent), session_(session), browser_(browser) {
  setObjectName(QStringLiteral("searchView"));
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(4);

  auto* row = new QHBoxLayout();
  pattern_ = new QLineEdit(this);
  pattern_->setObjectName(QStringLiteral("searchPattern"));
  pattern_->setClearButtonEnabled(true);
  scope_ = new QComboBox(this);
  scope_->setObjectName(QStringLiteral("searchScope"));
  scope_->addItems({QString(), QString()});
  start_ = new QPushButton(this);
  start_->setObjectName(QStringLiteral("searchStart"));
  start_->setDefault(true);
  cancel_ = new QPushButton(this);
  cancel_->setObjectName(QStringLiteral("searchCancel"));
  cancel_->setEnabled(false);
  close_ = new QToolButton(this);
  close_->setObjectName(QStringLiteral("searchClose"));
  close_->setIcon(style()->standardIcon(QStyle::SP_DialogCloseButton));
  close_->setAutoRaise(true);
  row->addWidget(pattern_, 1);
  row->addWidget(scope_);
  row->addWidget(start_);
  row->addWidget(cancel_);
  row->addWidget(close_);
  layout->addLayout(row);

  auto* bounds = new QHBoxLayout();
  minLabel_ = new QLabel(this);
  minSize_ = new QLineEdit(this);
  minSize_->setObjectName(QStringLiteral("searchMinSize"));
  minSize_->setMaximumWidth(90);
  maxLabel_ = new QLabel(this);
  maxSize_ = new QLineEdit(this);
  maxSize_->setObjectName(QStringLiteral("searchMaxSize"));
  maxSize_->setMaximumWidth(90);
  minLabel_->setBuddy(minSize_);
  maxLabel_->setBuddy(maxSize_);
  const QDateTime now = QDateTime::currentDateTime();
  newerCheck_ = new QCheckBox(this);
  newerCheck_->setObjectName(QStringLiteral("searchNewerOn"));
  newer_ = new QDateTimeEdit(now.addDays(-7), this);
  newer_->setObjectName(QStringLiteral("searchNewer"));
  newer_->setCalendarPopup(true);
  newer_->setEnabled(false);
  olderCheck_ = new QCheckBox(this);
  olderCheck_->setObjectName(QStringLiteral("searchOlderOn"));
  older_ = new QDateTimeEdit(now, this);
  older_->setObjectName(QStringLiteral("searchOlder"));
  older_->setCalendarPopup(true);
  older_->setEnabled(false);
  connect(newerCheck_, &QCheckBox::toggled, newer_, &QWidget::setEnabled);
  connect(olderCheck_, &QCheckBox::toggled, older_, &QWidget::setEnabled);
  bounds->addWidget(minLabel_);
  bounds->addWidget(minSize_);
  bounds->addWidget(maxLabel_);
  bounds->addWidget(maxSize_);
  bounds->addSpacing(12);
  bounds->addWidget(newerCheck_);
  bounds->addWidget(newer_);
  bounds->addWidget(olderCheck_);
  bounds->addWidget(older_);
  bounds->addStretch(1);
  layout->addLayout(bounds);

  status_ = new QLabel(this);
  status_->setObjectName(QStringLiteral("searchStatus"));
  status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(status_);

  model_ = new SearchResultsModel(this);
  proxy_ = new QSortFilterProxyModel(this);
  proxy_->setSourceModel(model_);
  proxy_->setSortRole(SearchResultsModel::SortRole);
  proxy_->setSortCaseSensitivity(Qt::CaseSensitive);
  results_ = new FileTableView(this);
  results_->setObjectName(QStringLiteral("searchResults"));
  results_->setModel(proxy_);
  results_->setSortingEnabled(true);
  results_->sortByColumn(-1, Qt::AscendingOrder);  // the order found (name order) until the user sorts
  results_->setAcceptDrops(false);
  results_->setContextMenuPolicy(Qt::CustomContextMenu);
  QHeaderView* header = results_->horizontalHeader();
  header->setSectionResizeMode(SearchResultsModel::NameColumn, QHeaderView::Stretch);
  header->resizeSection(SearchResultsModel::VersionColumn, 250);
  header->resizeSection(SearchResultsModel::SizeColumn, 100);
  header->setStretchLastSection(false);
  layout->addWidget(results_, 1);

  reveal_ = new QAction(this);
  reveal_->setObjectName(QStringLiteral("searchReveal"));
  reveal_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_J));
  reveal_->setShortcutContext(Qt::WidgetWithChildrenShortcut);
  reveal_->setEnabled(false);
  results_->addAction(reveal_);
  connect(reveal_, &QAction::triggered, this, [this] {
    const QModelIndexList rows = results_->selectionModel()->selectedRows(SearchResultsModel::NameColumn);
    const QModelIndex current = results_->currentIndex();
    const QModelIndex which = current.isValid() && results_->selectionModel()->isRowSelected(current.row())
                                  ? current
                                  : (rows.isEmpty() ? QModelIndex() : rows.first());
    if (which.isValid()) emit revealRequested(which.siblingAtColumn(0).data(FileTableModel::FullNameRole).toString());
  });
  connect(results_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
          [this] { reveal_->setEnabled(results_->selectionModel()->hasSelection()); });

  connect(pattern_, &QLineEdit::returnPressed, this, &SearchView::start);
  connect(minSize_, &QLineEdit::returnPressed, this, &SearchView::start);
  connect(maxSize_, &QLineEdit::returnPressed, this, &SearchView::start);
  connect(start_, &QPushButton::clicked, this, &SearchView::start);
  connect(cancel_, &QPushButton::clicked, this, &SearchView::cancel);
  connect(close_, &QToolButton::clicked, this, &SearchView::closeRequested);
  retranslate();
}

SearchView::~SearchView() {
  if (!job_) return;
  disconnect(job_, nullptr, this, nullptr);  // no slot of a half-destroyed view
  job_->cancel();
}

void SearchView::retranslate() {
  pattern_->setPlaceholderText(tr("Name pattern, e.g. *.out or /problems/*/tests/1*.in"));
  pattern_->setToolTip(tr("* matches within a name part, ** across folders, ? one character, [a-z] a set.\n"
                          "Without a slash the pattern matches file names at any depth."));
  scope_->setItemText(0, tr("In the current folder"));
  scope_->setItemText(1, tr("In the whole store"));
  start_->setText(tr("&Search"));
  cancel_->setText(tr("Cancel"));
  close_->setToolTip(tr("Close the search (Esc)"));
  minLabel_->setText(tr("Size from"));
  maxLabel_->setText(tr("to"));
  minSize_->setPlaceholderText(tr("e.g. 10K"));
  maxSize_->setPlaceholderText(tr("e.g. 1M"));
  newerCheck_->setText(tr("Changed after"));
  olderCheck_->setText(tr("before"));
  reveal_->setText(tr("Open Containing &Folder"));
  updateStatus();
}

std::optional<ft::FindQuery> SearchView::query(QString* error) const {
  ft::FindQuery q;
  const QString pattern = pattern_->text().trimmed();
  q.pattern = pattern.isEmpty() ? std::string("*") : pattern.toStdString();
  QString why;
  q.min_size = sizeOf(minSize_->text(), &why);
  if (why.isEmpty()) q.max_size = sizeOf(maxSize_->text(), &why);
  if (!why.isEmpty()) {
    *error = why;
    return std::nullopt;
  }
  if (q.min_size && q.max_size && *q.min_size > *q.max_size) {
    *error = tr("the smallest size is above the largest");
    return std::nullopt;
  }
  if (newerCheck_->isChecked()) q.newer = newer_->dateTime().toSecsSinceEpoch();
  if (olderCheck_->isChecked()) q.older = older_->dateTime().toSecsSinceEpoch();
  if (q.newer && q.older && *q.newer >= *q.older) {
    *error = tr("the date range is empty: \"after\" is not before \"before\"");
    return std::nullopt;
  }
  return q;
}

void SearchView::start() {
  StoreBackend* store = session_->store();
  if (!store || !session_->isReady()) {
    status_->setText(tr("Not connected to a store."));
    return;
  }
  QString error;
  const auto q = query(&error);
  if (!q) {
    status_->setText(tr("Cannot search: %1").arg(error));
    return;
  }
  cancel();
  const QString where = scope_->currentIndex() == 1 || browser_->currentDirectory().isEmpty()
                            ? QStringLiteral("/")
                            : browser_->currentDirectory();
  FindJob* job = startFind(store, where, *q);
  where_ = where;
  truncated_ = false;
  outcome_.clear();
  model_->clear();
  job_ = job;
  connect(job, &FindJob::filesFound, this, [this, job](const QVector<RemoteFile>& files) {
    if (job != job_.data()) return;
    const qsizetype room = kMaxResults - model_->rowCount();
    model_->append(room >= files.size() ? files : files.mid(0, room));
    if (model_->rowCount() >= kMaxResults) {
      truncated_ = true;
      job->cancel();
    }
    updateStatus();
  });
  connect(job, &StoreJob::finished, this, [this, job] { finish(job); });
  cancel_->setEnabled(true);
  updateStatus();
}

void SearchView::finish(StoreJob* job) {
  if (job != job_.data()) return;
  job_ = nullptr;
  cancel_->setEnabled(false);
  const int shown = model_->rowCount();
  if (truncated_)
    outcome_ = tr("stopped at %L1 matches: narrow the pattern to see the rest").arg(kMaxResults);
  else if (job->wasCancelled())
    outcome_ = tr("cancelled");
  else if (!job->succeeded())
    outcome_ = job->errorString();
  else
    outcome_ = tr("done");
  updateStatus();
  emit searchFinished(shown);
}

void SearchView::cancel() {
  if (job_) job_->cancel();  // finish() follows from its finished()
}

void SearchView::reset() {
  if (job_) {
    disconnect(job_, nullptr, this, nullptr);  // its finished() is not this search's any more
    StoreJob* job = job_;
    job_ = nullptr;
    job->cancel();
  }
  cancel_->setEnabled(false);
  model_->clear();
  outcome_.clear();
  truncated_ = false;
  updateStatus();
}

void SearchView::forget(const QStringList& names) {
  model_->remove(names);
  updateStatus();
}

void SearchView::updateStatus() {
  if (!job_ && outcome_.isEmpty()) {
    status_->setText(tr("Type a pattern and press Enter."));
    return;
  }
  const QString found = tr("%Ln match(es) in %1", "", model_->rowCount()).arg(where_);
  status_->setText(job_ ? tr("%1 — searching…").arg(found) : tr("%1 — %2").arg(found, outcome_));
}

void SearchView::keyPressEvent(QKeyEvent* event) {
  if (event->key() == Qt::Key_Escape) {
    if (job_) cancel();
    else emit closeRequested();
    event->accept();
    return;
  }
  QWidget::keyPressEvent(event);
}

}  // namespace ft::ui
