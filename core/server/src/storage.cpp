#include "filetracker/server/storage.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <limits>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "filetracker/atomic_file.hpp"
#include "filetracker/checksum.hpp"
#include "filetracker/error.hpp"
#include "filetracker/gzip.hpp"
#include "filetracker/server/backend_unavailable.hpp"
#include "filetracker/server/disk_full.hpp"
#include "filetracker/server/log.hpp"
#include "filetracker/server/scaleout.hpp"
#include "blob_verification.hpp"
#include "inline_or_file_upload.hpp"
#include "scratch_dir.hpp"

namespace fs = std::filesystem;

namespace ft::server {
namespace {

constexpr std::size_t kMaxBatch = 512;

fs::path index_file(const fs::path& dir) { return dir / "index.sqlite3"; }
fs::path blobs_dir(const fs::path& dir) { return dir / "blobs"; }

// The blob store's part of an upload: the upload itself, or the file an
// InlineOrFileUpload moved to; nullptr when the blob stayed in memory.
BlobUpload* file_part(BlobUpload& upload) {
  if (auto* staged = dynamic_cast<InlineOrFileUpload*>(&upload)) return staged->file();
  return &upload;
}

// The whole blob when `upload` kept it in memory for the index, else nullptr.
const std::string* inline_part(BlobUpload& upload) {
  auto* staged = dynamic_cast<InlineOrFileUpload*>(&upload);
  return staged ? staged->inline_bytes() : nullptr;
}

// "/a/b/c" -> {"/a", "/a/b"}
std::vector<std::string_view> ancestors(std::string_view name) {
  std::vector<std::string_view> out;
  for (std::size_t i = 1; i < name.size(); ++i)
    if (name[i] == '/') out.push_back(name.substr(0, i));
  return out;
}

}  // namespace

Storage::Storage(const fs::path& dir, HistoryPolicy history, std::uint64_t inline_max_size)
    : inline_max_size_(inline_max_size), history_(history) {
  make_directories_durable(dir);  // its entry must outlive a power loss like the index in it
  fs::path lock = dir / "lock";
  lock_fd_ = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock_fd_ < 0) throw_errno(lock.string() + ": cannot open the lock file");
  if (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    ::close(lock_fd_);
    throw Error(ErrorCode::Io, dir.string() + ": another filetracker-server (or a --check) is using this directory");
  }
  blobs_ = make_local_blob_store(blobs_dir(dir));
  index_ = make_sqlite_index(index_file(dir));
  start();
}

Storage::Storage(std::unique_ptr<BlobStore> blobs, std::unique_ptr<Index> index, HistoryPolicy history,
                 std::uint64_t inline_max_size)
    : inline_max_size_(inline_max_size), blobs_(std::move(blobs)), index_(std::move(index)), history_(history) {
  start();
}

void Storage::start() {
  if (!index_->keeps_inline_blobs()) inline_max_size_ = 0;
  recover();
  if (history_.enabled()) {  // a pass over the kept versions: the bounds may be lower than last time
    next_prune_ = std::chrono::steady_clock::now();
    prune_by_count_ = history_.keep_versions > 0;
  }
  writer_ = std::thread([this] { writer_loop(); });
}

void Storage::stop_writer() {
  {
    std::lock_guard lock(queue_mutex_);
    stopping_ = true;
  }
  queue_cv_.notify_all();
  if (writer_.joinable()) writer_.join();
}

