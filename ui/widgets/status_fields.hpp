// The main window's status bar fields: what it is connected to (with the
// last error), the protocol the server speaks, how many files the table
// shows, and how full the cache is. Transient messages use the status bar
// itself. A part of the window, translated in its context.
#pragma once

#include <QCoreApplication>
#include <QString>

class QLabel;
class QStatusBar;

namespace ft::ui {

class ProfileSession;

class StatusFields {
  Q_DECLARE_TR_FUNCTIONS(ft::ui::MainWindow)

 public:
  explicit StatusFields(QStatusBar* bar);

  struct Counts {
    int shownFiles = 0;     // rows left by the filter
    int totalFiles = 0;     // rows of the directory (folders included)
    int folders = 0;        // of which folders
    bool filtered = false;  // a filter is typed
    qint64 cacheBytes = -1;  // -1: not read yet
  };
  // Shows the state of `session`; `lastError` (empty when none) follows the
  // server's address.
  void update(const ProfileSession& session, const QString& lastError, const Counts& counts);
  // The fields' texts, " | " between them.
  QString text() const;

 private:
  QLabel* server_;
  QLabel* protocol_;
  QLabel* count_;
  QLabel* cache_;
};

}  // namespace ft::ui
