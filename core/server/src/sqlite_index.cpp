// The index in SQLite (WAL): one write connection used by the storage's
// single writer, and a pool of read connections for concurrent readers.
//
//   files(name PRIMARY KEY, version, sha256, size)  -- WITHOUT ROWID: a
//         B-tree ordered by name, so a directory is a contiguous key range
//   blobs(sha256 PRIMARY KEY, refs)
//   history(name, version, sha256, size, superseded_at, PRIMARY KEY(name,
//         version)) -- superseded versions kept by --keep-versions/--keep-for;
//         each row holds one of its blob's refs. Created when missing
//         (CREATE ... IF NOT EXISTS: an idempotent step of its own, so it
//         needs no PRAGMA user_version number and an index written before
//         it simply gains an empty table).
//   inline_blobs(sha256 PRIMARY KEY, data)  -- schema 1: small blobs' gzip
//         bytes, written in the transaction that first refers to them; a
//         rowid table, since its rows are large (WITHOUT ROWID suits small ones)
//
// PRAGMA user_version is the schema: 0 (files, blobs) is migrated to 1 by
// adding inline_blobs; nothing else changes, blob files stay where they are.
// (The history table is created apart from that number, see above.)
#include <sqlite3.h>

#include <cerrno>
#include <map>
#include <mutex>
#include <vector>

#include "filetracker/error.hpp"
#include "filetracker/server/disk_full.hpp"
#include "filetracker/server/index.hpp"
#include "size_scan.hpp"

namespace fs = std::filesystem;

namespace ft::server {
namespace {

// Key range [lo, hi) of every name below directory `dir`.
std::pair<std::string, std::string> subtree_range(std::string_view dir) {
  std::string lo(dir);
  if (lo.empty() || lo.back() != '/') lo += '/';
  std::string hi = lo;
  hi.back() = '/' + 1;  // '0': the first byte after '/'
  return {lo, hi};
}

class Connection {
 public:
  // A reader never writes (query_only) but opens the file read-write, so it
  // can use the WAL's shared memory even when no writer is running.
  Connection(const fs::path& file, bool reader) : file_(file.string()) {
    int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_READWRITE | (reader ? 0 : SQLITE_OPEN_CREATE);
    if (sqlite3_open_v2(file_.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
      std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      throw Error(ErrorCode::Io, file_ + ": cannot open the index: " + message);
    }
    sqlite3_busy_timeout(db_, 10000);
    if (reader) exec("PRAGMA query_only=1");
  }
  ~Connection() {
    for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
    sqlite3_close(db_);
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void exec(const char* sql) {
    char* err = nullptr;
    if (int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &err); rc != SQLITE_OK) {
      std::string message = err ? err : sqlite3_errmsg(db_);
      sqlite3_free(err);
      message = file_ + ": index error: " + message;
      if (disk_full(rc)) throw_disk_full(message, disk_full_errno());
      throw Error(ErrorCode::Io, message);
    }
  }

  // A cached prepared statement, reset and with cleared bindings.
  sqlite3_stmt* statement(const char* sql) {
    auto it = statements_.find(sql);
    if (it == statements_.end()) {
      sqlite3_stmt* stmt = nullptr;
      if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK)
        fail("cannot prepare a statement");
      it = statements_.emplace(sql, stmt).first;
    }
    sqlite3_reset(it->second);
    sqlite3_clear_bindings(it->second);
    return it->second;
  }

  void bind(sqlite3_stmt* stmt, int i, std::string_view text) {
    if (sqlite3_bind_text(stmt, i, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT) != SQLITE_OK)
      fail("cannot bind");
  }
  void bind_blob(sqlite3_stmt* stmt, int i, std::string_view bytes) {
    if (sqlite3_bind_blob64(stmt, i, bytes.data(), bytes.size(), SQLITE_TRANSIENT) != SQLITE_OK) fail("cannot bind");
  }
  void bind(sqlite3_stmt* stmt, int i, std::int64_t value) {
    if (sqlite3_bind_int64(stmt, i, value) != SQLITE_OK) fail("cannot bind");
  }
  // true: a row; false: done.
  bool step(sqlite3_stmt* stmt) {
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    fail("query failed", rc);
  }

