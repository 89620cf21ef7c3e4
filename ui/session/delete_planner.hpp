// Turns "delete these files" into removes on the store: each file at the
// version its row shows (or "now" when the listing did not say, so a plain
// server deletes the newest), a few at a time, with progress and cancel, and
// one finished() with the tally when every remove sent has answered. Asking
// the user is the caller's part.
#pragma once

#include <QList>
#include <QObject>
#include <QStringList>

#include "store/store_backend.hpp"

namespace ft::ui {

class DeletePlanner : public QObject {
  Q_OBJECT
 public:
  // REQUIRES: `store` is not null and outlives the removes it is sent.
  DeletePlanner(StoreBackend* store, QObject* parent = nullptr);
  // Sends the removes; the planner deletes itself after finished().
  void start(const QList<RemoteFile>& files);
  // Sends no more removes (the ones in flight still answer), then finishes.
  void cancel();

 signals:
  void progress(int done, int total);
  void finished(int deleted, int failed, const QStringList& errors);

 private:
  void pump();
  void end();

  StoreBackend* store_;
  QList<RemoteFile> queue_;
  qint64 now_ = 0;
  int total_ = 0;
  int inFlight_ = 0;
  int deleted_ = 0;
  int failed_ = 0;
  bool cancelled_ = false;
  bool ended_ = false;
  QStringList errors_;
};

}  // namespace ft::ui
