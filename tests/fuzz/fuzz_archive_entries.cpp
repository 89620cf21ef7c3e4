// Archives (issue 13): whatever bytes put --extract is given, the reader
// (libarchive with our formats and filters) and the entry rules either
// refuse them with one-line reasons, or list files whose store names are
// valid, below the target directory, unique, and within the limits; pass 2
// then yields exactly the bytes pass 1 counted, or throws ft::Error.
// The same bytes also go straight to the entry rules as a list of
// "TYPE PATH" lines, which reaches rules libarchive would rarely produce.
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "filetracker/archive_entry_check.hpp"
#include "filetracker/archive_reader.hpp"
#include "filetracker/error.hpp"
#include "filetracker/name.hpp"

namespace {

void check_message(const ft::ArchiveProblem& p) {
  const std::string m = p.message();
  for (unsigned char c : m)
    if (c < 0x20 || c == 0x7f) __builtin_trap();  // one printable line
}

void check_file(const std::string& name, const std::string& relative, std::set<std::string>& seen) {
  if (ft::name_error(name, false)) __builtin_trap();
  if (name.rfind("/pkg/", 0) != 0 || name.substr(5) != relative) __builtin_trap();
  if (ft::archive_path_error(relative)) __builtin_trap();
  if (!seen.insert(relative).second) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  ft::ArchiveLimits limits;
  limits.max_entries = 2000;
  limits.max_unpacked_bytes = 32 << 20;
  limits.max_ratio = 200;
  limits.ratio_floor_bytes = 1 << 16;
  try {
    ft::ArchiveListing listing = ft::list_archive_memory(data, size, "/pkg", limits);
    for (const auto& p : listing.problems) check_message(p);
    if (!listing.refused()) {
      std::set<std::string> seen;
      std::uint64_t total = 0;
      for (const auto& f : listing.files) {
        check_file(f.name, f.relative, seen);
        total += f.size;
      }
      if (total != listing.unpacked_bytes || total > limits.max_unpacked_bytes) __builtin_trap();
      if (listing.entries > limits.max_entries) __builtin_trap();
      std::size_t index = 0;
      try {
        ft::read_archive_memory_files(data, size, listing, [&](const ft::ArchiveFile& f, std::istream& in) {
          if (&f != &listing.files[index]) __builtin_trap();
          ++index;
          char buffer[4096];
          std::uint64_t got = 0;
          while (in) {
            in.read(buffer, sizeof buffer);
            got += static_cast<std::uint64_t>(in.gcount());
          }
          if (got != f.size) __builtin_trap();  // the stream throws rather than yield other bytes
        });
      } catch (const ft::Error&) {
      }
    }
  } catch (const ft::Error&) {
  }

  // The rules alone: lines "TYPE PATH", TYPE a digit (the entry type), with
  // a declared size of the line's length.
  ft::ArchiveEntryChecker checker("/pkg", size, limits);
  std::set<std::string> seen;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  while (!text.empty() && !checker.stop()) {
    std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    if (line.empty()) continue;
    ft::RawArchiveEntry entry;
    entry.type = static_cast<ft::ArchiveEntryType>(static_cast<unsigned char>(line[0]) % 8);
    entry.path = line.substr(1);
    entry.size = line.size();
    entry.encrypted = line.size() % 17 == 0;
    if (auto relative = checker.add(entry)) check_file(checker.remote_name(*relative), *relative, seen);
  }
  for (const auto& p : checker.problems()) check_message(p);
  return 0;
}
