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
};

// Conflict if the owner has these bytes already (UNIQUE(owner_id, sha256)).
Status insertAsset(Database& db, const Asset& asset);
Result<Asset> assetById(Database& db, Id id);
Result<Asset> assetByOwnerAndSha(Database& db, Id ownerId, std::string_view sha256);
// Of `sha256s`, those the owner has an asset for.
Result<std::vector<std::string>> existingSha256s(Database& db, Id ownerId, const std::vector<std::string>& sha256s);
// Whether any asset (of any owner) still references these bytes.
Result<bool> sha256InUse(Database& db, std::string_view sha256);

// Metadata extracted from the file (everything from width to gpsAltitude).
Status updateAssetMetadata(Database& db, const Asset& asset, std::int64_t now);
// Records the derivatives and the placeholder and marks the asset ready.
Status completeAsset(Database& db, Id id, const std::vector<DerivativeRow>& derivatives,
                     const std::string& placeholder, std::int64_t now);
Status failAsset(Database& db, Id id, const std::string& reason, std::int64_t now);
Status updateAssetDescription(Database& db, Id id, const std::string& description, double focusX, double focusY,
                              std::int64_t now);
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
Status setUploadAsset(Database& db, std::string_view id, Id assetId);
Status deleteUpload(Database& db, std::string_view id);
// Unfinished uploads whose expiry has passed.
Result<std::vector<std::string>> expiredUploads(Database& db, std::int64_t now);

} // namespace pinhole::server::store
