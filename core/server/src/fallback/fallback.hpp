// Live migration from an older server (--fallback-url URL): names missing
// here are answered from the old server, so clients can switch to this one
// before its data is all here.
//
//   Redirect (default)  GET/HEAD of a missing name: 307 to the same path and
//                       query on URL, what the Python server's --fallback-url
//                       does (deployed clients follow it).
//   Pull                GET/HEAD of a missing name: fetched from the old
//                       server, verified (Content-Length, gzip stream and
//                       trailer, Logical-Size, SHA256-Checksum when sent),
//                       stored here with the old server's version through
//                       the storage's normal commit, then answered from here.
//                       Concurrent requests for one name share one fetch.
//
// Both modes: PUT is local. DELETE is local too, and a name deleted here is
// recorded (DeletedNames) so the old server's copy never comes back. /list
// merges both sides (a name stored here is listed as stored here, as GET
// answers it). The old server's failures are 502 (unreachable, error, bad
// content) or 504 (no answer within --fallback-timeout) with X-Exception;
// nothing of a bad answer is stored.
//
// The old server is only ever talked to on the fallback's own threads:
// io threads hand the work over (Answer::later) and go on.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "fallback/deleted_names.hpp"
#include "filetracker/protocol.hpp"
#include "filetracker/server/http_server.hpp"
#include "filetracker/server/principal.hpp"
#include "filetracker/server/storage.hpp"
#include "http/reply.hpp"

namespace ft::server {

class ServerMetrics;
class UpstreamClient;

class Fallback {
 public:
  // REQUIRES: !options.fallback_url.empty(). Opens DATA_DIR/fallback-deleted.sqlite3.
  Fallback(const ServerOptions& options, Storage& storage, ServerMetrics* metrics);
  // Cancels fetches in progress and joins the threads.
  ~Fallback();
  Fallback(const Fallback&) = delete;
  Fallback& operator=(const Fallback&) = delete;

  // Shutting down: fetches in progress and queued fail at once (503), so a
  // stop does not wait for the old server. Thread-safe.
  void cancel() { cancel_ = true; }

  bool pulls() const { return options_.fallback_mode == ServerOptions::FallbackMode::Pull; }

  // GET/HEAD /files/NAME of a name missing here; `raw_target` as the client
  // sent it. `gzip`, `checksum_header`: as for a stored file (FileReply).
  Answer missing_file(const std::string& name, std::string_view raw_target, bool gzip, bool checksum_header);
  // DELETE /files/NAME?last_modified=VERSION.
  Answer delete_file(const std::string& name, Version version);

  // /list: the listing made here, to merge with the old server's.
  struct ListRequest {
    std::string dir;
    Version cutoff = 0;
    bool json = false;
    bool recursive = true;
    bool exists_here = false;  // the directory has something stored here
    Principal principal;       // filters the old server's entries like ours
    protocol::Listing here;    // plain listing: names only (relative)
  };
  Answer list(ListRequest request);

 private:
  struct Outcome {
    int status = 200;  // 200: stored here now
    std::string reason;
  };
  using Waiter = std::function<void(const Outcome&)>;
  using Task = std::function<void(UpstreamClient&)>;

  void post(Task task);
  void thread_loop();
  void pull(const std::string& name, Waiter waiter);
  void fetch(UpstreamClient& client, const std::string& name);
  void land(const std::string& name, const Outcome& outcome);
  TextReply merged_list(UpstreamClient& client, const ListRequest& request);

  const ServerOptions& options_;
  Storage& storage_;
  ServerMetrics* metrics_;
  DeletedNames deleted_;
  std::atomic<bool> cancel_{false};

  std::mutex flights_mutex_;
  std::unordered_map<std::string, std::vector<Waiter>> flights_;  // name -> requests waiting for its fetch

  std::mutex queue_mutex_;
  std::condition_variable queue_cv_;
  std::deque<Task> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace ft::server
