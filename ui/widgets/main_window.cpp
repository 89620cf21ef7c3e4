#include "widgets/main_window.hpp"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QEventLoop>
#include <QFileDialog>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollBar>
#include <QSettings>
#include <QSpinBox>
#include <QSplitter>
#include <QStatusBar>
#include <QStyle>
#include <QTabWidget>
#include <QToolBar>
#include <QTreeView>
#include <QVBoxLayout>

#include "filetracker/protocol.hpp"
#include "models/file_table_model.hpp"
#include "widgets/cache_view.hpp"
#include "widgets/drop_views.hpp"
#include "widgets/icons.hpp"
#include "widgets/properties_dialog.hpp"
#include "widgets/settings_dialog.hpp"
#include "widgets/size_format.hpp"
#include "widgets/transfers_dock.hpp"

namespace ft::ui {

namespace {
QIcon themed(const char* name, QStyle::StandardPixmap fallback) {
  return QIcon::fromTheme(QLatin1String(name), QApplication::style()->standardIcon(fallback));
}
}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setObjectName(QStringLiteral("mainWindow"));
  setWindowIcon(ownIcon(QStringLiteral("filetracker.svg"), QStyle::SP_DriveNetIcon));
  browser_ = new RemoteBrowser(&session_, this);

  // ---- Remote view --------------------------------------------------------
  auto* remotePage = new QWidget(this);
  auto* remoteLayout = new QVBoxLayout(remotePage);
  remoteLayout->setContentsMargins(0, 0, 0, 0);
  splitter_ = new QSplitter(Qt::Horizontal, remotePage);
  splitter_->setObjectName(QStringLiteral("remoteSplitter"));
  tree_ = new DirectoryTreeView(splitter_);
  tree_->setObjectName(QStringLiteral("directoryTree"));
  tree_->setModel(browser_->treeModel());
  auto* right = new QWidget(splitter_);
  auto* rightLayout = new QVBoxLayout(right);
  rightLayout->setContentsMargins(0, 0, 0, 0);
  rightLayout->setSpacing(4);
  auto* filterRow = new QHBoxLayout();
  pathLabel_ = new QLabel(right);
  pathLabel_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  QFont bold = pathLabel_->font();
  bold.setBold(true);
  pathLabel_->setFont(bold);
  filter_ = new QLineEdit(right);
  filter_->setObjectName(QStringLiteral("filterEdit"));
  filter_->setClearButtonEnabled(true);
  filter_->setMinimumWidth(260);
  filter_->setMaximumWidth(360);
  filterRow->addWidget(pathLabel_, 1);
  filterRow->addWidget(filter_);
  rightLayout->addLayout(filterRow);
  table_ = new FileTableView(right);
  table_->setObjectName(QStringLiteral("fileTable"));
  table_->setModel(browser_->proxyModel());
  table_->sortByColumn(FileTableModel::NameColumn, Qt::AscendingOrder);
  // The name takes the room; the other columns keep the widths the user gives them.
  table_->horizontalHeader()->setSectionResizeMode(FileTableModel::NameColumn, QHeaderView::Stretch);
  table_->horizontalHeader()->resizeSection(FileTableModel::VersionColumn, 250);
  table_->horizontalHeader()->resizeSection(FileTableModel::SizeColumn, 100);
  table_->horizontalHeader()->resizeSection(FileTableModel::CachedColumn, 150);
  table_->horizontalHeader()->setStretchLastSection(false);
  table_->setContextMenuPolicy(Qt::CustomContextMenu);
  rightLayout->addWidget(table_, 1);
  splitter_->addWidget(tree_);
  splitter_->addWidget(right);
  splitter_->setStretchFactor(0, 1);
  splitter_->setStretchFactor(1, 3);
  splitter_->setSizes({240, 720});
  remoteLayout->addWidget(splitter_);
  browser_->fileModel()->setDragFileProvider([this](const QStringList& names) { return provideDraggedFiles(names); });

