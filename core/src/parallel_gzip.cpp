#include "filetracker/parallel_gzip.hpp"

#include <zlib.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "filetracker/error.hpp"

namespace ft {
namespace {

constexpr std::size_t kWindow = 32 * 1024;  // deflate's window: the dictionary of the next block

// Threads that run deflate jobs for every ParallelGzipEncoder of the process.
// Made on first use, so a program that never compresses a big content never
// starts one; joined at exit.
class DeflatePool {
 public:
  static DeflatePool& instance(unsigned threads) {
    static DeflatePool pool(threads);
    return pool;
  }

  void submit(std::function<void()> job) {
    {
      std::lock_guard lock(mutex_);
      jobs_.push_back(std::move(job));
    }
    wake_.notify_one();
  }

  unsigned size() const { return static_cast<unsigned>(threads_.size()); }

  ~DeflatePool() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    for (auto& t : threads_) t.join();
  }

 private:
  explicit DeflatePool(unsigned threads) {
    if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
    for (unsigned i = 0; i < threads; ++i) threads_.emplace_back([this] { run(); });
  }

  void run() {
    for (;;) {
      std::function<void()> job;
      {
        std::unique_lock lock(mutex_);
        wake_.wait(lock, [&] { return stopping_ || !jobs_.empty(); });
        if (jobs_.empty()) return;  // stopping, nothing left
        job = std::move(jobs_.front());
        jobs_.pop_front();
      }
      job();
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> jobs_;  // GUARDED_BY(mutex_)
  bool stopping_ = false;                   // GUARDED_BY(mutex_)
  std::vector<std::thread> threads_;
};

// One block's work: its input (and the dictionary before it) in, raw
// deflate and the input's CRC-32 out.
struct Block {
  std::string input;
  std::string dictionary;
  bool last = false;
  int level = 6;
  // Results, written by the worker before `done` is set under the encoder's mutex.
  std::string output;
  uLong crc = 0;
  uLong length = 0;
  bool failed = false;
  bool done = false;

  void deflate_it() {
    crc = crc32(0L, reinterpret_cast<const Bytef*>(input.data()), static_cast<uInt>(input.size()));
    length = static_cast<uLong>(input.size());
    z_stream zs{};
    // windowBits -15: raw deflate, the gzip wrapper is the encoder's.
    if (deflateInit2(&zs, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
      failed = true;
      return;
    }
    if (!dictionary.empty() &&
        deflateSetDictionary(&zs, reinterpret_cast<const Bytef*>(dictionary.data()),
                             static_cast<uInt>(dictionary.size())) != Z_OK) {
      deflateEnd(&zs);
      failed = true;
      return;
    }
    // deflateBound covers Z_FINISH; a sync flush adds at most a few bytes more.
    output.resize(deflateBound(&zs, static_cast<uLong>(input.size())) + 16);
    zs.next_in = reinterpret_cast<Bytef*>(input.data());
    zs.avail_in = static_cast<uInt>(input.size());
    zs.next_out = reinterpret_cast<Bytef*>(output.data());
    zs.avail_out = static_cast<uInt>(output.size());
    const int rc = ::deflate(&zs, last ? Z_FINISH : Z_SYNC_FLUSH);
    const bool ok = last ? rc == Z_STREAM_END : (rc == Z_OK && zs.avail_in == 0 && zs.avail_out > 0);
    output.resize(output.size() - zs.avail_out);
    deflateEnd(&zs);
    if (!ok) failed = true;
    std::string().swap(input);  // its memory is not needed while the block waits its turn
    std::string().swap(dictionary);
  }
};

}  // namespace

struct ParallelGzipEncoder::Impl {
  int level;
  DeflatePool& pool;
  std::size_t max_in_flight;
  std::string current;   // the block being filled
  std::string previous_tail;  // the last kWindow bytes before `current`
  std::deque<std::shared_ptr<Block>> in_flight;  // in content order
  std::mutex mutex;
  std::condition_variable block_done;
  uLong crc = crc32(0L, Z_NULL, 0);
  std::uint64_t size = 0;
  bool header_sent = false;
  bool finished = false;

  Impl(int lvl, unsigned threads)
      : level(lvl), pool(DeflatePool::instance(threads)), max_in_flight(pool.size() + 1) {}

  void send_header(const ChunkSink& out) {
    if (header_sent) return;
    // RFC 1952: ID1 ID2, CM deflate, no flags, MTIME 0, XFL 0, OS 3 (Unix).
    static const char header[10] = {'\x1f', '\x8b', 8, 0, 0, 0, 0, 0, 0, 3};
    out(std::string_view(header, sizeof header));
    header_sent = true;
  }

  void submit(bool last) {
    auto block = std::make_shared<Block>();
    block->level = level;
    block->last = last;
    block->dictionary = previous_tail;
    // Only the last block can be shorter than the window, and nothing follows it.
    if (current.size() >= kWindow) previous_tail.assign(current, current.size() - kWindow, kWindow);
    block->input = std::move(current);
    current = std::string();
    current.reserve(kBlock);
    in_flight.push_back(block);
    pool.submit([this, block] {
      block->deflate_it();
      // Notified under the lock: once `done` is seen the encoder may be
      // destroyed, and with it this condition variable.
      std::lock_guard lock(mutex);
      block->done = true;
      block_done.notify_all();
    });
  }

  // Writes out the finished blocks at the front, in order, waiting for the
  // front one while more than `keep_at_most` blocks are in flight.
  void drain(const ChunkSink& out, std::size_t keep_at_most) {
    while (!in_flight.empty()) {
      auto front = in_flight.front();
      {
        std::unique_lock lock(mutex);
        if (!front->done) {
          if (in_flight.size() <= keep_at_most) return;
          block_done.wait(lock, [&] { return front->done; });
        }
      }
      in_flight.pop_front();
      if (front->failed) throw Error(ErrorCode::Io, "gzip: compression failed");
      crc = crc32_combine(crc, front->crc, static_cast<z_off_t>(front->length));
      send_header(out);
      if (!front->output.empty()) out(front->output);
    }
  }

  // Blocks still referenced by a worker job own themselves (shared_ptr);
  // what must not outlive the encoder is the job touching `mutex`.
  void wait_all() {
    std::unique_lock lock(mutex);
    for (auto& b : in_flight) block_done.wait(lock, [&] { return b->done; });
  }
};

ParallelGzipEncoder::ParallelGzipEncoder(int level, unsigned threads)
    : impl_(std::make_unique<Impl>(level, threads)) {
  impl_->current.reserve(kBlock);
}

ParallelGzipEncoder::~ParallelGzipEncoder() { impl_->wait_all(); }

void ParallelGzipEncoder::write(std::string_view data, const ChunkSink& out) {
  auto& d = *impl_;
  while (!data.empty()) {
    const std::size_t take = std::min(data.size(), kBlock - d.current.size());
    d.size += take;
    d.current.append(data.substr(0, take));
    data.remove_prefix(take);
    if (d.current.size() == kBlock) {
      d.submit(false);
      d.drain(out, d.max_in_flight);
    }
  }
  d.drain(out, d.max_in_flight);
}

void ParallelGzipEncoder::finish(const ChunkSink& out) {
  auto& d = *impl_;
  if (d.finished) return;
  d.submit(true);
  d.drain(out, 0);
  d.send_header(out);
  unsigned char trailer[8];
  const std::uint32_t crc = static_cast<std::uint32_t>(d.crc), isize = static_cast<std::uint32_t>(d.size);
  for (int i = 0; i < 4; ++i) {
    trailer[i] = static_cast<unsigned char>(crc >> (8 * i));
    trailer[4 + i] = static_cast<unsigned char>(isize >> (8 * i));
  }
  out(std::string_view(reinterpret_cast<const char*>(trailer), sizeof trailer));
  d.finished = true;
}

}  // namespace ft
