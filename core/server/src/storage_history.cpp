// The storage's version history (--keep-versions, --keep-for): superseded
// versions kept in the index's history table, each holding a reference on
// its blob like a file, so content shared by versions and names is stored
// once and a blob goes only when its last file and kept version went.
// Everything here runs on the storage's single writer thread (retire,
// apply_history_op and prune_step) or reads the index (versions,
// open_version), like the rest of storage.cpp.
#include <algorithm>
#include <chrono>
#include <ctime>
#include <limits>

#include "filetracker/server/log.hpp"
#include "filetracker/server/storage.hpp"

namespace ft::server {
namespace {

// Kept versions removed per transaction by the background pruning: small
// enough that a write waits at most for one such chunk.
constexpr std::size_t kPruneChunk = 128;
// Between two chunks of a large backlog (a lowered bound): writes go first
// and the disk is not kept busy with fsyncs.
constexpr auto kPrunePause = std::chrono::milliseconds(5);

std::int64_t now_seconds() { return static_cast<std::int64_t>(std::time(nullptr)); }

// How often the age bound is looked at: a tenth of it, between 1 s and 60 s.
std::chrono::steady_clock::duration age_check_interval(std::chrono::seconds keep_for) {
  return std::clamp<std::chrono::seconds>(keep_for / 10, std::chrono::seconds(1), std::chrono::seconds(60));
}

// Why `name` cannot become a file again (a restore after a DELETE): a
// directory of that name, or a file where one of its directories would be.
std::optional<std::string> name_clash(IndexTransaction& tx, const std::string& name) {
  if (tx.has_files_below(name)) return name + ": a directory of that name exists";
  for (std::size_t i = 1; i < name.size(); ++i)
    if (name[i] == '/' && tx.find(name.substr(0, i)))
      return name + ": " + name.substr(0, i) + " is a file, not a directory";
  return std::nullopt;
}

void drop(IndexTransaction& tx, const std::string& sha256, std::set<std::string>& doomed) {
  if (tx.drop_reference(sha256) == 0) doomed.insert(sha256);
}

}  // namespace

std::vector<Storage::VersionEntry> Storage::versions(std::string_view name) {
  std::vector<VersionEntry> out;
  std::optional<FileRecord> current = index_->find(name);
  if (current) out.push_back(VersionEntry{*current, true, 0});
  for (auto& kept : index_->history(name))
    if (!current || kept.record.version != current->version)
      out.push_back(VersionEntry{std::move(kept.record), false, kept.superseded_at});
  std::stable_sort(out.begin(), out.end(),
                   [](const VersionEntry& a, const VersionEntry& b) { return a.record.version > b.record.version; });
  return out;
}

std::optional<Storage::OpenFile> Storage::open_version(std::string_view name, Version version) {
  // A kept version may be pruned, or the current one replaced, between the
  // lookup and the open: look again.
  for (int attempt = 0; attempt < 5; ++attempt) {
    std::optional<FileRecord> record = find(name);
    if (!record || record->version != version) {
      auto kept = index_->find_history(name, version);
      record = kept ? std::optional<FileRecord>(std::move(kept->record)) : std::nullopt;
    }
    if (!record) return std::nullopt;
    if (auto file = open_record(*record)) return file;
  }
  throw Error(ErrorCode::Io, std::string(name) + "@" + std::to_string(version) + ": the file keeps changing; try again");
}

void Storage::restore(std::string name, Version version, CommitCallback done) {
  Op op{true, FileRecord{std::move(name), version, {}, 0}, nullptr, std::move(done)};
  op.history = Op::History::Restore;
  enqueue(std::move(op));
}

void Storage::purge_history(std::string name, CommitCallback done) {
  Op op{true, FileRecord{std::move(name), 0, {}, 0}, nullptr, std::move(done)};
  op.history = Op::History::Purge;
  enqueue(std::move(op));
}

void Storage::retire(IndexTransaction& tx, const FileRecord& superseded, std::set<std::string>& doomed) {
  if (!history_.enabled()) return drop(tx, superseded.sha256, doomed);
  // The reference the file held moves to the kept version.
  if (auto replaced = tx.put_history(HistoryRecord{superseded, now_seconds()}))
    drop(tx, replaced->record.sha256, doomed);  // (the same version kept before a DELETE and a PUT again)
  if (history_.keep_versions > 0)
    for (const auto& old : tx.history(superseded.name, history_.keep_versions)) {
      tx.erase_history(old.record.name, old.record.version);
      drop(tx, old.record.sha256, doomed);
    }
}

void Storage::apply_history_op(IndexTransaction& tx, Op& op, CommitResult& result, std::set<std::string>& doomed,
                               std::vector<std::pair<std::string, std::optional<FileRecord>>>& changes,
                               std::int64_t& stored_files, std::int64_t& stored_bytes) {
  const std::string& name = op.record.name;
  if (op.history == Op::History::Purge) {
    std::size_t removed = 0;
    auto erase = [&](const std::vector<HistoryRecord>& rows) {
      for (const auto& row : rows) {
        tx.erase_history(row.record.name, row.record.version);
        drop(tx, row.record.sha256, doomed);
      }
      removed += rows.size();
    };
    if (name == "/")
      for (std::vector<HistoryRecord> rows; !(rows = tx.any_history(4096)).empty();) erase(rows);
    else
      erase(tx.history(name));
    result = {CommitOutcome::Applied, 0, {}, removed};
    return;
  }
  // Restore.
  const Version asked = op.record.version;
  auto existing = tx.find(name);
  if (existing && existing->version == asked) {
    result = {CommitOutcome::Applied, existing->version, {}};  // it is the current version already
    return;
  }
  auto kept = tx.find_history(name, asked);
  if (!kept) {
    result = {CommitOutcome::NotFound, 0, name + "@" + std::to_string(asked) + ": no such version is kept"};
    return;
  }
  // Newer than every version the name had, so no cache holds another
  // content under it and every cache sees a newer file.
  Version newest = existing ? existing->version : 0;
  for (const auto& row : tx.history(name, 0)) newest = std::max(newest, row.record.version);  // newest first
  if (newest == std::numeric_limits<Version>::max()) {
    result = {CommitOutcome::NoNextVersion, 0, name + ": the newest version is the largest possible one"};
    return;
  }
  if (!existing)
    if (auto clash = name_clash(tx, name)) {
      result = {CommitOutcome::NameClash, 0, *clash};
      return;
    }
  FileRecord restored{name, std::max<Version>(now_seconds(), newest + 1), kept->record.sha256, kept->record.size};
  tx.add_reference(restored.sha256);  // before retire(): pruning may drop the row restored from
  doomed.erase(restored.sha256);
  if (existing) retire(tx, *existing, doomed);
  tx.put(restored);
  changes.emplace_back(name, restored);
  if (!existing) ++stored_files;
  stored_bytes += static_cast<std::int64_t>(restored.size) - static_cast<std::int64_t>(existing ? existing->size : 0);
  result = {CommitOutcome::Applied, restored.version, {}};
}

void Storage::prune_step() {
  const auto now = std::chrono::steady_clock::now();
  const std::int64_t cutoff = history_.keep_for.count() > 0 ? now_seconds() - history_.keep_for.count() : 0;
  std::size_t pruned = 0;
  bool more = false;  // another chunk is due at once
  std::set<std::string> doomed;
  std::string cursor = prune_cursor_;
  try {
    auto tx = index_->begin();
    auto erase = [&](const std::vector<HistoryRecord>& rows) {
      for (const auto& row : rows) {
        tx->erase_history(row.record.name, row.record.version);
        drop(*tx, row.record.sha256, doomed);
      }
      pruned += rows.size();
    };
    if (prune_by_count_) {
      // Name by name (the count bound is per name), about a chunk of rows
      // per transaction, resuming after the last name done.
      while (pruned < kPruneChunk) {
        auto name = tx->next_history_name(cursor);
        if (!name) break;
        erase(tx->history(*name, history_.keep_versions));
        cursor = std::move(*name);
      }
      more = pruned >= kPruneChunk;
    }
    if (!more && cutoff > 0) {
      erase(tx->history_superseded_before(cutoff, kPruneChunk));
      more = pruned >= kPruneChunk;
    }
    // An inline blob (issue 18) goes with the rows, in the same transaction.
    if (index_->keeps_inline_blobs())
      for (const auto& sha : doomed) tx->erase_inline_blob(sha);
    tx->commit();  // the rows are gone, durably, before any blob is
  } catch (const std::exception& e) {
    log_message(LogLevel::Warning, std::string("version history: pruning failed (tried again later): ") + e.what());
    next_prune_ = now + std::chrono::seconds(60);
    return;
  }
  for (const auto& sha : doomed) blobs_->remove(sha);
  if (!doomed.empty()) {
    try {
      blobs_->sync();
    } catch (const std::exception& e) {
      log_message(LogLevel::Warning, std::string("version history: cannot fsync after removing blobs: ") + e.what());
    }
  }
  if (pruned)
    log_message(LogLevel::Info, "version history: pruned " + std::to_string(pruned) + " kept version(s) (" +
                                    std::to_string(doomed.size()) + " blob(s) removed)");
  prune_cursor_ = cursor;
  if (more) {
    next_prune_ = now + kPrunePause;
    return;
  }
  if (prune_by_count_) {
    prune_by_count_ = false;  // the count bound is kept by every write from now on
    prune_cursor_.clear();
    log_message(LogLevel::Info, "version history: the kept versions are within the bounds");
  }
  next_prune_ = history_.keep_for.count() > 0 ? now + age_check_interval(history_.keep_for)
                                              : std::chrono::steady_clock::time_point::max();
}

}  // namespace ft::server