  // ---- Cache view, tabs, dock --------------------------------------------
  cacheView_ = new CacheView(&session_, this);
  tabs_ = new QTabWidget(this);
  tabs_->setDocumentMode(true);
  tabs_->addTab(remotePage, QString());
  tabs_->addTab(cacheView_, QString());
  setCentralWidget(tabs_);
  transfersDock_ = new TransfersDock(session_.transfers(), this);
  addDockWidget(Qt::BottomDockWidgetArea, transfersDock_);

  // ---- Status bar ---------------------------------------------------------
  serverLabel_ = new QLabel(this);
  protocolLabel_ = new QLabel(this);
  countLabel_ = new QLabel(this);
  cacheLabel_ = new QLabel(this);
  statusBar()->addWidget(serverLabel_, 1);
  for (QLabel* label : {protocolLabel_, countLabel_, cacheLabel_}) {
    // A sunken frame per field, drawn with the palette: separated in light and dark themes.
    label->setFrameShape(QFrame::StyledPanel);
    label->setFrameShadow(QFrame::Sunken);
    label->setContentsMargins(6, 0, 6, 0);
    statusBar()->addPermanentWidget(label);
  }

  createActions();
  createMenus();

  // ---- Wiring -------------------------------------------------------------
  metadataTimer_.setSingleShot(true);
  metadataTimer_.setInterval(60);
  connect(&metadataTimer_, &QTimer::timeout, this, &MainWindow::requestVisibleMetadata);
  refreshTimer_.setSingleShot(true);
  refreshTimer_.setInterval(250);
  connect(&refreshTimer_, &QTimer::timeout, this, [this] { browser_->refresh(); });

