// Default implementations of DataStore::add_file and DataStore::get_file in
// terms of the stream methods (the seed's DataStore does the same).
#include "filetracker/data_store.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <vector>

#include "filetracker/atomic_file.hpp"
#include "filetracker/error.hpp"

namespace ft {

std::string DataStore::add_file(std::string_view name, const std::filesystem::path& file, bool) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    throw Error(ErrorCode::Io, file.string() + ": cannot open: " + std::strerror(errno));
  }
  return add_stream(name, in);
}

std::string DataStore::get_file(std::string_view name, const std::filesystem::path& destination) {
  Stream got = get_stream(name);
  const SplitName split = split_name(got.versioned_name);
  AtomicFile out(destination);
  std::vector<char> buffer(256 * 1024);
  std::istream& in = *got.stream;
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    if (in.gcount() > 0) out.write(buffer.data(), static_cast<std::size_t>(in.gcount()));
  }
  if (in.bad()) throw Error(ErrorCode::Io, std::string(name) + ": read error while fetching the content");
  // The file's mtime carries the version, as in the local cache, so the file
  // can be hard-linked into a cache afterwards.
  out.commit(split.version ? *split.version : -1);
  return got.versioned_name;
}

}  // namespace ft
