// get_stream's reader: a std::streambuf fed by a download running on a
// worker thread. The worker runs the GET on its own libcurl handle, passes
// the body through a BodyVerifier (gunzip, count, hash) and queues the plain
// bytes; underflow() hands them out. The queue holds at most about
// kQueueLimit bytes: the worker then blocks (and libcurl stops reading the
// socket, so TCP throttles the server) until the reader catches up. The
// stall timeout counts only time spent waiting for the server, not for the
// reader.
//
// The verdict comes at the end of the body: a body cut off, corrupt or
// longer than announced makes underflow() throw ft::Error after the bytes
// received so far (std::istream turns that into badbit, and rethrows it when
// badbit is in exceptions()). Destroying the buffer early stops the worker
// and joins it.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <streambuf>
#include <string>
#include <string_view>
#include <thread>

#include "filetracker/data_store.hpp"
#include "filetracker/remote_data_store.hpp"
#include "http_exchange.hpp"

namespace ft {

// Starts the download of `name` from `base_url` and returns once the
// answer's headers are in (so the versioned name is known). HTTP errors, a
// version mismatch and connection failures throw from here, worded as
// get_file words them. The worker honours `cancel` (may be null).
// `from_history`: `name` is versioned and the server keeps history: ask
// /history for that version (make_download_request).
DataStore::Stream open_download_stream(const std::string& base_url, const RemoteTimeouts& timeouts,
                                       const RemoteAuth& auth, const std::atomic<bool>* cancel,
                                       std::string_view name, bool from_history = false);

class DownloadStreamBuf : public std::streambuf {
 public:
  static constexpr std::size_t kQueueLimit = 4u << 20;
  static constexpr std::size_t kMaxPiece = 256u << 10;

  // Starts the worker. It touches nothing of the caller's: the store may be
  // used, or destroyed, while the stream is open.
  DownloadStreamBuf(std::string base_url, RemoteTimeouts timeouts, RemoteAuth auth, const std::atomic<bool>* cancel,
                    std::string subject, SplitName split, bool from_history = false);
  // Stops the worker (within about a second) and joins it.
  ~DownloadStreamBuf() override;
  DownloadStreamBuf(const DownloadStreamBuf&) = delete;
  DownloadStreamBuf& operator=(const DownloadStreamBuf&) = delete;

  // Waits for the answer's headers; returns the versioned name or throws what
  // get_file would throw for the same answer.
  std::string wait_for_headers();

 protected:
  int_type underflow() override;

 private:
  // Thrown inside the worker when the reader went away.
  struct Stopped {};

  // Runs on the worker thread.
  void run(const std::string& base_url, const RemoteTimeouts& timeouts, const RemoteAuth& auth,
           const std::atomic<bool>* cancel,
           const SplitName& split, bool from_history);
  // Queues plain bytes, waiting while the queue is full. Throws Stopped.
  void push(std::string_view data);
  // Records an HTTP error answer for wait_for_headers() to throw.
  void report_http_error(const HttpResponse& response);

  const std::string subject_;
  std::thread worker_;

  std::mutex mutex_;
  std::condition_variable changed_;         // any change below (both directions)
  std::deque<std::string> queue_;           // GUARDED_BY(mutex_)
  std::size_t queued_ = 0;                  // GUARDED_BY(mutex_)
  bool headers_ready_ = false;              // GUARDED_BY(mutex_)
  bool done_ = false;                       // GUARDED_BY(mutex_)
  bool stop_ = false;                       // GUARDED_BY(mutex_)
  bool waited_for_reader_ = false;          // GUARDED_BY(mutex_)
  std::string versioned_name_;              // GUARDED_BY(mutex_)
  std::optional<HttpResponse> http_error_;  // GUARDED_BY(mutex_)
  std::exception_ptr error_;                // GUARDED_BY(mutex_)

  // The reader's side only.
  std::string current_;
};

}  // namespace ft