  connect(filter_, &QLineEdit::textChanged, this, [this](const QString& text) {
    browser_->proxyModel()->setNameFilter(text);
    updateStatus();
    scheduleVisibleMetadata();
  });
  connect(tree_->selectionModel(), &QItemSelectionModel::currentChanged, this, [this](const QModelIndex& current) {
    const QString path = browser_->treeModel()->pathOf(current);
    if (!path.isEmpty() && path != browser_->currentDirectory()) browser_->openDirectory(path);
  });
  connect(table_, &FileTableView::filesDropped, this,
          [this](const QStringList& paths) { uploadPaths(paths, browser_->currentDirectory()); });
  connect(tree_, &DirectoryTreeView::filesDropped, this,
          [this](const QStringList& paths, const QString& dir) { uploadPaths(paths, dir); });
  connect(table_, &QAbstractItemView::doubleClicked, this, [this] { openSelected(); });
  connect(table_, &QWidget::customContextMenuRequested, this, [this](const QPoint& pos) {
    QMenu menu(this);
    menu.addAction(openAction_);
    menu.addAction(downloadAction_);
    menu.addSeparator();
    menu.addAction(copyNameAction_);
    menu.addAction(copyVersionedAction_);
    menu.addSeparator();
    menu.addAction(uploadFilesAction_);
    menu.addAction(uploadFolderAction_);
    menu.addSeparator();
    menu.addAction(deleteAction_);
    menu.addSeparator();
    menu.addAction(propertiesAction_);
    menu.exec(table_->viewport()->mapToGlobal(pos));
  });
  tree_->setContextMenuPolicy(Qt::CustomContextMenu);
  connect(tree_, &QWidget::customContextMenuRequested, this, [this](const QPoint& pos) {
    QMenu menu(this);
    menu.addAction(uploadFilesAction_);
    menu.addAction(uploadFolderAction_);
    menu.addSeparator();
    menu.addAction(refreshAction_);
    menu.exec(tree_->viewport()->mapToGlobal(pos));
  });
  connect(table_->selectionModel(), &QItemSelectionModel::selectionChanged, this, &MainWindow::updateActions);
  connect(table_->verticalScrollBar(), &QScrollBar::valueChanged, this, &MainWindow::scheduleVisibleMetadata);
  connect(browser_->proxyModel(), &QAbstractItemModel::layoutChanged, this, &MainWindow::scheduleVisibleMetadata);
  connect(browser_->proxyModel(), &QAbstractItemModel::modelReset, this, [this] {
    scheduleVisibleMetadata();
    updateStatus();
    updateActions();
  });
  connect(browser_, &RemoteBrowser::directoryLoaded, this, [this](const QString& dir, int) {
    lastError_.clear();
    pathLabel_->setText(dir);
    const QModelIndex index = browser_->treeModel()->ensurePath(dir);
    if (index.isValid()) {
      for (QModelIndex up = index.parent(); up.isValid(); up = up.parent()) tree_->expand(up);
      tree_->expand(index);
      if (tree_->currentIndex() != index) tree_->setCurrentIndex(index);
      tree_->scrollTo(index);
    }
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
  connect(&session_, &Session::ready, this, [this] {
    lastError_.clear();
    cacheView_->reload();
    updateStatus();
    updateActions();
  });
  connect(&session_, &Session::failed, this, [this](const QString& reason) {
    lastError_ = reason;
    updateStatus();
    statusBar()->showMessage(tr("Cannot connect: %1").arg(reason), 15000);
  });
  connect(&session_, &Session::storeChanged, this, [this] {
    tabs_->setTabVisible(1, session_.isRemote());
    // The local store is its own cache: a "cached" column would say yes everywhere.
    table_->setColumnHidden(FileTableModel::CachedColumn, !session_.isRemote());
    pathLabel_->setText(QStringLiteral("/"));
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
  connect(cacheView_, &CacheView::reloaded, this, [this](qint64 bytes, int files) {
    cacheBytes_ = bytes;
    cacheFiles_ = files;
    updateStatus();
  });
  connect(cacheView_, &CacheView::cacheChanged, browser_, &RemoteBrowser::refreshCachedFlags);

  retranslate();
  restoreState();
  updateActions();
}

MainWindow::~MainWindow() = default;

void MainWindow::createActions() {
  uploadFilesAction_ = new QAction(ownIcon(QStringLiteral("upload.svg"), QStyle::SP_ArrowUp), QString(), this);
  uploadFilesAction_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_U));
  uploadFolderAction_ = new QAction(ownIcon(QStringLiteral("upload-folder.svg"), QStyle::SP_FileDialogNewFolder), QString(), this);
  uploadFolderAction_->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_U));
  downloadAction_ = new QAction(ownIcon(QStringLiteral("download.svg"), QStyle::SP_ArrowDown), QString(), this);
  downloadAction_->setShortcut(QKeySequence::Save);
  openAction_ = new QAction(themed("document-open", QStyle::SP_DialogOpenButton), QString(), this);
  openAction_->setShortcuts({QKeySequence(Qt::Key_Return), QKeySequence::Open});
  openAction_->setShortcutContext(Qt::WidgetWithChildrenShortcut);
  deleteAction_ = new QAction(themed("edit-delete", QStyle::SP_TrashIcon), QString(), this);
  deleteAction_->setShortcut(QKeySequence::Delete);
  deleteAction_->setShortcutContext(Qt::WidgetWithChildrenShortcut);
  refreshAction_ = new QAction(themed("view-refresh", QStyle::SP_BrowserReload), QString(), this);
  refreshAction_->setShortcut(QKeySequence::Refresh);
  copyNameAction_ = new QAction(themed("edit-copy", QStyle::SP_FileLinkIcon), QString(), this);
  copyNameAction_->setShortcut(QKeySequence::Copy);
  copyNameAction_->setShortcutContext(Qt::WidgetWithChildrenShortcut);
  copyVersionedAction_ = new QAction(QString(), this);
  copyVersionedAction_->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
  copyVersionedAction_->setShortcutContext(Qt::WidgetWithChildrenShortcut);
  propertiesAction_ = new QAction(themed("document-properties", QStyle::SP_FileDialogInfoView), QString(), this);
  propertiesAction_->setShortcut(QKeySequence(Qt::ALT | Qt::Key_Return));
  settingsAction_ = new QAction(themed("preferences-system", QStyle::SP_ComputerIcon), QString(), this);
  settingsAction_->setShortcut(QKeySequence::Preferences);
  quitAction_ = new QAction(themed("application-exit", QStyle::SP_DialogCloseButton), QString(), this);
  quitAction_->setShortcut(QKeySequence::Quit);
  quitAction_->setMenuRole(QAction::QuitRole);
  aboutAction_ = new QAction(QString(), this);
  findAction_ = new QAction(QString(), this);
  findAction_->setShortcut(QKeySequence::Find);
  selectAllAction_ = new QAction(QString(), this);
  selectAllAction_->setShortcut(QKeySequence::SelectAll);
  selectAllAction_->setShortcutContext(Qt::WidgetWithChildrenShortcut);
  table_->addActions({openAction_, deleteAction_, copyNameAction_, copyVersionedAction_, selectAllAction_});

