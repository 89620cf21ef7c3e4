// The storage engine: a BlobStore and an Index kept consistent.
//
// Reads go straight to the index (any thread). Every write (PUT, DELETE)
// goes through a single writer thread that applies queued writes in
// batches (a small write that finds nothing queued and nothing committing
// is a batch of one that its caller's thread applies, under the same
// exclusion): adopt new blobs, fsync their directories, apply the index changes
// in ONE transaction, commit (fsync), and only then report success. Blobs
// that lost their last reference are removed after the commit. A crash at
// any point leaves either the old or the new state visible, plus leftovers
// (temporaries, unreferenced blobs) that the next start removes.
//
// One writer also gives the concurrency rule for free: requests for one
// name are applied in arrival order and the highest version wins; writers
// never contend for the index. A version names one content: a PUT of the
// stored version with the same content changes nothing, with other content
// it is stored as the stored version + 1 (the answer says which version was
// stored), so two uploads in the same second never share a version.
#pragma once

#include <atomic>
#include <condition_variable>
#include <exception>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "filetracker/error.hpp"
#include "filetracker/server/blob_store.hpp"
#include "filetracker/server/file_record.hpp"
#include "filetracker/server/histogram.hpp"
#include "filetracker/server/history_policy.hpp"
#include "filetracker/server/index.hpp"
#include "filetracker/server/read_cache.hpp"

namespace ft::server {

// What became of a write. The storage speaks in outcomes, not HTTP statuses:
// the front end maps them (core/server/src/http/failure.cpp).
enum class CommitOutcome {
  Applied,       // stored or deleted; also a PUT or DELETE older than the stored version (no change)
  NotFound,      // DELETE of a missing file
  NameClash,     // PUT of a name that is a directory, or below a file
  NoNextVersion, // PUT of other content under the largest possible version (no stored+1 exists)
  DiskFull,      // the disk is full: nothing of the request was stored
  Unavailable,   // a shared engine (PostgreSQL, S3) could not be reached: nothing was stored
  Failed,        // any other storage failure: nothing of the request was stored
  ShuttingDown,  // refused: the writer has stopped
};

struct CommitResult {
  CommitOutcome outcome = CommitOutcome::Applied;
  Version version = 0;  // Applied: the version stored after the request
  std::string reason;   // else: a one-line reason (for DiskFull, the details for the log)
  std::size_t removed = 0;  // purge_history: the kept versions removed
};
using CommitCallback = std::function<void(CommitResult)>;

class Storage {
 public:
  // Opens (creating when needed) the store in `dir`: dir/index.sqlite3 and
  // dir/blobs/. Takes an exclusive lock on dir/lock (one server per
  // directory), then removes leftovers of interrupted writes.
  // Throws Error(Io).
  // `history`: which superseded versions are kept (history_policy.hpp).
  //
  // Blobs whose stored (gzip) form is at most `inline_max_size` bytes are
  // kept inside the index (when it keeps_inline_blobs()), written in the
  // same transaction as the file's row: a small PUT is one index commit
  // (one fsync) instead of an upload fsync, a directory fsync and the
  // commit. 0: every new blob is a file. Blobs stay where they were stored
  // when the bound changes; reads, deletes, dedup and checks cover both.
  static constexpr std::uint64_t kDefaultInlineMaxSize = 64 * 1024;
  explicit Storage(const std::filesystem::path& dir, HistoryPolicy history = {},
                   std::uint64_t inline_max_size = kDefaultInlineMaxSize);
  // The engine over any blob store and index (other backends, tests); the
  // caller makes sure nothing else writes to them. Removes leftovers of
  // interrupted writes like the constructor above. Inline blobs only when
  // asked for (the caller's index may keep none).
  Storage(std::unique_ptr<BlobStore> blobs, std::unique_ptr<Index> index, HistoryPolicy history = {},
          std::uint64_t inline_max_size = 0);
  // Applies every queued write, then stops the writer.
  ~Storage();
  // The same as the destructor's first step: applies every queued write
  // (calling its callback) and stops the writer; later writes are refused.
  void stop_writer();
  Storage(const Storage&) = delete;
  Storage& operator=(const Storage&) = delete;

  // The stored record of `name` (cached).
  std::optional<FileRecord> find(std::string_view name);

  // A file ready to be sent: small blobs come from memory, others as an
  // open file descriptor (owned by the caller).
  struct OpenFile {
    FileRecord record;
    std::shared_ptr<const std::string> small_blob;  // set: the whole stored blob
    OpenBlob blob;                                  // else: fd >= 0
  };
  // Consistent even when a concurrent write replaces or deletes the file.
  // nullopt: no such file.
  std::optional<OpenFile> open(std::string_view name);
  Index& index() { return *index_; }
  // The blob store, for reads only (the live check): writes go through put() and remove().
  BlobStore& blob_store() { return *blobs_; }

