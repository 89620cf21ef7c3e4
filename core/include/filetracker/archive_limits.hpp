// Bounds on what an archive may unpack into the store (zip bombs and their
// kin). Every bound is checked twice: against the sizes the archive's
// headers declare, before anything is stored, and against the bytes that
// actually come out while streaming, since a header can lie.
#pragma once

#include <cstdint>

namespace ft {

struct ArchiveLimits {
  // Entries of any kind (files, directories, refused ones).
  std::uint64_t max_entries = 100'000;
  // Unpacked bytes of all files together.
  std::uint64_t max_unpacked_bytes = std::uint64_t{16} << 30;  // 16 GiB
  // Unpacked bytes per byte of archive. Deflate cannot exceed about 1,032:1
  // for honest data, so a higher ratio means overlapping entries or a
  // stacked filter. Only checked above `ratio_floor_bytes` unpacked, where a
  // tiny archive of one highly compressible file would otherwise trip it.
  double max_ratio = 1000.0;
  std::uint64_t ratio_floor_bytes = std::uint64_t{1} << 20;  // 1 MiB
};

}  // namespace ft
