// The two transfer pipelines both HTTP clients share: preparing an upload body
// (ft::prepare_upload_body) and receiving a download (ft::DownloadBody),
// exercised directly, without a server.
#include <QtTest>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <random>

#include "download_body.hpp"  // core-internal
#include "files.hpp"
#include "filetracker/checksum.hpp"
#include "filetracker/error.hpp"
#include "filetracker/gzip.hpp"
#include "temp_dirs.hpp"
#include "upload_body.hpp"  // core-internal

namespace {

std::string random_text(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng() % 7 + 'a');  // compressible, not trivially
  return s;
}

struct Fd {
  int fd;
  explicit Fd(const std::filesystem::path& p) : fd(::open(p.c_str(), O_RDONLY | O_CLOEXEC)) {}
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

class TestTransferCodec : public QObject {
  Q_OBJECT

 private slots:
  // Upload body, then the same bytes received as a download: the content and
  // its digest survive both directions.
  void roundTrip_data() {
    QTest::addColumn<int>("size");
    QTest::addColumn<bool>("parallel");
    QTest::newRow("empty") << 0 << false;
    QTest::newRow("small") << 1000 << false;
    QTest::newRow("several chunks") << (3 << 20) + 17 << false;
    QTest::newRow("several chunks, parallel hash") << (3 << 20) + 17 << true;
  }
  void roundTrip() {
    QFETCH(int, size);
    QFETCH(bool, parallel);
    auto dir = test::scratch_dir();
    const auto root = test::path_of(*dir);
    const std::string plain = random_text(std::size_t(size), 7);
    test::write_file(root / "in", plain);

    std::string packed;
    std::vector<std::uint64_t> seen;
    ft::UploadBodyOptions options;
    options.label = "/a/in";
    options.compressed = [&](std::string_view d) { packed.append(d); };
    options.hash_in_parallel = parallel;
    options.total = plain.size();
    options.progress = [&](std::uint64_t done, std::uint64_t total) {
      QCOMPARE(total, std::uint64_t(plain.size()));
      seen.push_back(done);
    };
    Fd in(root / "in");
    const ft::UploadBodyDigest digest = ft::prepare_upload_body(in.fd, options);
    QCOMPARE(digest.sha256, ft::sha256_hex(plain));
    QCOMPARE(digest.logical_size, std::uint64_t(plain.size()));
    QCOMPARE(digest.compressed_size, std::uint64_t(packed.size()));
    QCOMPARE(ft::gzip_decompress(packed), plain);
    if (size > 0) QCOMPARE(seen.back(), std::uint64_t(plain.size()));

    // Uncompressed: same digest, nothing produced.
    ft::UploadBodyOptions raw;
    raw.label = "/a/in";
    raw.compress = false;
    raw.compressed = [](std::string_view) { QFAIL("an uncompressed pass produced gzip"); };
    Fd again(root / "in");
    const ft::UploadBodyDigest plain_digest = ft::prepare_upload_body(again.fd, raw);
    QCOMPARE(plain_digest.sha256, digest.sha256);
    QCOMPARE(plain_digest.compressed_size, std::uint64_t(0));

    ft::DownloadBody::Expectation expect;
    expect.gzip = true;
    expect.sha256 = QString::fromStdString(digest.sha256).toUpper().toStdString();  // any case
    expect.logical_size = digest.logical_size;
    ft::DownloadBody body(root / "out", expect);
    for (std::size_t at = 0; at < packed.size(); at += 4096) body.write(std::string_view(packed).substr(at, 4096));
    body.finish();
    QCOMPARE(int(body.mismatch()), int(ft::DownloadBody::Mismatch::None));
    QCOMPARE(body.sha256(), digest.sha256);
    QCOMPARE(body.logical_size(), std::uint64_t(plain.size()));
    QVERIFY(!std::filesystem::exists(root / "out"));  // not before commit
    body.commit(1420070400);
    QCOMPARE(test::read_file(root / "out"), plain);
    struct stat st {};
    QCOMPARE(::stat((root / "out").c_str(), &st), 0);
    QCOMPARE(qint64(st.st_mtime), qint64(1420070400));
  }

