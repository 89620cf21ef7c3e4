// filetracker: the command line client (compatible with the deployed
// Python `filetracker` shell tool, plus size, ls and cache commands).
//
// Exit status: 0 success, 1 error (one line on stderr), 2 usage error,
// 130 interrupted.
#include <CLI/CLI.hpp>

#include <clocale>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <langinfo.h>
#include <exception>
#include <string>

#include "archive_commands.hpp"
#include "commands.hpp"
#include "filetracker/error.hpp"
#include "command_context.hpp"
#include "history_commands.hpp"
#include "interrupt.hpp"
#include "find_command.hpp"
#include "mount_command.hpp"
#include "sync_command.hpp"

namespace {

constexpr const char* kDescription =
    "filetracker - get and put files on a filetracker server, through a local cache.\n"
    "\n"
    "Names look like absolute paths (/tests/a/1.in); NAME@VERSION names one version\n"
    "(VERSION: Unix time in seconds). A versioned name is served from the cache when\n"
    "it is there, without asking the server; an unversioned one always asks the\n"
    "server for the newest version. `filetracker mount DIR` shows the store as a\n"
    "file system (ls, cat, cp, grep -r, editors) until `fusermount3 -u DIR`.";

constexpr const char* kFooter =
    "Environment:\n"
    "  FILETRACKER_URL   server URL when -r is not given (no URL: the cache alone)\n"
    "  FILETRACKER_DIR   cache directory when -c is not given (default ~/.filetracker-store)\n"
    "  FILETRACKER_TOKEN             Bearer token (NAME.SECRET) for a server with access control\n"
    "  FILETRACKER_USER, _PASSWORD   HTTP Basic credentials (or in the URL: http://NAME:SECRET@host:9999;\n"
    "                                without either, ~/.netrc is used)\n"
    "  FILETRACKER_CACERT            CA certificates (PEM) for https when --cacert is not given\n"
    "\n"
    "Exit status: 0 success, 1 error, 2 usage error, 130 interrupted.\n"
    "Each command has its own --help, e.g. `filetracker get --help`.\n";

int usage_error(const std::string& message) {
  std::fprintf(stderr, "filetracker: %s (see filetracker --help)\n", message.c_str());
  return 2;
}

// The first word that is not an option (or an option's value), if it names
// no command: CLI11 would only say "a subcommand is required".
std::string unknown_command(int argc, char** argv, const CLI::App& app) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "-r" || arg == "--remote-url" || arg == "-c" || arg == "--cache-dir" || arg == "--progress" ||
        arg == "--timeout" || arg == "--cacert") {
      ++i;
      continue;
    }
    if (!arg.empty() && arg[0] == '-') continue;
    try {
      app.get_subcommand(arg);
      return {};
    } catch (const CLI::OptionNotFound&) {
      return arg;
    }
  }
  return {};
}

}  // namespace

