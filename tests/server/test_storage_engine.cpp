// The storage engine's commit sequence without HTTP: a Storage over a real
// SQLite index and a fake BlobStore (below) that keeps blobs in memory and
// fails on demand, the way a full or broken disk would. What is checked is
// what the index and the blob store hold afterwards.
#include <sys/mman.h>
#include <unistd.h>

#include <QTemporaryDir>
#include <QtTest>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <future>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>

#include "filetracker/checksum.hpp"
#include "filetracker/gzip.hpp"
#include "filetracker/server/blob_store.hpp"
#include "filetracker/server/disk_full.hpp"
#include "filetracker/server/index.hpp"
#include "filetracker/server/read_cache.hpp"
#include "filetracker/server/storage.hpp"
#include "filetracker/server/upload_receiver.hpp"

using namespace ft::server;

namespace {

// Where a FakeBlobStore fails: the errno of the failure (0: it does not).
enum class FaultPoint { MakeDurable, Adopt, Sync };

// What a FakeBlobStore holds; the test keeps a handle after the Storage
// took the store.
struct FakeBlobs {
  std::mutex mutex;
  std::map<std::string, std::string> blobs;  // sha256 -> gzip bytes
  int live_uploads = 0;                      // begun, not adopted, not discarded
  int adoptions = 0;                         // uploads made blobs
  int leftover_temporaries = 0;              // "interrupted uploads" found at start-up
  std::map<FaultPoint, int> faults;

  // Throws like the local store does: disk full as std::system_error, other errors as Error(Io).
  void maybe_fail(FaultPoint point, const std::string& what) {
    int err = 0;
    {
      std::lock_guard lock(mutex);
      auto it = faults.find(point);
      if (it != faults.end()) err = it->second;
    }
    if (err) throw_storage_errno(what, err);
  }
  std::set<std::string> keys() {
    std::lock_guard lock(mutex);
    std::set<std::string> out;
    for (const auto& [sha, bytes] : blobs) out.insert(sha);
    return out;
  }
  int uploads() {
    std::lock_guard lock(mutex);
    return live_uploads;
  }
  int adopted() {
    std::lock_guard lock(mutex);
    return adoptions;
  }
};

class FakeUpload final : public BlobUpload {
 public:
  explicit FakeUpload(std::shared_ptr<FakeBlobs> state) : state_(std::move(state)) {
    std::lock_guard lock(state_->mutex);
    ++state_->live_uploads;
  }
  ~FakeUpload() override {
    if (adopted_) return;
    std::lock_guard lock(state_->mutex);
    --state_->live_uploads;
  }
  void write(std::string_view gzip_bytes) override { bytes_.append(gzip_bytes); }
  void make_durable() override { state_->maybe_fail(FaultPoint::MakeDurable, "fake upload: cannot fsync"); }
  std::uint64_t bytes_written() const override { return bytes_.size(); }

  std::string take() {
    adopted_ = true;
    std::lock_guard lock(state_->mutex);
    --state_->live_uploads;
    return std::move(bytes_);
  }

 private:
  std::shared_ptr<FakeBlobs> state_;
  std::string bytes_;
  bool adopted_ = false;
};

class FakeBlobStore final : public BlobStore {
 public:
  explicit FakeBlobStore(std::shared_ptr<FakeBlobs> state) : state_(std::move(state)) {}