  std::int64_t changes() const { return sqlite3_changes64(db_); }

  [[noreturn]] void fail(const std::string& what, int rc = SQLITE_OK) {
    std::string message = file_ + ": index: " + what + ": " + sqlite3_errmsg(db_);
    if (disk_full(rc)) throw_disk_full(message, disk_full_errno());
    throw Error(ErrorCode::Io, message);
  }

  // SQLITE_FULL, or an I/O error whose errno says the disk is full.
  bool disk_full(int rc) const {
    if ((rc & 0xff) == SQLITE_FULL) return true;
    return (rc & 0xff) == SQLITE_IOERR && is_disk_full_errno(sqlite3_system_errno(db_));
  }
  // The errno behind a disk_full() code (SQLITE_FULL may come without one).
  int disk_full_errno() const {
    int err = sqlite3_system_errno(db_);
    return is_disk_full_errno(err) ? err : ENOSPC;
  }

  static std::string text(sqlite3_stmt* stmt, int column) {
    auto p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, column));
    return std::string(p ? p : "", static_cast<std::size_t>(sqlite3_column_bytes(stmt, column)));
  }
  static std::string blob(sqlite3_stmt* stmt, int column) {
    auto p = static_cast<const char*>(sqlite3_column_blob(stmt, column));
    return std::string(p ? p : "", static_cast<std::size_t>(sqlite3_column_bytes(stmt, column)));
  }
  static FileRecord record(sqlite3_stmt* stmt) {
    return FileRecord{text(stmt, 0), sqlite3_column_int64(stmt, 1), text(stmt, 2),
                      static_cast<std::uint64_t>(sqlite3_column_int64(stmt, 3))};
  }

  // Columns name, version, sha256, size, superseded_at.
  static HistoryRecord history_record(sqlite3_stmt* stmt) {
    return HistoryRecord{record(stmt), sqlite3_column_int64(stmt, 4)};
  }
  std::vector<HistoryRecord> history_rows(sqlite3_stmt* stmt) {
    std::vector<HistoryRecord> out;
    while (step(stmt)) out.push_back(history_record(stmt));
    sqlite3_reset(stmt);
    return out;
  }
  std::vector<HistoryRecord> history(std::string_view name, std::size_t skip) {
    auto* stmt = statement(
        "SELECT name, version, sha256, size, superseded_at FROM history WHERE name = ?1 ORDER BY version DESC"
        " LIMIT -1 OFFSET ?2");
    bind(stmt, 1, name);
    bind(stmt, 2, static_cast<std::int64_t>(skip));
    return history_rows(stmt);
  }
  std::optional<HistoryRecord> find_history(std::string_view name, Version version) {
    auto* stmt = statement(
        "SELECT name, version, sha256, size, superseded_at FROM history WHERE name = ?1 AND version = ?2");
    bind(stmt, 1, name);
    bind(stmt, 2, static_cast<std::int64_t>(version));
    std::optional<HistoryRecord> out;
    if (step(stmt)) out = history_record(stmt);
    sqlite3_reset(stmt);
    return out;
  }
  bool has_table(const char* table) {
    auto* stmt = statement("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1");
    bind(stmt, 1, std::string_view(table));
    bool found = step(stmt);
    sqlite3_reset(stmt);
    return found;
  }

  std::optional<FileRecord> find(std::string_view name) {
    auto* stmt = statement("SELECT name, version, sha256, size FROM files WHERE name = ?1");
    bind(stmt, 1, name);
    std::optional<FileRecord> out;
    if (step(stmt)) out = record(stmt);
    sqlite3_reset(stmt);
    return out;
  }

