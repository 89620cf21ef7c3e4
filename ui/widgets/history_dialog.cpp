#include "widgets/history_dialog.hpp"

#include <QDateTime>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFontDatabase>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QStringDecoder>
#include <QTreeWidget>
#include <QUrl>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include "common/size_format.hpp"
#include "session/profile_session.hpp"
#include "store/remote_store.hpp"
#include "widgets/version_compare_dialog.hpp"

namespace ft::ui {
namespace {

enum Column { DateColumn, SizeColumn, ShaColumn, StateColumn };
constexpr int kVersionRole = Qt::UserRole + 1;

// The text of a file for Compare: valid UTF-8, or a reason why not.
struct LoadedText {
  QString text;
  bool ok = false;
};
LoadedText readUtf8(const QString& path) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) return {};
  const QByteArray bytes = file.readAll();
  QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
  QString text = decoder.decode(bytes);
  if (decoder.hasError()) return {};
  return {std::move(text), true};
}

}  // namespace

HistoryDialog::HistoryDialog(ProfileSession* session, RemoteStore* store, const QString& name, QWidget* parent)
    : QDialog(parent), session_(session), store_(store), name_(name) {
  setWindowTitle(tr("History of %1").arg(baseNameOf(name)));
  resize(720, 360);
  auto* layout = new QVBoxLayout(this);
  auto* heading = new QLabel(tr("Versions of %1 the server keeps, newest first:").arg(name), this);
  heading->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(heading);
  list_ = new QTreeWidget(this);
  list_->setObjectName(QStringLiteral("historyList"));
  list_->setRootIsDecorated(false);
  list_->setSelectionMode(QAbstractItemView::ExtendedSelection);
  list_->setHeaderLabels({tr("Version"), tr("Size"), tr("SHA-256"), tr("State")});
  list_->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
  layout->addWidget(list_, 1);
  status_ = new QLabel(this);
  status_->setObjectName(QStringLiteral("historyStatus"));
  status_->setWordWrap(true);
  layout->addWidget(status_);

  auto* buttons = new QHBoxLayout();
  download_ = new QPushButton(tr("&Download…"), this);
  open_ = new QPushButton(tr("&Open"), this);
  restore_ = new QPushButton(tr("&Restore…"), this);
  compare_ = new QPushButton(tr("&Compare"), this);
  download_->setToolTip(tr("Save the selected version as a local file"));
  open_->setToolTip(tr("Open a read-only copy of the selected version"));
  restore_->setToolTip(tr("Make the selected version the current one again (under a new version)"));
  compare_->setToolTip(tr("Show the text of two selected versions side by side (text files under 1 MiB)"));
  download_->setObjectName(QStringLiteral("historyDownload"));
  open_->setObjectName(QStringLiteral("historyOpen"));
  restore_->setObjectName(QStringLiteral("historyRestore"));
  compare_->setObjectName(QStringLiteral("historyCompare"));
  for (auto* b : {download_, open_, restore_, compare_}) buttons->addWidget(b);
  buttons->addStretch(1);
  auto* close = new QDialogButtonBox(QDialogButtonBox::Close, this);
  connect(close, &QDialogButtonBox::rejected, this, &QDialog::reject);
  buttons->addWidget(close);
  layout->addLayout(buttons);

  connect(list_, &QTreeWidget::itemSelectionChanged, this, &HistoryDialog::updateButtons);
  connect(list_, &QTreeWidget::itemDoubleClicked, this, &HistoryDialog::openSelected);
  connect(download_, &QPushButton::clicked, this, &HistoryDialog::downloadSelected);
  connect(open_, &QPushButton::clicked, this, &HistoryDialog::openSelected);
  connect(restore_, &QPushButton::clicked, this, &HistoryDialog::restoreSelected);
  connect(compare_, &QPushButton::clicked, this, &HistoryDialog::compareSelected);

  saveChooser_ = [this](const QString& suggested) {
    return QFileDialog::getSaveFileName(this, tr("Save version as"), suggested);
  };
  restoreConfirmer_ = [this](const QString& versioned) {
    return QMessageBox::question(this, tr("Restore version"),
                                 tr("Make %1 the current version again?\n\nIt is stored under a new version; the "
                                    "current one is kept in the history.")
                                     .arg(versioned),
                                 QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel) == QMessageBox::Yes;
  };
  updateButtons();
  reload();
}

HistoryDialog::~HistoryDialog() {
  for (const auto& job : jobs_)
    if (job) job->cancel();
}

QString HistoryDialog::statusText() const { return status_->text(); }

QString HistoryDialog::versionedName(const FileVersion& v) const {
  return name_ + QLatin1Char('@') + QString::number(v.version);
}

