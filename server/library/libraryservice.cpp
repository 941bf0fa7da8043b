#include "library/libraryservice.h"

#include "accounts/accountservice.h"
#include "core/clock.h"
#include "core/log.h"
#include "media/library.h"
#include "store/albumstore.h"
#include "store/eventstore.h"
#include "store/statusstore.h"

#include <filesystem>

namespace fs = std::filesystem;

namespace pinhole::server::library {

namespace {

using store::EventType;

Status validText(const std::string& field, const std::string& text, std::size_t maxChars) {
    auto length = accounts::utf8Length(text);
    if (!length || *length > maxChars)
        return invalidArgument(field + ": must be valid text of at most " + std::to_string(maxChars) + " characters");
    return Status::ok();
}

Status appendAssetEvent(store::Database& db, EventType type, const store::Asset& asset, std::int64_t now) {
    return store::appendEvent(db, {.type = type, .actorId = asset.ownerId, .subjectId = asset.id}, now);
}

// The owner's asset, read on `db`; NotFound for anyone else's (others' libraries do not leak).
Result<store::Asset> ownedOn(store::Database& db, Id viewer, Id assetId) {
    auto asset = store::assetById(db, assetId);
    if (asset && asset->ownerId != viewer)
        return notFound("asset not found");
    return asset;
}

// Capture times a camera or a person could mean: 1800-01-01 .. 9999-12-31.
constexpr std::int64_t kEarliestCapture = -5364662400000LL;

} // namespace

LibraryService::LibraryService(store::Store& store, social::EventLog& events, social::StatusService& statuses,
                               std::string dataDir, std::chrono::seconds trashRetention, EnqueuePurge enqueuePurge)
    : m_store(store), m_events(events), m_statuses(statuses), m_dataDir(std::move(dataDir)),
      m_retention(trashRetention), m_enqueuePurge(std::move(enqueuePurge)) {}

Result<store::AssetPage> LibraryService::list(Id viewer, store::AssetQuery query, std::optional<bool> hasAnnotation) {
    query.annotated = hasAnnotation;
    auto db = m_store.connection();
    if (!db)
        return db.status();
    store::ReadTransaction snapshot(**db); // the page and its assets from one state
    if (query.albumId) {
        auto album = store::albumById(**db, *query.albumId);
        if (!album || album->ownerId != viewer)
            return album ? notFound("album not found") : album.status();
    }
    query.ownerId = viewer;
    return store::listAssets(**db, query);
}

Result<store::Asset> LibraryService::viewable(std::optional<Id> viewer, Id assetId) {
    return m_statuses.viewableAsset(viewer, assetId, false);
}

Result<store::Asset> LibraryService::update(Id viewer, Id assetId, const AssetEdit& edit,
                                            const store::AlsoInTransaction& also) {
    if (edit.title)
        PINHOLE_TRY(validText("title", *edit.title, kMaxTitleChars));
    if (edit.description)
        PINHOLE_TRY(validText("description", *edit.description, kMaxDescriptionChars));
    if (edit.takenAt && *edit.takenAt && (**edit.takenAt < kEarliestCapture))
        return invalidArgument("taken_at: must be a time after 1800-01-01");
    auto db = m_store.connection();
    if (!db)
        return db.status();
    store::Transaction tx(**db);
    PINHOLE_TRY(tx.status());
    auto asset = ownedOn(**db, viewer, assetId);
    if (!asset)
        return asset.status();
    if (edit.title)
        asset->title = *edit.title;
    if (edit.description)
        asset->description = *edit.description;
    if (edit.favourite)
        asset->favourite = *edit.favourite;
    if (edit.takenAt)
        asset->takenAtCorrection = *edit.takenAt;
    const std::int64_t now = nowMillis();
    PINHOLE_TRY(store::updateAssetEdits(**db, *asset, now));
    PINHOLE_TRY(appendAssetEvent(**db, EventType::AssetUpdated, *asset, now));
    if (also)
        PINHOLE_TRY(also(**db, assetId));
    PINHOLE_TRY(tx.commit());
    m_events.notify();
    asset->updatedAt = now;
    return asset;
}

Result<store::Asset> LibraryService::trash(Id viewer, Id assetId, const store::AlsoInTransaction& also) {
    auto db = m_store.connection();
    if (!db)
        return db.status();
    store::Transaction tx(**db);
    PINHOLE_TRY(tx.status());
    auto asset = ownedOn(**db, viewer, assetId);
    if (!asset)
        return asset;
    if (asset->trashedAt) { // the state asked for already
        if (also) {
            PINHOLE_TRY(also(**db, assetId));
            PINHOLE_TRY(tx.commit());
        }
        return asset;
    }
    auto posts = store::statusesWithAsset(**db, assetId);
    if (!posts)
        return posts.status();
    if (!posts->empty())
        return conflict("the photo is in a post: delete the post first");
    const std::int64_t now = nowMillis();
    PINHOLE_TRY(store::setAssetTrashed(**db, assetId, now, now));
    PINHOLE_TRY(appendAssetEvent(**db, EventType::AssetTrashed, *asset, now));
    PINHOLE_TRY(m_enqueuePurge(**db, assetId, now, m_retention));
    if (also)
        PINHOLE_TRY(also(**db, assetId));
    PINHOLE_TRY(tx.commit());
    m_events.notify();
    asset->trashedAt = now;
    asset->updatedAt = now;
    return asset;
}

Result<store::Asset> LibraryService::restore(Id viewer, Id assetId, const store::AlsoInTransaction& also) {
    auto db = m_store.connection();
    if (!db)
        return db.status();
    store::Transaction tx(**db);
    PINHOLE_TRY(tx.status());
    auto asset = ownedOn(**db, viewer, assetId);
    if (!asset)
        return asset;
    if (!asset->trashedAt) { // the state asked for already
        if (also) {
            PINHOLE_TRY(also(**db, assetId));
            PINHOLE_TRY(tx.commit());
        }
        return asset;
    }
    const std::int64_t now = nowMillis();
    PINHOLE_TRY(store::setAssetTrashed(**db, assetId, std::nullopt, now));
    PINHOLE_TRY(appendAssetEvent(**db, EventType::AssetRestored, *asset, now));
    if (also)
        PINHOLE_TRY(also(**db, assetId));
    PINHOLE_TRY(tx.commit());
    m_events.notify();
    asset->trashedAt.reset();
    asset->updatedAt = now;
    return asset;
}

Status LibraryService::purgeIfExpired(Id assetId, std::int64_t trashedAt) {
    Result<store::Asset> asset = notFound("");
    {
        auto db = m_store.connection();
        if (!db)
            return db.status();
        asset = store::assetById(**db, assetId);
    }
    if (!asset)
        return asset.status().code() == Code::NotFound ? Status::ok() : asset.status(); // purged already
    if (asset->trashedAt != trashedAt)
        return Status::ok(); // restored, or trashed again later with its own job
    const std::int64_t due = trashedAt + m_retention.count();
    const std::int64_t now = nowMillis();
    if (now < due) { // the retention grew since the job was enqueued: wait for the rest of it
        auto db = m_store.connection();
        if (!db)
            return db.status();
        store::Transaction tx(**db);
        PINHOLE_TRY(tx.status());
        PINHOLE_TRY(m_enqueuePurge(**db, assetId, trashedAt, std::chrono::milliseconds(due - now)));
        return tx.commit();
    }
    return purge(assetId);
}

Result<int> LibraryService::purgeExpired() {
    Result<std::vector<Id>> due = std::vector<Id>{};
    {
        auto db = m_store.connection();
        if (!db)
            return db.status();
        due = store::trashedBefore(**db, nowMillis() - m_retention.count() + 1, kPurgeSweepLimit);
    }
    if (!due)
        return due.status();
    for (Id id : *due)
        PINHOLE_TRY(purge(id));
    return static_cast<int>(due->size());
}

// Two transactions. The first deletes the asset (its album memberships closed up first, so
// positions stay without gaps) with its tombstone event. The second decides about the files
// while holding the write lock: ingest publishes an original under the same lock
// (MediaLibrary::ingest), so bytes that another asset has — or gets meanwhile — are never
// removed. A crash between the two leaves unreferenced files, never a missing one.
Status LibraryService::purge(Id assetId) {
    std::string sha256;
    {
        auto db = m_store.connection();
        if (!db)
            return db.status();
        store::Transaction tx(**db);
        PINHOLE_TRY(tx.status());
        auto asset = store::assetById(**db, assetId);
        if (!asset)
            return asset.status().code() == Code::NotFound ? Status::ok() : asset.status();
        if (!asset->trashedAt)
            return Status::ok(); // restored meanwhile
        auto posts = store::statusesWithAsset(**db, assetId);
        if (!posts)
            return posts.status();
        if (!posts->empty()) { // posted from the trash by a racing request: a post keeps its photo
            log::warn("purge_skipped", {{"asset", idToString(assetId)}, {"why", "the asset is in a post"}});
            return Status::ok();
        }
        auto albums = store::albumsContaining(**db, assetId);
        if (!albums)
            return albums.status();
        const std::int64_t now = nowMillis();
        for (Id album : *albums) {
            auto removed = store::removeAlbumAsset(**db, album, assetId);
            if (!removed)
                return removed.status();
            PINHOLE_TRY(store::touchAlbum(**db, album, now));
            PINHOLE_TRY(store::appendEvent(
                **db, {.type = EventType::AlbumAssetsChanged, .actorId = asset->ownerId, .subjectId = album}, now));
        }
        PINHOLE_TRY(store::deleteAsset(**db, assetId));
        PINHOLE_TRY(appendAssetEvent(**db, EventType::AssetPurged, *asset, now));
        PINHOLE_TRY(tx.commit());
        sha256 = asset->sha256;
    }
    m_events.notify();
    log::info("asset_purged", {{"asset", idToString(assetId)}});
    return removeFilesIfUnused(sha256);
}

Status LibraryService::removeFilesIfUnused(const std::string& sha256) {
    auto db = m_store.connection();
    if (!db)
        return db.status();
    store::Transaction tx(**db); // the write lock, so no ingest publishes these bytes meanwhile
    PINHOLE_TRY(tx.status());
    auto inUse = store::sha256InUse(**db, sha256);
    if (!inUse)
        return inUse.status();
    if (*inUse)
        return Status::ok(); // another asset has the same bytes
    std::error_code ec;
    fs::remove(media::originalPathIn(m_dataDir, sha256), ec);
    if (ec)
        return internalError("cannot remove the original of " + sha256 + ": " + ec.message());
    fs::remove_all(media::derivedDirIn(m_dataDir, sha256), ec);
    if (ec)
        return internalError("cannot remove the derivatives of " + sha256 + ": " + ec.message());
    return tx.commit();
}

} // namespace pinhole::server::library