  std::int64_t integer(const char* sql) {
    auto* stmt = statement(sql);
    std::int64_t value = step(stmt) ? sqlite3_column_int64(stmt, 0) : 0;
    sqlite3_reset(stmt);
    return value;
  }

  std::optional<std::string> find_inline_blob(std::string_view sha256) {
    auto* stmt = statement("SELECT data FROM inline_blobs WHERE sha256 = ?1");
    bind(stmt, 1, sha256);
    std::optional<std::string> out;
    if (step(stmt)) out = blob(stmt, 0);
    sqlite3_reset(stmt);
    return out;
  }

  bool has_files_below(std::string_view dir) {
    auto [lo, hi] = subtree_range(dir);
    auto* stmt = statement("SELECT 1 FROM files WHERE name >= ?1 AND name < ?2 LIMIT 1");
    bind(stmt, 1, lo);
    bind(stmt, 2, hi);
    bool found = step(stmt);
    sqlite3_reset(stmt);
    return found;
  }

 private:
  std::string file_;
  sqlite3* db_ = nullptr;
  std::map<std::string, sqlite3_stmt*> statements_;
};

class SqliteTransaction final : public IndexTransaction {
 public:
  SqliteTransaction(Connection& db, std::unique_lock<std::mutex> lock) : db_(db), lock_(std::move(lock)) {
    db_.exec("BEGIN IMMEDIATE");
  }
  ~SqliteTransaction() override {
    if (!done_) {
      try {
        db_.exec("ROLLBACK");
      } catch (...) {
      }
    }
  }
  std::optional<FileRecord> find(std::string_view name) override { return db_.find(name); }
  bool has_files_below(std::string_view dir) override { return db_.has_files_below(dir); }
  void put(const FileRecord& r) override {
    auto* stmt = db_.statement("INSERT OR REPLACE INTO files(name, version, sha256, size) VALUES (?1, ?2, ?3, ?4)");
    db_.bind(stmt, 1, r.name);
    db_.bind(stmt, 2, static_cast<std::int64_t>(r.version));
    db_.bind(stmt, 3, r.sha256);
    db_.bind(stmt, 4, static_cast<std::int64_t>(r.size));
    db_.step(stmt);
  }
  void erase(std::string_view name) override {
    auto* stmt = db_.statement("DELETE FROM files WHERE name = ?1");
    db_.bind(stmt, 1, name);
    db_.step(stmt);
  }
  std::int64_t references(std::string_view sha256) override {
    auto* stmt = db_.statement("SELECT refs FROM blobs WHERE sha256 = ?1");
    db_.bind(stmt, 1, sha256);
    std::int64_t refs = db_.step(stmt) ? sqlite3_column_int64(stmt, 0) : 0;
    sqlite3_reset(stmt);
    return refs;
  }
  void add_reference(std::string_view sha256) override {
    auto* stmt = db_.statement(
        "INSERT INTO blobs(sha256, refs) VALUES (?1, 1) ON CONFLICT(sha256) DO UPDATE SET refs = refs + 1");
    db_.bind(stmt, 1, sha256);
    db_.step(stmt);
  }
  std::int64_t drop_reference(std::string_view sha256) override {
    std::int64_t left = references(sha256) - 1;
    if (left <= 0) {
      auto* stmt = db_.statement("DELETE FROM blobs WHERE sha256 = ?1");
      db_.bind(stmt, 1, sha256);
      db_.step(stmt);
      return 0;
    }
    auto* stmt = db_.statement("UPDATE blobs SET refs = ?2 WHERE sha256 = ?1");
    db_.bind(stmt, 1, sha256);
    db_.bind(stmt, 2, left);
    db_.step(stmt);
    return left;
  }
  void put_inline_blob(std::string_view sha256, std::string_view gzip_bytes) override {
    auto* stmt = db_.statement("INSERT OR REPLACE INTO inline_blobs(sha256, data) VALUES (?1, ?2)");
    db_.bind(stmt, 1, sha256);
    db_.bind_blob(stmt, 2, gzip_bytes);
    db_.step(stmt);
  }
  void erase_inline_blob(std::string_view sha256) override {
    auto* stmt = db_.statement("DELETE FROM inline_blobs WHERE sha256 = ?1");
    db_.bind(stmt, 1, sha256);
    db_.step(stmt);
  }
  std::size_t erase_unreferenced_inline_blobs(std::string_view prefix) override {
    // [prefix, prefix + 1): the keys that start with it
    std::string lo(prefix), hi(prefix);
    if (hi.empty()) return 0;
    ++hi.back();
    auto* stmt = db_.statement(
        "DELETE FROM inline_blobs WHERE sha256 >= ?1 AND sha256 < ?2 AND sha256 NOT IN (SELECT sha256 FROM blobs)");
    db_.bind(stmt, 1, lo);
    db_.bind(stmt, 2, hi);
    db_.step(stmt);
    return static_cast<std::size_t>(db_.changes());
  }
  void commit() override {
    db_.exec("COMMIT");
    done_ = true;
  }