  connect(uploadFilesAction_, &QAction::triggered, this, [this] {
    const QStringList files = QFileDialog::getOpenFileNames(this, tr("Upload files to %1").arg(browser_->currentDirectory()));
    if (!files.isEmpty()) uploadPaths(files, browser_->currentDirectory());
  });
  connect(uploadFolderAction_, &QAction::triggered, this, [this] {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Upload a folder to %1").arg(browser_->currentDirectory()));
    if (!dir.isEmpty()) uploadPaths({dir}, browser_->currentDirectory());
  });
  connect(downloadAction_, &QAction::triggered, this, &MainWindow::downloadSelected);
  connect(openAction_, &QAction::triggered, this, &MainWindow::openSelected);
  connect(deleteAction_, &QAction::triggered, this, &MainWindow::deleteSelected);
  connect(refreshAction_, &QAction::triggered, this, &MainWindow::refresh);
  connect(copyNameAction_, &QAction::triggered, this, [this] { copySelectedNames(false); });
  connect(copyVersionedAction_, &QAction::triggered, this, [this] { copySelectedNames(true); });
  connect(propertiesAction_, &QAction::triggered, this, &MainWindow::showProperties);
  connect(settingsAction_, &QAction::triggered, this, &MainWindow::showSettings);
  connect(quitAction_, &QAction::triggered, this, &QWidget::close);
  connect(findAction_, &QAction::triggered, this, [this] {
    tabs_->setCurrentIndex(0);
    filter_->setFocus();
    filter_->selectAll();
  });
  connect(selectAllAction_, &QAction::triggered, table_, &QAbstractItemView::selectAll);
  connect(aboutAction_, &QAction::triggered, this, [this] {
    QMessageBox::about(this, tr("About Filetracker"),
                       tr("<h3>Filetracker %1</h3><p>Shared storage for files with a little metadata: "
                          "a browser and administration tool for filetracker servers and the local cache.</p>")
                           .arg(QCoreApplication::applicationVersion()));
  });
}

