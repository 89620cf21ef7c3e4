// Turns "download these store files (and folders) into that local folder"
// into download transfers: folders are listed recursively and keep their
// relative paths (the folder's own name first), local files already there
// are resolved with the user (overwrite / skip / keep both / for all, both
// sides' size and date shown), then everything is queued. The local checks
// run off the GUI thread.
#pragma once

#include <QList>
#include <QObject>
#include <QSet>
#include <QStringList>

#include "session/profile_session.hpp"
#include "session/transfer_conflict.hpp"

namespace ft::ui {

class DownloadPlanner : public QObject {
  Q_OBJECT
 public:
  DownloadPlanner(ProfileSession* session, ConflictResolver resolver, QObject* parent = nullptr);
  // `files` go straight into `folder`; each of `directories` (store folders,
  // "/a/b") becomes `folder`/b with everything below it. The planner deletes
  // itself after finished().
  void start(const QList<RemoteFile>& files, const QStringList& directories, const QString& folder);
  // Stops planning (listing) and cancels what this plan queued.
  void cancel();

 signals:
  // The folders were listed: `count` files, `bytes` in all (-1: sizes unknown).
  void planned(int count, qint64 bytes);
  // Everything queued by this plan has ended.
  void finished(int downloaded, int failed, int skipped, const QStringList& errors);

 private:
  struct Item {
    RemoteFile file;
    QString destination;
  };
  struct Local {
    bool exists = false;
    qint64 size = -1;
    qint64 modified = -1;
    QString keepBoth;  // a free name beside it
  };
  void listNext();
  void checkLocal();
  void resolveAndQueue(const QList<Local>& locals);
  void end();

  ProfileSession* session_;
  ConflictResolver resolver_;
  QString folder_;
  QStringList directories_;
  QList<Item> items_;
  QStringList errors_;
  QSet<quint64> pending_;
  QPointer<StoreJob> listing_;
  bool cancelled_ = false;
  int downloaded_ = 0;
  int failed_ = 0;
  int skipped_ = 0;
};

}  // namespace ft::ui
