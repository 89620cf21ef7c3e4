#include "command_context.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "filetracker/error.hpp"
#include "interrupt.hpp"

namespace ft::cli {

Client& CommandContext::client() {
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

RemoteDataStore& CommandContext::remote() {
  std::string url = options_.remote_url.value_or("");
  if (url.empty())
    throw Error(ErrorCode::InvalidArgument, "no server configured: give -r URL or set FILETRACKER_URL");
  if (!standalone_remote_) {
    standalone_remote_ = std::make_unique<RemoteDataStore>(url, timeouts());
    standalone_remote_->set_cancel_flag(&interrupted());
  }
  return *standalone_remote_;
}

RemoteTimeouts CommandContext::timeouts() const {
  RemoteTimeouts t;
  t.connect_ms = std::min(t.connect_ms, options_.timeout_seconds * 1000);
  t.stall_seconds = options_.timeout_seconds;
  return t;
}

std::filesystem::path CommandContext::cache_dir() const {
  if (options_.cache_dir && !options_.cache_dir->empty()) return *options_.cache_dir;
  return Client::default_cache_dir();
}

void CommandContext::verbose(const std::string& line) const {
  if (options_.verbose > 0) std::fprintf(stderr, "filetracker: %s\n", line.c_str());
}

CommandContext::Transfer::Transfer(CommandContext& context, const std::string& label) : remote_(nullptr) {
  // Progress comes from whichever remote store this command uses.
  if (context.client_) remote_ = dynamic_cast<RemoteDataStore*>(context.client_->remote_store());
  if (!remote_) remote_ = context.standalone_remote_.get();
  if (!remote_) return;
  bar_ = std::make_unique<ProgressBar>(context.options_.progress, label);
  ProgressBar* bar = bar_.get();
  auto bytes = network_bytes_;
  remote_->set_progress_callback([bar, bytes](TransferPhase phase, std::uint64_t done, std::uint64_t total) {
    if (phase != TransferPhase::Hashing) *bytes = std::max(*bytes, done);
    bar->update(phase, done, total);
  });
}

CommandContext::Transfer::~Transfer() {
  if (remote_) remote_->set_progress_callback({});
  if (bar_) bar_->finish();
}

}  // namespace ft::cli
