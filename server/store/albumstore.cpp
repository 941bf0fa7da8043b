#include "store/albumstore.h"

namespace pinhole::server::store {

namespace {

constexpr const char* kAlbumSelect = "SELECT id, owner_id, name, description, cover_asset_id, created_at, updated_at, "
                                     "(SELECT count(*) FROM album_assets m JOIN assets a ON a.id = m.asset_id "
                                     " WHERE m.album_id = albums.id AND a.trashed_at IS NULL) FROM albums ";

Album readAlbum(const Query& q) {
    Album a;
    a.id = q.int64(0);
    a.ownerId = q.int64(1);
    a.name = q.text(2);
    a.description = q.text(3);
    if (!q.isNull(4))
        a.coverAssetId = q.int64(4);
    a.createdAt = q.int64(5);
    a.updatedAt = q.int64(6);
    a.assetCount = q.int64(7);
    return a;
}

Result<std::vector<Id>> ids(Query& q) {
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

Result<std::int64_t> positionOf(Database& db, Id albumId, Id assetId) {
    auto q = db.prepare("SELECT position FROM album_assets WHERE album_id = ?1 AND asset_id = ?2");
    q.bind(1, albumId).bind(2, assetId);
    auto row = q.step();
    if (!row)
        return row.status();
    if (!*row)
        return notFound("asset not in album");
    return q.int64(0);
}

// Adds `delta` to the positions in [from, to].
Status shiftPositions(Database& db, Id albumId, std::int64_t from, std::int64_t to, int delta) {
    auto q = db.prepare(
        "UPDATE album_assets SET position = position + ?4 WHERE album_id = ?1 AND position BETWEEN ?2 AND ?3");
    q.bind(1, albumId).bind(2, from).bind(3, to).bind(4, delta);
    return q.run();
}

} // namespace

Status insertAlbum(Database& db, const Album& a) {
    auto q = db.prepare("INSERT INTO albums (id, owner_id, name, description, cover_asset_id, created_at, updated_at) "
                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    q.bind(1, a.id).bind(2, a.ownerId).bind(3, a.name).bind(4, a.description).bind(5, a.coverAssetId);
    q.bind(6, a.createdAt).bind(7, a.updatedAt);
    return q.run();
}

Result<Album> albumById(Database& db, Id id) {
    auto q = db.prepare(std::string(kAlbumSelect) + "WHERE id = ?1");
    q.bind(1, id);
    auto row = q.step();
    if (!row)
        return row.status();
    if (!*row)
        return notFound("album not found");
    return readAlbum(q);
}

Result<std::vector<Album>> albumsOfOwner(Database& db, Id ownerId, std::optional<Id> beforeId, int limit) {
    auto q = db.prepare(std::string(kAlbumSelect) +
                        "WHERE owner_id = ?1 AND (?2 IS NULL OR id < ?2) ORDER BY id DESC LIMIT ?3");
    q.bind(1, ownerId).bind(2, beforeId).bind(3, limit);
    std::vector<Album> out;
    for (;;) {
        auto row = q.step();
        if (!row)
            return row.status();
        if (!*row)
            return out;
        out.push_back(readAlbum(q));
    }
}

Status updateAlbum(Database& db, const Album& a, std::int64_t now) {
    auto q =
        db.prepare("UPDATE albums SET name = ?2, description = ?3, cover_asset_id = ?4, updated_at = ?5 WHERE id = ?1");
    q.bind(1, a.id).bind(2, a.name).bind(3, a.description).bind(4, a.coverAssetId).bind(5, now);
    return q.run();
}

Status deleteAlbum(Database& db, Id id) {
    auto q = db.prepare("DELETE FROM albums WHERE id = ?1");
    q.bind(1, id);
    return q.run();
}

Status touchAlbum(Database& db, Id id, std::int64_t now) {
    auto q = db.prepare("UPDATE albums SET updated_at = ?2 WHERE id = ?1");
    q.bind(1, id).bind(2, now);
    return q.run();
}

Result<bool> albumContains(Database& db, Id albumId, Id assetId) {
    auto q = db.prepare("SELECT 1 FROM album_assets WHERE album_id = ?1 AND asset_id = ?2");
    q.bind(1, albumId).bind(2, assetId);
    return q.step();
}

Result<std::int64_t> albumSize(Database& db, Id albumId) {
    auto q = db.prepare("SELECT count(*) FROM album_assets WHERE album_id = ?1");
    q.bind(1, albumId);
    auto row = q.step();
    if (!row)
        return row.status();
    return q.int64(0);
}

Status insertAlbumAsset(Database& db, Id albumId, Id assetId, std::int64_t position, std::int64_t now) {
    auto size = albumSize(db, albumId);
    if (!size)
        return size.status();
    PINHOLE_TRY(shiftPositions(db, albumId, position, *size, +1));
    auto q = db.prepare("INSERT INTO album_assets (album_id, asset_id, position, added_at) VALUES (?1, ?2, ?3, ?4)");
    q.bind(1, albumId).bind(2, assetId).bind(3, position).bind(4, now);
    return q.run();
}

Result<bool> removeAlbumAsset(Database& db, Id albumId, Id assetId) {
    auto position = positionOf(db, albumId, assetId);
    if (!position)
        return position.status().code() == Code::NotFound ? Result<bool>(false) : Result<bool>(position.status());
    auto q = db.prepare("DELETE FROM album_assets WHERE album_id = ?1 AND asset_id = ?2");
    q.bind(1, albumId).bind(2, assetId);
    PINHOLE_TRY(q.run());
    auto size = albumSize(db, albumId);
    if (!size)
        return size.status();
    PINHOLE_TRY(shiftPositions(db, albumId, *position + 1, *size, -1));
    return true;
}

Status moveAlbumAsset(Database& db, Id albumId, Id assetId, std::int64_t position) {
    auto from = positionOf(db, albumId, assetId);
    if (!from)
        return from.status();
    if (*from < position)
        PINHOLE_TRY(shiftPositions(db, albumId, *from + 1, position, -1));
    else if (*from > position)
        PINHOLE_TRY(shiftPositions(db, albumId, position, *from - 1, +1));
    auto q = db.prepare("UPDATE album_assets SET position = ?3 WHERE album_id = ?1 AND asset_id = ?2");
    q.bind(1, albumId).bind(2, assetId).bind(3, position);
    return q.run();
}

Result<std::vector<Id>> albumAssetIds(Database& db, Id albumId) {
    auto q = db.prepare("SELECT asset_id FROM album_assets WHERE album_id = ?1 ORDER BY position");
    q.bind(1, albumId);
    return ids(q);
}

Result<std::vector<Id>> albumsContaining(Database& db, Id assetId) {
    auto q = db.prepare("SELECT album_id FROM album_assets WHERE asset_id = ?1 ORDER BY album_id");
    q.bind(1, assetId);
    return ids(q);
}

} // namespace pinhole::server::store