void HistoryDialog::track(StoreJob* job) {
  jobs_.removeAll(nullptr);
  jobs_.append(job);
}

void HistoryDialog::setBusy(const QString& what) {
  status_->setText(what);
  updateButtons();
}

void HistoryDialog::showError(const QString& error) {
  status_->setText(error);
  emit failed(error);
}

void HistoryDialog::reload() {
  if (!store_) return showError(tr("Not connected to a server"));
  ++busy_;
  setBusy(tr("Asking the server for the versions…"));
  StoreJob* job = store_->history(name_);
  track(job);
  connect(job, &StoreJob::finished, this, [this, job] {
    --busy_;
    list_->clear();
    versions_.clear();
    if (!job->succeeded()) {
      updateButtons();
      showError(job->wasCancelled() ? tr("Cancelled") : job->errorString());
      emit loaded();
      return;
    }
    versions_ = job->versions();
    const QLocale locale;
    for (const FileVersion& v : versions_) {
      auto* item = new QTreeWidgetItem(list_);
      item->setText(DateColumn, QStringLiteral("%1 (%2)").arg(
                                    locale.toString(QDateTime::fromSecsSinceEpoch(v.version), QLocale::ShortFormat),
                                    QString::number(v.version)));
      item->setData(DateColumn, kVersionRole, v.version);
      item->setText(SizeColumn, humanSize(v.size));
      item->setTextAlignment(SizeColumn, Qt::AlignRight | Qt::AlignVCenter);
      item->setText(ShaColumn, v.sha256.left(12));
      item->setToolTip(ShaColumn, v.sha256);
      item->setFont(ShaColumn, QFontDatabase::systemFont(QFontDatabase::FixedFont));
      item->setText(StateColumn,
                    v.current ? tr("current")
                              : tr("replaced %1").arg(locale.toString(QDateTime::fromSecsSinceEpoch(v.superseded),
                                                                      QLocale::ShortFormat)));
    }
    status_->setText(afterReload_.isEmpty() ? tr("%n version(s)", "", int(versions_.size())) : afterReload_);
    afterReload_.clear();
    if (list_->topLevelItemCount() > 0) list_->setCurrentItem(list_->topLevelItem(0));
    updateButtons();
    emit loaded();
  });
}

QList<FileVersion> HistoryDialog::selectedVersions() const {
  QList<FileVersion> out;
  for (int i = 0; i < list_->topLevelItemCount(); ++i)  // in list order: newest first
    if (list_->topLevelItem(i)->isSelected() && i < versions_.size()) out << versions_[i];
  return out;
}

void HistoryDialog::updateButtons() {
  const QList<FileVersion> selected = selectedVersions();
  const bool idle = busy_ == 0 && store_;
  download_->setEnabled(idle && selected.size() == 1);
  open_->setEnabled(idle && selected.size() == 1);
  restore_->setEnabled(idle && selected.size() == 1 && !selected.first().current);
  const bool small = selected.size() == 2 && selected[0].size <= kCompareLimit && selected[1].size <= kCompareLimit;
  compare_->setEnabled(idle && small);
  compare_->setToolTip(selected.size() == 2 && !small
                           ? tr("Only text files under 1 MiB can be compared")
                           : tr("Show the text of two selected versions side by side (text files under 1 MiB)"));
}

void HistoryDialog::fetch(const FileVersion& v, std::function<void(const QString& path)> done) {
  if (!scratch_) scratch_ = std::make_unique<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/filetracker-history-XXXXXX"));
  if (!scratch_->isValid()) return showError(tr("Cannot make a temporary folder: %1").arg(scratch_->errorString()));
  const QString folder = scratch_->filePath(QString::number(nextScratch_++));
  if (!QDir().mkpath(folder)) return showError(tr("Cannot make a temporary folder: %1").arg(folder));
  // The base name stays, so the desktop picks the right application.
  const QString path = folder + QLatin1Char('/') + baseNameOf(name_);
  ++busy_;
  updateButtons();
  StoreJob* job = store_->downloadVersion(DownloadRequest{name_, path, true}, v.version);
  track(job);
  connect(job, &StoreJob::finished, this, [this, job, path, done = std::move(done)] {
    --busy_;
    updateButtons();
    if (!job->succeeded()) return showError(job->wasCancelled() ? tr("Cancelled") : job->errorString());
    done(path);
  });
}

