#include "filetracker/server/backend_unavailable.hpp"

namespace ft::server {

bool is_backend_unavailable(const std::exception_ptr& error) noexcept {
  if (!error) return false;
  try {
    std::rethrow_exception(error);
  } catch (const BackendUnavailable&) {
    return true;
  } catch (...) {
    return false;
  }
}

}  // namespace ft::server
