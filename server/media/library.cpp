#include "media/library.h"

#include "core/clock.h"
#include "core/digest.h"
#include "core/log.h"
#include "media/atomicwrite.h"
#include "media/metadata.h"
#include "store/eventstore.h"
#include "store/syncstore.h"

#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace pinhole::server::media {

namespace {

// Every change of an asset is in the event log (the sync change stream reads it), appended in
// the transaction of the change.
Status appendAssetEvent(store::Database& db, store::EventType type, Id owner, Id asset) {
    return store::appendEvent(db, {.type = type, .actorId = owner, .subjectId = asset}, nowMillis());
}

std::string shardedPath(const std::string& root, std::string_view sha) {
    return root + "/" + std::string(sha.substr(0, 2)) + "/" + std::string(sha.substr(2, 2)) + "/" + std::string(sha);
}

void removeQuietly(const std::string& path) {
    std::error_code ec;
    fs::remove(path, ec);
}

// "2024-05-01T14:03:22" or with "+02:00" -> Unix ms (a time without an offset is taken as UTC:
// the camera's zone is unknown, and sorting by it is what matters).
std::optional<std::int64_t> parseCaptureTime(const std::string& text) {
    int y, mo, d, h, mi, s;
    if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &s) != 6)
        return std::nullopt;
    std::tm tm{};
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = s;
    std::int64_t seconds = timegm(&tm);
    if (text.size() >= 25 && (text[19] == '+' || text[19] == '-')) {
        int oh = 0, om = 0;
        if (std::sscanf(text.c_str() + 20, "%2d:%2d", &oh, &om) == 2)
            seconds -= (text[19] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
    }
    return seconds * 1000;
}

std::string exposureText(double seconds) {
    char buf[32];
    if (seconds > 0 && seconds < 1)
        std::snprintf(buf, sizeof buf, "1/%.0f", 1.0 / seconds);
    else
        std::snprintf(buf, sizeof buf, "%g", seconds);
    return buf;
}

bool isPermanent(Code code) {
    return code == Code::Unprocessable || code == Code::UnsupportedMediaType || code == Code::PayloadTooLarge ||
           code == Code::InvalidArgument;
}

} // namespace

MediaLibrary::MediaLibrary(store::Store& store, std::string dataDir, EnqueueAssetJob enqueue)
    : m_store(store), m_dataDir(std::move(dataDir)), m_enqueue(std::move(enqueue)) {}

Status MediaLibrary::init() {
    std::error_code ec;
    for (const char* dir : {"/media/originals", "/media/derived", "/uploads"}) {
        fs::create_directories(m_dataDir + dir, ec);
        if (ec)
            return internalError("cannot create " + m_dataDir + dir + ": " + ec.message());
    }
    return Status::ok();
}

std::string originalPathIn(const std::string& dataDir, std::string_view sha256) {
    return shardedPath(dataDir + "/media/originals", sha256);
}

std::string derivedDirIn(const std::string& dataDir, std::string_view sha256) {
    return shardedPath(dataDir + "/media/derived", sha256);
}

std::string avatarPathIn(const std::string& dataDir, std::string_view sha256) {
    return shardedPath(dataDir + "/media/avatars", sha256) + ".jpg";
}

std::string MediaLibrary::avatarPath(std::string_view sha256) const {
    return avatarPathIn(m_dataDir, sha256);
}

Result<std::string> MediaLibrary::storeAvatar(std::span<const unsigned char> bytes) {
    auto avatar = makeAvatar(bytes);
    if (!avatar)
        return avatar.status();
    std::string sha = sha256Hex(*avatar);
    const fs::path path = avatarPath(sha);
    const std::string dir = path.parent_path().string();
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec)
        return internalError("cannot create " + dir + ": " + ec.message());
    PINHOLE_TRY(writeFileAtomically(
        dir, path.filename().string(),
        {reinterpret_cast<const unsigned char*>(avatar->data()), avatar->size()}));
    PINHOLE_TRY(syncDirectory(dir));
    return sha;
}

std::string MediaLibrary::originalPath(std::string_view sha256) const {
    return originalPathIn(m_dataDir, sha256);
}

std::string MediaLibrary::derivedDir(std::string_view sha256) const {
    return derivedDirIn(m_dataDir, sha256);
}

