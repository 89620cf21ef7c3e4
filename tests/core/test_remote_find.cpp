// ft::RemoteDataStore::find against the real server: the find extension and
// the plain-v2 fallback deliver the same entries in name order, and the
// cancel flag stops a search between requests (Error(Cancelled), nothing
// more delivered).
#include <QtTest>

#include <atomic>
#include <vector>

#include "filetracker/error.hpp"
#include "filetracker/remote_data_store.hpp"
#include "raw_http.hpp"
#include "test_server.hpp"

class TestRemoteFind : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    QVERIFY2(!TestServer::binary().isEmpty(), "FILETRACKER_SERVER_BIN must name the server binary");
    ours_ = std::make_unique<TestServer>();
    plain_ = std::make_unique<TestServer>(QString(), QStringList{"--no-extensions"});
    QVERIFY(ours_->start());
    QVERIFY(plain_->start());
    for (TestServer* s : {ours_.get(), plain_.get()})
      for (int i = 0; i < 6; ++i)
        QCOMPARE(test::put(s->port(), "/f/" + QByteArray::number(i) + ".in", QByteArray(10 + i, 'a'), 1420070410 + i)
                     .status,
                 200);
  }

  void sameEntriesBothWays() {
    ft::FindQuery q;
    q.pattern = "*.in";
    q.min_size = 12;
    std::vector<ft::RemoteEntry> got[2];
    bool server_side[2] = {};
    int k = 0;
    for (TestServer* s : {ours_.get(), plain_.get()}) {
      ft::RemoteDataStore store(s->url().toStdString());
      auto result = store.find("/f", q, [&](const ft::RemoteEntry& e) { got[k].push_back(e); });
      QCOMPARE(result.matches, std::uint64_t(4));
      server_side[k] = result.server_side;
      ++k;
    }
    QVERIFY(server_side[0]);
    QVERIFY(!server_side[1]);
    QCOMPARE(got[0].size(), std::size_t(4));
    QCOMPARE(got[1].size(), std::size_t(4));
    for (std::size_t i = 0; i < 4; ++i) {
      QCOMPARE(got[0][i].name, "/f/" + std::to_string(i + 2) + ".in");
      QCOMPARE(got[0][i].name, got[1][i].name);
      QCOMPARE(got[0][i].version, got[1][i].version);
      QCOMPARE(got[0][i].size, got[1][i].size);
      QCOMPARE(got[0][i].sha256.size(), std::size_t(64));  // ours sends checksums (the plain server none)
    }
  }

  void cancelStopsBetweenRequests() {
    for (TestServer* s : {ours_.get(), plain_.get()}) {
      ft::RemoteDataStore store(s->url().toStdString());
      std::atomic<bool> cancel{false};
      store.set_cancel_flag(&cancel);
      int delivered = 0;
      ft::FindQuery q;
      try {
        // The fallback checks the flag before each HEAD: the first match is the last one.
        store.find("/f", q, [&](const ft::RemoteEntry&) {
          ++delivered;
          cancel = true;
        });
        if (s == plain_.get()) QFAIL("not cancelled");
      } catch (const ft::Error& e) {
        QCOMPARE(e.code(), ft::ErrorCode::Cancelled);
      }
      // The extension's only page is in already; the fallback stops after one.
      QCOMPARE(delivered, s == plain_.get() ? 1 : 6);
      // Cancelled before it starts: no entry at all.
      delivered = 0;
      try {
        store.find("/f", q, [&](const ft::RemoteEntry&) { ++delivered; });
        QFAIL("not cancelled");
      } catch (const ft::Error& e) {
        QCOMPARE(e.code(), ft::ErrorCode::Cancelled);
      }
      QCOMPARE(delivered, 0);
    }
  }

  void cleanupTestCase() {
    ours_.reset();
    plain_.reset();
  }

 private:
  std::unique_ptr<TestServer> ours_, plain_;
};

QTEST_GUILESS_MAIN(TestRemoteFind)
#include "test_remote_find.moc"
