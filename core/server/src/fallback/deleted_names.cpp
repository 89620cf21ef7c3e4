#include "fallback/deleted_names.hpp"

#include <sqlite3.h>

#include "filetracker/error.hpp"

namespace ft::server {
namespace {

// A prepared statement, finalized when it goes.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql, const std::string& file) {
    if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK)
      throw Error(ErrorCode::Io, file + ": " + sqlite3_errmsg(db));
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  sqlite3_stmt* get() { return stmt_; }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

}  // namespace

DeletedNames::DeletedNames(const std::filesystem::path& file) : file_(file.string()) {
  if (sqlite3_open_v2(file_.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK) {
    std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    throw Error(ErrorCode::Io, file_ + ": cannot open the list of names deleted here: " + message);
  }
  sqlite3_busy_timeout(db_, 10000);
  char* err = nullptr;
  if (sqlite3_exec(db_,
                   "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                   "CREATE TABLE IF NOT EXISTS deleted(name TEXT PRIMARY KEY, version INTEGER NOT NULL) WITHOUT ROWID",
                   nullptr, nullptr, &err) != SQLITE_OK) {
    std::string message = err ? err : sqlite3_errmsg(db_);
    sqlite3_free(err);
    sqlite3_close(db_);
    throw Error(ErrorCode::Io, file_ + ": " + message);
  }
  Statement all(db_, "SELECT name, version FROM deleted", file_);
  while (sqlite3_step(all.get()) == SQLITE_ROW) {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(all.get(), 0));
    names_.emplace(std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(all.get(), 0))),
                   static_cast<Version>(sqlite3_column_int64(all.get(), 1)));
  }
}

DeletedNames::~DeletedNames() { sqlite3_close(db_); }

std::optional<Version> DeletedNames::find(std::string_view name) {
  std::lock_guard lock(mutex_);
  auto it = names_.find(std::string(name));
  if (it == names_.end()) return std::nullopt;
  return it->second;
}

std::unordered_map<std::string, Version> DeletedNames::below(std::string_view dir) {
  std::string prefix(dir);
  if (prefix.empty() || prefix.back() != '/') prefix += '/';
  std::lock_guard lock(mutex_);
  std::unordered_map<std::string, Version> out;
  for (const auto& [name, version] : names_)
    if (name.compare(0, prefix.size(), prefix) == 0) out.emplace(name, version);
  return out;
}

void DeletedNames::record(std::string_view name, Version version) {
  std::lock_guard lock(mutex_);
  Statement stmt(db_,
                 "INSERT INTO deleted(name, version) VALUES (?1, ?2) "
                 "ON CONFLICT(name) DO UPDATE SET version = max(version, excluded.version)",
                 file_);
  sqlite3_bind_text(stmt.get(), 1, name.data(), static_cast<int>(name.size()), SQLITE_STATIC);
  sqlite3_bind_int64(stmt.get(), 2, static_cast<sqlite3_int64>(version));
  if (sqlite3_step(stmt.get()) != SQLITE_DONE)
    throw Error(ErrorCode::Io, file_ + ": cannot record a deletion: " + sqlite3_errmsg(db_));
  auto [it, added] = names_.emplace(std::string(name), version);
  if (!added && it->second < version) it->second = version;
}

}  // namespace ft::server
