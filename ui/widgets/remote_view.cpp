#include "widgets/remote_view.hpp"

#include <QAction>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QScrollBar>
#include <QSplitter>
#include <QStackedWidget>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

#include "models/file_table_model.hpp"
#include "session/remote_browser.hpp"
#include "widgets/bookmarks_view.hpp"
#include "widgets/drop_views.hpp"
#include "widgets/path_completer.hpp"
#include "widgets/search_view.hpp"

namespace ft::ui {

RemoteView::RemoteView(RemoteBrowser* browser, QWidget* parent) : QWidget(parent), browser_(browser) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  splitter_ = new QSplitter(Qt::Horizontal, this);
  splitter_->setObjectName(QStringLiteral("remoteSplitter"));
  // The sidebar: the folder tree above the profile's bookmarks.
  auto* sidebar = new QSplitter(Qt::Vertical, splitter_);
  sidebar->setObjectName(QStringLiteral("sidebarSplitter"));
  tree_ = new DirectoryTreeView(sidebar);
  tree_->setObjectName(QStringLiteral("directoryTree"));
  tree_->setModel(browser_->treeModel());
  tree_->setContextMenuPolicy(Qt::CustomContextMenu);

  stack_ = new QStackedWidget(splitter_);
  auto* right = new QWidget(stack_);
  browse_ = right;
  auto* rightLayout = new QVBoxLayout(right);
  rightLayout->setContentsMargins(0, 0, 0, 0);
  rightLayout->setSpacing(4);
  auto* filterRow = new QHBoxLayout();
  path_ = new QLineEdit(right);
  path_->setObjectName(QStringLiteral("pathBar"));
  path_->setText(QStringLiteral("/"));
  QFont bold = path_->font();
  bold.setBold(true);
  path_->setFont(bold);
  filter_ = new QLineEdit(right);
  filter_->setObjectName(QStringLiteral("filterEdit"));
  filter_->setClearButtonEnabled(true);
  filter_->setMinimumWidth(260);
  filter_->setMaximumWidth(360);
  filterRow->addWidget(path_, 1);
  filterRow->addWidget(filter_);
  rightLayout->addLayout(filterRow);

  table_ = new FileTableView(right);
  table_->setObjectName(QStringLiteral("fileTable"));
  table_->setModel(browser_->proxyModel());
  table_->sortByColumn(FileTableModel::NameColumn, Qt::AscendingOrder);
  // The name takes the room; the other columns keep the widths the user gives them.
  QHeaderView* header = table_->horizontalHeader();
  header->setSectionResizeMode(FileTableModel::NameColumn, QHeaderView::Stretch);
  header->resizeSection(FileTableModel::VersionColumn, 250);
  header->resizeSection(FileTableModel::SizeColumn, 100);
  header->resizeSection(FileTableModel::CachedColumn, 150);
  header->setStretchLastSection(false);
  table_->setContextMenuPolicy(Qt::CustomContextMenu);
  rightLayout->addWidget(table_, 1);

  search_ = new SearchView(browser_->session(), browser_, stack_);
  stack_->addWidget(right);
  stack_->addWidget(search_);
  bookmarks_ = new BookmarksView(sidebar);
  sidebar->addWidget(tree_);
  sidebar->addWidget(bookmarks_);
  sidebar->setStretchFactor(0, 4);
  sidebar->setStretchFactor(1, 1);
  splitter_->addWidget(sidebar);
  splitter_->addWidget(stack_);
  splitter_->setStretchFactor(0, 1);
  splitter_->setStretchFactor(1, 3);
  splitter_->setSizes({240, 720});
  layout->addWidget(splitter_);

  connect(filter_, &QLineEdit::textChanged, this, [this](const QString& text) {
    browser_->proxyModel()->setNameFilter(text);
    scheduleVisibleMetadata();
  });
  connect(tree_->selectionModel(), &QItemSelectionModel::currentChanged, this, [this](const QModelIndex& current) {
    const QString path = browser_->treeModel()->pathOf(current);
    if (!path.isEmpty() && path != browser_->currentDirectory()) browser_->navigate(path);
  });
  // The path bar, the tree and the table follow the browser's current
  // directory as soon as it changes, whether or not its listing arrives.
  connect(browser_, &RemoteBrowser::directoryChanged, this, [this](const QString& dir) {
    filter_->clear();  // a filter typed for one folder would hide another's files
    showDirectory(dir);
    updateNavigation();
  });
  connect(browser_, &RemoteBrowser::directoryLoaded, this, [this](const QString& dir) {
    showDirectory(dir);
    selectPendingFile();
  });
  connect(browser_, &RemoteBrowser::versionNotListed, this, [this](const QString& name, qint64 asked, qint64 listed) {
    emit message(tr("%1@%2 is not the newest version; the store lists %1@%3").arg(name).arg(asked).arg(listed));
  });
  connect(path_, &QLineEdit::returnPressed, this, [this] {
    QString error;
    if (!browser_->goTo(path_->text(), &error)) {
      emit message(tr("Cannot go to %1: %2").arg(path_->text(), error));
      return;
    }
    table_->setFocus();
  });
  connect(path_, &QLineEdit::editingFinished, this, [this] {
    if (!path_->hasFocus()) path_->setText(browser_->currentDirectory());
  });

