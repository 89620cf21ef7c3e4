// `filetracker cache ls --json`: a report of one local cache as a stable
// JSON document, for tools and for the GUI's "Open cache report…" (an
// operator inspects a judge machine's cache without a desktop there).
// The format is documented in filetracker(1) (CACHE REPORT); fields are only
// ever added, and "format_version" changes if one ever has to change.
#pragma once

#include <string>

#include "filetracker/cache_pruner.hpp"

namespace ft::cli {

// The report of the cache at `location`, sorted by name, with a final newline.
// Reads only: probing whether a file's lock is held takes it for no time and
// creates no lock file.
std::string cache_report_json(const ft::CacheLocation& location);

}  // namespace ft::cli
