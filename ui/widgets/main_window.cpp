#include "widgets/main_window.hpp"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QInputDialog>
#include <QLineEdit>
#include <QMessageBox>
#include <QPointer>
#include <QProgressDialog>
#include <QSettings>
#include <QSpinBox>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTreeView>

#include "admin/admin_tabs.hpp"
#include "common/icons.hpp"
#include "common/size_format.hpp"
#include "filetracker/archive_writer.hpp"
#include "filetracker/name.hpp"
#include "models/file_table_model.hpp"
#include "session/copy_out_planner.hpp"
#include "session/delete_planner.hpp"
#include "session/download_planner.hpp"
#include "settings/settings_keys.hpp"
#include "widgets/bookmarks_view.hpp"
#include "widgets/cache_view.hpp"
#include "store/remote_store.hpp"
#include "widgets/certificate_dialog.hpp"
#include "widgets/drop_views.hpp"
#include "widgets/login_dialog.hpp"
#include "widgets/main_actions.hpp"
#include "widgets/main_menus.hpp"
#include "widgets/prompts.hpp"
#include "widgets/history_dialog.hpp"
#include "widgets/compare_dialog.hpp"
#include "widgets/properties_dialog.hpp"
#include "widgets/remote_view.hpp"
#include "widgets/search_view.hpp"
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
  remoteView_->search()->results()->addActions(actions_->fileTableActions());
  // Del in the Cache tab removes from the cache (deleteSelected() asks
  // which tab the user is in).
  cacheView_->view()->addAction(actions_->deleteFiles);
  menus_ = std::make_unique<MainMenus>(this, actions_.get(), transfersDock_->toggleViewAction());
  adminTabs_ = new AdminTabs(&session_, tabs_, this);
  adminTabs_->addToMenus(menus_->fileMenu(), menus_->viewMenu());
  connect(adminTabs_, &AdminTabs::message, this, [this](const QString& text) { statusBar()->showMessage(text, 10000); });

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
  connect(a.uploadArchive, &QAction::triggered, this, &MainWindow::chooseAndUnpackArchive);
  connect(a.downloadArchive, &QAction::triggered, this, &MainWindow::downloadAsArchive);
  connect(a.download, &QAction::triggered, this, &MainWindow::downloadSelected);
  connect(a.open, &QAction::triggered, this, &MainWindow::openSelected);
  connect(a.deleteFiles, &QAction::triggered, this, &MainWindow::deleteSelected);
  connect(a.refresh, &QAction::triggered, this, &MainWindow::refresh);
  connect(a.copyName, &QAction::triggered, this, [this] { copySelectedNames(false); });
  connect(a.copyVersionedName, &QAction::triggered, this, [this] { copySelectedNames(true); });
  connect(a.properties, &QAction::triggered, this, &MainWindow::showProperties);
  connect(a.history, &QAction::triggered, this, &MainWindow::showHistory);
  connect(a.compareFolder, &QAction::triggered, this, &MainWindow::chooseAndCompareFolder);
  connect(a.settings, &QAction::triggered, this, &MainWindow::showSettings);
  connect(a.quit, &QAction::triggered, this, &QWidget::close);
  connect(a.find, &QAction::triggered, this, [this] {
    tabs_->setCurrentIndex(0);
    remoteView_->showSearch();
  });
  connect(a.selectAll, &QAction::triggered, this, [this] { remoteView_->activeTable()->selectAll(); });
  connect(a.about, &QAction::triggered, this, &MainWindow::showAbout);
}