Result<IngestResult> MediaLibrary::ingest(Id ownerId, const std::string& path,
                                          const std::optional<std::string>& declaredSha256,
                                          const std::optional<std::string>& knownSha256,
                                          const store::AlsoInTransaction& also) {
    auto sha = knownSha256 ? Result<std::string>(*knownSha256) : sha256OfFile(path);
    if (!sha) {
        removeQuietly(path);
        return sha.status();
    }
    if (declaredSha256 && *declaredSha256 != *sha) {
        removeQuietly(path);
        return Status(Code::ChecksumMismatch,
                      "checksum mismatch: the file's SHA-256 is " + *sha + ", the client declared " + *declaredSha256);
    }
    {
        auto db = m_store.connection();
        if (!db) {
            removeQuietly(path);
            return db.status();
        }
        auto existing = store::assetByOwnerAndSha(**db, ownerId, *sha);
        if (existing) {
            removeQuietly(path);
            return IngestResult{std::move(existing).value(), false};
        }
    }
    auto probe = probeImage(path);
    if (!probe) {
        removeQuietly(path);
        return probe.status();
    }

    store::Asset asset;
    asset.id = newId();
    asset.ownerId = ownerId;
    asset.sha256 = *sha;
    asset.byteSize = static_cast<std::int64_t>(probe->fileBytes);
    asset.mimeType = std::string(mimeTypeOf(probe->format));
    asset.createdAt = asset.updatedAt = nowMillis();

    auto db = m_store.connection();
    if (!db)
        return db.status();
    store::Transaction tx(**db);
    if (!tx.status()) {
        removeQuietly(path);
        return tx.status();
    }
    // Publish the original under its hash (unless another owner's equal bytes are there), under
    // the write lock: the trash's purge removes unreferenced files under it too
    // (library/libraryservice.h), so bytes are never removed between this check and the insert.
    const std::string target = originalPath(*sha);
    std::error_code ec;
    if (fs::exists(target, ec)) {
        removeQuietly(path);
    } else {
        fs::create_directories(fs::path(target).parent_path(), ec);
        fs::rename(path, target, ec);
        if (ec) {
            removeQuietly(path);
            return internalError("cannot store the original: " + ec.message());
        }
        PINHOLE_TRY(syncDirectory(fs::path(target).parent_path().string()));
    }
    Status inserted = store::insertAsset(**db, asset);
    if (inserted.code() == Code::Conflict) {
        // The same owner uploaded the same bytes concurrently: theirs won, use it.
        auto existing = store::assetByOwnerAndSha(**db, ownerId, *sha);
        if (!existing)
            return existing.status();
        return IngestResult{std::move(existing).value(), false};
    }
    PINHOLE_TRY(inserted);
    PINHOLE_TRY(m_enqueue(**db, kExtractMetadataQueue, asset.id));
    PINHOLE_TRY(m_enqueue(**db, kDeriveQueue, asset.id));
    PINHOLE_TRY(appendAssetEvent(**db, store::EventType::AssetCreated, ownerId, asset.id));
    if (also)
        PINHOLE_TRY(also(**db, asset.id));
    PINHOLE_TRY(tx.commit());
    notifyEvents();
    log::info("asset_stored", {{"asset", idToString(asset.id)},
                               {"owner", idToString(ownerId)},
                               {"bytes", asset.byteSize},
                               {"type", asset.mimeType}});
    return IngestResult{std::move(asset), true};
}

Result<store::Asset> MediaLibrary::ownedAsset(Id viewer, Id assetId) {
    auto db = m_store.connection();
    if (!db)
        return db.status();
    auto asset = store::assetById(**db, assetId);
    if (!asset)
        return asset.status();
    if (asset->ownerId != viewer)
        return notFound("asset not found");
    return asset;
}

Result<std::vector<std::string>> MediaLibrary::existingSha256s(Id ownerId, const std::vector<std::string>& sha256s) {
    auto db = m_store.connection();
    if (!db)
        return db.status();
    return store::existingSha256s(**db, ownerId, sha256s);
}

Result<store::Asset> MediaLibrary::describe(Id viewer, Id assetId, const std::string& description, double focusX,
                                            double focusY, const store::AlsoInTransaction& also) {
    auto asset = ownedAsset(viewer, assetId);
    if (!asset)
        return asset.status();
    auto db = m_store.connection();
    if (!db)
        return db.status();
    store::Transaction tx(**db);
    PINHOLE_TRY(tx.status());
    const std::int64_t now = nowMillis();
    PINHOLE_TRY(store::updateAssetDescription(**db, assetId, description, focusX, focusY, now));
    PINHOLE_TRY(appendAssetEvent(**db, store::EventType::AssetUpdated, viewer, assetId));
    if (also) {
        PINHOLE_TRY(also(**db, assetId));
    } else {
        // A write without a client's clock (the Mastodon API) is stamped with the server's, so the
        // sync rule "last writer wins per field" (docs/protocol.md §4) also orders it.
        const auto stamp = static_cast<std::uint64_t>(now) << 16;
        for (const char* field : {"description", "focus_x", "focus_y"})
            PINHOLE_TRY(store::setFieldStamp(**db, "asset", assetId, field, stamp));
    }
    PINHOLE_TRY(tx.commit());
    notifyEvents();
    asset->description = description;
    asset->focusX = focusX;
    asset->focusY = focusY;
    return asset;
}

