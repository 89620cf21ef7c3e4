#include "transfers/archive_job.hpp"

#include <QDir>
#include <QTemporaryFile>
#include <QThread>

#include <algorithm>
#include <chrono>
#include <exception>
#include <filesystem>
#include <set>

#include "filetracker/archive_download.hpp"
#include "filetracker/archive_upload.hpp"
#include "filetracker/client.hpp"
#include "filetracker/error.hpp"
#include "filetracker/name.hpp"
#include "filetracker/remote_data_store.hpp"

namespace ft::ui {

namespace fs = std::filesystem;

struct ArchiveJob::Outcome {
  enum class Result { Done, Refused, Failed, Cancelled };
  Result result = Result::Done;
  bool pack = false;
  std::string error;                  // Failed (and a cancelled upload's reason)
  std::vector<std::string> problems;  // Refused: one line per entry
  std::size_t files = 0;              // the archive's files (Unpack) / the files packed (Pack)
  std::size_t stored = 0;
  std::size_t unchanged = 0;
  std::size_t newerKept = 0;
  std::size_t notStored = 0;
};

namespace {

fs::path toPath(const QString& path) { return fs::path(path.toStdString()); }

std::string directoryOf(const QString& directory) {
  std::string dir = directory.isEmpty() ? std::string("/") : directory.toStdString();
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  return dir;
}

std::vector<std::string> toStd(const QStringList& names) {
  std::vector<std::string> out;
  out.reserve(std::size_t(names.size()));
  for (const QString& n : names) out.push_back(n.toStdString());
  return out;
}

// The local stand-alone store has no listing call of core's archive
// planner (which lists a server): the same plan from the store's files.
std::vector<ArchiveItem> planLocal(Client& client, const std::string& folder, const std::vector<std::string>& files,
                                   const std::vector<std::string>& folders) {
  const std::string prefix = folder == "/" ? "/" : folder + "/";
  const bool whole = files.empty() && folders.empty();
  std::set<std::string> wanted(files.begin(), files.end());
  std::vector<std::string> below;
  for (const std::string& f : folders) below.push_back(f + "/");
  std::vector<ArchiveItem> items;
  for (const FileInfo& info : client.list_local_files()) {
    const SplitName split = split_name(info.name);
    const std::string& name = split.name;
    if (name.compare(0, prefix.size(), prefix) != 0) continue;
    bool take = whole || wanted.count(name) > 0;
    for (const std::string& b : below) take = take || name.compare(0, b.size(), b) == 0;
    if (!take) continue;
    items.push_back(ArchiveItem{name, name.substr(prefix.size()), split.version.value_or(info.mtime), info.size});
  }
  std::sort(items.begin(), items.end(), [](const ArchiveItem& a, const ArchiveItem& b) { return a.name < b.name; });
  if (items.empty()) throw Error(ErrorCode::NotFound, folder + ": no files to archive there");
  return items;
}

}  // namespace

ArchiveJob::ArchiveJob(const ArchiveTask& task, const CoreConnection& connection, QObject* parent)
    : StoreJob(parent), cancel_(std::make_shared<std::atomic<bool>>(false)) {
  // The thread ends soon after the flag is raised; run() then delivers
  // the cancelled outcome (and finished()).
  setCancelHandler([flag = cancel_] { flag->store(true); });
  thread_ = QThread::create([this, task, connection] { run(task, connection); });
  thread_->setObjectName(QStringLiteral("archive"));
  thread_->start();
}

ArchiveJob::~ArchiveJob() {
  cancel_->store(true);
  thread_->wait();
  delete thread_;
}

// On the job's thread: nothing here touches the job but through queued
// calls (the destructor waits for this function to return).
void ArchiveJob::run(const ArchiveTask& task, const CoreConnection& connection) {
  Outcome outcome;
  outcome.pack = task.direction == ArchiveTask::Direction::Pack;
  using Clock = std::chrono::steady_clock;
  Clock::time_point lastReport{};
  std::uint64_t lastEntries = ~std::uint64_t{0};
  // At most ~10 reports a second reach the GUI thread, and every change of
  // the file count.
  auto report = [this, &lastReport, &lastEntries](std::uint64_t entries, std::uint64_t entriesTotal,
                                                  std::uint64_t bytes, std::uint64_t bytesTotal) {
    const Clock::time_point now = Clock::now();
    if (entries == lastEntries && now - lastReport < std::chrono::milliseconds(100)) return;
    lastReport = now;
    lastEntries = entries;
    QMetaObject::invokeMethod(
        this,
        [this, entries, entriesTotal, bytes, bytesTotal] {
          reportStage(Stage::Transferring);
          emit entriesProgress(qint64(entries), qint64(entriesTotal));
          reportProgress(qint64(bytes), qint64(bytesTotal));
        },
        Qt::QueuedConnection);
  };
  try {
    ClientOptions options;
    options.read_environment = false;
    options.cache_dir = toPath(connection.cacheDirectory);
    options.remote_url = connection.serverUrl.toStdString();
    Client client(options);
    client.set_warning_sink([](const std::string&) {});  // a cache hiccup is not the user's business here
    QTemporaryFile caFile(QDir::tempPath() + QStringLiteral("/filetracker-ca-XXXXXX.pem"));
    auto* remote = dynamic_cast<RemoteDataStore*>(client.remote_store());
    if (remote) {
      RemoteAuth auth;
      auth.user = connection.user.toStdString();
      auth.password = connection.secret.toStdString();
      auth.netrc = false;  // the GUI signs in as its profile says, never as ~/.netrc does
      if (!connection.trustedCertificatesPem.isEmpty() && caFile.open()) {
        for (const QByteArray& pem : connection.trustedCertificatesPem) caFile.write(pem);
        caFile.flush();
        auth.ca_file = caFile.fileName().toStdString();
      }
      remote->set_auth(auth);
      remote->set_cancel_flag(cancel_.get());
    }
    const std::string dir = directoryOf(task.remoteDirectory);
    if (task.direction == ArchiveTask::Direction::Unpack) {
      ArchiveUploadOptions upload;
      upload.scratch_dir = toPath(connection.cacheDirectory) / "tmp";
      std::error_code ec;
      fs::create_directories(upload.scratch_dir, ec);
      if (ec) upload.scratch_dir.clear();
      ArchiveUploadReport done = upload_archive(
          client, toPath(task.archivePath), dir, upload,
          [&report](const ArchiveUploadProgress& p) { report(p.entries_done, p.entries_total, p.bytes_done, p.bytes_total); },
          cancel_.get());
      outcome.files = done.listing.files.size();
      outcome.stored = done.stored.size();
      outcome.unchanged = done.unchanged.size();
      outcome.newerKept = done.newer_kept.size();
      outcome.notStored = done.not_stored.size();
      if (done.cancelled || cancel_->load()) {
        outcome.result = Outcome::Result::Cancelled;
      } else if (!done.complete()) {
        outcome.result = Outcome::Result::Failed;
        outcome.error = done.failure;
      }
    } else {
      const std::optional<ArchiveFormat> format = archive_format_for(task.archivePath.toStdString());
      if (!format)
        throw Error(ErrorCode::InvalidArgument, task.archivePath.toStdString() +
                                                    ": unknown archive format: name it .zip, .tar, .tar.gz, .tgz or .tar.zst");
      const std::vector<std::string> files = toStd(task.files);
      const std::vector<std::string> folders = toStd(task.folders);
      std::vector<ArchiveItem> items;
      if (!remote) {
        items = planLocal(client, dir, files, folders);
      } else if (files.empty() && folders.empty()) {
        items = plan_folder_archive(*remote, dir);
      } else {
        items = plan_selection_archive(*remote, dir, files, folders);
      }
      ArchiveWriter writer(toPath(task.archivePath), *format);
      write_store_archive(
          client, items, writer,
          [&report](const ArchiveDownloadProgress& p) { report(p.entries_done, p.entries_total, p.bytes_done, p.bytes_total); },
          cancel_.get());
      outcome.files = items.size();
      outcome.stored = items.size();
    }
  } catch (const ArchiveRefused& refused) {
    outcome.result = Outcome::Result::Refused;
    outcome.error = refused.what();
    for (const ArchiveProblem& p : refused.problems()) outcome.problems.push_back(p.message());
  } catch (const Error& e) {
    outcome.result = e.code() == ErrorCode::Cancelled || cancel_->load() ? Outcome::Result::Cancelled
                                                                          : Outcome::Result::Failed;
    outcome.error = e.what();
  } catch (const std::exception& e) {
    outcome.result = Outcome::Result::Failed;
    outcome.error = e.what();
  }
  QMetaObject::invokeMethod(this, [this, outcome] { deliver(outcome); }, Qt::QueuedConnection);
}

void ArchiveJob::deliver(const Outcome& o) {
  filesDone_ = int(o.stored);
  for (const std::string& p : o.problems) refused_ << QString::fromStdString(p);
  if (o.pack) {
    summary_ = tr("%n file(s) written into the archive", "", int(o.stored));
  } else {
    summary_ = tr("%n file(s) stored", "", int(o.stored));
    if (o.unchanged > 0) summary_ += tr(", %n already there (not sent)", "", int(o.unchanged));
    if (o.newerKept > 0) summary_ += tr(", %n kept: the server holds newer versions", "", int(o.newerKept));
    if (o.notStored > 0) summary_ += tr(", %n not stored yet", "", int(o.notStored));
  }
  switch (o.result) {
    case Outcome::Result::Done: finishSuccess(); return;
    case Outcome::Result::Cancelled: finishCancelled(); return;
    case Outcome::Result::Refused:
      finishError(tr("Refused, nothing stored: %n entry(ies) not allowed", "", int(o.problems.size())));
      return;
    case Outcome::Result::Failed:
      if (!o.pack && o.stored + o.unchanged > 0) {
        finishError(tr("%1 (%2; Retry stores the rest)").arg(QString::fromStdString(o.error), summary_));
      } else {
        finishError(QString::fromStdString(o.error));
      }
      return;
  }
}

}  // namespace ft::ui