  std::optional<HistoryRecord> put_history(const HistoryRecord& kept) override {
    auto replaced = db_.find_history(kept.record.name, kept.record.version);
    auto* stmt = db_.statement(
        "INSERT OR REPLACE INTO history(name, version, sha256, size, superseded_at) VALUES (?1, ?2, ?3, ?4, ?5)");
    db_.bind(stmt, 1, kept.record.name);
    db_.bind(stmt, 2, static_cast<std::int64_t>(kept.record.version));
    db_.bind(stmt, 3, kept.record.sha256);
    db_.bind(stmt, 4, static_cast<std::int64_t>(kept.record.size));
    db_.bind(stmt, 5, kept.superseded_at);
    db_.step(stmt);
    return replaced;
  }
  std::optional<HistoryRecord> find_history(std::string_view name, Version version) override {
    return db_.find_history(name, version);
  }
  void erase_history(std::string_view name, Version version) override {
    auto* stmt = db_.statement("DELETE FROM history WHERE name = ?1 AND version = ?2");
    db_.bind(stmt, 1, name);
    db_.bind(stmt, 2, static_cast<std::int64_t>(version));
    db_.step(stmt);
  }
  std::vector<HistoryRecord> history(std::string_view name, std::size_t skip) override {
    return db_.history(name, skip);
  }
  std::vector<HistoryRecord> history_superseded_before(std::int64_t superseded_before, std::size_t limit) override {
    auto* stmt = db_.statement(
        "SELECT name, version, sha256, size, superseded_at FROM history WHERE superseded_at < ?1 LIMIT ?2");
    db_.bind(stmt, 1, superseded_before);
    db_.bind(stmt, 2, static_cast<std::int64_t>(limit));
    return db_.history_rows(stmt);
  }
  std::optional<std::string> next_history_name(std::string_view after) override {
    auto* stmt = db_.statement("SELECT name FROM history WHERE name > ?1 ORDER BY name LIMIT 1");
    db_.bind(stmt, 1, after);
    std::optional<std::string> out;
    if (db_.step(stmt)) out = Connection::text(stmt, 0);
    sqlite3_reset(stmt);
    return out;
  }
  std::vector<HistoryRecord> any_history(std::size_t limit) override {
    auto* stmt = db_.statement("SELECT name, version, sha256, size, superseded_at FROM history LIMIT ?1");
    db_.bind(stmt, 1, static_cast<std::int64_t>(limit));
    return db_.history_rows(stmt);
  }

 private:
  Connection& db_;
  std::unique_lock<std::mutex> lock_;
  bool done_ = false;
};

