// SQL for the assets aggregate (an owner's photos, their derivatives) and tus uploads.
// Callers pass the connection and hold any transaction.
#pragma once

#include "core/ids.h"
#include "core/status.h"
#include "store/database.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pinhole::server::store {

struct DerivativeRow {
    std::string variant; // "thumb", "preview", "large"
    int width = 0;
    int height = 0;
    std::int64_t byteSize = 0;
    std::string mimeType;
};

struct Asset {
    Id id = 0;
    Id ownerId = 0;
    std::string sha256; // hex
    std::int64_t byteSize = 0;
    std::string mimeType;
    std::string state = "processing"; // processing | ready | failed
    std::optional<std::string> failure;
    std::optional<int> width, height, orientation;
    std::optional<std::int64_t> takenAt;
    std::optional<std::string> cameraMake, cameraModel, lens, exposureTime;
    std::optional<double> fNumber;
    std::optional<int> iso;
    std::optional<double> focalLength;
    std::optional<double> gpsLatitude, gpsLongitude, gpsAltitude;
    std::optional<std::string> placeholder;
    std::string description;
    double focusX = 0, focusY = 0;
    std::int64_t createdAt = 0, updatedAt = 0;
    std::vector<DerivativeRow> derivatives; // filled by assetById / assetByOwnerAndSha
    // The owner's edits (server/library/): the capture time they corrected wins over takenAt.
    std::string title;
    bool favourite = false;
    std::optional<std::int64_t> takenAtCorrection;
    std::optional<std::int64_t> trashedAt; // in the trash since (Unix ms)

    // The capture time as best known: corrected, else from EXIF (null if neither).
    std::optional<std::int64_t> capturedAt() const { return takenAtCorrection ? takenAtCorrection : takenAt; }
    // What the library sorts and filters by: capturedAt(), else the upload time.
    std::int64_t sortAt() const { return capturedAt().value_or(createdAt); }
};

// Conflict if the owner has these bytes already (UNIQUE(owner_id, sha256)).
Status insertAsset(Database& db, const Asset& asset);
Result<Asset> assetById(Database& db, Id id);
// The assets of `ids` that exist, with their derivatives, in no particular order.
Result<std::vector<Asset>> assetsByIds(Database& db, const std::vector<Id>& ids);
Result<Asset> assetByOwnerAndSha(Database& db, Id ownerId, std::string_view sha256);
// Of `sha256s`, those the owner has an asset for.
Result<std::vector<std::string>> existingSha256s(Database& db, Id ownerId, const std::vector<std::string>& sha256s);
// Whether any asset (of any owner) still references these bytes.
Result<bool> sha256InUse(Database& db, std::string_view sha256);

// Metadata extracted from the file (everything from width to gpsAltitude).
Status updateAssetMetadata(Database& db, const Asset& asset, std::int64_t now);
// Records the derivatives and the placeholder and marks the asset ready.
Status completeAsset(Database& db, Id id, const std::vector<DerivativeRow>& derivatives, const std::string& placeholder,
                     std::int64_t now);
Status failAsset(Database& db, Id id, const std::string& reason, std::int64_t now);
Status updateAssetDescription(Database& db, Id id, const std::string& description, double focusX, double focusY,
                              std::int64_t now);
// The owner's edits: title, description, favourite and takenAtCorrection as in `asset`.
Status updateAssetEdits(Database& db, const Asset& asset, std::int64_t now);
// Into the trash at `trashedAt`, or out of it with nullopt.
Status setAssetTrashed(Database& db, Id id, std::optional<std::int64_t> trashedAt, std::int64_t now);
// Assets in the trash since before `trashedBefore`, oldest first, at most `limit`.
Result<std::vector<Id>> trashedBefore(Database& db, std::int64_t trashedBefore, int limit);
// Deletes the row (derivatives, album memberships and annotations go with it by cascade).
Status deleteAsset(Database& db, Id id);

// One page of an owner's library. Without albumId: newest first by sortAt() then id; with it,
// in the album's order. The cursor is the last row of the previous page: (sortAt, id), or
// (position, asset id) in an album.
struct AssetQuery {
    Id ownerId = 0;
    std::optional<std::int64_t> takenFrom;   // sortAt() >= (Unix ms)
    std::optional<std::int64_t> takenBefore; // sortAt() <
    std::optional<Id> albumId;               // REQUIRES: an album of ownerId
    std::optional<bool> favourite;
    std::optional<bool> annotated; // true: with at least one annotation; false: with none
    bool trashed = false;          // true: only the trash; false: everything else
    struct Cursor {
        std::int64_t key = 0;
        Id id = 0;
    };
    std::optional<Cursor> after;
    int limit = 50;
};
struct AssetPage {
    std::vector<Asset> assets;
    std::vector<std::int64_t> keys; // each asset's cursor key (sortAt or album position)
};
Result<AssetPage> listAssets(Database& db, const AssetQuery& query);

// Assets left in 'processing' (e.g. their jobs were lost): for the start-up sweep.
Result<std::vector<Id>> processingAssets(Database& db);

struct Upload {
    std::string id;
    Id ownerId = 0;
    std::int64_t length = 0;
    std::int64_t offset = 0;
    std::string metadata;
    std::optional<std::string> declaredSha256;
    std::optional<Id> assetId;
    std::int64_t createdAt = 0;
    std::int64_t expiresAt = 0;
};

Status insertUpload(Database& db, const Upload& upload);
Result<Upload> uploadById(Database& db, std::string_view id);
Status setUploadOffset(Database& db, std::string_view id, std::int64_t offset);
// Marks the upload complete: its asset, and its offset at its length.
Status setUploadAsset(Database& db, std::string_view id, Id assetId);
Status deleteUpload(Database& db, std::string_view id);
// Unfinished uploads whose expiry has passed.
Result<std::vector<std::string>> expiredUploads(Database& db, std::int64_t now);

} // namespace pinhole::server::store
