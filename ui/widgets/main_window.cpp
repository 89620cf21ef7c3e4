#include "widgets/main_window.hpp"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QFileDialog>
#include <QHeaderView>
#include <QLineEdit>
#include <QMessageBox>
#include <QSettings>
#include <QSpinBox>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTreeView>

#include "common/icons.hpp"
#include "models/file_table_model.hpp"
#include "session/copy_out_planner.hpp"
#include "session/delete_planner.hpp"
#include "settings/settings_keys.hpp"
#include "widgets/cache_view.hpp"
#include "widgets/drop_views.hpp"
#include "widgets/main_actions.hpp"
#include "widgets/main_menus.hpp"
#include "widgets/prompts.hpp"
#include "widgets/properties_dialog.hpp"
#include "widgets/remote_view.hpp"
#include "widgets/settings_dialog.hpp"
#include "widgets/status_fields.hpp"
#include "widgets/transfers_dock.hpp"

namespace ft::ui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setObjectName(QStringLiteral("mainWindow"));
  setWindowIcon(ownIcon(QStringLiteral("filetracker.svg"), QStyle::SP_DriveNetIcon));
  browser_ = new RemoteBrowser(&session_, this);
  remoteView_ = new RemoteView(browser_, this);
  cacheView_ = new CacheView(&session_, this);
  tabs_ = new QTabWidget(this);
  tabs_->setDocumentMode(true);
  tabs_->addTab(remoteView_, QString());
  tabs_->addTab(cacheView_, QString());
  setCentralWidget(tabs_);
  transfersDock_ = new TransfersDock(session_.transfers(), this);
  addDockWidget(Qt::BottomDockWidgetArea, transfersDock_);
  statusFields_ = std::make_unique<StatusFields>(statusBar());
  actions_ = std::make_unique<MainActions>(this);
  remoteView_->table()->addActions(actions_->fileTableActions());
  menus_ = std::make_unique<MainMenus>(this, actions_.get(), transfersDock_->toggleViewAction());

  connectActions();
  connectViews();
  connectSession();
  retranslate();
  restoreState();
  updateActions();
}

// The session's store goes first: the jobs it cancels report to the
// browser, the views and this window, which must all still be whole.
MainWindow::~MainWindow() { session_.close(); }

FileTableView* MainWindow::fileView() const { return remoteView_->table(); }
DirectoryTreeView* MainWindow::treeView() const { return remoteView_->tree(); }
QLineEdit* MainWindow::filterEdit() const { return remoteView_->filter(); }

void MainWindow::connectActions() {
  const MainActions& a = *actions_;
  connect(a.uploadFiles, &QAction::triggered, this, [this] {
    const QStringList files = QFileDialog::getOpenFileNames(this, tr("Upload files to %1").arg(browser_->currentDirectory()));
    if (!files.isEmpty()) uploadPaths(files, browser_->currentDirectory());
  });
  connect(a.uploadFolder, &QAction::triggered, this, [this] {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Upload a folder to %1").arg(browser_->currentDirectory()));
    if (!dir.isEmpty()) uploadPaths({dir}, browser_->currentDirectory());
  });
  connect(a.download, &QAction::triggered, this, &MainWindow::downloadSelected);
  connect(a.open, &QAction::triggered, this, &MainWindow::openSelected);
  connect(a.deleteFiles, &QAction::triggered, this, &MainWindow::deleteSelected);
  connect(a.refresh, &QAction::triggered, this, &MainWindow::refresh);
  connect(a.copyName, &QAction::triggered, this, [this] { copySelectedNames(false); });
  connect(a.copyVersionedName, &QAction::triggered, this, [this] { copySelectedNames(true); });
  connect(a.properties, &QAction::triggered, this, &MainWindow::showProperties);
  connect(a.settings, &QAction::triggered, this, &MainWindow::showSettings);
  connect(a.quit, &QAction::triggered, this, &QWidget::close);
  connect(a.find, &QAction::triggered, this, [this] {
    tabs_->setCurrentIndex(0);
    filterEdit()->setFocus();
    filterEdit()->selectAll();
  });
  connect(a.selectAll, &QAction::triggered, fileView(), &QAbstractItemView::selectAll);
  connect(a.about, &QAction::triggered, this, &MainWindow::showAbout);
}

