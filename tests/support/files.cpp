#include "files.hpp"

#include <fcntl.h>
#include <sys/stat.h>

#include <fstream>
#include <optional>
#include <sstream>

namespace test {
namespace fs = std::filesystem;

namespace {

std::optional<std::string> try_read(const fs::path& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) return std::nullopt;  // ifstream would "open" it
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

fs::path to_path(const QString& path) { return fs::path(path.toStdString()); }

}  // namespace

bool write_file(const fs::path& path, std::string_view content) {
  std::error_code ec;
  if (path.has_parent_path()) fs::create_directories(path.parent_path(), ec);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  out.close();
  return bool(out);
}

std::string read_file(const fs::path& path) { return try_read(path).value_or(std::string()); }

long long mtime_of(const fs::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return -1;
  return st.st_mtime;
}

ino_t inode_of(const fs::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return 0;
  return st.st_ino;
}

void touch(const fs::path& path, long long mtime) {
  struct timespec t[2];
  t[0].tv_sec = t[1].tv_sec = static_cast<time_t>(mtime);
  t[0].tv_nsec = t[1].tv_nsec = 0;
  ::utimensat(AT_FDCWD, path.c_str(), t, 0);
}

bool writeFile(const QString& path, const QByteArray& content) {
  return write_file(to_path(path), std::string_view(content.constData(), std::size_t(content.size())));
}

QByteArray readFile(const QString& path) {
  const auto content = try_read(to_path(path));
  return content ? QByteArray::fromStdString(*content) : QByteArray("<missing>");
}

QStringList entries(const QString& dir, QDir::Filters filters) {
  return QDir(dir).entryList(filters | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot, QDir::Name);
}

QStringList entries(const fs::path& dir, QDir::Filters filters) {
  return entries(QString::fromStdString(dir.string()), filters);
}

}  // namespace test
