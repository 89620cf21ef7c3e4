#include "widgets/bookmarks_view.hpp"

#include <QAction>
#include <QMenu>
#include <QPainter>
#include <QSettings>
#include <QStyle>

#include "store/store_types.hpp"

namespace ft::ui {

namespace {

constexpr int kPathRole = Qt::UserRole + 1;

QString labelFor(const QString& path) { return path == QLatin1String("/") ? path : baseNameOf(path); }

}  // namespace

BookmarksView::BookmarksView(QWidget* parent) : QListWidget(parent) {
  setObjectName(QStringLiteral("bookmarks"));
  setDragDropMode(QAbstractItemView::InternalMove);
  setDefaultDropAction(Qt::MoveAction);
  setSelectionMode(QAbstractItemView::SingleSelection);
  setEditTriggers(QAbstractItemView::EditKeyPressed);
  setContextMenuPolicy(Qt::CustomContextMenu);
  add_ = new QAction(this);
  add_->setObjectName(QStringLiteral("bookmarkAdd"));
  rename_ = new QAction(this);
  rename_->setObjectName(QStringLiteral("bookmarkRename"));
  remove_ = new QAction(this);
  remove_->setObjectName(QStringLiteral("bookmarkRemove"));
  remove_->setShortcut(QKeySequence::Delete);
  remove_->setShortcutContext(Qt::WidgetShortcut);
  QListWidget::addAction(remove_);
  moveUp_ = new QAction(this);
  moveUp_->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Up));
  moveDown_ = new QAction(this);
  moveDown_->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Down));
  for (QAction* a : {moveUp_, moveDown_}) {
    a->setShortcutContext(Qt::WidgetShortcut);
    QListWidget::addAction(a);
  }
  connect(moveUp_, &QAction::triggered, this, [this] { moveCurrent(-1); });
  connect(moveDown_, &QAction::triggered, this, [this] { moveCurrent(1); });
  connect(rename_, &QAction::triggered, this, &BookmarksView::renameCurrent);
  connect(remove_, &QAction::triggered, this, &BookmarksView::removeCurrent);
  connect(this, &QListWidget::itemClicked, this,
          [this](QListWidgetItem* item) { emit navigateRequested(item->data(kPathRole).toString()); });
  connect(this, &QListWidget::itemActivated, this,
          [this](QListWidgetItem* item) { emit navigateRequested(item->data(kPathRole).toString()); });
  connect(this, &QListWidget::itemChanged, this, [this](QListWidgetItem* item) {
    if (loading_) return;
    // An emptied label: the folder's name again.
    if (item->text().trimmed().isEmpty()) {
      loading_ = true;
      item->setText(labelFor(item->data(kPathRole).toString()));
      loading_ = false;
    }
    save();
  });
  connect(this, &QListWidget::currentItemChanged, this, &BookmarksView::updateActions);
  // A drag reorders by inserting the row at its new place and removing the
  // old one: the list is saved as it is after each step.
  connect(model(), &QAbstractItemModel::rowsInserted, this, &BookmarksView::save);
  connect(model(), &QAbstractItemModel::rowsRemoved, this, &BookmarksView::save);
  connect(model(), &QAbstractItemModel::rowsMoved, this, &BookmarksView::save);
  connect(this, &QWidget::customContextMenuRequested, this, [this](const QPoint& pos) {
    QMenu menu(this);
    menu.addActions({add_, rename_, remove_, moveUp_, moveDown_});
    menu.exec(viewport()->mapToGlobal(pos));
  });
  retranslate();
  updateActions();
}

void BookmarksView::retranslate() {
  add_->setText(tr("&Bookmark Current Folder"));
  rename_->setText(tr("Re&name Bookmark"));
  remove_->setText(tr("&Remove Bookmark"));
  moveUp_->setText(tr("Move &Up"));
  moveDown_->setText(tr("Move &Down"));
  setToolTip(tr("Bookmarked folders of this connection: click to go there, drag to reorder, F2 to rename"));
}

void BookmarksView::setProfile(const QString& profileName) {
  profile_ = profileName;
  loading_ = true;
  clear();
  QSettings settings;
  for (const Bookmark& b : loadBookmarks(settings, profileName)) append(b);
  loading_ = false;
  updateActions();
}

void BookmarksView::append(const Bookmark& bookmark) {
  auto* item = new QListWidgetItem(bookmark.label, this);
  item->setData(kPathRole, bookmark.path);
  item->setToolTip(bookmark.path);
  item->setIcon(style()->standardIcon(QStyle::SP_DirLinkIcon));
  item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsEditable | Qt::ItemIsDragEnabled);
}

QList<Bookmark> BookmarksView::bookmarks() const {
  QList<Bookmark> out;
  for (int r = 0; r < count(); ++r) out.push_back(Bookmark{item(r)->text(), item(r)->data(kPathRole).toString()});
  return out;
}

bool BookmarksView::addFolder(const QString& path) {
  for (int r = 0; r < count(); ++r)
    if (item(r)->data(kPathRole).toString() == path) {
      setCurrentRow(r);
      return false;
    }
  loading_ = true;
  append(Bookmark{labelFor(path), path});
  loading_ = false;
  setCurrentRow(count() - 1);
  save();
  return true;
}

void BookmarksView::renameCurrent() {
  if (QListWidgetItem* item = currentItem()) editItem(item);
}

void BookmarksView::removeCurrent() {
  const int row = currentRow();
  if (row < 0) return;
  delete takeItem(row);  // saved (rowsRemoved)
  updateActions();
}

void BookmarksView::paintEvent(QPaintEvent* event) {
  QListWidget::paintEvent(event);
  if (count() > 0) return;
  QPainter painter(viewport());
  painter.setPen(palette().color(QPalette::Disabled, QPalette::Text));
  painter.drawText(viewport()->rect().adjusted(8, 8, -8, -8), Qt::AlignCenter | Qt::TextWordWrap,
                   tr("No bookmarks yet: Ctrl+D bookmarks the current folder."));
}

void BookmarksView::moveCurrent(int delta) {
  const int from = currentRow();
  const int to = from + delta;
  if (from < 0 || to < 0 || to >= count()) return;
  loading_ = true;  // one save for the move, not one per step
  QListWidgetItem* moved = takeItem(from);
  insertItem(to, moved);
  loading_ = false;
  setCurrentRow(to);
  save();
}

void BookmarksView::save() {
  if (loading_ || profile_.isEmpty()) return;
  QSettings settings;
  saveBookmarks(settings, profile_, bookmarks());
}

void BookmarksView::updateActions() {
  const bool any = currentItem() != nullptr;
  rename_->setEnabled(any);
  remove_->setEnabled(any);
  moveUp_->setEnabled(any && currentRow() > 0);
  moveDown_->setEnabled(any && currentRow() < count() - 1);
}

}  // namespace ft::ui
