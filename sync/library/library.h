// The local library: importing files and folders (works with no server at all), and every
// edit the user makes — albums, membership, tags, captions, posts, likes. Each edit changes
// the local tables and queues its outbox operation in ONE transaction, so the UI never waits
// on the network and a crash keeps both or neither.
//
// Operations are queued in the kinds of docs/protocol.md §3.2 (ratings and regions are
// `annotation.*` ops of the built-in `rating` and `region` schemas, a favourite an `asset.update`),
// except that assets are named by
// their SHA-256 (`asset_sha256`, `media_sha256s`): the server id arrives with the upload, and
// the push loop puts it in (replication/push.cpp) once the asset is uploaded.
//
// Threading: use from the thread that holds the store (the engine's mutex).
#pragma once

#include "core/hlc.h"
#include "core/status.h"
#include "outbox/outbox.h"
#include "store/localstore.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace pinhole::sync {

struct ImportProgress {
    int done = 0;  // files looked at so far
    int total = 0; // files found
    std::string path;
};

struct ImportReport {
    int files = 0;      // image files found
    int newAssets = 0;  // assets added to the library
    int duplicates = 0; // files whose bytes were already an asset
    int skipped = 0;    // not an image the server accepts
    std::vector<std::string> errors;
};

// A region drawn on a photo: normalised 0..1 coordinates on the UPRIGHT image (EXIF orientation
// applied), top-left origin; the server's `region` schema (docs/annotations.md).
struct Region {
    std::string id; // client-chosen UUID, stable across sync ("" on add: generated)
    double x = 0, y = 0, w = 0, h = 0;
    std::string kind = "face"; // face | pet | object | text
    std::string label;         // person or thing; may be empty
};

struct LocalAsset {
    std::int64_t id = 0;
    std::string sha256;
    std::optional<std::string> serverId;
    std::int64_t size = 0;
    std::optional<int> width, height; // as stored in the file (before orientation)
    std::optional<std::string> takenAt;
    std::string caption;
    bool trashed = false;
    std::vector<std::string> files;
    int orientation = 1; // EXIF 1..8
    int rating = 0;      // 0..5, 0: not rated
    bool favourite = false;
    std::optional<std::string> cameraMake, cameraModel, lens;
    std::optional<std::string> exposureTime; // "1/250"
    std::optional<std::string> fNumber;      // "2.8"
    std::optional<std::string> iso;
    std::optional<std::string> focalLength; // "35" (mm)
    std::optional<double> latitude, longitude;
    std::optional<std::string> thumbhash; // base64, when known
    std::string mimeType;                 // "image/jpeg"; "" if unknown
};

struct LocalAlbum {
    std::string id;
    std::string name;
    std::vector<std::string> assetSha256s; // in the album's order
};

struct ConflictRecord {
    std::string entity, field, kept, lost;
};

// Positions 0..n-1 over an album's shown members, keeping their order (the pull uses it too).
// REQUIRES: inside the caller's write transaction.
Status renumberAlbum(store::Database& db, const std::string& albumId);

class Library {
public:
    using Progress = std::function<void(const ImportProgress&)>;

    Library(store::LocalStore& store, HybridLogicalClock& clock) : m_store(store), m_clock(clock) {}

    // Adds a file, or every image file under a folder (recursively), to the library, and
    // queues the upload of each new asset. With `album`, each file also joins that album
    // (created if no album has that name). Re-importing is harmless: same bytes, same asset.
    Result<ImportReport> importPath(const std::string& path, const std::optional<std::string>& album = {},
                                    const Progress& progress = {});

    Result<std::string> createAlbum(const std::string& name);
    Result<std::optional<std::string>> albumByName(const std::string& name);
    Status renameAlbum(const std::string& albumId, const std::string& name);
    Status deleteAlbum(const std::string& albumId);
    Status addToAlbum(const std::string& albumId, const std::string& sha256);
    Status removeFromAlbum(const std::string& albumId, const std::string& sha256);
    Status addTag(const std::string& sha256, const std::string& label);
    Status removeTag(const std::string& sha256, const std::string& label);
    Status setCaption(const std::string& sha256, const std::string& text);
    Status setRating(const std::string& sha256, int stars); // 0..5 (0 clears); else InvalidArgument
    Status setFavourite(const std::string& sha256, bool favourite);
    // Regions: InvalidArgument naming the field for a box outside the photo (x, y in 0..1, w and h
    // above 0, x + w and y + h at most 1), an unknown kind or a label over 200 characters.
    Result<std::string> addRegion(const std::string& sha256, Region region); // returns its id
    Status updateRegion(const std::string& sha256, const Region& region);    // by region.id
    Status removeRegion(const std::string& sha256, const std::string& regionId);
    // The photo's regions in the order they were drawn.
    Result<std::vector<Region>> regions(const std::string& sha256);
    // Every tag label in the library with how many photos carry it, most used first (autocomplete).
    // Photos in the trash do not count.
    Result<std::vector<std::pair<std::string, int>>> tagCounts();
    // Moves a member to `position` (0 = first; past the end: last). NotFound if not a member.
    Status moveInAlbum(const std::string& albumId, const std::string& sha256, int position);
    Status trash(const std::string& sha256); // to the server's trash (restorable)
    Status restore(const std::string& sha256);
    // Queues a post of these assets (by hash, in order) with a caption; returns its op id.
    Result<std::string> post(const std::vector<std::string>& sha256s, const std::string& caption,
                             const std::string& visibility = "public");
    Status like(const std::string& statusId);
    Status unlike(const std::string& statusId);

    // Newest capture first (photos without a capture time last, newest import first).
    Result<std::vector<LocalAsset>> assets();
    Result<std::optional<LocalAsset>> asset(const std::string& sha256);
    Result<std::vector<LocalAlbum>> albums();
    Result<std::vector<std::string>> tags(const std::string& sha256);
    Result<std::vector<ConflictRecord>> conflicts();

private:
    // Stamps a local event and persists the clock (inside the caller's transaction).
    Result<std::uint64_t> stamp();
    Status enqueue(std::string_view kind, const std::string& payload, std::uint64_t hlc);
    Result<std::int64_t> assetIdOf(const std::string& sha256);
    template <class T>
    Status setAssetField(const std::string& sha256, std::string_view column, const T& value, std::string_view kind,
                         const std::string& payload);
    Result<std::string> ensureAlbum(const std::string& name);
    Status addMembership(const std::string& albumId, std::int64_t assetId, const std::string& sha256);
    // All assets (sha256 null), or the one with these bytes.
    Result<std::vector<LocalAsset>> readAssets(const std::string* sha256);
    Status writeRegion(const std::string& sha256, const Region& region, bool isNew);
    Status setTrashed(const std::string& sha256, bool trashed);
    Result<bool> importFile(const std::string& path, const std::optional<std::string>& albumId);

    store::LocalStore& m_store;
    HybridLogicalClock& m_clock;
};

} // namespace pinhole::sync
