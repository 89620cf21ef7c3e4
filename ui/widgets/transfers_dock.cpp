#include "widgets/transfers_dock.hpp"

#include <QAction>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeySequence>
#include <QLabel>
#include <QMenu>
#include <QSpinBox>
#include <QStyle>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

#include "common/size_format.hpp"
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
  pause_ = new QAction(style()->standardIcon(QStyle::SP_MediaPause), QString(), this);
  resume_ = new QAction(style()->standardIcon(QStyle::SP_MediaPlay), QString(), this);
  pauseQueue_ = new QAction(style()->standardIcon(QStyle::SP_MediaPause), QString(), this);
  pauseQueue_->setCheckable(true);
  pauseQueue_->setChecked(queue_->isQueuePaused());
  // Keys while the dock has the focus (the window's own keys stay its own).
  pause_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_P));
  resume_->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P));
  pauseQueue_->setShortcut(QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_P));
  for (QAction* action : {cancel_, retry_, clear_, pause_, resume_, pauseQueue_}) {
    action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addAction(action);
  }
  for (QAction* action : {pause_, resume_, cancel_, retry_, pauseQueue_, clear_}) {
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
  bandwidthLabel_ = new QLabel(body);
  bandwidth_ = new QSpinBox(body);
  bandwidth_->setObjectName(QStringLiteral("bandwidthLimit"));
  bandwidth_->setRange(0, 10 << 20);  // KiB/s: up to 10 GiB/s
  bandwidth_->setSingleStep(256);
  bandwidth_->setAccelerated(true);
  bandwidth_->setValue(int(queue_->bandwidthLimit() / 1024));
  bandwidthLabel_->setBuddy(bandwidth_);
  bar->addWidget(bandwidthLabel_);
  bar->addWidget(bandwidth_);
  layout->addLayout(bar);
  summary_ = new QLabel(body);
  summary_->setObjectName(QStringLiteral("transfersSummary"));
  layout->addWidget(summary_);

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
  view_->header()->resizeSection(TransferModel::NameColumn, 240);
  view_->header()->resizeSection(TransferModel::DirectionColumn, 120);  // "Rozpakowywanie" (Unpack) in full
  view_->header()->resizeSection(TransferModel::ServerColumn, 150);
  view_->header()->resizeSection(TransferModel::ProgressColumn, 150);
  // Narrow number columns: the State column (with a failure's reason) stays in view.
  view_->header()->resizeSection(TransferModel::SizeColumn, 80);
  view_->header()->resizeSection(TransferModel::SpeedColumn, 90);
  view_->header()->resizeSection(TransferModel::EtaColumn, 80);
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
  connect(pause_, &QAction::triggered, this, [this] {
    for (quint64 id : selectedIds()) queue_->pause(id);
  });
  connect(resume_, &QAction::triggered, this, [this] {
    for (quint64 id : selectedIds()) queue_->resume(id);
  });
  connect(pauseQueue_, &QAction::toggled, queue_, &TransferQueue::setQueuePaused);
  connect(queue_, &TransferQueue::pausedChanged, this, [this] {
    pauseQueue_->setChecked(queue_->isQueuePaused());
    updateActions();
    updateSummary();
  });
  connect(bandwidth_, &QSpinBox::valueChanged, queue_, [this](int kib) { queue_->setBandwidthLimit(qint64(kib) * 1024); });
  connect(limit_, &QSpinBox::valueChanged, queue_, &TransferQueue::setConcurrencyLimit);
  connect(view_, &QWidget::customContextMenuRequested, this, [this](const QPoint& pos) {
    QMenu menu(this);
    menu.addAction(pause_);
    menu.addAction(resume_);
    menu.addAction(cancel_);
    menu.addAction(retry_);
    menu.addSeparator();
    menu.addAction(pauseQueue_);
    menu.addAction(clear_);
    menu.exec(view_->viewport()->mapToGlobal(pos));
  });
  connect(view_->selectionModel(), &QItemSelectionModel::selectionChanged, this, &TransfersDock::updateActions);
  connect(queue_->model(), &QAbstractItemModel::dataChanged, this, &TransfersDock::updateActions);
  connect(queue_->model(), &QAbstractItemModel::dataChanged, this, &TransfersDock::updateSummary);
  connect(queue_->model(), &QAbstractItemModel::rowsInserted, this, &TransfersDock::updateSummary);
  connect(queue_->model(), &QAbstractItemModel::rowsRemoved, this, &TransfersDock::updateSummary);
  connect(queue_->model(), &QAbstractItemModel::rowsInserted, this, &TransfersDock::updateActions);
  connect(queue_->model(), &QAbstractItemModel::rowsRemoved, this, &TransfersDock::updateActions);
  retranslate();
  updateActions();
}

