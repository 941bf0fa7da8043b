#include "maintenance/backup.h"

#include "core/clock.h"
#include "core/digest.h"
#include "media/atomicwrite.h"
#include "media/derivatives.h"
#include "media/library.h"
#include "store/jobstore.h"
#include "store/maintenance.h"
#include "store/store.h"

#include <boost/json.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace pinhole::server::maintenance {

namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

constexpr const char* kManifest = "MANIFEST.json";
constexpr const char* kFormat = "pinhole-backup";
constexpr int kFormatVersion = 1;
constexpr const char* kDatabase = "pinhole.db";
// The TLS files `--tls-self-signed` keeps in the data directory (http/tlscert.cpp).
constexpr const char* kTlsFiles[] = {"tls/cert.pem", "tls/key.pem"};

struct FileEntry {
    std::string path; // relative to the data directory / the backup
    std::int64_t bytes = 0;
    std::string sha256;
};

// A file descriptor closed on scope exit.
class Fd {
public:
    explicit Fd(int fd) : m_fd(fd) {}
    ~Fd() {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return m_fd; }

private:
    int m_fd;
};

Status ioError(const std::string& what, const std::string& path) {
    return internalError(what + " " + path + ": " + std::strerror(errno));
}

// Copies `from` to `to` (whose directory exists) in one pass that also hashes the bytes: a
// temporary file beside the target, fsynced, renamed. Returns the entry for the manifest.
Result<FileEntry> copyHashed(const std::string& from, const std::string& to, const std::string& relative, mode_t mode) {
    Fd in(::open(from.c_str(), O_RDONLY | O_CLOEXEC));
    if (in.get() < 0)
        return errno == ENOENT ? notFound("missing " + relative) : ioError("cannot open", from);
    const std::string temp = to + ".tmp-copy";
    Fd out(::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode));
    if (out.get() < 0)
        return ioError("cannot create", temp);
    Sha256 hash;
    std::vector<unsigned char> buffer(1 << 20);
    FileEntry entry{relative, 0, {}};
    for (;;) {
        const ssize_t n = ::read(in.get(), buffer.data(), buffer.size());
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return ioError("cannot read", from);
        if (n == 0)
            break;
        hash.update(buffer.data(), static_cast<std::size_t>(n));
        for (ssize_t written = 0; written < n;) {
            const ssize_t w = ::write(out.get(), buffer.data() + written, static_cast<std::size_t>(n - written));
            if (w < 0 && errno == EINTR)
                continue;
            if (w < 0)
                return ioError("cannot write", temp);
            written += w;
        }
        entry.bytes += n;
    }
    if (::fsync(out.get()) != 0)
        return ioError("cannot fsync", temp);
    if (::rename(temp.c_str(), to.c_str()) != 0)
        return ioError("cannot rename", temp);
    entry.sha256 = hash.hex();
    return entry;
}

// Hashes a file without copying it.
Result<FileEntry> hashFile(const std::string& path, const std::string& relative) {
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    if (ec)
        return ec == std::errc::no_such_file_or_directory ? notFound("missing " + relative)
                                                          : internalError("cannot stat " + path + ": " + ec.message());
    auto sha = sha256OfFile(path);
    if (!sha)
        return sha.status();
    return FileEntry{relative, static_cast<std::int64_t>(size), *sha};
}

// Where a referenced file lives, relative to the data directory.
std::string relativePath(const store::ReferencedFile& f) {
    if (f.kind == store::ReferencedFile::Kind::Original)
        return media::originalPathIn("", f.sha256).substr(1);
    if (f.kind == store::ReferencedFile::Kind::Avatar)
        return media::avatarPathIn("", f.sha256).substr(1);
    return media::derivedDirIn("", f.sha256).substr(1) + "/" + media::derivativeFileName(f.variant);
}