Storage::~Storage() {
  stop_writer();
  index_.reset();
  blobs_.reset();
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

std::unique_ptr<BlobUpload> Storage::begin_upload(std::optional<std::uint64_t> body_size) {
  if (inline_max_size_ == 0 || (body_size && *body_size > inline_max_size_)) return blobs_->begin_upload();
  return std::make_unique<InlineOrFileUpload>(*blobs_, inline_max_size_);
}

void Storage::recover() {
  // Only the temporaries: scanning every blob for orphans made start-up
  // grow with the store. Orphans (a crash between storing a blob and
  // committing it) cost only disk space; `--check --repair` removes them.
  recovery_.temporaries = blobs_->remove_temporaries();
}

void Storage::sweep_step() {
  static constexpr char kHex[] = "0123456789abcdef";
  const char prefix[2] = {kHex[sweep_next_ >> 4], kHex[sweep_next_ & 15]};
  ++sweep_next_;
  try {
    std::vector<std::string> orphans;
    auto tx = index_->begin();  // rolled back when it goes, unless inline orphans went
    blobs_->for_each_blob_with_prefix(std::string_view(prefix, 2), [&](const std::string& sha) {
      if (tx->references(sha) == 0) orphans.push_back(sha);
    });
    // Inline blobs lose their last reference in the transaction that drops
    // it, so none is left by a crash; this covers any other way (an older
    // server's or a hand's changes to the index).
    if (index_->keeps_inline_blobs())
      if (std::size_t n = tx->erase_unreferenced_inline_blobs(std::string_view(prefix, 2))) {
        tx->commit();
        swept_ += n;
      }
    tx.reset();
    for (const auto& sha : orphans) blobs_->remove(sha);
    if (!orphans.empty()) blobs_->sync();
    swept_ += orphans.size();
  } catch (const std::exception& e) {
    log_message(LogLevel::Warning, std::string("orphan-blob sweep: ") + e.what());
  }
  if (sweep_next_ == 256 && swept_)
    log_message(LogLevel::Warning, "background clean-up: removed " + std::to_string(swept_) +
                                       " blob(s) no file refers to (left by an interrupted write)");
  if (sweep_next_ == 256) sweep_finished_.store(true, std::memory_order_release);
}

std::optional<FileRecord> Storage::find(std::string_view name) {
  // A shared index is written by other servers too: nothing to cache.
  if (index_->shared()) return index_->find(name);
  std::uint64_t generation = 0;
  if (auto cached = record_cache_.find(name, &generation)) return cached;
  auto record = index_->find(name);
  if (record) record_cache_.insert(*record, generation);
  return record;
}

std::optional<Storage::OpenFile> Storage::open(std::string_view name) {
  // A concurrent write may remove the blob between the lookup and the
  // open; the index then already says something newer: look again.
  for (int attempt = 0; attempt < 5; ++attempt) {
    auto record = find(name);
    if (!record) return std::nullopt;
    if (auto file = open_record(*record)) return file;
    auto again = index_->find(name);
    if (again && *again == *record)
      throw Error(ErrorCode::Io, std::string(name) + ": the stored blob " + record->sha256 + " is missing");
  }
  throw Error(ErrorCode::Io, std::string(name) + ": the file keeps changing; try again");
}

std::optional<Storage::OpenFile> Storage::open_record(FileRecord record) {
  if (auto bytes = blob_cache_.find(record.sha256)) return OpenFile{std::move(record), std::move(bytes), {}};
  if (auto inline_blob = index_->find_inline_blob(record.sha256)) {
    auto bytes = std::make_shared<const std::string>(std::move(*inline_blob));
    if (bytes->size() <= blob_cache_.max_blob_size()) blob_cache_.insert(record.sha256, bytes);
    return OpenFile{std::move(record), std::move(bytes), {}};
  }
  auto blob = blobs_->open(record.sha256);
  if (!blob) return std::nullopt;
  if (blob->stored_size > blob_cache_.max_blob_size()) return OpenFile{std::move(record), nullptr, *blob};
  auto bytes = std::make_shared<std::string>(blob->stored_size, '\0');
  std::size_t done = 0;
  while (done < bytes->size()) {
    ssize_t n = ::pread(blob->fd, bytes->data() + done, bytes->size() - done, static_cast<off_t>(done));
    if (n <= 0) {
      int err = n < 0 ? errno : EIO;
      ::close(blob->fd);
      throw_errno(record.name + ": cannot read the blob " + record.sha256, err);
    }
    done += static_cast<std::size_t>(n);
  }
  ::close(blob->fd);
  blob_cache_.insert(record.sha256, bytes);
  return OpenFile{std::move(record), std::move(bytes), {}};
}

void Storage::put(FileRecord record, std::unique_ptr<BlobUpload> upload, CommitCallback done) {
  enqueue(Op{true, std::move(record), std::move(upload), std::move(done)});
}

void Storage::remove(std::string name, Version version, CommitCallback done) {
  enqueue(Op{false, FileRecord{std::move(name), version, {}, 0}, nullptr, std::move(done)});
}

bool Storage::may_commit_on_caller(Op& op) const {
  // Only what commits in well under a millisecond and never waits on the
  // network: a PUT whose blob goes into the local index with its row, or a
  // DELETE. A blob file's fsync (up to hundreds of MiB), a remote blob store
  // or a shared index would hold the caller's I/O thread, and with it every
  // connection that thread serves.
  if (index_->shared() || blobs_->concurrent_adopt() || op.history != Op::History::None) return false;
  return !op.is_put || (op.upload && inline_part(*op.upload));
}

void Storage::enqueue(Op op) {
  std::unique_lock lock(queue_mutex_);
  if (stopping_) {
    lock.unlock();
    op.upload.reset();
    op.done(CommitResult{CommitOutcome::ShuttingDown, 0, "the server is shutting down"});
    return;
  }
  if (!committing_ && queue_.empty() && may_commit_on_caller(op)) {
    // Nothing else to commit and nobody committing: this write is a batch
    // of one, and handing it to the writer thread and its answer back would
    // cost two thread wake-ups, a sizeable part of one small upload's time
    // when a client uploads sequentially. The caller commits it itself,
    // under the same exclusion as the writer's batches (committing_). Writes
    // that arrive meanwhile queue up for the writer, which batches them as
    // before: group commit under load is unchanged.
    committing_ = true;
    lock.unlock();
    std::vector<Op> one;
    one.push_back(std::move(op));
    apply(one);
    lock.lock();
    committing_ = false;
    // Under the lock: the writer (and stop_writer's join behind it) cannot
    // go on before this notify is done with the condition variable.
    if (!queue_.empty() || stopping_ || writer_waits_) queue_cv_.notify_all();
    return;
  }
  queue_.push_back(std::move(op));
  lock.unlock();
  queue_cv_.notify_one();
}

void Storage::writer_loop() {
  // What is stored, for /metrics: counted here, before the first batch, so
  // start-up does not wait for it and no commit is counted twice.
  try {
    const Index::Totals totals = index_->totals();
    write_stats_.files = static_cast<std::int64_t>(totals.files);
    write_stats_.bytes = static_cast<std::int64_t>(totals.bytes);
    write_stats_.totals_known = true;
  } catch (const std::exception& e) {
    log_message(LogLevel::Warning, std::string("storage: cannot count the stored files: ") + e.what());
  }
  std::vector<Op> batch;
  std::unique_lock lock(queue_mutex_);
  for (;;) {
    // A write that its caller commits (enqueue) holds committing_: the
    // writer waits for it to finish before a batch, a sweep or a prune step.
    auto has_work = [&] { return stopping_ || !queue_.empty() || sweep_next_ < 256; };
    // Only with nothing to do: a caller ending its commit wakes the writer
    // only when it finds something queued or the writer waiting below, so
    // a pending sweep step must not wait here behind a caller's commit
    // (one may run before the first lock: index totals above).
    if (!committing_ || !has_work()) {
      auto ready = [&] { return !committing_ && has_work(); };
      if (next_prune_ == std::chrono::steady_clock::time_point::max())
        queue_cv_.wait(lock, ready);
      else
        queue_cv_.wait_until(lock, next_prune_, ready);
    }
    if (committing_) {  // work to do (or the prune time came) during a caller's commit
      writer_waits_ = true;
      queue_cv_.wait(lock, [&] { return !committing_; });
      writer_waits_ = false;
      continue;
    }
    if (queue_.empty()) {
      if (stopping_) return;  // nothing left
      // Idle: a step of the orphan sweep or of the history's pruning, then look for writes again.
      const bool sweep = sweep_next_ < 256;
      if (!sweep && std::chrono::steady_clock::now() < next_prune_) continue;
      committing_ = true;
      lock.unlock();
      if (sweep)
        sweep_step();
      else
        prune_step();
      lock.lock();
      committing_ = false;
      continue;
    }
    if (queue_.size() <= kMaxBatch) {
      batch.swap(queue_);
    } else {
      auto end = queue_.begin() + kMaxBatch;
      batch.assign(std::make_move_iterator(queue_.begin()), std::make_move_iterator(end));
      queue_.erase(queue_.begin(), end);
    }
    committing_ = true;
    lock.unlock();
    apply(batch);
    batch.clear();
    lock.lock();
    committing_ = false;
  }
}

void Storage::apply(std::vector<Op>& batch) {
  std::vector<CommitResult> results(batch.size());
  std::vector<std::string> adopted;     // blobs renamed into place by this batch
  std::set<std::string> doomed;         // blobs whose last reference went
  std::vector<std::pair<std::string, std::optional<FileRecord>>> changes;  // for the read cache
  std::int64_t stored_files = 0, stored_bytes = 0;  // what this batch changes (metrics)
  try {
    // The blobs' content is on disk before anything refers to them. The
    // fsyncs run in parallel so the file system commits them together.
    std::vector<BlobUpload*> uploads;  // those with a file (an inline blob is durable with the commit)
    for (auto& op : batch)
      if (op.upload)
        if (BlobUpload* file = file_part(*op.upload)) uploads.push_back(file);
    const auto t0 = std::chrono::steady_clock::now();
    sync_pool_.run(uploads.size(), [&](std::size_t i) { uploads[i]->make_durable(); });
    const auto t1 = std::chrono::steady_clock::now();
    auto tx = index_->begin();
    {
      std::vector<std::string> names, blobs;
      for (const auto& op : batch) {
        names.push_back(op.record.name);
        for (auto parent : ancestors(op.record.name)) names.emplace_back(parent);
        if (op.is_put) blobs.push_back(op.record.sha256);
      }
      if (auto* shared = dynamic_cast<BatchLocking*>(tx.get())) shared->lock_batch(names, blobs);
    }
    // A remote store's new blobs, uploaded together once the loop below
    // has decided which are needed: the batch's locks (a shared index takes
    // each blob's lock in lock_batch) are held until the commit, so no
    // reaper can delete one between its upload and the commit.
    std::vector<std::pair<BlobUpload*, std::string>> concurrent_adopts;
    for (std::size_t i = 0; i < batch.size(); ++i) {
      Op& op = batch[i];
      CommitResult& result = results[i];
      FileRecord& rec = op.record;
      if (op.history != Op::History::None) {
        apply_history_op(*tx, op, result, doomed, changes, stored_files, stored_bytes);
        continue;
      }
      auto existing = tx->find(rec.name);
      if (!op.is_put) {
        if (!existing) {
          result = {CommitOutcome::NotFound, 0, rec.name + ": file not found"};
        } else if (existing->version > rec.version) {
          result = {CommitOutcome::Applied, existing->version, {}};  // a newer version stays
        } else {
          tx->erase(rec.name);
          changes.emplace_back(rec.name, std::nullopt);
          --stored_files;
          stored_bytes -= static_cast<std::int64_t>(existing->size);
          if (tx->drop_reference(existing->sha256) == 0) doomed.insert(existing->sha256);
          result = {CommitOutcome::Applied, rec.version, {}};
        }
        continue;
      }
      if (existing && existing->version > rec.version) {
        result = {CommitOutcome::Applied, existing->version, {}};  // older than the stored one: no change
        continue;
      }
      if (existing && existing->version == rec.version) {
        // One content per version: the same content again changes nothing;
        // other content under the stored version is stored as the next one,
        // so no two caches can hold different bytes for one versioned name.
        if (existing->sha256 == rec.sha256) {
          result = {CommitOutcome::Applied, existing->version, {}};
          continue;
        }
        if (rec.version == std::numeric_limits<Version>::max()) {
          result = {CommitOutcome::NoNextVersion, 0, rec.name + ": the stored version is the largest possible one"};
          continue;
        }
        rec.version = existing->version + 1;
      }
      if (!existing) {
        if (tx->has_files_below(rec.name)) {
          result = {CommitOutcome::NameClash, 0, rec.name + ": a directory of that name exists"};
          continue;
        }
        bool clash = false;
        for (auto parent : ancestors(rec.name)) {
          if (tx->find(parent)) {
            result = {CommitOutcome::NameClash, 0, rec.name + ": " + std::string(parent) + " is a file, not a directory"};
            clash = true;
            break;
          }
        }
        if (clash) continue;
      }
      if (!existing || existing->sha256 != rec.sha256) {
        if (tx->references(rec.sha256) == 0) {
          if (const std::string* bytes = inline_part(*op.upload)) {
            tx->put_inline_blob(rec.sha256, *bytes);  // in this transaction: durable with its row
          } else if (blobs_->concurrent_adopt()) {
            concurrent_adopts.emplace_back(file_part(*op.upload), rec.sha256);  // below, all at once
            adopted.push_back(rec.sha256);
          } else {
            blobs_->adopt(*file_part(*op.upload), rec.sha256);
            adopted.push_back(rec.sha256);
          }
          doomed.erase(rec.sha256);
        }
        tx->add_reference(rec.sha256);
        if (existing) retire(*tx, *existing, doomed);  // kept as history, or its reference dropped
      }
      tx->put(rec);
      changes.emplace_back(rec.name, rec);
      if (!existing) ++stored_files;
      stored_bytes += static_cast<std::int64_t>(rec.size) - static_cast<std::int64_t>(existing ? existing->size : 0);
      result = {CommitOutcome::Applied, rec.version, {}};
    }
    const auto adopt_start = std::chrono::steady_clock::now();
    sync_pool_.run(concurrent_adopts.size(), [&](std::size_t i) {
      blobs_->adopt(*concurrent_adopts[i].first, concurrent_adopts[i].second);
    });
    const auto adopt_end = std::chrono::steady_clock::now();
    // Inline blobs that lost their last reference go with it, in this
    // transaction (blob files go after the commit).
    if (index_->keeps_inline_blobs())
      for (const auto& sha : doomed) tx->erase_inline_blob(sha);
    const auto t2 = std::chrono::steady_clock::now();
    // The renames are durable before the index refers to them.
    blobs_->sync([this](std::size_t n, const std::function<void(std::size_t)>& fn) { sync_pool_.run(n, fn); });
    const auto t3 = std::chrono::steady_clock::now();
    tx->commit();
    write_stats_.files += stored_files;
    write_stats_.bytes += stored_bytes;
    write_stats_.batch_size.observe(static_cast<double>(batch.size()));
    write_stats_.commit_seconds.observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    if (log_enabled(LogLevel::Debug)) {
      auto ms = [](auto a, auto b) { return std::to_string(std::chrono::duration<double, std::milli>(b - a).count()); };
      log_message(LogLevel::Debug, "storage: batch of " + std::to_string(batch.size()) + " write(s): blob fsync " +
                                       ms(t0, t1) + " ms, index " + ms(t1, t2) + " ms (of which " +
                                       std::to_string(concurrent_adopts.size()) + " concurrent blob upload(s) " +
                                       ms(adopt_start, adopt_end) + " ms), directory fsync " + ms(t2, t3) +
                                       " ms, commit " + ms(t3, std::chrono::steady_clock::now()) + " ms");
    }
  } catch (const std::exception& e) {
    // A full disk is the operator's to fix and the client's to retry
    // later; anything else is a storage failure.
    const bool full = is_disk_full(std::current_exception());
    const bool unavailable = is_backend_unavailable(std::current_exception());
    log_message(LogLevel::Error, std::string("storage: a batch of writes failed: ") + e.what());
    // Rolled back: blobs adopted by this batch that nothing refers to now go.
    try {
      auto tx = index_->begin();
      for (const auto& sha : adopted)
        if (tx->references(sha) == 0) blobs_->remove(sha);
    } catch (...) {
    }
    for (std::size_t i = 0; i < batch.size(); ++i)
      results[i] = full          ? CommitResult{CommitOutcome::DiskFull, 0, e.what()}
                   : unavailable ? CommitResult{CommitOutcome::Unavailable, 0, e.what()}
                                 : CommitResult{CommitOutcome::Failed, 0, std::string("storage failure: ") + e.what()};
    doomed.clear();
    for (auto& change : changes) change.second.reset();  // forget them: the index is the truth
  }
  record_cache_.apply_committed(changes);
  for (const auto& sha : doomed) blobs_->remove(sha);
  for (std::size_t i = 0; i < batch.size(); ++i) {
    batch[i].upload.reset();  // discards uploads that were not adopted
    try {
      batch[i].done(std::move(results[i]));
    } catch (const std::exception& e) {
      log_message(LogLevel::Error, std::string("storage: completion failed: ") + e.what());
    }
  }
  // The unlinks of blobs that lost their last reference (and of blobs a
  // failed batch adopted) are made durable here, once per batch, after the
  // answers went out. Correctness does not depend on it (a blob whose unlink
  // is lost in a crash is unreferenced, and start-up removes it), but
  // without it the directories stay dirty until the next batch, whose
  // answers would then wait for this batch's fsyncs, and `--check` after a
  // crash would report blobs the server had already deleted.
  try {
    blobs_->sync([this](std::size_t n, const std::function<void(std::size_t)>& fn) { sync_pool_.run(n, fn); });
  } catch (const std::exception& e) {
    log_message(LogLevel::Warning, std::string("storage: cannot fsync after removing blobs: ") + e.what());
  }
}

Storage::ParallelRunner::ParallelRunner(unsigned threads) {
  for (unsigned i = 0; i < threads; ++i) threads_.emplace_back([this] { loop(); });
}

Storage::ParallelRunner::~ParallelRunner() {
  {
    std::lock_guard lock(mutex_);
    quit_ = true;
  }
  work_cv_.notify_all();
  for (auto& t : threads_) t.join();
}

void Storage::ParallelRunner::run(std::size_t n, const std::function<void(std::size_t)>& fn) {
  if (n == 0) return;
  if (n == 1) return fn(0);
  std::unique_lock lock(mutex_);
  fn_ = &fn;
  next_ = 0;
  total_ = n;
  finished_ = 0;
  error_ = nullptr;
  // Wake only as many threads as there are items.
  for (std::size_t i = 0; i < std::min<std::size_t>(n, threads_.size()); ++i) work_cv_.notify_one();
  done_cv_.wait(lock, [&] { return finished_ == total_; });
  fn_ = nullptr;
  total_ = 0;
  if (error_) std::rethrow_exception(error_);
}

void Storage::ParallelRunner::loop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    work_cv_.wait(lock, [&] { return quit_ || next_ < total_; });
    if (quit_) return;
    std::size_t i = next_++;
    auto* fn = fn_;
    lock.unlock();
    std::exception_ptr error;
    try {
      (*fn)(i);
    } catch (...) {
      error = std::current_exception();
    }
    lock.lock();
    if (error && !error_) error_ = error;
    if (++finished_ == total_) done_cv_.notify_all();
  }
}

