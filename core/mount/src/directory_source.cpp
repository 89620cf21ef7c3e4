#include "filetracker/mount/directory_source.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "filetracker/atomic_file.hpp"
#include "filetracker/error.hpp"
#include "filetracker/mount/mount_path.hpp"

namespace ft::mount {

namespace {

std::string relative_to(const std::string& directory, const std::string& name) {
  std::size_t prefix = directory == "/" ? 1 : directory.size() + 1;
  return name.size() > prefix ? name.substr(prefix) : std::string();
}

}  // namespace

DirectoryListing RemoteDirectorySource::list(const std::string& directory) {
  DirectoryListing out;
  out.listed_at = std::time(nullptr);
  auto lease = pool_.acquire();
  RemoteDataStore* remote = lease.remote();
  if (!remote) throw Error(ErrorCode::InvalidArgument, "the mount's clients have no server to list");
  RemoteListing listing;
  try {
    listing = remote->list(directory, false, true);
  } catch (const Error& e) {
    // The server answers 400 for a directory that does not exist (or is a
    // file). The root of an empty store is an empty directory.
    if (e.code() == ErrorCode::Http && e.http_status() == 400) {
      if (directory == "/") return out;
      throw Error(ErrorCode::NotFound, directory + ": no such directory", 400);
    }
    throw;
  }
  for (const auto& file : listing.files) {
    std::string base = relative_to(directory, file.name);
    if (base.empty() || base.find('/') != std::string::npos) continue;
    out.files[base] = FileAttributes{file.version, file.size};
  }
  for (const auto& dir : listing.directories) {
    std::string base = relative_to(directory, dir);
    if (!base.empty() && base.find('/') == std::string::npos) out.directories.insert(base);
  }
  return out;
}

DirectoryListing LocalDirectorySource::list(const std::string& directory) {
  DirectoryListing out;
  out.listed_at = std::time(nullptr);
  std::string path = directory == "/" ? cache_.files_dir().string() : cache_.path_of(directory).string();
  // O_NOFOLLOW|O_DIRECTORY: a symlink planted in place of a directory is
  // not followed out of the cache.
  int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    int err = errno;
    if (err == ENOENT || err == ENOTDIR || err == ELOOP) {
      if (directory == "/") return out;
      throw Error(ErrorCode::NotFound, directory + ": no such directory");
    }
    throw_errno(path + ": cannot list", err);
  }
  DIR* dir = ::fdopendir(fd);
  if (!dir) {
    int err = errno;
    ::close(fd);
    throw_errno(path + ": cannot list", err);
  }
  while (dirent* entry = ::readdir(dir)) {
    std::string base = entry->d_name;
    if (base == "." || base == ".." || is_temp_name(base)) continue;
    struct stat st {};
    if (::fstatat(::dirfd(dir), entry->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;  // gone meanwhile
    std::string name = child_name(directory, base);
    if (S_ISDIR(st.st_mode)) {
      if (!name_error(child_name(name, "x"), false)) out.directories.insert(base);
    } else if (S_ISREG(st.st_mode)) {
      if (!name_error(name, false)) out.files[base] = FileAttributes{st.st_mtime, static_cast<std::uint64_t>(st.st_size)};
    }
  }
  ::closedir(dir);
  return out;
}

DirectoryListing StoreDirectorySource::list(const std::string& directory) {
  DirectoryListing out;
  out.listed_at = std::time(nullptr);
  bool found = directory == "/";
  for (const auto& info : store_.list_files()) {
    SplitName split = split_name(info.name);
    if (directory != "/" && split.name.compare(0, directory.size() + 1, directory + "/") != 0) continue;
    found = true;
    std::string relative = relative_to(directory, split.name);
    if (auto slash = relative.find('/'); slash != std::string::npos) {
      out.directories.insert(relative.substr(0, slash));
    } else if (!relative.empty()) {
      out.files[relative] = FileAttributes{info.mtime, info.size};
    }
  }
  if (!found) throw Error(ErrorCode::NotFound, directory + ": no such directory");
  return out;
}

}  // namespace ft::mount