// A directory that does not exist yet or is empty: created (mode 0700) if needed.
Status prepareEmptyDirectory(const std::string& dir) {
    std::error_code ec;
    if (fs::exists(dir, ec)) {
        if (!fs::is_directory(dir, ec))
            return invalidArgument(dir + " exists and is not a directory");
        if (!fs::is_empty(dir, ec))
            return invalidArgument(dir + " is not empty: choose a new or empty directory");
    }
    fs::create_directories(dir, ec);
    if (ec)
        return internalError("cannot create " + dir + ": " + ec.message());
    fs::permissions(dir, fs::perms::owner_all, ec);
    return Status::ok();
}

// Creates the parent directories of `root`/`relative`, remembering them so they can be fsynced.
Status makeParents(const std::string& root, const std::string& relative, std::set<std::string>& dirs) {
    const fs::path parent = fs::path(root + "/" + relative).parent_path();
    std::error_code ec;
    fs::create_directories(parent, ec);
    if (ec)
        return internalError("cannot create " + parent.string() + ": " + ec.message());
    for (fs::path p = parent; p.string().size() >= root.size(); p = p.parent_path()) {
        dirs.insert(p.string());
        if (p == p.parent_path())
            break;
    }
    return Status::ok();
}

Status syncAll(const std::set<std::string>& dirs) {
    // Deepest first, so each directory's entries are durable before its parent's.
    for (auto it = dirs.rbegin(); it != dirs.rend(); ++it)
        PINHOLE_TRY(media::syncDirectory(*it));
    return Status::ok();
}

Status writeManifest(const std::string& dest, const std::vector<FileEntry>& files) {
    json::array list;
    for (const FileEntry& f : files)
        list.push_back(json::object{{"path", f.path}, {"bytes", f.bytes}, {"sha256", f.sha256}});
    const json::object manifest{{"format", kFormat},
                                {"version", kFormatVersion},
                                {"created_at", isoTime(nowMillis())},
                                {"files", std::move(list)}};
    const std::string text = json::serialize(manifest) + "\n";
    return media::writeFileAtomically(dest, kManifest,
                                      {reinterpret_cast<const unsigned char*>(text.data()), text.size()});
}

Result<std::vector<FileEntry>> readManifest(const std::string& source) {
    std::ifstream in(source + "/" + kManifest);
    if (!in)
        return invalidArgument(source + " is not a Pinhole backup (no " + kManifest + ")");
    std::stringstream text;
    text << in.rdbuf();
    boost::system::error_code ec;
    const json::value value = json::parse(text.str(), ec);
    const json::object* manifest = ec ? nullptr : value.if_object();
    if (!manifest || manifest->if_contains("format") == nullptr || manifest->at("format") != kFormat)
        return invalidArgument(source + "/" + kManifest + " is not a Pinhole backup manifest");
    if (manifest->at("version") != kFormatVersion)
        return invalidArgument("backup format version " + json::serialize(manifest->at("version")) +
                               " is not supported by this pinholed (it reads version " +
                               std::to_string(kFormatVersion) + ")");
    std::vector<FileEntry> files;
    try {
        for (const json::value& item : manifest->at("files").as_array()) {
            const json::object& f = item.as_object();
            FileEntry entry{json::value_to<std::string>(f.at("path")), f.at("bytes").to_number<std::int64_t>(),
                            json::value_to<std::string>(f.at("sha256"))};
            // A manifest names files inside the backup only.
            const fs::path p(entry.path);
            if (entry.path.empty() || p.is_absolute() || entry.path.find("..") != std::string::npos)
                return invalidArgument("the manifest names a file outside the backup: " + entry.path);
            files.push_back(std::move(entry));
        }
    } catch (const std::exception& e) {
        return invalidArgument(source + "/" + kManifest + " is malformed: " + e.what());
    }
    return files;
}

void tell(const Progress& progress, std::int64_t done, std::int64_t total, std::int64_t bytes) {
    if (progress)
        progress(done, total, bytes);
}

} // namespace

