// The pure wire module: RFC 2822 dates, URL and form encoding, targets,
// /version, plain and JSON listings, error text.
#include <QtTest>

#include <limits>

#include "errors.hpp"
#include "filetracker/protocol.hpp"

namespace p = ft::protocol;

class TestProtocol : public QObject {
  Q_OBJECT

 private slots:
  void formatDate_data() {
    QTest::addColumn<qlonglong>("seconds");
    QTest::addColumn<QString>("text");
    QTest::newRow("epoch") << 0LL << "Thu, 01 Jan 1970 00:00:00 GMT";
    QTest::newRow("2015") << 1420070410LL << "Thu, 01 Jan 2015 00:00:10 GMT";
    QTest::newRow("leap day") << 951782400LL << "Tue, 29 Feb 2000 00:00:00 GMT";
    QTest::newRow("end of 2038") << 2147483647LL << "Tue, 19 Jan 2038 03:14:07 GMT";
    QTest::newRow("past 2038") << 4102444800LL << "Fri, 01 Jan 2100 00:00:00 GMT";
    QTest::newRow("last second of 9999 (kMaxVersion)") << 253402300799LL << "Fri, 31 Dec 9999 23:59:59 GMT";
    QTest::newRow("first second of 1900 (kMinVersion)") << -2208988800LL << "Mon, 01 Jan 1900 00:00:00 GMT";
    QTest::newRow("before 1970") << -1LL << "Wed, 31 Dec 1969 23:59:59 GMT";
  }
  // Out of range: formatted as the nearest end of the range, never a year
  // of five digits or an overflow (the callers check the range first).
  void formatDateClamps() {
    QCOMPARE(p::format_http_date(ft::kMaxVersion + 1), std::string("Fri, 31 Dec 9999 23:59:59 GMT"));
    QCOMPARE(p::format_http_date(std::numeric_limits<ft::Version>::max()), std::string("Fri, 31 Dec 9999 23:59:59 GMT"));
    QCOMPARE(p::format_http_date(std::numeric_limits<ft::Version>::min()), std::string("Mon, 01 Jan 1900 00:00:00 GMT"));
  }
  void formatDate() {
    QFETCH(qlonglong, seconds);
    QFETCH(QString, text);
    QCOMPARE(QString::fromStdString(p::format_http_date(seconds)), text);
    QCOMPARE(p::parse_http_date(text.toStdString()), std::optional<ft::Version>(seconds));
  }

