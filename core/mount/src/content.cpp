#include "filetracker/mount/content.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <ios>

#include "filetracker/error.hpp"

namespace ft::mount {

namespace {

// How far back a streamed file can be re-read without restarting: a little
// more than the kernel's read-ahead window, whose requests may arrive out of
// order on libfuse's worker threads.
constexpr std::size_t kWindow = 4u << 20;

}  // namespace

CachedContent::~CachedContent() {
  if (fd_ >= 0) ::close(fd_);
}

std::size_t CachedContent::read(char* buffer, std::size_t size, std::uint64_t offset) const {
  std::size_t done = 0;
  while (done < size) {
    ssize_t n = ::pread(fd_, buffer + done, size - done, static_cast<off_t>(offset + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_errno("cannot read the cached file");
    }
    if (n == 0) break;
    done += static_cast<std::size_t>(n);
  }
  return done;
}

std::shared_ptr<CachedContent> ContentFetcher::get(const std::string& versioned) {
  std::shared_future<std::shared_ptr<CachedContent>> pending;
  std::promise<std::shared_ptr<CachedContent>> promise;
  bool fetching = false;
  {
    std::lock_guard lock(mutex_);
    if (auto it = open_.find(versioned); it != open_.end()) {
      if (auto content = it->second.lock()) return content;
      open_.erase(it);
    }
    if (auto it = in_flight_.find(versioned); it != in_flight_.end()) {
      pending = it->second;
    } else {
      pending = promise.get_future().share();
      in_flight_[versioned] = pending;
      fetching = true;
      ++fetches_;
    }
  }
  if (!fetching) return pending.get();  // rethrows the fetch's error

  std::shared_ptr<CachedContent> content;
  std::exception_ptr error;
  try {
    content = fetch(versioned);
  } catch (...) {
    error = std::current_exception();
  }
  {
    std::lock_guard lock(mutex_);
    in_flight_.erase(versioned);
    if (content) open_[versioned] = content;
    // Forget the versions no open file holds any more.
    for (auto it = open_.begin(); it != open_.end();) it = it->second.expired() ? open_.erase(it) : std::next(it);
  }
  if (error) {
    promise.set_exception(error);
    std::rethrow_exception(error);
  }
  promise.set_value(content);
  return content;
}

std::uint64_t ContentFetcher::fetch_count() const {
  std::lock_guard lock(mutex_);
  return fetches_;
}

std::shared_ptr<CachedContent> ContentFetcher::fetch(const std::string& versioned) {
  const std::filesystem::path link = temp_.unique_path("fetch");
  {
    auto lease = pool_.acquire();
    lease->get_file(versioned, link);
  }
  int fd = ::open(link.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  int open_errno = errno;
  ::unlink(link.c_str());
  if (fd < 0) throw_errno(link.string() + ": cannot open the fetched file", open_errno);
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    throw_errno(link.string() + ": cannot stat the fetched file", err);
  }
  return std::make_shared<CachedContent>(fd, static_cast<std::uint64_t>(st.st_size));
}

StreamedContent::StreamedContent(Opener open, std::uint64_t size) : open_(std::move(open)), size_(size) {}

StreamedContent::~StreamedContent() = default;

void StreamedContent::restart() {
  stream_.reset();  // cancels the old transfer first
  DataStore::Stream stream = open_();
  stream_ = std::move(stream.stream);
  stream_->exceptions(std::ios::badbit);
  position_ = 0;
  window_.clear();
  ++opens_;
}

std::size_t StreamedContent::read_stream(char* buffer, std::size_t size) {
  std::size_t done = 0;
  try {
    while (done < size && *stream_) {
      stream_->read(buffer + done, static_cast<std::streamsize>(size - done));
      done += static_cast<std::size_t>(stream_->gcount());
    }
  } catch (const Error&) {
    stream_.reset();  // the next read starts over
    throw;
  } catch (const std::ios_base::failure& e) {
    stream_.reset();
    throw Error(ErrorCode::Io, std::string("reading the stream failed: ") + e.what());
  }
  position_ += done;
  window_.insert(window_.end(), buffer, buffer + done);
  if (window_.size() > 2 * kWindow) window_.erase(window_.begin(), window_.end() - kWindow);
  return done;
}

std::size_t StreamedContent::read(char* buffer, std::size_t size, std::uint64_t offset) {
  std::lock_guard lock(mutex_);
  if (!stream_ || offset + window_.size() < position_) restart();
  std::size_t done = 0;
  if (offset < position_) {
    // Still in the window of bytes just read.
    std::uint64_t window_start = position_ - window_.size();
    std::size_t from = static_cast<std::size_t>(offset - window_start);
    done = std::min(size, window_.size() - from);
    std::copy_n(window_.begin() + static_cast<std::ptrdiff_t>(from), done, buffer);
    if (done == size) return done;
  } else {
    // Skip ahead to `offset`.
    std::vector<char> scratch(std::min<std::uint64_t>(offset - position_, 1u << 20));
    while (position_ < offset) {
      std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(scratch.size(), offset - position_));
      if (read_stream(scratch.data(), want) < want) return 0;  // the file ends before `offset`
    }
  }
  return done + read_stream(buffer + done, size - done);
}

}  // namespace ft::mount