Result<BackupSummary> backup(const std::string& dataDir, const std::string& dest, const Progress& progress) {
    const std::string database = dataDir + "/" + kDatabase;
    if (!fs::exists(database))
        return notFound("no database at " + database);
    PINHOLE_TRY(prepareEmptyDirectory(dest));

    // 1. The database at one moment, into the backup; then what that copy references.
    {
        auto live = store::Database::open(database);
        if (!live)
            return live.status();
        PINHOLE_TRY(store::backupDatabase(**live, dest + "/" + kDatabase));
    }
    std::vector<store::ReferencedFile> referenced;
    {
        auto copy = store::Database::open(dest + "/" + kDatabase);
        if (!copy)
            return copy.status();
        PINHOLE_TRY(store::dropUnfinishedUploads(**copy));
        // Jobs running now belong to the live server's workers: in the copy they go back to the
        // queue (as an interrupted attempt), so a restored server runs them at once.
        PINHOLE_TRY(store::expireAllLeases(**copy));
        PINHOLE_TRY(store::reclaimExpiredJobs(**copy, nowMillis()));
        auto files = store::referencedFiles(**copy);
        if (!files)
            return files.status();
        referenced = std::move(files).value();
        // Fold the WAL back into the file so the backup's database is one self-contained file.
        PINHOLE_TRY((*copy)->exec("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE"));
    }
    auto dbEntry = hashFile(dest + "/" + kDatabase, kDatabase);
    if (!dbEntry)
        return dbEntry.status();

    // 2. The files, verified on the way.
    std::vector<FileEntry> entries{*dbEntry};
    std::vector<std::string> relatives;
    relatives.reserve(referenced.size() + std::size(kTlsFiles));
    for (const auto& f : referenced)
        relatives.push_back(relativePath(f));
    for (const char* tls : kTlsFiles)
        if (fs::exists(dataDir + "/" + tls))
            relatives.emplace_back(tls);

    std::set<std::string> dirs{dest};
    std::vector<std::string> problems;
    BackupSummary summary{1, dbEntry->bytes};
    const auto total = static_cast<std::int64_t>(relatives.size()) + 1;
    for (std::size_t i = 0; i < relatives.size(); ++i) {
        const std::string& rel = relatives[i];
        PINHOLE_TRY(makeParents(dest, rel, dirs));
        const bool secret = rel.rfind("tls/", 0) == 0;
        auto copied = copyHashed(dataDir + "/" + rel, dest + "/" + rel, rel, secret ? 0600 : 0644);
        if (!copied) {
            problems.push_back(copied.status().message());
            continue;
        }
        if (i < referenced.size() && referenced[i].kind != store::ReferencedFile::Kind::Derivative &&
            copied->sha256 != referenced[i].sha256) {
            problems.push_back("corrupt " + rel + ": its SHA-256 is " + copied->sha256);
            continue;
        }
        summary.files += 1;
        summary.bytes += copied->bytes;
        entries.push_back(std::move(copied).value());
        tell(progress, summary.files, total, summary.bytes);
    }
    PINHOLE_TRY(syncAll(dirs));
    if (!problems.empty()) {
        std::string message = "the data directory has problems; the backup in " + dest + " is incomplete:";
        for (const auto& p : problems)
            message += "\n  " + p;
        return Status(Code::ChecksumMismatch, message);
    }
    // The manifest last: a backup without one was interrupted and is refused by restore.
    PINHOLE_TRY(writeManifest(dest, entries));
    PINHOLE_TRY(media::syncDirectory(dest));
    return summary;
}