void MainWindow::connectViews() {
  FileTableView* table = fileView();
  DirectoryTreeView* tree = treeView();
  browser_->fileModel()->setDragFileProvider([this](const QStringList& names) { return provideDraggedFiles(names); });
  connect(filterEdit(), &QLineEdit::textChanged, this, &MainWindow::updateStatus);
  connect(table, &FileTableView::filesDropped, this,
          [this](const QStringList& paths) { uploadPaths(paths, browser_->currentDirectory()); });
  connect(tree, &DirectoryTreeView::filesDropped, this,
          [this](const QStringList& paths, const QString& dir) { uploadPaths(paths, dir); });
  connect(table, &QAbstractItemView::doubleClicked, this, [this] { openSelected(); });
  connect(table, &QWidget::customContextMenuRequested, this, [this, table](const QPoint& pos) {
    menus_->execFileTableMenu(this, table->viewport()->mapToGlobal(pos));
  });
  connect(tree, &QWidget::customContextMenuRequested, this, [this, tree](const QPoint& pos) {
    menus_->execDirectoryTreeMenu(this, tree->viewport()->mapToGlobal(pos));
  });
  connect(table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &MainWindow::updateActions);
  connect(browser_->proxyModel(), &QAbstractItemModel::modelReset, this, [this] {
    updateStatus();
    updateActions();
  });
  connect(cacheView_, &CacheView::reloaded, this, [this](qint64 bytes) {
    cacheBytes_ = bytes;
    updateStatus();
  });
  connect(cacheView_, &CacheView::cacheChanged, browser_, &RemoteBrowser::refreshCachedFlags);
}

void MainWindow::connectSession() {
  refreshTimer_.setSingleShot(true);
  refreshTimer_.setInterval(250);
  connect(&refreshTimer_, &QTimer::timeout, browser_, &RemoteBrowser::refresh);
  connect(browser_, &RemoteBrowser::directoryLoaded, this, [this] {
    lastError_.clear();
    updateStatus();
  });
  // Sorting by version or size against a plain server first fetches them
  // for every row; changing directory cancels it.
  connect(browser_, &RemoteBrowser::sortMetadataProgress, this, [this](int done, int total) {
    if (total > 0 && done < total) {
      statusBar()->showMessage(tr("Fetching versions and sizes to sort: %1 of %2 (change directory to cancel)")
                                   .arg(done)
                                   .arg(total));
    } else {
      statusBar()->clearMessage();
    }
  });
  connect(browser_, &RemoteBrowser::loadFailed, this, [this](const QString& reason) {
    lastError_ = reason;
    statusBar()->showMessage(reason, 10000);
    updateStatus();
  });
  connect(&session_, &ProfileSession::ready, this, [this] {
    lastError_.clear();
    cacheView_->reload();
    updateStatus();
    updateActions();
  });
  connect(&session_, &ProfileSession::failed, this, [this](const QString& reason) {
    lastError_ = reason;
    updateStatus();
    statusBar()->showMessage(tr("Cannot connect: %1").arg(reason), 15000);
  });
  connect(&session_, &ProfileSession::storeChanged, this, [this] {
    tabs_->setTabVisible(1, session_.isRemote());
    remoteView_->setCachedColumnVisible(session_.isRemote());
    remoteView_->resetPath();
    updateStatus();
  });
  connect(session_.transfers(), &TransferQueue::transferFinished, this, [this](quint64 id, bool ok) {
    const Transfer* t = session_.transfers()->find(id);
    if (!t) return;
    if (!ok && t->state == Transfer::State::Failed) statusBar()->showMessage(t->error, 10000);
    if (ok && t->kind == Transfer::Kind::Upload && parentDirectoryOf(t->upload.name).startsWith(browser_->currentDirectory())) {
      refreshTimer_.start();
    }
    if (ok && t->kind != Transfer::Kind::Upload && session_.isRemote()) {
      browser_->refreshCachedFlags();
      if (t->download.setVersionAsMtime) cacheView_->reload();
    }
  });
}

void MainWindow::retranslate() {
  setWindowTitle(tr("Filetracker"));
  tabs_->setTabText(1, tr("Cache"));
  remoteView_->retranslate();
  menus_->retranslate();
  actions_->retranslate();
  updateStatus();  // also the first tab's text
}

void MainWindow::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) retranslate();
  QMainWindow::changeEvent(event);
}

QString MainWindow::statusText() const { return statusFields_->text(); }

void MainWindow::updateStatus() {
  const StatusFields::Counts counts{browser_->proxyModel()->rowCount(), browser_->fileModel()->rowCount(), cacheBytes_};
  statusFields_->update(session_, lastError_, counts);
  tabs_->setTabText(0, session_.isRemote() ? tr("Server") : tr("Local store"));
}

