#!/usr/bin/env python3
"""Proves that every fsync of the durable write paths matters.

Removes (or moves) one fsync / fdatasync / directory fsync at a time in the
sources, rebuilds the power-loss tests, runs them, and expects at least one
to fail; then restores the source. Prints one line per mutation and exits
non-zero when a mutation survived (the tests did not notice it) or did not
apply (the source changed: update the list below).

    python3 tests/power_loss_mutations.py [--build build] [--only M3,M7]

It edits the working tree while it runs (each file is restored afterwards,
also on Ctrl-C); do not edit those files meanwhile. Not part of CI (it
rebuilds once per mutation): run it after changing a durable write path.
"""
import argparse
import fcntl
import os
import signal
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# (id, file, text to replace (exactly once), replacement, what it does); a
# move is a list of (text, replacement) pairs in place of the text, with
# None as the replacement.
MUTATIONS = [
    ("M1", "core/src/atomic_file.cpp",
     "if (int rc = env_->sync(fd_.get()); rc != 0) throw_errno(destination_.string() + \": fsync failed\", -rc);",
     "",
     "AtomicFile::commit: no fsync of the file before it is linked in"),
    ("M2", "core/src/atomic_file.cpp",
     [("""  if (options.durable) {
    if (int rc = env_->sync(fd_.get()); rc != 0) throw_errno(destination_.string() + ": fsync failed", -rc);
  }
  link_into_place();""",
       """  link_into_place();"""),
      ("""  if (options.mtime >= 0) {
    struct timespec times[2];""",
       """  if (options.durable) {
    if (int rc = env_->sync(fd_.get()); rc != 0) throw_errno(destination_.string() + ": fsync failed", -rc);
  }
  if (options.mtime >= 0) {
    struct timespec times[2];""")], None,
     "AtomicFile::commit: the file's fsync moved before its times are set (the order before this issue)"),
    ("M3", "core/src/atomic_file.cpp",
     """    if (int rc = env_->sync(dir_.get()); rc != 0)
      throw_errno(destination_.string() + ": fsync of its directory failed", -rc);""",
     "",
     "AtomicFile::commit: no fsync of the directory after the link/rename"),
    ("M4", "core/src/atomic_file.cpp",
     "    if (rc2 == 0) rc2 = env_->sync(named.get());",
     "",
     "AtomicFile copy fallback: no fsync of the named copy before its rename"),
    ("M5", "core/src/atomic_file.cpp",
     "    fsync_directory(parent.empty() ? std::filesystem::path(\".\") : parent, env);",
     "",
     "make_directories_durable: no fsync of a new directory's parent"),
    ("M6", "core/src/confined_dir.cpp",
     "        if (rc == 0) rc = env->sync(dirfd);  // the new entry survives a power loss",
     "",
     "ConfinedDir::open_directory: no fsync of the parent of a directory made below the cache"),
    ("M7", "core/src/confined_dir.cpp",
     "        rc = parent_fd ? durable_env->sync(parent_fd.get()) : -errno;",
     "        rc = 0;",
     "ConfinedDir::open: no fsync of the parent of the cache directory made"),
    ("M8", "core/src/local_data_store.cpp",
     """      if (const int rc = env_->sync(source.get()); rc != 0)
        throw_errno(file.string() + ": cannot fsync before linking it into the cache", -rc);""",
     "",
     "LocalDataStore::add_file (link): no fsync of the caller's file before it is linked in"),
    ("M9", "core/src/local_data_store.cpp",
     """        if (const int err = env_->sync(dir.get()); err != 0)
          throw_errno(files_.describe(relative) + ": fsync of its directory failed", -err);""",
     "",
     "LocalDataStore::add_file (link): no fsync of the directory after the link"),
    ("M10", "core/server/src/local_blob_store.cpp",
     "    if (int rc = env_->sync_data(fd_); rc != 0) throw_storage_errno(path_.string() + \": cannot fsync\", -rc);",
     "",
     "blob upload: no fdatasync of the upload before it is renamed into place"),
    ("M11", "core/server/src/local_blob_store.cpp",
     "    if (created) fsync_directory(root_, env_);",
     "",
     "blob store: no fsync of blobs/ after making the 256 prefix directories"),
    ("M12", "core/server/src/local_blob_store.cpp",
     """    if (parallel_for)
      parallel_for(dirs.size(), [&](std::size_t i) { fsync_directory(dirs[i], env_); });
    else
      for (const auto& dir : dirs) fsync_directory(dir, env_);""",
     "",
     "blob store sync(): no fsync of the prefix directories touched (renames, unlinks)"),
    ("M13", "core/server/src/local_blob_store.cpp",
     "    if (n > 0) fsync_directory(tmp_, env_);",
     "",
     "blob store: no fsync of tmp/ after start-up removed interrupted uploads"),
    ("M14", "core/server/src/storage.cpp",
     """    blobs_->sync([this](std::size_t n, const std::function<void(std::size_t)>& fn) { sync_pool_.run(n, fn); });
    const auto t3 = std::chrono::steady_clock::now();
    tx->commit();""",
     """    const auto t3 = std::chrono::steady_clock::now();
    tx->commit();""",
     "Storage::apply: no directory fsync of the adopted blobs before the index commit"),
    ("M15", "core/server/src/storage.cpp",
     """    blobs_->sync([this](std::size_t n, const std::function<void(std::size_t)>& fn) { sync_pool_.run(n, fn); });
    const auto t3 = std::chrono::steady_clock::now();
    tx->commit();""",
     """    const auto t3 = std::chrono::steady_clock::now();
    tx->commit();
    blobs_->sync([this](std::size_t n, const std::function<void(std::size_t)>& fn) { sync_pool_.run(n, fn); });""",
     "Storage::apply: the blobs' directory fsync moved after the index commit"),
    ("M16", "core/server/src/storage.cpp",
     "    sync_pool_.run(uploads.size(), [&](std::size_t i) { uploads[i]->make_durable(); });",
     "",
     "Storage::apply: the uploads' fdatasync (make_durable) not called"),
    ("M17", "core/server/src/storage.cpp",
     """  try {
    blobs_->sync([this](std::size_t n, const std::function<void(std::size_t)>& fn) { sync_pool_.run(n, fn); });
  } catch (const std::exception& e) {
    log_message(LogLevel::Warning, std::string("storage: cannot fsync after removing blobs: ") + e.what());
  }""",
     "",
     "Storage::apply: no directory fsync after removing the blobs that lost their last reference"),
    ("M18", "core/server/src/storage.cpp",
     "    if (!orphans.empty()) blobs_->sync();",
     "",
     "Storage::sweep_step: no directory fsync after the background sweep removed orphan blobs"),
    # Inline blobs (issue 18): no fsync of their own (the index commit is
    # theirs); what must hold is that they go in and out in the transaction
    # of the rows that refer to them.
    ("M19", "core/server/src/storage.cpp",
     "            tx->put_inline_blob(rec.sha256, *bytes);  // in this transaction: durable with its row",
     "",
     "Storage::apply: an inline blob not stored in the transaction of the row that refers to it"),
    ("M20", "core/server/src/storage.cpp",
     "      for (const auto& sha : doomed) tx->erase_inline_blob(sha);",
     "      for (const auto& sha : doomed) (void)sha;",
     "Storage::apply: an inline blob that lost its last reference not removed in that transaction"),
]

