#include "library/library.h"

#include "core/digest.h"
#include "library/metadata.h"

#include <boost/json.hpp>

#include <algorithm>
#include <filesystem>
#include <system_error>

namespace fs = std::filesystem;
namespace json = boost::json;

namespace pinhole::sync {

namespace {
std::int64_t i64(std::uint64_t v) {
    return static_cast<std::int64_t>(v);
}

// Tags are annotations of the built-in `tag` schema (docs/protocol.md §3.2).
std::string tagPayload(const std::string& sha256, const std::string& label) {
    return json::serialize(
        json::object{{"asset_sha256", sha256}, {"schema", "tag"}, {"data", json::object{{"label", label}}}});
}
} // namespace

Result<std::uint64_t> Library::stamp() {
    const std::uint64_t hlc = m_clock.now();
    PINHOLE_TRY(m_store.setMeta("hlc", std::to_string(m_clock.last())));
    return hlc;
}

Status Library::enqueue(std::string_view kind, const std::string& payload, std::uint64_t hlc) {
    auto id = Outbox(m_store.db()).enqueue(kind, payload, hlc, wallMillis());
    return id ? Status::ok() : id.status();
}

Result<std::int64_t> Library::assetIdOf(const std::string& sha256) {
    auto q = m_store.db().prepare("SELECT id FROM assets WHERE sha256 = ?");
    q.bind(1, sha256);
    auto row = q.step();
    if (!row)
        return row.status();
    if (!*row)
        return Status(Code::NotFound, "no asset with SHA-256 " + sha256 + " in the library");
    return q.int64(0);
}

Result<ImportReport> Library::importPath(const std::string& path, const std::optional<std::string>& album,
                                         const Progress& progress) {
    std::error_code ec;
    std::vector<std::string> files;
    if (fs::is_directory(path, ec)) {
        for (auto it = fs::recursive_directory_iterator(path, fs::directory_options::skip_permission_denied, ec);
             !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
            if (it->is_regular_file(ec))
                files.push_back(it->path().string());
        }
        if (ec)
            return Status(Code::InvalidArgument, "cannot list " + path + ": " + ec.message());
        std::sort(files.begin(), files.end()); // a stable order, so progress is reproducible
    } else if (fs::is_regular_file(path, ec)) {
        files.push_back(path);
    } else {
        return Status(Code::NotFound, path + " is neither a file nor a folder");
    }

    std::optional<std::string> albumId;
    if (album) {
        auto id = ensureAlbum(*album);
        if (!id)
            return id.status();
        albumId = *id;
    }

    ImportReport report;
    ImportProgress step{0, static_cast<int>(files.size()), {}};
    for (const auto& file : files) {
        ++step.done;
        step.path = file;
        if (!sniffImageFormat(file)) {
            ++report.skipped;
        } else {
            ++report.files;
            auto added = importFile(fs::absolute(file).lexically_normal().string(), albumId);
            if (!added)
                report.errors.push_back(file + ": " + added.status().message());
            else if (*added)
                ++report.newAssets;
            else
                ++report.duplicates;
        }
        if (progress)
            progress(step);
    }
    return report;
}

// Hashing and reading metadata happen before the transaction (no I/O while holding the write
// lock); the transaction then adds the asset (or finds it by hash), records where the file is,
// queues the upload and the album membership.
Result<bool> Library::importFile(const std::string& path, const std::optional<std::string>& albumId) {
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    if (ec)
        return Status(Code::NotFound, ec.message());
    auto sha = sha256OfFile(path);
    if (!sha)
        return sha.status();
    const PhotoMetadata meta = readPhotoMetadata(path);

    auto& db = m_store.db();
    store::Transaction tx(db);
    PINHOLE_TRY(tx.status());
    auto existing = assetIdOf(*sha);
    bool added = false;
    std::int64_t assetId = 0;
    if (existing) {
        assetId = *existing;
    } else {
        if (existing.status().code() != Code::NotFound)
            return existing.status();
        PINHOLE_TRY(db.prepare("INSERT INTO assets(sha256, size, width, height, taken_at, camera_make, camera_model, "
                               "imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                        .bind(1, *sha)
                        .bind(2, static_cast<std::int64_t>(size))
                        .bind(3, meta.width)
                        .bind(4, meta.height)
                        .bind(5, meta.takenAt)
                        .bind(6, meta.cameraMake)
                        .bind(7, meta.cameraModel)
                        .bind(8, i64(wallMillis()))
                        .run());
        assetId = db.lastInsertRowId();
        PINHOLE_TRY(db.prepare("INSERT INTO uploads(asset_id, state, updated_at) VALUES (?, 'pending', ?)")
                        .bind(1, assetId)
                        .bind(2, i64(wallMillis()))
                        .run());
        added = true;
    }
    PINHOLE_TRY(db.prepare("INSERT INTO asset_files(path, asset_id) VALUES (?, ?) "
                           "ON CONFLICT(path) DO UPDATE SET asset_id = excluded.asset_id")
                    .bind(1, path)
                    .bind(2, assetId)
                    .run());
    if (albumId)
        PINHOLE_TRY(addMembership(*albumId, assetId, *sha));
    PINHOLE_TRY(tx.commit());
    return added;
}

Result<std::optional<std::string>> Library::albumByName(const std::string& name) {
    auto q = m_store.db().prepare("SELECT id FROM albums WHERE name = ? AND deleted = 0 ORDER BY name_hlc LIMIT 1");
    q.bind(1, name);
    auto row = q.step();
    if (!row)
        return row.status();
    if (!*row)
        return std::optional<std::string>();
    return std::optional<std::string>(q.text(0));
}

Result<std::string> Library::ensureAlbum(const std::string& name) {
    auto found = albumByName(name);
    if (!found)
        return found.status();
    if (*found)
        return **found;
    return createAlbum(name);
}

Result<std::string> Library::createAlbum(const std::string& name) {
    if (name.empty())
        return Status(Code::InvalidArgument, "an album needs a name");
    auto& db = m_store.db();
    store::Transaction tx(db);
    PINHOLE_TRY(tx.status());
    auto hlc = stamp();
    if (!hlc)
        return hlc.status();
    std::string id = randomUuid();
    PINHOLE_TRY(db.prepare("INSERT INTO albums(id, name, name_hlc) VALUES (?, ?, ?)")
                    .bind(1, id)
                    .bind(2, name)
                    .bind(3, i64(*hlc))
                    .run());
    PINHOLE_TRY(enqueue("album.create", json::serialize(json::object{{"album_id", id}, {"name", name}}), *hlc));
    PINHOLE_TRY(tx.commit());
    return id;
}

Status Library::renameAlbum(const std::string& albumId, const std::string& name) {
    if (name.empty())
        return Status(Code::InvalidArgument, "an album needs a name");
    auto& db = m_store.db();
    store::Transaction tx(db);
    PINHOLE_TRY(tx.status());
    auto hlc = stamp();
    if (!hlc)
        return hlc.status();
    PINHOLE_TRY(db.prepare("UPDATE albums SET name = ?, name_hlc = ? WHERE id = ? AND deleted = 0")
                    .bind(1, name)
                    .bind(2, i64(*hlc))
                    .bind(3, albumId)
                    .run());
    if (db.changes() != 1)
        return Status(Code::NotFound, "no album " + albumId);
    PINHOLE_TRY(enqueue("album.update", json::serialize(json::object{{"album_id", albumId}, {"name", name}}), *hlc));
    return tx.commit();
}

Status Library::deleteAlbum(const std::string& albumId) {
    auto& db = m_store.db();
    store::Transaction tx(db);
    PINHOLE_TRY(tx.status());
    auto hlc = stamp();
    if (!hlc)
        return hlc.status();
    PINHOLE_TRY(db.prepare("UPDATE albums SET deleted = 1 WHERE id = ? AND deleted = 0").bind(1, albumId).run());
    if (db.changes() != 1)
        return Status(Code::NotFound, "no album " + albumId);
    PINHOLE_TRY(enqueue("album.delete", json::serialize(json::object{{"album_id", albumId}}), *hlc));
    return tx.commit();
}

Status Library::addMembership(const std::string& albumId, std::int64_t assetId, const std::string& sha256) {
    auto& db = m_store.db();
    auto hlc = stamp();
    if (!hlc)
        return hlc.status();
    PINHOLE_TRY(db.prepare("INSERT INTO album_assets(album_id, asset_id, added_hlc) VALUES (?, ?, ?) "
                           "ON CONFLICT(album_id, asset_id) DO UPDATE SET added_hlc = excluded.added_hlc")
                    .bind(1, albumId)
                    .bind(2, assetId)
                    .bind(3, i64(*hlc))
                    .run());
    return enqueue("album.add", json::serialize(json::object{{"album_id", albumId}, {"asset_sha256", sha256}}), *hlc);
}

Status Library::addToAlbum(const std::string& albumId, const std::string& sha256) {
    auto& db = m_store.db();
    store::Transaction tx(db);
    PINHOLE_TRY(tx.status());
    auto assetId = assetIdOf(sha256);
    if (!assetId)
        return assetId.status();
    PINHOLE_TRY(addMembership(albumId, *assetId, sha256));
    return tx.commit();
}

Status Library::removeFromAlbum(const std::string& albumId, const std::string& sha256) {
    auto& db = m_store.db();
    store::Transaction tx(db);
    PINHOLE_TRY(tx.status());
    auto assetId = assetIdOf(sha256);
    if (!assetId)
        return assetId.status();
    auto hlc = stamp();
    if (!hlc)
        return hlc.status();
    // Add-wins: the removal covers the adds seen so far (added_hlc <= removed_hlc).
    PINHOLE_TRY(db.prepare("UPDATE album_assets SET removed_hlc = ? WHERE album_id = ? AND asset_id = ?")
                    .bind(1, i64(*hlc))
                    .bind(2, albumId)
                    .bind(3, *assetId)
                    .run());
    PINHOLE_TRY(
        enqueue("album.remove", json::serialize(json::object{{"album_id", albumId}, {"asset_sha256", sha256}}), *hlc));
    return tx.commit();
}

Status Library::addTag(const std::string& sha256, const std::string& label) {
    if (label.empty())
        return Status(Code::InvalidArgument, "a tag needs a label");
    auto& db = m_store.db();
    store::Transaction tx(db);
    PINHOLE_TRY(tx.status());
    auto assetId = assetIdOf(sha256);
    if (!assetId)
        return assetId.status();
    auto hlc = stamp();
    if (!hlc)
        return hlc.status();
    PINHOLE_TRY(db.prepare("INSERT INTO tags(asset_id, label, added_hlc) VALUES (?, ?, ?) "
                           "ON CONFLICT(asset_id, label) DO UPDATE SET added_hlc = excluded.added_hlc")
                    .bind(1, *assetId)
                    .bind(2, label)
                    .bind(3, i64(*hlc))
                    .run());
    PINHOLE_TRY(enqueue("annotation.upsert", tagPayload(sha256, label), *hlc));
    return tx.commit();
}

Status Library::removeTag(const std::string& sha256, const std::string& label) {
    auto& db = m_store.db();
    store::Transaction tx(db);
    PINHOLE_TRY(tx.status());
    auto assetId = assetIdOf(sha256);
    if (!assetId)
        return assetId.status();
    auto hlc = stamp();
    if (!hlc)
        return hlc.status();
    PINHOLE_TRY(db.prepare("UPDATE tags SET removed_hlc = ? WHERE asset_id = ? AND label = ?")
                    .bind(1, i64(*hlc))
                    .bind(2, *assetId)
                    .bind(3, label)
                    .run());
    PINHOLE_TRY(enqueue("annotation.delete", tagPayload(sha256, label), *hlc));
    return tx.commit();
}

Status Library::setCaption(const std::string& sha256, const std::string& text) {
    auto& db = m_store.db();
    store::Transaction tx(db);
    PINHOLE_TRY(tx.status());
    auto assetId = assetIdOf(sha256);
    if (!assetId)
        return assetId.status();
    auto hlc = stamp();
    if (!hlc)
        return hlc.status();
    PINHOLE_TRY(db.prepare("UPDATE assets SET caption = ?, caption_hlc = ? WHERE id = ?")
                    .bind(1, text)
                    .bind(2, i64(*hlc))
                    .bind(3, *assetId)
                    .run());
    PINHOLE_TRY(enqueue(
        "asset.update",
        json::serialize(json::object{{"asset_sha256", sha256}, {"set", json::object{{"description", text}}}}), *hlc));
    return tx.commit();
}

Result<std::string> Library::post(const std::vector<std::string>& sha256s, const std::string& caption,
                                  const std::string& visibility) {
    if (sha256s.empty() || sha256s.size() > 10)
        return Status(Code::InvalidArgument, "a post has 1 to 10 photos");
    auto& db = m_store.db();
    store::Transaction tx(db);
    PINHOLE_TRY(tx.status());
    json::array hashes;
    for (const auto& sha : sha256s) {
        auto assetId = assetIdOf(sha);
        if (!assetId)
            return assetId.status();
        hashes.emplace_back(sha);
    }
    auto hlc = stamp();
    if (!hlc)
        return hlc.status();
    auto opId = Outbox(db).enqueue(
        "post.create",
        json::serialize(json::object{{"media_sha256s", hashes}, {"text", caption}, {"visibility", visibility}}), *hlc,
        wallMillis());
    if (!opId)
        return opId.status();
    PINHOLE_TRY(tx.commit());
    return *opId;
}

Status Library::like(const std::string& statusId) {
    auto& db = m_store.db();
    store::Transaction tx(db);
    PINHOLE_TRY(tx.status());
    auto hlc = stamp();
    if (!hlc)
        return hlc.status();
    PINHOLE_TRY(enqueue("like", json::serialize(json::object{{"status_id", statusId}}), *hlc));
    return tx.commit();
}

Status Library::unlike(const std::string& statusId) {
    auto& db = m_store.db();
    store::Transaction tx(db);
    PINHOLE_TRY(tx.status());
    auto hlc = stamp();
    if (!hlc)
        return hlc.status();
    PINHOLE_TRY(enqueue("unlike", json::serialize(json::object{{"status_id", statusId}}), *hlc));
    return tx.commit();
}

Result<std::vector<LocalAsset>> Library::assets() {
    auto& db = m_store.db();
    store::ReadTransaction rt(db);
    auto q = db.prepare("SELECT id, sha256, server_id, size, width, height, taken_at, caption, trashed FROM assets "
                        "ORDER BY id");
    std::vector<LocalAsset> out;
    for (;;) {
        auto row = q.step();
        if (!row)
            return row.status();
        if (!*row)
            break;
        LocalAsset a;
        a.id = q.int64(0);
        a.sha256 = q.text(1);
        if (!q.isNull(2))
            a.serverId = q.text(2);
        a.size = q.int64(3);
        if (!q.isNull(4))
            a.width = static_cast<int>(q.int64(4));
        if (!q.isNull(5))
            a.height = static_cast<int>(q.int64(5));
        if (!q.isNull(6))
            a.takenAt = q.text(6);
        a.caption = q.text(7);
        a.trashed = q.int64(8) != 0;
        out.push_back(std::move(a));
    }
    for (auto& a : out) {
        auto f = db.prepare("SELECT path FROM asset_files WHERE asset_id = ? ORDER BY path");
        f.bind(1, a.id);
        for (;;) {
            auto row = f.step();
            if (!row)
                return row.status();
            if (!*row)
                break;
            a.files.push_back(f.text(0));
        }
    }
    return out;
}

Result<std::optional<LocalAsset>> Library::asset(const std::string& sha256) {
    auto all = assets();
    if (!all)
        return all.status();
    for (auto& a : *all)
        if (a.sha256 == sha256)
            return std::optional<LocalAsset>(std::move(a));
    return std::optional<LocalAsset>();
}

Result<std::vector<LocalAlbum>> Library::albums() {
    auto& db = m_store.db();
    store::ReadTransaction rt(db);
    auto q = db.prepare("SELECT id, name FROM albums WHERE deleted = 0 ORDER BY name, id");
    std::vector<LocalAlbum> out;
    for (;;) {
        auto row = q.step();
        if (!row)
            return row.status();
        if (!*row)
            break;
        out.push_back({q.text(0), q.text(1), {}});
    }
    for (auto& album : out) {
        auto m = db.prepare("SELECT a.sha256 FROM album_assets m JOIN assets a ON a.id = m.asset_id "
                            "WHERE m.album_id = ? AND m.added_hlc > m.removed_hlc ORDER BY a.sha256");
        m.bind(1, album.id);
        for (;;) {
            auto row = m.step();
            if (!row)
                return row.status();
            if (!*row)
                break;
            album.assetSha256s.push_back(m.text(0));
        }
    }
    return out;
}

Result<std::vector<std::string>> Library::tags(const std::string& sha256) {
    auto q = m_store.db().prepare("SELECT t.label FROM tags t JOIN assets a ON a.id = t.asset_id "
                                  "WHERE a.sha256 = ? AND t.added_hlc > t.removed_hlc ORDER BY t.label");
    q.bind(1, sha256);
    std::vector<std::string> out;
    for (;;) {
        auto row = q.step();
        if (!row)
            return row.status();
        if (!*row)
            return out;
        out.push_back(q.text(0));
    }
}

Result<std::vector<ConflictRecord>> Library::conflicts() {
    auto q = m_store.db().prepare("SELECT entity, field, kept, lost FROM conflicts ORDER BY id");
    std::vector<ConflictRecord> out;
    for (;;) {
        auto row = q.step();
        if (!row)
            return row.status();
        if (!*row)
            return out;
        out.push_back({q.text(0), q.text(1), q.text(2), q.text(3)});
    }
}

} // namespace pinhole::sync
