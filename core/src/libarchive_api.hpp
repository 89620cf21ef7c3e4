// The part of libarchive core uses, opened on first use (shared_library.hpp
// says why). Call it as libarchive().archive_read_new(); the names and types
// are libarchive's own, taken from <archive.h> and <archive_entry.h>.
#pragma once

#include <archive.h>
#include <archive_entry.h>

namespace ft {

#define FT_LIBARCHIVE_FUNCTIONS(X)         \
  X(archive_errno)                         \
  X(archive_error_string)                  \
  X(archive_format_name)                   \
  X(archive_read_new)                      \
  X(archive_read_free)                     \
  X(archive_read_support_format_zip)       \
  X(archive_read_support_format_tar)       \
  X(archive_read_support_format_7zip)      \
  X(archive_read_support_filter_gzip)      \
  X(archive_read_support_filter_bzip2)     \
  X(archive_read_support_filter_xz)        \
  X(archive_read_support_filter_lzma)      \
  X(archive_read_support_filter_zstd)      \
  X(archive_read_open_filename)            \
  X(archive_read_open_memory)              \
  X(archive_read_next_header)              \
  X(archive_read_data)                     \
  X(archive_read_has_encrypted_entries)    \
  X(archive_write_new)                     \
  X(archive_write_free)                    \
  X(archive_write_set_format_zip)          \
  X(archive_write_set_format_pax_restricted) \
  X(archive_write_add_filter_gzip)         \
  X(archive_write_add_filter_zstd)         \
  X(archive_write_set_bytes_in_last_block) \
  X(archive_write_open2)                   \
  X(archive_write_header)                  \
  X(archive_write_data)                    \
  X(archive_write_finish_entry)            \
  X(archive_write_close)                   \
  X(archive_entry_new)                     \
  X(archive_entry_free)                    \
  X(archive_entry_filetype)                \
  X(archive_entry_hardlink)                \
  X(archive_entry_is_encrypted)            \
  X(archive_entry_mtime)                   \
  X(archive_entry_mtime_is_set)            \
  X(archive_entry_pathname)                \
  X(archive_entry_pathname_utf8)           \
  X(archive_entry_size)                    \
  X(archive_entry_size_is_set)             \
  X(archive_entry_set_filetype)            \
  X(archive_entry_set_mtime)               \
  X(archive_entry_set_pathname_utf8)       \
  X(archive_entry_set_perm)                \
  X(archive_entry_set_size)

struct LibArchive {
#define FT_LIBARCHIVE_FIELD(name) decltype(&::name) name = nullptr;
  FT_LIBARCHIVE_FUNCTIONS(FT_LIBARCHIVE_FIELD)
#undef FT_LIBARCHIVE_FIELD
};

// libarchive, loaded the first time (thread-safe). Throws Error(Unsupported)
// in one line when it cannot be loaded, and again on every later call.
const LibArchive& libarchive();

}  // namespace ft
