// The names deleted here while a fallback to the old server is on
// (--fallback-url): DELETE is local, so without this record the old
// server's copy would come back on the next GET (as a 307, or pulled) and in
// /list. One small SQLite database, DATA_DIR/fallback-deleted.sqlite3, apart
// from the index (it only matters while migrating; removing the file
// forgets the deletions). A name stays hidden until it is PUT here again
// (then the stored copy wins anyway).
//
// Thread-safe. Every name is also kept in memory (loaded at start), so
// find() never touches the disk and may run on an io thread; record() is
// durable (synchronous=FULL) when it returns.
#pragma once

#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "filetracker/name.hpp"

struct sqlite3;

namespace ft::server {

class DeletedNames {
 public:
  // Throws Error(Io) when the database cannot be opened or created.
  explicit DeletedNames(const std::filesystem::path& file);
  ~DeletedNames();
  DeletedNames(const DeletedNames&) = delete;
  DeletedNames& operator=(const DeletedNames&) = delete;

  // The version of the DELETE that hid `name`, nullopt when it is not hidden.
  std::optional<Version> find(std::string_view name);
  // Hides `name` (keeps the larger version when it is hidden already).
  // Throws Error(Io).
  void record(std::string_view name, Version version);
  // The hidden names below directory `dir` ("/" or "/a/b").
  std::unordered_map<std::string, Version> below(std::string_view dir);

 private:
  std::mutex mutex_;
  sqlite3* db_ = nullptr;
  std::string file_;
  std::unordered_map<std::string, Version> names_;
};

}  // namespace ft::server
