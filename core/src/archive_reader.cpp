#include "filetracker/archive_reader.hpp"

#include <sys/stat.h>

#include <memory>
#include <streambuf>

#include "libarchive_api.hpp"

namespace ft {

namespace {

struct ReadArchiveFree {
  void operator()(archive* a) const { libarchive().archive_read_free(a); }
};
using ReadArchive = std::unique_ptr<archive, ReadArchiveFree>;

std::string libarchive_message(archive* a) {
  // libarchive's messages may quote entry names: keep them one clean line.
  const char* text = libarchive().archive_error_string(a);
  if (!text || !*text) return "unknown libarchive error";
  std::string line = text;  // some end in a newline
  while (!line.empty() && (line.back() == '\n' || line.back() == ' ')) line.pop_back();
  const std::string quoted = quoted_name(line);
  return quoted.substr(1, quoted.size() - 2);
}

// The formats and filters of the issue (plus bzip2/lzma, common and
// harmless), nothing that reads local files or runs programs.
ReadArchive new_reader(const std::string& display) {
  ReadArchive a(libarchive().archive_read_new());
  if (!a) throw Error(ErrorCode::Io, display + ": out of memory");
  libarchive().archive_read_support_format_zip(a.get());
  libarchive().archive_read_support_format_tar(a.get());
  libarchive().archive_read_support_format_7zip(a.get());
  libarchive().archive_read_support_filter_gzip(a.get());
  libarchive().archive_read_support_filter_bzip2(a.get());
  libarchive().archive_read_support_filter_xz(a.get());
  libarchive().archive_read_support_filter_lzma(a.get());
  libarchive().archive_read_support_filter_zstd(a.get());
  return a;
}

ReadArchive open_file(const std::filesystem::path& path, const std::string& display) {
  ReadArchive a = new_reader(display);
  if (libarchive().archive_read_open_filename(a.get(), path.c_str(), 1 << 16) != ARCHIVE_OK) {
    const int err = libarchive().archive_errno(a.get());
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) throw_errno(display, errno);
    if (S_ISDIR(st.st_mode)) throw Error(ErrorCode::Io, display + ": is a directory");
    if (err == ENOENT || err == EACCES) throw_errno(display, err);
    throw Error(ErrorCode::InvalidArgument, display + ": not an archive this can read (zip, tar, tar.gz, tar.bz2, "
                                                      "tar.xz, tar.zst, 7z): " + libarchive_message(a.get()));
  }
  return a;
}

ArchiveEntryType type_of(archive_entry* e) {
  if (libarchive().archive_entry_hardlink(e)) return ArchiveEntryType::Hardlink;
  switch (libarchive().archive_entry_filetype(e)) {
    case AE_IFREG: return ArchiveEntryType::File;
    case AE_IFDIR: return ArchiveEntryType::Directory;
    case AE_IFLNK: return ArchiveEntryType::Symlink;
    case AE_IFCHR:
    case AE_IFBLK: return ArchiveEntryType::Device;
    case AE_IFIFO: return ArchiveEntryType::Fifo;
    case AE_IFSOCK: return ArchiveEntryType::Socket;
    default: return ArchiveEntryType::Other;
  }
}

std::string path_of(archive_entry* e) {
  // UTF-8 when the archive says (zip's flag, pax); else the bytes as stored,
  // which name_error then judges (they must be UTF-8 too).
  if (const char* utf8 = libarchive().archive_entry_pathname_utf8(e)) return utf8;
  if (const char* raw = libarchive().archive_entry_pathname(e)) return raw;
  return {};
}

RawArchiveEntry raw_entry(archive_entry* e, const std::string& path) {
  RawArchiveEntry raw;
  raw.path = path;
  raw.type = type_of(e);
  if (libarchive().archive_entry_size_is_set(e) && libarchive().archive_entry_size(e) >= 0)
    raw.size = static_cast<std::uint64_t>(libarchive().archive_entry_size(e));
  raw.encrypted = libarchive().archive_entry_is_encrypted(e) != 0;
  return raw;
}

std::optional<Version> mtime_of(archive_entry* e) {
  if (!libarchive().archive_entry_mtime_is_set(e)) return std::nullopt;
  const Version v = libarchive().archive_entry_mtime(e);
  if (!version_in_range(v)) return std::nullopt;
  return v;
}

void check_cancel(const std::atomic<bool>* cancel, const std::string& display) {
  if (cancel && cancel->load()) throw Error(ErrorCode::Cancelled, display + ": cancelled");
}

// Pass 1 over an opened archive.
ArchiveListing list_open(archive* a, std::uint64_t archive_bytes, std::string_view remote_dir, const ArchiveLimits& limits,
                         const std::string& display, const std::atomic<bool>* cancel) {
  ArchiveListing listing;
  listing.archive_bytes = archive_bytes;
  ArchiveEntryChecker checker{std::string(remote_dir), archive_bytes, limits};
  archive_entry* e = nullptr;
  std::vector<char> scratch(1 << 16);
  for (;;) {
    check_cancel(cancel, display);
    int r = libarchive().archive_read_next_header(a, &e);
    if (r == ARCHIVE_EOF) break;
    if (r < ARCHIVE_WARN)
      throw Error(ErrorCode::InvalidArgument, display + ": damaged or unreadable archive: " + libarchive_message(a));
    if (listing.format.empty() && libarchive().archive_format_name(a))
      listing.format = libarchive().archive_format_name(a);
    const std::string path = path_of(e);
    RawArchiveEntry raw = raw_entry(e, path);
    std::optional<std::string> relative = checker.add(raw);
    if (checker.stop()) break;
    if (!relative) continue;
    ArchiveFile file{path, *relative, checker.remote_name(*relative), raw.size.value_or(0), mtime_of(e)};
    // The data too, not only the headers: a header can lie about the size,
    // and a zip's CRC-32 is checked only by reading the entry to its end;
    // found here, before anything is stored, the whole archive is refused.
    // (Decompressing twice costs little next to storing: see the note of
    // tests/bench/cli/bench_cli_archive.cpp.) An entry without a declared
    // size (a streamed zip entry) gets the bytes counted as its size.
    std::uint64_t counted = 0;
    for (;;) {
      check_cancel(cancel, display);
      la_ssize_t n = libarchive().archive_read_data(a, scratch.data(), scratch.size());
      if (n < 0) {
        checker.refuse_data(path, "damaged: " + libarchive_message(a));
        break;
      }
      if (n == 0) break;
      counted += static_cast<std::uint64_t>(n);
      if (!raw.size) {
        checker.add_unpacked(path, static_cast<std::uint64_t>(n));
        if (checker.stop()) break;
      } else if (counted > *raw.size) {
        checker.refuse_data(path, "more bytes than the archive declares (" + std::to_string(*raw.size) +
                                      "): a forged header?");
        break;
      }
    }
    if (checker.stop()) break;
    if (raw.size && counted != *raw.size) {
      checker.refuse_data(path, std::to_string(counted) + " bytes where the archive declares " +
                                    std::to_string(*raw.size) + ": damaged or forged");
      break;
    }
    file.size = counted;
    listing.files.push_back(std::move(file));
  }
  if (libarchive().archive_read_has_encrypted_entries(a) > 0 && checker.problems().empty())
    throw Error(ErrorCode::Unsupported, display + ": encrypted entries (unsupported: decrypt the archive first)");
  listing.entries = checker.entries();
  listing.unpacked_bytes = checker.unpacked_bytes();
  listing.problems = checker.problems();
  if (listing.problems.empty() && listing.format.empty() && listing.entries == 0 && libarchive().archive_format_name(a))
    listing.format = libarchive().archive_format_name(a);
  return listing;
}

// The content of the current entry, counted against what pass 1 saw.
class EntryStreamBuf : public std::streambuf {
 public:
  EntryStreamBuf(archive* a, const ArchiveFile& file, const std::string& display, const std::atomic<bool>* cancel)
      : a_(a), file_(file), display_(display), cancel_(cancel), buffer_(1 << 16) {}

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    check_cancel(cancel_, display_);
    la_ssize_t n = libarchive().archive_read_data(a_, buffer_.data(), buffer_.size());
    if (n < 0)
      throw Error(ErrorCode::InvalidArgument,
                  display_ + ": " + quoted_name(file_.entry) + ": damaged: " + libarchive_message(a_));
    if (n == 0) {
      if (got_ < file_.size)
        throw Error(ErrorCode::InvalidArgument, display_ + ": " + quoted_name(file_.entry) + ": " +
                                                    std::to_string(got_) + " bytes where the archive declared " +
                                                    std::to_string(file_.size));
      return traits_type::eof();
    }
    got_ += static_cast<std::uint64_t>(n);
    if (got_ > file_.size)
      throw Error(ErrorCode::InvalidArgument, display_ + ": " + quoted_name(file_.entry) +
                                                  ": more bytes than the archive declared (" +
                                                  std::to_string(file_.size) + "): a zip bomb? stopped there");
    setg(buffer_.data(), buffer_.data(), buffer_.data() + n);
    return traits_type::to_int_type(*gptr());
  }