void MainWindow::connectViews() {
  FileTableView* table = fileView();
  DirectoryTreeView* tree = treeView();
  browser_->fileModel()->setDragFileProvider([this](const QStringList& names) { return provideDraggedFiles(names); });
  connect(filterEdit(), &QLineEdit::textChanged, this, &MainWindow::updateStatus);
  connect(table, &FileTableView::filesDropped, this,
          [this](const QStringList& paths) { dropPaths(paths, browser_->currentDirectory()); });
  connect(tree, &DirectoryTreeView::filesDropped, this,
          [this](const QStringList& paths, const QString& dir) { dropPaths(paths, dir); });
  // A folder dropped with Alt is compared, not uploaded (after the drop has ended).
  connect(table, &FileTableView::compareDropped, this, [this](const QString& folder) {
    QMetaObject::invokeMethod(this, [this, folder] { compareFolders(folder, browser_->currentDirectory()); }, Qt::QueuedConnection);
  });
  connect(tree, &DirectoryTreeView::compareDropped, this, [this](const QString& folder, const QString& dir) {
    QMetaObject::invokeMethod(this, [this, folder, dir] { compareFolders(folder, dir); }, Qt::QueuedConnection);
  });
  // Double-click (and Return, the Open action) enters a folder, opens a file.
  connect(table, &QAbstractItemView::doubleClicked, this, [this](const QModelIndex& index) {
    if (index.data(FileTableModel::IsFolderRole).toBool()) {
      browser_->navigate(index.data(FileTableModel::FullNameRole).toString());
    } else {
      openSelected();
    }
  });
  connect(transfersDock_, &TransfersDock::retryRefused, this,
          [this](const QString& reason) { statusBar()->showMessage(reason, 15000); });
  connect(remoteView_, &RemoteView::message, this, [this](const QString& text) { statusBar()->showMessage(text, 10000); });
  connect(table, &QWidget::customContextMenuRequested, this, [this, table](const QPoint& pos) {
    menus_->execFileTableMenu(this, table->viewport()->mapToGlobal(pos));
  });
  connect(tree, &QWidget::customContextMenuRequested, this, [this, tree](const QPoint& pos) {
    menus_->execDirectoryTreeMenu(this, tree->viewport()->mapToGlobal(pos));
  });
  connect(table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &MainWindow::updateActions);
  // The search results: the same actions act on the selected matches.
  FileTableView* results = remoteView_->search()->results();
  connect(results->selectionModel(), &QItemSelectionModel::selectionChanged, this, &MainWindow::updateActions);
  connect(results, &QAbstractItemView::doubleClicked, this, &MainWindow::openSelected);
  connect(results, &QWidget::customContextMenuRequested, this, [this, results](const QPoint& pos) {
    menus_->execFileTableMenu(this, results->viewport()->mapToGlobal(pos), {remoteView_->search()->revealAction()});
  });
  connect(remoteView_, &RemoteView::searchShownChanged, this, &MainWindow::updateActions);
  connect(cacheView_->view()->selectionModel(), &QItemSelectionModel::selectionChanged, this, &MainWindow::updateActions);
  connect(tabs_, &QTabWidget::currentChanged, this, &MainWindow::updateActions);
  connect(cacheView_, &CacheView::removed, this, [this](int removed, const QStringList& errors) {
    statusBar()->showMessage(errors.isEmpty() ? tr("Removed %n file(s) from the local cache; the server keeps them.", "", removed)
                                              : tr("Removed %n file(s) from the local cache; %1", "", removed).arg(errors.first()),
                             10000);
  });
  connect(browser_->proxyModel(), &QAbstractItemModel::modelReset, this, [this] {
    updateStatus();
    updateActions();
  });
  connect(cacheView_, &CacheView::reloaded, this, [this](qint64 bytes) {
    cacheBytes_ = bytes;
    updateStatus();
    checkCacheLimit();
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
  connect(&session_, &ProfileSession::signInRequired, this, &MainWindow::askSignIn);
  connect(session_.transfers(), &TransferQueue::journalFailed, this, [this](const QString& error) {
    statusBar()->showMessage(tr("The transfer queue could not be saved or read: %1").arg(error), 15000);
  });
  connect(&session_, &ProfileSession::certificateUntrusted, this, &MainWindow::askCertificate);
  connect(&session_, &ProfileSession::profileChanged, this, &MainWindow::saveProfile);
  connect(&session_, &ProfileSession::accessChanged, this, [this] {
    updateStatus();
    updateActions();
  });
  connect(&session_, &ProfileSession::keyringFailed, this, [this](const QString& error) {
    statusBar()->showMessage(tr("The desktop keyring is unavailable (%1): secrets are kept for this session only").arg(error), 15000);
    if (login_) login_->setKeyringUnavailable(error);
  });
  connect(&session_, &ProfileSession::cacheLimitChanged, this, [this] {
    cacheView_->updateSummary();
    updateStatus();
    cacheGrew_ = true;  // a smaller limit may be exceeded already
    if (session_.isRemote()) cacheView_->reload();
  });
  connect(&session_, &ProfileSession::storeChanged, this, [this] {
    tabs_->setTabVisible(1, session_.isRemote());
    remoteView_->setCachedColumnVisible(session_.isRemote());
    remoteView_->resetPath();
    remoteView_->bookmarks()->setProfile(session_.profile().name);
    updateStatus();
  });
  connect(session_.transfers(), &TransferQueue::transferFinished, this, [this](quint64 id, bool ok) {
    const Transfer* t = session_.transfers()->find(id);
    if (!t) return;
    if (t->isArchive()) return onArchiveFinished(*t, ok);
    if (!ok && t->state == Transfer::State::Failed) statusBar()->showMessage(t->error, 10000);
    if (ok && t->kind == Transfer::Kind::Upload && parentDirectoryOf(t->upload.name).startsWith(browser_->currentDirectory())) {
      refreshTimer_.start();
    }
    if (ok && t->kind != Transfer::Kind::Upload && session_.isRemote()) {
      browser_->refreshCachedFlags();
      if (t->download.setVersionAsMtime) {
        cacheGrew_ = true;  // the next reading of the cache checks the limit
        cacheView_->reload();
      }
    }
  });
}

// "judges (https://ft.example:9999) — Filetracker": with windows of several
// profiles open, the task bar tells them apart. The program's name last, as
// Qt puts it: a title that does not end with the application's display name
// gets " — Filetracker" appended on X11 and Wayland (it read "Filetracker —
// judges (…) — Filetracker").
QString MainWindow::windowTitleFor(const ProfileSession& session) {
  if (!session.store() || session.profile().name.isEmpty()) return tr("Filetracker");
  return tr("%1 (%2) — Filetracker", "profile (server or folder)")
      .arg(session.profile().name, TransferJournal::withoutUserInfo(session.store()->location()));
}

void MainWindow::retranslate() {
  tabs_->setTabText(1, tr("Cache"));
  remoteView_->retranslate();
  menus_->retranslate();
  actions_->retranslate();
  adminTabs_->retranslate();
  updateStatus();  // also the first tab's text
}

void MainWindow::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) retranslate();
  QMainWindow::changeEvent(event);
}