void TransfersDock::updateSummary() {
  const int active = queue_->activeCount();
  const int paused = queue_->pausedCount();
  const int waiting = queue_->pendingCount() - active - paused;
  QStringList parts;
  if (queue_->isQueuePaused()) parts << tr("Queue paused");
  if (active > 0) parts << tr("%n running", "", active);
  if (waiting > 0) parts << tr("%n queued", "", waiting);
  if (paused > 0) parts << tr("%n paused", "", paused);
  if (active > 0 && queue_->queueBytesPerSecond() > 0) {
    parts << humanSpeed(queue_->queueBytesPerSecond());
    if (const qint64 eta = queue_->queueEtaSeconds(); eta >= 0) parts << tr("%1 left").arg(humanDuration(eta));
  }
  if (queue_->bandwidthLimit() > 0) parts << tr("limit %1").arg(humanSpeed(double(queue_->bandwidthLimit())));
  summary_->setText(parts.join(QStringLiteral(" · ")));
  summary_->setVisible(!parts.isEmpty());
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
  bool canPause = false;
  bool canResume = false;
  bool anyOver = false;
  for (const QModelIndex& index : view_->selectionModel()->selectedRows()) {
    const auto state = Transfer::State(index.data(TransferModel::StateRole).toInt());
    canCancel |= state == Transfer::State::Queued || state == Transfer::State::Preparing ||
                 state == Transfer::State::Running;
    canRetry |= state == Transfer::State::Failed || state == Transfer::State::Cancelled;
    canPause |= state == Transfer::State::Queued || state == Transfer::State::Preparing ||
                state == Transfer::State::Running;
    canResume |= state == Transfer::State::Paused;
    canCancel |= state == Transfer::State::Paused;
  }
  for (int row = 0; row < queue_->model()->rowCount(); ++row) anyOver |= queue_->model()->at(row).isOver();
  cancel_->setEnabled(canCancel);
  retry_->setEnabled(canRetry);
  pause_->setEnabled(canPause);
  resume_->setEnabled(canResume);
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
  pause_->setText(tr("&Pause"));
  pause_->setToolTip(tr("Pause the selected transfers (%1); a running one stops and starts again on Resume")
                         .arg(pause_->shortcut().toString(QKeySequence::NativeText)));
  resume_->setText(tr("Res&ume"));
  resume_->setToolTip(tr("Resume the selected paused transfers (%1)").arg(resume_->shortcut().toString(QKeySequence::NativeText)));
  pauseQueue_->setText(tr("Pause &queue"));
  pauseQueue_->setToolTip(tr("Pause or resume the whole queue (%1): nothing starts while it is paused")
                              .arg(pauseQueue_->shortcut().toString(QKeySequence::NativeText)));
  bandwidthLabel_->setText(tr("Limit:"));
  bandwidth_->setSuffix(tr(" KiB/s"));
  bandwidth_->setSpecialValueText(tr("unlimited"));
  bandwidth_->setToolTip(tr("The queue's uploads and downloads together use at most this much bandwidth (0: unlimited)"));
  updateSummary();
}

}  // namespace ft::ui