void MainWindow::updateActions() {
  QItemSelectionModel* selection = fileView()->selectionModel();
  actions_->updateEnabled({session_.isReady(), selection && selection->hasSelection()});
}

void MainWindow::openProfile(const ConnectionProfile& profile, bool remember) {
  if (remember) {
    QSettings settings;
    ProfileSettings profiles(settings);
    profiles.setCurrentProfileName(profile.name);
  }
  cacheBytes_ = -1;
  session_.open(profile);
  updateActions();
}

// ---- Actions -------------------------------------------------------------

QStringList MainWindow::selectedNames() const {
  QStringList names;
  for (const QModelIndex& index : fileView()->selectionModel()->selectedRows(FileTableModel::NameColumn)) {
    names << index.data(FileTableModel::FullNameRole).toString();
  }
  return names;
}

void MainWindow::uploadPaths(const QStringList& localPaths, const QString& targetDirectory) {
  if (!session_.isReady() || localPaths.isEmpty()) return;
  ConflictResolver resolver = conflictResolver_ ? conflictResolver_ : [this](const QString& name) {
    return Prompts::askUploadConflict(this, name);
  };
  auto* planner = new UploadPlanner(&session_, resolver, this);
  connect(planner, &UploadPlanner::finished, this,
          [this](int uploaded, int failed, int skipped, const QStringList& errors) {
            if (!errors.isEmpty()) statusBar()->showMessage(errors.first(), 15000);
            if (uploaded > 0) browser_->refresh();
            emit uploadsFinished(uploaded, failed, skipped);
          });
  planner->start(localPaths, targetDirectory.isEmpty() ? QStringLiteral("/") : targetDirectory);
}

void MainWindow::downloadSelected() {
  const QStringList names = selectedNames();
  if (names.isEmpty()) return;
  const QString folder = folderChooser_ ? folderChooser_()
                                        : QFileDialog::getExistingDirectory(this, tr("Download %n file(s) to", "", int(names.size())));
  if (folder.isEmpty()) return;
  for (const QString& name : names) {
    session_.transfers()->enqueueDownload(DownloadRequest{name, folder + QLatin1Char('/') + baseNameOf(name), false});
  }
}

void MainWindow::openSelected() {
  const QStringList names = selectedNames();
  if (names.isEmpty()) return;
  // The application gets a private read-only copy: an editor saving in
  // place must not change the store, nor the hard-linked cache file.
  auto* planner = new CopyOutPlanner(&session_, CopyOutPlanner::Purpose::Open);
  connect(planner, &CopyOutPlanner::failed, this, [this](CopyOutPlanner::Stage, const QString& error) {
    statusBar()->showMessage(tr("Cannot open: %1").arg(error), 10000);
  });
  connect(planner, &CopyOutPlanner::copying, this, [this](int count) {
    statusBar()->showMessage(tr("Copying %n file(s) for opening…", "", count));
  });
  connect(planner, &CopyOutPlanner::copied, this, [this](const QStringList& copies) {
    statusBar()->clearMessage();
    for (const QString& path : copies) {
      if (!session_.openUrl(QUrl::fromLocalFile(path))) {
        statusBar()->showMessage(tr("No application to open %1").arg(path), 10000);
      }
    }
    emit opened(copies);
  });
  planner->start(names);
}

void MainWindow::deleteSelected() {
  QList<RemoteFile> files;
  for (const QModelIndex& index : fileView()->selectionModel()->selectedRows(FileTableModel::NameColumn)) {
    files << browser_->fileModel()->row(browser_->proxyModel()->mapToSource(index).row()).file;
  }
  if (files.isEmpty() || !session_.store()) return;
  QStringList names;
  for (const RemoteFile& f : files) names << f.name;
  const bool ok = deleteConfirmer_ ? deleteConfirmer_(names) : Prompts::confirmDelete(this, names, session_.info().location);
  if (!ok) return;
  auto* planner = new DeletePlanner(session_.store(), this);
  connect(planner, &DeletePlanner::finished, this, [this](int deleted, int failed, const QStringList& errors) {
    if (!errors.isEmpty()) {
      statusBar()->showMessage(errors.first(), 15000);
      if (!deleteConfirmer_) Prompts::showDeleteFailures(this, failed, errors);
    }
    browser_->refresh();
    emit deletionsFinished(deleted, failed);
  });
  planner->start(files);
}

void MainWindow::refresh() {
  browser_->refresh();
  if (session_.isRemote()) cacheView_->reload();
}