  std::unique_ptr<BlobUpload> begin_upload() override { return std::make_unique<FakeUpload>(state_); }
  void adopt(BlobUpload& upload, const std::string& sha256) override {
    state_->maybe_fail(FaultPoint::Adopt, "fake blob " + sha256 + ": cannot store the blob");
    std::string bytes = static_cast<FakeUpload&>(upload).take();
    std::lock_guard lock(state_->mutex);
    ++state_->adoptions;
    state_->blobs[sha256] = std::move(bytes);
  }
  void sync(const ParallelFor&) override { state_->maybe_fail(FaultPoint::Sync, "fake blob store: cannot fsync"); }
  void remove(const std::string& sha256) noexcept override {
    std::lock_guard lock(state_->mutex);
    state_->blobs.erase(sha256);
  }
  std::optional<OpenBlob> open(const std::string& sha256) override {
    std::string bytes;
    {
      std::lock_guard lock(state_->mutex);
      auto it = state_->blobs.find(sha256);
      if (it == state_->blobs.end()) return std::nullopt;
      bytes = it->second;
    }
    int fd = ::memfd_create("fake-blob", MFD_CLOEXEC);
    if (fd < 0 || ::write(fd, bytes.data(), bytes.size()) != static_cast<ssize_t>(bytes.size())) ft::throw_errno("memfd");
    return OpenBlob{fd, bytes.size()};
  }
  void for_each_blob(const std::function<void(const std::string&)>& visit) override {
    for (const auto& sha : state_->keys()) visit(sha);
  }
  std::size_t count_temporaries() override {
    std::lock_guard lock(state_->mutex);
    return static_cast<std::size_t>(state_->leftover_temporaries + state_->live_uploads);
  }
  std::size_t remove_temporaries() override {
    std::lock_guard lock(state_->mutex);
    return static_cast<std::size_t>(std::exchange(state_->leftover_temporaries, 0));
  }

 private:
  std::shared_ptr<FakeBlobs> state_;
};

// A Storage over a FakeBlobStore and a SQLite index in a temporary directory.
struct Engine {
  explicit Engine(std::shared_ptr<FakeBlobs> shared = std::make_shared<FakeBlobs>()) : blobs(std::move(shared)) {
    QVERIFY(dir.isValid());
    storage.emplace(std::make_unique<FakeBlobStore>(blobs), make_sqlite_index(index_path()));
  }
  std::filesystem::path index_path() const { return std::filesystem::path(dir.path().toStdString()) / "index.sqlite3"; }

  QTemporaryDir dir;
  std::shared_ptr<FakeBlobs> blobs;
  std::optional<Storage> storage;
};

CommitResult wait_for(std::future<CommitResult> result) {
  if (result.wait_for(std::chrono::seconds(30)) != std::future_status::ready)
    return CommitResult{CommitOutcome::Failed, 0, "test: the storage did not answer within 30 s"};
  return result.get();
}

CommitResult put(Storage& storage, const std::string& name, ft::Version version, const std::string& content) {
  UploadReceiver receiver(storage.begin_upload(), /*body_is_gzip=*/false);
  receiver.write(content);
  receiver.finish();
  FileRecord record{name, version, receiver.sha256(), receiver.logical_size()};
  auto promise = std::make_shared<std::promise<CommitResult>>();
  auto result = promise->get_future();
  storage.put(std::move(record), receiver.release(), [promise](CommitResult r) { promise->set_value(std::move(r)); });
  return wait_for(std::move(result));
}

CommitResult remove(Storage& storage, const std::string& name, ft::Version version) {
  auto promise = std::make_shared<std::promise<CommitResult>>();
  auto result = promise->get_future();
  storage.remove(name, version, [promise](CommitResult r) { promise->set_value(std::move(r)); });
  return wait_for(std::move(result));
}

// The content stored under `name`, read back through the storage; nullopt when there is no such file.
std::optional<std::string> content(Storage& storage, const std::string& name) {
  auto file = storage.open(name);
  if (!file) return std::nullopt;
  std::string blob;
  if (file->small_blob) {
    blob = *file->small_blob;
  } else {
    blob.resize(file->blob.stored_size);
    ssize_t n = ::pread(file->blob.fd, blob.data(), blob.size(), 0);
    ::close(file->blob.fd);
    if (n != static_cast<ssize_t>(blob.size())) return std::nullopt;
  }
  return ft::gzip_decompress(blob);
}

std::map<std::string, std::int64_t> references(Index& index) {
  std::map<std::string, std::int64_t> out;
  index.for_each_blob_reference([&](const std::string& sha, std::int64_t n) { out[sha] = n; });
  return out;
}

}  // namespace

Q_DECLARE_METATYPE(FaultPoint)
Q_DECLARE_METATYPE(CommitOutcome)

class TestStorageEngine : public QObject {
  Q_OBJECT