Status MediaLibrary::extractMetadata(Id assetId) {
    Result<store::Asset> asset = notFound("");
    {
        auto db = m_store.connection();
        if (!db)
            return db.status();
        asset = store::assetById(**db, assetId);
    }
    if (!asset)
        return asset.status().code() == Code::NotFound ? Status::ok() : asset.status(); // deleted meanwhile
    auto meta = readMetadata(originalPath(asset->sha256));
    if (!meta) {
        if (isPermanent(meta.status().code())) {
            log::warn("metadata_unreadable", {{"asset", idToString(assetId)}, {"why", meta.status().message()}});
            return Status::ok(); // the derive job records the failure on the asset
        }
        return meta.status();
    }
    store::Asset& a = *asset;
    a.width = meta->width;
    a.height = meta->height;
    a.orientation = meta->orientation;
    if (meta->captureTime)
        a.takenAt = parseCaptureTime(*meta->captureTime);
    a.cameraMake = meta->cameraMake;
    a.cameraModel = meta->cameraModel;
    a.lens = meta->lens;
    if (meta->exposureSeconds)
        a.exposureTime = exposureText(*meta->exposureSeconds);
    a.fNumber = meta->fNumber;
    a.iso = meta->iso;
    a.focalLength = meta->focalLengthMm;
    if (meta->gps) {
        a.gpsLatitude = meta->gps->latitude;
        a.gpsLongitude = meta->gps->longitude;
        a.gpsAltitude = meta->gps->altitudeMetres;
    }
    auto db = m_store.connection();
    if (!db)
        return db.status();
    store::Transaction tx(**db);
    PINHOLE_TRY(tx.status());
    PINHOLE_TRY(store::updateAssetMetadata(**db, a, nowMillis()));
    PINHOLE_TRY(appendAssetEvent(**db, store::EventType::AssetUpdated, a.ownerId, a.id));
    PINHOLE_TRY(tx.commit());
    notifyEvents();
    return Status::ok();
}

Status MediaLibrary::derive(Id assetId) {
    Result<store::Asset> asset = notFound("");
    {
        auto db = m_store.connection();
        if (!db)
            return db.status();
        asset = store::assetById(**db, assetId);
    }
    if (!asset)
        return asset.status().code() == Code::NotFound ? Status::ok() : asset.status();
    auto made = makeDerivatives(originalPath(asset->sha256), derivedDir(asset->sha256));
    if (!made)
        return isPermanent(made.status().code()) ? giveUp(assetId, made.status().message()) : made.status();
    auto db = m_store.connection();
    if (!db)
        return db.status();
    std::vector<store::DerivativeRow> rows;
    for (const Derivative* d : {&made->thumb, &made->preview, &made->large})
        rows.push_back({std::string(variantName(d->variant)), d->width, d->height, static_cast<std::int64_t>(d->bytes),
                        std::string(kDerivativeMimeType)});
    store::Transaction tx(**db);
    PINHOLE_TRY(tx.status());
    PINHOLE_TRY(store::completeAsset(**db, assetId, rows, made->placeholder, nowMillis()));
    PINHOLE_TRY(appendAssetEvent(**db, store::EventType::AssetUpdated, asset->ownerId, assetId));
    PINHOLE_TRY(tx.commit());
    notifyEvents();
    notifyProcessed();
    return Status::ok();
}

Status MediaLibrary::giveUp(Id assetId, const std::string& why) {
    auto db = m_store.connection();
    if (!db)
        return db.status();
    log::warn("asset_failed", {{"asset", idToString(assetId)}, {"why", why}});
    auto asset = store::assetById(**db, assetId);
    if (!asset)
        return asset.status().code() == Code::NotFound ? Status::ok() : asset.status();
    store::Transaction tx(**db);
    PINHOLE_TRY(tx.status());
    PINHOLE_TRY(store::failAsset(**db, assetId, why, nowMillis()));
    PINHOLE_TRY(appendAssetEvent(**db, store::EventType::AssetUpdated, asset->ownerId, assetId));
    PINHOLE_TRY(tx.commit());
    notifyEvents();
    notifyProcessed();
    return Status::ok();
}

void MediaLibrary::notifyEvents() {
    if (m_eventsAppended)
        m_eventsAppended();
}

void MediaLibrary::notifyProcessed() {
    {
        std::lock_guard lock(m_mutex);
        ++m_generation;
    }
    m_processed.notify_all();
}

Result<store::Asset> MediaLibrary::waitProcessed(Id assetId, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        std::uint64_t seen;
        {
            std::lock_guard lock(m_mutex);
            seen = m_generation;
        }
        Result<store::Asset> asset = notFound("");
        {
            auto db = m_store.connection();
            if (!db)
                return db.status();
            asset = store::assetById(**db, assetId);
        }
        if (!asset || asset->state != "processing")
            return asset;
        std::unique_lock lock(m_mutex);
        if (!m_processed.wait_until(lock, deadline, [&] { return m_generation != seen; }))
            return asset; // still processing at the deadline
    }
}

} // namespace pinhole::server::media
