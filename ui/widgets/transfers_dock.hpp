// The Transfers dock: every upload and download with progress, speed, time
// left and state; cancel, retry, pause, resume, pause the whole queue, clear
// finished; the concurrency limit and the bandwidth limit; a line with the
// queue's speed and time left.
#pragma once

#include <QDockWidget>

class QLabel;
class QSpinBox;
class QTreeView;
class QToolButton;

namespace ft::ui {

class TransferQueue;

class TransfersDock : public QDockWidget {
  Q_OBJECT
 public:
  TransfersDock(TransferQueue* queue, QWidget* parent = nullptr);

  QTreeView* view() const { return view_; }
  QAction* cancelAction() const { return cancel_; }
  QAction* retryAction() const { return retry_; }
  QAction* clearAction() const { return clear_; }
  QAction* pauseAction() const { return pause_; }
  QAction* resumeAction() const { return resume_; }
  QAction* pauseQueueAction() const { return pauseQueue_; }
  QSpinBox* concurrencyBox() const { return limit_; }
  // KiB/s, 0: unlimited.
  QSpinBox* bandwidthBox() const { return bandwidth_; }
  QLabel* summaryLabel() const { return summary_; }
  QList<quint64> selectedIds() const;

 signals:
  // Retry was refused for a selected transfer, with the reason.
  void retryRefused(const QString& reason);

 protected:
  void changeEvent(QEvent* event) override;

 private:
  void retranslate();
  void updateActions();
  void updateSummary();

  TransferQueue* queue_;
  QTreeView* view_;
  QAction* cancel_;
  QAction* retry_;
  QAction* clear_;
  QAction* pause_;
  QAction* resume_;
  QAction* pauseQueue_;
  QSpinBox* limit_;
  QLabel* limitLabel_;
  QSpinBox* bandwidth_;
  QLabel* bandwidthLabel_;
  QLabel* summary_;
};

}  // namespace ft::ui