QString MainWindow::statusText() const { return statusFields_->text(); }

void MainWindow::updateStatus() {
  const StatusFields::Counts counts{browser_->proxyModel()->rowCount(), browser_->fileModel()->rowCount(),
                                    browser_->fileModel()->folderCount(), !filterEdit()->text().isEmpty(), cacheBytes_};
  statusFields_->update(session_, lastError_, counts);
  tabs_->setTabText(0, session_.isRemote() ? tr("Server") : tr("Local store"));
  setWindowTitle(windowTitleFor(session_));
}

bool MainWindow::inCacheTab() const { return tabs_->currentWidget() == cacheView_; }

void MainWindow::updateActions() {
  // The actions follow the view the user is in: the Cache tab's table, or
  // the server's file table.
  const bool inCache = inCacheTab();
  QItemSelectionModel* selection = inCache ? cacheView_->view()->selectionModel() : remoteView_->activeTable()->selectionModel();
  MainActions::State state{session_.isReady(), selection && selection->hasSelection(), inCache, {}, {}};
  state.uploadRefusal = uploadRefusal(browser_->currentDirectory());
  if (session_.access() && !inCache) state.deleteRefusal = session_.access()->deleteRefusal(selectedFiles().isEmpty() ? QStringList() : selectedNames(), selectedFolders());
  state.history = session_.isRemote() && session_.info().has(QStringLiteral("history"));  // protocol::kExtHistory
  actions_->updateEnabled(state);
  // Drops are uploads: refused the same way (the tooltip says why).
  const bool drops = state.uploadRefusal.isEmpty();
  fileView()->setAcceptDrops(drops);
  treeView()->setAcceptDrops(drops);
}

QString MainWindow::uploadRefusal(const QString& directory) const {
  if (!session_.access()) return {};
  return session_.access()->uploadRefusal(directory.isEmpty() ? QStringLiteral("/") : directory);
}

// ---- Sign-in and certificates ----------------------------------------------

LoginDialog* MainWindow::loginDialog() const { return login_.data(); }
CertificateDialog* MainWindow::certificateDialog() const { return certificate_.data(); }

void MainWindow::askSignIn(const QString& user, const QString& reason) {
  // One prompt at a time: the newer reason is shown in it. A prompt just
  // answered (hidden, deleted later) is not that one: a fast 401 after a
  // wrong secret must open a new prompt.
  if (login_ && login_->isVisible()) {
    if (!reason.isEmpty()) login_->setReason(reason);
    return;
  }
  login_ = new LoginDialog(session_.info().location, user, this);
  login_->setAttribute(Qt::WA_DeleteOnClose);
  if (!reason.isEmpty()) login_->setReason(reason);
  if (!session_.keyringError().isEmpty()) login_->setKeyringUnavailable(session_.keyringError());
  LoginDialog* dialog = login_;
  connect(dialog, &QDialog::finished, this, [this, dialog](int result) {
    if (result == QDialog::Accepted) {
      session_.signIn(dialog->user(), dialog->secret(), dialog->remember());
      statusBar()->showMessage(tr("Signing in as %1…").arg(dialog->user()), 5000);
    } else {
      session_.declineSignIn();
      statusBar()->showMessage(tr("Not signed in: the server refuses what needs a sign-in. Refresh to sign in."), 15000);
    }
  });
  dialog->open();
}

