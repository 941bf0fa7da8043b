// SQL for sync (server/sync/, docs/protocol.md): the server's epoch, the events one account may
// care about, the snapshot's lists, applied client operations and per-field HLC stamps.
// Callers pass the connection and hold any transaction.
#pragma once

#include "core/ids.h"
#include "core/status.h"
#include "store/database.h"
#include "store/eventstore.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pinhole::server::store {

// The random number fixed when this database was made (migration 5).
Result<std::int64_t> syncEpoch(Database& db);
// The smallest seq still in the log; 0 when the log is empty.
Result<std::int64_t> oldestEventSeq(Database& db);

// Up to `limit` events with after < seq <= upTo, in seq order, that may concern `account`: it
// acted, it is the event's other account, or the actor or the other account is one it follows
// now. A superset: the caller decides per event.
Result<std::vector<Event>> eventsConcerning(Database& db, Id account, std::int64_t after, std::int64_t upTo, int limit);

// The snapshot's lists, each in ascending id order after `after`, at most `limit`:
// accounts with a follow, follow request or block between them and `account` (either way) ...
Result<std::vector<Id>> relatedAccountIds(Database& db, Id account, Id after, int limit);
// ... its assets ...
Result<std::vector<Id>> ownedAssetIds(Database& db, Id account, Id after, int limit);
// ... its posts and the posts of accounts it follows ...
Result<std::vector<Id>> mirroredPostIds(Database& db, Id account, Id after, int limit);
// ... its comments and comments answering it or accounts it follows ...
Result<std::vector<Id>> mirroredCommentIds(Database& db, Id account, Id after, int limit);
// ... and its likes (status id, liked at).
struct LikeRow {
    Id statusId = 0;
    std::int64_t createdAt = 0;
};
Result<std::vector<LikeRow>> likesOf(Database& db, Id account, Id after, int limit);
Result<std::optional<std::int64_t>> likedAt(Database& db, Id account, Id statusId);
// The newest `limit` posts of `author`, oldest first (what a new follow brings into a feed).
Result<std::vector<Id>> recentPostIds(Database& db, Id author, int limit);

// A client operation applied for an account.
struct AppliedOp {
    std::string opId;
    std::string kind;
    std::uint64_t hlc = 0;
    std::optional<Id> subjectId;
    std::optional<Id> resultId;
};
Result<std::optional<AppliedOp>> appliedOp(Database& db, Id account, std::string_view opId);
// Conflict if the op id was recorded already (a concurrent request applied it first).
Status recordAppliedOp(Database& db, Id account, const AppliedOp& op, std::int64_t now);
// The greatest HLC of the applied ops of `kinds` on `subject`; 0 if none.
Result<std::uint64_t> latestOpStamp(Database& db, Id account, Id subject, const std::vector<std::string_view>& kinds);

// Field -> the HLC of the write it holds (fields never stamped are absent: stamp 0).
Result<std::map<std::string, std::uint64_t>> fieldStamps(Database& db, std::string_view entity, Id id);
Status setFieldStamp(Database& db, std::string_view entity, Id id, std::string_view field, std::uint64_t hlc);

// Client-chosen ids (docs/protocol.md §3.2): `kind` "album" or "annotation".
struct ClientId {
    std::string clientId;
    Id entityId = 0;
    std::uint64_t hlc = 0; // the last sync write or delete
    bool deleted = false;  // the entity was deleted (through sync or not)
};
Result<std::optional<ClientId>> clientIdOf(Database& db, Id account, std::string_view kind, std::string_view clientId);
// The client id an entity was created under, if any.
Result<std::optional<std::string>> clientIdOfEntity(Database& db, std::string_view kind, Id entityId);
// Inserts or replaces the mapping of (account, kind, clientId).
Status setClientId(Database& db, Id account, std::string_view kind, const ClientId& id);

// The snapshot's album and annotation lists, ascending id after `after`: the account's albums,
// and the annotations on its assets.
Result<std::vector<Id>> ownedAlbumIds(Database& db, Id account, Id after, int limit);
Result<std::vector<Id>> ownedAnnotationIds(Database& db, Id account, Id after, int limit);

} // namespace pinhole::server::store
