#include "fallback/fallback.hpp"

#include <algorithm>
#include <optional>
#include <set>
#include <unordered_set>

#include "fallback/upstream_client.hpp"
#include "filetracker/error.hpp"
#include "filetracker/server/log.hpp"
#include "filetracker/server/upload_receiver.hpp"
#include "http/failure.hpp"
#include "http/handlers.hpp"
#include "http/metrics.hpp"
#include "http/request_rules.hpp"

namespace ft::server {
namespace {

// Fetches mostly wait for the old server: a few more threads than cores.
constexpr unsigned kThreads = 8;

// The old server sent something that is not the file it claims to be.
struct BadContent : std::runtime_error {
  using std::runtime_error::runtime_error;
};

Reply failure(int status, const std::string& reason) { return failure_reply(Failure(status, reason), false); }

void count(ServerMetrics* metrics, std::atomic<std::uint64_t> ServerMetrics::*counter) {
  if (metrics) (metrics->*counter).fetch_add(1, std::memory_order_relaxed);
}

std::string without_trailing_slashes(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

}  // namespace

Fallback::Fallback(const ServerOptions& options, Storage& storage, ServerMetrics* metrics)
    : options_(options), storage_(storage), metrics_(metrics), deleted_(options.data_dir / "fallback-deleted.sqlite3") {
  for (unsigned i = 0; i < kThreads; ++i) threads_.emplace_back([this] { thread_loop(); });
}

Fallback::~Fallback() {
  cancel_ = true;
  {
    std::lock_guard lock(queue_mutex_);
    stopping_ = true;
  }
  queue_cv_.notify_all();
  for (auto& thread : threads_) thread.join();
}

void Fallback::post(Task task) {
  {
    std::lock_guard lock(queue_mutex_);
    queue_.push_back(std::move(task));
  }
  queue_cv_.notify_one();
}

// Each thread has its own connection to the old server. A stopping pool
// still runs what is queued (with cancel_ set a fetch fails at once), so
// every waiting request gets its answer.
void Fallback::thread_loop() {
  UpstreamClient client(without_trailing_slashes(options_.fallback_url), options_.fallback_timeout, &cancel_);
  for (;;) {
    Task task;
    {
      std::unique_lock lock(queue_mutex_);
      queue_cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    task(client);
  }
}

// ---- GET / HEAD ----------------------------------------------------------------

Answer Fallback::missing_file(const std::string& name, std::string_view raw_target, bool gzip, bool checksum_header) {
  if (deleted_.find(name)) {
    count(metrics_, &ServerMetrics::fallback_missing);
    throw RequestError(404, name + ": file not found (deleted here; the old server's copy is not used)");
  }
  if (!pulls()) {
    // The Python server's --fallback-url: the same path, on the old server.
    count(metrics_, &ServerMetrics::fallback_redirected);
    TextReply reply;
    reply.status = 307;
    reply.headers.emplace_back("Location", without_trailing_slashes(options_.fallback_url) + std::string(raw_target));
    return reply;
  }
  return Answer::later([this, name, gzip, checksum_header](ReplyCallback done) {
    pull(name, [this, name, gzip, checksum_header, done = std::move(done)](const Outcome& outcome) {
      if (outcome.status != 200) return done(failure(outcome.status, outcome.reason));
      auto found = storage_.open(name);
      if (!found) return done(failure(404, name + ": file not found"));  // deleted right after it landed
      done(FileReply(std::move(*found), gzip, checksum_header));
    });
  });
}

// Single flight: the first request for a name starts its fetch, the others
// wait for that one.
void Fallback::pull(const std::string& name, Waiter waiter) {
  {
    std::lock_guard lock(flights_mutex_);
    auto [it, first] = flights_.try_emplace(name);
    it->second.push_back(std::move(waiter));
    if (!first) {
      count(metrics_, &ServerMetrics::fallback_joined);
      return;
    }
  }
  post([this, name](UpstreamClient& client) { fetch(client, name); });
}

void Fallback::land(const std::string& name, const Outcome& outcome) {
  std::vector<Waiter> waiters;
  {
    std::lock_guard lock(flights_mutex_);
    auto it = flights_.find(name);
    if (it == flights_.end()) return;
    waiters = std::move(it->second);
    flights_.erase(it);
  }
  for (auto& waiter : waiters) waiter(outcome);
}

void Fallback::fetch(UpstreamClient& client, const std::string& name) {
  auto failed = [&](int status, const std::string& reason) {
    count(metrics_, &ServerMetrics::fallback_failed);
    log_message(LogLevel::Warning, "fallback: " + reason);
    land(name, Outcome{status, reason});
  };
  try {
    // Stored meanwhile (a PUT, or a fetch that landed just before this
    // request joined): nothing to fetch.
    if (storage_.find(name)) return land(name, Outcome{});
    if (deleted_.find(name)) return land(name, Outcome{404, name + ": file not found"});
    std::optional<UploadReceiver> receiver;
    auto headers = client.get_file(
        name,
        [&](const protocol::FileHeaders& h, std::uint64_t) {
          if (!h.version) throw BadContent("no valid Last-Modified (the file's version)");
          if (!h.unsupported_coding.empty())
            throw BadContent("an unsupported Content-Encoding \"" + h.unsupported_coding + "\"");
          // Inflating stops once the content passes what it says it is.
          std::optional<std::uint64_t> limit = h.logical_size;
          if (options_.max_upload_size && (!limit || *limit > options_.max_upload_size))
            limit = options_.max_upload_size;
          receiver.emplace(storage_.begin_upload(), h.gzip, options_.gzip_level, limit);
        },
        [&](std::string_view chunk) { receiver->write(chunk); });
    if (!headers) {
      count(metrics_, &ServerMetrics::fallback_missing);
      return land(name, Outcome{404, name + ": file not found (here and on the old server)"});
    }
    if (!receiver) throw BadContent("an answer without a body");
    receiver->finish();
    if (!headers->sha256.empty() && headers->sha256 != receiver->sha256())
      throw BadContent("content whose SHA-256 is " + receiver->sha256() + ", not its SHA256-Checksum " +
                       headers->sha256);
    if (headers->logical_size && *headers->logical_size != receiver->logical_size())
      throw BadContent(std::to_string(receiver->logical_size()) + " bytes, not its Logical-Size " +
                       std::to_string(*headers->logical_size));
    // Deleted here while it was on its way: it must not come back.
    if (deleted_.find(name)) return land(name, Outcome{404, name + ": file not found"});
    FileRecord record{name, *headers->version, receiver->sha256(), receiver->logical_size()};
    storage_.put(std::move(record), receiver->release(), [this, name](CommitResult result) {
      // On the writer thread: hand the answers over to the pool.
      Outcome outcome;
      if (result.outcome != CommitOutcome::Applied) {
        Failure f = failure_for(result, name);
        outcome = Outcome{f.status, f.reason};
        count(metrics_, &ServerMetrics::fallback_failed);
      } else {
        count(metrics_, &ServerMetrics::fallback_pulled);
        log_message(LogLevel::Info, "fallback: pulled " + name + " version " + std::to_string(result.version));
      }
      post([this, name, outcome](UpstreamClient&) { land(name, outcome); });
    });
  } catch (const UpstreamFailure& e) {
    failed(e.status, e.what());
  } catch (const BadContent& e) {
    failed(502, name + ": the old server sent " + e.what() + "; nothing was stored");
  } catch (const UploadReceiver::TooLarge&) {
    failed(502, name + ": the old server sent more content than its Logical-Size; nothing was stored");
  } catch (const Error& e) {
    if (e.code() == ErrorCode::Protocol || e.code() == ErrorCode::ChecksumMismatch)
      return failed(502, name + ": the old server sent bad content (" + e.what() + "); nothing was stored");
    Failure f = failure_for(std::current_exception(), name);
    failed(f.status, f.reason);
  } catch (...) {
    Failure f = failure_for(std::current_exception(), name);
    failed(f.status, f.reason);
  }
}

// ---- DELETE ----------------------------------------------------------------------

Answer Fallback::delete_file(const std::string& name, Version version) {
  return Answer::later([this, name, version](ReplyCallback done) {
    post([this, name, version, done = std::move(done)](UpstreamClient& client) {
      try {
        const bool here = storage_.find(name).has_value();
        if (!here) {
          // Only the old server has it (or nobody): delete it here means hide it.
          auto theirs = client.head_file(name);
          if (!theirs) return done(failure(404, name + ": file not found"));
          if (*theirs > version) {
            // Older than the stored version: no change, as for a file stored here.
            TextReply reply;
            reply.headers.emplace_back(protocol::kLastModified, protocol::format_http_date(*theirs));
            return done(std::move(reply));
          }
        }
        // Recorded before the local delete: a crash in between leaves the
        // name deleted, never back from the old server.
        deleted_.record(name, version);
        if (here) {
          storage_.remove(name, version, [done, name](CommitResult result) { done(commit_reply(result, name)); });
          return;
        }
        TextReply reply;
        reply.headers.emplace_back(protocol::kLastModified, protocol::format_http_date(version));
        done(std::move(reply));
      } catch (const UpstreamFailure& e) {
        done(failure(e.status, e.what()));
      } catch (...) {
        Failure f = failure_for(std::current_exception(), name);
        done(failure(f.status, f.reason));
      }
    });
  });
}

// ---- /list -------------------------------------------------------------------------

Answer Fallback::list(ListRequest request) {
  return Answer::later([this, request = std::move(request)](ReplyCallback done) mutable {
    post([this, request = std::move(request), done = std::move(done)](UpstreamClient& client) {
      try {
        done(merged_list(client, request));
      } catch (const UpstreamFailure& e) {
        done(failure(e.status, e.what()));
      } catch (...) {
        Failure f = failure_for(std::current_exception(), request.dir);
        done(failure(f.status, f.reason));
      }
    });
  });
}

// A name stored here is listed as stored here (that is what GET answers);
// the old server adds the names missing here, except those deleted here.
TextReply Fallback::merged_list(UpstreamClient& client, const ListRequest& request) {
  std::string tail = protocol::encode_path(request.dir) +
                     "?last_modified=" + protocol::form_encode(protocol::format_http_date(request.cutoff));
  if (!request.recursive) tail += "&recursive=0";
  std::optional<UpstreamClient::ListAnswer> theirs;
  std::string problem;
  try {
    theirs = client.list(tail, request.json);
  } catch (const UpstreamFailure& e) {
    if (!request.exists_here) throw;
    problem = e.what();
  }
  if (!theirs && !request.exists_here && problem.empty())
    throw RequestError(400, request.dir + ": no such directory");

  protocol::Listing listing = request.here;
  if (theirs) {
    const std::string base = request.dir == "/" ? std::string("/") : request.dir + "/";
    const auto deleted = deleted_.below(request.dir);
    const bool filtered = !request.principal.unrestricted();
    std::unordered_set<std::string> files_here, directories_here;
    for (const auto& entry : listing.files) files_here.insert(entry.name);
    for (const auto& dir : listing.directories) directories_here.insert(dir);
    auto add_file = [&](protocol::ListEntry entry) {
      const std::string full = base + entry.name;
      if (files_here.count(entry.name) || deleted.count(full)) return;
      if (filtered && !request.principal.covers(full)) return;
      files_here.insert(entry.name);
      listing.files.push_back(std::move(entry));
    };
    auto add_directory = [&](const std::string& dir) {
      if (directories_here.count(dir) || (filtered && !request.principal.may_list(base + dir))) return;
      directories_here.insert(dir);
      listing.directories.push_back(dir);
    };
    try {
      if (theirs->json) {
        protocol::Listing upstream = protocol::parse_json_list(theirs->body);
        for (auto& entry : upstream.files) add_file(std::move(entry));
        for (const auto& dir : upstream.directories) add_directory(dir);
      } else {
        // Version 2's plain listing (the Python server): names only, at
        // any depth; a JSON answer shows their version and size as 0
        // (unknown) and one level of it folds deeper names into directories.
        for (auto& name : protocol::parse_plain_list(theirs->body)) {
          auto slash = name.find('/');
          if (request.json && !request.recursive && slash != std::string::npos)
            add_directory(name.substr(0, slash));
          else
            add_file(protocol::ListEntry{std::move(name), 0, 0, {}});
        }
      }
    } catch (const Error& e) {
      if (!request.exists_here)
        throw UpstreamFailure(502, request.dir + ": the old server sent a bad listing: " + e.what());
      problem = request.dir + ": the old server sent a bad listing: " + e.what();
    }
    std::sort(listing.files.begin(), listing.files.end(),
              [](const auto& a, const auto& b) { return a.name < b.name; });
    std::sort(listing.directories.begin(), listing.directories.end());
  }

  TextReply reply;
  if (!problem.empty()) {
    // The listing is this server's alone; say so instead of failing it.
    count(metrics_, &ServerMetrics::fallback_failed);
    log_message(LogLevel::Warning, "fallback: " + problem);
    std::string text = protocol::sanitize_reason("only this server's files: " + problem);
    std::replace(text.begin(), text.end(), '"', '\'');
    reply.headers.emplace_back("Warning", "199 filetracker \"" + text + "\"");
  }
  if (request.json) {
    reply.content_type = std::string(protocol::kJsonContentType);
    reply.body = protocol::make_json_list(listing);
  } else {
    for (const auto& entry : listing.files) {
      reply.body.append(entry.name);
      reply.body += '\n';
    }
  }
  return reply;
}

}  // namespace ft::server
