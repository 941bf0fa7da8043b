// SQL for the albums aggregate: an owner's albums and their ordered membership. Positions in an
// album are 0..n-1 without gaps; every function that changes membership keeps them so.
// Callers pass the connection and hold any transaction (membership changes need one).
#pragma once

#include "core/ids.h"
#include "core/status.h"
#include "store/database.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pinhole::server::store {

struct Album {
    Id id = 0;
    Id ownerId = 0;
    std::string name;
    std::string description;
    std::optional<Id> coverAssetId;
    std::int64_t assetCount = 0; // filled by the reads: members not in the trash
    std::int64_t createdAt = 0, updatedAt = 0;
};

Status insertAlbum(Database& db, const Album& album);
Result<Album> albumById(Database& db, Id id);
// The owner's albums, newest first, after `beforeId` if given, at most `limit`.
Result<std::vector<Album>> albumsOfOwner(Database& db, Id ownerId, std::optional<Id> beforeId, int limit);
// Name, description and cover as in `album`.
Status updateAlbum(Database& db, const Album& album, std::int64_t now);
Status deleteAlbum(Database& db, Id id);
Status touchAlbum(Database& db, Id id, std::int64_t now);

Result<bool> albumContains(Database& db, Id albumId, Id assetId);
// Members of the album (trashed ones included).
Result<std::int64_t> albumSize(Database& db, Id albumId);
// Inserts the asset at `position` (0..size; the others move down by one).
// REQUIRES: not a member yet; position within 0..albumSize.
Status insertAlbumAsset(Database& db, Id albumId, Id assetId, std::int64_t position, std::int64_t now);
// Removes a member and closes the gap; false if it was not one.
Result<bool> removeAlbumAsset(Database& db, Id albumId, Id assetId);
// Moves a member to `position` (0..size-1), shifting those between by one.
// REQUIRES: a member; position within 0..albumSize-1.
Status moveAlbumAsset(Database& db, Id albumId, Id assetId, std::int64_t position);
// The album's members in order (trashed ones included: they keep their place).
Result<std::vector<Id>> albumAssetIds(Database& db, Id albumId);
// The albums an asset is in (for removing it from all of them).
Result<std::vector<Id>> albumsContaining(Database& db, Id assetId);

} // namespace pinhole::server::store
