// The index in PostgreSQL (libpqxx), shared by several servers.
//
//   files(name PRIMARY KEY COLLATE "C", version, sha256, size): a B-tree in
//         byte order, so a directory is one contiguous key range (as SQLite)
//   blobs(sha256 PRIMARY KEY, refs, unreferenced_since): a row with refs = 0
//         stays until the BlobReaper deletes the blob after the grace period
//   inline_blobs(sha256 PRIMARY KEY, gzip BYTEA): small blobs (--inline-max-size)
//         kept here instead of S3, written in the transaction of the row that
//         refers to them and erased in the one that drops their last reference
//         (both under the blob's lock), so a small PUT is one PostgreSQL commit
//         and no S3 request
//
// Each server runs one writer (the storage's) plus readers from any thread:
// libpqxx connections are not thread-safe, so readers lease a connection from
// a pool. A write transaction takes an advisory transaction lock on every
// name it reads (and on every blob whose references it reads or changes):
// the storage's read-decide-write of one name is then atomic across servers,
// and the write is one conditional statement (never replacing a higher
// version). A connection that fails is dropped; the next call opens a new
// one, so service comes back when PostgreSQL does.
#include <pqxx/pqxx>

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <vector>

#include "filetracker/error.hpp"
#include "filetracker/server/backend_unavailable.hpp"
#include "filetracker/server/scaleout.hpp"
#include "size_scan.hpp"