 private:
  archive* a_;
  const ArchiveFile& file_;
  const std::string& display_;
  const std::atomic<bool>* cancel_;
  std::vector<char> buffer_;
  std::uint64_t got_ = 0;
};

std::uint64_t file_size_of(const std::filesystem::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return 0;
  return static_cast<std::uint64_t>(st.st_size);
}

}  // namespace

ArchiveRefused::ArchiveRefused(const std::string& archive, std::vector<ArchiveProblem> problems)
    : Error(ErrorCode::InvalidArgument, archive + ": " + describe_archive_problems(problems)),
      problems_(std::move(problems)) {}

ArchiveListing list_archive(const std::filesystem::path& archive, std::string_view remote_dir,
                            const ArchiveLimits& limits, const std::atomic<bool>* cancel) {
  const std::string display = archive.string();
  ReadArchive a = open_file(archive, display);
  return list_open(a.get(), file_size_of(archive), remote_dir, limits, display, cancel);
}

ArchiveListing list_archive_memory(const void* data, std::size_t size, std::string_view remote_dir,
                                   const ArchiveLimits& limits, std::string_view display) {
  const std::string name(display);
  ReadArchive a = new_reader(name);
  if (libarchive().archive_read_open_memory(a.get(), data, size) != ARCHIVE_OK)
    throw Error(ErrorCode::InvalidArgument, name + ": not an archive this can read: " + libarchive_message(a.get()));
  return list_open(a.get(), size, remote_dir, limits, name, nullptr);
}

