#include "filetracker/mount/fuse_mount.hpp"

#define FUSE_USE_VERSION 312
#include <fuse.h>

#include <csignal>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>

#include "filetracker/error.hpp"

namespace ft::mount {

namespace {

FileSystem& self() { return *static_cast<FileSystem*>(fuse_get_context()->private_data); }

// libfuse gives a null path for an open file whose name is gone (hard_remove
// with nullpath_ok): the handle says which file it is.
std::string path_of(const char* path) { return path ? std::string(path) : std::string(); }

std::optional<std::uint64_t> handle_of(const fuse_file_info* fi) {
  return fi ? std::optional<std::uint64_t>(fi->fh) : std::nullopt;
}

void* op_init(fuse_conn_info* conn, fuse_config* cfg) {
  FileSystem& fs = self();
  const double timeout = std::chrono::duration<double>(fs.options().attr_timeout).count();
  cfg->entry_timeout = timeout;
  cfg->attr_timeout = timeout;
  cfg->negative_timeout = timeout;
  // An unlinked open file is gone at once (no .fuse_hidden renames); its
  // handle keeps working, with a null path.
  cfg->hard_remove = 1;
  cfg->nullpath_ok = 1;
  cfg->use_ino = 0;
  // Keep the kernel's page cache of a file across opens while its mtime
  // (version) and size are unchanged: a version's content never changes.
  cfg->auto_cache = 1;
  cfg->kernel_cache = 0;
  // open(O_TRUNC) without a separate truncate: no download of content that
  // is about to be replaced.
  if (conn->capable & FUSE_CAP_ATOMIC_O_TRUNC) conn->want |= FUSE_CAP_ATOMIC_O_TRUNC;
  // Cached files go to the kernel by splice. Not SPLICE_MOVE: moving would
  // steal the pages from the cache file's own page cache, so the next
  // reader of the cache (a `filetracker get`, another mount) reads the disk.
  if (conn->capable & FUSE_CAP_SPLICE_WRITE) conn->want |= FUSE_CAP_SPLICE_WRITE;
  conn->want &= ~FUSE_CAP_SPLICE_MOVE;
  return &fs;
}

int op_getattr(const char* path, struct stat* st, fuse_file_info* fi) {
  return self().getattr(path_of(path), *st, handle_of(fi));
}

// nullpath_ok gives readdir no path either: the directory handle keeps it.
int op_opendir(const char* path, fuse_file_info* fi) {
  fi->fh = reinterpret_cast<std::uint64_t>(new (std::nothrow) std::string(path_of(path)));
  return fi->fh ? 0 : -ENOMEM;
}

int op_releasedir(const char*, fuse_file_info* fi) {
  delete reinterpret_cast<std::string*>(fi->fh);
  return 0;
}

int op_readdir(const char* path, void* buf, fuse_fill_dir_t filler, off_t, fuse_file_info* fi, fuse_readdir_flags) {
  std::vector<FileSystem::DirEntry> entries;
  const std::string directory = path ? std::string(path) : *reinterpret_cast<const std::string*>(fi->fh);
  int status = self().readdir(directory, entries);
  if (status < 0) return status;
  for (const auto& entry : entries) {
    // "." and ".." carry no attributes of their own (readdirplus would
    // drop them).
    const bool dot = entry.name == "." || entry.name == "..";
    if (filler(buf, entry.name.c_str(), dot ? nullptr : &entry.st, 0, dot ? fuse_fill_dir_flags{} : FUSE_FILL_DIR_PLUS) != 0)
      break;
  }
  return 0;
}

int op_open(const char* path, fuse_file_info* fi) {
  std::uint64_t handle = 0;
  int status = self().open(path_of(path), fi->flags, handle);
  if (status == 0) fi->fh = handle;
  return status;
}

int op_create(const char* path, mode_t, fuse_file_info* fi) {
  std::uint64_t handle = 0;
  int status = self().create(path_of(path), fi->flags, handle);
  if (status == 0) fi->fh = handle;
  return status;
}

int op_read_buf(const char*, fuse_bufvec** bufp, size_t size, off_t offset, fuse_file_info* fi) {
  FileSystem& fs = self();
  auto* vec = static_cast<fuse_bufvec*>(std::malloc(sizeof(fuse_bufvec)));
  if (!vec) return -ENOMEM;
  *vec = FUSE_BUFVEC_INIT(size);
  if (int fd = fs.cached_fd(fi->fh); fd >= 0) {
    // The cached file itself: libfuse splices from it (pread semantics).
    vec->buf[0].flags = static_cast<fuse_buf_flags>(FUSE_BUF_IS_FD | FUSE_BUF_FD_SEEK);
    vec->buf[0].fd = fd;
    vec->buf[0].pos = offset;
    *bufp = vec;
    return 0;
  }
  void* memory = std::malloc(size ? size : 1);
  if (!memory) {
    std::free(vec);
    return -ENOMEM;
  }
  long n = fs.read(fi->fh, static_cast<char*>(memory), size, static_cast<std::uint64_t>(offset));
  if (n < 0) {
    std::free(memory);
    std::free(vec);
    return static_cast<int>(n);
  }
  vec->buf[0].mem = memory;
  vec->buf[0].size = static_cast<size_t>(n);
  *bufp = vec;  // libfuse frees both
  return 0;
}

int op_write(const char*, const char* data, size_t size, off_t offset, fuse_file_info* fi) {
  return static_cast<int>(self().write(fi->fh, data, size, static_cast<std::uint64_t>(offset)));
}

int op_truncate(const char* path, off_t size, fuse_file_info* fi) {
  if (size < 0) return -EINVAL;
  return self().truncate(path_of(path), static_cast<std::uint64_t>(size), handle_of(fi));
}

int op_flush(const char*, fuse_file_info* fi) { return self().flush(fi->fh); }
int op_fsync(const char*, int, fuse_file_info* fi) { return self().fsync(fi->fh); }
int op_release(const char*, fuse_file_info* fi) { return self().release(fi->fh); }
int op_unlink(const char* path) { return self().unlink(path_of(path)); }
int op_rename(const char* from, const char* to, unsigned flags) { return self().rename(path_of(from), path_of(to), flags); }
int op_mkdir(const char* path, mode_t) { return self().mkdir(path_of(path)); }
int op_rmdir(const char* path) { return self().rmdir(path_of(path)); }
int op_chmod(const char* path, mode_t mode, fuse_file_info*) { return self().chmod(path_of(path), mode); }
int op_chown(const char* path, uid_t uid, gid_t gid, fuse_file_info*) { return self().chown(path_of(path), uid, gid); }
int op_utimens(const char* path, const struct timespec tv[2], fuse_file_info* fi) {
  return self().utimens(path_of(path), tv, handle_of(fi));
}
int op_statfs(const char*, struct statvfs* out) { return self().statfs(*out); }
// The store has regular files only.
int op_symlink(const char*, const char*) { return -ENOTSUP; }
int op_link(const char*, const char*) { return -ENOTSUP; }
int op_mknod(const char*, mode_t, dev_t) { return -ENOTSUP; }

// libfuse's own messages, in the CLI's one-line style.
bool fuse_debug = false;

void fuse_log_line(enum fuse_log_level level, const char* format, va_list args) {
  if (level > FUSE_LOG_NOTICE && !fuse_debug) return;
  char line[1024];
  std::vsnprintf(line, sizeof line, format, args);
  std::size_t n = std::strlen(line);
  while (n > 0 && line[n - 1] == '\n') line[--n] = '\0';
  std::fprintf(stderr, "filetracker: mount: %s\n", line);
}

fuse_operations make_operations() {
  fuse_operations ops{};
  ops.init = op_init;
  ops.getattr = op_getattr;
  ops.opendir = op_opendir;
  ops.readdir = op_readdir;
  ops.releasedir = op_releasedir;
  ops.open = op_open;
  ops.create = op_create;
  ops.read_buf = op_read_buf;
  ops.write = op_write;
  ops.truncate = op_truncate;
  ops.flush = op_flush;
  ops.fsync = op_fsync;
  ops.release = op_release;
  ops.unlink = op_unlink;
  ops.rename = op_rename;
  ops.mkdir = op_mkdir;
  ops.rmdir = op_rmdir;
  ops.chmod = op_chmod;
  ops.chown = op_chown;
  ops.utimens = op_utimens;
  ops.statfs = op_statfs;
  ops.symlink = op_symlink;
  ops.link = op_link;
  ops.mknod = op_mknod;
  return ops;
}

// Frees what libfuse allocated, whichever way we leave.
struct FuseArgs {
  fuse_args args = FUSE_ARGS_INIT(0, nullptr);
  ~FuseArgs() { fuse_opt_free_args(&args); }
  void add(const std::string& arg) {
    if (fuse_opt_add_arg(&args, arg.c_str()) != 0) throw std::bad_alloc();
  }
};

}  // namespace

void run_fuse_mount(FileSystem& fs, const FuseOptions& options, const std::function<void()>& on_mounted) {
  fuse_debug = options.debug;
  fuse_set_log_func(fuse_log_line);
  FuseArgs args;
  args.add("filetracker");
  std::string mount_options = "fsname=filetracker,subtype=filetracker,default_permissions";
  if (fs.options().read_only) mount_options += ",ro";
  if (options.allow_other) mount_options += ",allow_other";
  args.add("-o");
  args.add(mount_options);
  if (options.debug) args.add("-d");

  const fuse_operations ops = make_operations();
  fuse* f = fuse_new(&args.args, &ops, sizeof ops, &fs);
  if (!f) throw Error(ErrorCode::Io, options.mountpoint + ": cannot set up the FUSE file system");
  if (fuse_mount(f, options.mountpoint.c_str()) != 0) {
    fuse_destroy(f);
    throw Error(ErrorCode::Io, options.mountpoint +
                                   ": cannot mount (FUSE needs /dev/fuse and fusermount3, and the right to mount here)");
  }
  fuse_session* session = fuse_get_session(f);
  // libfuse installs its handlers (end the loop) only over the default ones.
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) std::signal(sig, SIG_DFL);
  if (fuse_set_signal_handlers(session) != 0) {
    fuse_unmount(f);
    fuse_destroy(f);
    throw Error(ErrorCode::Io, "cannot install the signal handlers of the mount");
  }
  if (on_mounted) on_mounted();

  fuse_loop_config* config = fuse_loop_cfg_create();
  fuse_loop_cfg_set_max_threads(config, options.max_threads);
  fuse_loop_cfg_set_clone_fd(config, 0);
  // Returns once unmounted or signalled; requests being answered finish first.
  int result = fuse_loop_mt(f, config);
  fuse_loop_cfg_destroy(config);
  fuse_remove_signal_handlers(session);
  fuse_unmount(f);
  fuse_destroy(f);
  fs.shutdown();
  // A signal ends the loop with its number: a clean end, as an unmount is.
  if (result < 0) throw Error(ErrorCode::Io, options.mountpoint + ": the FUSE loop failed: " + std::strerror(-result));
}

}  // namespace ft::mount
