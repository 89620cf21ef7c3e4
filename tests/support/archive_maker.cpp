#include "archive_maker.hpp"

#include <QFile>

#include <archive.h>
#include <archive_entry.h>

#include <cstring>
#include <memory>

namespace test {

QByteArray patternBytes(std::uint64_t offset, std::size_t size) {
  // 32-byte lines "line 000000000123 of a big file\n".
  QByteArray out;
  out.reserve(static_cast<qsizetype>(size));
  std::uint64_t line = offset / 32;
  std::size_t skip = static_cast<std::size_t>(offset % 32);
  char buf[40];
  while (static_cast<std::size_t>(out.size()) < size) {
    std::snprintf(buf, sizeof buf, "line %012llu of a big file\n", static_cast<unsigned long long>(line++));
    std::size_t n = std::min<std::size_t>(32 - skip, size - static_cast<std::size_t>(out.size()));
    out.append(buf + skip, static_cast<qsizetype>(n));
    skip = 0;
  }
  return out;
}

QString makeArchive(const QString& path, const QString& format, const std::vector<ArchiveEntrySpec>& entries,
                    const char* passphrase) {
  std::unique_ptr<archive, int (*)(archive*)> a(archive_write_new(), archive_write_free);
  int r = ARCHIVE_OK;
  if (format == "zip" || format == "zip-store") {
    r = archive_write_set_format_zip(a.get());
    if (format == "zip-store") archive_write_set_options(a.get(), "zip:compression=store");
    if (passphrase) {
      archive_write_set_options(a.get(), "zip:encryption=zipcrypt");
      archive_write_set_passphrase(a.get(), passphrase);
    }
  } else if (format == "7z") {
    r = archive_write_set_format_7zip(a.get());
  } else {
    r = archive_write_set_format_pax_restricted(a.get());
    if (format == "tar.gz") r = archive_write_add_filter_gzip(a.get());
    else if (format == "tar.bz2") r = archive_write_add_filter_bzip2(a.get());
    else if (format == "tar.xz") r = archive_write_add_filter_xz(a.get());
    else if (format == "tar.zst") r = archive_write_add_filter_zstd(a.get());
    else if (format != "tar") return "unknown format " + format;
  }
  if (r != ARCHIVE_OK) return QString("set up %1: %2").arg(format, archive_error_string(a.get()));
  if (archive_write_open_filename(a.get(), path.toLocal8Bit().constData()) != ARCHIVE_OK)
    return QString("open %1: %2").arg(path, archive_error_string(a.get()));
  for (const ArchiveEntrySpec& spec : entries) {
    std::unique_ptr<archive_entry, void (*)(archive_entry*)> e(archive_entry_new(), archive_entry_free);
    archive_entry_set_pathname_utf8(e.get(), spec.path.c_str());
    archive_entry_set_mtime(e.get(), static_cast<time_t>(spec.mtime), 0);
    std::uint64_t size = spec.generated ? spec.generated : static_cast<std::uint64_t>(spec.content.size());
    switch (spec.kind) {
      case ArchiveEntrySpec::Kind::File:
        archive_entry_set_filetype(e.get(), AE_IFREG);
        archive_entry_set_perm(e.get(), 0644);
        archive_entry_set_size(e.get(), static_cast<la_int64_t>(size));
        break;
      case ArchiveEntrySpec::Kind::Directory:
        archive_entry_set_filetype(e.get(), AE_IFDIR);
        archive_entry_set_perm(e.get(), 0755);
        size = 0;
        break;
      case ArchiveEntrySpec::Kind::Symlink:
        archive_entry_set_filetype(e.get(), AE_IFLNK);
        archive_entry_set_perm(e.get(), 0777);
        archive_entry_set_symlink_utf8(e.get(), spec.target.c_str());
        size = 0;
        break;
      case ArchiveEntrySpec::Kind::Hardlink:
        archive_entry_set_filetype(e.get(), AE_IFREG);
        archive_entry_set_perm(e.get(), 0644);
        archive_entry_set_hardlink_utf8(e.get(), spec.target.c_str());
        archive_entry_set_size(e.get(), 0);
        size = 0;
        break;
      case ArchiveEntrySpec::Kind::Fifo:
        archive_entry_set_filetype(e.get(), AE_IFIFO);
        archive_entry_set_perm(e.get(), 0644);
        size = 0;
        break;
      case ArchiveEntrySpec::Kind::CharDevice:
        archive_entry_set_filetype(e.get(), AE_IFCHR);
        archive_entry_set_perm(e.get(), 0644);
        archive_entry_set_rdev(e.get(), 0x0103);
        size = 0;
        break;
    }
    if (archive_write_header(a.get(), e.get()) < ARCHIVE_WARN)
      return QString("header %1: %2").arg(QString::fromStdString(spec.path), archive_error_string(a.get()));
    if (size == 0) continue;
    if (!spec.generated) {
      if (archive_write_data(a.get(), spec.content.constData(), static_cast<size_t>(spec.content.size())) < 0)
        return QString("data: %1").arg(archive_error_string(a.get()));
      continue;
    }
    for (std::uint64_t off = 0; off < size;) {
      const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(1 << 20, size - off));
      const QByteArray chunk = patternBytes(off, n);
      if (archive_write_data(a.get(), chunk.constData(), n) < 0)
        return QString("data: %1").arg(archive_error_string(a.get()));
      off += n;
    }
  }
  if (archive_write_close(a.get()) != ARCHIVE_OK) return QString("close: %1").arg(archive_error_string(a.get()));
  return {};
}