class SqliteIndex final : public Index, public SizeScan {
 public:
  SqliteIndex(fs::path file, bool read_only) : file_(std::move(file)), read_only_(read_only) {
    if (!read_only_) {
      writer_ = std::make_unique<Connection>(file_, false);
      writer_->exec("PRAGMA journal_mode=WAL");
      // FULL: a commit is on disk when COMMIT returns (an acknowledged
      // PUT survives a power cut, not only a crash of the process).
      writer_->exec("PRAGMA synchronous=FULL");
      // The schema's own migrations (PRAGMA user_version), then the version
      // history's step of its own (see the top of the file).
      migrate();
      inline_table_ = true;
      writer_->exec(
          "CREATE TABLE IF NOT EXISTS history(name TEXT NOT NULL, version INTEGER NOT NULL, sha256 TEXT NOT NULL,"
          " size INTEGER NOT NULL, superseded_at INTEGER NOT NULL, PRIMARY KEY(name, version)) WITHOUT ROWID;"
          "CREATE INDEX IF NOT EXISTS history_by_age ON history(superseded_at);");
      has_history_ = true;
    } else if (!fs::exists(file_)) {
      throw Error(ErrorCode::NotFound, file_.string() + ": no index here");
    } else {
      // Read-only (--check): an index of schema 0, or from before the
      // history, is read as it is.
      auto reader = acquire();
      inline_table_ = reader->integer("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'inline_blobs'") > 0;
      has_history_ = reader->has_table("history");
    }
  }

  std::vector<HistoryRecord> history(std::string_view name) override {
    if (!has_history_) return {};
    auto reader = acquire();
    return reader->history(name, 0);
  }
  std::optional<HistoryRecord> find_history(std::string_view name, Version version) override {
    if (!has_history_) return std::nullopt;
    auto reader = acquire();
    return reader->find_history(name, version);
  }
  void for_each_history(const std::function<void(const HistoryRecord&)>& visit) override {
    if (!has_history_) return;
    auto reader = acquire();
    auto* stmt = reader->statement("SELECT name, version, sha256, size, superseded_at FROM history");
    while (reader->step(stmt)) visit(Connection::history_record(stmt));
    sqlite3_reset(stmt);
  }

  bool keeps_inline_blobs() const override { return inline_table_; }

  std::optional<std::string> find_inline_blob(std::string_view sha256) override {
    if (!inline_table_) return std::nullopt;
    auto reader = acquire();
    return reader->find_inline_blob(sha256);
  }

  void for_each_inline_blob(const std::function<void(const std::string&, const std::string&)>& visit) override {
    if (!inline_table_) return;
    auto reader = acquire();
    auto* stmt = reader->statement("SELECT sha256, data FROM inline_blobs");
    while (reader->step(stmt)) visit(Connection::text(stmt, 0), Connection::blob(stmt, 1));
    sqlite3_reset(stmt);
  }

  std::optional<FileRecord> find(std::string_view name) override {
    auto reader = acquire();
    return reader->find(name);
  }

  bool directory_exists(std::string_view dir) override {
    if (dir == "/" || dir.empty()) return true;
    auto reader = acquire();
    return reader->has_files_below(dir);
  }