void HistoryDialog::downloadSelected() {
  const QList<FileVersion> selected = selectedVersions();
  if (selected.size() != 1 || !store_) return;
  const FileVersion v = selected.first();
  const QString target = saveChooser_(QDir::home().filePath(baseNameOf(name_)));
  if (target.isEmpty()) return;
  ++busy_;
  setBusy(tr("Downloading %1…").arg(versionedName(v)));
  // Straight into the chosen file (written atomically by the store).
  StoreJob* job = store_->downloadVersion(DownloadRequest{name_, target, true}, v.version);
  track(job);
  connect(job, &StoreJob::progress, this, [this, v](qint64 done, qint64 total) {
    if (total > 0) status_->setText(tr("Downloading %1… %2%").arg(versionedName(v)).arg(done * 100 / total));
  });
  connect(job, &StoreJob::finished, this, [this, job, target, v] {
    --busy_;
    updateButtons();
    if (!job->succeeded()) return showError(job->wasCancelled() ? tr("Cancelled") : job->errorString());
    status_->setText(tr("Saved %1 as %2").arg(versionedName(v), QDir::toNativeSeparators(target)));
    emit saved(target);
  });
}

void HistoryDialog::openSelected() {
  const QList<FileVersion> selected = selectedVersions();
  if (selected.size() != 1 || !store_ || busy_) return;
  const FileVersion v = selected.first();
  setBusy(tr("Fetching %1…").arg(versionedName(v)));
  fetch(v, [this, v](const QString& path) {
    // A private read-only copy, like the window's Open (open_copies.hpp):
    // it outlives this dialog, removed with the session.
    session_->openCopies()->copy({path}, [this, v](const QStringList& copies, const QString& error) {
      if (!error.isEmpty() || copies.isEmpty()) return showError(tr("Cannot open: %1").arg(error));
      if (!session_->openUrl(QUrl::fromLocalFile(copies.first())))
        return showError(tr("No application to open %1").arg(copies.first()));
      status_->setText(tr("Opened %1").arg(versionedName(v)));
      emit opened(copies.first());
    });
  });
}

void HistoryDialog::restoreSelected() {
  const QList<FileVersion> selected = selectedVersions();
  if (selected.size() != 1 || selected.first().current || !store_) return;
  const FileVersion v = selected.first();
  if (!restoreConfirmer_(versionedName(v))) return;
  ++busy_;
  setBusy(tr("Restoring %1…").arg(versionedName(v)));
  StoreJob* job = store_->restore(name_, v.version);
  track(job);
  connect(job, &StoreJob::finished, this, [this, job, v] {
    --busy_;
    if (!job->succeeded()) {
      updateButtons();
      return showError(job->wasCancelled() ? tr("Cancelled") : job->errorString());
    }
    const RemoteFile now = job->file();
    afterReload_ = tr("Restored %1 as %2@%3").arg(versionedName(v), name_).arg(now.version);
    emit restored(now);
    reload();
  });
}

void HistoryDialog::compareSelected() {
  const QList<FileVersion> selected = selectedVersions();
  if (selected.size() != 2 || !store_) return;
  // Older on the left.
  const FileVersion left = selected[1], right = selected[0];
  if (left.size > kCompareLimit || right.size > kCompareLimit)
    return showError(tr("Only text files under 1 MiB can be compared"));
  setBusy(tr("Fetching %1 and %2…").arg(versionedName(left), versionedName(right)));
  auto paths = std::make_shared<QStringList>(QStringList{QString(), QString()});
  auto both = [this, paths, left, right] {
    if ((*paths)[0].isEmpty() || (*paths)[1].isEmpty()) return;
    // Read and check the UTF-8 off the GUI thread.
    auto* watcher = new QFutureWatcher<QList<LoadedText>>(this);
    ++busy_;
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, left, right] {
      watcher->deleteLater();
      --busy_;
      updateButtons();
      const QList<LoadedText> texts = watcher->result();
      for (int i = 0; i < 2; ++i)
        if (!texts[i].ok)
          return showError(tr("%1 is not a UTF-8 text file: it cannot be compared")
                               .arg(versionedName(i == 0 ? left : right)));
      auto* compare = new VersionCompareDialog(versionedName(left), texts[0].text, versionedName(right), texts[1].text,
                                               this);
      compare->setAttribute(Qt::WA_DeleteOnClose);
      compare->show();
      status_->setText(tr("Comparing %1 with %2").arg(versionedName(left), versionedName(right)));
      emit compared(texts[0].text, texts[1].text);
    });
    watcher->setFuture(QtConcurrent::run([files = *paths] { return QList<LoadedText>{readUtf8(files[0]), readUtf8(files[1])}; }));
  };
  fetch(left, [paths, both](const QString& path) {
    (*paths)[0] = path;
    both();
  });
  fetch(right, [paths, both](const QString& path) {
    (*paths)[1] = path;
    both();
  });
}

}  // namespace ft::ui