bool patchZipDeclaredSizes(const QString& path, std::uint32_t size, const std::string& entry) {
  QFile f(path);
  if (!f.open(QIODevice::ReadWrite)) return false;
  QByteArray bytes = f.readAll();
  auto put32 = [&](qsizetype at) {
    if (at + 4 > bytes.size()) return;
    for (int i = 0; i < 4; ++i) bytes[at + i] = static_cast<char>((size >> (8 * i)) & 0xff);
  };
  auto get16 = [&](qsizetype at) {
    return at + 2 > bytes.size() ? 0
                                 : static_cast<int>(static_cast<unsigned char>(bytes[at]) |
                                                    (static_cast<unsigned char>(bytes[at + 1]) << 8));
  };
  auto named = [&](qsizetype name, int length) {
    return entry.empty() || bytes.mid(name, length) == QByteArray::fromStdString(entry);
  };
  // The zip64 extra field (id 1) starts with the 8-byte uncompressed size.
  auto patchExtra = [&](qsizetype extra, int length) {
    for (qsizetype at = extra; at + 4 <= extra + length;) {
      const int id = get16(at), len = get16(at + 2);
      if (id == 1 && len >= 8) {
        put32(at + 4);
        for (int i = 4; i < 8; ++i) bytes[at + 4 + i] = 0;
      }
      at += 4 + len;
    }
  };
  int patched = 0;
  for (qsizetype at = 0; (at = bytes.indexOf("PK\x01\x02", at)) >= 0; at += 4) {
    if (!named(at + 46, get16(at + 28))) continue;
    put32(at + 24);
    patchExtra(at + 46 + get16(at + 28), get16(at + 30));
    ++patched;
  }
  // The local header too, also when a data descriptor follows: libarchive's
  // writer puts the size there anyway, and its reader believes it.
  for (qsizetype at = 0; (at = bytes.indexOf("PK\x03\x04", at)) >= 0; at += 4) {
    if (!named(at + 30, get16(at + 26))) continue;
    const bool has_descriptor = (static_cast<unsigned char>(bytes[at + 6]) & 0x08) != 0;
    put32(at + 22);
    patchExtra(at + 30 + get16(at + 26), get16(at + 28));
    if (has_descriptor) {
      const qsizetype descriptor = bytes.indexOf("PK\x07\x08", at + 30);
      if (descriptor >= 0) put32(descriptor + 12);
    }
  }
  if (patched == 0) return false;
  f.seek(0);
  return f.write(bytes) == bytes.size();
}

std::vector<std::pair<std::string, ReadBackEntry>> readArchive(const QString& path, QString* error) {
  std::vector<std::pair<std::string, ReadBackEntry>> out;
  std::unique_ptr<archive, int (*)(archive*)> a(archive_read_new(), archive_read_free);
  archive_read_support_format_all(a.get());
  archive_read_support_filter_all(a.get());
  if (archive_read_open_filename(a.get(), path.toLocal8Bit().constData(), 1 << 16) != ARCHIVE_OK) {
    if (error) *error = archive_error_string(a.get());
    return {};
  }
  archive_entry* e = nullptr;
  int r;
  while ((r = archive_read_next_header(a.get(), &e)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
    ReadBackEntry entry;
    entry.mtime = archive_entry_mtime(e);
    char buf[1 << 16];
    la_ssize_t n;
    while ((n = archive_read_data(a.get(), buf, sizeof buf)) > 0) entry.content.append(buf, n);
    if (n < 0) {
      if (error) *error = archive_error_string(a.get());
      return {};
    }
    const char* name = archive_entry_pathname_utf8(e);
    out.emplace_back(name ? name : archive_entry_pathname(e), entry);
  }
  if (r != ARCHIVE_EOF) {
    if (error) *error = archive_error_string(a.get());
    return {};
  }
  return out;
}

}  // namespace test
