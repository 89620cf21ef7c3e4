#include "widgets/compare_dialog.hpp"

#include <QCheckBox>
#include <QCloseEvent>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QDir>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QSortFilterProxyModel>
#include <QStandardItemModel>
#include <QTreeView>
#include <QVBoxLayout>

#include "common/size_format.hpp"
#include "session/folder_comparer.hpp"
#include "session/folder_sync.hpp"
#include "session/profile_session.hpp"

namespace ft::ui {

namespace {

constexpr SyncStatus kShown[4] = {SyncStatus::OnlyLocal, SyncStatus::OnlyRemote, SyncStatus::Differs, SyncStatus::Same};

QColor colourOf(SyncStatus status) {
  switch (status) {
    case SyncStatus::OnlyLocal: return QColor(0x1f, 0x6f, 0xc5);
    case SyncStatus::OnlyRemote: return QColor(0x8a, 0x4b, 0xaf);
    case SyncStatus::Differs: return QColor(0xc0, 0x5a, 0x00);
    default: return {};
  }
}

}  // namespace

CompareDialog::CompareDialog(ProfileSession* session, QString localFolder, QString remoteDirectory, QWidget* parent)
    : QDialog(parent),
      session_(session),
      localFolder_(QDir::cleanPath(std::move(localFolder))),
      remoteDirectory_(std::move(remoteDirectory)),
      sides_(new QLabel(this)),
      view_(new QTreeView(this)),
      model_(new QStandardItemModel(0, ColumnCount, this)),
      proxy_(new QSortFilterProxyModel(this)),
      status_(new QLabel(this)),
      progress_(new QProgressBar(this)),
      cancel_(new QPushButton(this)),
      compareAgain_(new QPushButton(this)),
      upload_(new QPushButton(this)),
      deleteRemote_(new QCheckBox(this)),
      download_(new QPushButton(this)),
      deleteLocal_(new QCheckBox(this)),
      close_(new QPushButton(this)) {
  setObjectName(QStringLiteral("compareDialog"));
  resize(820, 560);
  sides_->setTextFormat(Qt::PlainText);
  sides_->setWordWrap(true);

  proxy_->setSourceModel(model_);
  proxy_->setFilterRole(StatusRole);
  proxy_->setFilterKeyColumn(NameColumn);
  proxy_->setSortRole(Qt::DisplayRole);
  view_->setObjectName(QStringLiteral("compareView"));
  view_->setModel(proxy_);
  view_->setRootIsDecorated(false);
  view_->setUniformRowHeights(true);  // thousands of rows stay quick
  view_->setSortingEnabled(true);
  view_->sortByColumn(NameColumn, Qt::AscendingOrder);
  view_->setSelectionMode(QAbstractItemView::ExtendedSelection);
  view_->header()->setStretchLastSection(false);
  view_->header()->setSectionResizeMode(NameColumn, QHeaderView::Stretch);

  auto* filters = new QHBoxLayout;
  for (int i = 0; i < 4; ++i) {
    filters_[i] = new QCheckBox(this);
    filters_[i]->setChecked(true);
    connect(filters_[i], &QCheckBox::toggled, this, &CompareDialog::applyFilter);
    filters->addWidget(filters_[i]);
  }
  filters_[0]->setObjectName(QStringLiteral("filterOnlyLocal"));
  filters_[1]->setObjectName(QStringLiteral("filterOnlyRemote"));
  filters_[2]->setObjectName(QStringLiteral("filterDiffers"));
  filters_[3]->setObjectName(QStringLiteral("filterSame"));
  filters->addStretch();

  auto* progressRow = new QHBoxLayout;
  status_->setObjectName(QStringLiteral("compareStatus"));
  status_->setTextFormat(Qt::PlainText);
  progressRow->addWidget(status_, 1);
  progressRow->addWidget(progress_);
  cancel_->setObjectName(QStringLiteral("cancelButton"));
  progressRow->addWidget(cancel_);
  compareAgain_->setObjectName(QStringLiteral("compareAgainButton"));
  progressRow->addWidget(compareAgain_);

  auto* actions = new QHBoxLayout;
  upload_->setObjectName(QStringLiteral("uploadButton"));
  deleteRemote_->setObjectName(QStringLiteral("deleteRemoteExtras"));
  download_->setObjectName(QStringLiteral("downloadButton"));
  deleteLocal_->setObjectName(QStringLiteral("deleteLocalExtras"));
  actions->addWidget(upload_);
  actions->addWidget(deleteRemote_);
  actions->addSpacing(24);
  actions->addWidget(download_);
  actions->addWidget(deleteLocal_);
  actions->addStretch();
  actions->addWidget(close_);

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(sides_);
  layout->addLayout(filters);
  layout->addWidget(view_, 1);
  layout->addLayout(progressRow);
  layout->addLayout(actions);

  connect(cancel_, &QPushButton::clicked, this, [this] {
    if (comparer_) comparer_->cancel();
    if (sync_) sync_->cancel();
  });
  connect(compareAgain_, &QPushButton::clicked, this, &CompareDialog::compare);
  connect(upload_, &QPushButton::clicked, this, [this] { runSync(SyncDirection::Upload); });
  connect(download_, &QPushButton::clicked, this, [this] { runSync(SyncDirection::Download); });
  connect(close_, &QPushButton::clicked, this, &QDialog::close);
  connect(session_, &ProfileSession::storeChanged, this, &QDialog::close);  // the folder was another store's

  retranslate();
  applyFilter();
  compare();
}

CompareDialog::~CompareDialog() {
  if (sync_) sync_->cancel();
  delete comparer_;  // waits for its worker
}

bool CompareDialog::isComparing() const { return comparer_ && comparer_->isRunning(); }
bool CompareDialog::isSyncing() const { return sync_ && sync_->isRunning(); }

QCheckBox* CompareDialog::filter(SyncStatus status) const {
  for (int i = 0; i < 4; ++i)
    if (kShown[i] == status) return filters_[i];
  return nullptr;
}

int CompareDialog::count(SyncStatus status) const {
  return int(std::count_if(items_.begin(), items_.end(), [status](const SyncItem& i) { return i.status == status; }));
}

SyncPlan CompareDialog::plan(SyncDirection direction) const {
  const bool extras = direction == SyncDirection::Upload ? deleteRemote_->isChecked() : deleteLocal_->isChecked();
  return plan_sync(items_, direction, extras);
}

void CompareDialog::compare() {
  if (isComparing() || isSyncing()) return;
  delete comparer_;
  items_.clear();
  error_.clear();
  model_->removeRows(0, model_->rowCount());
  comparer_ = new FolderComparer(session_->store(), localFolder_, remoteDirectory_, this);
  connect(comparer_, &FolderComparer::progress, this, [this](FolderComparer::Phase phase, qint64 done, qint64 total) {
    progress_->setRange(0, total > 0 ? 1000 : 0);  // 0..0: busy
    if (total > 0) progress_->setValue(int(done * 1000 / total));
    switch (phase) {
      case FolderComparer::Phase::Scanning: status_->setText(tr("Reading both folders…")); break;
      case FolderComparer::Phase::Asking:
        status_->setText(tr("Asking the server about %1 of %2 files…").arg(done).arg(total));
        break;
      case FolderComparer::Phase::Fetching:
        status_->setText(tr("Reading %1 of %2 files from the server to compare them (it sends no checksums)…").arg(done).arg(total));
        break;
      case FolderComparer::Phase::Hashing:
        status_->setText(tr("Comparing contents: %1 of %2 hashed…").arg(humanSize(done), humanSize(total)));
        break;
      case FolderComparer::Phase::Done: break;
    }
  });
  connect(comparer_, &FolderComparer::finished, this, &CompareDialog::comparerEnded);
  comparer_->start();
  if (isComparing()) updateButtons();  // else it ended already (comparerEnded)
}

void CompareDialog::comparerEnded() {
  progress_->setRange(0, 1);
  progress_->setValue(comparer_->wasCancelled() ? 0 : 1);
  if (comparer_->wasCancelled()) {
    status_->setText(tr("Comparison cancelled."));
  } else if (!comparer_->errorString().isEmpty()) {
    error_ = comparer_->errorString();
    status_->setText(tr("Cannot compare: %1").arg(error_));
  } else {
    items_ = comparer_->items();
    fill();
    const int differ = count(SyncStatus::OnlyLocal) + count(SyncStatus::OnlyRemote) + count(SyncStatus::Differs);
    status_->setText(differ == 0 ? tr("Both folders hold the same %n file(s).", "", int(items_.size()))
                                 : tr("%n file(s) differ.", "", differ));
  }
  updateCounts();
  updateButtons();
  emit compareFinished();
}

void CompareDialog::fill() {
  model_->removeRows(0, model_->rowCount());
  view_->setSortingEnabled(false);
  for (const SyncItem& item : items_) {
    QList<QStandardItem*> row;
    auto* name = new QStandardItem(QString::fromStdString(item.relative));
    name->setData(int(item.status), StatusRole);
    auto* status = new QStandardItem(statusText(item.status));
    if (colourOf(item.status).isValid()) status->setForeground(colourOf(item.status));
    auto* localSize = new QStandardItem(item.local ? humanSize(qint64(item.local->size)) : QString());
    auto* remoteSize = new QStandardItem(item.remote ? humanSize(qint64(item.remote->size)) : QString());
    localSize->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    remoteSize->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    if (item.remote && item.remote->version > 0)
      remoteSize->setToolTip(tr("Version %1 (%2)")
                                 .arg(item.remote->version)
                                 .arg(QLocale().toString(QDateTime::fromSecsSinceEpoch(qint64(item.remote->version)), QLocale::ShortFormat)));
    row << name << status << localSize << remoteSize;
    for (QStandardItem* cell : row) cell->setEditable(false);
    model_->appendRow(row);
  }
  view_->setSortingEnabled(true);
  view_->resizeColumnToContents(StatusColumn);
}

void CompareDialog::applyFilter() {
  QStringList shown;
  for (int i = 0; i < 4; ++i)
    if (filters_[i]->isChecked()) shown << QString::number(int(kShown[i]));
  proxy_->setFilterRegularExpression(QRegularExpression(
      shown.isEmpty() ? QStringLiteral("^$") : QStringLiteral("^(%1)$").arg(shown.join(QLatin1Char('|')))));
}

void CompareDialog::updateCounts() {
  filters_[0]->setText(tr("Only local (%1)").arg(count(SyncStatus::OnlyLocal)));
  filters_[1]->setText(tr("Only on the server (%1)").arg(count(SyncStatus::OnlyRemote)));
  filters_[2]->setText(tr("Differs (%1)").arg(count(SyncStatus::Differs)));
  filters_[3]->setText(tr("Same (%1)").arg(count(SyncStatus::Same)));
}

void CompareDialog::updateButtons() {
  const bool busy = isComparing() || isSyncing();
  const bool compared = !busy && error_.isEmpty() && comparer_ && !comparer_->wasCancelled();
  const bool writable = !session_->access() || session_->access()->uploadRefusal(remoteDirectory_).isEmpty();
  upload_->setEnabled(compared && writable);
  download_->setEnabled(compared);
  deleteRemote_->setEnabled(!busy);
  deleteLocal_->setEnabled(!busy);
  compareAgain_->setEnabled(!busy);
  cancel_->setEnabled(busy);
}

QString CompareDialog::statusText(SyncStatus status) const {
  switch (status) {
    case SyncStatus::OnlyLocal: return tr("only local");
    case SyncStatus::OnlyRemote: return tr("only on the server");
    case SyncStatus::Differs: return tr("differs");
    case SyncStatus::Same: return tr("same");
    case SyncStatus::Unsure: break;
  }
  return tr("not compared");
}

QStringList CompareDialog::previewLines(const SyncPlan& plan, SyncDirection direction) const {
  QStringList lines;
  const std::string remoteDir = remoteDirectory_.toStdString();
  const auto remoteName = [&](const SyncItem& item) { return QString::fromStdString(sync_remote_name(remoteDir, item.relative)); };
  const auto localPath = [&](const SyncItem& item) { return QDir(localFolder_).filePath(QString::fromStdString(item.relative)); };
  for (const SyncAction& a : plan.copies) {
    const bool isNew = a.kind == SyncAction::Kind::Add;
    lines << (direction == SyncDirection::Upload
                  ? (isNew ? tr("Upload %1 (new)") : tr("Upload %1 (changed)")).arg(remoteName(a.item))
                  : (isNew ? tr("Download %1 (new)") : tr("Download %1 (changed)")).arg(localPath(a.item)));
  }
  for (const SyncAction& a : plan.deletions)
    lines << (direction == SyncDirection::Upload ? tr("Delete %1 from the server").arg(remoteName(a.item))
                                                 : tr("Delete %1 (local)").arg(localPath(a.item)));
  return lines;
}

QStringList CompareDialog::dropInvalidUploads(SyncPlan& plan) const {
  QStringList lines;
  const std::string remoteDir = remoteDirectory_.toStdString();
  std::erase_if(plan.copies, [&](const SyncAction& a) {
    const auto why = name_error(sync_remote_name(remoteDir, a.item.relative), false);
    if (why) lines << tr("Not uploaded: %1").arg(QString::fromStdString(*why));
    return why.has_value();
  });
  return lines;
}

bool CompareDialog::confirm(const SyncPlan& plan, SyncDirection direction, const QStringList& skipped) {
  QDialog preview(this);
  preview.setObjectName(QStringLiteral("syncPreview"));
  preview.setWindowTitle(direction == SyncDirection::Upload ? tr("Upload changed and missing") : tr("Download changed and missing"));
  auto* layout = new QVBoxLayout(&preview);
  const int copies = int(plan.copies.size()), deletions = int(plan.deletions.size());
  QString summary = direction == SyncDirection::Upload ? tr("%n upload(s)", "", copies) : tr("%n download(s)", "", copies);
  if (deletions > 0)
    summary = tr("%1, %2").arg(summary, direction == SyncDirection::Upload ? tr("%n deletion(s) on the server", "", deletions)
                                                                           : tr("%n local deletion(s)", "", deletions));
  auto* label = new QLabel(tr("This will do exactly the following: %1.").arg(summary), &preview);
  label->setObjectName(QStringLiteral("previewSummary"));
  label->setWordWrap(true);
  layout->addWidget(label);
  auto* list = new QListWidget(&preview);
  list->setObjectName(QStringLiteral("previewList"));
  list->addItems(previewLines(plan, direction));
  for (const QString& line : skipped) {
    auto* item = new QListWidgetItem(line, list);
    item->setForeground(palette().color(QPalette::Disabled, QPalette::Text));
  }
  layout->addWidget(list, 1);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &preview);
  buttons->button(QDialogButtonBox::Ok)->setText(direction == SyncDirection::Upload ? tr("Upload") : tr("Download"));
  if (deletions > 0) buttons->button(QDialogButtonBox::Ok)->setText(tr("Sync and delete"));
  buttons->button(QDialogButtonBox::Cancel)->setDefault(true);  // a deletion is never one Return away
  connect(buttons, &QDialogButtonBox::accepted, &preview, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, &preview, &QDialog::reject);
  layout->addWidget(buttons);
  preview.resize(640, 400);
  return preview.exec() == QDialog::Accepted;
}

