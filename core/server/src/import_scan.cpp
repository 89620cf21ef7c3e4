#include "import_scan.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "filetracker/error.hpp"

namespace fs = std::filesystem;

namespace ft::server {
namespace {

bool has_control_character(std::string_view name) {
  for (unsigned char c : name)
    if (c < 0x20 || c == 0x7f) return true;
  return false;
}

}  // namespace

void scan_tree(const fs::path& root, const std::function<void(const ScannedEntry&)>& visit,
               std::vector<std::string>& skipped) {
  std::error_code ec;
  fs::recursive_directory_iterator it(root, fs::directory_options::none, ec);
  if (ec) throw Error(ErrorCode::Io, root.string() + ": cannot read: " + ec.message());
  const fs::recursive_directory_iterator end;
  while (it != end) {
    const fs::path path = it->path();
    ScannedEntry e;
    e.path = path;
    e.name = "/" + path.lexically_relative(root).string();
    if (::lstat(path.c_str(), &e.st) != 0) {
      skipped.push_back(e.name + ": cannot stat: " + std::strerror(errno));
    } else if (S_ISDIR(e.st.st_mode)) {
      // The iterator descends into it next; one it cannot open would end
      // the whole scan (libstdc++), so such a directory is reported and skipped.
      if (::access(path.c_str(), R_OK | X_OK) != 0) {
        skipped.push_back(e.name + "/: cannot read the directory: " + std::strerror(errno));
        it.disable_recursion_pending();
      }
    } else if (auto error = name_error(e.name, false); error || has_control_character(e.name)) {
      skipped.push_back(e.name + ": not imported: " + (error ? *error : "the name contains a control character"));
    } else {
      e.is_symlink = S_ISLNK(e.st.st_mode);
      e.is_regular = S_ISREG(e.st.st_mode);
      e.version = static_cast<Version>(e.st.st_mtim.tv_sec);
      visit(e);
    }
    it.increment(ec);
    if (ec) {
      // The iterator cannot go on after an error: say where the scan stopped.
      skipped.push_back(root.string() + ": the scan stopped after " + path.string() + ": " + ec.message());
      break;
    }
  }
}

}  // namespace ft::server