  // Navigation keys: within this view (Backspace keeps its meaning in the
  // path bar and the filter, which take it first).
  up_ = new QAction(style()->standardIcon(QStyle::SP_FileDialogToParent), QString(), this);
  up_->setShortcuts({QKeySequence(Qt::Key_Backspace), QKeySequence(Qt::ALT | Qt::Key_Up)});
  back_ = new QAction(style()->standardIcon(QStyle::SP_ArrowBack), QString(), this);
  back_->setShortcut(QKeySequence(Qt::ALT | Qt::Key_Left));
  forward_ = new QAction(style()->standardIcon(QStyle::SP_ArrowForward), QString(), this);
  forward_->setShortcut(QKeySequence(Qt::ALT | Qt::Key_Right));
  editPath_ = new QAction(this);
  editPath_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
  for (QAction* a : {up_, back_, forward_, editPath_}) {
    a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addAction(a);
  }
  int at = 0;
  for (QAction* a : {back_, forward_, up_}) {
    auto* button = new QToolButton(right);
    button->setDefaultAction(a);
    button->setAutoRaise(true);
    filterRow->insertWidget(at++, button);
  }
  connect(up_, &QAction::triggered, browser_, &RemoteBrowser::goUp);
  connect(back_, &QAction::triggered, browser_, &RemoteBrowser::goBack);
  connect(forward_, &QAction::triggered, browser_, &RemoteBrowser::goForward);
  connect(editPath_, &QAction::triggered, this, [this] {
    path_->setFocus(Qt::ShortcutFocusReason);
    path_->selectAll();
  });
  clearFilter_ = new QAction(this);
  clearFilter_->setShortcut(QKeySequence(Qt::Key_Escape));
  clearFilter_->setShortcutContext(Qt::WidgetShortcut);
  filter_->addAction(clearFilter_);
  connect(clearFilter_, &QAction::triggered, filter_, &QLineEdit::clear);
  auto* restorePath = new QAction(this);
  restorePath->setShortcut(QKeySequence(Qt::Key_Escape));
  restorePath->setShortcutContext(Qt::WidgetShortcut);
  path_->addAction(restorePath);
  connect(restorePath, &QAction::triggered, this, [this] {
    path_->setText(browser_->currentDirectory());
    table_->setFocus();
  });
  updateNavigation();

  completer_ = new PathCompleter(browser_->session(), path_);
  connect(search_, &SearchView::closeRequested, this, &RemoteView::closeSearch);
  // Bookmarks: Ctrl+D adds the folder shown; a click goes to one.
  bookmarkHere_ = bookmarks_->addBookmarkAction();
  bookmarkHere_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_D));
  bookmarkHere_->setShortcutContext(Qt::WidgetWithChildrenShortcut);
  addAction(bookmarkHere_);
  connect(bookmarkHere_, &QAction::triggered, this, [this] {
    const QString dir = browser_->currentDirectory().isEmpty() ? QStringLiteral("/") : browser_->currentDirectory();
    if (!bookmarks_->addFolder(dir)) emit message(tr("%1 is already bookmarked").arg(dir));
  });
  connect(bookmarks_, &BookmarksView::navigateRequested, this, [this](const QString& path) {
    closeSearch();
    if (path != browser_->currentDirectory()) browser_->navigate(path);
  });
  // "Open containing folder": the file's folder with the file selected.
  connect(search_, &SearchView::revealRequested, this, [this](const QString& name) {
    closeSearch();
    QString error;
    if (!browser_->goTo(name, &error)) emit message(tr("Cannot go to %1: %2").arg(name, error));
  });

  metadataTimer_.setSingleShot(true);
  metadataTimer_.setInterval(60);
  connect(&metadataTimer_, &QTimer::timeout, this, &RemoteView::requestVisibleMetadata);
  connect(table_->verticalScrollBar(), &QScrollBar::valueChanged, this, &RemoteView::scheduleVisibleMetadata);
  connect(browser_->proxyModel(), &QAbstractItemModel::layoutChanged, this, &RemoteView::scheduleVisibleMetadata);
  connect(browser_->proxyModel(), &QAbstractItemModel::modelReset, this, &RemoteView::scheduleVisibleMetadata);
}