void MainWindow::askCertificate(const QSslCertificate& certificate, const QList<QSslError>& errors, const QString& pinned) {
  if (certificate_ && certificate_->isVisible()) return;
  certificate_ = new CertificateDialog(session_.info().location, certificate, errors, pinned, this);
  certificate_->setAttribute(Qt::WA_DeleteOnClose);
  const QByteArray fingerprint = RemoteStore::fingerprintOf(certificate);
  connect(certificate_, &QDialog::finished, this, [this, fingerprint](int result) {
    if (result == CertificateDialog::Cancelled) {
      session_.declineCertificate();
      statusBar()->showMessage(tr("Not connected: the server's certificate was not accepted"), 15000);
      return;
    }
    session_.trustCertificate(fingerprint, result == CertificateDialog::AcceptedAlways);
  });
  certificate_->open();
}

// The user name and the pinned certificate are kept with the profile (never
// the secret: that is in the keyring).
void MainWindow::saveProfile(const ConnectionProfile& profile) {
  QSettings settings;
  ProfileSettings(settings).updateProfile(profile);
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
  for (const QModelIndex& index : remoteView_->activeTable()->selectionModel()->selectedRows(FileTableModel::NameColumn)) {
    names << index.data(FileTableModel::FullNameRole).toString();
  }
  return names;
}

ConflictResolver MainWindow::conflictResolver() {
  if (conflictResolver_) return conflictResolver_;
  return [this](const ConflictDetails& conflict) { return Prompts::askConflict(this, conflict); };
}

void MainWindow::uploadPaths(const QStringList& localPaths, const QString& targetDirectory) {
  if (!session_.isReady() || localPaths.isEmpty()) return;
  if (const QString why = uploadRefusal(targetDirectory); !why.isEmpty()) {
    statusBar()->showMessage(tr("Cannot upload: %1").arg(why), 15000);
    return;
  }
  auto* planner = new UploadPlanner(&session_, conflictResolver(), this);
  connect(planner, &UploadPlanner::finished, this,
          [this](int uploaded, int failed, int skipped, const QStringList& errors) {
            if (!errors.isEmpty()) statusBar()->showMessage(errors.first(), 15000);
            if (uploaded > 0) browser_->refresh();
            emit uploadsFinished(uploaded, failed, skipped);
          });
  planner->start(localPaths, targetDirectory.isEmpty() ? QStringLiteral("/") : targetDirectory);
}

// ---- Archives ------------------------------------------------------------------

void MainWindow::dropPaths(const QStringList& localPaths, const QString& targetDirectory) {
  const QString dir = targetDirectory.isEmpty() ? QStringLiteral("/") : targetDirectory;
  QStringList archives;
  QStringList others;
  for (const QString& path : localPaths) (QFileInfo(path).isFile() && isArchiveName(path) ? archives : others) << path;
  if (archives.isEmpty()) return uploadPaths(localPaths, dir);
  const auto go = [this, localPaths, archives, others, dir](ArchiveDropChoice choice) {
    if (choice == ArchiveDropChoice::UploadFile) return uploadPaths(localPaths, dir);
    for (const QString& archive : archives) unpackArchive(archive, joinName(dir, archiveBaseName(archive)));
    if (!others.isEmpty()) uploadPaths(others, dir);
  };
  if (archiveDropChoice_) return go(*archiveDropChoice_);
  // Asked after the drop has ended: a modal question inside the drop event
  // would keep the file manager's drag waiting for the answer.
  QMetaObject::invokeMethod(
      this,
      [this, archives, dir, go] {
        bool remember = false;
        const ArchiveDropChoice choice = Prompts::askArchiveDrop(this, archives, dir, &remember);
        if (choice == ArchiveDropChoice::Cancel) return;
        if (remember) archiveDropChoice_ = choice;
        go(choice);
      },
      Qt::QueuedConnection);
}

