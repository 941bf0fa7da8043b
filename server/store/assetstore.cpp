#include "store/assetstore.h"

#include <unordered_map>

namespace pinhole::server::store {

namespace {

constexpr const char* kAssetColumns =
    "id, owner_id, sha256, byte_size, mime_type, state, failure, width, height, orientation, taken_at, "
    "camera_make, camera_model, lens, exposure_time, f_number, iso, focal_length, gps_latitude, gps_longitude, "
    "gps_altitude, placeholder, description, focus_x, focus_y, created_at, updated_at, title, favourite, "
    "taken_at_correction, trashed_at";

template <class T> std::optional<T> opt(const Query& q, int column);
template <> std::optional<int> opt(const Query& q, int c) {
    return q.isNull(c) ? std::nullopt : std::optional<int>(static_cast<int>(q.int64(c)));
}
template <> std::optional<std::int64_t> opt(const Query& q, int c) {
    return q.isNull(c) ? std::nullopt : std::optional<std::int64_t>(q.int64(c));
}
template <> std::optional<double> opt(const Query& q, int c) {
    return q.isNull(c) ? std::nullopt : std::optional<double>(q.real(c));
}
template <> std::optional<std::string> opt(const Query& q, int c) {
    return q.isNull(c) ? std::nullopt : std::optional<std::string>(q.text(c));
}

// The asset of the row `q` stands on (kAssetColumns), without its derivatives.
Asset assetOfRow(const Query& q) {
    Asset a;
    a.id = q.int64(0);
    a.ownerId = q.int64(1);
    a.sha256 = q.text(2);
    a.byteSize = q.int64(3);
    a.mimeType = q.text(4);
    a.state = q.text(5);
    a.failure = opt<std::string>(q, 6);
    a.width = opt<int>(q, 7);
    a.height = opt<int>(q, 8);
    a.orientation = opt<int>(q, 9);
    a.takenAt = opt<std::int64_t>(q, 10);
    a.cameraMake = opt<std::string>(q, 11);
    a.cameraModel = opt<std::string>(q, 12);
    a.lens = opt<std::string>(q, 13);
    a.exposureTime = opt<std::string>(q, 14);
    a.fNumber = opt<double>(q, 15);
    a.iso = opt<int>(q, 16);
    a.focalLength = opt<double>(q, 17);
    a.gpsLatitude = opt<double>(q, 18);
    a.gpsLongitude = opt<double>(q, 19);
    a.gpsAltitude = opt<double>(q, 20);
    a.placeholder = opt<std::string>(q, 21);
    a.description = q.text(22);
    a.focusX = q.real(23);
    a.focusY = q.real(24);
    a.createdAt = q.int64(25);
    a.updatedAt = q.int64(26);
    a.title = q.text(27);
    a.favourite = q.int64(28) != 0;
    a.takenAtCorrection = opt<std::int64_t>(q, 29);
    a.trashedAt = opt<std::int64_t>(q, 30);
    return a;
}

Result<Asset> readAsset(Database& db, Query& q) {
    auto row = q.step();
    if (!row)
        return row.status();
    if (!*row)
        return notFound("asset not found");
    Asset a = assetOfRow(q);
    auto d = db.prepare("SELECT variant, width, height, byte_size, mime_type FROM asset_derivatives "
                        "WHERE asset_id = ?1 ORDER BY variant");
    d.bind(1, a.id);
    for (;;) {
        auto more = d.step();
        if (!more)
            return more.status();
        if (!*more)
            break;
        a.derivatives.push_back(
            {d.text(0), static_cast<int>(d.int64(1)), static_cast<int>(d.int64(2)), d.int64(3), d.text(4)});
    }
    return a;
}

} // namespace

Status insertAsset(Database& db, const Asset& a) {
    auto q =
        db.prepare("INSERT INTO assets (id, owner_id, sha256, byte_size, mime_type, state, created_at, updated_at) "
                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    q.bind(1, a.id).bind(2, a.ownerId).bind(3, a.sha256).bind(4, a.byteSize).bind(5, a.mimeType).bind(6, a.state);
    q.bind(7, a.createdAt).bind(8, a.updatedAt);
    return q.run();
}

Result<Asset> assetById(Database& db, Id id) {
    auto q = db.prepare(std::string("SELECT ") + kAssetColumns + " FROM assets WHERE id = ?1");
    q.bind(1, id);
    return readAsset(db, q);
}

Result<std::vector<Asset>> assetsByIds(Database& db, const std::vector<Id>& ids) {
    std::vector<Asset> out;
    if (ids.empty())
        return out;
    std::unordered_map<Id, std::size_t> index;
    {
        auto q = db.prepare(std::string("SELECT ") + kAssetColumns +
                            " FROM assets WHERE id IN (SELECT value FROM json_each(?1))");
        q.bindIds(1, ids);
        for (;;) {
            auto row = q.step();
            if (!row)
                return row.status();
            if (!*row)
                break;
            index.emplace(q.int64(0), out.size());
            out.push_back(assetOfRow(q));
        }
    }
    auto d = db.prepare("SELECT asset_id, variant, width, height, byte_size, mime_type FROM asset_derivatives "
                        "WHERE asset_id IN (SELECT value FROM json_each(?1)) ORDER BY asset_id, variant");
    d.bindIds(1, ids);
    for (;;) {
        auto more = d.step();
        if (!more)
            return more.status();
        if (!*more)
            return out;
        if (auto it = index.find(d.int64(0)); it != index.end())
            out[it->second].derivatives.push_back(
                {d.text(1), static_cast<int>(d.int64(2)), static_cast<int>(d.int64(3)), d.int64(4), d.text(5)});
    }
}

Result<Asset> assetByOwnerAndSha(Database& db, Id ownerId, std::string_view sha256) {
    auto q = db.prepare(std::string("SELECT ") + kAssetColumns + " FROM assets WHERE owner_id = ?1 AND sha256 = ?2");
    q.bind(1, ownerId).bind(2, sha256);
    return readAsset(db, q);
}

Result<std::vector<std::string>> existingSha256s(Database& db, Id ownerId, const std::vector<std::string>& sha256s) {
    std::vector<std::string> out;
    for (const auto& sha : sha256s) {
        auto q = db.prepare("SELECT 1 FROM assets WHERE owner_id = ?1 AND sha256 = ?2");
        q.bind(1, ownerId).bind(2, sha);
        auto row = q.step();
        if (!row)
            return row.status();
        if (*row)
            out.push_back(sha);
    }
    return out;
}

Result<bool> sha256InUse(Database& db, std::string_view sha256) {
    auto q = db.prepare("SELECT 1 FROM assets WHERE sha256 = ?1 LIMIT 1");
    q.bind(1, sha256);
    auto row = q.step();
    if (!row)
        return row.status();
    return *row;
}

Status updateAssetMetadata(Database& db, const Asset& a, std::int64_t now) {
    auto q = db.prepare("UPDATE assets SET width = ?2, height = ?3, orientation = ?4, taken_at = ?5, camera_make = ?6, "
                        "camera_model = ?7, lens = ?8, exposure_time = ?9, f_number = ?10, iso = ?11, "
                        "focal_length = ?12, gps_latitude = ?13, gps_longitude = ?14, gps_altitude = ?15, "
                        "updated_at = ?16 WHERE id = ?1");
    q.bind(1, a.id).bind(2, a.width).bind(3, a.height).bind(4, a.orientation).bind(5, a.takenAt);
    q.bind(6, a.cameraMake).bind(7, a.cameraModel).bind(8, a.lens).bind(9, a.exposureTime).bind(10, a.fNumber);
    q.bind(11, a.iso).bind(12, a.focalLength).bind(13, a.gpsLatitude).bind(14, a.gpsLongitude);
    q.bind(15, a.gpsAltitude).bind(16, now);
    return q.run();
}

Status completeAsset(Database& db, Id id, const std::vector<DerivativeRow>& derivatives, const std::string& placeholder,
                     std::int64_t now) {
    for (const auto& d : derivatives) {
        auto q = db.prepare("INSERT OR REPLACE INTO asset_derivatives (asset_id, variant, width, height, byte_size, "
                            "mime_type) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
        q.bind(1, id).bind(2, d.variant).bind(3, d.width).bind(4, d.height).bind(5, d.byteSize).bind(6, d.mimeType);
        PINHOLE_TRY(q.run());
    }
    auto q = db.prepare("UPDATE assets SET state = 'ready', failure = NULL, placeholder = ?2, updated_at = ?3 "
                        "WHERE id = ?1");
    q.bind(1, id).bind(2, placeholder).bind(3, now);
    return q.run();
}

Status failAsset(Database& db, Id id, const std::string& reason, std::int64_t now) {
    auto q = db.prepare("UPDATE assets SET state = 'failed', failure = ?2, updated_at = ?3 WHERE id = ?1");
    q.bind(1, id).bind(2, reason).bind(3, now);
    return q.run();
}

Status updateAssetDescription(Database& db, Id id, const std::string& description, double focusX, double focusY,
                              std::int64_t now) {
    auto q =
        db.prepare("UPDATE assets SET description = ?2, focus_x = ?3, focus_y = ?4, updated_at = ?5 WHERE id = ?1");
    q.bind(1, id).bind(2, description).bind(3, focusX).bind(4, focusY).bind(5, now);
    return q.run();
}

Status updateAssetEdits(Database& db, const Asset& a, std::int64_t now) {
    auto q = db.prepare("UPDATE assets SET title = ?2, description = ?3, favourite = ?4, taken_at_correction = ?5, "
                        "updated_at = ?6 WHERE id = ?1");
    q.bind(1, a.id).bind(2, a.title).bind(3, a.description).bind(4, a.favourite).bind(5, a.takenAtCorrection);
    q.bind(6, now);
    return q.run();
}

Status setAssetTrashed(Database& db, Id id, std::optional<std::int64_t> trashedAt, std::int64_t now) {
    auto q = db.prepare("UPDATE assets SET trashed_at = ?2, updated_at = ?3 WHERE id = ?1");
    q.bind(1, id).bind(2, trashedAt).bind(3, now);
    return q.run();
}

Result<std::vector<Id>> trashedBefore(Database& db, std::int64_t before, int limit) {
    auto q = db.prepare("SELECT id FROM assets WHERE trashed_at IS NOT NULL AND trashed_at < ?1 "
                        "ORDER BY trashed_at, id LIMIT ?2");
    q.bind(1, before).bind(2, limit);
    std::vector<Id> out;
    for (;;) {
        auto row = q.step();
        if (!row)
            return row.status();
        if (!*row)
            return out;
        out.push_back(q.int64(0));
    }
}

Status deleteAsset(Database& db, Id id) {
    auto q = db.prepare("DELETE FROM assets WHERE id = ?1");
    q.bind(1, id);
    return q.run();
}

Result<AssetPage> listAssets(Database& db, const AssetQuery& query) {
    // One statement for every filter combination: an absent filter binds NULL and matches all.
    // In an album the order is the album's (position); otherwise newest first.
    static const std::string kFilters =
        " a.owner_id = ?1 AND (a.trashed_at IS NOT NULL) = ?2 AND (?3 IS NULL OR a.sort_at >= ?3)"
        " AND (?4 IS NULL OR a.sort_at < ?4) AND (?5 IS NULL OR a.favourite = ?5)"
        " AND (?10 IS NULL OR EXISTS (SELECT 1 FROM annotations n WHERE n.asset_id = a.id) = ?10)";
    std::string sql;
    if (query.albumId)
        sql =
            "SELECT a.id, m.position FROM assets a JOIN album_assets m ON m.asset_id = a.id WHERE m.album_id = ?6 AND" +
            kFilters + " AND (?7 IS NULL OR m.position > ?7) ORDER BY m.position LIMIT ?9";
    else
        sql = "SELECT a.id, a.sort_at FROM assets a WHERE" + kFilters +
              " AND (?7 IS NULL OR a.sort_at < ?7 OR (a.sort_at = ?7 AND a.id < ?8))"
              " ORDER BY a.sort_at DESC, a.id DESC LIMIT ?9";
    std::vector<Id> ids;
    AssetPage page;
    {
        auto q = db.prepare(sql);
        q.bind(1, query.ownerId).bind(2, query.trashed).bind(3, query.takenFrom).bind(4, query.takenBefore);
        q.bind(5, query.favourite).bind(10, query.annotated);
        if (query.albumId)
            q.bind(6, *query.albumId);
        if (query.after)
            q.bind(7, query.after->key);
        if (query.after && !query.albumId)
            q.bind(8, query.after->id);
        q.bind(9, query.limit);
        for (;;) {
            auto row = q.step();
            if (!row)
                return row.status();
            if (!*row)
                break;
            ids.push_back(q.int64(0));
            page.keys.push_back(q.int64(1));
        }
    }
    for (Id id : ids) { // derivatives come with each (assetById); a page is small
        auto asset = assetById(db, id);
        if (!asset)
            return asset.status();
        page.assets.push_back(std::move(asset).value());
    }
    return page;
}

Result<std::vector<Id>> processingAssets(Database& db) {
    auto q = db.prepare("SELECT id FROM assets WHERE state = 'processing' ORDER BY id");
    std::vector<Id> out;
    for (;;) {
        auto row = q.step();
        if (!row)
            return row.status();
        if (!*row)
            return out;
        out.push_back(q.int64(0));
    }
}

Status insertUpload(Database& db, const Upload& u) {
    auto q = db.prepare("INSERT INTO uploads (id, owner_id, length, \"offset\", metadata, declared_sha256, created_at, "
                        "expires_at) VALUES (?1, ?2, ?3, 0, ?4, ?5, ?6, ?7)");
    q.bind(1, u.id).bind(2, u.ownerId).bind(3, u.length).bind(4, u.metadata).bind(5, u.declaredSha256);
    q.bind(6, u.createdAt).bind(7, u.expiresAt);
    return q.run();
}

Result<Upload> uploadById(Database& db, std::string_view id) {
    auto q = db.prepare("SELECT id, owner_id, length, \"offset\", metadata, declared_sha256, asset_id, created_at, "
                        "expires_at FROM uploads WHERE id = ?1");
    q.bind(1, id);
    auto row = q.step();
    if (!row)
        return row.status();
    if (!*row)
        return notFound("upload not found");
    Upload u;
    u.id = q.text(0);
    u.ownerId = q.int64(1);
    u.length = q.int64(2);
    u.offset = q.int64(3);
    u.metadata = q.text(4);
    u.declaredSha256 = opt<std::string>(q, 5);
    u.assetId = opt<std::int64_t>(q, 6);
    u.createdAt = q.int64(7);
    u.expiresAt = q.int64(8);
    return u;
}

Status setUploadOffset(Database& db, std::string_view id, std::int64_t offset) {
    auto q = db.prepare("UPDATE uploads SET \"offset\" = ?2 WHERE id = ?1");
    q.bind(1, id).bind(2, offset);
    return q.run();
}

Status setUploadAsset(Database& db, std::string_view id, Id assetId) {
    // An upload with its asset has all its bytes: the offset says so.
    auto q = db.prepare("UPDATE uploads SET asset_id = ?2, \"offset\" = length WHERE id = ?1");
    q.bind(1, id).bind(2, assetId);
    return q.run();
}

Status deleteUpload(Database& db, std::string_view id) {
    auto q = db.prepare("DELETE FROM uploads WHERE id = ?1");
    q.bind(1, id);
    return q.run();
}

Result<std::vector<std::string>> expiredUploads(Database& db, std::int64_t now) {
    auto q = db.prepare("SELECT id FROM uploads WHERE expires_at < ?1 AND asset_id IS NULL");
    q.bind(1, now);
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

} // namespace pinhole::server::store
