// The one body verifier every download goes through (core's get_file and
// get_stream, the GUI's download sink): its verdict for each way a body can
// differ from what its answer announced, and the one-line errors core's
// downloads word from it (remote_download.hpp).
#include <QtTest>

#include "body_verifier.hpp"  // core-internal
#include "filetracker/checksum.hpp"
#include "filetracker/error.hpp"
#include "filetracker/gzip.hpp"
#include "filetracker/protocol.hpp"
#include "remote_download.hpp"  // core-internal

namespace {

using Verdict = ft::BodyVerifier::Verdict;

const std::string kPlain = [] {
  std::string s;
  for (int i = 0; i < 50000; ++i) s += static_cast<char>('a' + i % 13);
  return s;
}();

}  // namespace

class TestBodyVerifier : public QObject {
  Q_OBJECT

 private slots:
  // `size`/`sha`: what the headers announced ("" = not sent; "right" = the
  // true value); `gzip`: the body travels compressed.
  void verdict_data() {
    QTest::addColumn<bool>("gzip");
    QTest::addColumn<QString>("size");
    QTest::addColumn<QString>("sha");
    QTest::addColumn<int>("cut");  // bytes of the plain content left out (negative: extra bytes)
    QTest::addColumn<int>("verdict");
    QTest::addColumn<QString>("words");  // in core's message; empty: no error
    for (bool gzip : {false, true}) {
      const char* coding = gzip ? "gzip, " : "identity, ";
      auto row = [&](const char* what) -> QTestData& { return QTest::newRow((std::string(coding) + what).c_str()); };
      row("nothing announced") << gzip << "" << "" << 0 << int(Verdict::Complete) << "";
      row("size and SHA-256 right") << gzip << "right" << "right" << 0 << int(Verdict::Complete) << "";
      row("SHA-256 in upper case") << gzip << "right" << "RIGHT" << 0 << int(Verdict::Complete) << "";
      row("fewer bytes than announced") << gzip << "right" << "" << 100 << int(Verdict::CutOff)
                                        << "cut off: got 49900 of 50000 bytes";
      row("more bytes than announced") << gzip << "right" << "" << -7 << int(Verdict::TooLong)
                                       << "more than it announced: got 50007 bytes, expected 50000";
      row("right size, wrong SHA-256") << gzip << "right" << "wrong" << 0 << int(Verdict::Corrupt)
                                       << "does not match its SHA-256 checksum";
      row("length checked before the checksum") << gzip << "right" << "right" << 1 << int(Verdict::CutOff)
                                                << "cut off";
      row("no size, wrong SHA-256") << gzip << "" << "wrong" << 3 << int(Verdict::Corrupt) << "SHA-256";
    }
  }
  void verdict() {
    QFETCH(bool, gzip);
    QFETCH(QString, size);
    QFETCH(QString, sha);
    QFETCH(int, cut);
    QFETCH(int, verdict);
    QFETCH(QString, words);
    std::string sent = cut >= 0 ? kPlain.substr(0, kPlain.size() - std::size_t(cut)) : kPlain + std::string(-cut, 'x');
    ft::BodyExpectation expect;
    expect.gzip = gzip;
    if (size == "right") expect.logical_size = kPlain.size();
    if (sha == "right") expect.sha256 = ft::sha256_hex(kPlain);
    if (sha == "RIGHT") expect.sha256 = QString::fromStdString(ft::sha256_hex(kPlain)).toUpper().toStdString();
    if (sha == "wrong") expect.sha256 = ft::sha256_hex("something else");
    const std::string body = gzip ? ft::gzip_compress(sent) : sent;

    // The verdict, and the plain bytes handed on in order.
    std::string handed;
    ft::BodyVerifier verifier(expect, [&](std::string_view plain) { handed.append(plain); });
    for (std::size_t at = 0; at < body.size(); at += 1000) verifier.write(std::string_view(body).substr(at, 1000));
    QCOMPARE(int(verifier.finish()), verdict);
    QCOMPARE(int(verifier.verdict()), verdict);
    if (verdict == int(Verdict::TooLong)) {
      // It stops at the first chunk past the announced size: what was handed
      // on is a start of the content, never more than was announced.
      QVERIFY(handed.size() <= kPlain.size());
      QCOMPARE(handed, sent.substr(0, handed.size()));
      QVERIFY(verifier.logical_size() > kPlain.size());
    } else {
      QCOMPARE(handed, sent);
      QCOMPARE(verifier.logical_size(), std::uint64_t(sent.size()));
      QCOMPARE(verifier.sha256(), ft::sha256_hex(sent));
    }

    // Core's words for the same body.
    ft::BodyVerifier again(expect, {});
    again.write(body);
    try {
      ft::finish_body(again, "/d/f.bin");
      QVERIFY2(words.isEmpty(), "a bad body passed");
    } catch (const ft::Error& e) {
      const QString message = QString::fromStdString(e.what());
      QVERIFY2(!words.isEmpty(), e.what());
      QVERIFY2(message.startsWith("/d/f.bin: ") && message.contains(words), e.what());
      QVERIFY(!message.contains('\n'));
      QCOMPARE(int(e.code()),
               int(verdict == int(Verdict::CutOff) ? ft::ErrorCode::Network : ft::ErrorCode::ChecksumMismatch));
    }
  }