bool MainWindow::unpackArchive(const QString& archivePath, const QString& targetDirectory) {
  if (!session_.isReady()) return false;
  QString dir = targetDirectory.trimmed();
  while (dir.size() > 1 && dir.endsWith(QLatin1Char('/'))) dir.chop(1);
  if (dir.isEmpty()) dir = QStringLiteral("/");
  if (dir != QLatin1String("/")) {
    if (auto error = ft::name_error(dir.toStdString(), false)) {
      statusBar()->showMessage(tr("Cannot unpack into %1: %2").arg(dir, QString::fromStdString(*error)), 15000);
      return false;
    }
  }
  if (const QString why = uploadRefusal(dir); !why.isEmpty()) {
    statusBar()->showMessage(tr("Cannot upload: %1").arg(why), 15000);
    return false;
  }
  if (!QFileInfo(archivePath).isFile()) {
    statusBar()->showMessage(tr("Cannot unpack %1: not a file").arg(archivePath), 15000);
    return false;
  }
  ArchiveTask task;
  task.direction = ArchiveTask::Direction::Unpack;
  task.archivePath = archivePath;
  task.remoteDirectory = dir;
  session_.transfers()->enqueueArchive(task);
  transfersDock_->show();
  return true;
}

void MainWindow::chooseAndUnpackArchive() {
  const QString current = browser_->currentDirectory().isEmpty() ? QStringLiteral("/") : browser_->currentDirectory();
  const QString archive =
      archiveChooser_ ? archiveChooser_()
                      : QFileDialog::getOpenFileName(this, tr("Upload an archive as a folder of %1").arg(current), QString(),
                                                     tr("Archives (*.zip *.tar *.tar.gz *.tgz *.tar.bz2 *.tar.xz *.tar.zst *.7z);;"
                                                        "All files (*)"));
  if (archive.isEmpty()) return;
  const QString proposed = joinName(current, archiveBaseName(archive));
  QString target;
  if (archiveTargetChooser_) {
    target = archiveTargetChooser_(proposed);
  } else {
    bool ok = false;
    target = QInputDialog::getText(this, tr("Upload archive as folder"),
                                   tr("Unpack %1 into the folder:").arg(QFileInfo(archive).fileName()), QLineEdit::Normal,
                                   proposed, &ok);
    if (!ok) return;
  }
  if (target.trimmed().isEmpty()) return;
  unpackArchive(archive, target);
}

void MainWindow::downloadAsArchive() {
  if (!session_.isReady() || inCacheTab()) return;
  const QString current = browser_->currentDirectory().isEmpty() ? QStringLiteral("/") : browser_->currentDirectory();
  ArchiveTask task;
  task.direction = ArchiveTask::Direction::Pack;
  QStringList files;
  for (const RemoteFile& f : selectedFiles()) files << f.name;
  const QStringList folders = selectedFolders();
  QString base;
  if (files.isEmpty() && folders.size() == 1) {
    task.remoteDirectory = folders.first();  // the folder itself: its paths start inside it
    base = baseNameOf(folders.first());
  } else {
    task.remoteDirectory = current;
    task.files = files;
    task.folders = folders;
    base = current == QLatin1String("/") ? tr("store", "archive file name of the root folder") : baseNameOf(current);
  }
  const QString proposed = QDir::home().filePath(base + QStringLiteral(".zip"));
  const QString path = archiveSaveChooser_
                           ? archiveSaveChooser_(proposed)
                           : QFileDialog::getSaveFileName(this, tr("Download %1 as an archive").arg(task.remoteDirectory), proposed,
                                                          tr("Zip archive (*.zip);;Tar archive (*.tar);;"
                                                             "Gzipped tar archive (*.tar.gz *.tgz);;Zstandard tar archive (*.tar.zst)"));
  if (path.isEmpty()) return;
  if (!ft::archive_format_for(path.toStdString())) {
    statusBar()->showMessage(tr("Cannot write %1: name the archive .zip, .tar, .tar.gz, .tgz or .tar.zst").arg(path), 15000);
    return;
  }
  task.archivePath = path;
  session_.transfers()->enqueueArchive(task);
  transfersDock_->show();
}

void MainWindow::onArchiveFinished(const Transfer& t, bool ok) {
  const QString archive = QFileInfo(t.archive.archivePath).fileName();
  if (t.kind == Transfer::Kind::ArchiveUpload) {
    if (!t.refusedEntries.isEmpty()) {
      statusBar()->showMessage(t.error, 15000);
      Prompts::showArchiveRefusal(this, t.archive.archivePath, t.archive.remoteDirectory, t.refusedEntries);
      return;
    }
    // Also after a failure half-way: what was stored is there to see.
    browser_->refresh();
    if (ok) {
      statusBar()->showMessage(tr("Unpacked %1 into %2: %3").arg(archive, t.archive.remoteDirectory, t.summary), 10000);
    } else if (t.state == Transfer::State::Failed) {
      statusBar()->showMessage(t.error, 15000);
    }
    return;
  }
  if (ok) {
    statusBar()->showMessage(tr("Wrote %1: %2").arg(t.archive.archivePath, t.summary), 10000);
  } else if (t.state == Transfer::State::Failed) {
    statusBar()->showMessage(t.error, 15000);
  }
}