Result<BackupSummary> restore(const std::string& source, const std::string& dataDir, const Progress& progress) {
    auto manifest = readManifest(source);
    if (!manifest)
        return manifest.status();
    // Everything is verified before anything is written.
    std::vector<std::string> problems;
    std::int64_t done = 0, bytes = 0;
    const auto total = static_cast<std::int64_t>(manifest->size());
    for (const FileEntry& f : *manifest) {
        auto actual = hashFile(source + "/" + f.path, f.path);
        if (!actual)
            problems.push_back(actual.status().message());
        else if (actual->sha256 != f.sha256 || actual->bytes != f.bytes)
            problems.push_back("corrupt " + f.path + ": expected SHA-256 " + f.sha256 + ", found " + actual->sha256);
        bytes += f.bytes;
        tell(progress, ++done, total * 2, bytes);
    }
    if (!problems.empty()) {
        std::string message = "the backup in " + source + " is damaged; nothing was restored:";
        for (const auto& p : problems)
            message += "\n  " + p;
        return Status(Code::ChecksumMismatch, message);
    }
    PINHOLE_TRY(prepareEmptyDirectory(dataDir));
    std::set<std::string> dirs{dataDir};
    BackupSummary summary;
    for (const FileEntry& f : *manifest) {
        PINHOLE_TRY(makeParents(dataDir, f.path, dirs));
        const bool secret = f.path.rfind("tls/", 0) == 0 || f.path == kDatabase;
        auto copied = copyHashed(source + "/" + f.path, dataDir + "/" + f.path, f.path, secret ? 0600 : 0644);
        if (!copied)
            return copied.status();
        if (copied->sha256 != f.sha256)
            return Status(Code::ChecksumMismatch, f.path + " changed while it was restored");
        summary.files += 1;
        summary.bytes += copied->bytes;
        tell(progress, total + summary.files, total * 2, bytes + summary.bytes);
    }
    PINHOLE_TRY(syncAll(dirs));
    // Opening migrates a backup taken by an older pinholed; then the database must be sound.
    auto store = store::Store::open(dataDir + "/" + kDatabase);
    if (!store)
        return store.status();
    auto db = (*store)->connection();
    if (!db)
        return db.status();
    auto integrity = store::integrityProblems(**db);
    if (!integrity)
        return integrity.status();
    if (!integrity->empty())
        return internalError("the restored database fails its checks: " + integrity->front());
    return summary;
}

Result<CheckReport> check(const std::string& dataDir, const Progress& progress) {
    const std::string database = dataDir + "/" + kDatabase;
    if (!fs::exists(database))
        return notFound("no database at " + database);
    auto db = store::Database::open(database);
    if (!db)
        return db.status();
    CheckReport report;
    auto integrity = store::integrityProblems(**db);
    if (!integrity)
        return integrity.status();
    report.problems = std::move(integrity).value();
    auto referenced = store::referencedFiles(**db);
    if (!referenced)
        return referenced.status();
    std::int64_t bytes = 0;
    const auto total = static_cast<std::int64_t>(referenced->size());
    for (const auto& f : *referenced) {
        const std::string rel = relativePath(f);
        const std::string path = dataDir + "/" + rel;
        std::error_code ec;
        const auto size = fs::file_size(path, ec);
        if (ec) {
            report.problems.push_back("missing " + rel);
        } else if (f.byteSize >= 0 && static_cast<std::int64_t>(size) != f.byteSize) {
            report.problems.push_back("corrupt " + rel + ": " + std::to_string(size) + " bytes, the database says " +
                                      std::to_string(f.byteSize));
        } else if (f.kind != store::ReferencedFile::Kind::Derivative) { // named by their SHA-256
            auto sha = sha256OfFile(path);
            if (!sha)
                report.problems.push_back("unreadable " + rel + ": " + sha.status().message());
            else if (*sha != f.sha256)
                report.problems.push_back("corrupt " + rel + ": its SHA-256 is " + *sha);
        }
        bytes += f.byteSize >= 0 ? f.byteSize : static_cast<std::int64_t>(ec ? 0 : size);
        report.filesChecked += 1;
        tell(progress, report.filesChecked, total, bytes);
    }
    return report;
}

} // namespace pinhole::server::maintenance
