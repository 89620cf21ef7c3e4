#include "filetracker/server/live_check.hpp"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <chrono>
#include <unordered_map>
#include <unordered_set>

#include "blob_verification.hpp"
#include "filetracker/protocol.hpp"
#include "filetracker/server/log.hpp"

namespace ft::server {
namespace {

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// This thread only: CPU nice 10 and the idle I/O class, so that serving
// goes first (Linux: both are per thread).
void lower_priority() {
  const auto tid = static_cast<id_t>(::syscall(SYS_gettid));
  ::setpriority(PRIO_PROCESS, tid, 10);
  constexpr int kIoprioWhoProcess = 1, kIoprioClassIdle = 3, kIoprioClassShift = 13;
  ::syscall(SYS_ioprio_set, kIoprioWhoProcess, static_cast<int>(tid), kIoprioClassIdle << kIoprioClassShift);
}

struct Cancelled {};

// One blob as the index scan saw it: who refers to it (the first file or
// kept version, named in problems) and the size they claim.
struct BlobUse {
  std::string name;
  Version version = 0;
  bool kept = false;  // `name` is a kept version
  std::uint64_t size = 0;
  std::string display() const { return kept ? name + "@" + std::to_string(version) : name; }
};

}  // namespace

std::string_view live_check_state_name(LiveCheck::State state) {
  switch (state) {
    case LiveCheck::State::Idle: return "idle";
    case LiveCheck::State::Running: return "running";
    case LiveCheck::State::Done: return "done";
    case LiveCheck::State::Failed: return "failed";
    case LiveCheck::State::Cancelled: return "cancelled";
  }
  return "idle";
}

LiveCheck::LiveCheck(Storage& storage) : storage_(storage) {}

LiveCheck::~LiveCheck() {
  cancel_ = true;
  if (thread_.joinable()) thread_.join();
}

bool LiveCheck::start(Options options) {
  std::lock_guard lock(mutex_);
  if (status_.state == State::Running) return false;
  if (thread_.joinable()) thread_.join();  // finished: its thread is done or about to be
  status_ = Status{};
  status_.state = State::Running;
  status_.started = unix_now();
  status_.content = options.content;
  status_.summary = "checking";
  cancel_ = false;
  checked_ = 0;
  thread_ = std::thread([this, options] { run(options); });
  return true;
}

bool LiveCheck::cancel() {
  std::lock_guard lock(mutex_);
  if (status_.state != State::Running) return false;
  cancel_ = true;
  return true;
}

LiveCheck::Status LiveCheck::status() const {
  std::lock_guard lock(mutex_);
  Status s = status_;
  s.checked = checked_.load();
  return s;
}

void LiveCheck::report(Problem problem) {
  std::lock_guard lock(mutex_);
  if (status_.problems.size() >= kMaxProblems) {
    status_.problems_truncated = true;
    return;
  }
  status_.problems.push_back(std::move(problem));
}

void LiveCheck::run(Options options) {
  lower_priority();
  Index& index = storage_.index();
  BlobStore& blobs = storage_.blob_store();
  std::size_t problems = 0;
  auto add = [&](std::string kind, std::string name, std::string detail) {
    ++problems;
    report(Problem{std::move(kind), std::move(name), protocol::sanitize_reason(detail)});
  };
  auto poll = [&] {
    if (cancel_.load(std::memory_order_relaxed)) throw Cancelled{};
  };
  // Does the index still say that `use` has blob `sha`? (A file replaced or
  // deleted meanwhile took its blob with it: nothing to report.)
  auto still_refers = [&](const BlobUse& use, const std::string& sha) {
    if (use.kept) {
      auto h = index.find_history(use.name, use.version);
      return h && h->record.sha256 == sha;
    }
    auto r = index.find(use.name);
    return r && r->sha256 == sha;
  };
  std::uint64_t files = 0, kept = 0, present = 0;
  try {
    // 1. The index: every blob referred to, by whom, with which size.
    std::unordered_map<std::string, BlobUse> used;
    std::size_t scanned = 0;
    auto note = [&](const FileRecord& r, bool is_kept) {
      if (++scanned % 4096 == 0) poll();
      BlobUse use{r.name, r.version, is_kept, r.size};
      auto [it, fresh] = used.emplace(r.sha256, use);
      if (!fresh && it->second.size != r.size && still_refers(it->second, r.sha256) && still_refers(use, r.sha256))
        add("size-mismatch", use.display(),
            "logical size " + std::to_string(r.size) + " differs from " + it->second.display() + " (" +
                std::to_string(it->second.size) + ") with the same blob " + r.sha256);
    };
    index.for_each_file([&](const FileRecord& r) {
      ++files;
      note(r, false);
    });
    index.for_each_history([&](const HistoryRecord& h) {
      ++kept;
      note(h.record, true);
    });
    std::unordered_set<std::string> counted_before;
    index.for_each_blob_reference([&](const std::string& sha, std::int64_t n) {
      if (n > 0) counted_before.insert(sha);
    });
    {
      std::lock_guard lock(mutex_);
      status_.files = files;
      status_.kept_versions = kept;
      status_.total = used.size();
    }

    // 2. Every blob referred to: there, and (content) what it should be.
    const bool inline_blobs = index.keeps_inline_blobs();
    for (const auto& [sha, use] : used) {
      poll();
      std::vector<std::string> found;
      bool exists = false;
      if (inline_blobs) {
        if (auto bytes = index.find_inline_blob(sha)) {
          exists = true;
          if (options.content)
            verify_blob_content("blob " + sha, sha, use.size,
                                [&](const std::function<void(std::string_view)>& feed) { feed(*bytes); }, found);
        }
      }
      if (!exists) {
        if (auto blob = blobs.open(sha)) {
          exists = true;
          if (options.content) verify_blob_file("blob " + sha, sha, use.size, blob->fd, found);
          ::close(blob->fd);
        }
      }
      if (!exists) {
        bool gone = !(inline_blobs && index.find_inline_blob(sha));
        if (gone) {
          if (auto again = blobs.open(sha)) {
            ::close(again->fd);
            gone = false;
          }
        }
        if (gone && still_refers(use, sha)) add("missing-blob", use.display(), "its blob " + sha + " is missing");
      } else if (!found.empty() && still_refers(use, sha)) {
        for (auto& detail : found) add("bad-blob", use.display(), detail);
      }
      checked_.fetch_add(1, std::memory_order_relaxed);
    }

    // 3. Blobs stored that nothing referred to at the start, nor at the end.
    std::vector<std::string> candidates;
    std::size_t listed = 0;
    auto consider = [&](const std::string& sha) {
      if (++listed % 4096 == 0) poll();
      ++present;
      if (!used.count(sha) && !counted_before.count(sha)) candidates.push_back(sha);
    };
    blobs.for_each_blob(consider);
    index.for_each_inline_blob([&](const std::string& sha, const std::string&) { consider(sha); });
    if (!candidates.empty()) {
      std::unordered_set<std::string> counted_after;
      index.for_each_blob_reference([&](const std::string& sha, std::int64_t n) {
        if (n > 0) counted_after.insert(sha);
      });
      std::unordered_set<std::string> referred_after;
      index.for_each_file([&](const FileRecord& r) { referred_after.insert(r.sha256); });
      index.for_each_history([&](const HistoryRecord& h) { referred_after.insert(h.record.sha256); });
      for (const auto& sha : candidates)
        if (!counted_after.count(sha) && !referred_after.count(sha))
          add("unreferenced-blob", "", "blob " + sha + " is stored but no file refers to it");
    }
    std::lock_guard lock(mutex_);
    status_.blobs = present;
    status_.state = State::Done;
    status_.finished = unix_now();
    status_.summary = std::to_string(files) + " file(s), " +
                      (kept ? std::to_string(kept) + " kept version(s), " : std::string()) + std::to_string(present) +
                      " blob(s), " + std::to_string(problems) + " problem(s)" +
                      (options.content ? " (content verified)" : "");
    log_message(problems ? LogLevel::Warning : LogLevel::Info, "consistency check: " + status_.summary);
  } catch (const Cancelled&) {
    std::lock_guard lock(mutex_);
    status_.state = State::Cancelled;
    status_.finished = unix_now();
    status_.summary = "cancelled after " + std::to_string(checked_.load()) + " of " + std::to_string(status_.total) +
                      " blob(s), " + std::to_string(problems) + " problem(s) so far";
    log_message(LogLevel::Info, "consistency check: " + status_.summary);
  } catch (const std::exception& e) {
    std::lock_guard lock(mutex_);
    status_.state = State::Failed;
    status_.finished = unix_now();
    status_.summary = protocol::sanitize_reason(std::string("failed: ") + e.what());
    log_message(LogLevel::Error, "consistency check " + status_.summary);
  }
}

}  // namespace ft::server