void MainWindow::createMenus() {
  fileMenu_ = menuBar()->addMenu(QString());
  fileMenu_->addAction(uploadFilesAction_);
  fileMenu_->addAction(uploadFolderAction_);
  fileMenu_->addAction(downloadAction_);
  fileMenu_->addAction(openAction_);
  fileMenu_->addSeparator();
  fileMenu_->addAction(propertiesAction_);
  fileMenu_->addSeparator();
  fileMenu_->addAction(settingsAction_);
  fileMenu_->addSeparator();
  fileMenu_->addAction(quitAction_);
  editMenu_ = menuBar()->addMenu(QString());
  editMenu_->addAction(copyNameAction_);
  editMenu_->addAction(copyVersionedAction_);
  editMenu_->addSeparator();
  editMenu_->addAction(selectAllAction_);
  editMenu_->addAction(findAction_);
  editMenu_->addSeparator();
  editMenu_->addAction(deleteAction_);
  viewMenu_ = menuBar()->addMenu(QString());
  viewMenu_->addAction(refreshAction_);
  viewMenu_->addSeparator();
  viewMenu_->addAction(transfersDock_->toggleViewAction());
  helpMenu_ = menuBar()->addMenu(QString());
  helpMenu_->addAction(aboutAction_);

  toolBar_ = addToolBar(QString());
  toolBar_->setObjectName(QStringLiteral("mainToolBar"));
  toolBar_->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
  toolBar_->setMovable(false);
  toolBar_->addAction(uploadFilesAction_);
  toolBar_->addAction(uploadFolderAction_);
  toolBar_->addAction(downloadAction_);
  toolBar_->addAction(openAction_);
  toolBar_->addSeparator();
  toolBar_->addAction(deleteAction_);
  toolBar_->addSeparator();
  toolBar_->addAction(refreshAction_);
  toolBar_->addAction(propertiesAction_);
  toolBar_->addSeparator();
  toolBar_->addAction(settingsAction_);
}

void MainWindow::retranslate() {
  setWindowTitle(tr("Filetracker"));
  tabs_->setTabText(0, session_.isRemote() ? tr("Server") : tr("Local store"));
  tabs_->setTabText(1, tr("Cache"));
  filter_->setPlaceholderText(tr("Filter by name (Ctrl+F)"));
  fileMenu_->setTitle(tr("&File"));
  editMenu_->setTitle(tr("&Edit"));
  viewMenu_->setTitle(tr("&View"));
  helpMenu_->setTitle(tr("&Help"));
  toolBar_->setWindowTitle(tr("Main toolbar"));
  uploadFilesAction_->setText(tr("&Upload files…"));
  uploadFilesAction_->setIconText(tr("Upload"));
  uploadFilesAction_->setToolTip(tr("Upload files into the current directory"));
  uploadFolderAction_->setText(tr("Upload &folder…"));
  uploadFolderAction_->setIconText(tr("Upload folder"));
  uploadFolderAction_->setToolTip(tr("Upload a folder with everything in it, keeping relative paths"));
  downloadAction_->setText(tr("&Download to…"));
  downloadAction_->setIconText(tr("Download"));
  downloadAction_->setToolTip(tr("Download the selected files to a folder"));
  openAction_->setText(tr("&Open"));
  openAction_->setToolTip(tr("Fetch the selected files into the cache and open them"));
  deleteAction_->setText(tr("&Delete…"));
  deleteAction_->setToolTip(tr("Delete the selected files from the store"));
  refreshAction_->setText(tr("&Refresh"));
  copyNameAction_->setText(tr("&Copy name"));
  copyVersionedAction_->setText(tr("Copy &versioned name"));
  propertiesAction_->setText(tr("&Properties"));
  settingsAction_->setText(tr("&Settings and connections…"));
  settingsAction_->setIconText(tr("Connections"));
  quitAction_->setText(tr("&Quit"));
  aboutAction_->setText(tr("&About Filetracker"));
  findAction_->setText(tr("&Find…"));
  selectAllAction_->setText(tr("Select &all"));
  updateStatus();
}

void MainWindow::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) retranslate();
  QMainWindow::changeEvent(event);
}

QString MainWindow::statusText() const {
  return QStringList{serverLabel_->text(), protocolLabel_->text(), countLabel_->text(), cacheLabel_->text()}.join(
      QStringLiteral(" | "));
}