  void parseDate_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<qlonglong>("seconds");
    QTest::newRow("GMT") << "Thu, 01 Jan 2015 00:00:10 GMT" << 1420070410LL;
    QTest::newRow("-0000") << "Thu, 01 Jan 2015 00:00:10 -0000" << 1420070410LL;
    QTest::newRow("+0000") << "Thu, 01 Jan 2015 00:00:10 +0000" << 1420070410LL;
    QTest::newRow("UT") << "Thu, 01 Jan 2015 00:00:10 UT" << 1420070410LL;
    QTest::newRow("UTC") << "Thu, 01 Jan 2015 00:00:10 UTC" << 1420070410LL;
    // 02:00:10 at +0200 is 00:00:10 GMT.
    QTest::newRow("+0200") << "Thu, 01 Jan 2015 02:00:10 +0200" << 1420070410LL;
    QTest::newRow("-0130") << "Wed, 31 Dec 2014 22:30:10 -0130" << 1420070410LL;
    QTest::newRow("+0200 across midnight") << "Thu, 01 Jan 2015 01:00:00 +0200" << 1420066800LL;
    QTest::newRow("no weekday") << "01 Jan 2015 00:00:10 GMT" << 1420070410LL;
    QTest::newRow("no seconds") << "Thu, 01 Jan 2015 00:01 GMT" << 1420070460LL;
    QTest::newRow("one-digit day") << "Thu, 1 Jan 2015 00:00:10 GMT" << 1420070410LL;
    QTest::newRow("extra spaces") << "Thu,  01 Jan 2015  00:00:10 GMT" << 1420070410LL;
    QTest::newRow("leap day") << "Tue, 29 Feb 2000 00:00:00 GMT" << 951782400LL;
    // The edges of each field's range, just inside (just outside: parseBadDate).
    QTest::newRow("last second of a year") << "Wed, 31 Dec 2014 23:59:59 GMT" << 1420070399LL;
    QTest::newRow("leap second 60") << "Thu, 01 Jan 2015 00:00:60 GMT" << 1420070460LL;
    QTest::newRow("30 April") << "Thu, 30 Apr 2015 00:00:00 GMT" << 1430352000LL;
    QTest::newRow("leap day of a 400th year") << "Tue, 29 Feb 2400 00:00:00 GMT" << 13574563200LL;
  }
  void parseDate() {
    QFETCH(QString, text);
    QFETCH(qlonglong, seconds);
    const auto parsed = p::parse_http_date(text.toStdString());
    QVERIFY2(parsed, qPrintable("not parsed: " + text));
    QCOMPARE(*parsed, static_cast<ft::Version>(seconds));
  }

  void parseBadDate_data() {
    QTest::addColumn<QString>("text");
    QTest::newRow("empty") << "";
    QTest::newRow("garbage") << "yesterday";
    QTest::newRow("unix number") << "1420070410";
    QTest::newRow("bad month") << "Thu, 01 Foo 2015 00:00:10 GMT";
    QTest::newRow("day 32") << "Thu, 32 Jan 2015 00:00:10 GMT";
    QTest::newRow("day 0") << "Thu, 00 Jan 2015 00:00:10 GMT";
    QTest::newRow("day 0, one digit") << "Thu, 0 Jan 2015 00:00:10 GMT";
    QTest::newRow("negative day") << "Thu, -1 Jan 2015 00:00:10 GMT";
    QTest::newRow("signed day") << "Thu, +1 Jan 2015 00:00:10 GMT";
    QTest::newRow("31 April") << "Fri, 31 Apr 2015 00:00:10 GMT";
    QTest::newRow("29 February 1900, no leap") << "Thu, 29 Feb 1900 00:00:10 GMT";
    QTest::newRow("31 February") << "Thu, 31 Feb 2015 00:00:10 GMT";
    QTest::newRow("29 February, no leap") << "Sun, 29 Feb 2015 00:00:10 GMT";
    QTest::newRow("hour 25") << "Thu, 01 Jan 2015 25:00:10 GMT";
    QTest::newRow("hour 24") << "Thu, 01 Jan 2015 24:00:00 GMT";
    QTest::newRow("minute 60") << "Thu, 01 Jan 2015 00:60:10 GMT";
    QTest::newRow("second 61") << "Thu, 01 Jan 2015 00:00:61 GMT";
    QTest::newRow("negative hour") << "Thu, 01 Jan 2015 -1:00:10 GMT";
    QTest::newRow("no zone") << "Thu, 01 Jan 2015 00:00:10";
    QTest::newRow("unknown zone") << "Thu, 01 Jan 2015 00:00:10 XYZ";
    QTest::newRow("short offset") << "Thu, 01 Jan 2015 00:00:10 +02";
    QTest::newRow("offset minutes 75") << "Thu, 01 Jan 2015 00:00:10 +0275";
    QTest::newRow("bad weekday") << "Thx, 01 Jan 2015 00:00:10 GMT";
    QTest::newRow("no time") << "Thu, 01 Jan 2015 GMT";
    QTest::newRow("trailing junk") << "Thu, 01 Jan 2015 00:00:10 GMT junk";
    // Versions a peer cannot hold: years 1900 to 9999 only.
    QTest::newRow("year 10000") << "Sat, 01 Jan 10000 00:00:00 GMT";
    QTest::newRow("year 99999") << "01 Jan 99999 00:00:00 GMT";
    QTest::newRow("year that overflowed 64 bits") << "01 Jan 292277026596 00:00:00 GMT";
    QTest::newRow("year of 25 digits") << "01 Jan 9999999999999999999999999 00:00:00 GMT";
    QTest::newRow("year 1899") << "Sun, 31 Dec 1899 23:59:59 GMT";
    QTest::newRow("year 0000") << "01 Jan 0000 00:00:00 GMT";
    QTest::newRow("year 0001 (Python reads 2001)") << "Mon, 01 Jan 0001 00:00:00 GMT";
    QTest::newRow("past 9999 by its zone") << "Fri, 31 Dec 9999 23:59:59 -0001";
    QTest::newRow("before 1900 by its zone") << "Mon, 01 Jan 1900 00:00:00 +0001";
    QTest::newRow("leap second at the very end") << "Fri, 31 Dec 9999 23:59:60 GMT";
  }
  void parseBadDate() {
    QFETCH(QString, text);
    QCOMPARE(p::parse_http_date(text.toStdString()), std::optional<ft::Version>());
  }

  void dateRoundTrip() {
    for (ft::Version t = 0; t < 4'000'000'000LL; t += 37'123'457LL) {
      QCOMPARE(p::parse_http_date(p::format_http_date(t)), std::optional<ft::Version>(t));
    }
  }

  void formDecode_data() {
    QTest::addColumn<QString>("encoded");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("decoded");
    QTest::newRow("plus is space") << "a+b" << true << "a b";
    QTest::newRow("date") << "Thu%2C+01+Jan+2015+00%3A00%3A10+GMT" << true << "Thu, 01 Jan 2015 00:00:10 GMT";
    QTest::newRow("encoded plus") << "1%2B1" << true << "1+1";
    QTest::newRow("lower hex") << "%2c" << true << ",";
    QTest::newRow("empty") << "" << true << "";
    QTest::newRow("plain") << "abc" << true << "abc";
    QTest::newRow("utf-8") << "%C5%BC" << true << QString::fromUtf8("ż");
    QTest::newRow("lone percent") << "%" << false << "";
    QTest::newRow("short escape") << "a%4" << false << "";
    QTest::newRow("bad hex") << "%zz" << false << "";
  }
  void formDecode() {
    QFETCH(QString, encoded);
    QFETCH(bool, valid);
    QFETCH(QString, decoded);
    const auto out = p::form_decode(encoded.toStdString());
    QCOMPARE(out.has_value(), valid);
    if (valid) QCOMPARE(QString::fromStdString(*out), decoded);
  }

  void formRoundTrip() {
    std::string all;
    for (int c = 1; c < 256; ++c) all += static_cast<char>(c);
    for (const std::string& s : {std::string("a b+c&d=e"), all, std::string("Thu, 01 Jan 2015 00:00:10 GMT")}) {
      const std::string encoded = p::form_encode(s);
      QVERIFY(encoded.find(' ') == std::string::npos);
      QVERIFY(encoded.find('&') == std::string::npos);
      QCOMPARE(p::form_decode(encoded), std::optional<std::string>(s));
    }
  }

  void pathDecodingKeepsPlus() {
    QCOMPARE(p::decode_path("/a+b%20c"), std::optional<std::string>("/a+b c"));
    QCOMPARE(p::decode_path("/a%2"), std::optional<std::string>());
    QCOMPARE(p::encode_path("/a b/c+d"), std::string("/a%20b/c%2Bd"));
    QCOMPARE(p::decode_path(p::encode_path("/x y/ż@1")), std::optional<std::string>("/x y/ż@1"));
  }

  void parseQuery() {
    const auto q = p::parse_query("a=1&b=x+y&last_modified=Thu%2C+01+Jan+1970+00%3A00%3A10+GMT&flag");
    QCOMPARE(q.at("a"), std::string("1"));
    QCOMPARE(q.at("b"), std::string("x y"));
    QCOMPARE(q.at("flag"), std::string(""));
    QCOMPARE(p::parse_http_date(q.at("last_modified")), std::optional<ft::Version>(10));
  }

  void targets() {
    QCOMPARE(p::files_target("/a b.txt"), std::string("/files/a%20b.txt"));
    QCOMPARE(p::files_target("/a", 10), std::string("/files/a?last_modified=Thu%2C+01+Jan+1970+00%3A00%3A10+GMT"));
    QCOMPARE(p::list_target("/dir", std::nullopt, true), std::string("/list/dir"));
    const std::string one_level = p::list_target("/dir", std::nullopt, false);
    QVERIFY2(one_level.find("recursive=0") != std::string::npos, one_level.c_str());
  }

  void versionResponse() {
    const auto v1 = p::parse_version_response(404, "");
    QCOMPARE(v1.protocol_version, 1);
    QVERIFY(v1.extensions.empty());
    const std::string body = p::make_version_response({std::string(p::kExtJsonList), std::string(p::kExtChecksumVerify)});
    const auto ours = p::parse_version_response(200, body);
    QCOMPARE(ours.protocol_version, 2);
    QVERIFY(ours.has(p::kExtJsonList));
    QVERIFY(ours.has(p::kExtChecksumVerify));
    QVERIFY(!ours.has(p::kExtPlainContent));
    QCOMPARE(ours.server, std::string());
    const auto named = p::parse_version_response(200, p::make_version_response({std::string(p::kExtFind)}, "filetracker-server 9.8.7"));
    QCOMPARE(named.server, std::string("filetracker-server 9.8.7"));
    // Without extensions the answer is the deployed server's, name and all.
    QCOMPARE(p::make_version_response({}, "filetracker-server 9.8.7"), std::string(R"({"protocol_versions":[2]})"));
    const auto old = p::parse_version_response(200, R"({"protocol_versions": [2]})");
    QCOMPARE(old.protocol_version, 2);
    QVERIFY(old.extensions.empty());
    QCOMPARE(old.server, std::string());
    // A "server" member of another type is ignored, like an unknown member.
    QCOMPARE(p::parse_version_response(200, R"({"protocol_versions":[2],"server":7})").server, std::string());
    const auto bad = test::error_of([] { p::parse_version_response(200, "<html>"); });
    QVERIFY(bad);
    QCOMPARE(bad->code(), ft::ErrorCode::Protocol);
  }

  void plainList() {
    QCOMPARE(p::parse_plain_list("a.txt\nsub/b.txt\n"), (std::vector<std::string>{"a.txt", "sub/b.txt"}));
    QCOMPARE(p::parse_plain_list(""), std::vector<std::string>{});
  }

  void jsonListRoundTrip() {
    p::Listing listing;
    listing.directory = "/d";
    listing.files = {{"a/b.txt", 1420070410, 12, std::string(64, 'a')}, {"c d.txt", 5, 0, std::string(64, 'f')}};
    listing.directories = {"sub", "other"};
    const p::Listing back = p::parse_json_list(p::make_json_list(listing));
    QCOMPARE(back.directory, listing.directory);
    QCOMPARE(back.files, listing.files);
    QCOMPARE(back.directories, listing.directories);
  }

  void jsonListRejectsGarbage_data() {
    QTest::addColumn<QString>("body");
    QTest::newRow("not json") << "a.txt\n";
    QTest::newRow("array") << "[]";
    QTest::newRow("entry without version") << R"({"directory": "/", "files": [{"name": "a", "size": 1}]})";
    QTest::newRow("version past 9999")
        << R"({"directory": "/", "files": [{"name": "a", "version": 253402300800, "size": 1}]})";
    QTest::newRow("version above int64")
        << R"({"directory": "/", "files": [{"name": "a", "version": 18446744073709551615, "size": 1}]})";
    QTest::newRow("version before 1900")
        << R"({"directory": "/", "files": [{"name": "a", "version": -9223372036854775808, "size": 1}]})";
    QTest::newRow("version a float") << R"({"directory": "/", "files": [{"name": "a", "version": 1.5, "size": 1}]})";
  }
  void jsonListRejectsGarbage() {
    QFETCH(QString, body);
    const auto e = test::error_of([&] { p::parse_json_list(body.toStdString()); });
    QVERIFY(e);
    QCOMPARE(e->code(), ft::ErrorCode::Protocol);
  }

  void errorText() {
    QCOMPARE(p::describe_http_error("/a/b.txt", 404, "file not found"), std::string("/a/b.txt: HTTP 404: file not found"));
    const std::string reason = p::sanitize_reason("line one\nline two\r\x01" + std::string(1000, 'x'));
    QVERIFY(reason.size() <= 400);
    QVERIFY(reason.find('\n') == std::string::npos);
    QVERIFY(reason.find('\r') == std::string::npos);
    QVERIFY(reason.rfind("line one", 0) == 0);
    QVERIFY(!p::describe_http_error("/x", 500, "").empty());
  }

  void smallHelpers() {
    QVERIFY(p::is_sha256_hex(std::string(64, 'a')));
    QVERIFY(!p::is_sha256_hex(std::string(63, 'a')));
    QVERIFY(!p::is_sha256_hex(std::string(64, 'g')));
    QCOMPARE(p::parse_uint("123"), std::optional<std::uint64_t>(123));
    QCOMPARE(p::parse_uint("-1"), std::optional<std::uint64_t>());
    QCOMPARE(p::parse_uint(" 1"), std::optional<std::uint64_t>());
    QCOMPARE(p::parse_uint("99999999999999999999999"), std::optional<std::uint64_t>());
  }

  void contentCodings_data() {
    QTest::addColumn<QString>("coding");
    QTest::addColumn<bool>("gzip");
    QTest::addColumn<bool>("identity");
    QTest::newRow("gzip") << "gzip" << true << false;
    QTest::newRow("upper case") << "GZIP" << true << false;
    QTest::newRow("x-gzip mixed case") << "X-Gzip" << true << false;
    QTest::newRow("white space") << " gzip\t" << true << false;
    QTest::newRow("empty") << "" << false << true;
    QTest::newRow("identity") << "Identity" << false << true;
    QTest::newRow("deflate") << "deflate" << false << false;
    QTest::newRow("gzip list") << "gzip, gzip" << false << false;
    QTest::newRow("prefix") << "gzipped" << false << false;
  }
  void contentCodings() {
    QFETCH(QString, coding);
    QFETCH(bool, gzip);
    QFETCH(bool, identity);
    QCOMPARE(p::is_gzip_coding(coding.toStdString()), gzip);
    QCOMPARE(p::is_identity_coding(coding.toStdString()), identity);
  }

  // What a HEAD/GET answer says about a file. `headers`: "Name: value" lines;
  // -1 stands for nullopt.
  void fileHeaders_data() {
    QTest::addColumn<QString>("headers");
    QTest::addColumn<qlonglong>("version");
    QTest::addColumn<qlonglong>("size");
    QTest::addColumn<QString>("sha256");
    QTest::addColumn<bool>("gzip");
    QTest::addColumn<QString>("unsupported");
    const QString sha(64, QLatin1Char('A'));
    const QString lowSha(64, QLatin1Char('a'));
    const QString date = QStringLiteral("Last-Modified: Thu, 01 Jan 2015 00:00:10 GMT\n");
    QTest::newRow("nothing") << "" << -1LL << -1LL << "" << false << "";
    QTest::newRow("everything, gzip") << date + "Content-Encoding: gzip\nLogical-Size: 1000\nContent-Length: 37\n"
                                                 "SHA256-Checksum: " + sha
                                      << 1420070410LL << 1000LL << lowSha << true << "";
    QTest::newRow("Logical-Size beats an identity Content-Length")
        << date + "Logical-Size: 1000\nContent-Length: 37" << 1420070410LL << 1000LL << "" << false << "";
    QTest::newRow("identity body: Content-Length is the size")
        << date + "Content-Length: 37" << 1420070410LL << 37LL << "" << false << "";
    QTest::newRow("explicit identity: Content-Length is the size")
        << "Content-Encoding: Identity\nContent-Length: 37" << -1LL << 37LL << "" << false << "";
    // The compressed length says nothing about the file.
    QTest::newRow("gzip body without Logical-Size: unknown")
        << date + "Content-Encoding: gzip\nContent-Length: 37" << 1420070410LL << -1LL << "" << true << "";
    QTest::newRow("x-gzip, any case") << "content-encoding: X-GZIP\ncontent-length: 37" << -1LL << -1LL << ""
                                      << true << "";
    QTest::newRow("unsupported coding: Content-Length is not the size")
        << "Content-Encoding: br\nContent-Length: 37" << -1LL << -1LL << "" << false << "br";
    QTest::newRow("garbage Logical-Size: unknown, no fallback")
        << "Logical-Size: lots\nContent-Length: 37" << -1LL << -1LL << "" << false << "";
    QTest::newRow("garbage Content-Length") << "Content-Length: -5" << -1LL << -1LL << "" << false << "";
    QTest::newRow("empty file") << "Logical-Size: 0\nContent-Length: 20\nContent-Encoding: gzip" << -1LL << 0LL
                                << "" << true << "";
    QTest::newRow("invalid Last-Modified") << "Last-Modified: yesterday" << -1LL << -1LL << "" << false << "";
    QTest::newRow("offset Last-Modified") << "Last-Modified: Thu, 01 Jan 2015 02:00:10 +0200" << 1420070410LL
                                          << -1LL << "" << false << "";
    QTest::newRow("short checksum ignored") << "SHA256-Checksum: abc" << -1LL << -1LL << "" << false << "";
    QTest::newRow("header names in any case") << "LOGICAL-SIZE: 5\nsha256-checksum: " + lowSha << -1LL << 5LL
                                              << lowSha << false << "";
  }
  void fileHeaders() {
    QFETCH(QString, headers);
    QFETCH(qlonglong, version);
    QFETCH(qlonglong, size);
    QFETCH(QString, sha256);
    QFETCH(bool, gzip);
    QFETCH(QString, unsupported);
    std::vector<std::pair<std::string, std::string>> sent;
    for (const QString& line : headers.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
      const auto colon = line.indexOf(QLatin1Char(':'));
      sent.emplace_back(line.left(colon).toStdString(), line.mid(colon + 1).trimmed().toStdString());
    }
    const p::FileHeaders got = p::decode_file_headers([&](std::string_view name) -> std::optional<std::string> {
      for (const auto& [k, v] : sent)
        if (p::iequals(k, name)) return v;
      return std::nullopt;
    });
    QCOMPARE(got.version ? qlonglong(*got.version) : -1LL, version);
    QCOMPARE(got.logical_size ? qlonglong(*got.logical_size) : -1LL, size);
    QCOMPARE(QString::fromStdString(got.sha256), sha256);
    QCOMPARE(got.gzip, gzip);
    QCOMPARE(QString::fromStdString(got.unsupported_coding), unsupported);
  }

  void textHelpers() {
    QVERIFY(p::iequals("Content-Length", "content-LENGTH"));
    QVERIFY(!p::iequals("abc", "abd"));
    QVERIFY(!p::iequals("abc", "ab"));
    QCOMPARE(p::to_lower("AbC-9"), std::string("abc-9"));
    QCOMPARE(std::string(p::trim(" \t x y \r\n")), std::string("x y"));
    QCOMPARE(std::string(p::trim("   ")), std::string());
  }
};

QTEST_GUILESS_MAIN(TestProtocol)
#include "test_protocol.moc"