namespace ft::server {
namespace {

constexpr std::size_t kPage = 1000;  // rows per query when walking many rows

std::pair<std::string, std::string> subtree_range(std::string_view dir) {
  std::string lo(dir);
  if (lo.empty() || lo.back() != '/') lo += '/';
  std::string hi = lo;
  hi.back() = '/' + 1;  // '0': the first byte after '/'
  return {lo, hi};
}

std::string one_line(std::string text) {
  for (char& c : text)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

// Runs fn, turning libpqxx's exceptions into ours: a lost or refused
// connection (or a server shutting down) is BackendUnavailable.
template <typename Fn>
auto guarded(const char* what, bool* broken, Fn&& fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const pqxx::broken_connection& e) {
    if (broken) *broken = true;
    throw BackendUnavailable(std::string("PostgreSQL unreachable (") + what + "): " + one_line(e.what()));
  } catch (const pqxx::sql_error& e) {
    const std::string& state = e.sqlstate();
    // 08: connection exception; 57P: operator intervention (shutdown).
    if (state.rfind("08", 0) == 0 || state.rfind("57P", 0) == 0) {
      if (broken) *broken = true;
      throw BackendUnavailable(std::string("PostgreSQL unavailable (") + what + "): " + one_line(e.what()));
    }
    throw Error(ErrorCode::Io, std::string("PostgreSQL (") + what + "): " + one_line(e.what()));
  } catch (const pqxx::transaction_rollback& e) {
    // A deadlock between two servers' batches, or a serialization failure:
    // nothing was written, and trying again will do.
    throw BackendUnavailable(std::string("PostgreSQL rolled back the transaction (") + what + "), try again: " +
                             one_line(e.what()));
  } catch (const pqxx::in_doubt_error& e) {
    if (broken) *broken = true;
    throw BackendUnavailable(std::string("PostgreSQL: commit in doubt (") + what + "): " + one_line(e.what()));
  } catch (const pqxx::failure& e) {
    if (broken) *broken = true;
    throw BackendUnavailable(std::string("PostgreSQL (") + what + "): " + one_line(e.what()));
  }
}

FileRecord record_of(const pqxx::row& row) {
  return FileRecord{row[0].as<std::string>(), row[1].as<std::int64_t>(), row[2].as<std::string>(),
                    static_cast<std::uint64_t>(row[3].as<std::int64_t>())};
}

// The URL without our own `schema=` parameter, and that schema ("" : none).
struct ParsedUrl {
  std::string libpq;
  std::string schema;
};
ParsedUrl parse_url(const std::string& url) {
  ParsedUrl out{url, {}};
  auto q = url.find('?');
  if (q == std::string::npos) return out;
  std::string base = url.substr(0, q), kept;
  std::string query = url.substr(q + 1);
  std::size_t pos = 0;
  while (pos <= query.size()) {
    auto amp = query.find('&', pos);
    std::string param = query.substr(pos, amp == std::string::npos ? std::string::npos : amp - pos);
    if (param.rfind("schema=", 0) == 0) {
      out.schema = param.substr(7);
    } else if (!param.empty()) {
      kept += (kept.empty() ? "" : "&") + param;
    }
    if (amp == std::string::npos) break;
    pos = amp + 1;
  }
  for (char c : out.schema)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_'))
      throw Error(ErrorCode::InvalidArgument, "--index: schema=" + out.schema + ": only letters, digits and _");
  out.libpq = kept.empty() ? base : base + "?" + kept;
  return out;
}

// A text[] literal for a parameter: {"a","b\"c"} (every element quoted).
std::string array_literal(const std::vector<std::string>& items) {
  std::string out = "{";
  for (const auto& item : items) {
    if (out.size() > 1) out += ',';
    out += '"';
    for (char c : item) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  out += '}';
  return out;
}

const char* kFind = "SELECT name, version, sha256, size FROM files WHERE name = $1";
const char* kBelow = "SELECT 1 FROM files WHERE name >= $1 AND name < $2 LIMIT 1";

class Connection {
 public:
  Connection(const ParsedUrl& url) {
    guarded("connect", nullptr, [&] {
      conn_ = std::make_unique<pqxx::connection>(url.libpq);
      if (!url.schema.empty()) {
        pqxx::nontransaction tx(*conn_);
        tx.exec("SET search_path TO \"" + url.schema + "\"");
      }
      conn_->prepare("find", kFind);
      conn_->prepare("below", kBelow);
      conn_->prepare("lock_name", "SELECT pg_advisory_xact_lock(1, hashtext($1))");
      conn_->prepare("lock_blob", "SELECT pg_advisory_xact_lock(2, hashtext($1))");
      // A batch's locks in one statement each, in the order of the array
      // (sorted by the caller): the same global order as one at a time.
      conn_->prepare("lock_names",
                     "SELECT pg_advisory_xact_lock(1, hashtext(n)) FROM unnest($1::text[]) WITH ORDINALITY AS t(n, i) "
                     "ORDER BY i");
      conn_->prepare("lock_blobs",
                     "SELECT pg_advisory_xact_lock(2, hashtext(n)) FROM unnest($1::text[]) WITH ORDINALITY AS t(n, i) "
                     "ORDER BY i");
      conn_->prepare("put_inline",
                     "INSERT INTO inline_blobs(sha256, gzip) VALUES ($1, decode($2, 'hex')) "
                     "ON CONFLICT (sha256) DO UPDATE SET gzip = excluded.gzip");
      conn_->prepare("erase_inline", "DELETE FROM inline_blobs WHERE sha256 = $1");
      conn_->prepare("find_inline", "SELECT gzip FROM inline_blobs WHERE sha256 = $1");
      conn_->prepare("try_lock_blob", "SELECT pg_try_advisory_xact_lock(2, hashtext($1))");
      conn_->prepare("unreferenced_inline",
                     "SELECT i.sha256 FROM inline_blobs i LEFT JOIN blobs b ON b.sha256 = i.sha256 "
                     "WHERE i.sha256 >= $1 AND i.sha256 < $2 AND coalesce(b.refs, 0) = 0 ORDER BY i.sha256");
      conn_->prepare("find_many", "SELECT name, version, sha256, size FROM files WHERE name = ANY($1::text[])");
      conn_->prepare("refs_many", "SELECT sha256, refs FROM blobs WHERE sha256 = ANY($1::text[])");
      conn_->prepare("put",
                     "INSERT INTO files(name, version, sha256, size) VALUES ($1, $2, $3, $4) "
                     "ON CONFLICT (name) DO UPDATE SET version = excluded.version, sha256 = excluded.sha256, "
                     "size = excluded.size WHERE excluded.version >= files.version");
      conn_->prepare("erase", "DELETE FROM files WHERE name = $1");
      conn_->prepare("refs", "SELECT refs FROM blobs WHERE sha256 = $1");
      conn_->prepare("add_ref",
                     "INSERT INTO blobs(sha256, refs, unreferenced_since) VALUES ($1, 1, NULL) "
                     "ON CONFLICT (sha256) DO UPDATE SET refs = blobs.refs + 1, unreferenced_since = NULL");
      conn_->prepare("drop_ref",
                     "UPDATE blobs SET refs = greatest(refs - 1, 0), "
                     "unreferenced_since = CASE WHEN refs <= 1 THEN now() ELSE NULL END "
                     "WHERE sha256 = $1 RETURNING refs");
    });
  }
  pqxx::connection& operator*() { return *conn_; }
  bool broken = false;

 private:
  std::unique_ptr<pqxx::connection> conn_;
};

class PostgresqlTransaction final : public IndexTransaction, public BatchLocking {
 public:
  PostgresqlTransaction(std::unique_ptr<Connection>& conn, std::unique_lock<std::mutex> lock)
      : conn_(conn), lock_(std::move(lock)) {
    try {
      run("begin", [&] { tx_ = std::make_unique<pqxx::work>(**conn_); });
    } catch (...) {
      if (conn_->broken) conn_.reset();
      throw;
    }
  }
  ~PostgresqlTransaction() override {
    try {
      tx_.reset();  // aborts when not committed
    } catch (...) {
    }
    if (conn_ && conn_->broken) conn_.reset();  // the next transaction connects again
  }

  std::optional<FileRecord> find(std::string_view name) override {
    std::string n(name);
    if (auto it = records_.find(n); it != records_.end()) return it->second;
    lock("lock_name", locked_names_, n);
    auto record = run("find", [&]() -> std::optional<FileRecord> {
      auto r = tx_->exec_prepared("find", n);
      if (r.empty()) return std::nullopt;
      return record_of(r[0]);
    });
    records_.emplace(n, record);
    return record;
  }
  bool has_files_below(std::string_view dir) override {
    auto [lo, hi] = subtree_range(dir);
    return run("list", [&] { return !tx_->exec_prepared("below", lo, hi).empty(); });
  }
  void put(const FileRecord& r) override {
    run("put", [&] {
      tx_->exec_prepared("put", r.name, static_cast<std::int64_t>(r.version), r.sha256,
                         static_cast<std::int64_t>(r.size));
    });
    records_.insert_or_assign(r.name, r);  // the storage puts only what the version rule allows
  }
  void erase(std::string_view name) override {
    run("delete", [&] { tx_->exec_prepared("erase", std::string(name)); });
    records_.insert_or_assign(std::string(name), std::nullopt);
  }
  std::int64_t references(std::string_view sha256) override {
    std::string s(sha256);
    if (auto it = refs_.find(s); it != refs_.end()) return it->second;
    lock("lock_blob", locked_blobs_, s);
    const std::int64_t refs = run("references", [&]() -> std::int64_t {
      auto r = tx_->exec_prepared("refs", s);
      return r.empty() ? 0 : r[0][0].as<std::int64_t>();
    });
    refs_.emplace(s, refs);
    return refs;
  }
  void add_reference(std::string_view sha256) override {
    std::string s(sha256);
    lock("lock_blob", locked_blobs_, s);
    run("references", [&] { tx_->exec_prepared("add_ref", s); });
    if (auto it = refs_.find(s); it != refs_.end()) ++it->second;
  }
  std::int64_t drop_reference(std::string_view sha256) override {
    std::string s(sha256);
    lock("lock_blob", locked_blobs_, s);
    const std::int64_t refs = run("references", [&]() -> std::int64_t {
      auto r = tx_->exec_prepared("drop_ref", s);
      return r.empty() ? 0 : r[0][0].as<std::int64_t>();
    });
    refs_.insert_or_assign(s, refs);
    return refs;
  }
  void put_inline_blob(std::string_view sha256, std::string_view gzip_bytes) override {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex;
    hex.reserve(gzip_bytes.size() * 2);
    for (unsigned char c : gzip_bytes) {
      hex += kHex[c >> 4];
      hex += kHex[c & 15];
    }
    run("put", [&] { tx_->exec_prepared("put_inline", std::string(sha256), hex); });
  }
  void erase_inline_blob(std::string_view sha256) override {
    run("delete", [&] { tx_->exec_prepared("erase_inline", std::string(sha256)); });
  }
  // Only blobs whose lock is free now (pg_try_advisory_xact_lock): one
  // another server's batch holds is in use there, and waiting for it here,
  // out of the batches' lock order, could deadlock. Checked again under the lock.
  std::size_t erase_unreferenced_inline_blobs(std::string_view prefix) override {
    const std::string lo(prefix);
    std::string hi = lo;
    if (hi.empty()) return 0;
    ++hi.back();
    auto candidates = run("list", [&] { return tx_->exec_prepared("unreferenced_inline", lo, hi); });
    std::size_t erased = 0;
    for (const auto& row : candidates) {
      const std::string sha = row[0].as<std::string>();
      if (!locked_blobs_.count(sha)) {
        const bool got = run("lock", [&] { return tx_->exec_prepared("try_lock_blob", sha)[0][0].as<bool>(); });
        if (!got) continue;
        locked_blobs_.insert(sha);
        refs_.erase(sha);  // read again under the lock
      }
      if (references(sha) != 0) continue;
      erase_inline_blob(sha);
      ++erased;
    }
    return erased;
  }
  void commit() override {
    run("commit", [&] { tx_->commit(); });
  }
  // Names in byte order, then blobs in byte order (the blobs the batch drops
  // are those its names hold now: stable, since the names are locked).
  //
  // Four statements per batch, whatever its size: the name locks, the
  // names' rows, the blob locks, the blobs' reference counts. The rows and
  // counts read here are what the storage's finds and reference checks
  // then get (kept current by this transaction's own writes): under these
  // locks no other server can change them.
  void lock_batch(const std::vector<std::string>& names, const std::vector<std::string>& blobs) override {
    std::set<std::string> sorted_names(names.begin(), names.end());
    std::set<std::string> sorted_blobs(blobs.begin(), blobs.end());
    std::vector<std::string> to_lock;
    for (const auto& name : sorted_names)
      if (locked_names_.insert(name).second) to_lock.push_back(name);
    if (to_lock.empty()) return;
    const std::string names_array = array_literal(to_lock);
    run("lock", [&] { tx_->exec_prepared("lock_names", names_array); });
    for (const auto& name : to_lock) records_.insert_or_assign(name, std::nullopt);
    auto rows = run("find", [&] { return tx_->exec_prepared("find_many", names_array); });
    for (const auto& row : rows) {
      FileRecord rec = record_of(row);
      sorted_blobs.insert(rec.sha256);
      records_.insert_or_assign(rec.name, std::move(rec));
    }
    std::vector<std::string> blobs_to_lock;
    for (const auto& sha : sorted_blobs)
      if (locked_blobs_.insert(sha).second) blobs_to_lock.push_back(sha);
    if (blobs_to_lock.empty()) return;
    const std::string blobs_array = array_literal(blobs_to_lock);
    run("lock", [&] { tx_->exec_prepared("lock_blobs", blobs_array); });
    for (const auto& sha : blobs_to_lock) refs_.insert_or_assign(sha, 0);
    auto counts = run("references", [&] { return tx_->exec_prepared("refs_many", blobs_array); });
    for (const auto& row : counts) refs_.insert_or_assign(row[0].as<std::string>(), row[1].as<std::int64_t>());
  }

 private:
  template <typename Fn>
  auto run(const char* what, Fn&& fn) -> decltype(fn()) {
    return guarded(what, &conn_->broken, std::forward<Fn>(fn));
  }
  // Each lock once per transaction (they are held until it ends).
  void lock(const char* statement, std::set<std::string>& locked, const std::string& key) {
    if (!locked.insert(key).second) return;
    run("lock", [&] { tx_->exec_prepared(statement, key); });
  }

  std::unique_ptr<Connection>& conn_;
  std::unique_lock<std::mutex> lock_;
  std::unique_ptr<pqxx::work> tx_;
  std::set<std::string> locked_names_, locked_blobs_;
  // Read under this transaction's locks (and kept current by its writes):
  // a name's row (nullopt: none) and a blob's reference count.
  std::map<std::string, std::optional<FileRecord>> records_;
  std::map<std::string, std::int64_t> refs_;
};

class PostgresqlIndex final : public Index, public BlobReferences, public SizeScan {
 public:
  explicit PostgresqlIndex(const std::string& url) : url_(parse_url(url)) {
    // Two servers starting at once must not both create the tables: the
    // DDL runs under one advisory lock.
    Connection conn(url_);
    guarded("create the tables", nullptr, [&] {
      pqxx::work tx(*conn);
      tx.exec("SELECT pg_advisory_xact_lock(3, 0)");
      if (!url_.schema.empty()) {
        tx.exec("CREATE SCHEMA IF NOT EXISTS \"" + url_.schema + "\"");
        tx.exec("SET LOCAL search_path TO \"" + url_.schema + "\"");
      }
      tx.exec(
          "CREATE TABLE IF NOT EXISTS files(name TEXT COLLATE \"C\" PRIMARY KEY, version BIGINT NOT NULL,"
          " sha256 TEXT NOT NULL, size BIGINT NOT NULL)");
      tx.exec(
          "CREATE TABLE IF NOT EXISTS blobs(sha256 TEXT COLLATE \"C\" PRIMARY KEY, refs BIGINT NOT NULL,"
          " unreferenced_since TIMESTAMPTZ)");
      tx.exec("CREATE INDEX IF NOT EXISTS blobs_unreferenced ON blobs(unreferenced_since) WHERE refs = 0");
      tx.exec("CREATE TABLE IF NOT EXISTS inline_blobs(sha256 TEXT COLLATE \"C\" PRIMARY KEY, gzip BYTEA NOT NULL)");
      tx.commit();
    });
  }

  bool shared() const override { return true; }

  bool keeps_inline_blobs() const override { return true; }
  std::optional<std::string> find_inline_blob(std::string_view sha256) override {
    return read("find", [&](pqxx::transaction_base& tx) -> std::optional<std::string> {
      auto r = tx.exec_prepared("find_inline", std::string(sha256));
      if (r.empty()) return std::nullopt;
      return pqxx::binarystring(r[0][0]).str();
    });
  }
  void for_each_inline_blob(const std::function<void(const std::string&, const std::string&)>& visit) override {
    for_each_page("SELECT sha256, gzip FROM inline_blobs WHERE sha256 > $1", [&](const pqxx::row& row) {
      std::string sha = row[0].as<std::string>();
      visit(sha, pqxx::binarystring(row[1]).str());
      return sha;
    });
  }

  std::optional<FileRecord> find(std::string_view name) override {
    return read("find", [&](pqxx::transaction_base& tx) -> std::optional<FileRecord> {
      auto r = tx.exec_prepared("find", std::string(name));
      if (r.empty()) return std::nullopt;
      return record_of(r[0]);
    });
  }

  bool directory_exists(std::string_view dir) override {
    if (dir == "/" || dir.empty()) return true;
    auto [lo, hi] = subtree_range(dir);
    return read("find", [&](pqxx::transaction_base& tx) { return !tx.exec_prepared("below", lo, hi).empty(); });
  }

  void list(std::string_view dir, Version cutoff, bool recursive,
            const std::function<void(const FileRecord&, std::string_view)>& file,
            const std::function<void(std::string_view)>& directory) override {
    auto [lo, hi] = subtree_range(dir);
    // One snapshot for the whole listing; rows are fetched page by page (a
    // directory may hold millions), in name order.
    read(
        "list",
        [&](pqxx::transaction_base& tx) {
          tx.exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY");
          std::string cursor = lo;
          bool inclusive = true;
          if (recursive) {
            for (;;) {
              auto r = tx.exec_params(
                  std::string("SELECT name, version, sha256, size FROM files WHERE name ") + (inclusive ? ">=" : ">") +
                      " $1 AND name < $2 ORDER BY name LIMIT " + std::to_string(kPage),
                  cursor, hi);
              for (const auto& row : r) {
                FileRecord rec = record_of(row);
                if (rec.version <= cutoff) file(rec, std::string_view(rec.name).substr(lo.size()));
                cursor = rec.name;
              }
              inclusive = false;
              if (r.size() < kPage) return 0;
            }
          }
          // One level: skip over each subdirectory's key range.
          for (;;) {
            auto r = tx.exec_params(std::string("SELECT name, version, sha256, size FROM files WHERE name ") +
                                        (inclusive ? ">=" : ">") + " $1 AND name < $2 ORDER BY name LIMIT 1",
                                    cursor, hi);
            if (r.empty()) return 0;
            FileRecord rec = record_of(r[0]);
            std::string_view relative = std::string_view(rec.name).substr(lo.size());
            auto slash = relative.find('/');
            if (slash == std::string_view::npos) {
              if (rec.version <= cutoff) file(rec, relative);
              cursor = rec.name;
              inclusive = false;
            } else {
              std::string sub(relative.substr(0, slash));
              directory(sub);
              cursor = lo + sub;
              cursor += '/' + 1;
              inclusive = true;
            }
          }
        },
        true);
  }

  void for_each_file(const std::function<void(const FileRecord&)>& visit) override {
    for_each_page("SELECT name, version, sha256, size FROM files WHERE name > $1", [&](const pqxx::row& row) {
      FileRecord rec = record_of(row);
      visit(rec);
      return rec.name;
    });
  }

  void for_each_blob_reference(const std::function<void(const std::string&, std::int64_t)>& visit) override {
    for_each_page("SELECT sha256, refs FROM blobs WHERE sha256 > $1 AND refs > 0", [&](const pqxx::row& row) {
      std::string sha = row[0].as<std::string>();
      visit(sha, row[1].as<std::int64_t>());
      return sha;
    });
  }

  void for_each_size_below(std::string_view dir,
                           const std::function<void(std::string_view, std::uint64_t)>& visit) override {
    auto [lo, hi] = subtree_range(dir);
    // One snapshot, fetched page by page in name order (as list() does).
    read(
        "list",
        [&](pqxx::transaction_base& tx) {
          tx.exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY");
          std::string cursor = lo;
          bool inclusive = true;
          for (;;) {
            auto r = tx.exec_params(std::string("SELECT name, size FROM files WHERE name ") +
                                        (inclusive ? ">=" : ">") + " $1 AND name < $2 ORDER BY name LIMIT " +
                                        std::to_string(kPage),
                                    cursor, hi);
            for (const auto& row : r) {
              cursor = row[0].as<std::string>();
              visit(cursor, row[1].as<std::uint64_t>());
            }
            inclusive = false;
            if (r.size() < kPage) return 0;
          }
        },
        true);
  }

  Totals totals() override {
    return read("count", [&](pqxx::transaction_base& tx) {
      auto r = tx.exec("SELECT count(*), coalesce(sum(size), 0) FROM files");
      return Totals{r[0][0].as<std::uint64_t>(), r[0][1].as<std::uint64_t>()};
    });
  }

  std::unique_ptr<IndexTransaction> begin() override {
    std::unique_lock lock(writer_mutex_);
    if (!writer_) writer_ = std::make_unique<Connection>(url_);
    return std::make_unique<PostgresqlTransaction>(writer_, std::move(lock));
  }

  std::vector<std::string> unreferenced_blobs(std::chrono::seconds grace, std::size_t limit) override {
    auto rows = read("reaper", [&](pqxx::transaction_base& tx) {
      return tx.exec_params(
          "SELECT sha256 FROM blobs WHERE refs = 0 AND unreferenced_since < now() - make_interval(secs => $1) "
          "ORDER BY unreferenced_since LIMIT " + std::to_string(limit),
          static_cast<double>(grace.count()));
    });
    std::vector<std::string> out;
    for (const auto& row : rows) out.push_back(row[0].as<std::string>());
    return out;
  }

  bool reap(const std::string& sha256, std::chrono::seconds grace,
            const std::function<void()>& remove_object) override {
    std::unique_lock lock(reaper_mutex_);
    if (!reaper_) reaper_ = std::make_unique<Connection>(url_);
    auto& conn = reaper_;
    bool removed = false;
    try {
      guarded("reaper", &conn->broken, [&] {
        pqxx::work tx(**conn);
        tx.exec_prepared("lock_blob", sha256);
        auto r = tx.exec_params(
            "SELECT refs, unreferenced_since < now() - make_interval(secs => $2) FROM blobs WHERE sha256 = $1",
            sha256, static_cast<double>(grace.count()));
        if (!r.empty() && (r[0][0].as<std::int64_t>() > 0 || r[0][1].is_null() || !r[0][1].as<bool>())) return;
        remove_object();  // under the lock: a PUT of this content waits, then uploads it again
        tx.exec_params("DELETE FROM blobs WHERE sha256 = $1 AND refs = 0", sha256);
        tx.commit();
        removed = true;
      });
    } catch (...) {
      if (conn && conn->broken) conn.reset();
      throw;
    }
    return removed;
  }

 private:
  // A read on a pooled connection; a connection that broke is not returned.
  template <typename Fn>
  auto read(const char* what, Fn&& fn, bool transaction = false)
      -> decltype(fn(std::declval<pqxx::transaction_base&>())) {
    std::unique_ptr<Connection> conn;
    {
      std::lock_guard lock(pool_mutex_);
      if (!pool_.empty()) {
        conn = std::move(pool_.back());
        pool_.pop_back();
      }
    }
    if (!conn) conn = std::make_unique<Connection>(url_);
    auto result = guarded(what, &conn->broken, [&]() -> decltype(fn(std::declval<pqxx::transaction_base&>())) {
      if (transaction) {
        pqxx::work tx(**conn);
        auto value = fn(tx);
        tx.commit();
        return value;
      }
      pqxx::nontransaction tx(**conn);
      return fn(tx);
    });
    std::lock_guard lock(pool_mutex_);
    if (!conn->broken) pool_.push_back(std::move(conn));
    return result;
  }

  // Every row of `query` ("SELECT key, ... WHERE key > $1 [AND ...]"), in
  // pages of kPage in key order (a table may hold millions); `visit`
  // returns the row's key, where the next page starts.
  void for_each_page(const std::string& query, const std::function<std::string(const pqxx::row&)>& visit) {
    std::string cursor;
    for (;;) {
      auto rows = read("list", [&](pqxx::transaction_base& tx) {
        return tx.exec_params(query + " ORDER BY 1 LIMIT " + std::to_string(kPage), cursor);
      });
      for (const auto& row : rows) cursor = visit(row);
      if (rows.size() < kPage) return;
    }
  }

  ParsedUrl url_;
  std::mutex writer_mutex_;
  std::unique_ptr<Connection> writer_;
  std::mutex reaper_mutex_;
  std::unique_ptr<Connection> reaper_;
  std::mutex pool_mutex_;
  std::vector<std::unique_ptr<Connection>> pool_;
};

}  // namespace

std::unique_ptr<Index> make_postgresql_index(const std::string& url) {
  return std::make_unique<PostgresqlIndex>(url);
}

BlobReferences* blob_references_of(Index& index) { return dynamic_cast<PostgresqlIndex*>(&index); }

}  // namespace ft::server