void CompareDialog::runSync(SyncDirection direction) {
  if (isComparing() || isSyncing() || items_.empty()) return;
  SyncPlan planned = plan(direction);
  const QStringList skipped = direction == SyncDirection::Upload ? dropInvalidUploads(planned) : QStringList();
  if (planned.empty()) {
    status_->setText(skipped.isEmpty() ? tr("Nothing to do: the destination already holds the same files.") : skipped.first());
    return;
  }
  if (!confirm(planned, direction, skipped)) return;
  sync_ = new FolderSync(session_->transfers(), localFolder_, remoteDirectory_, this);
  connect(sync_, &FolderSync::progress, this, [this](int ended, int total) {
    progress_->setRange(0, std::max(total, 1));
    progress_->setValue(ended);
    status_->setText(tr("Syncing: %1 of %2 done…").arg(ended).arg(total));
  });
  connect(sync_, &FolderSync::finished, this, [this] {
    FolderSync* s = sync_;
    const int done = s->done(), failed = s->failed();
    const bool cancelled = s->wasCancelled();
    const QString firstError = s->errors().value(0);
    s->deleteLater();
    emit syncFinished(done, failed);
    if (closeWhenSynced_) return deleteLater();  // closed while it ran
    // What it is now, compared again; the outcome of the sync stays in view.
    compare();
    connect(comparer_, &FolderComparer::finished, this, [this, done, failed, cancelled, firstError] {
      if (cancelled)
        status_->setText(tr("Sync cancelled after %n file(s). ", "", done) + status_->text());
      else if (failed > 0)
        status_->setText(tr("%n action(s) failed: %1", "", failed).arg(firstError));
      else
        status_->setText(tr("Synced: %n action(s) done. ", "", done) + status_->text());
    }, Qt::SingleShotConnection);
  });
  sync_->start(planned, direction);
  updateButtons();
}

