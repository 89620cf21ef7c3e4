#include "http/reply.hpp"

#include <unistd.h>

namespace ft::server {

FileReply::~FileReply() {
  if (file_.blob.fd >= 0) ::close(file_.blob.fd);
}

}  // namespace ft::server
