// filetracker-server: command line of the deployed server, plus our flags.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "filetracker/error.hpp"
#include "filetracker/size_string.hpp"
#include "filetracker/server/http_server.hpp"
#include "filetracker/server/log.hpp"
#include "filetracker/server/storage.hpp"
#include "import_command.hpp"
#include "migrate_command.hpp"
#include "passwd_command.hpp"

int main(int argc, char** argv) {
  namespace srv = ft::server;
  srv::ServerOptions options;
  std::string data_dir;
  std::string log_file;
  std::string log_level = "info";
  bool daemon_ignored = false;
  bool no_extensions = false;
  bool check = false;
  bool check_content = false;
  bool repair = false;
  unsigned idle_timeout = 60;
  unsigned transfer_timeout = 60;
  std::string auth_file;
  std::string anonymous;

  CLI::App app{"filetracker-server: stores filetracker files and serves them over HTTP (protocol version 2)"};
  app.add_option("-d,--dir", data_dir, "data directory (default: $FILETRACKER_DIR)");
  app.add_option("-l,--listen-on", options.address, "address to listen on")->capture_default_str();
  app.add_option("-p,--port", options.port, "port to listen on (0: any free port)")->capture_default_str();
  app.add_option("-L,--log", log_file, "append the log to this file instead of stderr");
  app.add_option("--log-level", log_level, "debug, info (one line per request), warning or error")
      ->capture_default_str();
  app.add_option("--workers", options.workers, "threads serving requests (default: one per CPU, at least 2)");
  app.add_flag("-D,--no-daemon", daemon_ignored, "accepted for compatibility and ignored: always in the foreground");
  app.add_flag("--no-extensions", no_extensions,
               "turn all protocol extensions off and behave like the deployed Python server: always gzip, no "
               "SHA256-Checksum on GET/HEAD, no JSON listing, checksums not verified, none advertised in /version");
  app.add_option("--max-upload-size", options.max_upload_size,
                 "largest accepted request body in bytes, and content a gzip body inflates to; bigger uploads "
                 "get 413 (0: no limit)")
      ->capture_default_str();
  app.add_option("--max-uploads", options.max_uploads,
                 "uploads (PUT bodies) received at once; more get 503 with Retry-After (0: no limit)")
      ->capture_default_str();
  app.add_option("--idle-timeout", idle_timeout, "seconds a keep-alive connection may wait for its next request")
      ->capture_default_str();
  app.add_option("--transfer-timeout", transfer_timeout,
                 "seconds a body transfer may make no progress before the connection is closed")
      ->capture_default_str();
  app.add_option("--gzip-level", options.gzip_level, "compression level (1-9) for uploads that arrive uncompressed")
      ->check(CLI::Range(1, 9))
      ->capture_default_str();
  app.add_option("--big-gzip-level", options.big_gzip_level,
                 "compression level (1-9) for uploads that arrive uncompressed and are longer than 16 MiB, where "
                 "compressing is the slowest stage of the upload")
      ->check(CLI::Range(1, 9))
      ->capture_default_str();
  app.add_option("--deflate-threads", options.deflate_threads,
                 "threads that compress those uploads while connections receive and hash them (0: one per CPU; 1: "
                 "on the connection's thread)")
      ->check(CLI::Range(0, 256));
  app.add_option("--inline-max-size", options.inline_max_size,
                 "blobs whose upload body and stored (compressed) form are at most BYTES are kept inside the index, "
                 "so a small upload costs one index commit (one fsync) instead of three; 0: every blob is a file. "
                 "Blobs stay where they were stored when this changes")
      ->capture_default_str();
  app.add_flag("--check", check,
               "do not serve: verify that the index and the blobs agree, print every difference, exit 1 on problems "
               "(exit 2 while a server is running on the directory)");
  app.add_flag("--check-content", check_content, "with --check: also decompress every blob and verify its SHA-256");
  app.add_flag("--repair", repair,
               "with --check: remove blobs no file refers to and interrupted uploads (start-up does not scan for "
               "them), print each removal");
  std::string import_upstream, import_tree;
  auto* upstream_option = app.add_option(
      "--import-upstream", import_upstream,
      "do not serve: import the Python server's data directory OLD_DIR (links/ and blobs/) into -d DIR, linking its "
      "blobs, then exit; running it again continues (exit 1 when some entries could not be imported, each listed)");
  app.add_option("--import-tree", import_tree,
                 "do not serve: import a plain directory of files (name = path below it, version = mtime), then exit")
      ->excludes(upstream_option);
  app.add_option("--auth", auth_file,
                 "access control: principals from this file (see passwd); re-read on SIGHUP; without it everyone has "
                 "full access");
  app.add_option("--anonymous", anonymous,
                 "what a request without credentials may do: none, read, write or admin (default: none with --auth, "
                 "admin without)")
      ->check(CLI::IsMember({"none", "read", "write", "admin"}));
  std::string tls_cert, tls_key;
  std::uint16_t tls_port = 0;
  app.add_option("--tls-cert", tls_cert,
                 "HTTPS: the server's certificate chain (PEM); with --tls-key; re-read on SIGHUP");
  app.add_option("--tls-key", tls_key, "HTTPS: the certificate's private key (PEM)");
  auto* tls_port_option = app.add_option(
      "--tls-port", tls_port, "serve HTTPS on this port and plain HTTP on --port (default: HTTPS only, on --port)");
  std::string fallback_mode = "redirect";
  unsigned fallback_timeout = 30;
  auto* fallback_url_option = app.add_option(
      "--fallback-url", options.fallback_url,
      "live migration: GET and HEAD of a name missing here go to the old server at this URL (http:// or "
      "https://); PUT and DELETE stay here, a name deleted here is not taken from it again, /list merges both");
  app.add_option("--fallback-mode", fallback_mode,
                 "with --fallback-url: redirect (answer 307 to the same path there, like the Python server) or pull "
                 "(fetch the file, verify it, store it here with its version, answer it)")
      ->check(CLI::IsMember({"redirect", "pull"}))
      ->needs(fallback_url_option)
      ->capture_default_str();
  app.add_option("--fallback-timeout", fallback_timeout,
                 "with --fallback-url: seconds to connect to the old server and that it may make no progress; then "
                 "the request gets 504")
      ->check(CLI::Range(1u, 3600u))
      ->needs(fallback_url_option)
      ->capture_default_str();
  app.add_option("--index", options.backends.index_url,
                 "scale-out: the index in PostgreSQL at this URL (postgresql://USER@HOST:PORT/DB, libpq's form; "
                 "&schema=NAME keeps the tables in that schema), shared by every server on it (default: "
                 "DIR/index.sqlite3)");
  app.add_option("--blobs", options.backends.blobs_spec,
                 "scale-out: the blobs in an S3-compatible store, s3://BUCKET[/PREFIX]?endpoint=URL&region=R, "
                 "credentials from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (default: DIR/blobs)");
  std::string blob_cache_size = "1G";
  app.add_option("--blob-cache-size", blob_cache_size,
                 "with --blobs s3://: bytes of hot blobs kept in DIR/blob-cache (e.g. 512M, 2G; 0: no cache)")
      ->capture_default_str();
  unsigned grace_seconds = 3600;
  app.add_option("--blob-grace-period", grace_seconds,
                 "with --index postgresql:// and --blobs s3://: seconds a blob stays after its last reference went, "
                 "before it is deleted")
      ->check(CLI::Range(1u, 365u * 86400u))
      ->capture_default_str();
  app.add_option("--keep-versions", options.history.keep_versions,
                 "version history: keep the last N superseded versions of every name (0: none; see --keep-for)")
      ->check(CLI::Range(0u, 1000000u))
      ->capture_default_str();
  std::string keep_for;
  auto* keep_for_option = app.add_option("--keep-for", keep_for,
                 "version history: keep superseded versions for this long (90s, 15m, 12h, 7d, 2w); with "
                 "--keep-versions too, a version goes when either bound says so");
  bool migrate = false;
  std::string migrate_from, migrate_to;
  auto* migrate_flag = app.add_flag(
      "--migrate-storage", migrate,
      "do not serve: copy every file of the store --from into the store --to with its version (local to "
      "PostgreSQL + S3 and back), verifying each blob's SHA-256, then exit; the source is only read; running it "
      "again continues (exit 1 when some files could not be copied, each listed)");
  app.add_option("--from", migrate_from,
                 "with --migrate-storage: the source, local:DIR or postgresql://...+s3://... (the --index and --blobs "
                 "URLs joined by '+') or shared (the --index and --blobs given)")
      ->needs(migrate_flag);
  app.add_option("--to", migrate_to, "with --migrate-storage: the target, in the same forms as --from")
      ->needs(migrate_flag);
  PasswdCommand passwd;
  auto* passwd_app = passwd.add_to(app);
  CLI11_PARSE(app, argc, argv);
  if (passwd_app->parsed()) return passwd.run();

  if (migrate) {
    if (migrate_from.empty() || migrate_to.empty()) {
      std::cerr << "filetracker-server: --migrate-storage needs --from and --to\n";
      return 2;
    }
    try {
      if (auto level = srv::parse_log_level(log_level)) srv::set_log_level(*level);
      if (!log_file.empty()) srv::set_log_file(log_file);
      return srv::run_migrate(migrate_from, migrate_to, options.backends.index_url, options.backends.blobs_spec,
                              options.inline_max_size);
    } catch (const srv::DirectoryInUse& e) {
      std::cerr << "filetracker-server: " << e.what() << '\n';
      return 2;
    } catch (const ft::Error& e) {
      std::cerr << "filetracker-server: " << e.what() << '\n';
      return e.code() == ft::ErrorCode::InvalidArgument ? 2 : 1;
    } catch (const std::exception& e) {
      std::cerr << "filetracker-server: " << e.what() << '\n';
      return 1;
    }
  }
  if (data_dir.empty()) {
    if (const char* env = std::getenv("FILETRACKER_DIR")) data_dir = env;
  }
  const bool shared_check = (check || check_content || repair) && !options.backends.local();
  if (data_dir.empty() && !shared_check) {
    std::cerr << "filetracker-server: no data directory: use -d DIR or set FILETRACKER_DIR\n";
    return 2;
  }
  options.data_dir = data_dir;
  options.extensions = !no_extensions;
  options.idle_timeout = std::chrono::seconds(idle_timeout);
  options.transfer_timeout = std::chrono::seconds(transfer_timeout);
  options.auth_file = auth_file;
  options.tls_cert = tls_cert;
  options.tls_key = tls_key;
  if (tls_port_option->count()) options.tls_port = tls_port;
  if (!anonymous.empty()) options.anonymous = srv::parse_access_level(anonymous);
  if (!options.fallback_url.empty() && options.fallback_url.rfind("http://", 0) != 0 &&
      options.fallback_url.rfind("https://", 0) != 0) {
    std::cerr << "filetracker-server: --fallback-url must start with http:// or https://: \"" << options.fallback_url
              << "\"\n";
    return 2;
  }
  options.fallback_mode = fallback_mode == "pull" ? srv::ServerOptions::FallbackMode::Pull
                                                  : srv::ServerOptions::FallbackMode::Redirect;
  options.fallback_timeout = std::chrono::seconds(fallback_timeout);
  options.backends.blob_grace_period = std::chrono::seconds(grace_seconds);
  try {
    options.backends.blob_cache_bytes = blob_cache_size == "0" ? 0 : ft::parse_size(blob_cache_size);
  } catch (const std::exception& e) {
    std::cerr << "filetracker-server: --blob-cache-size: " << e.what() << '\n';
    return 2;
  }
  if (keep_for_option->count()) {
    auto duration = srv::parse_history_duration(keep_for);
    if (!duration) {
      std::cerr << "filetracker-server: --keep-for: not a duration such as 90s, 15m, 12h, 7d or 2w: \"" << keep_for
                << "\"\n";
      return 2;
    }
    options.history.keep_for = *duration;
  }

  try {
    auto level = srv::parse_log_level(log_level);
    if (!level) {
      std::cerr << "filetracker-server: unknown log level \"" << log_level << "\" (debug, info, warning, error)\n";
      return 2;
    }
    srv::set_log_level(*level);
    if (!log_file.empty()) srv::set_log_file(log_file);

    if (!import_upstream.empty() || !import_tree.empty()) {
      const bool upstream = !import_upstream.empty();
      return srv::run_import(upstream ? srv::ImportSource::Upstream : srv::ImportSource::Tree, options.data_dir,
                             upstream ? import_upstream : import_tree, options.gzip_level);
    }
    if (check || check_content || repair) {
      if (shared_check && repair) {
        std::cerr << "filetracker-server: --repair works on a local store; on --index/--blobs the blob reaper "
                     "removes unreferenced blobs (after --blob-grace-period)\n";
        return 2;
      }
      if (shared_check && (options.backends.index_url.empty() || options.backends.blobs_spec.empty())) {
        std::cerr << "filetracker-server: --check of a shared store needs both --index and --blobs\n";
        return 2;
      }
      auto report = shared_check ? srv::check_shared_storage(options.data_dir, options.backends.index_url,
                                                             options.backends.blobs_spec, check_content)
                                 : srv::check_storage(options.data_dir, check_content, repair);
      const std::string where = shared_check ? options.backends.index_url + " + " + options.backends.blobs_spec
                                             : data_dir;
      for (const auto& fixed : report.repaired) std::cout << "repaired: " << fixed << '\n';
      for (const auto& problem : report.problems) std::cout << "problem: " << problem << '\n';
      std::cout << where << ": " << report.files << " file(s), "
                << (report.kept_versions ? std::to_string(report.kept_versions) + " kept version(s), " : std::string())
                << report.blobs << " blob(s), "
                << (report.awaiting_reaper
                        ? std::to_string(report.awaiting_reaper) + " unreferenced (the reaper deletes them), "
                        : std::string())
                << report.problems.size() << " problem(s)\n";
      return report.problems.empty() ? 0 : 1;
    }
    return srv::run_server(options);
  } catch (const srv::DirectoryInUse& e) {
    std::cerr << "filetracker-server: " << e.what() << '\n';
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "filetracker-server: " << e.what() << '\n';
    return 1;
  }
}