 private slots:
  // A small write that finds the writer idle is committed on its caller's
  // thread before put() returns (Storage::enqueue); a blob file goes to the
  // writer thread. The background orphan sweep still ends when small writes
  // start at once and keep coming, and a new one still batches behind them.
  void smallWritesCommitOnTheirCaller() {
    QTemporaryDir tmp;
    const std::filesystem::path data = std::filesystem::path(tmp.path().toStdString()) / "data";
    const auto self = std::this_thread::get_id();
    // The thread that ran the commit's callback (a default id: not applied in time).
    auto committed_on = [](Storage& storage, const std::string& name, const std::string& content) {
      UploadReceiver receiver(storage.begin_upload(content.size()), /*body_is_gzip=*/false);
      receiver.write(content);
      receiver.finish();
      FileRecord record{name, 10, receiver.sha256(), receiver.logical_size()};
      auto promise = std::make_shared<std::promise<std::thread::id>>();
      auto future = promise->get_future();
      storage.put(std::move(record), receiver.release(), [promise](CommitResult r) {
        promise->set_value(r.outcome == CommitOutcome::Applied ? std::this_thread::get_id() : std::thread::id());
      });
      return future.wait_for(std::chrono::seconds(30)) == std::future_status::ready ? future.get() : std::thread::id();
    };
    {
      Storage storage(data);
      // Small writes from the first moment, while the writer counts the
      // index and begins its sweep: they go either way, and the sweep ends.
      for (int i = 0; i < 300; ++i)
        QVERIFY(committed_on(storage, "/early/" + std::to_string(i), "early " + std::to_string(i)) != std::thread::id());
      QTRY_VERIFY_WITH_TIMEOUT(storage.orphan_sweep_finished(), 10000);
      // The writer reports a step or a batch done just before it lets go
      // of the index (microseconds): give it that before writes that must
      // find it idle.
      QTest::qWait(100);
      for (int i = 0; i < 50; ++i)
        QVERIFY(committed_on(storage, "/small/" + std::to_string(i), "content " + std::to_string(i)) == self);
      std::mt19937 random(7);
      std::string big(200 * 1024, '\0');
      for (char& c : big) c = static_cast<char>(random());
      const std::thread::id writer = committed_on(storage, "/big", big);
      QVERIFY(writer != std::thread::id());
      QVERIFY(writer != self);
      QTest::qWait(100);  // as above: the writer lets go after the big write's callback
      auto promise = std::make_shared<std::promise<std::thread::id>>();
      auto future = promise->get_future();
      storage.remove("/small/0", 10, [promise](CommitResult r) {
        promise->set_value(r.outcome == CommitOutcome::Applied ? std::this_thread::get_id() : std::thread::id());
      });
      QVERIFY(future.wait_for(std::chrono::seconds(30)) == std::future_status::ready);
      QVERIFY(future.get() == self);
    }
    Storage again(data);  // all of it is there after a restart
    QCOMPARE(content(again, "/early/299"), std::optional<std::string>("early 299"));
    QCOMPARE(content(again, "/small/49"), std::optional<std::string>("content 49"));
    QCOMPARE(content(again, "/small/0"), std::optional<std::string>());
    QCOMPARE(content(again, "/big")->size(), std::size_t(200 * 1024));
  }

  void putThenRead() {
    Engine e;
    const std::string text = "hello, engine";
    CommitResult r = put(*e.storage, "/a/b.txt", 100, text);
    QCOMPARE(r.outcome, CommitOutcome::Applied);
    QCOMPARE(r.version, ft::Version(100));
    QCOMPARE(content(*e.storage, "/a/b.txt"), std::optional<std::string>(text));
    auto record = e.storage->index().find("/a/b.txt");
    QVERIFY(record);
    QCOMPARE(record->sha256, ft::sha256_hex(text));
    QCOMPARE(record->size, std::uint64_t(text.size()));
    // The blob is keyed by the content's SHA-256 and holds its gzip.
    QCOMPARE(e.blobs->keys(), std::set<std::string>{ft::sha256_hex(text)});
    QCOMPARE(e.blobs->uploads(), 0);
    QVERIFY(e.storage->index().directory_exists("/a"));
  }

