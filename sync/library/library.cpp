#include "library/library.h"

#include "core/digest.h"
#include "library/metadata.h"

#include <boost/json.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>
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

// A region is an annotation of the built-in `region` schema, named by its client-chosen id.
std::string regionPayload(const std::string& sha256, const Region& r) {
    return json::serialize(
        json::object{{"asset_sha256", sha256},
                     {"schema", "region"},
                     {"annotation_id", r.id},
                     {"data", json::object{{"box", json::object{{"x", r.x}, {"y", r.y}, {"w", r.w}, {"h", r.h}}},
                                           {"kind", r.kind},
                                           {"label", r.label}}}});
}

constexpr const char* kAssetColumns =
    "SELECT id, sha256, server_id, size, width, height, taken_at, caption, trashed, orientation, rating, favourite, "
    "camera_make, camera_model, lens, exposure_time, f_number, iso, focal_length, latitude, longitude, thumbhash, "
    "mime_type FROM assets";
// Newest capture first; taken_at is EXIF text ("YYYY:MM:DD HH:MM:SS"), which sorts as it reads.
constexpr const char* kAssetOrder = " ORDER BY taken_at IS NULL, taken_at DESC, imported_at DESC, id DESC";

std::size_t utf8Length(const std::string& s) {
    return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

// The server's `region` schema, checked here so a bad region never reaches the outbox.
Status validateRegion(const Region& r) {
    auto inUnit = [](double v) { return std::isfinite(v) && v >= 0 && v <= 1; };
    if (!inUnit(r.x))
        return invalidArgument("region.x: must be a number in 0..1");
    if (!inUnit(r.y))
        return invalidArgument("region.y: must be a number in 0..1");
    if (!inUnit(r.w) || r.w <= 0)
        return invalidArgument("region.w: must be a number above 0, at most 1");
    if (!inUnit(r.h) || r.h <= 0)
        return invalidArgument("region.h: must be a number above 0, at most 1");
    if (r.x + r.w > 1 + 1e-9)
        return invalidArgument("region.w: x + w must be at most 1");
    if (r.y + r.h > 1 + 1e-9)
        return invalidArgument("region.h: y + h must be at most 1");
    static const std::set<std::string> kKinds = {"face", "pet", "object", "text"};
    if (!kKinds.count(r.kind))
        return invalidArgument("region.kind: must be one of face, pet, object, text");
    if (utf8Length(r.label) > 200)
        return invalidArgument("region.label: must have at most 200 characters");
    return Status::ok();
}
} // namespace

Status renumberAlbum(store::Database& db, const std::string& albumId) {
    return db
        .prepare("UPDATE album_assets SET position = (SELECT r.n FROM (SELECT asset_id, row_number() OVER (ORDER BY "
                 "position, added_hlc, asset_id) - 1 AS n FROM album_assets WHERE album_id = ?1 AND added_hlc > "
                 "removed_hlc) r WHERE r.asset_id = album_assets.asset_id) WHERE album_id = ?1 AND added_hlc > "
                 "removed_hlc")
        .bind(1, albumId)
        .run();
}

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
                               "imported_at, orientation, lens, exposure_time, f_number, iso, focal_length, latitude, "
                               "longitude, mime_type) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                        .bind(1, *sha)
                        .bind(2, static_cast<std::int64_t>(size))
                        .bind(3, meta.width)
                        .bind(4, meta.height)
                        .bind(5, meta.takenAt)
                        .bind(6, meta.cameraMake)
                        .bind(7, meta.cameraModel)
                        .bind(8, i64(wallMillis()))
                        .bind(9, meta.orientation)
                        .bind(10, meta.lens)
                        .bind(11, meta.exposureTime)
                        .bind(12, meta.fNumber)
                        .bind(13, meta.iso)
                        .bind(14, meta.focalLength)
                        .bind(15, meta.latitude)
                        .bind(16, meta.longitude)
                        .bind(17, meta.mimeType)
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

