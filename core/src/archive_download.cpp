#include "filetracker/archive_download.hpp"

#include <set>
#include <streambuf>

#include "filetracker/error.hpp"

namespace ft {

namespace {

std::string folder_prefix(std::string_view folder) {
  std::string f(folder);
  while (f.size() > 1 && f.back() == '/') f.pop_back();
  return f == "/" ? "/" : f + "/";
}

void check_folder(std::string_view folder) {
  std::string f(folder);
  while (f.size() > 1 && f.back() == '/') f.pop_back();
  if (f != "/") check_name(f, false);
}

std::vector<RemoteEntry> list_below(RemoteDataStore& remote, std::string_view folder) {
  try {
    return remote.list(folder, true, true).files;
  } catch (const Error& e) {
    if (e.code() == ErrorCode::Http && e.http_status() == 400)
      throw Error(ErrorCode::NotFound, std::string(folder) + ": no such directory on the server");
    throw;
  }
}

// Counts what goes through, calling `tick` with the running total.
class CountingBuf : public std::streambuf {
 public:
  CountingBuf(std::istream& in, std::function<void(std::uint64_t)> tick) : in_(in), tick_(std::move(tick)), buffer_(1 << 16) {}

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    in_.read(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
    const auto n = in_.gcount();
    if (n <= 0) return traits_type::eof();
    done_ += static_cast<std::uint64_t>(n);
    tick_(done_);
    setg(buffer_.data(), buffer_.data(), buffer_.data() + n);
    return traits_type::to_int_type(*gptr());
  }

 private:
  std::istream& in_;
  std::function<void(std::uint64_t)> tick_;
  std::vector<char> buffer_;
  std::uint64_t done_ = 0;
};

}  // namespace

std::vector<ArchiveItem> plan_folder_archive(RemoteDataStore& remote, std::string_view folder) {
  check_folder(folder);
  const std::string prefix = folder_prefix(folder);
  std::vector<ArchiveItem> items;
  for (const RemoteEntry& e : list_below(remote, folder)) {
    if (e.name.compare(0, prefix.size(), prefix) != 0) continue;
    items.push_back(ArchiveItem{e.name, e.name.substr(prefix.size()), e.version, e.size});
  }
  if (items.empty()) throw Error(ErrorCode::NotFound, std::string(folder) + ": no files to archive there");
  return items;
}

std::vector<ArchiveItem> plan_selection_archive(RemoteDataStore& remote, std::string_view folder,
                                                const std::vector<std::string>& files,
                                                const std::vector<std::string>& directories) {
  check_folder(folder);
  const std::string prefix = folder_prefix(folder);
  const auto relative_of = [&](const std::string& name) {
    if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0)
      throw Error(ErrorCode::InvalidArgument, name + ": not inside " + std::string(folder));
    return name.substr(prefix.size());
  };
  std::vector<ArchiveItem> items;
  std::set<std::string> seen;
  for (const std::string& dir : directories) {
    relative_of(dir);
    for (const RemoteEntry& e : list_below(remote, dir))
      if (seen.insert(e.name).second) items.push_back(ArchiveItem{e.name, relative_of(e.name), e.version, e.size});
  }
  for (const std::string& name : files) {
    check_name(name, false);
    if (!seen.insert(name).second) continue;
    RemoteDataStore::Head head = remote.head(name);
    if (!head.size) throw Error(ErrorCode::Protocol, name + ": the server does not say its size");
    items.push_back(ArchiveItem{name, relative_of(name), head.version, *head.size});
  }
  if (items.empty()) throw Error(ErrorCode::NotFound, std::string(folder) + ": no files selected to archive");
  return items;
}

void write_store_archive(Client& client, const std::vector<ArchiveItem>& items, ArchiveWriter& writer,
                         const ArchiveDownloadProgressSink& progress, const std::atomic<bool>* cancel,
                         bool force_refresh) {
  ArchiveDownloadProgress state;
  state.entries_total = items.size();
  for (const auto& item : items) state.bytes_total += item.size;
  if (progress) progress(state);
  for (const ArchiveItem& item : items) {
    if (cancel && cancel->load()) throw Error(ErrorCode::Cancelled, item.name + ": cancelled");
    state.current = item.name;
    // The version listed: the cache serves it when it holds it.
    DataStore::Stream stream = client.get_stream(versioned_name(item.name, item.version), force_refresh, false);
    stream.stream->exceptions(std::ios::badbit);
    const std::uint64_t before = state.bytes_done;
    CountingBuf counting(*stream.stream, [&](std::uint64_t n) {
      if (cancel && cancel->load()) throw Error(ErrorCode::Cancelled, item.name + ": cancelled");
      state.bytes_done = before + n;
      if (progress) progress(state);
    });
    std::istream in(&counting);
    in.exceptions(std::ios::badbit);
    writer.add_file(item.relative, item.version, item.size, in);
    state.bytes_done = before + item.size;
    ++state.entries_done;
    if (progress) progress(state);
  }
  writer.commit();
}

}  // namespace ft
