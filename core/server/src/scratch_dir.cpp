#include "scratch_dir.hpp"

#include <unistd.h>

#include <cstdlib>
#include <string>

#include "filetracker/error.hpp"

namespace ft::server {

ScratchDir::ScratchDir() {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/filetracker-scratch.XXXXXX";
  if (!::mkdtemp(pattern.data())) throw_errno(pattern + ": cannot create a scratch directory");
  path_ = pattern;
}

ScratchDir::~ScratchDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

}  // namespace ft::server
