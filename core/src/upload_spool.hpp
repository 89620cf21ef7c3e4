// Where a large compressed upload waits between its two passes: the first
// pass (hashing) also gzip-compresses the file, and the protocol wants the
// Content-Length before the first byte goes out, so the compressed form is
// kept in an unnamed temporary file and sent from there; the file is
// compressed once instead of twice. Memory is never used for it: a
// tmpfs/ramfs directory does not count.
#pragma once

#include <cstdint>

namespace ft {

// An unnamed temporary file, open for reading and writing, on a disk-backed
// file system (TMPDIR, /var/tmp or /tmp, in that order) with room for about
// `bytes` plus a margin. Returns -1 when there is no such place: the caller
// then compresses twice, in bounded memory either way.
int open_upload_spool(std::uint64_t bytes);

}  // namespace ft
