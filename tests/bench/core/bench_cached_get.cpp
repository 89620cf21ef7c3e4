// Cached get_file of a versioned name per second, through ft::Client (local
// cache, flock locks, a remote store configured but never asked), side by side
// with the raw cost of the system calls a cache hit cannot avoid: link() of
// the cached file to the destination and stat() of it.
//
//   bench_core_cached_get [--files N] [--size BYTES] [--rounds R] [--dir DIR]
//
// DIR (default: a fresh directory under the current one, removed afterwards)
// must be on the file system to measure. Each round fetches every file once to
// a fresh destination; destinations are removed between rounds, untimed. The
// best round of each kind counts (least disturbed by other load).
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "filetracker/cache_record.hpp"
#include "filetracker/client.hpp"
#include "filetracker/local_data_store.hpp"
#include "filetracker/lock_manager.hpp"
#include "filetracker/memory_data_store.hpp"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
  int files = 2000;
  std::size_t size = 4096;
  int rounds = 7;
  fs::path dir;
};

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "bench_core_cached_get: %s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--files") {
      o.files = std::max(1, std::atoi(next().c_str()));
    } else if (a == "--size") {
      o.size = static_cast<std::size_t>(std::atoll(next().c_str()));
    } else if (a == "--rounds") {
      o.rounds = std::max(1, std::atoi(next().c_str()));
    } else if (a == "--dir") {
      o.dir = next();
    } else {
      std::fprintf(stderr, "usage: bench_core_cached_get [--files N] [--size BYTES] [--rounds R] [--dir DIR]\n");
      std::exit(a == "--help" || a == "-h" ? 0 : 2);
    }
  }
  return o;
}

void clear_destinations(const std::vector<fs::path>& dests) {
  for (const auto& d : dests) ::unlink(d.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  Options o = parse(argc, argv);
  bool remove_dir = false;
  if (o.dir.empty()) {
    o.dir = fs::current_path() / ("bench-cached-get-" + std::to_string(::getpid()));
    remove_dir = true;
  }
  try {
    fs::create_directories(o.dir);
    const fs::path cache = o.dir / "cache";
    const fs::path out = o.dir / "out";
    fs::create_directories(out);

    auto local = std::make_shared<ft::LocalDataStore>(cache);
    auto remote = std::make_shared<ft::MemoryDataStore>();
    auto locks = std::make_shared<ft::FlockLockManager>(cache / "locks");
    ft::Client client(local, remote, locks);

    std::vector<std::string> names;
    std::vector<fs::path> cached, dests;
    const std::string content(o.size, 'x');
    for (int i = 0; i < o.files; ++i) {
      const std::string name = "/bench/d" + std::to_string(i % 20) + "/f" + std::to_string(i) + ".in";
      std::istringstream in(content);
      names.push_back(local->add_stream(name + "@1420070410", in));
      cached.push_back(local->path_of(name));
      dests.push_back(out / ("f" + std::to_string(i)));
    }
    // Warm-up: creates the lock files, fills the dentry cache.
    for (int i = 0; i < o.files; ++i) client.get_file(names[i], dests[i]);
    clear_destinations(dests);

    double best_client = 0, best_raw = 0;
    for (int r = 0; r < o.rounds; ++r) {
      auto t0 = Clock::now();
      for (int i = 0; i < o.files; ++i) client.get_file(names[i], dests[i]);
      auto t1 = Clock::now();
      clear_destinations(dests);

      auto t2 = Clock::now();
      for (int i = 0; i < o.files; ++i) {
        if (::link(cached[i].c_str(), dests[i].c_str()) != 0) {
          std::perror("link");
          return 1;
        }
        struct stat st {};
        if (::stat(dests[i].c_str(), &st) != 0) {
          std::perror("stat");
          return 1;
        }
      }
      auto t3 = Clock::now();
      clear_destinations(dests);

      best_client = std::max(best_client, o.files / std::chrono::duration<double>(t1 - t0).count());
      best_raw = std::max(best_raw, o.files / std::chrono::duration<double>(t3 - t2).count());
    }
    for (const auto& path : cached) {
      struct stat st {};
      if (::lstat(path.c_str(), &st) != 0 || !ft::has_cache_seal(st)) {
        std::fprintf(stderr, "bench_core_cached_get: %s lost its seal: the integrity fast path was not measured\n",
                     path.c_str());
        return 1;
      }
    }
    if (remote->call_counts().get != 0) {
      std::fprintf(stderr, "bench_core_cached_get: the remote store was asked: not a cache hit\n");
      return 1;
    }
    std::printf("cached get_file of a versioned name (%d files of %zu B, best of %d rounds, %s)\n", o.files, o.size,
                o.rounds, o.dir.c_str());
    std::printf("  ft::Client::get_file   %12.0f /s  (%.2f us each)\n", best_client, 1e6 / best_client);
    std::printf("  raw link + stat        %12.0f /s  (%.2f us each)\n", best_raw, 1e6 / best_raw);
    std::printf("  ratio client / raw     %12.2f     (aim: >= 0.50)\n", best_client / best_raw);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_core_cached_get: %s\n", e.what());
    if (remove_dir) fs::remove_all(o.dir);
    return 1;
  }
  if (remove_dir) fs::remove_all(o.dir);
  return 0;
}
