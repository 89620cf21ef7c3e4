#include "filetracker/archive_writer.hpp"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <vector>

#include "filetracker/atomic_file.hpp"
#include "filetracker/error.hpp"
#include "libarchive_api.hpp"

namespace ft {

namespace {

bool ends_with_nocase(std::string_view text, std::string_view suffix) {
  if (text.size() < suffix.size()) return false;
  return std::equal(suffix.begin(), suffix.end(), text.end() - static_cast<std::ptrdiff_t>(suffix.size()),
                    [](char s, char t) { return std::tolower(static_cast<unsigned char>(t)) == s; });
}

}  // namespace

la_ssize_t ArchiveWriter::write_callback(archive*, void* self, const void* data, size_t size) {
  auto* writer = static_cast<ArchiveWriter*>(self);
  try {
    writer->write_out(data, size);
    return static_cast<la_ssize_t>(size);
  } catch (const std::exception& e) {
    writer->write_error_ = e.what();  // fail() reports it instead of libarchive's "write error"
    return -1;
  }
}

std::optional<ArchiveFormat> archive_format_for(std::string_view path) {
  if (ends_with_nocase(path, ".zip")) return ArchiveFormat::Zip;
  if (ends_with_nocase(path, ".tar.gz") || ends_with_nocase(path, ".tgz")) return ArchiveFormat::TarGz;
  if (ends_with_nocase(path, ".tar.zst")) return ArchiveFormat::TarZst;
  if (ends_with_nocase(path, ".tar")) return ArchiveFormat::Tar;
  return std::nullopt;
}

std::string archive_format_name(ArchiveFormat format) {
  switch (format) {
    case ArchiveFormat::Zip: return "zip";
    case ArchiveFormat::Tar: return "tar";
    case ArchiveFormat::TarGz: return "tar.gz";
    case ArchiveFormat::TarZst: return "tar.zst";
  }
  return "tar";
}

ArchiveWriter::ArchiveWriter(const std::filesystem::path& destination, ArchiveFormat format)
    : display_(destination.string()), file_(std::make_unique<AtomicFile>(destination)) {
  open(format);
}

ArchiveWriter::ArchiveWriter(int fd, ArchiveFormat format, std::string display) : display_(std::move(display)), fd_(fd) {
  open(format);
}

ArchiveWriter::~ArchiveWriter() {
  // Freeing also closes, which writes the trailer: an unfinished archive
  // must not end like a whole one (on stdout), so nothing more goes out.
  discarding_ = !committed_;
  if (archive_) libarchive().archive_write_free(archive_);  // a temp file goes with file_
}

void ArchiveWriter::fail(const std::string& what) {
  if (!write_error_.empty()) throw Error(ErrorCode::Io, write_error_);
  const char* text = archive_ ? libarchive().archive_error_string(archive_) : nullptr;
  throw Error(ErrorCode::Io, display_ + ": " + what + (text && *text ? std::string(": ") + text : std::string()));
}

void ArchiveWriter::open(ArchiveFormat format) {
  archive_ = libarchive().archive_write_new();
  if (!archive_) throw Error(ErrorCode::Io, display_ + ": out of memory");
  int r = ARCHIVE_OK;
  switch (format) {
    case ArchiveFormat::Zip:
      r = libarchive().archive_write_set_format_zip(archive_);
      break;
    case ArchiveFormat::Tar:
      r = libarchive().archive_write_set_format_pax_restricted(archive_);
      break;
    case ArchiveFormat::TarGz:
      r = libarchive().archive_write_set_format_pax_restricted(archive_);
      if (r == ARCHIVE_OK) r = libarchive().archive_write_add_filter_gzip(archive_);
      break;
    case ArchiveFormat::TarZst:
      r = libarchive().archive_write_set_format_pax_restricted(archive_);
      if (r == ARCHIVE_OK) r = libarchive().archive_write_add_filter_zstd(archive_);
      break;
  }
  if (r != ARCHIVE_OK) fail("cannot set up the " + archive_format_name(format) + " writer");
  // Tar's last block is not padded to 10 KiB (no reader needs it).
  libarchive().archive_write_set_bytes_in_last_block(archive_, 1);
  if (libarchive().archive_write_open2(archive_, this, nullptr, write_callback, nullptr, nullptr) != ARCHIVE_OK)
    fail("cannot start the archive");
}

void ArchiveWriter::write_out(const void* data, std::size_t size) {
  if (discarding_) return;
  if (file_) {
    file_->write(data, size);
    return;
  }
  const char* p = static_cast<const char*>(data);
  while (size > 0) {
    ssize_t n = ::write(fd_, p, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_errno(display_ + ": write failed");
    }
    p += n;
    size -= static_cast<std::size_t>(n);
  }
}

void ArchiveWriter::add_file(std::string_view relative, Version mtime, std::uint64_t size, std::istream& content) {
  struct EntryFree {
    void operator()(archive_entry* e) const { libarchive().archive_entry_free(e); }
  };
  std::unique_ptr<archive_entry, EntryFree> entry(libarchive().archive_entry_new());
  const std::string path(relative);
  libarchive().archive_entry_set_pathname_utf8(entry.get(), path.c_str());
  // libarchive's writers want the name in the locale's charset: a program
  // in the C locale cannot write a non-ASCII name (the CLI picks C.UTF-8).
  if (!libarchive().archive_entry_pathname(entry.get()))
    throw Error(ErrorCode::InvalidArgument, display_ + ": " + quoted_name(path) +
                                                ": the name cannot be written in this locale's character set "
                                                "(run with a UTF-8 locale)");
  libarchive().archive_entry_set_filetype(entry.get(), AE_IFREG);
  libarchive().archive_entry_set_perm(entry.get(), 0644);
  libarchive().archive_entry_set_size(entry.get(), static_cast<la_int64_t>(size));
  libarchive().archive_entry_set_mtime(entry.get(), static_cast<time_t>(mtime), 0);
  if (libarchive().archive_write_header(archive_, entry.get()) < ARCHIVE_WARN)
    fail(quoted_name(path) + ": cannot write the entry");
  std::vector<char> buffer(1 << 16);
  std::uint64_t written = 0;
  while (content) {
    content.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    const auto n = static_cast<std::size_t>(content.gcount());
    if (n == 0) continue;
    if (written + n > size)
      throw Error(ErrorCode::Protocol, display_ + ": " + quoted_name(path) + ": more than the " + std::to_string(size) +
                                           " bytes listed");
    if (libarchive().archive_write_data(archive_, buffer.data(), n) != static_cast<la_ssize_t>(n))
      fail(quoted_name(path) + ": write failed");
    written += n;
  }
  if (written != size)
    throw Error(ErrorCode::Protocol, display_ + ": " + quoted_name(path) + ": " + std::to_string(written) +
                                         " bytes where " + std::to_string(size) + " were listed");
  if (libarchive().archive_write_finish_entry(archive_) < ARCHIVE_WARN)
    fail(quoted_name(path) + ": cannot finish the entry");
}

void ArchiveWriter::commit() {
  if (committed_) return;
  if (libarchive().archive_write_close(archive_) != ARCHIVE_OK) fail("cannot finish the archive");
  if (file_) file_->commit();
  committed_ = true;
}

}  // namespace ft