  void list(std::string_view dir, Version cutoff, bool recursive,
            const std::function<void(const FileRecord&, std::string_view)>& file,
            const std::function<void(std::string_view)>& directory) override {
    auto reader = acquire();
    Connection& db = *reader;
    auto [lo, hi] = subtree_range(dir);
    // Both listings run in one read transaction: a consistent snapshot.
    db.exec("BEGIN");
    struct End {
      Connection& db;
      ~End() {
        try {
          db.exec("COMMIT");
        } catch (...) {
        }
      }
    } end{db};
    if (recursive) {
      auto* stmt = db.statement(
          "SELECT name, version, sha256, size FROM files WHERE name >= ?1 AND name < ?2 AND version <= ?3");
      db.bind(stmt, 1, lo);
      db.bind(stmt, 2, hi);
      db.bind(stmt, 3, static_cast<std::int64_t>(cutoff));
      while (db.step(stmt)) {
        FileRecord r = Connection::record(stmt);
        file(r, std::string_view(r.name).substr(lo.size()));
      }
      sqlite3_reset(stmt);
      return;
    }
    // One level: skip over each subdirectory's key range instead of
    // visiting every file below it.
    std::string cursor = lo;
    bool inclusive = true;
    for (;;) {
      auto* stmt = db.statement(inclusive
                                    ? "SELECT name, version, sha256, size FROM files WHERE name >= ?1 AND name < ?2 "
                                      "ORDER BY name LIMIT 1"
                                    : "SELECT name, version, sha256, size FROM files WHERE name > ?1 AND name < ?2 "
                                      "ORDER BY name LIMIT 1");
      db.bind(stmt, 1, cursor);
      db.bind(stmt, 2, hi);
      if (!db.step(stmt)) {
        sqlite3_reset(stmt);
        break;
      }
      FileRecord r = Connection::record(stmt);
      sqlite3_reset(stmt);
      std::string_view relative = std::string_view(r.name).substr(lo.size());
      auto slash = relative.find('/');
      if (slash == std::string_view::npos) {
        if (r.version <= cutoff) file(r, relative);
        cursor = r.name;
        inclusive = false;
      } else {
        std::string sub(relative.substr(0, slash));
        directory(sub);
        cursor = lo + sub;
        cursor += '/' + 1;
        inclusive = true;
      }
    }
  }

  void for_each_file(const std::function<void(const FileRecord&)>& visit) override {
    auto reader = acquire();
    auto* stmt = reader->statement("SELECT name, version, sha256, size FROM files");
    while (reader->step(stmt)) visit(Connection::record(stmt));
    sqlite3_reset(stmt);
  }

  void for_each_blob_reference(const std::function<void(const std::string&, std::int64_t)>& visit) override {
    auto reader = acquire();
    auto* stmt = reader->statement("SELECT sha256, refs FROM blobs");
    while (reader->step(stmt)) visit(Connection::text(stmt, 0), sqlite3_column_int64(stmt, 1));
    sqlite3_reset(stmt);
  }

  void list_ordered(std::string_view dir, std::string_view after, Version cutoff,
                    const std::function<bool(const FileRecord&)>& visit) override {
    auto reader = acquire();
    Connection& db = *reader;
    auto [lo, hi] = subtree_range(dir);
    // A range scan of the primary key from `after` (or the subtree's start).
    const bool from_after = !after.empty() && std::string_view(after) >= std::string_view(lo);
    auto* stmt = db.statement(from_after ? "SELECT name, version, sha256, size FROM files WHERE name > ?1 AND "
                                           "name < ?2 AND version <= ?3 ORDER BY name"
                                         : "SELECT name, version, sha256, size FROM files WHERE name >= ?1 AND "
                                           "name < ?2 AND version <= ?3 ORDER BY name");
    db.bind(stmt, 1, from_after ? std::string(after) : lo);
    db.bind(stmt, 2, hi);
    db.bind(stmt, 3, static_cast<std::int64_t>(cutoff));
    struct Reset {
      sqlite3_stmt* stmt;
      ~Reset() { sqlite3_reset(stmt); }
    } reset{stmt};
    while (db.step(stmt))
      if (!visit(Connection::record(stmt))) break;
  }

  void for_each_size_below(std::string_view dir,
                           const std::function<void(std::string_view, std::uint64_t)>& visit) override {
    auto reader = acquire();
    Connection& db = *reader;
    auto [lo, hi] = subtree_range(dir);
    auto* stmt = db.statement("SELECT name, size FROM files WHERE name >= ?1 AND name < ?2 ORDER BY name");
    db.bind(stmt, 1, lo);
    db.bind(stmt, 2, hi);
    struct Reset {
      sqlite3_stmt* stmt;
      ~Reset() { sqlite3_reset(stmt); }
    } reset{stmt};
    while (db.step(stmt)) {
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
      const auto length = static_cast<std::size_t>(sqlite3_column_bytes(stmt, 0));
      visit(std::string_view(text, length), static_cast<std::uint64_t>(sqlite3_column_int64(stmt, 1)));
    }
  }

