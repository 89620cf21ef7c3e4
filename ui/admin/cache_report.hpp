// A judge machine's cache as `filetracker cache ls --json` reports it (the
// format is in filetracker(1), CACHE REPORT: "format":
// "filetracker-cache-report", "format_version" 1, "cache_dir", "generated",
// "files" [{name, version, size, accessed|null, in_use, ...}], "totals"):
// read from a file so an operator can inspect a cache without a desktop on
// that machine.
#pragma once

#include <QString>

#include <vector>

#include "models/cache_table_model.hpp"

namespace ft::ui {

struct CacheReport {
  QString path;       // the report file
  QString cache;      // the cache directory it describes (may be empty)
  QString host;       // the machine (may be empty)
  qint64 generated = -1;  // Unix time, -1: not said
  bool hasLastUse = false;  // some file says when it was last read ("accessed")
  int inUse = 0;            // files a client held locked when the report was written
  std::vector<CacheEntry> files;
  qint64 totalBytes() const;

  // Reads and checks the report at `path` (blocking: run it off the GUI
  // thread). On failure returns false and `error` says why in one line.
  static bool read(const QString& path, CacheReport* report, QString* error);
};

}  // namespace ft::ui
