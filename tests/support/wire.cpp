#include "wire.hpp"

#include <string_view>

#include "filetracker/checksum.hpp"
#include "filetracker/gzip.hpp"
#include "filetracker/protocol.hpp"

namespace test {
namespace {
std::string_view view(const QByteArray& data) { return {data.constData(), std::size_t(data.size())}; }
}  // namespace

QByteArray httpDate(qint64 version) { return QByteArray::fromStdString(ft::protocol::format_http_date(version)); }

QByteArray lastModifiedQuery(qint64 version) {
  return "?last_modified=" + QByteArray::fromStdString(ft::protocol::form_encode(ft::protocol::format_http_date(version)));
}

QByteArray filesTarget(const QByteArray& name, qint64 version) { return "/files" + name + lastModifiedQuery(version); }

QByteArray gzip(const QByteArray& data) { return QByteArray::fromStdString(ft::gzip_compress(view(data))); }

QByteArray gunzip(const QByteArray& data) { return QByteArray::fromStdString(ft::gzip_decompress(view(data))); }

QByteArray sha256Hex(const QByteArray& data) { return QByteArray::fromStdString(ft::sha256_hex(view(data))); }

}  // namespace test