void RemoteView::retranslate() {
  filter_->setPlaceholderText(tr("Filter by name or *.glob"));
  path_->setToolTip(tr("The current folder. Type or paste a folder or a file's name (with @version) and press Enter (Ctrl+L)"));
  up_->setText(tr("Up"));
  up_->setToolTip(tr("Go to the parent folder (Backspace, Alt+Up)"));
  back_->setText(tr("Back"));
  back_->setToolTip(tr("Go back (Alt+Left)"));
  forward_->setText(tr("Forward"));
  forward_->setToolTip(tr("Go forward (Alt+Right)"));
  editPath_->setText(tr("Go to…"));
  search_->retranslate();
  bookmarks_->retranslate();
}

void RemoteView::updateNavigation() {
  // The keys move the folder's table only while it is shown.
  const bool browsing = !isSearchShown();
  up_->setEnabled(browsing && browser_->currentDirectory() != QLatin1String("/"));
  back_->setEnabled(browsing && browser_->canGoBack());
  forward_->setEnabled(browsing && browser_->canGoForward());
}

void RemoteView::showSearch() {
  if (!isSearchShown()) {
    stack_->setCurrentWidget(search_);
    updateNavigation();
    emit searchShownChanged(true);
  }
  search_->patternEdit()->setFocus(Qt::ShortcutFocusReason);
  search_->patternEdit()->selectAll();
}

void RemoteView::closeSearch() {
  if (!isSearchShown()) return;
  stack_->setCurrentWidget(browse_);
  updateNavigation();
  table_->setFocus();
  emit searchShownChanged(false);
}

bool RemoteView::isSearchShown() const { return stack_->currentWidget() == search_; }

FileTableView* RemoteView::activeTable() const { return isSearchShown() ? search_->results() : table_; }

void RemoteView::selectPendingFile() {
  const QString name = browser_->takeFileToSelect();
  if (name.isEmpty()) return;
  const int source = browser_->fileModel()->rowOfName(name);
  if (source < 0) return;
  const QModelIndex index = browser_->proxyModel()->mapFromSource(browser_->fileModel()->index(source, FileTableModel::NameColumn));
  if (!index.isValid()) return;
  table_->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
  table_->scrollTo(index);
  table_->setFocus();
}

void RemoteView::showDirectory(const QString& directory) {
  if (!path_->hasFocus()) path_->setText(directory);
  const QModelIndex index = browser_->treeModel()->ensurePath(directory);
  if (!index.isValid()) return;
  for (QModelIndex up = index.parent(); up.isValid(); up = up.parent()) tree_->expand(up);
  tree_->expand(index);
  if (tree_->currentIndex() != index) tree_->setCurrentIndex(index);
  tree_->scrollTo(index);
}

void RemoteView::resetPath() {
  // Another store: the last one's search means nothing here.
  closeSearch();
  search_->reset();
  completer_->reset();
  path_->setText(QStringLiteral("/"));
  filter_->clear();
  updateNavigation();
}

void RemoteView::setCachedColumnVisible(bool visible) { table_->setColumnHidden(FileTableModel::CachedColumn, !visible); }

// ---- Plain-server metadata for the rows on screen ---------------------------

void RemoteView::scheduleVisibleMetadata() {
  if (!metadataTimer_.isActive()) metadataTimer_.start();
}

void RemoteView::requestVisibleMetadata() {
  const int rows = browser_->proxyModel()->rowCount();
  if (rows == 0) return;
  int first = table_->rowAt(0);
  int last = table_->rowAt(table_->viewport()->height() - 1);
  if (first < 0) first = 0;
  if (last < 0) last = qMin(rows - 1, first + 60);
  QStringList names;
  for (int r = first; r <= last; ++r) {
    const QModelIndex index = browser_->proxyModel()->index(r, FileTableModel::NameColumn);
    if (!index.data(FileTableModel::IsFolderRole).toBool() && index.data(FileTableModel::VersionRole).toLongLong() < 0) {
      names << index.data(FileTableModel::FullNameRole).toString();
    }
  }
  if (!names.isEmpty()) browser_->fetchMetadata(names);
}

}  // namespace ft::ui