  Totals totals() override {
    auto reader = acquire();
    auto* stmt = reader->statement("SELECT count(*), coalesce(sum(size), 0) FROM files");
    Totals t;
    if (reader->step(stmt)) {
      t.files = static_cast<std::uint64_t>(sqlite3_column_int64(stmt, 0));
      t.bytes = static_cast<std::uint64_t>(sqlite3_column_int64(stmt, 1));
    }
    sqlite3_reset(stmt);
    return t;
  }

  std::unique_ptr<IndexTransaction> begin() override {
    if (read_only_) throw Error(ErrorCode::InvalidArgument, file_.string() + ": the index is open read-only");
    return std::make_unique<SqliteTransaction>(*writer_, std::unique_lock(writer_mutex_));
  }

 private:
  // A read connection borrowed from the pool for one call.
  struct Lease {
    SqliteIndex* owner;
    std::unique_ptr<Connection> conn;
    Connection* operator->() { return conn.get(); }
    Connection& operator*() { return *conn; }
    ~Lease() {
      if (!conn) return;
      std::lock_guard lock(owner->pool_mutex_);
      owner->pool_.push_back(std::move(conn));
    }
  };
  Lease acquire() {
    {
      std::lock_guard lock(pool_mutex_);
      if (!pool_.empty()) {
        auto conn = std::move(pool_.back());
        pool_.pop_back();
        return Lease{this, std::move(conn)};
      }
    }
    return Lease{this, std::make_unique<Connection>(file_, true)};
  }

  // Creates the tables of a new index, or brings an older one to the
  // current schema, in one transaction (a crash leaves the old schema).
  void migrate() {
    static constexpr std::int64_t kSchema = 1;
    writer_->exec("BEGIN IMMEDIATE");
    try {
      const std::int64_t found = writer_->integer("PRAGMA user_version");
      if (found > kSchema)
        throw Error(ErrorCode::Io, file_.string() + ": the index has schema version " + std::to_string(found) +
                                       ", newer than this filetracker-server knows (" + std::to_string(kSchema) +
                                       "): use a newer filetracker-server");
      if (found < kSchema) {
        writer_->exec(
            "CREATE TABLE IF NOT EXISTS files(name TEXT PRIMARY KEY NOT NULL, version INTEGER NOT NULL,"
            " sha256 TEXT NOT NULL, size INTEGER NOT NULL) WITHOUT ROWID;"
            "CREATE TABLE IF NOT EXISTS blobs(sha256 TEXT PRIMARY KEY NOT NULL, refs INTEGER NOT NULL) WITHOUT ROWID;"
            "CREATE TABLE IF NOT EXISTS inline_blobs(sha256 TEXT PRIMARY KEY NOT NULL, data BLOB NOT NULL);"
            "PRAGMA user_version = 1;");
      }
      writer_->exec("COMMIT");
    } catch (...) {
      try {
        writer_->exec("ROLLBACK");
      } catch (...) {
      }
      throw;
    }
  }

  fs::path file_;
  bool read_only_;
  bool has_history_ = false;
  bool inline_table_ = false;
  std::unique_ptr<Connection> writer_;
  std::mutex writer_mutex_;
  std::mutex pool_mutex_;
  std::vector<std::unique_ptr<Connection>> pool_;
};

}  // namespace

std::unique_ptr<Index> make_sqlite_index(const fs::path& file, bool read_only) {
  return std::make_unique<SqliteIndex>(file, read_only);
}

}  // namespace ft::server
