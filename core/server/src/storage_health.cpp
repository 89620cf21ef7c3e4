// Storage::health_problem (GET /health): the index answers a query and the
// blob store can create an upload (a writable, mounted directory), so a
// load balancer takes the server out of rotation when either is gone.
#include <exception>

#include "filetracker/server/storage.hpp"

namespace ft::server {

std::optional<std::string> Storage::health_problem() {
  try {
    (void)index_->find("/");
  } catch (const std::exception& e) {
    return std::string("index: ") + e.what();
  }
  try {
    blobs_->probe();  // e.g. an upload, removed again when it goes; S3: also the bucket answers
  } catch (const std::exception& e) {
    return std::string("blob store: ") + e.what();
  }
  return std::nullopt;
}

}  // namespace ft::server
