#include "widgets/transfers_dock.hpp"

#include <QAction>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QSpinBox>
#include <QStyle>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

#include "transfers/transfer_queue.hpp"
#include "widgets/progress_delegate.hpp"

namespace ft::ui {

TransfersDock::TransfersDock(TransferQueue* queue, QWidget* parent) : QDockWidget(parent), queue_(queue) {
  setObjectName(QStringLiteral("transfersDock"));
  auto* body = new QWidget(this);
  auto* layout = new QVBoxLayout(body);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->setSpacing(4);

  auto* bar = new QHBoxLayout();
  cancel_ = new QAction(style()->standardIcon(QStyle::SP_MediaStop), QString(), this);
  retry_ = new QAction(style()->standardIcon(QStyle::SP_BrowserReload), QString(), this);
  clear_ = new QAction(style()->standardIcon(QStyle::SP_DialogResetButton), QString(), this);
  for (QAction* action : {cancel_, retry_, clear_}) {
    auto* button = new QToolButton(body);
    button->setDefaultAction(action);
    button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    button->setAutoRaise(true);
    bar->addWidget(button);
  }
  bar->addStretch(1);
  limitLabel_ = new QLabel(body);
  limit_ = new QSpinBox(body);
  limit_->setRange(1, 16);
  limit_->setValue(queue_->concurrencyLimit());
  limitLabel_->setBuddy(limit_);
  bar->addWidget(limitLabel_);
  bar->addWidget(limit_);
  layout->addLayout(bar);

  view_ = new QTreeView(body);
  view_->setObjectName(QStringLiteral("transfersView"));
  view_->setRootIsDecorated(false);
  view_->setUniformRowHeights(true);
  view_->setAlternatingRowColors(true);
  view_->setSelectionMode(QAbstractItemView::ExtendedSelection);
  view_->setSelectionBehavior(QAbstractItemView::SelectRows);
  view_->setModel(queue_->model());
  view_->setItemDelegateForColumn(TransferModel::ProgressColumn,
                                  new ProgressDelegate(TransferModel::ProgressRole, view_));
  view_->header()->setStretchLastSection(true);
  view_->header()->resizeSection(TransferModel::NameColumn, 280);
  view_->header()->resizeSection(TransferModel::DirectionColumn, 120);  // "Rozpakowywanie" (Unpack) in full
  view_->header()->resizeSection(TransferModel::ServerColumn, 180);
  view_->header()->resizeSection(TransferModel::ProgressColumn, 160);
  view_->setContextMenuPolicy(Qt::CustomContextMenu);
  layout->addWidget(view_);
  setWidget(body);

  connect(cancel_, &QAction::triggered, this, [this] {
    for (quint64 id : selectedIds()) queue_->cancel(id);
  });
  connect(retry_, &QAction::triggered, this, [this] {
    for (quint64 id : selectedIds()) {
      if (const QString refused = queue_->retry(id); !refused.isEmpty()) emit retryRefused(refused);
    }
  });
  connect(clear_, &QAction::triggered, queue_, &TransferQueue::clearFinished);
  connect(limit_, &QSpinBox::valueChanged, queue_, &TransferQueue::setConcurrencyLimit);
  connect(view_, &QWidget::customContextMenuRequested, this, [this](const QPoint& pos) {
    QMenu menu(this);
    menu.addAction(cancel_);
    menu.addAction(retry_);
    menu.addSeparator();
    menu.addAction(clear_);
    menu.exec(view_->viewport()->mapToGlobal(pos));
  });
  connect(view_->selectionModel(), &QItemSelectionModel::selectionChanged, this, &TransfersDock::updateActions);
  connect(queue_->model(), &QAbstractItemModel::dataChanged, this, &TransfersDock::updateActions);
  connect(queue_->model(), &QAbstractItemModel::rowsInserted, this, &TransfersDock::updateActions);
  connect(queue_->model(), &QAbstractItemModel::rowsRemoved, this, &TransfersDock::updateActions);
  retranslate();
  updateActions();
}

QList<quint64> TransfersDock::selectedIds() const {
  QList<quint64> ids;
  for (const QModelIndex& index : view_->selectionModel()->selectedRows()) {
    ids << index.data(TransferModel::IdRole).toULongLong();
  }
  return ids;
}

void TransfersDock::updateActions() {
  bool canCancel = false;
  bool canRetry = false;
  bool anyOver = false;
  for (const QModelIndex& index : view_->selectionModel()->selectedRows()) {
    const auto state = Transfer::State(index.data(TransferModel::StateRole).toInt());
    canCancel |= state == Transfer::State::Queued || state == Transfer::State::Preparing ||
                 state == Transfer::State::Running;
    canRetry |= state == Transfer::State::Failed || state == Transfer::State::Cancelled;
  }
  for (int row = 0; row < queue_->model()->rowCount(); ++row) anyOver |= queue_->model()->at(row).isOver();
  cancel_->setEnabled(canCancel);
  retry_->setEnabled(canRetry);
  clear_->setEnabled(anyOver);
}

void TransfersDock::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) retranslate();
  QDockWidget::changeEvent(event);
}

void TransfersDock::retranslate() {
  setWindowTitle(tr("Transfers"));
  cancel_->setText(tr("&Cancel"));
  cancel_->setToolTip(tr("Cancel the selected transfers"));
  retry_->setText(tr("&Retry"));
  retry_->setToolTip(tr("Start the selected failed or cancelled transfers again"));
  clear_->setText(tr("C&lear finished"));
  clear_->setToolTip(tr("Remove finished, failed and cancelled transfers from the list"));
  limitLabel_->setText(tr("At once:"));
  limit_->setToolTip(tr("How many transfers run at the same time"));
}

}  // namespace ft::ui
