#include "migrate_command.hpp"

#include <iostream>

#include "filetracker/server/migrate_storage.hpp"
#include "filetracker/size_string.hpp"
#include "progress_line.hpp"

namespace ft::server {

int run_migrate(const std::string& from, const std::string& to, const std::string& shared_index,
                const std::string& shared_blobs, std::uint64_t inline_max_size) {
  const StorageLocation source = parse_storage_location(from, shared_index, shared_blobs);
  const StorageLocation target = parse_storage_location(to, shared_index, shared_blobs);
  ProgressLine line("migrate");
  MigrateReport r = migrate_storage(source, target, [&](const ImportProgress& p) { line(p); }, inline_max_size);
  for (const auto& s : r.problems) std::cout << "problem: " << s << '\n';
  if (r.kept_versions_not_copied)
    std::cout << "not copied: " << r.kept_versions_not_copied
              << " kept version(s) of the version history (only current files are migrated)\n";
  std::cout << "migrated " << source.describe() << " -> " << target.describe() << ": " << r.files << " file(s): "
            << r.copied << " copied (" << r.bytes << " bytes, " << format_size(r.bytes) << "), " << r.already_there
            << " already there, " << r.kept_newer << " kept (newer there), " << r.problems.size() << " problem(s); "
            << format_duration(r.seconds) << '\n';
  return r.problems.empty() ? 0 : 1;
}

}  // namespace ft::server