void CompareDialog::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) retranslate();
  QDialog::changeEvent(event);
}

void CompareDialog::closeEvent(QCloseEvent* event) {
  if (comparer_) comparer_->cancel();
  if (isSyncing()) {
    // The sync goes on (its copies are rows of the Transfers dock, its
    // deletions follow them); the dialog goes when it has ended.
    closeWhenSynced_ = true;
    hide();
    event->ignore();
    return;
  }
  QDialog::closeEvent(event);
}

void CompareDialog::retranslate() {
  setWindowTitle(tr("Compare %1 with %2").arg(QDir::toNativeSeparators(localFolder_), remoteDirectory_));
  sides_->setText((session_->isRemote() ? tr("Local folder: %1\nServer folder: %2 (on %3)")
                                        : tr("Local folder: %1\nStore folder: %2 (in %3)"))
                      .arg(QDir::toNativeSeparators(localFolder_), remoteDirectory_,
                           session_->store() ? session_->store()->location() : QString()));
  model_->setHorizontalHeaderLabels({tr("Name"), tr("Status"), tr("Local size"), tr("Server size")});
  updateCounts();
  for (int r = 0; r < model_->rowCount(); ++r)
    model_->item(r, StatusColumn)->setText(statusText(SyncStatus(model_->item(r, NameColumn)->data(StatusRole).toInt())));
  cancel_->setText(tr("Cancel"));
  compareAgain_->setText(tr("Compare again"));
  upload_->setText(tr("Upload changed and missing"));
  upload_->setToolTip(tr("Upload the files that are only local or differ to the server folder"));
  deleteRemote_->setText(tr("Delete server extras"));
  deleteRemote_->setToolTip(tr("Also delete the files that are only on the server"));
  download_->setText(tr("Download changed and missing"));
  download_->setToolTip(tr("Download the files that are only on the server or differ into the local folder"));
  deleteLocal_->setText(tr("Delete local extras"));
  deleteLocal_->setToolTip(tr("Also delete the files that are only in the local folder"));
  close_->setText(tr("Close"));
}

}  // namespace ft::ui