  void uploadCancelled() {
    auto dir = test::scratch_dir();
    const auto root = test::path_of(*dir);
    test::write_file(root / "in", random_text(3 << 20, 3));
    std::atomic<bool> cancel{false};
    ft::UploadBodyOptions options;
    options.label = "/a/in";
    options.cancel = &cancel;
    options.progress = [&](std::uint64_t, std::uint64_t) { cancel = true; };
    Fd in(root / "in");
    try {
      ft::prepare_upload_body(in.fd, options);
      QFAIL("a cancelled pass returned");
    } catch (const ft::Error& e) {
      QCOMPARE(int(e.code()), int(ft::ErrorCode::Cancelled));
      QCOMPARE(QString(e.what()), QStringLiteral("/a/in: cancelled"));
    }
  }

  // Every way a download can go wrong leaves nothing in the directory.
  void downloadFailure_data() {
    QTest::addColumn<QString>("kind");
    QTest::addColumn<int>("mismatch");  // when the failure is a Mismatch, else -1
    QTest::newRow("corrupt gzip") << "corrupt" << -1;
    QTest::newRow("truncated gzip body") << "truncated" << -1;
    QTest::newRow("checksum mismatch") << "checksum" << int(ft::DownloadBody::Mismatch::Checksum);
    QTest::newRow("size mismatch") << "size" << int(ft::DownloadBody::Mismatch::Size);
    QTest::newRow("size and checksum: size first") << "both" << int(ft::DownloadBody::Mismatch::Size);
    QTest::newRow("cancel") << "cancel" << -1;
  }
  void downloadFailure() {
    QFETCH(QString, kind);
    QFETCH(int, mismatch);
    auto dir = test::scratch_dir();
    const auto root = test::path_of(*dir);
    const std::string plain = random_text(200000, 11);
    std::string packed = ft::gzip_compress(plain);
    ft::DownloadBody::Expectation expect;
    expect.gzip = true;
    expect.sha256 = ft::sha256_hex(plain);
    expect.logical_size = plain.size();
    if (kind == "corrupt") packed[packed.size() / 2] ^= 0x5a, packed[10] ^= 0x33, packed[11] ^= 0x77;
    if (kind == "truncated") packed.resize(packed.size() / 2);
    if (kind == "checksum") expect.sha256 = ft::sha256_hex("something else");
    if (kind == "size") expect.logical_size = plain.size() + 1;
    if (kind == "both") expect.logical_size = plain.size() - 1, expect.sha256 = ft::sha256_hex("x");
    {
      ft::DownloadBody body(root / "out", expect);
      bool threw = false;
      try {
        if (kind == "cancel") {
          body.write(std::string_view(packed).substr(0, packed.size() / 3));
          body.abort();
          QVERIFY(test::entries(dir->path(), QDir::Files).isEmpty());
          return;
        }
        body.write(packed);
        body.finish();
      } catch (const ft::Error& e) {
        threw = true;
        QCOMPARE(mismatch, -1);
        QCOMPARE(int(e.code()), int(ft::ErrorCode::Protocol));
      }
      if (!threw) {
        QVERIFY(mismatch >= 0);
        QCOMPARE(int(body.mismatch()), mismatch);
      }
    }  // destroyed uncommitted
    QVERIFY2(test::entries(dir->path(), QDir::Files).isEmpty(), qPrintable(test::entries(dir->path(), QDir::Files).join(' ')));
  }

  // Identity body, nothing announced: written as sent; an empty body makes an
  // empty file.
  void downloadPlain_data() {
    QTest::addColumn<QByteArray>("content");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("text") << QByteArray("hello, world\n");
  }
  void downloadPlain() {
    QFETCH(QByteArray, content);
    auto dir = test::scratch_dir();
    const auto root = test::path_of(*dir);
    ft::DownloadBody body(root / "out", {});
    if (!content.isEmpty()) body.write(std::string_view(content.constData(), std::size_t(content.size())));
    body.finish();
    QCOMPARE(int(body.mismatch()), int(ft::DownloadBody::Mismatch::None));
    body.commit();
    QCOMPARE(QByteArray::fromStdString(test::read_file(root / "out")), content);
    QCOMPARE(test::entries(dir->path(), QDir::Files), QStringList{QStringLiteral("out")});
  }
};

QTEST_GUILESS_MAIN(TestTransferCodec)
#include "test_transfer_codec.moc"