void MainWindow::updateStatus() {
  const StoreInfo& info = session_.info();
  if (!session_.store()) {
    serverLabel_->setText(tr("Not connected"));
  } else if (session_.isRemote()) {
    serverLabel_->setText(lastError_.isEmpty() ? tr("Server: %1").arg(info.location)
                                               : tr("Server: %1 — %2").arg(info.location, lastError_));
  } else {
    serverLabel_->setText(tr("Local store: %1").arg(info.location));
  }
  if (session_.isRemote() && session_.isReady()) {
    protocolLabel_->setText(info.extensions.isEmpty()
                                ? tr("Protocol v%1").arg(info.protocolVersion)
                                : tr("Protocol v%1 + %2").arg(info.protocolVersion).arg(info.extensions.join(QStringLiteral(", "))));
    protocolLabel_->setVisible(true);
  } else {
    protocolLabel_->setVisible(false);
  }
  const int shown = browser_->proxyModel()->rowCount();
  const int total = browser_->fileModel()->rowCount();
  countLabel_->setText(shown == total ? tr("%n file(s)", "", total) : tr("%1 of %n file(s)", "", total).arg(shown));
  if (session_.isRemote() && cacheBytes_ >= 0) {
    cacheLabel_->setText(tr("Cache: %1 of %2").arg(humanSize(cacheBytes_), humanSize(session_.profile().cacheLimit)));
    cacheLabel_->setVisible(true);
  } else {
    cacheLabel_->setVisible(false);
  }
  tabs_->setTabText(0, session_.isRemote() ? tr("Server") : tr("Local store"));
}

void MainWindow::updateActions() {
  const bool ready = session_.isReady();
  const bool any = table_->selectionModel() && table_->selectionModel()->hasSelection();
  uploadFilesAction_->setEnabled(ready);
  uploadFolderAction_->setEnabled(ready);
  downloadAction_->setEnabled(ready && any);
  openAction_->setEnabled(ready && any);
  deleteAction_->setEnabled(ready && any);
  copyNameAction_->setEnabled(any);
  copyVersionedAction_->setEnabled(any);
  propertiesAction_->setEnabled(ready && any);
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
  for (const QModelIndex& index : table_->selectionModel()->selectedRows(FileTableModel::NameColumn)) {
    names << index.data(FileTableModel::FullNameRole).toString();
  }
  return names;
}

ConflictChoice MainWindow::askConflict(const QString& name) {
  QMessageBox box(QMessageBox::Question, tr("File exists"),
                  tr("%1 is already in the store. Overwrite it with the new version?").arg(name),
                  QMessageBox::NoButton, this);
  QPushButton* overwrite = box.addButton(tr("&Overwrite"), QMessageBox::YesRole);
  QPushButton* overwriteAll = box.addButton(tr("Overwrite &all"), QMessageBox::YesRole);
  QPushButton* skip = box.addButton(tr("&Skip"), QMessageBox::NoRole);
  QPushButton* skipAll = box.addButton(tr("S&kip all"), QMessageBox::NoRole);
  box.addButton(QMessageBox::Cancel);
  box.setDefaultButton(skip);
  box.exec();
  if (box.clickedButton() == overwrite) return ConflictChoice::Overwrite;
  if (box.clickedButton() == overwriteAll) return ConflictChoice::OverwriteAll;
  if (box.clickedButton() == skip) return ConflictChoice::Skip;
  if (box.clickedButton() == skipAll) return ConflictChoice::SkipAll;
  return ConflictChoice::Cancel;
}

void MainWindow::uploadPaths(const QStringList& localPaths, const QString& targetDirectory) {
  if (!session_.isReady() || localPaths.isEmpty()) return;
  ConflictResolver resolver = conflictResolver_ ? conflictResolver_ : [this](const QString& name) { return askConflict(name); };
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
  session_.fetchIntoCache(names, Transfer::Kind::Open, [this, names](bool ok, const QString& error) {
    if (!ok) {
      statusBar()->showMessage(tr("Cannot open: %1").arg(error), 10000);
      return;
    }
    // The application gets a private read-only copy: an editor saving in
    // place must not change the store, nor the hard-linked cache file.
    QStringList sources;
    for (const QString& name : names) sources << session_.localPathOf(name);
    statusBar()->showMessage(tr("Copying %n file(s) for opening…", "", int(sources.size())));
    session_.openCopies()->copy(sources, [this](const QStringList& copies, const QString& copyError) {
      statusBar()->clearMessage();
      if (!copyError.isEmpty()) {
        statusBar()->showMessage(tr("Cannot open: %1").arg(copyError), 10000);
        return;
      }
      for (const QString& path : copies) {
        if (!session_.openUrl(QUrl::fromLocalFile(path))) {
          statusBar()->showMessage(tr("No application to open %1").arg(path), 10000);
        }
      }
      emit opened(copies);
    });
  });
}

