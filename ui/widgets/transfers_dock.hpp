// The Transfers dock: every upload and download with progress, speed and
// state; cancel, retry, clear finished; the concurrency limit.
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
  QSpinBox* concurrencyBox() const { return limit_; }
  QList<quint64> selectedIds() const;

 signals:
  // Retry was refused for a selected transfer, with the reason.
  void retryRefused(const QString& reason);

 protected:
  void changeEvent(QEvent* event) override;

 private:
  void retranslate();
  void updateActions();

  TransferQueue* queue_;
  QTreeView* view_;
  QAction* cancel_;
  QAction* retry_;
  QAction* clear_;
  QSpinBox* limit_;
  QLabel* limitLabel_;
};

}  // namespace ft::ui
