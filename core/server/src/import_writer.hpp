// The part of an import that writes our data directory: takes the
// directory's lock (through Storage), places verified blobs from temporary
// files and commits the index in batches, with the same ordering as the
// storage's writer: blobs renamed into place, made durable (one syncfs per
// batch), then the index transaction. A crash leaves committed batches plus
// unreferenced blobs and temporaries, which the next start (of a server or
// an import) removes.
//
// Used by import_upstream.cpp and import_tree.cpp; one thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "filetracker/server/file_record.hpp"
#include "filetracker/server/import.hpp"
#include "filetracker/server/storage.hpp"

namespace ft::server {

// What the blob of a file decompressed to.
struct BlobCheck {
  std::string sha256;   // of the decompressed content
  std::uint64_t size = 0;
};
// Decompresses the gzip file `fd` from offset 0, hashing the content.
// Throws Error(Protocol) when it is not gzip, Error(Io) on a read error.
BlobCheck check_gzip_fd(int fd, const std::string& what);

class ImportWriter {
 public:
  ImportWriter(const std::filesystem::path& data_dir, ImportReport& report);
  ~ImportWriter();  // discards temporaries of an unflushed batch
  ImportWriter(const ImportWriter&) = delete;
  ImportWriter& operator=(const ImportWriter&) = delete;

  enum class Decision { Import, Unchanged, KeepNewer };
  // Compares with what is stored under `name`. `sha256` empty: not known
  // yet (plain files): the same version counts as unchanged.
  Decision decide(const std::string& name, Version version, const std::string& sha256);

  // The logical size of blob `sha256` when our store holds it already
  // (placed by this run, or stored before); nullopt when it does not.
  // A blob stored before is decompressed once to learn its size.
  std::optional<std::uint64_t> stored_blob_size(const std::string& sha256);
  // A blob this run found bad: its reason (nullptr when not known bad).
  const std::string* known_bad(const std::string& sha256) const;
  void mark_bad(const std::string& sha256, std::string reason) { bad_[sha256] = std::move(reason); }

  // A fresh temporary path in our blob store's tmp/ (same file system as the blobs).
  std::filesystem::path temp_path();
  // Queues `record`. `temp_blob`: its verified blob in a temporary file
  // (moved into place at the flush); empty: the blob is already stored.
  void add(FileRecord record, std::filesystem::path temp_blob = {});
  // Commits the queued records. Throws Error on a failure of our storage
  // (a full disk, an I/O error): that ends the import.
  void flush();
  std::size_t queued() const { return pending_.size(); }

 private:
  struct Pending {
    FileRecord record;
    std::filesystem::path temp_blob;
  };
  std::filesystem::path blob_path(const std::string& sha256) const;

  ImportReport& report_;
  std::filesystem::path blobs_root_;
  Storage storage_;  // the lock, the start-up clean-up, the index
  int blobs_fd_ = -1;
  std::vector<Pending> pending_;
  std::unordered_map<std::string, std::uint64_t> placed_;  // verified blobs in our store: sha -> logical size
  std::unordered_map<std::string, std::string> bad_;       // sha -> reason
  std::uint64_t temp_counter_ = 0;
};

}  // namespace ft::server