  // An upload for put(): in memory while it fits the inline bound, else a
  // blob store upload. A body known to be longer than the bound
  // (`body_size`, its Content-Length) is a blob store upload from the first
  // byte, as without inline blobs: a large upload costs, and is found while
  // it runs (DIR/blobs/tmp), as before.
  std::unique_ptr<BlobUpload> begin_upload(std::optional<std::uint64_t> body_size = std::nullopt);
  // Stores `upload` (finished) as `record` (its sha256 and size computed by
  // the caller from the content). `done` runs on the writer thread, or,
  // for a small write that finds the writer idle, on the caller's thread
  // before put() returns (see enqueue): a caller must not hold a lock
  // that `done` takes.
  void put(FileRecord record, std::unique_ptr<BlobUpload> upload, CommitCallback done);
  // Deletes `name` unless the stored version is newer than `version`.
  void remove(std::string name, Version version, CommitCallback done);

  // ---- Version history (storage_history.cpp) ----
  const HistoryPolicy& history_policy() const { return history_; }
  struct VersionEntry {
    FileRecord record;
    bool current = false;            // the stored file itself
    std::int64_t superseded_at = 0;  // else: when a newer version replaced it
  };
  // The current version (if any) and the kept ones, newest first.
  std::vector<VersionEntry> versions(std::string_view name);
  // Like open(), for `version` of `name`: the current one or a kept one.
  std::optional<OpenFile> open_version(std::string_view name, Version version);
  // Makes the kept `version` current again under a new version,
  // max(now, newest version of the name + 1), so caches see a newer file;
  // the version it replaces is kept like any superseded one. NotFound when
  // `version` is not kept; the current version itself: no change.
  void restore(std::string name, Version version, CommitCallback done);
  // Removes every kept version of `name` ("/": of every name); the current
  // files stay. CommitResult::removed says how many went.
  void purge_history(std::string name, CommitCallback done);

  struct Recovery {
    std::size_t temporaries = 0;   // interrupted uploads removed
    // Start-up is O(interrupted uploads): the blobs are not scanned. Blobs
    // no file refers to (a crash between storing and committing) are
    // removed by a sweep in the background (sweep_step) and by
    // check_storage's repair; --check reports missing ones.
  };
  const Recovery& recovery() const { return recovery_; }
  // True once the background orphan sweep has been over all 256 prefixes
  // (and made its removals durable): the power-loss tests wait for it.
  bool orphan_sweep_finished() const { return sweep_finished_.load(std::memory_order_acquire); }

  // For GET /metrics: the writer's batches and what is stored (kept
  // current by the writer after each commit).
  struct WriteStats {
    Histogram batch_size{1, 2, 4, 8, 16, 32, 64, 128, 256, 512};
    Histogram commit_seconds{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};
    std::atomic<std::int64_t> files{0};
    std::atomic<std::int64_t> bytes{0};  // logical
    std::atomic<bool> totals_known{false};  // files and bytes are counted (shortly after start-up)
  };
  const WriteStats& write_stats() const { return write_stats_; }
  // For GET /health: nullopt when the index answers a query and the blob
  // store can create (and remove) an upload, else why not (one line).
  // Defined in storage_health.cpp.
  std::optional<std::string> health_problem();

 private:
  struct Op {
    bool is_put = true;
    FileRecord record;  // for remove: name + version
    std::unique_ptr<BlobUpload> upload;
    CommitCallback done;
    enum class History { None, Restore, Purge } history = History::None;  // set: a history op on record.name
  };
  // Queues op for the writer thread, or commits it on the calling thread
  // when nothing else is queued or committing and may_commit_on_caller(op).
  void enqueue(Op op);
  bool may_commit_on_caller(Op& op) const;
  void writer_loop();
  void apply(std::vector<Op>& batch);
  void start();  // REQUIRES: blobs_ and index_ are set
  void recover();
  // One step of the background orphan sweep: the blobs under one two-hex
  // prefix that no file refers to are removed. Runs on the writer thread,
  // between batches, when no write is waiting: there every stored blob is
  // either committed or gone, so "unreferenced" means "orphan".
  void sweep_step();
  // History (storage_history.cpp), on the writer thread inside a batch's
  // transaction: `superseded` leaves the files table (a PUT of other
  // content, a restore): kept with its blob reference when history is on,
  // and the name's versions beyond --keep-versions go; else its reference
  // is dropped. Blobs left without references go into `doomed`.
  void retire(IndexTransaction& tx, const FileRecord& superseded, std::set<std::string>& doomed);
  void apply_history_op(IndexTransaction& tx, Op& op, CommitResult& result, std::set<std::string>& doomed,
                        std::vector<std::pair<std::string, std::optional<FileRecord>>>& changes,
                        std::int64_t& stored_files, std::int64_t& stored_bytes);
  // A stored record's blob ready to send; nullopt when the blob is gone.
  std::optional<OpenFile> open_record(FileRecord record);
  // Between batches: removes a chunk of kept versions the bounds no longer
  // allow (--keep-for ages them out; a lowered --keep-versions is applied
  // to the whole history once after start-up). Index rows first, committed,
  // then the blobs: a crash at any point loses nothing still kept.
  void prune_step();

