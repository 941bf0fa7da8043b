// The local library: importing files and folders (works with no server at all), and every
// edit the user makes — albums, membership, tags, captions, posts, likes. Each edit changes
// the local tables and queues its outbox operation in ONE transaction, so the UI never waits
// on the network and a crash keeps both or neither.
//
// Operations are queued in the kinds of docs/protocol.md §3.2, except that assets are named by
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

struct LocalAsset {
    std::int64_t id = 0;
    std::string sha256;
    std::optional<std::string> serverId;
    std::int64_t size = 0;
    std::optional<int> width, height;
    std::optional<std::string> takenAt;
    std::string caption;
    bool trashed = false;
    std::vector<std::string> files;
};

struct LocalAlbum {
    std::string id;
    std::string name;
    std::vector<std::string> assetSha256s;
};

struct ConflictRecord {
    std::string entity, field, kept, lost;
};

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
    // Queues a post of these assets (by hash, in order) with a caption; returns its op id.
    Result<std::string> post(const std::vector<std::string>& sha256s, const std::string& caption,
                             const std::string& visibility = "public");
    Status like(const std::string& statusId);
    Status unlike(const std::string& statusId);

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
    Result<std::string> ensureAlbum(const std::string& name);
    Status addMembership(const std::string& albumId, std::int64_t assetId, const std::string& sha256);
    Result<bool> importFile(const std::string& path, const std::optional<std::string>& albumId);

    store::LocalStore& m_store;
    HybridLogicalClock& m_clock;
};

} // namespace pinhole::sync
