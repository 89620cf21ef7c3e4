// What every `filetracker` command runs in: the global options, the caching
// Client built from them (lazily: `cache` commands need no server), the
// server alone for commands that skip the cache, and progress display. One
// per process, made by main() after the command line is parsed.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "filetracker/client.hpp"
#include "filetracker/remote_data_store.hpp"
#include "progress_bar.hpp"

namespace ft::cli {

struct GlobalOptions {
  std::optional<std::string> remote_url;         // -r / FILETRACKER_URL
  std::optional<std::filesystem::path> cache_dir;  // -c / FILETRACKER_DIR
  int verbose = 0;                                // -v, repeatable
  ProgressMode progress = ProgressMode::Auto;
  long timeout_seconds = 60;  // --timeout: a stalled transfer or connect gives up
};

class CommandContext {
 public:
  explicit CommandContext(GlobalOptions options) : options_(std::move(options)) {}

  const GlobalOptions& options() const { return options_; }
  // The caching client (cache + server when a URL is configured).
  Client& client();
  // The server, or Error(InvalidArgument) telling how to configure one.
  RemoteDataStore& remote();
  // The cache directory the client uses.
  std::filesystem::path cache_dir() const;

  // A progress bar for a transfer of `label`, fed by the remote store until
  // the returned object is destroyed.
  class Transfer {
   public:
    Transfer(CommandContext& context, const std::string& label);
    ~Transfer();
    Transfer(const Transfer&) = delete;
    Transfer& operator=(const Transfer&) = delete;

    // Bytes that crossed the network (0: everything came from the cache).
    std::uint64_t network_bytes() const { return *network_bytes_; }

   private:
    RemoteDataStore* remote_;
    std::unique_ptr<ProgressBar> bar_;
    std::shared_ptr<std::uint64_t> network_bytes_ = std::make_shared<std::uint64_t>(0);
  };

  // Prints a line on stderr when -v was given.
  void verbose(const std::string& line) const;

 private:
  RemoteTimeouts timeouts() const;
  GlobalOptions options_;
  std::unique_ptr<Client> client_;
  std::unique_ptr<RemoteDataStore> standalone_remote_;
};

}  // namespace ft::cli
