// A name that is already taken at the other end of a transfer: an upload
// onto a file the store has, or a download onto a local file. The planners
// ask a ConflictResolver (the window's prompt, or a test) what to do, and
// show it both sides so the user can judge which copy is newer or bigger.
#pragma once

#include <QString>

#include <functional>

namespace ft::ui {

enum class ConflictChoice {
  Overwrite,
  Skip,
  OverwriteAll,
  SkipAll,
  Cancel,
  KeepBoth,     // downloads: save beside it as "name (1).ext"
  KeepBothAll,
};

struct ConflictDetails {
  enum class Direction { Upload, Download };
  Direction direction = Direction::Upload;
  QString name;          // the store's name, "/a/b.txt"
  QString localPath;     // the local file (the upload's source, the download's target)
  qint64 localSize = -1;      // bytes; -1 unknown
  qint64 localModified = -1;  // Unix seconds; -1 unknown
  qint64 remoteSize = -1;     // the stored (newest) version's size; -1 unknown
  qint64 remoteVersion = -1;  // Unix seconds; -1 unknown
  int remaining = 1;          // conflicts left, this one included ("for all" covers them)
};

// Asked once per conflict until an "all" answer.
using ConflictResolver = std::function<ConflictChoice(const ConflictDetails& conflict)>;

// "dir/name.ext" -> the first of "dir/name (1).ext", "dir/name (2).ext", …
// for which `taken` is false.
QString keepBothPath(const QString& path, const std::function<bool(const QString&)>& taken);

}  // namespace ft::ui
