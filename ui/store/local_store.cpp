#include "store/local_store.hpp"

#include <QDateTime>
#include <QPointer>

#include <atomic>
#include <filesystem>
#include <fstream>

#include "filetracker/atomic_file.hpp"
#include "filetracker/checksum.hpp"
#include "filetracker/error.hpp"
#include "filetracker/local_data_store.hpp"
#include "filetracker/name.hpp"

namespace ft::ui {

namespace fs = std::filesystem;

struct LocalStore::Outcome {
  std::atomic<bool> cancel{false};
  // Progress reports from the worker, delivered on the GUI thread.
  std::function<void(qint64, qint64)> progress;
  RemoteFile file;
  DirectoryListing listing;
  QStringList names;
  StoreInfo info;
  QString error;
};

namespace {

constexpr std::size_t kChunk = 1 << 20;

fs::path toPath(const QString& path) { return fs::path(path.toStdString()); }

qint64 versionOf(const fs::path& file) {
  const auto time = fs::last_write_time(file);
  const auto sys = std::chrono::file_clock::to_sys(time);
  return std::chrono::duration_cast<std::chrono::seconds>(sys.time_since_epoch()).count();
}

// The directory under files/ that holds `directory` ("/" = files/ itself).
fs::path directoryPath(LocalDataStore& store, const QString& directory) {
  if (directory.isEmpty() || directory == QLatin1String("/")) return store.files_dir();
  return store.path_of(directory.toStdString());
}

}  // namespace

LocalStore::LocalStore(QString directory, QObject* parent) : StoreBackend(parent), directory_(std::move(directory)) {
  pool_.setMaxThreadCount(2);
}

LocalStore::~LocalStore() { pool_.waitForDone(); }

StoreJob* LocalStore::run(std::function<void(Outcome&)> work) {
  auto* job = new StoreJob(this);
  auto outcome = std::make_shared<Outcome>();
  QPointer<StoreJob> guard(job);
  outcome->progress = [this, guard](qint64 done, qint64 total) {
    QMetaObject::invokeMethod(
        this,
        [guard, done, total] {
          if (guard) guard->reportProgress(done, total);
        },
        Qt::QueuedConnection);
  };
  job->setCancelHandler([outcome] { outcome->cancel.store(true); });
  pool_.start([this, guard, outcome, work = std::move(work)] {
    try {
      work(*outcome);
    } catch (const std::exception& e) {
      outcome->error = QString::fromStdString(e.what());
    }
    QMetaObject::invokeMethod(
        this,
        [guard, outcome] {
          if (!guard || guard->isFinished()) return;
          if (guard->wasCancelled()) return guard->finishCancelled();
          if (!outcome->error.isEmpty()) return guard->finishError(outcome->error);
          guard->setFile(outcome->file);
          guard->setListing(std::move(outcome->listing));
          guard->setNames(std::move(outcome->names));
          guard->setStoreInfo(outcome->info);
          guard->finishSuccess();
        },
        Qt::QueuedConnection);
  });
  return job;
}

StoreJob* LocalStore::probe() {
  const QString dir = directory_;
  return run([dir](Outcome& out) {
    LocalDataStore store(toPath(dir));  // creates files/ when missing
    out.info.location = dir;
    out.info.remote = false;
  });
}

StoreJob* LocalStore::listDirectory(const QString& directory) {
  const QString dir = directory_;
  return run([dir, directory](Outcome& out) {
    LocalDataStore store(toPath(dir));
    out.listing.directory = directory.isEmpty() ? QStringLiteral("/") : directory;
    out.listing.metadataComplete = true;
    const fs::path where = directoryPath(store, directory);
    std::error_code ec;
    if (!fs::is_directory(where, ec)) return;  // nothing stored there (yet)
    for (const auto& entry : fs::directory_iterator(where, ec)) {
      if (out.cancel.load()) return;
      const std::string base = entry.path().filename().string();
      const QString baseName = QString::fromStdString(base);
      if (entry.is_symlink(ec)) continue;  // damage in a cache: never followed, never listed
      if (entry.is_directory(ec)) {
        out.listing.subdirectories << baseName;
      } else if (entry.is_regular_file(ec) && !is_temp_name(base)) {
        RemoteFile file;
        file.name = joinName(out.listing.directory, baseName);
        file.size = qint64(entry.file_size(ec));
        file.version = versionOf(entry.path());
        out.listing.files.push_back(std::move(file));
      }
    }
    out.listing.subdirectories.sort();
  });
}

StoreJob* LocalStore::listNamesBelow(const QString& directory) {
  const QString dir = directory_;
  return run([dir, directory](Outcome& out) {
    LocalDataStore store(toPath(dir));
    const fs::path where = directoryPath(store, directory);
    std::error_code ec;
    if (!fs::is_directory(where, ec)) return;
    for (auto it = fs::recursive_directory_iterator(where, ec); it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec || out.cancel.load()) break;
      if (it->is_symlink(ec) || !it->is_regular_file(ec) || is_temp_name(it->path().filename().string())) continue;
      const std::string relative = fs::relative(it->path(), store.files_dir(), ec).generic_string();
      out.names << QStringLiteral("/") + QString::fromStdString(relative);
    }
  });
}