  // A hostile server's gzip bomb (1 GiB of zeros in ~1 MiB) announced as
  // 1000 bytes: inflating stops at the first chunk past 1000 bytes, not at
  // the end of the gigabyte; nothing past the announced size is handed on.
  void gzipBombStopsAtAnnouncedSize() {
    const std::string member = ft::gzip_compress(std::string(16 << 20, '\0'), 9);
    ft::BodyExpectation expect;
    expect.gzip = true;
    expect.logical_size = 1000;
    std::uint64_t handed = 0;
    ft::BodyVerifier verifier(expect, [&](std::string_view plain) { handed += plain.size(); });
    for (int i = 0; i < 64; ++i) verifier.write(member);
    QCOMPARE(int(verifier.finish()), int(Verdict::TooLong));
    QVERIFY(handed <= 1000);
    QVERIFY2(verifier.logical_size() <= 1000 + 64 * 1024, qPrintable(QString::number(verifier.logical_size())));
    ft::BodyVerifier again(expect, {});
    for (int i = 0; i < 64; ++i) again.write(member);
    try {
      ft::finish_body(again, "/bomb");
      QFAIL("the bomb passed");
    } catch (const ft::Error& e) {
      QVERIFY2(QString(e.what()).contains("the server sent more than it announced"), e.what());
      QVERIFY2(!QString(e.what()).contains("cut off"), e.what());
    }
  }

  // A body that is not gzip, or whose gzip stream stops early, cannot be
  // judged by size or checksum: it throws.
  void brokenGzip() {
    const std::string packed = ft::gzip_compress(kPlain);
    {
      ft::BodyVerifier verifier({true, {}, {}}, {});
      std::string corrupt = packed;
      corrupt[10] ^= 0x33, corrupt[11] ^= 0x77, corrupt[corrupt.size() / 2] ^= 0x5a;
      try {
        ft::feed_body(verifier, corrupt, "/c.gz");
        QFAIL("corrupt gzip was accepted");
      } catch (const ft::Error& e) {
        QCOMPARE(int(e.code()), int(ft::ErrorCode::Protocol));
        QVERIFY2(QString(e.what()).startsWith("/c.gz: "), e.what());
      }
    }
    {
      ft::BodyVerifier verifier({true, {}, {}}, {});
      ft::feed_body(verifier, std::string_view(packed).substr(0, packed.size() / 2), "/t.gz");
      try {
        ft::finish_body(verifier, "/t.gz");
        QFAIL("a truncated gzip stream was accepted");
      } catch (const ft::Error& e) {
        QCOMPARE(int(e.code()), int(ft::ErrorCode::Network));
        QVERIFY2(QString(e.what()).startsWith("/t.gz: the download was cut off ("), e.what());
      }
    }
  }

  // What the decoded headers of an answer make the verifier expect.
  void expectationFromHeaders() {
    ft::protocol::FileHeaders headers;
    headers.gzip = true;
    headers.logical_size = 12;
    headers.sha256 = std::string(64, 'a');
    const ft::BodyExpectation expect = ft::body_expectation(headers);
    QVERIFY(expect.gzip);
    QCOMPARE(expect.logical_size, std::optional<std::uint64_t>(12));
    QCOMPARE(expect.sha256, std::string(64, 'a'));

    headers.unsupported_coding = "br";
    try {
      ft::body_expectation(headers);
      QFAIL("a body in an unknown coding was accepted");
    } catch (const ft::Error& e) {
      QCOMPARE(int(e.code()), int(ft::ErrorCode::Protocol));
      QCOMPARE(QString(e.what()), QStringLiteral("unsupported Content-Encoding: br"));
    }
  }
};

QTEST_GUILESS_MAIN(TestBodyVerifier)
#include "test_body_verifier.moc"