  void bigBlobReadFromItsFile() {
    // Blobs above the read cache's limit come back as an open descriptor.
    Engine e;
    std::string random(200 * 1024, '\0');
    std::uint32_t x = 12345;
    for (auto& c : random) c = static_cast<char>((x = x * 1103515245u + 12345u) >> 24);
    QCOMPARE(put(*e.storage, "/big", 1, random).outcome, CommitOutcome::Applied);
    auto file = e.storage->open("/big");
    QVERIFY(file);
    QVERIFY(!file->small_blob);
    QVERIFY(file->blob.fd >= 0);
    ::close(file->blob.fd);
    QCOMPARE(content(*e.storage, "/big"), std::optional<std::string>(random));
  }

  void failedWriteStoresNothing_data() {
    QTest::addColumn<FaultPoint>("point");
    QTest::addColumn<int>("err");
    QTest::addColumn<CommitOutcome>("outcome");
    QTest::newRow("fsync of the upload: I/O error") << FaultPoint::MakeDurable << EIO << CommitOutcome::Failed;
    QTest::newRow("fsync of the upload: disk full") << FaultPoint::MakeDurable << ENOSPC << CommitOutcome::DiskFull;
    QTest::newRow("fsync of the upload: quota") << FaultPoint::MakeDurable << EDQUOT << CommitOutcome::DiskFull;
    QTest::newRow("adopting the blob: I/O error") << FaultPoint::Adopt << EIO << CommitOutcome::Failed;
    QTest::newRow("adopting the blob: disk full") << FaultPoint::Adopt << ENOSPC << CommitOutcome::DiskFull;
    // After the rename: the adopted blob must go again.
    QTest::newRow("directory fsync: I/O error") << FaultPoint::Sync << EIO << CommitOutcome::Failed;
    QTest::newRow("directory fsync: disk full") << FaultPoint::Sync << ENOSPC << CommitOutcome::DiskFull;
  }
  void failedWriteStoresNothing() {
    QFETCH(FaultPoint, point);
    QFETCH(int, err);
    QFETCH(CommitOutcome, outcome);
    Engine e;
    QCOMPARE(put(*e.storage, "/keep", 10, "kept content").outcome, CommitOutcome::Applied);
    const auto before = e.blobs->keys();
    {
      std::lock_guard lock(e.blobs->mutex);
      e.blobs->faults[point] = err;
    }
    CommitResult r = put(*e.storage, "/lost", 10, "never stored");
    QCOMPARE(r.outcome, outcome);
    QVERIFY(!r.reason.empty());
    QVERIFY2(r.reason.find('\n') == std::string::npos, r.reason.c_str());
    // Nothing indexed, no blob, no upload left, and the earlier file intact.
    QVERIFY(!e.storage->index().find("/lost"));
    QVERIFY(!e.storage->find("/lost"));
    QCOMPARE(e.blobs->keys(), before);
    QCOMPARE(e.blobs->uploads(), 0);
    QCOMPARE(references(e.storage->index()), (std::map<std::string, std::int64_t>{{ft::sha256_hex("kept content"), 1}}));
    QCOMPARE(content(*e.storage, "/keep"), std::optional<std::string>("kept content"));
    // Once the fault is gone the same write succeeds.
    {
      std::lock_guard lock(e.blobs->mutex);
      e.blobs->faults.clear();
    }
    QCOMPARE(put(*e.storage, "/lost", 10, "stored now").outcome, CommitOutcome::Applied);
    QCOMPARE(content(*e.storage, "/lost"), std::optional<std::string>("stored now"));
  }

  void diskFullIsAnErrorCode() {
    // What the engine's backends throw for a full disk, and how it is recognised.
    for (int err : {ENOSPC, EDQUOT}) {
      std::exception_ptr error;
      try {
        throw_storage_errno("/data/blobs/tmp/upload.1: cannot write", err);
      } catch (...) {
        error = std::current_exception();
      }
      QVERIFY(is_disk_full(error));
      try {
        std::rethrow_exception(error);
      } catch (const std::system_error& e) {
        QVERIFY(is_disk_full(e.code()));
        QVERIFY(std::string(e.what()).find("/data/blobs/tmp/upload.1: cannot write") == 0);
      }
    }
    std::exception_ptr other;
    try {
      throw_storage_errno("/data/x: cannot write", EIO);
    } catch (...) {
      other = std::current_exception();
    }
    QVERIFY(!is_disk_full(other));
    QVERIFY(!is_disk_full(std::exception_ptr()));
    QVERIFY(!is_disk_full(std::make_error_code(std::errc::io_error)));
  }

