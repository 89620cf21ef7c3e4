// QByteArray views of core's wire pieces (dates, query strings, gzip,
// SHA-256), for tests that build and check HTTP messages by hand.
#pragma once

#include <QByteArray>

namespace test {

// "Thu, 01 Jan 2015 00:00:10 GMT"
QByteArray httpDate(qint64 version);
// "?last_modified=..." form-encoded ('+' for spaces, as the Python client sends it).
QByteArray lastModifiedQuery(qint64 version);
// "/files" + name + lastModifiedQuery(version); `name` already URL-encoded.
QByteArray filesTarget(const QByteArray& name, qint64 version);
QByteArray gzip(const QByteArray& data);
QByteArray gunzip(const QByteArray& data);  // throws ft::Error(Protocol) on bad gzip
QByteArray sha256Hex(const QByteArray& data);

}  // namespace test
