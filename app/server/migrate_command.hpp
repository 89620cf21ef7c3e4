// `filetracker-server --migrate-storage --from SOURCE --to TARGET`: runs the
// migration (core/server migrate_storage.hpp) with a progress line on stderr
// and prints the problems and the final summary on stdout.
#pragma once

#include <cstdint>
#include <string>

namespace ft::server {

// Exit code: 0 when every file is in the target (copied now or before), 1
// when some could not be copied (each listed); throws Error when the
// migration could not run or the target failed.
int run_migrate(const std::string& from, const std::string& to, const std::string& shared_index,
                const std::string& shared_blobs, std::uint64_t inline_max_size);

}  // namespace ft::server
