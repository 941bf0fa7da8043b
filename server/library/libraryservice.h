// The owner's library (issue 5): listing with filters and cursors, the owner's edits, the trash
// and its purge. Ingest and image processing stay in media/library.h; this is what the owner
// does with assets once they exist. Albums are library/albumservice.h.
//
// The trash: DELETE puts an asset in the trash (trashed_at); restore takes it out; a purge job
// enqueued with the trash (queue kPurgeQueue, delayed by the retention, keyed by the asset)
// deletes it for good once it has been in the trash for the whole retention — the row, its album
// memberships, and its original and derivatives unless another asset (another account's, since
// bytes are deduplicated per owner) still has the same bytes. An asset shown by a post cannot be
// trashed (Conflict: delete the post first), so a post never loses its photo.
//
// Threading: every function is thread-safe (each leases its own connection).
#pragma once

#include "core/ids.h"
#include "core/status.h"
#include "social/eventlog.h"
#include "social/statusservice.h"
#include "store/assetstore.h"
#include "store/store.h"

#include <chrono>
#include <functional>
#include <optional>
#include <string>

namespace pinhole::server::library {

inline constexpr const char* kPurgeQueue = "purge-asset";
inline constexpr int kPurgeSweepLimit = 1000;

// Enqueues the purge job of an asset trashed at `trashedAt`, to run after `delay`, inside the
// caller's transaction on `db` (the daemon binds it to the job queue).
using EnqueuePurge =
    std::function<Status(store::Database& db, Id assetId, std::int64_t trashedAt, std::chrono::milliseconds delay)>;

// An owner's edit of an asset; an absent field is left as it is.
struct AssetEdit {
    std::optional<std::string> title;
    std::optional<std::string> description;
    std::optional<bool> favourite;
    // The capture time correction: a time sets it, nullopt inside clears it (EXIF's time again).
    std::optional<std::optional<std::int64_t>> takenAt;
};

inline constexpr std::size_t kMaxTitleChars = 200;
inline constexpr std::size_t kMaxDescriptionChars = 1500; // Mastodon's alt text bound

class LibraryService {
public:
    LibraryService(store::Store& store, social::EventLog& events, social::StatusService& statuses, std::string dataDir,
                   std::chrono::seconds trashRetention, EnqueuePurge enqueuePurge);

    // A page of the viewer's own library; `hasAnnotation` keeps only photos with (true) or
    // without (false) annotations. NotFound for an album not the viewer's.
    Result<store::AssetPage> list(Id viewer, store::AssetQuery query, std::optional<bool> hasAnnotation);
    // The asset if the viewer owns it or may see a post showing it (social/visibility.h); NotFound
    // otherwise.
    Result<store::Asset> viewable(std::optional<Id> viewer, Id assetId);
    // InvalidArgument naming the field for a title or description too long, a time out of range.
    // `also` (sync's op record) runs in the change's transaction with the asset's id; for trash
    // and restore also when the asset is in the state asked for already.
    Result<store::Asset> update(Id viewer, Id assetId, const AssetEdit& edit,
                                const store::AlsoInTransaction& also = {});
    // Conflict for an asset a post shows; an asset already in the trash stays as it was.
    Result<store::Asset> trash(Id viewer, Id assetId, const store::AlsoInTransaction& also = {});
    // An asset not in the trash stays as it was.
    Result<store::Asset> restore(Id viewer, Id assetId, const store::AlsoInTransaction& also = {});

    // The purge job's body: purges the asset if it is still in the trash since `trashedAt` and
    // the retention has passed; re-enqueues itself if the retention grew meanwhile; nothing if
    // the asset was restored, trashed again later (that trash has its own job) or is gone.
    Status purgeIfExpired(Id assetId, std::int64_t trashedAt);
    // Purges what has been in the trash for the retention, the oldest kPurgeSweepLimit (at
    // start: a shortened retention takes effect without waiting for the jobs, which purge the
    // rest). Returns how many it looked at.
    Result<int> purgeExpired();

private:
    Status purge(Id assetId);
    Status removeFilesIfUnused(const std::string& sha256);

    store::Store& m_store;
    social::EventLog& m_events;
    social::StatusService& m_statuses;
    std::string m_dataDir;
    std::chrono::milliseconds m_retention;
    EnqueuePurge m_enqueuePurge;
};

} // namespace pinhole::server::library
