// The Checks tab (issue 20): runs the server's consistency check (what
// `filetracker-server --check` does offline) as a job on the server
// (POST /admin/check), shows its progress and the problems it finds (kind,
// name, detail), and cancels it (DELETE). The job lives on the server, so
// closing and reopening the tab (or the window) loses nothing: the tab reads
// GET /admin/check when shown and every second while the job runs.
#pragma once

#include <QPointer>
#include <QTimer>
#include <QWidget>

class QCheckBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QTableWidget;

namespace ft::ui {

class ProfileSession;
class StoreJob;

class ChecksView : public QWidget {
  Q_OBJECT
 public:
  explicit ChecksView(ProfileSession* session, QWidget* parent = nullptr);
  void retranslate();
  // Reads GET /admin/check now.
  void poll();
  void start();
  void cancel();
  QString state() const { return state_; }
  QTableWidget* problemsTable() const { return problems_; }
  QPushButton* startButton() const { return start_; }
  QPushButton* cancelButton() const { return cancel_; }
  QLabel* summaryLabel() const { return summary_; }
  QProgressBar* progressBar() const { return progress_; }

 signals:
  // GET /admin/check was read (state: idle, running, done, failed, cancelled).
  void stateRead(const QString& state);

 protected:
  void showEvent(QShowEvent* event) override;
  void hideEvent(QHideEvent* event) override;
  void changeEvent(QEvent* event) override;

 private:
  void showState(const QByteArray& json);
  void updateButtons();
  void showError(const QString& text);

  ProfileSession* session_;
  QTimer pollTimer_;
  QPointer<StoreJob> pollJob_;
  QString state_;
  bool busy_ = false;  // a start or cancel is on its way
  QPushButton* start_;
  QCheckBox* content_;
  QPushButton* cancel_;
  QLabel* stateLabel_;
  QProgressBar* progress_;
  QLabel* summary_;
  QTableWidget* problems_;
};

}  // namespace ft::ui
