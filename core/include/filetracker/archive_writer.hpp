// Writing an archive of store files (libarchive): zip, tar, tar.gz, tar.zst.
//
// Entries stream in one by one (nothing is held in memory but libarchive's
// buffers); each entry's mtime is the file's version, so unpacking the
// archive into the store again keeps the versions. Tar is written in the
// restricted pax format (UTF-8 names, any size, exact mtimes); zip carries
// the extended-timestamp field next to the DOS time, so its mtimes are exact
// to the second too.
//
// To a path the archive is written atomically (AtomicFile): nothing appears
// under the destination until commit(), and a failure, a cancel or a kill
// before that leaves no file at all.
#pragma once

#include <cstdint>
#include <filesystem>
#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "filetracker/name.hpp"

struct archive;

namespace ft {

class AtomicFile;

enum class ArchiveFormat { Zip, Tar, TarGz, TarZst };

// The format OUT's name asks for: .zip, .tar, .tar.gz or .tgz, .tar.zst
// (case-insensitive); nullopt for anything else.
std::optional<ArchiveFormat> archive_format_for(std::string_view path);
// "zip", "tar", "tar.gz", "tar.zst".
std::string archive_format_name(ArchiveFormat format);

class ArchiveWriter {
 public:
  // To `destination`, atomically. Throws Error(Io).
  ArchiveWriter(const std::filesystem::path& destination, ArchiveFormat format);
  // To the open descriptor `fd` (standard output), as it goes; `display`
  // names it in messages. The caller keeps `fd`.
  ArchiveWriter(int fd, ArchiveFormat format, std::string display);
  // Without commit(): the temp file is discarded.
  ~ArchiveWriter();
  ArchiveWriter(const ArchiveWriter&) = delete;
  ArchiveWriter& operator=(const ArchiveWriter&) = delete;

  // One regular file, `relative` ("a/b.txt") with `size` bytes read from
  // `content`. Throws Error(Io) for a write failure, Error(Protocol) when
  // `content` holds another number of bytes than `size` (and whatever its
  // reads throw).
  void add_file(std::string_view relative, Version mtime, std::uint64_t size, std::istream& content);
  // Finishes the archive and, for a path, links it in under its name.
  void commit();

 private:
  static long write_callback(archive*, void* self, const void* data, std::size_t size);
  void write_out(const void* data, std::size_t size);
  void open(ArchiveFormat format);
  [[noreturn]] void fail(const std::string& what);

  std::string display_;
  std::unique_ptr<AtomicFile> file_;
  int fd_ = -1;
  archive* archive_ = nullptr;
  bool committed_ = false;
  bool discarding_ = false;
  std::string write_error_;
};

}  // namespace ft
