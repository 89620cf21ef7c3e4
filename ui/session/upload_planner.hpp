// Turns "these local files and folders go into that directory" into upload
// transfers: folders are walked recursively keeping relative paths (off the
// GUI thread), names already in the store are resolved with the user
// (overwrite / skip / for all), then everything is queued.
#pragma once

#include <QObject>
#include <QHash>
#include <QSet>
#include <QStringList>

#include <functional>

#include "session/profile_session.hpp"
#include "session/transfer_conflict.hpp"

namespace ft::ui {

class UploadPlanner : public QObject {
  Q_OBJECT
 public:
  struct Item {
    QString localPath;
    QString name;
  };
  // Expands files and folders into items under `targetDirectory`; names that
  // are not valid filetracker names are reported in `errors`.
  // REQUIRES: any thread (blocking directory walk).
  static QList<Item> expand(const QStringList& localPaths, const QString& targetDirectory, QStringList* errors);

  UploadPlanner(ProfileSession* session, ConflictResolver resolver, QObject* parent = nullptr);
  // Plans and queues; the planner deletes itself after finished().
  void start(const QStringList& localPaths, const QString& targetDirectory);

 signals:
  // Everything queued by this plan has ended.
  void finished(int uploaded, int failed, int skipped, const QStringList& errors);

 private:
  void resolveAndQueue(const QList<Item>& items, const QHash<QString, RemoteFile>& existing);

  ProfileSession* session_;
  ConflictResolver resolver_;
  QStringList errors_;
  QSet<quint64> pending_;
  int uploaded_ = 0;
  int failed_ = 0;
  int skipped_ = 0;
};

}  // namespace ft::ui