void MainWindow::deleteSelected() {
  QList<RemoteFile> files;
  const auto* model = browser_->fileModel();
  for (const QModelIndex& index : table_->selectionModel()->selectedRows(FileTableModel::NameColumn)) {
    const QModelIndex source = browser_->proxyModel()->mapToSource(index);
    files << model->row(source.row()).file;
  }
  if (files.isEmpty()) return;
  QStringList names;
  for (const RemoteFile& f : files) names << f.name;
  bool ok = false;
  if (deleteConfirmer_) {
    ok = deleteConfirmer_(names);
  } else {
    QString list = names.mid(0, 20).join(QLatin1Char('\n'));
    if (names.size() > 20) list += QStringLiteral("\n") + tr("…and %n more", "", int(names.size() - 20));
    QMessageBox box(QMessageBox::Warning, tr("Delete files"),
                    tr("Delete %n file(s) from %1? This cannot be undone.", "", int(names.size())).arg(session_.info().location),
                    QMessageBox::Cancel, this);
    box.setInformativeText(list);
    QPushButton* del = box.addButton(tr("&Delete"), QMessageBox::DestructiveRole);
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    ok = box.clickedButton() == del;
  }
  if (!ok) return;
  struct Tally {
    int left = 0;
    int deleted = 0;
    int failed = 0;
    QStringList errors;
  };
  auto tally = std::make_shared<Tally>();
  tally->left = int(files.size());
  const qint64 now = QDateTime::currentSecsSinceEpoch();
  for (const RemoteFile& f : files) {
    StoreJob* job = session_.store()->remove(f.name, f.version >= 0 ? f.version : now);
    connect(job, &StoreJob::finished, this, [this, job, tally] {
      if (job->succeeded()) {
        ++tally->deleted;
      } else {
        ++tally->failed;
        tally->errors << job->errorString();
      }
      if (--tally->left == 0) {
        if (!tally->errors.isEmpty()) {
          statusBar()->showMessage(tally->errors.first(), 15000);
          QMessageBox* box = new QMessageBox(QMessageBox::Warning, tr("Delete files"),
                                             tr("%n file(s) could not be deleted.", "", tally->failed), QMessageBox::Ok, this);
          box->setDetailedText(tally->errors.join(QLatin1Char('\n')));
          box->setAttribute(Qt::WA_DeleteOnClose);
          if (!deleteConfirmer_) box->open();
          else delete box;
        }
        browser_->refresh();
        emit deletionsFinished(tally->deleted, tally->failed);
      }
    });
  }
}

void MainWindow::refresh() {
  browser_->refresh();
  if (session_.isRemote()) cacheView_->reload();
}

void MainWindow::copySelectedNames(bool versioned) {
  QStringList lines;
  for (const QModelIndex& index : table_->selectionModel()->selectedRows(FileTableModel::NameColumn)) {
    const QString name = index.data(FileTableModel::FullNameRole).toString();
    const qint64 version = index.data(FileTableModel::VersionRole).toLongLong();
    lines << (versioned && version >= 0 ? name + QLatin1Char('@') + QString::number(version) : name);
  }
  if (!lines.isEmpty()) QApplication::clipboard()->setText(lines.join(QLatin1Char('\n')));
}

