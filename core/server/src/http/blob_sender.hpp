// Sends a FileReply (a stored file as the 200 answer to GET or HEAD) on a
// connection's stream. The header is written by hand (it is the same for
// every mode); the body goes out the cheapest way for the case:
//
//   HEAD                        the header alone
//   gzip, blob in memory        header and blob in one write (the hot path:
//                               small files, which should cost what nginx pays)
//   gzip, blob file             the header, then sendfile(2) of the blob
//   plain, small content        decompressed in memory, then one write
//   plain, otherwise            decompressed chunk by chunk (bounded memory)
//
// One sender per connection, reused for each of its answers.
#pragma once

#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/error.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "filetracker/gzip.hpp"
#include "filetracker/server/log.hpp"
#include "http/reply.hpp"

namespace ft::server {

template <typename Stream>
class BlobSender {
 public:
  struct Result {
    bool complete = true;              // false: the answer was cut off; close the connection
    boost::beast::error_code error;    // the stream's error when it was (none: our blob's fault)
    bool keep_alive = true;            // false: the body did not match its header; close after it
    std::uint64_t bytes = 0;           // written to the stream
    LogLevel problem_level = LogLevel::Warning;
    std::string problem;               // set: what went wrong, for the log
  };
  using Done = std::function<void(Result)>;

  // `done` runs once per send(), on the stream's executor.
  BlobSender(Stream& stream, std::chrono::seconds timeout, Done done)
      : stream_(stream), timeout_(timeout), done_(std::move(done)) {}

  // Sends `file`; `owner` (the connection) is kept alive until `done` ran.
  // Throws, having written nothing, when a small blob does not decompress
  // to the file's size (the caller answers with an error instead).
  void send(FileReply file, bool keep_alive, bool head, std::shared_ptr<void> owner);

 private:
  enum class Then { Finish, SendBlobFile, SendDecompressed };
  // Writes the header and `body` together, then goes on with `then`.
  void write_header(std::string_view body, Then then, std::shared_ptr<void> owner);
  void send_blob_file(std::shared_ptr<void> owner);
  void send_blob_through_stream(std::shared_ptr<void> owner);
  void send_decompressed(std::shared_ptr<void> owner);
  void fail(boost::beast::error_code error);
  void finish();

  Stream& stream_;
  std::chrono::seconds timeout_;
  Done done_;
  Result result_;
  std::optional<FileReply> file_;
  std::string header_;
  std::string plain_;  // decompressed content (small) or the current chunk of it
  std::optional<boost::asio::steady_timer> timer_;  // sendfile waiting for the socket
  off_t offset_ = 0;                                // into the blob
  std::uint64_t remaining_ = 0;                     // sendfile: bytes of the blob still to send
  std::unique_ptr<GzipDecoder> decoder_;
  std::unique_ptr<char[]> chunk_;
  std::uint64_t plain_sent_ = 0;
  bool eof_ = false;
};

}  // namespace ft::server
