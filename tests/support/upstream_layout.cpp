#include "upstream_layout.hpp"

#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <QCryptographicHash>

#include <algorithm>
#include <vector>

#include "files.hpp"
#include "wire.hpp"

namespace fs = std::filesystem;

namespace test {

UpstreamLayout::UpstreamLayout(fs::path dir) : dir_(std::move(dir)) {
  for (const char* sub : {"links", "blobs", "db", "locks"}) fs::create_directories(dir_ / sub);
  // What BerkeleyDB leaves in db/ (the importer does not read it).
  write_file(dir_ / "db" / "metadata", "not read by importers");
}

bool UpstreamLayout::link(const std::string& name, const std::string& sha, long long version) {
  fs::path link = dir_ / "links" / name.substr(1);
  std::error_code ec;
  fs::create_directories(link.parent_path(), ec);
  if (ec) return false;
  std::string target;
  const auto depth = std::count(name.begin(), name.end(), '/');  // "/a/b" -> links/a/b: up 2 to DIR
  for (long i = 0; i < depth; ++i) target += "../";
  target += "blobs/" + sha.substr(0, 2) + "/" + sha;
  fs::remove(link, ec);
  if (::symlink(target.c_str(), link.c_str()) != 0) return false;
  struct timeval times[2] = {{static_cast<time_t>(version), 0}, {static_cast<time_t>(version), 0}};
  return ::lutimes(link.c_str(), times) == 0;
}

bool UpstreamLayout::addFile(const std::string& name, const QByteArray& content, long long version) {
  const std::string sha = sha256Hex(content).toStdString();
  fs::path blob = dir_ / "blobs" / sha.substr(0, 2) / sha;
  if (!fs::exists(blob)) {
    const QByteArray gz = gzip(content);
    if (!write_file(blob, std::string_view(gz.constData(), static_cast<std::size_t>(gz.size())))) return false;
  }
  return link(name, sha, version);
}

bool UpstreamLayout::addBrokenLink(const std::string& name, long long version) {
  return link(name, sha256Hex("the blob of " + QByteArray::fromStdString(name) + " is gone").toStdString(), version);
}

bool UpstreamLayout::addCorruptBlob(const std::string& name, const QByteArray& claimed, long long version,
                                    bool notGzip) {
  const std::string sha = sha256Hex(claimed).toStdString();
  const QByteArray bytes = notGzip ? QByteArray("this is not gzip at all") : gzip(claimed + " but changed");
  if (!write_file(dir_ / "blobs" / sha.substr(0, 2) / sha, std::string_view(bytes.constData(), std::size_t(bytes.size()))))
    return false;
  return link(name, sha, version);
}

QByteArray treeDigest(const fs::path& dir) {
  std::vector<std::string> lines;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    struct stat st {};
    const std::string path = entry.path().lexically_relative(dir).string();
    if (::lstat(entry.path().c_str(), &st) != 0) {
      lines.push_back(path + " gone");
      continue;
    }
    std::string line = path + " mode=" + std::to_string(st.st_mode) + " mtime=" + std::to_string(st.st_mtim.tv_sec) +
                       "." + std::to_string(st.st_mtim.tv_nsec);
    if (S_ISLNK(st.st_mode)) {
      line += " -> " + fs::read_symlink(entry.path()).string();
    } else if (S_ISREG(st.st_mode)) {
      line += " size=" + std::to_string(st.st_size) + " sha=" +
              sha256Hex(QByteArray::fromStdString(read_file(entry.path()))).toStdString();
    }
    lines.push_back(line);
  }
  std::sort(lines.begin(), lines.end());
  QCryptographicHash hash(QCryptographicHash::Sha256);
  for (const auto& l : lines) hash.addData(QByteArray::fromStdString(l + "\n"));
  return hash.result().toHex();
}

}  // namespace test
