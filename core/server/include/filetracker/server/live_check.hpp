// The consistency check of `filetracker-server --check` on a running
// server (POST /admin/check): a background job on a thread of its own, at
// low CPU and idle I/O priority, that never takes a lock the serving paths
// wait for, can be cancelled, and counts its progress.
//
// The store keeps changing while it runs, so every finding is confirmed
// against the index as it is then before it is reported:
//   missing-blob       a file's (or kept version's) blob is gone, and the
//                      index still names that blob for it afterwards
//   bad-blob           (content: true) the blob does not decode to the
//                      file's SHA-256 and size
//   unreferenced-blob  stored, and no file referred to it at the start nor
//                      at the end of the check (the server's background
//                      sweep removes such blobs; uploads in flight are not
//                      reported: they are referenced by the end)
//   size-mismatch      two files with one blob claim different sizes
// Reference counts and interrupted uploads move with every write, so they
// are left to the offline --check, which runs with the server stopped.
// Works on any backend pair (SQLite + files, PostgreSQL + S3): it uses the
// Storage's own Index and BlobStore.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "filetracker/server/storage.hpp"

namespace ft::server {

class LiveCheck {
 public:
  static constexpr std::size_t kMaxProblems = 1000;

  explicit LiveCheck(Storage& storage);
  ~LiveCheck();  // cancels a running check and waits for it
  LiveCheck(const LiveCheck&) = delete;
  LiveCheck& operator=(const LiveCheck&) = delete;

  struct Options {
    bool content = true;  // also decode every blob and verify its SHA-256 (--check-content)
  };
  // false: a check is running already.
  bool start(Options options);
  // false: none is running. The check stops at its next blob.
  bool cancel();

  enum class State { Idle, Running, Done, Failed, Cancelled };
  struct Problem {
    std::string kind;    // missing-blob, bad-blob, unreferenced-blob, size-mismatch
    std::string name;    // the file ("/a/b", "/a/b@VERSION" for a kept version); empty for a blob of no file
    std::string detail;  // one line
  };
  struct Status {
    State state = State::Idle;
    std::int64_t started = 0;   // Unix time; 0: never started
    std::int64_t finished = 0;  // 0: not finished
    std::uint64_t checked = 0;  // blobs checked so far
    std::uint64_t total = 0;    // blobs to check (known after the index scan)
    std::uint64_t files = 0, kept_versions = 0, blobs = 0;
    bool content = false;
    std::vector<Problem> problems;  // at most kMaxProblems
    bool problems_truncated = false;
    std::string summary;  // one line, as --check prints it
  };
  Status status() const;

 private:
  void run(Options options);
  void report(Problem problem);

  Storage& storage_;
  mutable std::mutex mutex_;
  Status status_;
  std::atomic<bool> cancel_{false};
  std::atomic<std::uint64_t> checked_{0};
  std::thread thread_;
};

std::string_view live_check_state_name(LiveCheck::State state);

}  // namespace ft::server