int main(int argc, char** argv) {
  using namespace ft::cli;
  install_signal_handlers();
  // Names are UTF-8; libarchive converts archive entry names through the
  // locale's charset, so a C/POSIX locale would lose every non-ASCII one.
  if (!std::setlocale(LC_CTYPE, "") || std::strcmp(nl_langinfo(CODESET), "UTF-8") != 0)
    std::setlocale(LC_CTYPE, "C.UTF-8");

  CLI::App app{kDescription, "filetracker"};
  app.footer(kFooter);
  app.require_subcommand(1);
  app.fallthrough();
  app.get_formatter()->column_width(34);

  GlobalOptions global;
  std::string remote_url;
  std::string cache_dir;
  std::string progress = "auto";
  app.add_option("-r,--remote-url", remote_url, "URL of the filetracker server, e.g. http://host:9999")
      ->envname("FILETRACKER_URL");
  app.add_option("-c,--cache-dir", cache_dir, "local cache directory")->envname("FILETRACKER_DIR");
  app.add_flag("-v,--verbose", global.verbose, "say what happens, on stderr (repeatable)");
  app.add_option("--progress", progress, "progress bar on stderr: auto (when a terminal, transfers > 1 s), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  app.add_option("--timeout", global.timeout_seconds,
                 "seconds without progress (connecting, sending or receiving) before giving up")
      ->capture_default_str()
      ->check(CLI::Range(1L, 86400L));
  std::string cacert;
  app.add_option("--cacert", cacert, "https: trust the CA certificates in this PEM file instead of the system's")
      ->envname("FILETRACKER_CACERT")
      ->check(CLI::ExistingFile);

  // get / cat
  GetArgs get_args;
  auto* get = app.add_subcommand("get", "download NAME into the local file LOCAL (through the cache)");
  get->add_flag("-c,--no-cache", get_args.no_cache, "do not store the file in the local cache");
  get->add_flag("-f,--refresh", get_args.refresh, "do not read from the local cache; ask the server");
  bool get_archive = false;
  get->add_flag("--archive", get_archive,
                "NAME is a directory: write every file below it into the archive LOCAL (format from its name: .zip, "
                ".tar, .tar.gz, .tgz, .tar.zst; - writes tar to standard output), mtimes = versions");
  get->add_option("NAME", get_args.name, "filetracker name, optionally NAME@VERSION")->required();
  get->add_option("LOCAL", get_args.local, "local file to write (replaced atomically)")->required();

  GetArgs cat_args;
  auto* cat = app.add_subcommand("cat", "write the content of NAME to standard output");
  cat->add_flag("-c,--no-cache", cat_args.no_cache, "do not store the file in the local cache");
  cat->add_flag("-f,--refresh", cat_args.refresh, "do not read from the local cache; ask the server");
  cat->add_option("NAME", cat_args.name, "filetracker name, optionally NAME@VERSION")->required();

  // put
  PutArgs put_args;
  auto* put = app.add_subcommand("put", "upload the local file LOCAL as NAME; prints the versioned name stored");
  put->add_flag("--no-local-cache", put_args.no_local_cache, "do not store the file in the local cache");
  put->add_flag("--no-remote-cache", put_args.no_remote_cache, "do not upload; store in the local cache only");
  put->add_flag("--no-compress", put_args.no_compress, "send the bytes as they are; the server compresses");
  PutExtractArgs extract_args;
  bool put_extract = false;
  put->add_flag("--extract", put_extract,
                "LOCAL is an archive (zip, tar, tar.gz, tar.bz2, tar.xz, tar.zst, 7z): store each file in it as "
                "NAME/<its path>, versions = mtimes; a hostile archive is refused whole");
  put->add_option("--max-entries", extract_args.max_entries, "--extract: refuse an archive of more entries (default 100000)")
      ->check(CLI::PositiveNumber);
  put->add_option("--max-size", extract_args.max_size,
                  "--extract: refuse an archive that unpacks to more than SIZE, e.g. 4G (default 16G)");
  put->add_option("--max-ratio", extract_args.max_ratio,
                  "--extract: refuse an archive that unpacks to more than RATIO times its size (default 1000)")
      ->check(CLI::PositiveNumber);
  put->add_flag("--version-now", extract_args.version_now,
                "--extract: store every file with the current time as version instead of its mtime");
  put->add_option("LOCAL", put_args.local, "local file to upload")->required();
  put->add_option("NAME", put_args.name,
                  "filetracker name; NAME@VERSION stores that version, else the version is now")
      ->required();

  // rm / version / size
  std::string rm_name, version_name, size_name;
  auto* rm = app.add_subcommand("rm", "delete NAME from the server and the cache (NAME@VERSION: only if not newer)");
  rm->add_option("NAME", rm_name, "filetracker name")->required();
  auto* version = app.add_subcommand("version", "print the newest version of NAME (Unix seconds)");
  version->add_option("NAME", version_name, "filetracker name (a version in it is ignored)")->required();
  auto* size = app.add_subcommand("size", "print the size of NAME in bytes (uncompressed)");
  size->add_option("NAME", size_name, "filetracker name, optionally NAME@VERSION")->required();

  // history / restore (a server with --keep-versions or --keep-for)
  HistoryArgs history_args;
  auto* history = app.add_subcommand(
      "history", "list the versions the server keeps of NAME, newest first: versioned name, size in bytes, date "
                 "(UTC), SHA-256 prefix; the current one marked");
  history->add_flag("--purge", history_args.purge,
                    "remove the kept (not current) versions of NAME instead, / for every name (admin only)");
  history->add_option("NAME", history_args.name, "filetracker name, without a version")->required();
  std::string restore_name;
  auto* restore = app.add_subcommand(
      "restore", "make the kept version NAME@VERSION current again, under a new version; prints the versioned name");
  restore->add_option("NAME", restore_name, "NAME@VERSION, a version `filetracker history NAME` lists")->required();

  // ls
  LsArgs ls_args;
  auto* ls = app.add_subcommand(
      "ls", "list a directory on the server: date (UTC), version, size in bytes, name; directories end with /");
  ls->add_flag("-r,--recursive", ls_args.recursive, "every file below DIR instead of one level");
  ls->add_option("DIR", ls_args.directory, "directory to list (default /)");

  // find
  FindArgs find_args;
  auto* find = app.add_subcommand(
      "find", "print the files below DIR whose names match --name and lie within the bounds: NAME@VERSION  SIZE");
  find->add_option("--name", find_args.name,
                   "glob: * ? [a-z] within a component, ** across /; no / in it: the last component at any depth "
                   "(\"*.out\"), a leading /: the whole name (\"/problems/*/tests/1*.in\"), else relative to DIR")
      ->capture_default_str();
  find->add_option("--min-size", find_args.min_size, "only files of at least N bytes (units K M G T, e.g. 4K)");
  find->add_option("--max-size", find_args.max_size, "only files of at most N bytes");
  find->add_option("--newer", find_args.newer,
                   "only versions at or after DATE: Unix seconds, YYYY-MM-DD or \"YYYY-MM-DD HH:MM:SS\" (UTC)");
  find->add_option("--older", find_args.older, "only versions before DATE");
  find->add_option("DIR", find_args.directory, "directory to search (default /)");

  // sync
  SyncArgs sync_args;
  auto* sync = app.add_subcommand(
      "sync",
      "make REMOTE_DIR hold what LOCAL_DIR holds (--download: the reverse), comparing by SHA-256 and copying only "
      "new and changed files; prints one line per action and a summary with the number of requests");
  sync->add_flag("--download", sync_args.download, "copy from the server: sync --download REMOTE_DIR LOCAL_DIR");
  sync->add_flag("-n,--dry-run", sync_args.dry_run, "print exactly what would be done; change nothing");
  sync->add_flag("--delete", sync_args.delete_extras,
                 "also delete files the destination has and the source does not");
  sync->add_option("SOURCE", sync_args.source, "LOCAL_DIR (REMOTE_DIR with --download)")->required();
  sync->add_option("DESTINATION", sync_args.destination, "REMOTE_DIR (LOCAL_DIR with --download)")->required();

  // cache ...
  auto* cache = app.add_subcommand("cache", "inspect and clean the local cache");
  cache->require_subcommand(1);
  auto* cache_ls = cache->add_subcommand("ls", "list the cached files: date (UTC), version, size in bytes, name");
  bool cache_ls_json = false;
  cache_ls->add_flag("--json", cache_ls_json,
                     "print a JSON report instead (name, version, size, last access, in use; totals), see CACHE REPORT "
                     "in filetracker(1)");
  auto* cache_size = cache->add_subcommand("size", "print the total size and number of cached files");
  CacheVerifyArgs verify_args;
  auto* cache_verify = cache->add_subcommand(
      "verify",
      "read every cached file and check it against its SHA-256 record; list files changed after caching and "
      "symbolic links (exit 1 when there are any)");
  cache_verify->add_flag("--repair", verify_args.repair,
                         "remove symbolic links and stale temporary files; fetch damaged files again from the server "
                         "(-r / FILETRACKER_URL), or remove them without one");
  CacheCleanArgs clean_args;
  std::string interval;
  auto* cache_clean = cache->add_subcommand(
      "clean",
      "remove symbolic links and stale temporary files; then, when the cache holds at least --size-limit bytes, "
      "delete the oldest files, keeping the newest --percent of the limit (the deployed cache cleaner's rule)");
  cache_clean->add_option("-s,--size-limit", clean_args.size_limit, "size limit, units B K M G T, e.g. 1G512M")
      ->required();
  cache_clean->add_option("-p,--percent", clean_args.percent, "percent of the limit to keep (newest files)")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 100.0));
  cache_clean->add_flag("-n,--dry-run", clean_args.dry_run, "only print what would be deleted");
  cache_clean->add_option("--cache-dirs", clean_args.cache_globs,
                          "clean these caches (glob patterns) as one, instead of -c; as the deployed cache cleaner");
  cache_clean->add_option("-i,--interval", interval,
                          "keep running, cleaning every INTERVAL (units s m h d, e.g. 1h30m) until interrupted");

  // mount
  MountArgs mount_args;
  auto* mount = app.add_subcommand(
      "mount",
      "serve the store as a file system at MOUNTPOINT (FUSE), in the foreground, until `fusermount3 -u "
      "MOUNTPOINT`, Ctrl-C or SIGTERM; reads go through the cache, writes are stored when a file is closed");
  mount->add_flag("--read-only", mount_args.read_only, "refuse every change (EROFS)");
  mount->add_option("--attr-timeout", mount_args.attr_timeout,
                    "seconds a directory listing and file attributes are trusted before asking again")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 86400.0));
  mount->add_option("--cache-limit", mount_args.cache_limit,
                    "stream files larger than SIZE instead of caching them, e.g. 2G (default: only when the "
                    "cache's disk lacks the room)");
  mount->add_flag("--allow-other", mount_args.allow_other,
                  "let other users use the mount (non-root: needs user_allow_other in /etc/fuse.conf)");
  mount->add_flag("--fuse-debug", mount_args.fuse_debug, "print every FUSE request on stderr");
  mount->add_option("MOUNTPOINT", mount_args.mountpoint, "an existing directory to mount on")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    if (std::string unknown = unknown_command(argc, argv, app); !unknown.empty())
      return usage_error("unknown command \"" + unknown + "\"");
    return usage_error(e.what());
  }

  if (!remote_url.empty()) global.remote_url = remote_url;
  if (!cache_dir.empty()) global.cache_dir = cache_dir;
  // Every remote store of this process (the client's, mount's pool) reads
  // its CA file from the environment (ft::RemoteAuth::from_environment).
  if (!cacert.empty()) ::setenv("FILETRACKER_CACERT", cacert.c_str(), 1);
  global.progress = progress == "always" ? ProgressMode::Always
                    : progress == "never" ? ProgressMode::Never
                                          : ProgressMode::Auto;
  if (!interval.empty()) clean_args.interval = interval;

  try {
    CommandContext context(global);
    if (get->parsed() && get_archive)
      return cmd_get_archive(context, GetArchiveArgs{get_args.name, get_args.local, get_args.refresh});
    if (get->parsed()) return cmd_get(context, get_args);
    if (cat->parsed()) return cmd_cat(context, cat_args);
    if (put->parsed() && put_extract) {
      extract_args.archive = put_args.local;
      extract_args.remote_dir = put_args.name;
      extract_args.no_local_cache = put_args.no_local_cache;
      extract_args.no_remote_cache = put_args.no_remote_cache;
      extract_args.no_compress = put_args.no_compress;
      return cmd_put_extract(context, extract_args);
    }
    if (!put_extract && (extract_args.max_entries || !extract_args.max_size.empty() || extract_args.max_ratio > 0 ||
                         extract_args.version_now))
      return usage_error("--max-entries, --max-size, --max-ratio and --version-now go with put --extract");
    if (put->parsed()) return cmd_put(context, put_args);
    if (rm->parsed()) return cmd_rm(context, rm_name);
    if (version->parsed()) return cmd_version(context, version_name);
    if (size->parsed()) return cmd_size(context, size_name);
    if (ls->parsed()) return cmd_ls(context, ls_args);
    if (history->parsed()) return cmd_history(context, history_args);
    if (restore->parsed()) return cmd_restore(context, restore_name);
    if (find->parsed()) return cmd_find(context, find_args);
    if (sync->parsed()) return cmd_sync(context, sync_args);
    if (cache_ls->parsed()) return cmd_cache_ls(context, cache_ls_json);
    if (cache_size->parsed()) return cmd_cache_size(context);
    if (cache_verify->parsed()) return cmd_cache_verify(context, verify_args);
    if (cache_clean->parsed()) return cmd_cache_clean(context, clean_args);
    if (mount->parsed()) return cmd_mount(context, mount_args);
    return usage_error("missing command");
  } catch (const ft::Error& e) {
    std::fflush(stdout);
    std::fprintf(stderr, "filetracker: %s\n", e.what());
    return e.code() == ft::ErrorCode::Cancelled ? 130 : 1;
  } catch (const std::exception& e) {
    std::fflush(stdout);
    std::fprintf(stderr, "filetracker: %s\n", e.what());
    return 1;
  } catch (...) {
    std::fprintf(stderr, "filetracker: unexpected internal error\n");
    return 1;
  }
}