TARGETS = ["core_test_power_loss_cache", "server_test_power_loss"]
TESTS = "core_test_power_loss_cache|server_test_power_loss"


def run(cmd, cwd, log):
    with open(log, "a") as out:
        out.write("$ " + " ".join(cmd) + "\n")
        out.flush()
        return subprocess.call(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)


def edits_of(old, new):
    """A mutation is one (old, new) replacement or a list of them (a move)."""
    return old if isinstance(old, list) else [(old, new)]


BACKUP_SUFFIX = ".power-loss-original"


def restore_leftovers():
    """Puts back a source a killed earlier run left mutated (its backup)."""
    for rel in sorted({m[1] for m in MUTATIONS}):
        path = os.path.join(ROOT, rel)
        backup = path + BACKUP_SUFFIX
        if os.path.exists(backup):
            os.replace(backup, path)
            print(f"restored {rel} (left mutated by an interrupted run)", flush=True)


def interrupted(signum, _frame):
    # SIGTERM/SIGHUP end the run like Ctrl-C: the finally below restores.
    raise KeyboardInterrupt(f"signal {signum}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--only", default="")
    parser.add_argument("--log", default=os.path.join(ROOT, "build", "power_loss_mutations.log"))
    args = parser.parse_args()
    only = set(filter(None, args.only.split(",")))
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, interrupted)
    # One run at a time per tree: a second one would take the first one's
    # backup for a leftover, restore it mid-run and mix their mutations.
    # The lock is on this script itself: no lock file to leave in the tree.
    lock = open(os.path.abspath(__file__))
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        print("power_loss_mutations.py: another run is mutating this tree; wait for it", file=sys.stderr)
        return 2
    restore_leftovers()
    open(args.log, "w").close()
    results = []
    try:
        for mid, rel, old, new, what in MUTATIONS:
            if only and mid not in only:
                continue
            path = os.path.join(ROOT, rel)
            with open(path) as f:
                original = f.read()
            mutated = original
            missing = False
            for o, n in edits_of(old, new):
                if mutated.count(o) != 1:
                    missing = True
                    break
                mutated = mutated.replace(o, n)
            if missing:
                results.append((mid, "NOT APPLIED", what))
                print(f"{mid:4} NOT APPLIED ({rel}: the text to mutate is not there exactly once): {what}", flush=True)
                continue
            start = time.time()
            # The backup first: even a SIGKILL leaves a way back (the next
            # run, or `mv FILE.power-loss-original FILE`).
            with open(path + BACKUP_SUFFIX, "w") as f:
                f.write(original)
            try:
                with open(path, "w") as f:
                    f.write(mutated)
                if run(["cmake", "--build", ".", "-j2", "--target"] + TARGETS, args.build, args.log) != 0:
                    verdict = "BUILD FAILED"
                else:
                    rc = run(["ctest", "-R", TESTS, "--stop-on-failure", "--output-on-failure", "--timeout", "600"], args.build, args.log)
                    verdict = "killed (a test failed)" if rc != 0 else "SURVIVED"
            finally:
                with open(path, "w") as f:
                    f.write(original)
                os.remove(path + BACKUP_SUFFIX)
            results.append((mid, verdict, what))
            print(f"{mid:4} {verdict:24} {time.time() - start:5.0f} s  {what}", flush=True)
    finally:
        # Leave the build matching the restored sources.
        run(["cmake", "--build", ".", "-j2", "--target"] + TARGETS, args.build, args.log)
    bad = [r for r in results if not r[1].startswith("killed")]
    print(f"{len(results) - len(bad)} of {len(results)} mutations killed", flush=True)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
