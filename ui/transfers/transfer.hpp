// One row of the Transfers dock: an upload or a download, from queued to done.
#pragma once

#include <QElapsedTimer>
#include <QPointer>
#include <QString>

#include "store/store_job.hpp"
#include "store/store_types.hpp"
#include "transfers/archive_task.hpp"

namespace ft::ui {

struct Transfer {
  // Open: download into the cache, then open it. ArchiveUpload: a local
  // archive unpacked into a remote folder; ArchiveDownload: a remote folder
  // (or selection) packed into a local archive (see archive_task.hpp).
  enum class Kind { Upload, Download, Open, ArchiveUpload, ArchiveDownload };
  // Paused: stopped by the user (Pause), waits for Resume; what it had sent
  // or received is dropped (the protocol has no ranges: it starts again).
  enum class State { Queued, Preparing, Running, Finished, Failed, Cancelled, Paused };
  // Why a running job is being stopped: the end it gets decides the row's
  // state (Cancelled, Paused, or back to Queued: its store was closed and the
  // row waits for it, e.g. across a restart).
  enum class Stop { None, Cancel, Pause, Detach };

  quint64 id = 0;
  Kind kind = Kind::Download;
  UploadRequest upload;      // for Upload
  DownloadRequest download;  // for Download and Open
  ArchiveTask archive;       // for ArchiveUpload and ArchiveDownload
  State state = State::Queued;
  qint64 done = 0;
  qint64 total = -1;
  double bytesPerSecond = 0;
  QString error;   // the reason, shown to the user
  RemoteFile result;
  // Archive transfers: files done of the archive's (done/total count its
  // unpacked bytes), what was done, and a refused archive's offending entries.
  qint64 entriesDone = 0;
  qint64 entriesTotal = -1;
  QString summary;
  QStringList refusedEntries;
  QPointer<StoreJob> job;
  Stop stopping = Stop::None;
  // An upload's local file as it was when queued (size, mtime in ms): a row
  // restored after a restart whose file changed or vanished is not sent.
  qint64 localSize = -1;
  qint64 localMtime = -1;
  // The store the transfer was started on ("http://host:port" or the local
  // store's folder, with the cache it fills): a retry goes there or nowhere.
  QString storeKey;
  QString storeLocation;  // what the Transfers dock shows in its Server column
  // Queued or paused while another store is connected: it waits for its own.
  bool waitsForItsStore = false;

  // Speed estimate: bytes at the last sample.
  QElapsedTimer clock;
  qint64 sampleBytes = 0;
  qint64 sampleTime = 0;

  bool isArchive() const { return kind == Kind::ArchiveUpload || kind == Kind::ArchiveDownload; }
  bool isUpload() const { return kind == Kind::Upload || kind == Kind::ArchiveUpload; }
  QString remoteName() const {
    return isArchive() ? archive.remoteDirectory : kind == Kind::Upload ? upload.name : download.name;
  }
  QString localPath() const {
    return isArchive() ? archive.archivePath : kind == Kind::Upload ? upload.localPath : download.destinationPath;
  }
  bool isActive() const { return state == State::Preparing || state == State::Running; }
  // Seconds left at the smoothed speed; -1 when it cannot be told.
  qint64 etaSeconds() const {
    if (state != State::Running || total <= 0 || bytesPerSecond <= 1) return -1;
    return qint64(double(qMax(qint64(0), total - done)) / bytesPerSecond + 0.999);
  }
  bool isOver() const { return state == State::Finished || state == State::Failed || state == State::Cancelled; }
};

}  // namespace ft::ui
