// What a request handler answers with: a value, no I/O. The connection
// writes a TextReply itself and hands a FileReply to the blob sender.
//
//   TextReply  status, Content-Type, extra headers, a body in memory: errors,
//              listings, /version, the answer to a write. A redirect (307 with
//              a Location header) is a TextReply too.
//   FileReply  a stored file (GET/HEAD /files): record, blob, encoding.
//   Answer     a Reply now, or a PendingReply: work (a storage write) whose
//              completion, on any thread, brings the Reply.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "filetracker/server/storage.hpp"

namespace ft::server {

struct TextReply {
  int status = 200;
  std::string content_type = "text/plain";
  // Besides Content-Type, Content-Length and Connection (the connection's).
  std::vector<std::pair<std::string, std::string>> headers;
  // What a GET gets. A HEAD gets the same headers (Content-Length of this
  // body) and no body.
  std::string body;
};

// A stored file as the 200 answer to GET or HEAD. Owns the blob's file
// descriptor (closed with the reply).
class FileReply {
 public:
  // `gzip`: send the blob as stored (Content-Encoding: gzip), else its
  // decompressed content. `checksum_header`: add SHA256-Checksum and Vary
  // (our extensions).
  FileReply(Storage::OpenFile file, bool gzip, bool checksum_header)
      : file_(std::move(file)), gzip_(gzip), checksum_header_(checksum_header) {}
  FileReply(FileReply&& other) noexcept
      : file_(std::move(other.file_)), gzip_(other.gzip_), checksum_header_(other.checksum_header_) {
    other.file_.blob.fd = -1;
  }
  FileReply& operator=(FileReply&& other) noexcept {
    std::swap(file_, other.file_);
    std::swap(gzip_, other.gzip_);
    std::swap(checksum_header_, other.checksum_header_);
    return *this;
  }
  ~FileReply();

  const FileRecord& record() const { return file_.record; }
  // The whole stored blob when it is small (from memory); else nullptr and
  // blob_fd() is open.
  const std::shared_ptr<const std::string>& cached_blob() const { return file_.small_blob; }
  int blob_fd() const { return file_.blob.fd; }
  std::uint64_t stored_size() const { return file_.small_blob ? file_.small_blob->size() : file_.blob.stored_size; }
  bool gzip() const { return gzip_; }
  bool checksum_header() const { return checksum_header_; }

 private:
  Storage::OpenFile file_;
  bool gzip_;
  bool checksum_header_;
};

using Reply = std::variant<TextReply, FileReply>;
// Runs exactly once, on any thread.
using ReplyCallback = std::function<void(Reply)>;

// A reply that comes later: start() begins the work and hands `done` to it.
class PendingReply {
 public:
  virtual ~PendingReply() = default;
  virtual void start(ReplyCallback done) = 0;
};

struct Answer {
  Answer(Reply reply) : now(std::move(reply)) {}
  Answer(TextReply reply) : now(std::move(reply)) {}
  Answer(FileReply reply) : now(std::move(reply)) {}
  // `start(ReplyCallback)` runs once; it may own move-only state (an upload).
  template <typename Start>
  static Answer later(Start start);

  std::optional<Reply> now;
  std::unique_ptr<PendingReply> pending;  // set when `now` is not

 private:
  Answer() = default;
};

template <typename Start>
Answer Answer::later(Start start) {
  struct Pending final : PendingReply {
    explicit Pending(Start s) : start_(std::move(s)) {}
    void start(ReplyCallback done) override { start_(std::move(done)); }
    Start start_;
  };
  Answer answer;
  answer.pending = std::make_unique<Pending>(std::move(start));
  return answer;
}

}  // namespace ft::server