// An asset joining keeps its place if it is a member already, else it goes last.
Status Library::addMembership(const std::string& albumId, std::int64_t assetId, const std::string& sha256) {
    auto& db = m_store.db();
    auto hlc = stamp();
    if (!hlc)
        return hlc.status();
    auto last = db.prepare("SELECT count(*) FROM album_assets WHERE album_id = ? AND added_hlc > removed_hlc "
                           "AND asset_id <> ?");
    last.bind(1, albumId).bind(2, assetId);
    auto row = last.step();
    if (!row)
        return row.status();
    const std::int64_t end = last.int64(0);
    PINHOLE_TRY(db.prepare("INSERT INTO album_assets(album_id, asset_id, added_hlc, position) VALUES (?, ?, ?, ?) "
                           "ON CONFLICT(album_id, asset_id) DO UPDATE SET added_hlc = excluded.added_hlc, "
                           "position = CASE WHEN added_hlc > removed_hlc THEN position ELSE excluded.position END")
                    .bind(1, albumId)
                    .bind(2, assetId)
                    .bind(3, i64(*hlc))
                    .bind(4, end)
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
    PINHOLE_TRY(renumberAlbum(db, albumId));
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

// One last-writer-wins field of an asset: the column and its stamp (`<column>_hlc`) set here and
// the op that tells the server queued, in one transaction. `column` is one of ours, never input.
template <class T>
Status Library::setAssetField(const std::string& sha256, std::string_view column, const T& value, std::string_view kind,
                              const std::string& payload) {
    auto& db = m_store.db();
    store::Transaction tx(db);
    PINHOLE_TRY(tx.status());
    auto assetId = assetIdOf(sha256);
    if (!assetId)
        return assetId.status();
    auto hlc = stamp();
    if (!hlc)
        return hlc.status();
    const std::string c(column);
    PINHOLE_TRY(db.prepare("UPDATE assets SET " + c + " = ?, " + c + "_hlc = ? WHERE id = ?")
                    .bind(1, value)
                    .bind(2, i64(*hlc))
                    .bind(3, *assetId)
                    .run());
    PINHOLE_TRY(enqueue(kind, payload, *hlc));
    return tx.commit();
}

Status Library::setCaption(const std::string& sha256, const std::string& text) {
    return setAssetField(
        sha256, "caption", text, "asset.update",
        json::serialize(json::object{{"asset_sha256", sha256}, {"set", json::object{{"description", text}}}}));
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

Status Library::setRating(const std::string& sha256, int stars) {
    if (stars < 0 || stars > 5)
        return invalidArgument("rating: must be 0 to 5 stars");
    // A rating is the asset's one annotation of the `rating` schema; 0 stars removes it.
    json::object payload{{"asset_sha256", sha256}, {"schema", "rating"}};
    if (stars > 0)
        payload["data"] = json::object{{"value", stars}};
    return setAssetField(sha256, "rating", stars, stars > 0 ? "annotation.upsert" : "annotation.delete",
                         json::serialize(payload));
}

Status Library::setFavourite(const std::string& sha256, bool favourite) {
    return setAssetField(
        sha256, "favourite", favourite, "asset.update",
        json::serialize(json::object{{"asset_sha256", sha256}, {"set", json::object{{"favourite", favourite}}}}));
}

Status Library::writeRegion(const std::string& sha256, const Region& region, bool isNew) {
    PINHOLE_TRY(validateRegion(region));
    auto& db = m_store.db();
    store::Transaction tx(db);
    PINHOLE_TRY(tx.status());
    auto assetId = assetIdOf(sha256);
    if (!assetId)
        return assetId.status();
    auto hlc = stamp();
    if (!hlc)
        return hlc.status();
    if (isNew) {
        PINHOLE_TRY(db.prepare("INSERT INTO regions(id, asset_id, x, y, w, h, kind, label, hlc, created_at) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                        .bind(1, region.id)
                        .bind(2, *assetId)
                        .bind(3, region.x)
                        .bind(4, region.y)
                        .bind(5, region.w)
                        .bind(6, region.h)
                        .bind(7, region.kind)
                        .bind(8, region.label)
                        .bind(9, i64(*hlc))
                        .bind(10, i64(wallMillis()))
                        .run());
    } else {
        PINHOLE_TRY(db.prepare("UPDATE regions SET x = ?, y = ?, w = ?, h = ?, kind = ?, label = ?, hlc = ? "
                               "WHERE id = ? AND asset_id = ? AND deleted = 0")
                        .bind(1, region.x)
                        .bind(2, region.y)
                        .bind(3, region.w)
                        .bind(4, region.h)
                        .bind(5, region.kind)
                        .bind(6, region.label)
                        .bind(7, i64(*hlc))
                        .bind(8, region.id)
                        .bind(9, *assetId)
                        .run());
        if (db.changes() != 1)
            return notFound("no region " + region.id + " on this photo");
    }
    PINHOLE_TRY(enqueue("annotation.upsert", regionPayload(sha256, region), *hlc));
    return tx.commit();
}

Result<std::string> Library::addRegion(const std::string& sha256, Region region) {
    if (region.id.empty())
        region.id = randomUuid();
    PINHOLE_TRY(writeRegion(sha256, region, true));
    return region.id;
}

Status Library::updateRegion(const std::string& sha256, const Region& region) {
    return writeRegion(sha256, region, false);
}

Status Library::removeRegion(const std::string& sha256, const std::string& regionId) {
    auto& db = m_store.db();
    store::Transaction tx(db);
    PINHOLE_TRY(tx.status());
    auto assetId = assetIdOf(sha256);
    if (!assetId)
        return assetId.status();
    auto hlc = stamp();
    if (!hlc)
        return hlc.status();
    PINHOLE_TRY(db.prepare("UPDATE regions SET deleted = 1, hlc = ? WHERE id = ? AND asset_id = ? AND deleted = 0")
                    .bind(1, i64(*hlc))
                    .bind(2, regionId)
                    .bind(3, *assetId)
                    .run());
    if (db.changes() != 1)
        return notFound("no region " + regionId + " on this photo");
    PINHOLE_TRY(enqueue(
        "annotation.delete",
        json::serialize(json::object{{"asset_sha256", sha256}, {"schema", "region"}, {"annotation_id", regionId}}),
        *hlc));
    return tx.commit();
}

Result<std::vector<Region>> Library::regions(const std::string& sha256) {
    auto q = m_store.db().prepare("SELECT r.id, r.x, r.y, r.w, r.h, r.kind, r.label FROM regions r "
                                  "JOIN assets a ON a.id = r.asset_id WHERE a.sha256 = ? AND r.deleted = 0 "
                                  "ORDER BY r.created_at, r.rowid");
    q.bind(1, sha256);
    std::vector<Region> out;
    for (;;) {
        auto row = q.step();
        if (!row)
            return row.status();
        if (!*row)
            return out;
        out.push_back({q.text(0), q.real(1), q.real(2), q.real(3), q.real(4), q.text(5), q.text(6)});
    }
}

Result<std::vector<std::pair<std::string, int>>> Library::tagCounts() {
    auto q = m_store.db().prepare("SELECT t.label, count(*) AS n FROM tags t JOIN assets a ON a.id = t.asset_id "
                                  "WHERE t.added_hlc > t.removed_hlc AND a.trashed = 0 "
                                  "GROUP BY t.label ORDER BY n DESC, t.label");
    std::vector<std::pair<std::string, int>> out;
    for (;;) {
        auto row = q.step();
        if (!row)
            return row.status();
        if (!*row)
            return out;
        out.emplace_back(q.text(0), static_cast<int>(q.int64(1)));
    }
}

Status Library::moveInAlbum(const std::string& albumId, const std::string& sha256, int position) {
    if (position < 0)
        return invalidArgument("position: must be 0 or more");
    auto& db = m_store.db();
    store::Transaction tx(db);
    PINHOLE_TRY(tx.status());
    auto assetId = assetIdOf(sha256);
    if (!assetId)
        return assetId.status();
    auto q = db.prepare("SELECT asset_id FROM album_assets WHERE album_id = ? AND added_hlc > removed_hlc "
                        "ORDER BY position, added_hlc, asset_id");
    q.bind(1, albumId);
    std::vector<std::int64_t> order;
    for (;;) {
        auto row = q.step();
        if (!row)
            return row.status();
        if (!*row)
            break;
        order.push_back(q.int64(0));
    }
    const auto it = std::find(order.begin(), order.end(), *assetId);
    if (it == order.end())
        return notFound("the photo is not in album " + albumId);
    order.erase(it);
    const auto at = std::min<std::size_t>(static_cast<std::size_t>(position), order.size());
    order.insert(order.begin() + static_cast<std::ptrdiff_t>(at), *assetId);
    for (std::size_t i = 0; i < order.size(); ++i)
        PINHOLE_TRY(db.prepare("UPDATE album_assets SET position = ? WHERE album_id = ? AND asset_id = ?")
                        .bind(1, static_cast<std::int64_t>(i))
                        .bind(2, albumId)
                        .bind(3, order[i])
                        .run());
    auto hlc = stamp();
    if (!hlc)
        return hlc.status();
    PINHOLE_TRY(
        enqueue("album.move",
                json::serialize(json::object{
                    {"album_id", albumId}, {"asset_sha256", sha256}, {"position", static_cast<std::int64_t>(at)}}),
                *hlc));
    return tx.commit();
}

Status Library::setTrashed(const std::string& sha256, bool trashed) {
    return setAssetField(sha256, "trashed", trashed, trashed ? "asset.trash" : "asset.restore",
                         json::serialize(json::object{{"asset_sha256", sha256}}));
}

Status Library::trash(const std::string& sha256) {
    return setTrashed(sha256, true);
}

Status Library::restore(const std::string& sha256) {
    return setTrashed(sha256, false);
}

Result<std::vector<LocalAsset>> Library::assets() {
    return readAssets(nullptr);
}

Result<std::vector<LocalAsset>> Library::readAssets(const std::string* sha256) {
    auto& db = m_store.db();
    store::ReadTransaction rt(db);
    auto q = db.prepare(sha256 ? kAssetColumns + std::string(" WHERE sha256 = ?")
                               : kAssetColumns + std::string(kAssetOrder));
    if (sha256)
        q.bind(1, *sha256);
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
        a.orientation = static_cast<int>(q.int64(9));
        a.rating = static_cast<int>(q.int64(10));
        a.favourite = q.int64(11) != 0;
        auto text = [&q](int column) {
            return q.isNull(column) ? std::optional<std::string>() : std::optional<std::string>(q.text(column));
        };
        a.cameraMake = text(12);
        a.cameraModel = text(13);
        a.lens = text(14);
        a.exposureTime = text(15);
        a.fNumber = text(16);
        a.iso = text(17);
        a.focalLength = text(18);
        if (!q.isNull(19))
            a.latitude = q.real(19);
        if (!q.isNull(20))
            a.longitude = q.real(20);
        a.thumbhash = text(21);
        a.mimeType = q.text(22);
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
    auto found = readAssets(&sha256);
    if (!found)
        return found.status();
    if (found->empty())
        return std::optional<LocalAsset>();
    return std::optional<LocalAsset>(std::move(found->front()));
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
                            "WHERE m.album_id = ? AND m.added_hlc > m.removed_hlc "
                            "ORDER BY m.position, m.added_hlc, m.asset_id");
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