// The file a row of the table the user sees stands for (the folder's table
// and the search results answer the same roles).
static RemoteFile fileOfRow(const QModelIndex& index) {
  return RemoteFile{index.data(FileTableModel::FullNameRole).toString(), index.data(FileTableModel::VersionRole).toLongLong(),
                    index.data(FileTableModel::SizeRole).toLongLong(), index.data(FileTableModel::Sha256Role).toString()};
}

QList<RemoteFile> MainWindow::selectedFiles() const {
  QList<RemoteFile> files;
  for (const QModelIndex& index : remoteView_->activeTable()->selectionModel()->selectedRows(FileTableModel::NameColumn)) {
    if (!index.data(FileTableModel::IsFolderRole).toBool()) files << fileOfRow(index);
  }
  return files;
}

QStringList MainWindow::selectedFolders() const {
  QStringList folders;
  for (const QModelIndex& index : remoteView_->activeTable()->selectionModel()->selectedRows(FileTableModel::NameColumn)) {
    if (index.data(FileTableModel::IsFolderRole).toBool()) folders << index.data(FileTableModel::FullNameRole).toString();
  }
  return folders;
}

void MainWindow::downloadSelected() {
  const QList<RemoteFile> files = selectedFiles();
  const QStringList folders = selectedFolders();
  if ((files.isEmpty() && folders.isEmpty()) || !session_.store()) return;
  const QString title = folders.isEmpty() ? tr("Download %n file(s) to", "", int(files.size()))
                                          : tr("Download %n item(s) with everything in the folders to", "",
                                               int(files.size() + folders.size()));
  const QString folder = folderChooser_ ? folderChooser_() : QFileDialog::getExistingDirectory(this, title);
  if (folder.isEmpty()) return;
  auto* planner = new DownloadPlanner(&session_, conflictResolver(), this);
  connect(planner, &DownloadPlanner::finished, this,
          [this](int downloaded, int failed, int skipped, const QStringList& errors) {
            if (!errors.isEmpty()) {
              statusBar()->showMessage(errors.first(), 15000);
            } else if (skipped > 0) {
              statusBar()->showMessage(tr("Downloaded %n file(s)", "", downloaded) + QStringLiteral("; ") +
                                           tr("skipped %n already in the folder", "", skipped),
                                       10000);
            }
            emit downloadsFinished(downloaded, failed, skipped);
          });
  planner->start(files, folders, folder);
}

void MainWindow::openSelected() {
  // Return on a folder enters it.
  const QModelIndex current = remoteView_->activeTable()->currentIndex();
  const QStringList folders = selectedFolders();
  if (current.isValid() && current.data(FileTableModel::IsFolderRole).toBool() &&
      remoteView_->activeTable()->selectionModel()->isSelected(current.siblingAtColumn(FileTableModel::NameColumn))) {
    browser_->navigate(current.data(FileTableModel::FullNameRole).toString());
    return;
  }
  QStringList names;
  for (const RemoteFile& f : selectedFiles()) names << f.name;
  if (names.isEmpty()) {
    if (folders.size() == 1) browser_->navigate(folders.first());
    return;
  }
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
  if (inCacheTab()) {
    cacheView_->removeSelected();
    return;
  }
  const QList<RemoteFile> files = selectedFiles();
  const QStringList folders = selectedFolders();
  StoreBackend* store = session_.store();
  if ((files.isEmpty() && folders.isEmpty()) || !store) return;
  if (folders.isEmpty()) {
    QStringList names;
    for (const RemoteFile& f : files) names << f.name;
    const bool ok = deleteConfirmer_ ? deleteConfirmer_(names) : Prompts::confirmDelete(this, names, session_.info().location);
    if (ok) runDeletion(files);
    return;
  }
  // A folder: count what is below it first, so the question says how much goes.
  struct Listing {
    QList<RemoteFile> files;
    QStringList folders;
    int left = 0;
    QString error;
  };
  auto listing = std::make_shared<Listing>();
  listing->files = files;
  listing->folders = folders;
  listing->left = int(folders.size());
  statusBar()->showMessage(tr("Counting the files in %n folder(s)…", "", int(folders.size())));
  QPointer<StoreBackend> forStore = store;
  for (const QString& folder : folders) {
    StoreJob* job = store->listFilesBelow(folder);
    connect(job, &StoreJob::finished, this, [this, job, listing, forStore] {
      if (!job->succeeded() && listing->error.isEmpty()) listing->error = job->errorString();
      if (job->succeeded()) listing->files << QList<RemoteFile>(job->listing().files.cbegin(), job->listing().files.cend());
      if (--listing->left > 0) return;
      statusBar()->clearMessage();
      if (forStore != session_.store()) return;  // another store meanwhile: its files are not these
      if (!listing->error.isEmpty()) {
        statusBar()->showMessage(tr("Cannot delete: %1").arg(listing->error), 15000);
        return;
      }
      FolderDeletion deletion;
      deletion.folders = listing->folders;
      deletion.location = session_.info().location;
      deletion.fileCount = int(listing->files.size());
      deletion.bytes = 0;
      for (const RemoteFile& f : listing->files) deletion.bytes = deletion.bytes < 0 || f.size < 0 ? -1 : deletion.bytes + f.size;
      const bool ok = folderDeleteConfirmer_ ? folderDeleteConfirmer_(deletion) : Prompts::confirmFolderDelete(this, deletion);
      if (ok) runDeletion(listing->files);
    });
  }
}