StoreJob* LocalStore::listFilesBelow(const QString& directory) {
  const QString dir = directory_;
  return run([dir, directory](Outcome& out) {
    LocalDataStore store(toPath(dir));
    out.listing.directory = directory;
    out.listing.metadataComplete = true;
    const fs::path where = directoryPath(store, directory);
    std::error_code ec;
    if (!fs::is_directory(where, ec)) return;
    for (auto it = fs::recursive_directory_iterator(where, ec); it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec || out.cancel.load()) break;
      if (it->is_symlink(ec) || !it->is_regular_file(ec) || is_temp_name(it->path().filename().string())) continue;
      RemoteFile file;
      file.name = QStringLiteral("/") + QString::fromStdString(fs::relative(it->path(), store.files_dir(), ec).generic_string());
      file.size = qint64(it->file_size(ec));
      file.version = versionOf(it->path());
      out.listing.files.push_back(std::move(file));
    }
  });
}

StoreJob* LocalStore::stat(const QString& name) {
  const QString dir = directory_;
  return run([dir, name](Outcome& out) {
    LocalDataStore store(toPath(dir));
    const std::string n = name.toStdString();
    out.file.name = name;
    out.file.version = store.file_version(n);
    out.file.size = qint64(store.file_size(n));
    // Read through the store (confined, checked against its record), never
    // by path: a symbolic link planted in the cache is not followed.
    auto content = store.get_stream(n);
    out.file.sha256 = QString::fromStdString(sha256_stream(*content.stream, n));
  });
}

StoreJob* LocalStore::upload(const UploadRequest& request) {
  const QString dir = directory_;
  return run([dir, request](Outcome& out) {
    LocalDataStore store(toPath(dir));
    check_name(request.name.toStdString(), false);
    std::ifstream in(toPath(request.localPath), std::ios::binary);
    if (!in) throw Error(ErrorCode::Io, request.localPath.toStdString() + ": cannot read");
    const qint64 version = request.version.value_or(QDateTime::currentSecsSinceEpoch());
    // A copy, never a hard link: the user may edit their file afterwards.
    const std::string stored = store.add_stream(versioned_name(request.name.toStdString(), version), in);
    const SplitName split = split_name(stored);
    out.file.name = request.name;
    out.file.version = split.version.value_or(version);
    out.file.size = qint64(store.file_size(split.name));
    out.progress(out.file.size, out.file.size);
  });
}

StoreJob* LocalStore::download(const DownloadRequest& request) {
  const QString dir = directory_;
  return run([dir, request](Outcome& out) {
    LocalDataStore store(toPath(dir));
    auto stream = store.get_stream(request.name.toStdString());
    const qint64 version = split_name(stream.versioned_name).version.value_or(0);
    const qint64 total = qint64(store.file_size(request.name.toStdString()));
    // A copy written atomically (not the store's hard link), so editing the
    // downloaded file cannot change the store.
    AtomicFile file(toPath(request.destinationPath));
    Sha256 hash;
    std::string buffer(kChunk, '\0');
    qint64 done = 0;
    while (*stream.stream) {
      if (out.cancel.load()) throw Error(ErrorCode::Cancelled, request.name.toStdString() + ": cancelled");
      stream.stream->read(buffer.data(), std::streamsize(buffer.size()));
      const std::size_t n = std::size_t(stream.stream->gcount());
      if (n == 0) break;
      file.write(buffer.data(), n);
      hash.update(buffer.data(), n);
      done += qint64(n);
      out.progress(done, total);
    }
    file.commit(request.setVersionAsMtime ? version : -1);
    out.file = RemoteFile{request.name, version, done, QString::fromStdString(hash.hex_digest())};
  });
}

StoreJob* LocalStore::remove(const QString& name, qint64 version) {
  const QString dir = directory_;
  return run([dir, name, version](Outcome& out) {
    LocalDataStore store(toPath(dir));
    store.delete_file(versioned_name(name.toStdString(), version));
    out.file = RemoteFile{name, version, -1, {}};
  });
}

}  // namespace ft::ui
