#include "session.hpp"

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>

#include "filetracker/error.hpp"

namespace ft::cli {

std::atomic<bool>& interrupted() {
  static std::atomic<bool> flag{false};
  return flag;
}

namespace {

extern "C" void on_signal(int signal) {
  // The first signal asks for a clean stop (temp files removed); a second
  // one kills the process the default way.
  interrupted().store(true);
  std::signal(signal, SIG_DFL);
}

}  // namespace

void install_signal_handlers() {
  static_assert(std::atomic<bool>::is_always_lock_free);
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  // A closed stdout (`filetracker cat x | head`) is an EPIPE write error, not a kill.
  std::signal(SIGPIPE, SIG_IGN);
}

Client& Session::client() {
  if (!client_) {
    ClientOptions options;
    options.cache_dir = options_.cache_dir;
    options.remote_url = options_.remote_url;
    client_ = std::make_unique<Client>(options);
    client_->set_warning_sink([](const std::string& line) { std::fprintf(stderr, "filetracker: warning: %s\n", line.c_str()); });
    if (auto* remote = dynamic_cast<RemoteDataStore*>(client_->remote_store())) {
      remote->set_cancel_flag(&interrupted());
      remote->set_timeouts(timeouts());
    }
  }
  return *client_;
}

RemoteDataStore& Session::remote() {
  std::string url = options_.remote_url.value_or("");
  if (url.empty())
    throw Error(ErrorCode::InvalidArgument, "no server configured: give -r URL or set FILETRACKER_URL");
  if (!standalone_remote_) {
    standalone_remote_ = std::make_unique<RemoteDataStore>(url, timeouts());
    standalone_remote_->set_cancel_flag(&interrupted());
  }
  return *standalone_remote_;
}

RemoteTimeouts Session::timeouts() const {
  RemoteTimeouts t;
  t.connect_ms = std::min(t.connect_ms, options_.timeout_seconds * 1000);
  t.stall_seconds = options_.timeout_seconds;
  return t;
}

std::filesystem::path Session::cache_dir() const {
  if (options_.cache_dir && !options_.cache_dir->empty()) return *options_.cache_dir;
  return Client::default_cache_dir();
}

void Session::verbose(const std::string& line) const {
  if (options_.verbose > 0) std::fprintf(stderr, "filetracker: %s\n", line.c_str());
}

Session::Transfer::Transfer(Session& session, const std::string& label) : remote_(nullptr) {
  // Progress comes from whichever remote store this session uses.
  if (session.client_) remote_ = dynamic_cast<RemoteDataStore*>(session.client_->remote_store());
  if (!remote_) remote_ = session.standalone_remote_.get();
  if (!remote_) return;
  bar_ = std::make_unique<ProgressBar>(session.options_.progress, label);
  ProgressBar* bar = bar_.get();
  auto bytes = network_bytes_;
  remote_->set_progress_callback([bar, bytes](TransferPhase phase, std::uint64_t done, std::uint64_t total) {
    if (phase != TransferPhase::Hashing) *bytes = std::max(*bytes, done);
    bar->update(phase, done, total);
  });
}

Session::Transfer::~Transfer() {
  if (remote_) remote_->set_progress_callback({});
  if (bar_) bar_->finish();
}

}  // namespace ft::cli