void MainWindow::copySelectedNames(bool versioned) {
  QStringList lines;
  for (const QModelIndex& index : fileView()->selectionModel()->selectedRows(FileTableModel::NameColumn)) {
    const QString name = index.data(FileTableModel::FullNameRole).toString();
    const qint64 version = index.data(FileTableModel::VersionRole).toLongLong();
    lines << (versioned && version >= 0 ? name + QLatin1Char('@') + QString::number(version) : name);
  }
  if (!lines.isEmpty()) QApplication::clipboard()->setText(lines.join(QLatin1Char('\n')));
}

void MainWindow::showProperties() {
  const QModelIndexList rows = fileView()->selectionModel()->selectedRows(FileTableModel::NameColumn);
  if (rows.isEmpty()) return;
  const QModelIndex source = browser_->proxyModel()->mapToSource(rows.first());
  const FileTableModel::Row& row = browser_->fileModel()->row(source.row());
  auto* dialog = new PropertiesDialog(&session_, row.file, row.cached, this);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  dialog->show();
}

void MainWindow::showSettings() {
  SettingsDialog dialog(session_.profile(), this);
  if (dialog.exec() != QDialog::Accepted) return;
  if (dialog.hasChosenProfile()) openProfile(dialog.chosenProfile());
}

void MainWindow::showAbout() {
  QMessageBox::about(this, tr("About Filetracker"),
                     tr("<h3>Filetracker %1</h3><p>Shared storage for files with a little metadata: "
                        "a browser and administration tool for filetracker servers and the local cache.</p>")
                         .arg(QCoreApplication::applicationVersion()));
}

// Rows dragged out: the drop target gets private writable copies, never the
// cache file (hard-linked with other files) or the stored file, so an editor
// that opens the drop in place cannot change the store; writable, because a
// file manager carries the mode over to the user's copy. The drop target
// waits for the answer: see CopyOutPlanner::copyAndWait.
QList<QUrl> MainWindow::provideDraggedFiles(const QStringList& names) {
  CopyOutPlanner::Stage stage = CopyOutPlanner::Stage::Fetch;
  QString error;
  const QStringList copies = CopyOutPlanner::copyAndWait(&session_, CopyOutPlanner::Purpose::DragOut, names, &stage, &error);
  if (!error.isEmpty()) {
    statusBar()->showMessage(stage == CopyOutPlanner::Stage::Fetch ? error : tr("Cannot drag out: %1").arg(error), 10000);
  }
  QList<QUrl> urls;
  for (const QString& path : copies) urls << QUrl::fromLocalFile(path);
  return urls;
}

// ---- Remembered state ----------------------------------------------------------

void MainWindow::restoreState() {
  using namespace settings_keys;
  QSettings settings;
  if (!restoreGeometry(kWindowGeometry.read(settings))) resize(1100, 720);
  QMainWindow::restoreState(kWindowState.read(settings));
  remoteView_->splitter()->restoreState(kWindowSplitter.read(settings));
  fileView()->horizontalHeader()->restoreState(kFilesHeader.read(settings));
  cacheView_->view()->horizontalHeader()->restoreState(kCacheHeader.read(settings));
  transfersDock_->view()->header()->restoreState(kTransfersHeader.read(settings));
  transfersDock_->concurrencyBox()->setValue(kTransferConcurrency.read(settings));
}

void MainWindow::saveState() {
  using namespace settings_keys;
  QSettings settings;
  kWindowGeometry.write(settings, saveGeometry());
  kWindowState.write(settings, QMainWindow::saveState());
  kWindowSplitter.write(settings, remoteView_->splitter()->saveState());
  kFilesHeader.write(settings, fileView()->horizontalHeader()->saveState());
  kCacheHeader.write(settings, cacheView_->view()->horizontalHeader()->saveState());
  kTransfersHeader.write(settings, transfersDock_->view()->header()->saveState());
  kTransferConcurrency.write(settings, session_.transfers()->concurrencyLimit());
}

void MainWindow::closeEvent(QCloseEvent* event) {
  const int pending = session_.transfers()->pendingCount();
  if (pending > 0) {
    const auto answer = QMessageBox::question(
        this, tr("Transfers in progress"),
        tr("%n transfer(s) have not finished. Quit anyway and cancel them?", "", pending));
    if (answer != QMessageBox::Yes) {
      event->ignore();
      return;
    }
    session_.transfers()->cancelAll();
  }
  saveState();
  event->accept();
}

}  // namespace ft::ui