void MainWindow::showProperties() {
  const QModelIndexList rows = table_->selectionModel()->selectedRows(FileTableModel::NameColumn);
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

// ---- Plain-server metadata for the rows on screen ---------------------------

void MainWindow::scheduleVisibleMetadata() {
  if (!metadataTimer_.isActive()) metadataTimer_.start();
}

void MainWindow::requestVisibleMetadata() {
  const int rows = browser_->proxyModel()->rowCount();
  if (rows == 0) return;
  int first = table_->rowAt(0);
  int last = table_->rowAt(table_->viewport()->height() - 1);
  if (first < 0) first = 0;
  if (last < 0) last = qMin(rows - 1, first + 60);
  QStringList names;
  for (int r = first; r <= last; ++r) {
    const QModelIndex index = browser_->proxyModel()->index(r, FileTableModel::NameColumn);
    if (index.data(FileTableModel::VersionRole).toLongLong() < 0) {
      names << index.data(FileTableModel::FullNameRole).toString();
    }
  }
  if (!names.isEmpty()) browser_->fetchMetadata(names);
}

// ---- Drag out ----------------------------------------------------------------

QList<QUrl> MainWindow::provideDraggedFiles(const QStringList& names) {
  QList<QUrl> urls;
  if (session_.isRemote()) {
    // The drop target waits for the data; our event loop keeps running (the
    // downloads show in the Transfers dock) until the files are in the cache.
    QEventLoop loop;
    bool ok = false;
    session_.fetchIntoCache(names, Transfer::Kind::Download, [&](bool success, const QString& error) {
      ok = success;
      if (!success) statusBar()->showMessage(error, 10000);
      loop.quit();
    });
    if (session_.transfers()->pendingCount() > 0) loop.exec();
    if (!ok) return urls;
  }
  // The target gets private writable copies, never the cache file (hard-
  // linked with other files) or the stored file: an editor that opens the
  // drop in place must not change the store. Writable, because a file
  // manager carries the mode over to the user's copy.
  QStringList sources;
  for (const QString& name : names) sources << session_.localPathOf(name);
  OpenCopies* copier = session_.openCopies();
  QEventLoop loop;
  bool finished = false;
  // done() does not run if the copier goes away first: do not wait forever.
  connect(copier, &QObject::destroyed, &loop, &QEventLoop::quit);
  copier->copy(
      sources,
      [&](const QStringList& copies, const QString& error) {
        finished = true;
        if (!error.isEmpty()) statusBar()->showMessage(tr("Cannot drag out: %1").arg(error), 10000);
        for (const QString& path : copies) urls << QUrl::fromLocalFile(path);
        loop.quit();
      },
      OpenCopies::Mode::Writable);
  if (!finished) loop.exec();
  return urls;
}

// ---- Remembered state ----------------------------------------------------------

void MainWindow::restoreState() {
  QSettings settings;
  if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray())) resize(1100, 720);
  QMainWindow::restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
  splitter_->restoreState(settings.value(QStringLiteral("window/splitter")).toByteArray());
  table_->horizontalHeader()->restoreState(settings.value(QStringLiteral("window/filesHeader")).toByteArray());
  cacheView_->view()->horizontalHeader()->restoreState(settings.value(QStringLiteral("window/cacheHeader")).toByteArray());
  transfersDock_->view()->header()->restoreState(settings.value(QStringLiteral("window/transfersHeader")).toByteArray());
  const int limit = settings.value(QStringLiteral("transfers/concurrency"), 2).toInt();
  transfersDock_->concurrencyBox()->setValue(limit);
}

void MainWindow::saveState() {
  QSettings settings;
  settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
  settings.setValue(QStringLiteral("window/state"), QMainWindow::saveState());
  settings.setValue(QStringLiteral("window/splitter"), splitter_->saveState());
  settings.setValue(QStringLiteral("window/filesHeader"), table_->horizontalHeader()->saveState());
  settings.setValue(QStringLiteral("window/cacheHeader"), cacheView_->view()->horizontalHeader()->saveState());
  settings.setValue(QStringLiteral("window/transfersHeader"), transfersDock_->view()->header()->saveState());
  settings.setValue(QStringLiteral("transfers/concurrency"), session_.transfers()->concurrencyLimit());
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