  void namesShareOneBlob() {
    Engine e;
    const std::string same = "the same bytes under two names";
    const std::string sha = ft::sha256_hex(same);
    QCOMPARE(put(*e.storage, "/one", 10, same).outcome, CommitOutcome::Applied);
    QCOMPARE(put(*e.storage, "/two", 10, same).outcome, CommitOutcome::Applied);
    QCOMPARE(e.blobs->keys(), std::set<std::string>{sha});
    QCOMPARE(references(e.storage->index()), (std::map<std::string, std::int64_t>{{sha, 2}}));
    QCOMPARE(e.blobs->adopted(), 1);  // the second upload was discarded, not adopted
    QCOMPARE(e.blobs->uploads(), 0);

    QCOMPARE(remove(*e.storage, "/one", 10).outcome, CommitOutcome::Applied);
    QCOMPARE(e.blobs->keys(), std::set<std::string>{sha});  // "/two" still needs it
    QCOMPARE(references(e.storage->index()), (std::map<std::string, std::int64_t>{{sha, 1}}));
    QCOMPARE(content(*e.storage, "/two"), std::optional<std::string>(same));

    QCOMPARE(remove(*e.storage, "/two", 10).outcome, CommitOutcome::Applied);
    QCOMPARE(e.blobs->keys(), std::set<std::string>{});  // gone with its last name
    QVERIFY(references(e.storage->index()).empty());
  }

  void replacingContentDropsTheOldBlob() {
    Engine e;
    QCOMPARE(put(*e.storage, "/f", 10, "first").outcome, CommitOutcome::Applied);
    QCOMPARE(put(*e.storage, "/f", 11, "second").outcome, CommitOutcome::Applied);
    QCOMPARE(e.blobs->keys(), std::set<std::string>{ft::sha256_hex("second")});
    // The same content again under a newer version keeps the blob.
    QCOMPARE(put(*e.storage, "/f", 12, "second").outcome, CommitOutcome::Applied);
    QCOMPARE(e.blobs->keys(), std::set<std::string>{ft::sha256_hex("second")});
    QCOMPARE(e.storage->find("/f")->version, ft::Version(12));
  }

  void highestVersionWins_data() {
    QTest::addColumn<QStringList>("steps");  // "put V content" or "rm V"
    QTest::addColumn<QStringList>("versions");  // the version each step answers (0 with no file)
    QTest::addColumn<QString>("stored");     // content at the end; empty: no file
    QTest::newRow("older put changes nothing") << QStringList{"put 10 ten", "put 5 five"} << QStringList{"10", "10"} << "ten";
    // One content per version: other content under the stored version is
    // stored as the next one; the same content again changes nothing.
    QTest::newRow("equal put of other content is the next version") << QStringList{"put 10 ten", "put 10 again"} << QStringList{"10", "11"} << "again";
    QTest::newRow("equal put of the same content changes nothing") << QStringList{"put 10 ten", "put 10 ten"} << QStringList{"10", "10"} << "ten";
    QTest::newRow("a third same-second put is older") << QStringList{"put 10 ten", "put 10 again", "put 10 third"} << QStringList{"10", "11", "11"} << "again";
    QTest::newRow("newer put replaces") << QStringList{"put 10 ten", "put 20 twenty"} << QStringList{"10", "20"} << "twenty";
    QTest::newRow("older delete changes nothing") << QStringList{"put 10 ten", "rm 9"} << QStringList{"10", "10"} << "ten";
    QTest::newRow("equal delete deletes") << QStringList{"put 10 ten", "rm 10"} << QStringList{"10", "10"} << "";
    QTest::newRow("newer delete deletes") << QStringList{"put 10 ten", "rm 50", "put 5 five"} << QStringList{"10", "50", "5"} << "five";
  }
  void highestVersionWins() {
    QFETCH(QStringList, steps);
    QFETCH(QStringList, versions);
    QFETCH(QString, stored);
    Engine e;
    for (int i = 0; i < steps.size(); ++i) {
      const QStringList parts = steps[i].split(' ');
      const ft::Version version = parts[1].toLongLong();
      CommitResult r = parts[0] == "put" ? put(*e.storage, "/v", version, parts[2].toStdString())
                                         : remove(*e.storage, "/v", version);
      QCOMPARE(r.outcome, CommitOutcome::Applied);
      QCOMPARE(r.version, ft::Version(versions[i].toLongLong()));
    }
    if (stored.isEmpty()) {
      QVERIFY(!content(*e.storage, "/v"));
      QVERIFY(e.blobs->keys().empty());
    } else {
      QCOMPARE(content(*e.storage, "/v"), std::optional<std::string>(stored.toStdString()));
      QCOMPARE(e.blobs->keys(), std::set<std::string>{ft::sha256_hex(stored.toStdString())});
    }
  }

