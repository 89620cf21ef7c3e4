// A writer killed (SIGKILL) in the middle of writing a big file into the
// cache: the cache holds the old file or the new one, never a torn one, and
// no temp file shows up under a real name.
#include <QScopeGuard>
#include <QtTest>

#include <chrono>
#include <streambuf>
#include <thread>

#include "files.hpp"
#include "filetracker/atomic_file.hpp"
#include "filetracker/confined_dir.hpp"
#include "filetracker/local_data_store.hpp"
#include "forked_child.hpp"
#include "temp_dirs.hpp"

namespace fs = std::filesystem;
using test::Child;

namespace {

constexpr std::size_t kOldSize = 4u << 20;
constexpr std::size_t kNewSize = 48u << 20;
constexpr std::size_t kChunk = 256u << 10;

char old_byte(std::size_t i) { return static_cast<char>('a' + i % 13); }
char new_byte(std::size_t i) { return static_cast<char>('A' + i % 17); }

// Produces kNewSize bytes of the "new" pattern slowly, telling the parent
// (one 'S' on `notify`) once the first chunk has been handed out.
class SlowBuf : public std::streambuf {
 public:
  explicit SlowBuf(int notify) : notify_(notify), buffer_(kChunk) {}

 protected:
  int_type underflow() override {
    if (produced_ >= kNewSize) return traits_type::eof();
    if (produced_ > 0) std::this_thread::sleep_for(std::chrono::milliseconds(3));
    for (std::size_t i = 0; i < kChunk; ++i) buffer_[i] = new_byte(produced_ + i);
    produced_ += kChunk;
    setg(buffer_.data(), buffer_.data(), buffer_.data() + kChunk);
    if (produced_ == kChunk * 2) Child::put(notify_, 'S');  // the first chunk is written by now
    return traits_type::to_int_type(buffer_[0]);
  }

 private:
  int notify_;
  std::size_t produced_ = 0;
  std::vector<char> buffer_;
};

// Which complete version `content` is, or "torn".
QString classify(const std::string& content) {
  auto matches = [&](std::size_t size, char (*byte)(std::size_t)) {
    if (content.size() != size) return false;
    for (std::size_t i = 0; i < size; ++i) {
      if (content[i] != byte(i)) return false;
    }
    return true;
  };
  if (matches(kOldSize, old_byte)) return "old";
  if (matches(kNewSize, new_byte)) return "new";
  return QString("torn (%1 bytes)").arg(content.size());
}

// The files `pid` has open that are unnamed (O_TMPFILE: "/dir/#123 (deleted)")
// in `dir`, as paths through /proc that stat() follows.
std::vector<fs::path> unnamed_open_files(pid_t pid, const fs::path& dir) {
  std::vector<fs::path> out;
  const fs::path fds = "/proc/" + std::to_string(pid) + "/fd";
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(fds, ec)) {
    const std::string target = fs::read_symlink(e.path(), ec).string();
    if (ec) continue;
    if (target.rfind(dir.string() + "/", 0) == 0 && target.find(" (deleted)") != std::string::npos) out.push_back(e.path());
  }
  return out;
}

std::vector<fs::path> temp_files(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (ft::is_temp_name(e.path().filename().string())) out.push_back(e.path());
  }
  return out;
}

}  // namespace

class TestCrashMidWrite : public QObject {
  Q_OBJECT

 private slots:
  void killedWriter_data() {
    QTest::addColumn<int>("killAfterMs");  // after the write started; -1: after it finished
    QTest::addColumn<bool>("unnamed");     // O_TMPFILE (false: as on a file system without it)
    for (bool unnamed : {true, false}) {
      const char* how = unnamed ? "unnamed temp" : "named temp";
      QTest::addRow("just started, %s", how) << 0 << unnamed;
      QTest::addRow("early, %s", how) << 20 << unnamed;
      QTest::addRow("middle, %s", how) << 80 << unnamed;
      QTest::addRow("finished, %s", how) << -1 << unnamed;
    }
  }
  void killedWriter() {
    QFETCH(int, killAfterMs);
    QFETCH(bool, unnamed);
    ft::set_unnamed_files_enabled(unnamed);
    auto restore = qScopeGuard([] { ft::set_unnamed_files_enabled(true); });
    auto dir = test::scratch_dir();
    const fs::path cache = test::path_of(*dir) / "cache";
    {
      ft::LocalDataStore store(cache);
      std::string old(kOldSize, '\0');
      for (std::size_t i = 0; i < kOldSize; ++i) old[i] = old_byte(i);
      std::istringstream in(old);
      store.add_stream("/tests/big.bin@1000", in);
    }
    const fs::path real = cache / "files" / "tests" / "big.bin";

    Child writer([&](int in, int out) {
      ft::LocalDataStore store(cache);
      SlowBuf buf(out);
      std::istream slow(&buf);
      store.add_stream("/tests/big.bin@2000", slow);
      Child::put(out, 'D');
      Child::get(in);  // wait to be killed
    });
    QCOMPARE(writer.receive(20000), std::optional<char>('S'));
    if (killAfterMs >= 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(killAfterMs));
      // Prove we kill it mid-write: the temp file is there, growing, and the
      // real name still holds the old file. An unnamed one is seen only
      // through the writer's open descriptors.
      const auto temps = unnamed ? unnamed_open_files(writer.pid(), real.parent_path()) : temp_files(cache / "files");
      QCOMPARE(temps.size(), std::size_t(1));
      if (!unnamed) QCOMPARE(temps[0].parent_path(), real.parent_path());
      if (unnamed) QVERIFY(temp_files(cache).empty());
      QVERIFY(fs::file_size(temps[0]) > 0);
      QVERIFY(fs::file_size(temps[0]) < kNewSize);
      QCOMPARE(test::mtime_of(real), 1000LL);
    } else {
      QCOMPARE(writer.receive(60000), std::optional<char>('D'));
    }
    writer.kill9();
    QCOMPARE(writer.wait(), -1);  // killed by the signal

    const QString state = classify(test::read_file(real));
    QCOMPARE(state, QString(killAfterMs >= 0 ? "old" : "new"));
    QCOMPARE(test::mtime_of(real), killAfterMs >= 0 ? 1000LL : 2000LL);  // the version matches the content

    // Nothing but the real file under a real name.
    ft::LocalDataStore store(cache);
    const auto files = store.list_files();
    QCOMPARE(files.size(), std::size_t(1));
    QCOMPARE(files[0].name, std::string(killAfterMs >= 0 ? "/tests/big.bin@1000" : "/tests/big.bin@2000"));
    for (const auto& e : fs::recursive_directory_iterator(cache / "files")) {
      if (e.is_regular_file() && e.path() != real) {
        QVERIFY2(ft::is_temp_name(e.path().filename().string()), e.path().c_str());
      }
    }
    // An unnamed temp file vanished with the writer; a named one stays
    // (until `cache clean` takes it, see the cache pruner's tests).
    if (killAfterMs < 0 || unnamed) QVERIFY(temp_files(cache).empty());
    if (killAfterMs >= 0 && !unnamed) QCOMPARE(temp_files(cache / "files").size(), std::size_t(1));

    // The cache keeps working after the crash.
    std::istringstream in("after");
    store.add_stream("/tests/big.bin@3000", in);
    QCOMPARE(test::read_file(real), std::string("after"));
  }
};

QTEST_GUILESS_MAIN(TestCrashMidWrite)
#include "test_crash_mid_write.moc"
