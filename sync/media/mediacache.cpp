#include "media/mediacache.h"

#include "core/digest.h"
#include "net/accounts.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <tuple>

namespace fs = std::filesystem;

namespace pinhole::sync {

namespace {

constexpr const char* kBudgetKey = "media_budget_bytes";

// The members shown of pinned albums that are not deleted (the rows exempt from eviction).
constexpr const char* kPinnedShas = "SELECT a.sha256 FROM pinned_albums p "
                                    "JOIN albums al ON al.id = p.album_id AND al.deleted = 0 "
                                    "JOIN album_assets m ON m.album_id = p.album_id AND m.added_hlc > m.removed_hlc "
                                    "JOIN assets a ON a.id = m.asset_id";

Status ioError(const std::string& what, const std::string& path) {
    return Status(Code::Internal, what + " " + path + ": " + std::strerror(errno));
}

bool isSha256(const std::string& text) {
    return text.size() == 64 && std::all_of(text.begin(), text.end(),
                                            [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// A file being written under tmp/: removed unless committed.
class TempFile {
public:
    explicit TempFile(std::string path) : m_path(std::move(path)) {
        m_fd = ::open(m_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    }
    ~TempFile() {
        if (m_fd >= 0)
            ::close(m_fd);
        if (!m_committed)
            ::unlink(m_path.c_str());
    }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;

    bool isOpen() const { return m_fd >= 0; }
    const std::string& path() const { return m_path; }
    std::int64_t size() const { return m_size; }

    bool write(std::string_view piece) {
        while (!piece.empty()) {
            const ssize_t n = ::write(m_fd, piece.data(), piece.size());
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                return false;
            piece.remove_prefix(static_cast<std::size_t>(n));
            m_size += n;
        }
        return true;
    }
    // Flushes, closes and renames the file to `target` (whose folder exists).
    Status commit(const std::string& target) {
        if (::fsync(m_fd) != 0)
            return ioError("cannot flush", m_path);
        ::close(m_fd);
        m_fd = -1;
        if (std::rename(m_path.c_str(), target.c_str()) != 0)
            return ioError("cannot rename into", target);
        m_committed = true;
        return Status::ok();
    }

private:
    std::string m_path;
    int m_fd = -1;
    std::int64_t m_size = 0;
    bool m_committed = false;
};

} // namespace

const char* variantName(MediaVariant variant) {
    switch (variant) {
    case MediaVariant::Thumb: return "thumb";
    case MediaVariant::Preview: return "preview";
    case MediaVariant::Large: return "large";
    case MediaVariant::Original: return "original";
    }
    return "original";
}

Result<std::unique_ptr<MediaCache>> MediaCache::open(const std::string& storePath, LogSink log) {
    auto store = store::LocalStore::open(storePath, log);
    if (!store)
        return store.status();
    const fs::path folder = fs::absolute(fs::path(storePath)).parent_path();
    const std::string root = (folder / "media").string();
    std::error_code ec;
    // Whatever tmp/ holds is a fetch a killed process left: never a file anyone uses.
    fs::remove_all(fs::path(root) / "tmp", ec);
    fs::create_directories(fs::path(root) / "tmp", ec);
    if (ec)
        return Status(Code::Internal, "cannot create " + root + "/tmp: " + ec.message());
    return std::unique_ptr<MediaCache>(new MediaCache(std::move(*store), root, std::move(log)));
}

MediaCache::MediaCache(std::unique_ptr<store::LocalStore> store, std::string root, LogSink log)
    : m_store(std::move(store)), m_root(std::move(root)), m_log(std::move(log)) {}

std::string MediaCache::pathFor(const std::string& sha256, MediaVariant variant) const {
    return m_root + "/" + variantName(variant) + "/" + sha256.substr(0, 2) + "/" + sha256;
}

std::optional<std::string> MediaCache::cached(const std::string& sha256, MediaVariant variant) {
    if (!isSha256(sha256))
        return std::nullopt;
    const std::string path = pathFor(sha256, variant);
    std::lock_guard lock(m_mutex);
    auto& db = m_store->db();
    auto q = db.prepare("SELECT 1 FROM media_cache WHERE sha256 = ? AND variant = ?");
    q.bind(1, sha256).bind(2, variantName(variant));
    auto row = q.step();
    if (!row || !*row)
        return std::nullopt;
    std::error_code ec;
    if (!fs::exists(path, ec)) { // removed behind our back: forget it
        (void)removeLocked(sha256, variantName(variant));
        return std::nullopt;
    }
    // Thumbnails are never evicted: no need to order them (and the grid reads many).
    if (variant != MediaVariant::Thumb)
        (void)db.prepare("UPDATE media_cache SET last_access = ? WHERE sha256 = ? AND variant = ?")
            .bind(1, static_cast<std::int64_t>(wallMillis()))
            .bind(2, sha256)
            .bind(3, variantName(variant))
            .run();
    return path;
}

std::unique_ptr<net::HttpClient> MediaCache::takeClient(std::string& baseUrl, Status& status) {
    std::lock_guard lock(m_mutex);
    std::unique_ptr<net::HttpClient> client;
    if (!m_idleClients.empty()) {
        client = std::move(m_idleClients.back());
        m_idleClients.pop_back();
    } else {
        client = std::make_unique<net::HttpClient>();
        client->setTimeouts(5'000, 30);
    }
    auto base = net::useSignedInAccount(*client, *m_store);
    if (!base) {
        status = base.status();
        return nullptr;
    }
    baseUrl = *base;
    return client;
}

void MediaCache::returnClient(std::unique_ptr<net::HttpClient> client) {
    std::lock_guard lock(m_mutex);
    if (m_idleClients.size() < 4)
        m_idleClients.push_back(std::move(client));
}

Result<std::string> MediaCache::fetch(const std::string& sha256, MediaVariant variant, const Cancelled& cancelled) {
    if (!isSha256(sha256))
        return Status(Code::InvalidArgument, "not an asset hash: " + sha256);
    if (auto path = cached(sha256, variant))
        return *path;
    if (wallMillis() < m_offlineUntil.load())
        return Status(Code::Unavailable, "the server was unreachable a moment ago");

    std::string serverId;
    {
        std::lock_guard lock(m_mutex);
        auto q = m_store->db().prepare("SELECT server_id FROM assets WHERE sha256 = ? AND server_id IS NOT NULL");
        q.bind(1, sha256);
        auto row = q.step();
        if (!row)
            return row.status();
        if (!*row)
            return Status(Code::NotFound, "photo " + sha256 + " is not on the server");
        serverId = q.text(0);
    }

    std::string base;
    Status configured;
    auto client = takeClient(base, configured);
    if (!client)
        return configured;
    TempFile temp(m_root + "/tmp/" + randomUuid());
    if (!temp.isOpen())
        return ioError("cannot create", temp.path());
    bool writeFailed = false;
    const std::string what = std::string("GET /media/") + serverId + "/" + variantName(variant);
    auto response = client->receive({"GET", base + "/media/" + serverId + "/" + variantName(variant), {}, {}},
                                    [&](std::string_view piece) {
                                        if (cancelled && cancelled())
                                            return false;
                                        if (!temp.write(piece)) {
                                            writeFailed = true;
                                            return false;
                                        }
                                        return true;
                                    });
    returnClient(std::move(client));
    if (writeFailed)
        return ioError("cannot write", temp.path());
    if (!response) {
        if (response.status().code() == Code::Unavailable && !(cancelled && cancelled()))
            m_offlineUntil = wallMillis() + kOfflineBackoffMs;
        return response.status();
    }
    if (response->status != 200)
        return net::errorOf(*response, what);
    if (temp.size() == 0)
        return Status(Code::Unavailable, what + ": an empty answer");
    if (variant == MediaVariant::Original) {
        auto hash = sha256OfFile(temp.path());
        if (!hash)
            return hash.status();
        if (*hash != sha256)
            return Status(Code::ChecksumMismatch, what + ": the bytes do not hash to " + sha256);
    }
    const std::string target = pathFor(sha256, variant);
    std::error_code ec;
    fs::create_directories(fs::path(target).parent_path(), ec);
    if (ec)
        return Status(Code::Internal, "cannot create the folder of " + target + ": " + ec.message());
    PINHOLE_TRY(temp.commit(target));

    std::lock_guard lock(m_mutex);
    PINHOLE_TRY(
        m_store->db()
            .prepare("INSERT OR REPLACE INTO media_cache (sha256, variant, size, last_access) VALUES (?, ?, ?, ?)")
            .bind(1, sha256)
            .bind(2, variantName(variant))
            .bind(3, temp.size())
            .bind(4, static_cast<std::int64_t>(wallMillis()))
            .run());
    PINHOLE_TRY(evictLocked());
    return target;
}

Status MediaCache::removeLocked(const std::string& sha256, const std::string& variant) {
    // The file first: a crash in between leaves a row whose file is gone, which cached() forgets;
    // the other order would leave a file nothing counts.
    std::error_code ec;
    fs::remove(m_root + "/" + variant + "/" + sha256.substr(0, 2) + "/" + sha256, ec);
    if (ec)
        return Status(Code::Internal, "cannot remove a cached " + variant + " of " + sha256 + ": " + ec.message());
    return m_store->db()
        .prepare("DELETE FROM media_cache WHERE sha256 = ? AND variant = ?")
        .bind(1, sha256)
        .bind(2, variant)
        .run();
}

Status MediaCache::evictLocked() {
    auto& db = m_store->db();
    std::int64_t budget = kDefaultBudget;
    if (auto text = m_store->meta(kBudgetKey))
        budget = std::stoll(*text);
    const std::string evictable =
        std::string("FROM media_cache WHERE variant <> 'thumb' AND sha256 NOT IN (") + kPinnedShas + ")";
    auto total = db.prepare("SELECT coalesce(sum(size), 0) " + evictable);
    auto row = total.step();
    if (!row)
        return row.status();
    std::int64_t bytes = total.int64(0);
    if (bytes <= budget)
        return Status::ok();
    // Least recently used first, until the rest fits.
    std::vector<std::tuple<std::string, std::string, std::int64_t>> victims;
    auto q = db.prepare("SELECT sha256, variant, size " + evictable + " ORDER BY last_access, sha256");
    for (;;) {
        auto next = q.step();
        if (!next)
            return next.status();
        if (!*next || bytes <= budget)
            break;
        victims.emplace_back(q.text(0), q.text(1), q.int64(2));
        bytes -= q.int64(2);
    }
    for (const auto& [sha, variant, size] : victims) {
        PINHOLE_TRY(removeLocked(sha, variant));
        logTo(m_log, LogLevel::Debug, "media_evicted", variant + " " + sha + " (" + std::to_string(size) + " bytes)");
    }
    return Status::ok();
}

std::int64_t MediaCache::budget() {
    std::lock_guard lock(m_mutex);
    auto text = m_store->meta(kBudgetKey);
    return text ? std::stoll(*text) : kDefaultBudget;
}

Status MediaCache::setBudget(std::int64_t bytes) {
    if (bytes < 0)
        return Status(Code::InvalidArgument, "the cache budget must be at least 0 bytes");
    std::lock_guard lock(m_mutex);
    PINHOLE_TRY(m_store->setMeta(kBudgetKey, std::to_string(bytes)));
    return evictLocked();
}

Result<CacheUsage> MediaCache::usage() {
    std::lock_guard lock(m_mutex);
    auto& db = m_store->db();
    CacheUsage u;
    auto text = m_store->meta(kBudgetKey);
    u.budgetBytes = text ? std::stoll(*text) : kDefaultBudget;
    auto q = db.prepare(std::string("SELECT variant = 'thumb', sha256 IN (") + kPinnedShas +
                        "), coalesce(sum(size), 0), count(*) FROM media_cache GROUP BY 1, 2");
    for (;;) {
        auto row = q.step();
        if (!row)
            return row.status();
        if (!*row)
            break;
        const std::int64_t bytes = q.int64(2);
        if (q.int64(0))
            u.thumbBytes += bytes;
        else if (q.int64(1))
            u.pinnedBytes += bytes;
        else
            u.evictableBytes += bytes;
        u.files += static_cast<int>(q.int64(3));
    }
    return u;
}

Status MediaCache::clear() {
    std::lock_guard lock(m_mutex);
    auto& db = m_store->db();
    std::vector<std::pair<std::string, std::string>> victims;
    auto q =
        db.prepare(std::string("SELECT sha256, variant FROM media_cache WHERE sha256 NOT IN (") + kPinnedShas + ")");
    for (;;) {
        auto row = q.step();
        if (!row)
            return row.status();
        if (!*row)
            break;
        victims.emplace_back(q.text(0), q.text(1));
    }
    for (const auto& [sha, variant] : victims)
        PINHOLE_TRY(removeLocked(sha, variant));
    return Status::ok();
}

Status MediaCache::pinAlbum(const std::string& albumId) {
    std::lock_guard lock(m_mutex);
    auto& db = m_store->db();
    auto exists = db.prepare("SELECT 1 FROM albums WHERE id = ? AND deleted = 0");
    exists.bind(1, albumId);
    auto row = exists.step();
    if (!row)
        return row.status();
    if (!*row)
        return Status(Code::NotFound, "no album " + albumId);
    return db.prepare("INSERT OR IGNORE INTO pinned_albums (album_id, pinned_at) VALUES (?, ?)")
        .bind(1, albumId)
        .bind(2, static_cast<std::int64_t>(wallMillis()))
        .run();
}

Status MediaCache::unpinAlbum(const std::string& albumId) {
    std::lock_guard lock(m_mutex);
    PINHOLE_TRY(m_store->db().prepare("DELETE FROM pinned_albums WHERE album_id = ?").bind(1, albumId).run());
    // Its files are evictable again: bring the cache back under its budget.
    return evictLocked();
}

Result<PinState> MediaCache::pinState(const std::string& albumId) {
    std::lock_guard lock(m_mutex);
    auto& db = m_store->db();
    store::ReadTransaction snapshot(db);
    PinState state;
    auto pinned = db.prepare("SELECT 1 FROM pinned_albums WHERE album_id = ?");
    pinned.bind(1, albumId);
    auto row = pinned.step();
    if (!row)
        return row.status();
    state.pinned = *row;
    auto q = db.prepare("SELECT count(*), coalesce(sum(EXISTS (SELECT 1 FROM asset_files f WHERE f.asset_id = a.id) "
                        "OR EXISTS (SELECT 1 FROM media_cache c WHERE c.sha256 = a.sha256 AND c.variant = "
                        "'original')), 0) FROM album_assets m JOIN assets a ON a.id = m.asset_id "
                        "WHERE m.album_id = ? AND m.added_hlc > m.removed_hlc");
    q.bind(1, albumId);
    row = q.step();
    if (!row)
        return row.status();
    state.photos = static_cast<int>(q.int64(0));
    state.available = static_cast<int>(q.int64(1));
    return state;
}

Result<int> MediaCache::fetchPinned() {
    // What pinned albums lack, read first; fetched one by one outside the lock.
    std::vector<std::pair<std::string, MediaVariant>> missing;
    {
        std::lock_guard lock(m_mutex);
        auto& db = m_store->db();
        auto q = db.prepare(
            std::string("SELECT DISTINCT p.sha256, v.variant FROM (") + kPinnedShas +
            ") p JOIN (SELECT 'original' AS variant UNION ALL SELECT 'thumb') v "
            "JOIN assets a ON a.sha256 = p.sha256 "
            "WHERE a.server_id IS NOT NULL AND a.trashed = 0 "
            "AND NOT EXISTS (SELECT 1 FROM asset_files f WHERE f.asset_id = a.id) "
            "AND NOT EXISTS (SELECT 1 FROM media_cache c WHERE c.sha256 = p.sha256 AND c.variant = v.variant) "
            "ORDER BY v.variant DESC, p.sha256"); // thumbnails first: the album's grid fills quickly
        for (;;) {
            auto row = q.step();
            if (!row)
                return row.status();
            if (!*row)
                break;
            missing.emplace_back(q.text(0), q.text(1) == "thumb" ? MediaVariant::Thumb : MediaVariant::Original);
        }
    }
    int fetched = 0;
    for (const auto& [sha, variant] : missing) {
        auto path = fetch(sha, variant);
        if (path) {
            ++fetched;
            continue;
        }
        if (path.status().code() == Code::NotFound) // not processed yet, or gone: next round
            continue;
        return path.status();
    }
    return fetched;
}

} // namespace pinhole::sync