  void noVersionAfterTheLargest() {
    Engine e;
    const ft::Version max = std::numeric_limits<ft::Version>::max();
    QCOMPARE(put(*e.storage, "/m", max, "one").outcome, CommitOutcome::Applied);
    CommitResult r = put(*e.storage, "/m", max, "two");
    QCOMPARE(r.outcome, CommitOutcome::NoNextVersion);
    QCOMPARE(content(*e.storage, "/m"), std::optional<std::string>("one"));
    QCOMPARE(e.blobs->keys(), std::set<std::string>{ft::sha256_hex("one")});
  }

  void refusedWrites() {
    Engine e;
    CommitResult missing = remove(*e.storage, "/nothing", 10);
    QCOMPARE(missing.outcome, CommitOutcome::NotFound);
    QCOMPARE(missing.reason, std::string("/nothing: file not found"));
    QCOMPARE(put(*e.storage, "/file", 10, "f").outcome, CommitOutcome::Applied);
    QCOMPARE(put(*e.storage, "/file/below", 10, "x").outcome, CommitOutcome::NameClash);
    QCOMPARE(put(*e.storage, "/dir/inner", 10, "i").outcome, CommitOutcome::Applied);
    QCOMPARE(put(*e.storage, "/dir", 10, "x").outcome, CommitOutcome::NameClash);
    QVERIFY(!e.storage->find("/file/below"));
    QVERIFY(!e.storage->find("/dir"));
    QCOMPARE(e.blobs->keys(), (std::set<std::string>{ft::sha256_hex("f"), ft::sha256_hex("i")}));
    QCOMPARE(e.blobs->uploads(), 0);
  }

  void startUpRemovesLeftovers() {
    auto blobs = std::make_shared<FakeBlobs>();
    QTemporaryDir dir;
    const auto index_file = std::filesystem::path(dir.path().toStdString()) / "index.sqlite3";
    {
      // A previous run: one file whose blob is stored, one whose blob is lost.
      Storage first(std::make_unique<FakeBlobStore>(blobs), make_sqlite_index(index_file));
      QCOMPARE(put(first, "/kept", 1, "kept").outcome, CommitOutcome::Applied);
      QCOMPARE(put(first, "/lost", 1, "lost").outcome, CommitOutcome::Applied);
    }
    {
      std::lock_guard lock(blobs->mutex);
      blobs->blobs.erase(ft::sha256_hex("lost"));
      blobs->blobs["0000000000000000000000000000000000000000000000000000000000000000"] = "orphan";
      blobs->leftover_temporaries = 2;
    }
    Storage second(std::make_unique<FakeBlobStore>(blobs), make_sqlite_index(index_file));
    // Start-up removes only the interrupted uploads; the orphan goes in the
    // background sweep (the missing blob is --check's to report).
    QCOMPARE(second.recovery().temporaries, std::size_t(2));
    QTRY_COMPARE(blobs->keys(), std::set<std::string>{ft::sha256_hex("kept")});
    QCOMPARE(content(second, "/kept"), std::optional<std::string>("kept"));
    // Writes go on while (and after) it sweeps.
    QCOMPARE(put(second, "/new", 2, "new").outcome, CommitOutcome::Applied);
    QCOMPARE(content(second, "/new"), std::optional<std::string>("new"));
  }

