#include "download_stream_buf.hpp"

#include <chrono>
#include <istream>
#include <memory>

#include "body_verifier.hpp"
#include "busy_retry.hpp"
#include "curl_transport.hpp"
#include "filetracker/error.hpp"
#include "http_error.hpp"
#include "remote_download.hpp"

namespace ft {

namespace {

// An istream that owns its buffer (declared first so it is built first).
template <class Buf>
class OwningIStream : private std::unique_ptr<Buf>, public std::istream {
 public:
  explicit OwningIStream(std::unique_ptr<Buf> buf)
      : std::unique_ptr<Buf>(std::move(buf)), std::istream(std::unique_ptr<Buf>::get()) {}
};

}  // namespace

DataStore::Stream open_download_stream(const std::string& base_url, const RemoteTimeouts& timeouts,
                                       const RemoteAuth& auth, const std::atomic<bool>* cancel,
                                       std::string_view name, bool from_history) {
  SplitName split = parse_name(name);
  auto buf =
      std::make_unique<DownloadStreamBuf>(base_url, timeouts, auth, cancel, std::string(name), split, from_history);
  DataStore::Stream stream;
  stream.versioned_name = buf->wait_for_headers();  // throws; ~DownloadStreamBuf stops the worker
  stream.stream = std::make_unique<OwningIStream<DownloadStreamBuf>>(std::move(buf));
  return stream;
}

DownloadStreamBuf::DownloadStreamBuf(std::string base_url, RemoteTimeouts timeouts, RemoteAuth auth,
                                     const std::atomic<bool>* cancel, std::string subject, SplitName split,
                                     bool from_history)
    : subject_(std::move(subject)) {
  worker_ = std::thread([this, base_url = std::move(base_url), timeouts, auth = std::move(auth), cancel,
                         split = std::move(split), from_history] {
    run(base_url, timeouts, auth, cancel, split, from_history);
  });
}

DownloadStreamBuf::~DownloadStreamBuf() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  changed_.notify_all();
  worker_.join();
}

std::string DownloadStreamBuf::wait_for_headers() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return headers_ready_ || done_; });
  if (http_error_) {
    HttpResponse response = *http_error_;
    lock.unlock();
    throw_http_error(subject_, response);
  }
  if (!headers_ready_ && error_) std::rethrow_exception(error_);
  if (!headers_ready_) throw Error(ErrorCode::Protocol, subject_ + ": the server's answer has no headers");
  return versioned_name_;
}

DownloadStreamBuf::int_type DownloadStreamBuf::underflow() {
  if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
  std::unique_lock lock(mutex_);
  current_.clear();
  setg(nullptr, nullptr, nullptr);
  changed_.wait(lock, [this] { return !queue_.empty() || done_; });
  if (!queue_.empty()) {
    current_ = std::move(queue_.front());
    queue_.pop_front();
    queued_ -= current_.size();
    lock.unlock();
    changed_.notify_all();
    setg(current_.data(), current_.data(), current_.data() + current_.size());
    return traits_type::to_int_type(*gptr());
  }
  // Everything received was handed out; a failure now means the content is
  // incomplete or wrong: say so rather than end as if complete.
  if (error_) std::rethrow_exception(error_);
  return traits_type::eof();
}

void DownloadStreamBuf::push(std::string_view data) {
  while (!data.empty()) {
    std::string_view piece = data.substr(0, kMaxPiece);
    data.remove_prefix(piece.size());
    std::unique_lock lock(mutex_);
    if (queued_ >= kQueueLimit) {
      changed_.wait(lock, [this] { return stop_ || queued_ < kQueueLimit; });
      waited_for_reader_ = true;
    }
    if (stop_) throw Stopped{};
    queue_.emplace_back(piece);
    queued_ += piece.size();
    lock.unlock();
    changed_.notify_all();
  }
}

void DownloadStreamBuf::report_http_error(const HttpResponse& response) {
  {
    std::lock_guard lock(mutex_);
    http_error_ = response;
  }
  changed_.notify_all();
}

void DownloadStreamBuf::run(const std::string& base_url, const RemoteTimeouts& timeouts, const RemoteAuth& auth,
                            const std::atomic<bool>* cancel, const SplitName& split, bool from_history) {
  try {
    CurlTransport transport(auth);
    HttpRequest request =
        make_download_request(subject_, split.name, from_history ? split.version : std::optional<Version>());
    request.cancel = cancel;
    // A reader that pauses must not look like a stalled server: count only
    // the time spent waiting for the network.
    request.curl_stall_check = false;
    auto last_data = std::chrono::steady_clock::now();
    std::uint64_t last_bytes = 0;
    request.on_tick = [&](std::uint64_t received) {
      auto now = std::chrono::steady_clock::now();
      {
        std::lock_guard lock(mutex_);
        if (stop_) throw Stopped{};
        if (waited_for_reader_) {
          waited_for_reader_ = false;
          last_data = now;
        }
      }
      if (received != last_bytes) {
        last_bytes = received;
        last_data = now;
      } else if (timeouts.stall_seconds > 0 && now - last_data > std::chrono::seconds(timeouts.stall_seconds)) {
        throw Error(ErrorCode::Network, subject_ + ": " + base_url + " timed out (no data for " +
                                            std::to_string(timeouts.stall_seconds) + " s)");
      }
    };

    std::unique_ptr<BodyVerifier> verifier;
    BusyRetry busy(timeouts);
    request.on_headers = [&](const HttpResponse& response) {
      if (busy.will_retry(response)) return;  // asked again below
      if (!response.ok()) {
        report_http_error(response);
        throw Stopped{};  // the caller throws; the error body is not needed
      }
      DownloadAnswer answer = read_download_answer(response, split, subject_);
      verifier =
          std::make_unique<BodyVerifier>(std::move(answer.body), [this](std::string_view plain) { push(plain); });
      {
        std::lock_guard lock(mutex_);
        versioned_name_ = versioned_name(split.name, answer.version);
        headers_ready_ = true;
      }
      changed_.notify_all();
    };
    request.body_sink = [&](const HttpResponse&, std::string_view data) {
      if (!verifier) throw Error(ErrorCode::Protocol, subject_ + ": the body came before the headers");
      feed_body(*verifier, data, subject_);
    };

    HttpResponse response = transport.perform(base_url, timeouts, request);
    while (const auto wait = busy.next(response)) {
      BusyRetry::sleep(*wait, cancel, subject_);
      response = transport.perform(base_url, timeouts, request);
    }
    if (!response.ok()) {  // on_headers saw no final header block: still an HTTP error
      report_http_error(response);
      throw Stopped{};
    }
    if (!verifier) request.on_headers(response);
    finish_body(*verifier, subject_);
  } catch (const Stopped&) {
    // The reader went away or the caller reports an HTTP error: nothing to say.
  } catch (...) {
    std::lock_guard lock(mutex_);
    error_ = std::current_exception();
  }
  {
    std::lock_guard lock(mutex_);
    done_ = true;
  }
  changed_.notify_all();
}

}  // namespace ft
