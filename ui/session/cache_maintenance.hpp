// The upkeep of the open profile's local cache: reading what it holds,
// removing files, and cleaning it up to its limit (the core pruner's dry run
// first, then its execution with progress and cancel). Every operation runs
// off the GUI thread as a CacheJob that reports with signals, so a widget
// never touches the cache's files itself. ProfileSession::open() binds it to
// the profile's cache directory and limit.
#pragma once

#include <QObject>
#include <QString>
#include <QStringList>

#include "session/cache_job.hpp"

namespace ft::ui {

class CacheMaintenance : public QObject {
  Q_OBJECT
 public:
  explicit CacheMaintenance(QObject* parent = nullptr);

  // Jobs started from now on work on this cache (running ones keep theirs).
  void setCache(const QString& directory, qint64 limit);
  const QString& directory() const { return directory_; }
  qint64 limit() const { return limit_; }

  // What the cache holds: CacheJob::entries().
  CacheJob* scan();
  // Removes these versioned names ("/a/b.txt@12") from the cache; errors()
  // has a line for each that could not be removed.
  CacheJob* remove(const QStringList& versionedNames);
  // What cleaning up to the limit would delete: CacheJob::plan().
  CacheJob* planCleanUp();
  // Deletes the files of `plan` (planCleanUp() of this cache), reporting
  // progress per file; CacheJob::cancel() stops between files.
  CacheJob* cleanUp(const CleanUpPlan& plan);

 private:
  QString directory_;
  qint64 limit_ = 0;
};

}  // namespace ft::ui