namespace {

// A shared lock on dir/lock for the duration of a check. A server holds an
// exclusive one, so taking it fails exactly while a server is running (and
// a server cannot start until the check ends). A directory without a lock
// file never had a server; nothing is created (--check is read-only).
class CheckLock {
 public:
  CheckLock(const fs::path& dir, bool exclusive) {
    fs::path lock = dir / "lock";
    fd_ = ::open(lock.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) return;
    if (::flock(fd_, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) != 0) {
      int err = errno;
      ::close(fd_);
      fd_ = -1;
      if (err == EWOULDBLOCK)
        throw DirectoryInUse(dir.string() +
                             ": a filetracker-server is running on this directory; stop it before --check (its "
                             "uploads in progress would look like leftovers)");
      throw_errno(lock.string() + ": cannot lock", err);
    }
  }
  ~CheckLock() {
    if (fd_ >= 0) ::close(fd_);
  }
  CheckLock(const CheckLock&) = delete;
  CheckLock& operator=(const CheckLock&) = delete;

 private:
  int fd_ = -1;
};

// The check over any index and blob store. `shared`: the PostgreSQL index
// and S3 blobs, where a blob no file refers to is the BlobReaper's to
// delete after the grace period (an upload in flight, a file just deleted
// on any server): counted, not a problem. `spool` names where interrupted
// uploads are left; `writable_index` opens the index for --repair.
CheckReport check_engines(Index& index_ref, BlobStore& blobs_ref, bool verify_content, bool repair, bool shared,
                          const fs::path& spool, const std::function<std::unique_ptr<Index>()>& writable_index) {
  CheckReport report;
  Index* index = &index_ref;
  BlobStore* blobs = &blobs_ref;
  auto& problems = report.problems;

  std::unordered_map<std::string, std::int64_t> counted;    // sha -> files referring to it
  std::unordered_map<std::string, std::uint64_t> sizes;     // sha -> logical size claimed by files
  index->for_each_file([&](const FileRecord& r) {
    ++report.files;
    ++counted[r.sha256];
    auto [it, fresh] = sizes.emplace(r.sha256, r.size);
    if (!fresh && it->second != r.size)
      problems.push_back(r.name + ": logical size " + std::to_string(r.size) + " differs from another file with blob " +
                         r.sha256);
  });
  // Kept versions (version history) hold references like files do.
  std::unordered_map<std::string, std::vector<std::string>> kept_by_blob;  // sha -> "name@version"
  index->for_each_history([&](const HistoryRecord& h) {
    const FileRecord& r = h.record;
    const std::string versioned = r.name + "@" + std::to_string(r.version);
    ++report.kept_versions;
    ++counted[r.sha256];
    kept_by_blob[r.sha256].push_back(versioned);
    auto [it, fresh] = sizes.emplace(r.sha256, r.size);
    if (!fresh && it->second != r.size)
      problems.push_back("kept version " + versioned + ": logical size " + std::to_string(r.size) +
                         " differs from another file with blob " + r.sha256);
  });
  std::unordered_map<std::string, std::int64_t> refs;
  index->for_each_blob_reference([&](const std::string& sha, std::int64_t n) { refs[sha] = n; });
  for (const auto& [sha, n] : counted) {
    auto it = refs.find(sha);
    std::int64_t recorded = it == refs.end() ? 0 : it->second;
    if (recorded != n)
      problems.push_back("blob " + sha + ": " + std::to_string(n) +
                         " file(s) and kept version(s) refer to it but the index counts " + std::to_string(recorded));
  }
  for (const auto& [sha, n] : refs)
    if (!counted.count(sha))
      problems.push_back("blob " + sha + ": the index counts " + std::to_string(n) + " reference(s) but no file has it");

  std::unordered_set<std::string> present;
  std::vector<std::string> orphans;
  blobs->for_each_blob([&](const std::string& sha) {
    ++report.blobs;
    present.insert(sha);
    if (counted.count(sha)) return;
    if (shared && !refs.count(sha))
      ++report.awaiting_reaper;
    else if (repair && !refs.count(sha))  // (a blob the index still counts is a problem to look at, not to remove)
      orphans.push_back(sha);
    else
      problems.push_back("blob " + sha + ": stored but no file refers to it");
  });
  for (const auto& sha : orphans) {
    blobs->remove(sha);
    present.erase(sha);
    report.repaired.push_back("removed blob " + sha + ": no file refers to it");
  }
  // Inline blobs (kept in the index): counted like blob files; with content
  // verification decoded here, since they are read anyway.
  std::unordered_set<std::string> present_inline;
  std::vector<std::string> inline_orphans;
  index->for_each_inline_blob([&](const std::string& sha, const std::string& bytes) {
    ++report.blobs;
    present_inline.insert(sha);
    if (!counted.count(sha)) {
      if (repair && !refs.count(sha))
        inline_orphans.push_back(sha);
      else
        problems.push_back("inline blob " + sha + ": stored in the index but no file refers to it");
      return;
    }
    if (!verify_content) return;
    auto it = sizes.find(sha);
    verify_blob_content("inline blob " + sha, sha, it == sizes.end() ? std::nullopt : std::optional(it->second),
                        [&](const std::function<void(std::string_view)>& feed) { feed(bytes); }, problems);
  });
  if (!inline_orphans.empty()) {
    // Repair holds the exclusive lock: no server writes meanwhile.
    auto writable = writable_index();
    auto tx = writable->begin();
    for (const auto& sha : inline_orphans) tx->erase_inline_blob(sha);
    tx->commit();
    for (const auto& sha : inline_orphans) {
      present_inline.erase(sha);
      report.repaired.push_back("removed inline blob " + sha + ": no file refers to it");
    }
  }
  for (const auto& [sha, n] : counted)
    if (!present.count(sha) && !present_inline.count(sha)) {
      auto kept = kept_by_blob.find(sha);
      problems.push_back("blob " + sha + ": missing, " + std::to_string(n) +
                         (kept == kept_by_blob.end() ? " file(s) refer to it" : " file(s) and kept version(s) refer to it"));
      if (kept != kept_by_blob.end())
        for (const auto& versioned : kept->second)
          problems.push_back("kept version " + versioned + ": its blob " + sha + " is missing");
    }
  if (std::size_t t = repair ? blobs->remove_temporaries() : blobs->count_temporaries()) {
    std::string what = std::to_string(t) + " interrupted upload(s) left in " + spool.string();
    if (repair)
      report.repaired.push_back("removed " + what);
    else
      problems.push_back(what);
  }
  if (repair) blobs->sync();

  if (verify_content) {
    for (const auto& sha : present) {
      auto blob = blobs->open(sha);
      if (!blob) continue;
      auto it = sizes.find(sha);
      verify_blob_file("blob " + sha, sha, it == sizes.end() ? std::nullopt : std::optional(it->second), blob->fd,
                       problems);
      ::close(blob->fd);
    }
  }
  return report;
}

}  // namespace

