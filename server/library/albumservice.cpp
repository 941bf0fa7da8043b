#include "library/albumservice.h"

#include "accounts/accountservice.h"
#include "core/clock.h"
#include "store/assetstore.h"
#include "store/eventstore.h"

#include <algorithm>

namespace pinhole::server::library {

namespace {

using store::EventType;

Status validName(const std::string& name) {
    auto length = accounts::utf8Length(name);
    if (!length || *length == 0 || *length > kMaxAlbumNameChars)
        return invalidArgument("name: must be valid text of 1 to " + std::to_string(kMaxAlbumNameChars) +
                               " characters");
    return Status::ok();
}

Status validDescription(const std::string& description) {
    auto length = accounts::utf8Length(description);
    if (!length || *length > kMaxAlbumDescriptionChars)
        return invalidArgument("description: must be valid text of at most " +
                               std::to_string(kMaxAlbumDescriptionChars) + " characters");
    return Status::ok();
}

// The viewer's album, read on `db`; NotFound for anyone else's.
Result<store::Album> ownedOn(store::Database& db, Id viewer, Id albumId) {
    auto album = store::albumById(db, albumId);
    if (album && album->ownerId != viewer)
        return notFound("album not found");
    return album;
}

Status appendAlbumEvent(store::Database& db, EventType type, const store::Album& album, std::int64_t now) {
    return store::appendEvent(db, {.type = type, .actorId = album.ownerId, .subjectId = album.id}, now);
}

} // namespace

Result<store::Album> AlbumService::create(Id owner, const std::string& name, const std::string& description,
                                          const store::AlsoInTransaction& also) {
    PINHOLE_TRY(validName(name));
    PINHOLE_TRY(validDescription(description));
    store::Album album;
    album.id = newId();
    album.ownerId = owner;
    album.name = name;
    album.description = description;
    album.createdAt = album.updatedAt = nowMillis();
    auto db = m_store.connection();
    if (!db)
        return db.status();
    store::Transaction tx(**db);
    PINHOLE_TRY(tx.status());
    PINHOLE_TRY(store::insertAlbum(**db, album));
    PINHOLE_TRY(appendAlbumEvent(**db, EventType::AlbumCreated, album, album.createdAt));
    if (also)
        PINHOLE_TRY(also(**db, album.id));
    PINHOLE_TRY(tx.commit());
    m_events.notify();
    return album;
}

Result<std::vector<store::Album>> AlbumService::list(Id owner) {
    auto db = m_store.connection();
    if (!db)
        return db.status();
    std::vector<store::Album> all;
    std::optional<Id> before;
    for (;;) { // in pages, so no one statement holds the read lock for long
        auto page = store::albumsOfOwner(**db, owner, before, 500);
        if (!page)
            return page.status();
        all.insert(all.end(), page->begin(), page->end());
        if (page->size() < 500)
            return all;
        before = page->back().id;
    }
}

Result<store::Album> AlbumService::get(Id viewer, Id albumId) {
    auto db = m_store.connection();
    if (!db)
        return db.status();
    return ownedOn(**db, viewer, albumId);
}

Result<store::Album> AlbumService::update(Id viewer, Id albumId, const AlbumEdit& edit,
                                          const store::AlsoInTransaction& also) {
    if (edit.name)
        PINHOLE_TRY(validName(*edit.name));
    if (edit.description)
        PINHOLE_TRY(validDescription(*edit.description));
    auto db = m_store.connection();
    if (!db)
        return db.status();
    store::Transaction tx(**db);
    PINHOLE_TRY(tx.status());
    auto album = ownedOn(**db, viewer, albumId);
    if (!album)
        return album.status();
    if (edit.coverAssetId && *edit.coverAssetId) {
        auto member = store::albumContains(**db, albumId, **edit.coverAssetId);
        if (!member)
            return member.status();
        if (!*member)
            return invalidArgument("cover_asset_id: must be an asset of the album");
    }
    if (edit.name)
        album->name = *edit.name;
    if (edit.description)
        album->description = *edit.description;
    if (edit.coverAssetId)
        album->coverAssetId = *edit.coverAssetId;
    const std::int64_t now = nowMillis();
    PINHOLE_TRY(store::updateAlbum(**db, *album, now));
    PINHOLE_TRY(appendAlbumEvent(**db, EventType::AlbumUpdated, *album, now));
    if (also)
        PINHOLE_TRY(also(**db, album->id));
    PINHOLE_TRY(tx.commit());
    m_events.notify();
    album->updatedAt = now;
    return album;
}

Status AlbumService::remove(Id viewer, Id albumId, const store::AlsoInTransaction& also) {
    auto db = m_store.connection();
    if (!db)
        return db.status();
    store::Transaction tx(**db);
    PINHOLE_TRY(tx.status());
    auto album = ownedOn(**db, viewer, albumId);
    if (!album)
        return album.status();
    const std::int64_t now = nowMillis();
    PINHOLE_TRY(store::deleteAlbum(**db, albumId)); // its memberships go with it; the assets stay
    PINHOLE_TRY(appendAlbumEvent(**db, EventType::AlbumDeleted, *album, now));
    if (also)
        PINHOLE_TRY(also(**db, album->id));
    PINHOLE_TRY(tx.commit());
    m_events.notify();
    return Status::ok();
}

Result<store::Album> AlbumService::addAssets(Id viewer, Id albumId, const std::vector<Id>& assetIds,
                                             std::optional<std::int64_t> position,
                                             const store::AlsoInTransaction& also) {
    if (assetIds.empty() || assetIds.size() > kMaxAssetsPerRequest)
        return invalidArgument("asset_ids: 1 to " + std::to_string(kMaxAssetsPerRequest) + " ids");
    if (position && *position < 0)
        return invalidArgument("position: must be 0 or more");
    auto db = m_store.connection();
    if (!db)
        return db.status();
    store::Transaction tx(**db);
    PINHOLE_TRY(tx.status());
    auto album = ownedOn(**db, viewer, albumId);
    if (!album)
        return album.status();
    auto size = store::albumSize(**db, albumId);
    if (!size)
        return size.status();
    std::int64_t at = std::min(position.value_or(*size), *size);
    const std::int64_t now = nowMillis();
    for (Id assetId : assetIds) {
        auto asset = store::assetById(**db, assetId);
        if (!asset || asset->ownerId != viewer)
            return asset ? notFound("asset " + idToString(assetId) + " not found") : asset.status();
        auto member = store::albumContains(**db, albumId, assetId);
        if (!member)
            return member.status();
        if (*member)
            continue;
        PINHOLE_TRY(store::insertAlbumAsset(**db, albumId, assetId, at++, now));
    }
    PINHOLE_TRY(store::touchAlbum(**db, albumId, now));
    PINHOLE_TRY(appendAlbumEvent(**db, EventType::AlbumAssetsChanged, *album, now));
    auto updated = store::albumById(**db, albumId);
    if (also)
        PINHOLE_TRY(also(**db, album->id));
    PINHOLE_TRY(tx.commit());
    m_events.notify();
    return updated;
}

Result<store::Album> AlbumService::removeAsset(Id viewer, Id albumId, Id assetId,
                                               const store::AlsoInTransaction& also) {
    auto db = m_store.connection();
    if (!db)
        return db.status();
    store::Transaction tx(**db);
    PINHOLE_TRY(tx.status());
    auto album = ownedOn(**db, viewer, albumId);
    if (!album)
        return album.status();
    auto removed = store::removeAlbumAsset(**db, albumId, assetId);
    if (!removed)
        return removed.status();
    if (!*removed)
        return notFound("asset not in album");
    const std::int64_t now = nowMillis();
    if (album->coverAssetId == assetId) {
        album->coverAssetId.reset();
        PINHOLE_TRY(store::updateAlbum(**db, *album, now));
    }
    PINHOLE_TRY(store::touchAlbum(**db, albumId, now));
    PINHOLE_TRY(appendAlbumEvent(**db, EventType::AlbumAssetsChanged, *album, now));
    auto updated = store::albumById(**db, albumId);
    if (also)
        PINHOLE_TRY(also(**db, album->id));
    PINHOLE_TRY(tx.commit());
    m_events.notify();
    return updated;
}

Result<store::Album> AlbumService::moveAsset(Id viewer, Id albumId, Id assetId, std::int64_t position,
                                             const store::AlsoInTransaction& also) {
    if (position < 0)
        return invalidArgument("position: must be 0 or more");
    auto db = m_store.connection();
    if (!db)
        return db.status();
    store::Transaction tx(**db);
    PINHOLE_TRY(tx.status());
    auto album = ownedOn(**db, viewer, albumId);
    if (!album)
        return album.status();
    auto member = store::albumContains(**db, albumId, assetId);
    if (!member)
        return member.status();
    if (!*member)
        return notFound("asset not in album");
    auto size = store::albumSize(**db, albumId);
    if (!size)
        return size.status();
    const std::int64_t now = nowMillis();
    PINHOLE_TRY(store::moveAlbumAsset(**db, albumId, assetId, std::min(position, *size - 1)));
    PINHOLE_TRY(store::touchAlbum(**db, albumId, now));
    PINHOLE_TRY(appendAlbumEvent(**db, EventType::AlbumAssetsChanged, *album, now));
    auto updated = store::albumById(**db, albumId);
    if (also)
        PINHOLE_TRY(also(**db, album->id));
    PINHOLE_TRY(tx.commit());
    m_events.notify();
    return updated;
}

} // namespace pinhole::server::library
