// An archive transfer of the queue (issue 13): unpacking a local archive
// into a remote folder ("Upload archive as folder…", an archive dropped with
// "Unpack into a folder") or packing a remote folder or a selection into a
// local archive ("Download as archive…"). The work is core's
// (archive_upload.hpp, archive_download.hpp), run by ArchiveJob off the GUI
// thread on a core Client made from a CoreConnection.
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace ft::ui {

struct ArchiveTask {
  enum class Direction { Unpack, Pack };
  Direction direction = Direction::Unpack;
  QString archivePath;      // the local archive: read (Unpack) or written atomically (Pack)
  QString remoteDirectory;  // Unpack: the target folder; Pack: the folder the paths are relative to
  // Pack: the selection in the view of remoteDirectory (full names). Both
  // empty: the whole of remoteDirectory.
  QStringList files;
  QStringList folders;
  bool operator==(const ArchiveTask&) const = default;
};

// What core needs to reach the profile's store as the GUI does: the
// server (empty: the local stand-alone store), the signed-in user and secret
// (HTTP Basic, as RemoteStore sends them), the certificates the user trusted
// for this session or pinned (PEM, handed to libcurl as its CA file), and
// the cache (or the local store) directory.
struct CoreConnection {
  QString serverUrl;
  QString user;
  QString secret;
  QList<QByteArray> trustedCertificatesPem;
  QString cacheDirectory;
};

// Whether `path` names an archive the Unpack direction reads, by its name:
// .zip, .tar, .tar.gz/.tgz, .tar.bz2, .tar.xz, .tar.zst, .7z (any case).
bool isArchiveName(const QString& path);
// The archive's name without its archive extension ("pkg.tar.gz" -> "pkg"):
// the folder it is unpacked into by default.
QString archiveBaseName(const QString& path);

}  // namespace ft::ui
