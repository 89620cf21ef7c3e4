#include "archive_commands.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include "archive_progress.hpp"
#include "filetracker/archive_download.hpp"
#include "filetracker/archive_upload.hpp"
#include "filetracker/error.hpp"
#include "filetracker/name.hpp"
#include "filetracker/size_string.hpp"
#include "interrupt.hpp"

namespace ft::cli {

namespace fs = std::filesystem;

namespace {

// REMOTE_DIR of both commands: "/" or a name without a version.
std::string checked_directory(std::string dir, const char* what) {
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  if (dir != "/") {
    if (auto error = name_error(dir, false)) throw Error(ErrorCode::InvalidArgument, std::string(what) + ": " + *error);
  }
  return dir;
}

std::string plural(std::size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

int cmd_put_extract(CommandContext& context, const PutExtractArgs& args) {
  const std::string dir = checked_directory(args.remote_dir, "REMOTE_DIR");
  if (args.no_local_cache && args.no_remote_cache)
    throw Error(ErrorCode::InvalidArgument, "--no-local-cache and --no-remote-cache together leave nowhere to put " +
                                                args.archive);
  std::error_code ec;
  auto status = fs::status(args.archive, ec);
  if (ec || !fs::exists(status)) throw Error(ErrorCode::Io, args.archive + ": no such file");
  if (!fs::is_regular_file(status)) throw Error(ErrorCode::Io, args.archive + ": not a regular file");

  ArchiveUploadOptions options;
  if (args.max_entries) options.limits.max_entries = args.max_entries;
  if (!args.max_size.empty()) options.limits.max_unpacked_bytes = parse_size(args.max_size);
  if (args.max_ratio > 0) options.limits.max_ratio = args.max_ratio;
  options.put = PutOptions{!args.no_local_cache, !args.no_remote_cache, !args.no_compress};
  options.version_now = args.version_now;

  Client& client = context.client();
  ArchiveUploadReport report;
  {
    ArchiveProgressLine line(context.options().progress, args.archive);
    report = upload_archive(
        client, args.archive, dir, options,
        [&](const ArchiveUploadProgress& p) { line.update(p.entries_done, p.entries_total, p.bytes_done, p.bytes_total); },
        &interrupted(),
        [](const std::string& versioned) {
          // stdout: each versioned name stored, as `put` prints its one.
          std::printf("%s\n", versioned.c_str());
          std::fflush(stdout);
        });
  }
  const ArchiveListing& listing = report.listing;
  std::string summary = "filetracker: " + args.archive + " -> " + dir + ": " +
                        plural(listing.files.size(), "file", "files") + " (" + format_size(listing.unpacked_bytes) +
                        "): " + std::to_string(report.stored.size()) + " stored (" + format_size(report.stored_bytes) +
                        "), " + std::to_string(report.unchanged.size()) + " already there (not sent)";
  if (!report.newer_kept.empty())
    summary += ", " + std::to_string(report.newer_kept.size()) +
               " not stored: the server keeps newer versions (--version-now stores them as now)";
  if (!report.not_stored.empty()) summary += ", " + std::to_string(report.not_stored.size()) + " not stored yet";
  std::fprintf(stderr, "%s\n", summary.c_str());
  for (const auto& name : report.newer_kept) context.verbose("kept newer on the server: " + name);
  for (const auto& name : report.unchanged) context.verbose("already there: " + name);
  if (report.complete()) return 0;
  for (const auto& name : report.not_stored) context.verbose("not stored: " + name);
  std::fprintf(stderr, "filetracker: %s; the same command again stores the %s left\n", report.failure.c_str(),
               plural(report.not_stored.size(), "file", "files").c_str());
  return report.cancelled ? 130 : 1;
}

int cmd_get_archive(CommandContext& context, const GetArchiveArgs& args) {
  const std::string dir = checked_directory(args.remote_dir, "REMOTE_DIR");
  const bool to_stdout = args.out == "-";
  std::optional<ArchiveFormat> format = to_stdout ? ArchiveFormat::Tar : archive_format_for(args.out);
  if (!format)
    throw Error(ErrorCode::InvalidArgument, args.out +
                                                ": unknown archive format: name it .zip, .tar, .tar.gz, .tgz or .tar.zst "
                                                "(or - for tar on standard output)");
  if (!to_stdout) {
    std::error_code ec;
    if (fs::is_directory(args.out, ec)) throw Error(ErrorCode::Io, args.out + ": is a directory");
  }
  Client& client = context.client();
  auto* remote = dynamic_cast<RemoteDataStore*>(client.remote_store());
  if (!remote)
    throw Error(ErrorCode::InvalidArgument, "get --archive lists the server: give -r URL or set FILETRACKER_URL");
  std::vector<ArchiveItem> items = plan_folder_archive(*remote, dir);
  std::uint64_t bytes = 0;
  {
    ArchiveProgressLine line(context.options().progress, args.out == "-" ? dir : args.out);
    std::unique_ptr<ArchiveWriter> writer =
        to_stdout ? std::make_unique<ArchiveWriter>(STDOUT_FILENO, *format, "standard output")
                  : std::make_unique<ArchiveWriter>(fs::path(args.out), *format);
    write_store_archive(
        client, items, *writer,
        [&](const ArchiveDownloadProgress& p) {
          line.update(p.entries_done, p.entries_total, p.bytes_done, p.bytes_total);
          bytes = p.bytes_total;
        },
        &interrupted(), args.refresh);
  }
  context.verbose("wrote " + plural(items.size(), "file", "files") + " (" + format_size(bytes) + ") of " + dir +
                  " into " + (to_stdout ? std::string("standard output") : args.out) + " (" +
                  archive_format_name(*format) + ")");
  return 0;
}

}  // namespace ft::cli
