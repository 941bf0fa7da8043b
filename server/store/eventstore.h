// SQL for the event log (one row per state change, appended in the transaction of the change)
// and its consumers' durable cursors. server/social/eventlog.h runs the consumers.
#pragma once

#include "core/ids.h"
#include "core/status.h"
#include "store/database.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace pinhole::server::store {

// What changed. actorId acted; the other fields as each type says.
enum class EventType {
    StatusCreated,        // statusId, parentId (replied-to status), accountId (its author)
    StatusDeleted,        // statusId, parentId, accountId (parent's author)
    FavouriteCreated,     // statusId, accountId (status author)
    FavouriteDeleted,     // statusId, accountId (status author)
    FollowCreated,        // accountId (followee)
    FollowDeleted,        // accountId (followee)
    FollowRequested,      // accountId (locked target)
    FollowRequestDeleted, // accountId (target): authorized, rejected or withdrawn
    BlockCreated,         // accountId (blocked)
    BlockDeleted,         // accountId (blocked)
    AccountUpdated,       // profile or settings of actorId
    AssetCreated,         // subjectId (the asset); actorId is its owner
    AssetUpdated,         // subjectId (the asset): metadata, processing state or description

    // Annotations (server/annotations/); subjectId is what changed.
    AnnotationChanged, // subjectId: the annotation, created, updated or deleted; accountId: its asset's owner
    AnnotationOperationCommitted, // subjectId: the batch operation whose items replaced its key's annotations
    AssetTrashed,         // subjectId (the asset), moved to the owner's (actorId) trash
    AssetRestored,        // subjectId (the asset), back from the trash
    AssetPurged,          // subjectId (the asset), deleted for good (a tombstone)
    AlbumCreated,         // subjectId (the album); actorId is its owner
    AlbumUpdated,         // subjectId (the album): name, description or cover
    AlbumDeleted,         // subjectId (the album) (a tombstone)
    AlbumAssetsChanged,   // subjectId (the album): assets added, removed or moved
    AnnotationReplaced,   // subjectId: an annotation a committed batch deleted or created; see below
};
// AnnotationReplaced: accountId is the owner; the batch's AnnotationOperationCommitted follows its
// events (the key's old annotations, then the new ones). The sync stream sends each one; the search
// index waits for the commit event and re-indexes the whole key at once.
std::string_view eventTypeName(EventType type);
std::optional<EventType> eventTypeFromName(std::string_view name);

struct Event {
    EventType type = EventType::AccountUpdated;
    Id actorId = 0;
    std::optional<Id> accountId;
    std::optional<Id> statusId;
    std::optional<Id> parentId;
    std::optional<Id> subjectId; // what an event names that is not an account or status (an asset, an album, an annotation)
    std::int64_t seq = 0;       // set by the log
    std::int64_t createdAt = 0; // Unix ms
};

// REQUIRES: inside the write transaction of the change it records.
Status appendEvent(Database& db, const Event& event, std::int64_t now);
// Up to `limit` events with seq > `after`, in seq order.
Result<std::vector<Event>> eventsAfter(Database& db, std::int64_t after, int limit);
Result<std::int64_t> lastEventSeq(Database& db);

// The last seq `consumer` applied; 0 if it never ran.
Result<std::int64_t> consumerCursor(Database& db, std::string_view consumer);
Status setConsumerCursor(Database& db, std::string_view consumer, std::int64_t seq);
// The last seq, the cursors of `first` and `second` (0 where never run) and the auth generation
// (oauthstore.h), in one statement, so from one snapshot even outside a transaction: the log
// position the home timeline's caches check (api/mastodon/statuscache.h), and with it what a
// page answered from memory needs to check the token (api/mastodon/timelinesapi.cpp).
Result<std::array<std::int64_t, 4>> lastSeqCursorsAndAuthGeneration(Database& db, std::string_view first,
                                                                     std::string_view second);

} // namespace pinhole::server::store