  // An upload that has sent little holds no coder and writes nothing yet
  // (a stalled one must cost a few KiB); past kPendingLimit it streams; the
  // content is the same either way. A bound stops it within a chunk.
  void uploadReceiverIsLazyAndBounded_data() {
    QTest::addColumn<bool>("gzip");
    QTest::newRow("plain body") << false;
    QTest::newRow("gzip body") << true;
  }
  void uploadReceiverIsLazyAndBounded() {
    QFETCH(bool, gzip);
    Engine e;
    std::string content;
    for (int i = 0; content.size() < 200000; ++i) content += std::to_string(i * 7919) + (i % 3 ? " " : "\n");
    const std::string body = gzip ? ft::gzip_compress(content) : content;
    auto upload = e.storage->begin_upload();
    BlobUpload* raw = upload.get();
    UploadReceiver receiver(std::move(upload), gzip);
    receiver.write(std::string_view(body).substr(0, UploadReceiver::kPendingLimit / 2));
    QCOMPARE(raw->bytes_written(), std::uint64_t(0));
    QCOMPARE(receiver.logical_size(), std::uint64_t(0));  // not even decoded yet
    for (std::size_t at = UploadReceiver::kPendingLimit / 2; at < body.size(); at += 5000)
      receiver.write(std::string_view(body).substr(at, 5000));
    receiver.finish();
    QCOMPARE(receiver.logical_size(), std::uint64_t(content.size()));
    QCOMPARE(receiver.sha256(), ft::sha256_hex(content));

    UploadReceiver bounded(e.storage->begin_upload(), gzip, 6, 50000);
    try {
      for (std::size_t at = 0; at < body.size(); at += 5000) bounded.write(std::string_view(body).substr(at, 5000));
      bounded.finish();
      QFAIL("content past the bound was accepted");
    } catch (const UploadReceiver::TooLarge&) {
      QVERIFY(bounded.logical_size() > 50000);
      QVERIFY(bounded.logical_size() <= 50000 + UploadReceiver::kPendingLimit + 16 * 1024);
    }
  }

  // The read caches are bounded by the bytes they hold, not by entries:
  // names can be 16 KiB long.
  void readCachesBoundedByBytes_data() {
    QTest::addColumn<int>("nameLength");
    QTest::addColumn<int>("count");
    QTest::newRow("short names") << 10 << 5000;
    QTest::newRow("16 KiB names") << 16 * 1024 << 500;
  }
  void readCachesBoundedByBytes() {
    QFETCH(int, nameLength);
    QFETCH(int, count);
    const std::size_t budget = 256 * 1024;
    ft::server::RecordCache records(budget);
    for (int i = 0; i < count; ++i) {
      FileRecord r{"/" + std::string(std::size_t(nameLength), 'n') + std::to_string(i), 10, std::string(64, 'a'), 1};
      std::uint64_t generation = 0;
      QVERIFY(!records.find(r.name, &generation));
      records.insert(r, generation);
      QVERIFY(records.bytes() <= budget);
      QVERIFY(records.find(r.name, &generation));  // what fits is cached
    }
    QVERIFY(records.bytes() > 0);
    // An entry bigger than the whole budget is never cached.
    ft::server::RecordCache tiny(1000);
    FileRecord huge{"/" + std::string(16 * 1024, 'h'), 10, std::string(64, 'a'), 1};
    std::uint64_t generation = 0;
    QVERIFY(!tiny.find(huge.name, &generation));
    tiny.insert(huge, generation);
    QCOMPARE(tiny.bytes(), std::size_t(0));
    QVERIFY(!tiny.find(huge.name, &generation));

    ft::server::BlobCache blobs(32 * 1024, budget);
    for (int i = 0; i < 100; ++i) {
      blobs.insert(std::to_string(i), std::make_shared<const std::string>(std::size_t(nameLength), 'b'));
      QVERIFY(blobs.bytes() <= budget);
    }
  }

  void stoppedWriterRefuses() {
    Engine e;
    e.storage->stop_writer();
    CommitResult r = put(*e.storage, "/late", 10, "late");
    QCOMPARE(r.outcome, CommitOutcome::ShuttingDown);
    QVERIFY(!e.storage->index().find("/late"));
    QCOMPARE(e.blobs->uploads(), 0);
    QVERIFY(e.blobs->keys().empty());
  }
};

QTEST_GUILESS_MAIN(TestStorageEngine)
#include "test_storage_engine.moc"