namespace {

// Pass 2 over an opened archive.
void read_open(archive* a, const std::string& display, const ArchiveListing& listing, const ArchiveFileSink& sink,
               const std::atomic<bool>* cancel) {
  // The same rules again, to see the same files in the same order.
  ArchiveLimits unlimited;
  unlimited.max_entries = ~std::uint64_t{0};
  unlimited.max_unpacked_bytes = ~std::uint64_t{0};
  unlimited.max_ratio = 1e300;
  // (Its archive size is 0: without this every file over the floor would pass the ratio.)
  unlimited.ratio_floor_bytes = ~std::uint64_t{0};
  ArchiveEntryChecker checker{"/", 0, unlimited};
  const auto changed = [&] {
    return Error(ErrorCode::InvalidArgument, display + ": the archive changed while it was being read; nothing more stored");
  };
  std::size_t next = 0;
  archive_entry* e = nullptr;
  for (;;) {
    check_cancel(cancel, display);
    int r = libarchive().archive_read_next_header(a, &e);
    if (r == ARCHIVE_EOF) break;
    if (r < ARCHIVE_WARN)
      throw Error(ErrorCode::InvalidArgument, display + ": damaged or unreadable archive: " + libarchive_message(a));
    const std::string path = path_of(e);
    RawArchiveEntry raw = raw_entry(e, path);
    std::optional<std::string> relative = checker.add(raw);
    if (!checker.problems().empty()) throw changed();
    if (!relative) continue;
    if (next >= listing.files.size()) throw changed();
    const ArchiveFile& file = listing.files[next++];
    if (*relative != file.relative || (raw.size && *raw.size != file.size)) throw changed();
    EntryStreamBuf buf(a, file, display, cancel);
    std::istream content(&buf);
    content.exceptions(std::ios::badbit);
    sink(file, content);
  }
  if (next != listing.files.size()) throw changed();
}

}  // namespace

void read_archive_files(const std::filesystem::path& archive, const ArchiveListing& listing,
                        const ArchiveFileSink& sink, const std::atomic<bool>* cancel) {
  const std::string display = archive.string();
  if (listing.refused()) throw ArchiveRefused(display, listing.problems);
  ReadArchive a = open_file(archive, display);
  read_open(a.get(), display, listing, sink, cancel);
}

void read_archive_memory_files(const void* data, std::size_t size, const ArchiveListing& listing,
                               const ArchiveFileSink& sink, std::string_view display) {
  const std::string name(display);
  if (listing.refused()) throw ArchiveRefused(name, listing.problems);
  ReadArchive a = new_reader(name);
  if (libarchive().archive_read_open_memory(a.get(), data, size) != ARCHIVE_OK)
    throw Error(ErrorCode::InvalidArgument, name + ": not an archive this can read: " + libarchive_message(a.get()));
  read_open(a.get(), name, listing, sink, nullptr);
}

}  // namespace ft
