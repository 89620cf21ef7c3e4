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
  enum class State { Queued, Preparing, Running, Finished, Failed, Cancelled };

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
  // The store the transfer was started on ("http://host:port" or the local
  // store's folder, with the cache it fills): a retry goes there or nowhere.
  QString storeKey;
  QString storeLocation;  // what the Transfers dock shows in its Server column

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
  bool isOver() const { return state == State::Finished || state == State::Failed || state == State::Cancelled; }
};

}  // namespace ft::ui
