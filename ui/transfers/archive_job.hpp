// Runs one ArchiveTask with core's archive code (upload_archive /
// write_store_archive) on a thread of its own, on a core Client of its own
// (the HTTP store wants one thread at a time), so the GUI thread never
// waits for the archive, the disk or the network. A StoreJob like the
// store's: progress() counts unpacked bytes, entriesProgress() files;
// cancel() raises core's cancel flag (the archive writer leaves no partial
// archive, the upload stops between or inside files) and finished() follows
// once the thread has stopped. Destroying the job cancels it and waits.
#pragma once

#include <QStringList>

#include <atomic>
#include <memory>

#include "store/store_job.hpp"
#include "transfers/archive_task.hpp"

class QThread;

namespace ft::ui {

class ArchiveJob : public StoreJob {
  Q_OBJECT
 public:
  // Starts at once.
  ArchiveJob(const ArchiveTask& task, const CoreConnection& connection, QObject* parent = nullptr);
  ~ArchiveJob() override;

  // After finished(): the offending entries of a refused archive, one line
  // each ("\"../x\": a \"..\" component"); empty when it was not refused.
  const QStringList& refusedEntries() const { return refused_; }
  // After finished(): what was done, one line ("12 files stored, 3 already there").
  const QString& summary() const { return summary_; }
  // Files stored into the store (Unpack) or written into the archive (Pack).
  int filesDone() const { return filesDone_; }

 signals:
  void entriesProgress(qint64 done, qint64 total);

 private:
  struct Outcome;
  void run(const ArchiveTask& task, const CoreConnection& connection);
  void deliver(const Outcome& outcome);

  std::shared_ptr<std::atomic<bool>> cancel_;
  QThread* thread_ = nullptr;
  QStringList refused_;
  QString summary_;
  int filesDone_ = 0;
};

}  // namespace ft::ui
