// Small value types passed between the stores, the models and the widgets.
// Requests are plain values (copyable, comparable), so a transfer can be
// retried by sending the same request again.
#pragma once

#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QVector>

#include <optional>

#include "store/store_access.hpp"

namespace ft::ui {

// One file as the browser shows it. Unknown fields are -1 / empty: a plain
// version-2 listing carries only names, HEAD fills the rest in later.
struct RemoteFile {
  QString name;        // unversioned full name, "/a/b.txt"
  qint64 version = -1;  // Unix seconds
  qint64 size = -1;     // logical (uncompressed) bytes
  QString sha256;      // hex; empty when the server did not say
  bool hasMetadata() const { return version >= 0 && size >= 0; }
  bool operator==(const RemoteFile&) const = default;
};

// The immediate content of one directory.
struct DirectoryListing {
  QString directory;           // "/" or "/a/b"
  QVector<RemoteFile> files;   // immediate files, names are full names
  QStringList subdirectories;  // immediate subdirectory base names
  bool metadataComplete = false;  // versions and sizes are all known
};

// What the store told us about itself.
struct StoreInfo {
  QString location;            // "http://host:port" or a local directory
  bool remote = false;
  int protocolVersion = 2;
  QStringList extensions;      // our extensions the server advertises
  // Who the server took us for and what we may do (/version "access");
  // empty when it did not say (then nothing is disabled in advance).
  std::optional<StoreAccess> access;
  QString server;              // the program and version it names (/version "server"); empty: not said
  bool has(const QString& extension) const { return extensions.contains(extension); }
};

struct UploadRequest {
  QString localPath;                  // a regular file
  QString name;                       // target unversioned name
  std::optional<qint64> version;      // empty: "now"
  bool operator==(const UploadRequest&) const = default;
};

struct DownloadRequest {
  QString name;                       // unversioned name (the newest version)
  QString destinationPath;            // the file to write (atomically)
  bool setVersionAsMtime = false;     // the cache keeps versions as mtimes
  bool operator==(const DownloadRequest&) const = default;
};

// One version of a file in the server's version history (newest first in
// StoreJob::versions()).
struct FileVersion {
  qint64 version = 0;    // Unix seconds
  qint64 size = 0;       // logical bytes
  QString sha256;        // hex
  bool current = false;  // the stored file itself; else a kept, superseded version
  qint64 superseded = 0;  // when a newer version replaced it (Unix seconds; 0: current)
  bool operator==(const FileVersion&) const = default;
};

// "/a/b" + "c.txt" -> "/a/b/c.txt"; "/" + "c" -> "/c".
QString joinName(const QString& directory, const QString& relative);
// ft::parent_directory and ft::base_name (core/name.hpp) for QString:
// "/a/b/c.txt" -> "/a/b"; "/c" -> "/".
QString parentDirectoryOf(const QString& name);
// "/a/b/c.txt" -> "c.txt".
QString baseNameOf(const QString& name);

}  // namespace ft::ui

Q_DECLARE_METATYPE(ft::ui::RemoteFile)
Q_DECLARE_METATYPE(ft::ui::DirectoryListing)
Q_DECLARE_METATYPE(ft::ui::StoreInfo)