CheckReport check_storage(const fs::path& dir, bool verify_content, bool repair) {
  CheckLock lock(dir, repair);
  auto index = make_sqlite_index(index_file(dir), true);
  auto blobs = make_local_blob_store(blobs_dir(dir));
  return check_engines(*index, *blobs, verify_content, repair, false, blobs_dir(dir) / "tmp",
                       [&] { return make_sqlite_index(index_file(dir)); });
}

CheckReport check_shared_storage(const fs::path& dir, const std::string& index_url, const std::string& blobs_spec,
                                 bool verify_content) {
  std::optional<CheckLock> lock;
  if (!dir.empty()) lock.emplace(dir, false);
  auto index = make_postgresql_index(index_url);
  ScratchDir scratch;
  S3Options s3;
  s3.spec = blobs_spec;
  s3.spool_dir = dir.empty() ? scratch.path() / "spool" : dir / "spool";  // the server's: its leftovers are counted (the store makes no upload here)
  s3.cache_dir = scratch.path();  // not the server's cache (a cache of 0 bytes empties its directory)
  s3.cache_bytes = 0;
  auto blobs = make_s3_blob_store(s3);
  return check_engines(*index, *blobs, verify_content, false, true, s3.spool_dir, [] { return nullptr; });
}

}  // namespace ft::server
