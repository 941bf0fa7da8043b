// The sync change stream (docs/protocol.md §2): for one account, the changes it may see since a
// cursor, read from the event log, or a snapshot of everything it may see when the cursor cannot
// be continued. Each page is read in one read transaction on one connection, so a page is
// consistent; nothing is kept between requests (a slow client only slows itself).
//
// Which events concern an account and what each yields is written at ChangeStream::page's
// implementation (server/sync/changestream.cpp, "Per event").
// Threading: stateless; callable from any handler thread.
#pragma once

#include "core/ids.h"
#include "core/status.h"
#include "social/followservice.h"
#include "social/statusservice.h"
#include "store/accountstore.h"
#include "store/albumstore.h"
#include "store/annotationstore.h"
#include "store/assetstore.h"
#include "store/counterstore.h"
#include "store/store.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pinhole::server::sync {

enum class EntityKind { Account, Relationship, Asset, Post, Comment, Like, Notification, Album, Annotation };
std::string_view entityKindName(EntityKind kind);

// One line of the stream: an upsert (the entity's whole current state, in the field its kind
// names) or a tombstone (`deleted`, no state).
struct Change {
    EntityKind kind = EntityKind::Account;
    Id id = 0;
    bool deleted = false;
    std::optional<store::Account> account; // Account
    store::AccountCounts accountCounts;    // Account
    std::optional<social::Relationship> relationship;
    std::optional<store::Asset> asset;
    std::optional<social::StatusView> status; // Post, Comment
    std::int64_t likedAt = 0;                 // Like
    // Notification (id: the event's seq): its type ("follow", "follow_request", "favourite",
    // "mention"), when, from whom (`account`), and the status it is about, if any.
    std::string notificationType;
    std::int64_t notifiedAt = 0;
    std::optional<Id> notificationStatusId;
    std::optional<store::Album> album; // Album, with its members in order:
    std::vector<Id> albumAssetIds;
    std::optional<store::AnnotationRow> annotation;
    std::optional<std::string> clientId; // Album, Annotation: the id a sync client created it under
    std::string cursor;                  // the cursor after this line
};

struct ChangePage {
    std::optional<std::string> resetReason; // set: this page begins a snapshot
    std::vector<Change> changes;
    std::string cursor; // after the whole page
    bool more = false;
    // This page ends a snapshot: the client sweeps what the snapshot did not bring (protocol §2.2).
    bool snapshotComplete = false;
};

class ChangeStream {
public:
    static constexpr int kDefaultLimit = 500;
    static constexpr int kMaxLimit = 1000;
    // Log events one request examines at most, whatever it yields: bounds the work of a request
    // for an account that sees little of a busy log (the page then says more: true).
    static constexpr std::int64_t kScanWindow = 20000;
    // A new follow brings the followed account's newest posts, as the home feed's backfill does.
    static constexpr int kBackfillPosts = 20;

    ChangeStream(store::Store& store, social::StatusService& statuses) : m_store(store), m_statuses(statuses) {}

    // The page after `cursor` (empty: a first sync) of at most `limit` changes (1..kMaxLimit),
    // except that the changes one event yields are never split across pages.
    Result<ChangePage> page(Id account, std::string_view cursor, int limit);

private:
    store::Store& m_store;
    social::StatusService& m_statuses;
};

} // namespace pinhole::server::sync