void MainWindow::runDeletion(const QList<RemoteFile>& files) {
  auto* planner = new DeletePlanner(session_.store(), this);
  // A big deletion shows its progress and can be stopped; a few files go at once.
  QPointer<QProgressDialog> progress;
  if (files.size() > 20) {
    progress = new QProgressDialog(tr("Deleting %n file(s)…", "", int(files.size())), tr("Stop"), 0, int(files.size()), this);
    progress->setObjectName(QStringLiteral("deleteProgress"));
    progress->setWindowTitle(tr("Delete files"));
    progress->setAttribute(Qt::WA_DeleteOnClose);
    progress->setMinimumDuration(300);
    progress->setAutoClose(false);
    progress->setAutoReset(false);
    connect(progress, &QProgressDialog::canceled, planner, &DeletePlanner::cancel);
    connect(planner, &DeletePlanner::progress, progress, [progress](int done, int total) {
      if (!progress) return;
      progress->setValue(done);
      progress->setLabelText(tr("Deleted %1 of %2 files…").arg(done).arg(total));
    });
  }
  QStringList names;
  for (const RemoteFile& f : files) names << f.name;
  connect(planner, &DeletePlanner::finished, this, [this, progress, names](int deleted, int failed, const QStringList& errors) {
    if (progress) progress->close();
    if (!errors.isEmpty()) {
      statusBar()->showMessage(errors.first(), 15000);
      if (!deleteConfirmer_ && !folderDeleteConfirmer_) Prompts::showDeleteFailures(this, failed, errors);
    } else {
      statusBar()->showMessage(tr("Deleted %n file(s).", "", deleted), 10000);
    }
    browser_->refresh();
    // Deleted from the search results: their rows go (some failed: search again).
    if (remoteView_->isSearchShown()) {
      if (failed == 0) remoteView_->search()->forget(names);
      else remoteView_->search()->start();
    }
    emit deletionsFinished(deleted, failed);
  });
  planner->start(files);
}

void MainWindow::refresh() {
  // Declined earlier: Refresh is how the user signs in after all.
  if (session_.signInDeclined()) askSignIn(session_.profile().userName, QString());
  browser_->refresh();
  if (session_.isRemote()) cacheView_->reload();
}

void MainWindow::copySelectedNames(bool versioned) {
  QStringList lines;
  for (const QModelIndex& index : remoteView_->activeTable()->selectionModel()->selectedRows(FileTableModel::NameColumn)) {
    const QString name = index.data(FileTableModel::FullNameRole).toString();
    const qint64 version = index.data(FileTableModel::VersionRole).toLongLong();
    lines << (versioned && version >= 0 ? name + QLatin1Char('@') + QString::number(version) : name);
  }
  if (!lines.isEmpty()) QApplication::clipboard()->setText(lines.join(QLatin1Char('\n')));
}

void MainWindow::showProperties() {
  const QModelIndexList rows = remoteView_->activeTable()->selectionModel()->selectedRows(FileTableModel::NameColumn);
  if (rows.isEmpty()) return;
  // A folder has no version, size or checksum of its own.
  if (rows.first().data(FileTableModel::IsFolderRole).toBool()) return;
  auto* dialog = new PropertiesDialog(&session_, fileOfRow(rows.first()), rows.first().data(FileTableModel::CachedRole).toBool(), this);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  dialog->show();
}

