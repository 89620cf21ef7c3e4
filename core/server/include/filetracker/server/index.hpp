// The index: name -> (version, blob, logical size), plus reference counts of
// blobs. SQLite in WAL mode now; PostgreSQL is planned behind the same
// interface. Listing, HEAD and version checks never walk directories.
//
// An index may also keep small blobs itself ("inline blobs": the stored gzip
// bytes, keyed by SHA-256 like blob files, counted by the same references),
// so that storing a small file is one index commit and no file-system
// fsync. An index that does not (keeps_inline_blobs() false) gets every blob
// as a file in the BlobStore.
#pragma once

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "filetracker/error.hpp"
#include "filetracker/server/file_record.hpp"

namespace ft::server {

// A superseded version kept by the version history (--keep-versions,
// --keep-for): the record it had and when a newer version replaced it.
// It holds a reference on its blob like a file does.
struct HistoryRecord {
  FileRecord record;
  std::int64_t superseded_at = 0;  // Unix seconds
  bool operator==(const HistoryRecord&) const = default;
};

// One write transaction. Destroying it without commit() rolls it back.
// Reads through it see its own writes.
class IndexTransaction {
 public:
  virtual ~IndexTransaction() = default;
  virtual std::optional<FileRecord> find(std::string_view name) = 0;
  // Is there any file below directory `dir` ("/a" -> "/a/...")?
  virtual bool has_files_below(std::string_view dir) = 0;
  virtual void put(const FileRecord& record) = 0;  // insert or replace
  virtual void erase(std::string_view name) = 0;
  // References to a blob (0 when unknown).
  virtual std::int64_t references(std::string_view sha256) = 0;
  virtual void add_reference(std::string_view sha256) = 0;
  // Drops one reference; returns how many are left (the row goes at 0).
  virtual std::int64_t drop_reference(std::string_view sha256) = 0;
  // Inline blobs (only when the index keeps_inline_blobs()): stores the gzip
  // bytes of blob `sha256` (replacing any), removes them (none: no error),
  // and removes those under a two-hex prefix that no reference counts
  // (returns how many went).
  virtual void put_inline_blob(std::string_view sha256, std::string_view /*gzip_bytes*/) {
    throw Error(ErrorCode::Io, "blob " + std::string(sha256) + ": this index keeps no blobs");
  }
  virtual void erase_inline_blob(std::string_view /*sha256*/) {}
  virtual std::size_t erase_unreferenced_inline_blobs(std::string_view /*prefix*/) { return 0; }
  virtual void commit() = 0;

  // ---- Version history (history table; an index without one refuses) ----
  // Keeps `kept` (insert or replace); returns the row it replaced, if any
  // (the caller drops that row's blob reference).
  virtual std::optional<HistoryRecord> put_history(const HistoryRecord& kept) { unsupported(kept.record.name); }
  virtual std::optional<HistoryRecord> find_history(std::string_view name, Version /*version*/) {
    unsupported(name);
  }
  virtual void erase_history(std::string_view name, Version /*version*/) { unsupported(name); }
  // Kept versions of `name`, newest first, skipping the first `skip`.
  virtual std::vector<HistoryRecord> history(std::string_view name, std::size_t /*skip*/ = 0) { unsupported(name); }
  // Up to `limit` kept versions superseded before `superseded_before` (the
  // age bound; an index on superseded_at).
  virtual std::vector<HistoryRecord> history_superseded_before(std::int64_t /*superseded_before*/,
                                                               std::size_t /*limit*/) {
    unsupported("/");
  }
  // The first name after `after` (in byte order) with kept versions: a walk
  // over the names, one indexed lookup each.
  virtual std::optional<std::string> next_history_name(std::string_view after) { unsupported(after); }
  // Up to `limit` kept versions of any name (a purge of all history).
  virtual std::vector<HistoryRecord> any_history(std::size_t /*limit*/) { unsupported("/"); }

 private:
  [[noreturn]] static void unsupported(std::string_view name) {
    throw Error(ErrorCode::Unsupported, std::string(name) + ": this index keeps no version history");
  }
};

class Index {
 public:
  virtual ~Index() = default;

  // Reads: safe from any thread, concurrently with the writer.
  virtual std::optional<FileRecord> find(std::string_view name) = 0;
  // "/" always exists; another directory exists when a file is below it.
  virtual bool directory_exists(std::string_view dir) = 0;
  // Files below `dir` (at any depth when recursive, else only immediate
  // ones) with version <= cutoff; with !recursive also the names of
  // immediate subdirectories. Names passed to the visitors are relative to
  // `dir`, without a leading slash.
  virtual void list(std::string_view dir, Version cutoff, bool recursive,
                    const std::function<void(const FileRecord& record, std::string_view relative)>& file,
                    const std::function<void(std::string_view subdirectory)>& directory) = 0;
  // Files below `dir` at any depth whose names sort after `after` (an
  // absolute name; empty: from the first), in name (byte) order, with
  // version <= cutoff, until `visit` returns false: one page of `find`
  // (the listing's pattern extension). This default sorts a whole listing;
  // an index with ordered keys scans just the range.
  virtual void list_ordered(std::string_view dir, std::string_view after, Version cutoff,
                            const std::function<bool(const FileRecord& record)>& visit) {
    std::vector<FileRecord> records;
    list(
        dir, cutoff, true, [&](const FileRecord& r, std::string_view) { records.push_back(r); },
        [](std::string_view) {});
    std::sort(records.begin(), records.end(), [](const FileRecord& a, const FileRecord& b) { return a.name < b.name; });
    for (const auto& r : records)
      if ((after.empty() || r.name > after) && !visit(r)) return;
  }
  virtual void for_each_file(const std::function<void(const FileRecord&)>& visit) = 0;
  virtual void for_each_blob_reference(const std::function<void(const std::string& sha256, std::int64_t refs)>& visit) = 0;
  // Version history reads (an index without history has none).
  virtual std::vector<HistoryRecord> history(std::string_view name) { (void)name; return {}; }
  virtual std::optional<HistoryRecord> find_history(std::string_view name, Version version) {
    (void)name, (void)version;
    return std::nullopt;
  }
  virtual void for_each_history(const std::function<void(const HistoryRecord&)>& visit) { (void)visit; }

  // Inline blobs (see above). The defaults: an index that keeps none.
  virtual bool keeps_inline_blobs() const { return false; }
  // The stored gzip bytes of inline blob `sha256`; nullopt: not inline.
  virtual std::optional<std::string> find_inline_blob(std::string_view /*sha256*/) { return std::nullopt; }
  // Every inline blob (for checks; never on hot paths).
  virtual void for_each_inline_blob(
      const std::function<void(const std::string& sha256, const std::string& gzip_bytes)>& /*visit*/) {}

  struct Totals {
    std::uint64_t files = 0;
    std::uint64_t bytes = 0;  // logical
  };
  // How many files are stored and their size (the storage asks once, at
  // start-up). This default walks every file; an index can count faster.
  virtual Totals totals() {
    Totals t;
    for_each_file([&](const FileRecord& r) {
      ++t.files;
      t.bytes += r.size;
    });
    return t;
  }

  // True when other processes write to this index too (PostgreSQL shared by
  // several servers): the storage then caches no records in memory.
  virtual bool shared() const { return false; }

  // Writes: one transaction at a time (the storage has a single writer).
  virtual std::unique_ptr<IndexTransaction> begin() = 0;
};

// SQLite index in `file` (created when missing unless read_only).
std::unique_ptr<Index> make_sqlite_index(const std::filesystem::path& file, bool read_only = false);

}  // namespace ft::server
