#include "widgets/remote_view.hpp"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QScrollBar>
#include <QSplitter>
#include <QVBoxLayout>

#include "models/file_table_model.hpp"
#include "session/remote_browser.hpp"
#include "widgets/drop_views.hpp"

namespace ft::ui {

RemoteView::RemoteView(RemoteBrowser* browser, QWidget* parent) : QWidget(parent), browser_(browser) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  splitter_ = new QSplitter(Qt::Horizontal, this);
  splitter_->setObjectName(QStringLiteral("remoteSplitter"));
  tree_ = new DirectoryTreeView(splitter_);
  tree_->setObjectName(QStringLiteral("directoryTree"));
  tree_->setModel(browser_->treeModel());
  tree_->setContextMenuPolicy(Qt::CustomContextMenu);

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
  QHeaderView* header = table_->horizontalHeader();
  header->setSectionResizeMode(FileTableModel::NameColumn, QHeaderView::Stretch);
  header->resizeSection(FileTableModel::VersionColumn, 250);
  header->resizeSection(FileTableModel::SizeColumn, 100);
  header->resizeSection(FileTableModel::CachedColumn, 150);
  header->setStretchLastSection(false);
  table_->setContextMenuPolicy(Qt::CustomContextMenu);
  rightLayout->addWidget(table_, 1);

  splitter_->addWidget(tree_);
  splitter_->addWidget(right);
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
    if (!path.isEmpty() && path != browser_->currentDirectory()) browser_->openDirectory(path);
  });
  connect(browser_, &RemoteBrowser::directoryLoaded, this, [this](const QString& dir) { showDirectory(dir); });

  metadataTimer_.setSingleShot(true);
  metadataTimer_.setInterval(60);
  connect(&metadataTimer_, &QTimer::timeout, this, &RemoteView::requestVisibleMetadata);
  connect(table_->verticalScrollBar(), &QScrollBar::valueChanged, this, &RemoteView::scheduleVisibleMetadata);
  connect(browser_->proxyModel(), &QAbstractItemModel::layoutChanged, this, &RemoteView::scheduleVisibleMetadata);
  connect(browser_->proxyModel(), &QAbstractItemModel::modelReset, this, &RemoteView::scheduleVisibleMetadata);
}

void RemoteView::retranslate() { filter_->setPlaceholderText(tr("Filter by name (Ctrl+F)")); }

void RemoteView::showDirectory(const QString& directory) {
  pathLabel_->setText(directory);
  const QModelIndex index = browser_->treeModel()->ensurePath(directory);
  if (!index.isValid()) return;
  for (QModelIndex up = index.parent(); up.isValid(); up = up.parent()) tree_->expand(up);
  tree_->expand(index);
  if (tree_->currentIndex() != index) tree_->setCurrentIndex(index);
  tree_->scrollTo(index);
}

void RemoteView::resetPath() { pathLabel_->setText(QStringLiteral("/")); }

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
    if (index.data(FileTableModel::VersionRole).toLongLong() < 0) {
      names << index.data(FileTableModel::FullNameRole).toString();
    }
  }
  if (!names.isEmpty()) browser_->fetchMetadata(names);
}

}  // namespace ft::ui
