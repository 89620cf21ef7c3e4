#include "import_command.hpp"

#include <iostream>
#include <string>

#include "filetracker/server/import.hpp"
#include "progress_line.hpp"

namespace ft::server {

int run_import(ImportSource source, const std::filesystem::path& data_dir, const std::filesystem::path& from,
               int gzip_level) {
  ProgressLine line("import");
  ImportProgressFn progress = [&](const ImportProgress& p) { line(p); };
  ImportReport r = source == ImportSource::Upstream ? import_upstream(data_dir, from, progress)
                                                    : import_tree(data_dir, from, progress, gzip_level);
  for (const auto& s : r.broken_links) std::cout << "broken link: " << s << '\n';
  for (const auto& s : r.bad_blobs) std::cout << "bad blob: " << s << '\n';
  for (const auto& s : r.skipped) std::cout << "skipped: " << s << '\n';
  std::cout << from.string() << ": " << r.entries << " entries: " << r.imported << " file(s) imported ("
            << r.bytes << " bytes), " << r.unchanged << " already imported, " << r.kept_newer
            << " kept (newer here), " << r.broken_links.size() << " broken link(s), " << r.bad_blobs.size()
            << " bad blob(s), " << r.skipped.size() << " skipped; blobs: " << r.blobs_linked << " linked, "
            << r.blobs_copied << " copied, " << r.blobs_written << " compressed; " << format_duration(r.seconds) << '\n';
  return r.has_problems() ? 1 : 0;
}

}  // namespace ft::server
