// Turns what a store lists into the one-level view the browser shows.
// Pure functions, safe to run on a worker thread.
#pragma once

#include <string>
#include <vector>

#include "filetracker/protocol.hpp"
#include "store/store_types.hpp"

namespace ft::ui {

// A plain /list answer (paths relative to `directory`, any depth) -> the
// immediate files (without metadata) and subdirectories of `directory`.
DirectoryListing listingFromPlainNames(const QString& directory, const std::vector<std::string>& relativeNames);

// A JSON listing (extension) -> the browser's listing. Entries deeper than one
// level (from a recursive answer) become subdirectories.
DirectoryListing listingFromJson(const QString& directory, const ft::protocol::Listing& listing);

// Files of a whole store (full names with metadata) -> one directory's view.
DirectoryListing listingFromFiles(const QString& directory, const QVector<RemoteFile>& allFiles);

}  // namespace ft::ui