  // Runs fn(0..n-1) on a few threads and waits for all (parallel fsyncs).
  class ParallelRunner {
   public:
    explicit ParallelRunner(unsigned threads);
    ~ParallelRunner();
    // Rethrows the first exception of any fn(i) after all have finished.
    void run(std::size_t n, const std::function<void(std::size_t)>& fn);

   private:
    void loop();
    std::mutex mutex_;
    std::condition_variable work_cv_, done_cv_;
    const std::function<void(std::size_t)>* fn_ = nullptr;
    std::size_t next_ = 0, total_ = 0, finished_ = 0;
    std::exception_ptr error_;
    bool quit_ = false;
    std::vector<std::thread> threads_;
  };

  RecordCache record_cache_{64 << 20};  // bytes
  BlobCache blob_cache_{32 * 1024, 16 << 20};
  int lock_fd_ = -1;  // dir/lock, with the first constructor
  std::uint64_t inline_max_size_ = 0;  // 0: no new inline blobs
  std::unique_ptr<BlobStore> blobs_;
  std::unique_ptr<Index> index_;
  Recovery recovery_;
  WriteStats write_stats_;
  unsigned sweep_next_ = 0;     // the next prefix (0..255) to sweep; writer thread only
  std::size_t swept_ = 0;       // orphans the sweep removed
  std::atomic<bool> sweep_finished_{false};
  HistoryPolicy history_;
  // Writer thread only: when prune_step is due next (max: never), and
  // the start-up pass by count: still to do, and the last name it did.
  std::chrono::steady_clock::time_point next_prune_{std::chrono::steady_clock::time_point::max()};
  bool prune_by_count_ = false;
  std::string prune_cursor_;

  std::mutex queue_mutex_;
  std::condition_variable queue_cv_;
  std::vector<Op> queue_;
  bool stopping_ = false;
  // GUARDED_BY(queue_mutex_): something applies to the index (a writer
  // batch, a sweep or prune step, or one write on its caller's thread);
  // whoever sets it has the index and blob store to itself until it clears.
  bool committing_ = false;
  bool writer_waits_ = false;  // GUARDED_BY(queue_mutex_): the writer waits for committing_ to clear
  ParallelRunner sync_pool_{16};
  std::thread writer_;
};

// Verifies that index and blobs agree: every file's and kept version's blob exists, reference
// counts match, no blob is unreferenced, no interrupted upload is left and
// (with verify_content) every blob decodes to its SHA-256 and logical size.
// Read-only. Returns one line per problem (empty: consistent).
struct CheckReport {
  std::size_t files = 0;
  std::size_t kept_versions = 0;  // version history rows (checked like files)
  std::size_t blobs = 0;
  std::vector<std::string> problems;
  std::vector<std::string> repaired;  // with repair: what was removed (not in problems)
  // A shared store (check_shared_storage): blobs no file refers to, left
  // for the BlobReaper to delete after the grace period (not problems).
  std::size_t awaiting_reaper = 0;
};
// Thrown by check_storage() when a server holds the directory's lock: its
// uploads in progress and its concurrent writes would look like damage.
class DirectoryInUse : public Error {
 public:
  explicit DirectoryInUse(const std::string& message) : Error(ErrorCode::Io, message) {}
};
// Holds a shared lock on dir/lock while it runs, so no server starts in the
// middle of a check. Throws DirectoryInUse when a server is running there.
//
// `repair` (--check --repair): also removes what is safe to remove, blobs no
// file refers to and interrupted uploads (listed in `repaired`), under an
// exclusive lock. The server's start-up does not scan the blobs (it would
// take minutes at tens of millions of files): this is where a crash's
// leftover blobs go.
CheckReport check_storage(const std::filesystem::path& dir, bool verify_content, bool repair = false);
// The same for the shared engines (--index postgresql://... --blobs
// s3://...), through a server's data directory `dir` (its lock: exit 2
// while that server runs; its spool: interrupted uploads; empty: none). The index is
// read page by page, so other servers writing meanwhile can show as a
// passing difference: a problem worth acting on is one a second run shows
// again. No repair: the reaper removes unreferenced blobs of a shared store.
CheckReport check_shared_storage(const std::filesystem::path& dir, const std::string& index_url,
                                 const std::string& blobs_spec, bool verify_content);

}  // namespace ft::server