void MainWindow::showHistory() {
  const QModelIndexList rows = remoteView_->activeTable()->selectionModel()->selectedRows(FileTableModel::NameColumn);
  if (rows.isEmpty()) return;
  auto* store = qobject_cast<RemoteStore*>(session_.store());
  // A folder has no versions; the local store keeps none.
  if (rows.first().data(FileTableModel::IsFolderRole).toBool() || !store) return;
  auto* dialog = new HistoryDialog(&session_, store, fileOfRow(rows.first()).name, this);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  // A restore changes the current version: show it.
  connect(dialog, &HistoryDialog::restored, this, [this](const RemoteFile&) { browser_->refresh(); });
  emit historyShown(dialog);
  dialog->show();
}

void MainWindow::showSettings() {
  SettingsDialog dialog(session_.profile(), this);
  if (dialog.exec() != QDialog::Accepted) return;
  if (dialog.hasChosenProfile()) {
    openProfile(dialog.chosenProfile());
    return;
  }
  // Saved: a new cache limit of the open profile holds from now on, without
  // reconnecting (which would lose the folder the user is in).
  QSettings settings;
  const ConnectionProfile& open = session_.profile();
  for (const ConnectionProfile& p : ProfileSettings(settings).profiles()) {
    if (p.name == open.name && p.serverUrl == open.serverUrl && p.cacheDirectory == open.cacheDirectory) {
      session_.setCacheLimit(p.cacheLimit);
    }
  }
}

void MainWindow::checkCacheLimit() {
  const qint64 limit = session_.profile().cacheLimit;
  if (!session_.isRemote() || cacheBytes_ < 0) return;
  if (cacheBytes_ <= limit) {
    overLimitOffered_ = false;
    cacheGrew_ = false;
    return;
  }
  // Offered once each time the cache goes over, after what made it grow.
  if (!cacheGrew_ || overLimitOffered_ || cacheView_->isBusy()) return;
  cacheGrew_ = false;
  overLimitOffered_ = true;
  QSettings settings;
  if (settings_keys::kCacheAutoCleanUp.read(settings)) {
    statusBar()->showMessage(tr("The cache holds %1, over its limit of %2: cleaning up.").arg(humanSize(cacheBytes_), humanSize(limit)), 10000);
    cacheView_->cleanUpToLimit(false);
    return;
  }
  const bool go = cacheLimitPrompt_ ? cacheLimitPrompt_(cacheBytes_, limit) : Prompts::offerCacheCleanUp(this, cacheBytes_, limit);
  if (!go) return;
  tabs_->setCurrentWidget(cacheView_);
  cacheView_->cleanUpToLimit();
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
  transfersDock_->bandwidthBox()->setValue(kTransferBandwidthLimit.read(settings));
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
  kTransferBandwidthLimit.write(settings, transfersDock_->bandwidthBox()->value());
}

void MainWindow::closeEvent(QCloseEvent* event) {
  // Paused rows wait anyway (they are saved as they are): not worth asking.
  const int pending = session_.transfers()->pendingCount() - session_.transfers()->pausedCount();
  if (pending > 0) {
    const Prompts::QuitChoice choice = Prompts::confirmQuitDuringTransfers(this, pending);
    if (choice == Prompts::QuitChoice::KeepRunning) {
      event->ignore();
      return;
    }
    // ResumeLater: the session's close() puts what runs back in the queue file.
    if (choice == Prompts::QuitChoice::CancelAndQuit) session_.transfers()->cancelAll();
  }
  saveState();
  event->accept();
}

void MainWindow::chooseAndCompareFolder() {
  // What the user sees selected: one folder selected is the one compared.
  const QStringList folders = selectedFolders();
  const QString current = browser_->currentDirectory().isEmpty() ? QStringLiteral("/") : browser_->currentDirectory();
  const QString remote = folders.size() == 1 && selectedFiles().isEmpty() ? folders.first() : current;
  const QString local = compareFolderChooser_
                            ? compareFolderChooser_()
                            : QFileDialog::getExistingDirectory(this, tr("Compare a local folder with %1").arg(remote));
  if (!local.isEmpty()) compareFolders(local, remote);
}

void MainWindow::compareFolders(const QString& localFolder, const QString& remoteDirectory) {
  if (!session_.isReady()) return;
  auto* dialog = new CompareDialog(&session_, localFolder, remoteDirectory.isEmpty() ? QStringLiteral("/") : remoteDirectory, this);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  // What a sync changed on the server shows in the browser.
  connect(dialog, &CompareDialog::syncFinished, this, [this] { browser_->refresh(); });
  emit compareShown(dialog);
  dialog->show();
}

}  // namespace ft::ui
