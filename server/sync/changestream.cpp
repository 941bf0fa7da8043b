#include "sync/changestream.h"

#include "social/counters.h"
#include "social/visibility.h"
#include "store/eventstore.h"
#include "store/followstore.h"
#include "store/statusstore.h"
#include "store/syncstore.h"
#include "sync/cursor.h"

#include <algorithm>
#include <map>
#include <set>

namespace pinhole::server::sync {

using store::EventType;

std::string_view entityKindName(EntityKind kind) {
    switch (kind) {
    case EntityKind::Account: return "account";
    case EntityKind::Relationship: return "relationship";
    case EntityKind::Asset: return "asset";
    case EntityKind::Post: return "post";
    case EntityKind::Comment: return "comment";
    case EntityKind::Like: return "like";
    case EntityKind::Notification: return "notification";
    case EntityKind::Album: return "album";
    case EntityKind::Annotation: return "annotation";
    }
    return "unknown";
}

namespace {

// The snapshot's phases, in the order that puts parents before children.
// Albums and annotations came later: their phases follow the likes (a cursor's phase is a number).
enum SnapshotPhase : int { kSelf, kRelated, kAssets, kPosts, kComments, kLikes, kAlbums, kAnnotations, kDone };

// Builds one page for one account on one connection, inside the caller's read transaction.
class PageBuilder {
public:
    PageBuilder(store::Database& db, social::StatusService& statuses, Id me)
        : m_db(db), m_statuses(statuses), m_access(db, me), m_me(me) {}

    Status loadFollowees() {
        auto ids = store::followeeIds(m_db, m_me);
        if (!ids)
            return ids.status();
        m_followees = std::set<Id>(ids->begin(), ids->end());
        return Status::ok();
    }

    // Per event: what it yields for the account (me), appended to `out`.
    //   asset.*             mine: the asset (a tombstone if it is gone; trashed and restored
    //                       assets are sent again as they are)
    //   status.created      the status if it is mirrored (mine; a post of someone I follow; a
    //                       comment by me or answering me or someone I follow) and visible to me;
    //                       for a comment, first its post again (replies_count)
    //   status.deleted      a tombstone if it was mirrored; for a comment, its post again
    //   favourite.*         the status again (favourites_count) if mirrored or the like is mine;
    //                       then, if mine, the like (or its tombstone)
    //   follow*, block.*    between me and another: that account, then our relationship; a new
    //                       follow of mine also brings their newest posts (kBackfillPosts)
    //   account.updated     me or someone I follow: the account
    //   album.*             mine: the album with its members in order (a tombstone if gone)
    //   annotation.changed, annotation.replaced (by a batch)
    //                       on my asset: the annotation (a tombstone if gone)
    // and after them, for me as the event's recipient, its notification (notificationOf).
    Status changesOf(const store::Event& e, std::vector<Change>& out) {
        PINHOLE_TRY(entityChangesOf(e, out));
        return notificationOf(e, out);
    }

    // A follow, a follow request, a like or a comment (`mention`) of mine, by someone else who
    // may still interact with me: the same rule as GET /api/v1/notifications
    // (social/notifications.cpp), with the event's seq as the notification's id. Only the
    // stream carries them: a snapshot starts with none.
    Status notificationOf(const store::Event& e, std::vector<Change>& out) {
        std::string type;
        switch (e.type) {
        case EventType::FollowCreated: type = "follow"; break;
        case EventType::FollowRequested: type = "follow_request"; break;
        case EventType::FavouriteCreated: type = "favourite"; break;
        case EventType::StatusCreated:
            if (!e.parentId)
                return Status::ok();
            type = "mention";
            break;
        default: return Status::ok();
        }
        if (!e.accountId || *e.accountId != m_me || e.actorId == m_me)
            return Status::ok();
        auto ties = m_access.ties(e.actorId);
        if (!ties)
            return ties.status().code() == Code::NotFound ? Status::ok() : ties.status();
        if (!social::mayInteract(*ties))
            return Status::ok();
        auto from = store::accountById(m_db, e.actorId);
        if (!from)
            return from.status().code() == Code::NotFound ? Status::ok() : from.status();
        auto counts = store::accountCounts(m_db, e.actorId);
        if (!counts)
            return counts.status();
        Change c{.kind = EntityKind::Notification, .id = static_cast<Id>(e.seq)};
        c.account = std::move(from).value();
        c.accountCounts = *counts;
        c.notificationType = std::move(type);
        c.notifiedAt = e.createdAt;
        if (e.type != EventType::FollowCreated && e.type != EventType::FollowRequested)
            c.notificationStatusId = e.statusId;
        out.push_back(std::move(c));
        return Status::ok();
    }

    Status entityChangesOf(const store::Event& e, std::vector<Change>& out) {
        switch (e.type) {
        case EventType::AssetCreated:
        case EventType::AssetUpdated:
        case EventType::AssetTrashed:
        case EventType::AssetRestored:
        case EventType::AssetPurged:
            if (e.actorId == m_me && e.subjectId)
                return assetChange(*e.subjectId, out);
            return Status::ok();
        case EventType::AlbumCreated:
        case EventType::AlbumUpdated:
        case EventType::AlbumDeleted:
        case EventType::AlbumAssetsChanged:
            if (e.actorId == m_me && e.subjectId)
                return albumChange(*e.subjectId, out);
            return Status::ok();
        case EventType::AnnotationChanged:
        case EventType::AnnotationReplaced:
            if (e.accountId == m_me && e.subjectId)
                return annotationChange(*e.subjectId, out);
            return Status::ok();
        // A committed batch (an XMP import, an auto-tagger) was sent by its AnnotationReplaced
        // events, one per annotation it deleted or created.
        case EventType::AnnotationOperationCommitted: return Status::ok();
        case EventType::StatusCreated: {
            if (!e.statusId)
                return Status::ok();
            if (e.parentId)
                PINHOLE_TRY(statusIfMirrored(*e.parentId, out));
            return statusIfMirrored(*e.statusId, out);
        }
        case EventType::StatusDeleted: {
            if (!e.statusId)
                return Status::ok();
            const bool comment = e.parentId.has_value();
            const bool mirrored = mine(e.actorId) || (comment && e.accountId && mine(*e.accountId));
            if (mirrored)
                out.push_back(tombstone(comment ? EntityKind::Comment : EntityKind::Post, *e.statusId));
            if (comment)
                PINHOLE_TRY(statusIfMirrored(*e.parentId, out));
            return Status::ok();
        }
        case EventType::FavouriteCreated:
        case EventType::FavouriteDeleted: {
            if (!e.statusId)
                return Status::ok();
            const bool myLike = e.actorId == m_me;
            if (myLike)
                PINHOLE_TRY(statusIfVisible(*e.statusId, out));
            else
                PINHOLE_TRY(statusIfMirrored(*e.statusId, out));
            if (!myLike)
                return Status::ok();
            auto liked = store::likedAt(m_db, m_me, *e.statusId);
            if (!liked)
                return liked.status();
            if (*liked) {
                Change c{.kind = EntityKind::Like, .id = *e.statusId};
                c.likedAt = **liked;
                out.push_back(std::move(c));
            } else if (e.type == EventType::FavouriteDeleted) {
                out.push_back(tombstone(EntityKind::Like, *e.statusId));
            }
            return Status::ok();
        }
        case EventType::FollowCreated:
        case EventType::FollowDeleted:
        case EventType::FollowRequested:
        case EventType::FollowRequestDeleted:
        case EventType::BlockCreated:
        case EventType::BlockDeleted: {
            if (!e.accountId)
                return Status::ok();
            std::optional<Id> other;
            if (e.actorId == m_me)
                other = *e.accountId;
            else if (*e.accountId == m_me)
                other = e.actorId;
            if (!other)
                return Status::ok();
            PINHOLE_TRY(relationshipChanges(*other, out));
            if (e.actorId == m_me && e.type == EventType::FollowCreated) {
                auto recent = store::recentPostIds(m_db, *other, ChangeStream::kBackfillPosts);
                if (!recent)
                    return recent.status();
                PINHOLE_TRY(statusViews(*recent, out));
            }
            return Status::ok();
        }
        case EventType::AccountUpdated:
            if (e.actorId == m_me || m_followees.contains(e.actorId))
                return accountChange(e.actorId, out);
            return Status::ok();
        }
        return Status::ok();
    }

    // One snapshot step of `phase` after `after`: at most `room` changes (at least one entity);
    // `next` is set to where the phase stands afterwards (after = 0 and phase + 1 once it is done).
    Status snapshotStep(int phase, Id after, int room, std::vector<std::vector<Change>>& groups, Snapshot& next,
                        std::vector<Id>& groupIds) {
        next = Snapshot{phase, after};
        auto finish = [&](std::size_t got, std::size_t asked) {
            if (got < asked)
                next = Snapshot{phase + 1, 0};
        };
        switch (phase) {
        case kSelf: {
            std::vector<Change> group;
            PINHOLE_TRY(accountChange(m_me, group));
            groups.push_back(std::move(group));
            groupIds.push_back(m_me);
            next = Snapshot{phase + 1, 0};
            return Status::ok();
        }
        case kRelated: {
            const int n = std::max(1, room / 2);
            auto ids = store::relatedAccountIds(m_db, m_me, after, n);
            if (!ids)
                return ids.status();
            for (Id id : *ids) {
                std::vector<Change> group;
                PINHOLE_TRY(relationshipChanges(id, group));
                groups.push_back(std::move(group));
                groupIds.push_back(id);
            }
            finish(ids->size(), static_cast<std::size_t>(n));
            return Status::ok();
        }
        case kAssets: {
            auto ids = store::ownedAssetIds(m_db, m_me, after, room);
            if (!ids)
                return ids.status();
            for (Id id : *ids) {
                std::vector<Change> group;
                PINHOLE_TRY(assetChange(id, group));
                groups.push_back(std::move(group));
                groupIds.push_back(id);
            }
            finish(ids->size(), static_cast<std::size_t>(room));
            return Status::ok();
        }
        case kPosts:
        case kComments: {
            auto ids = phase == kPosts ? store::mirroredPostIds(m_db, m_me, after, room)
                                       : store::mirroredCommentIds(m_db, m_me, after, room);
            if (!ids)
                return ids.status();
            std::vector<Change> visible; // one views() call: its per-call caches serve the page
            PINHOLE_TRY(statusViews(*ids, visible));
            std::map<Id, Change*> byId;
            for (Change& c : visible)
                byId[c.id] = &c;
            for (Id id : *ids) { // an id I may not see still moves the cursor (an empty group)
                std::vector<Change> group;
                if (auto it = byId.find(id); it != byId.end())
                    group.push_back(std::move(*it->second));
                groups.push_back(std::move(group));
                groupIds.push_back(id);
            }
            finish(ids->size(), static_cast<std::size_t>(room));
            return Status::ok();
        }
        case kLikes: {
            const int n = std::max(1, room / 2);
            auto likes = store::likesOf(m_db, m_me, after, n);
            if (!likes)
                return likes.status();
            for (const auto& like : *likes) {
                std::vector<Change> group;
                PINHOLE_TRY(statusViews({like.statusId}, group));
                if (!group.empty()) { // a like of a status I may no longer see stays out
                    Change c{.kind = EntityKind::Like, .id = like.statusId};
                    c.likedAt = like.createdAt;
                    group.push_back(std::move(c));
                }
                groups.push_back(std::move(group));
                groupIds.push_back(like.statusId);
            }
            finish(likes->size(), static_cast<std::size_t>(n));
            return Status::ok();
        }
        case kAlbums:
        case kAnnotations: {
            auto ids = phase == kAlbums ? store::ownedAlbumIds(m_db, m_me, after, room)
                                        : store::ownedAnnotationIds(m_db, m_me, after, room);
            if (!ids)
                return ids.status();
            for (Id id : *ids) {
                std::vector<Change> group;
                PINHOLE_TRY(phase == kAlbums ? albumChange(id, group) : annotationChange(id, group));
                groups.push_back(std::move(group));
                groupIds.push_back(id);
            }
            finish(ids->size(), static_cast<std::size_t>(room));
            return Status::ok();
        }
        default: next = Snapshot{kDone, 0}; return Status::ok();
        }
    }

private:
    bool mine(Id account) const { return account == m_me || m_followees.contains(account); }

    static Change tombstone(EntityKind kind, Id id) { return Change{.kind = kind, .id = id, .deleted = true}; }

    Status accountChange(Id id, std::vector<Change>& out) {
        auto account = store::accountById(m_db, id);
        if (!account)
            return account.status().code() == Code::NotFound ? Status::ok() : account.status();
        auto counts = store::accountCounts(m_db, id);
        if (!counts)
            return counts.status();
        Change c{.kind = EntityKind::Account, .id = id};
        c.account = std::move(account).value();
        c.accountCounts = *counts;
        out.push_back(std::move(c));
        return Status::ok();
    }

    Status relationshipChanges(Id other, std::vector<Change>& out) {
        PINHOLE_TRY(accountChange(other, out));
        auto r = social::relationshipOf(m_db, m_me, other);
        if (!r)
            return r.status().code() == Code::NotFound ? Status::ok() : r.status();
        Change c{.kind = EntityKind::Relationship, .id = other};
        c.relationship = *r;
        out.push_back(std::move(c));
        return Status::ok();
    }

    Status assetChange(Id id, std::vector<Change>& out) {
        auto asset = store::assetById(m_db, id);
        if (!asset) {
            if (asset.status().code() != Code::NotFound)
                return asset.status();
            out.push_back(tombstone(EntityKind::Asset, id));
            return Status::ok();
        }
        if (asset->ownerId != m_me)
            return Status::ok();
        Change c{.kind = EntityKind::Asset, .id = id};
        c.asset = std::move(asset).value();
        out.push_back(std::move(c));
        return Status::ok();
    }

    Status albumChange(Id id, std::vector<Change>& out) {
        auto album = store::albumById(m_db, id);
        if (!album) {
            if (album.status().code() != Code::NotFound)
                return album.status();
            out.push_back(tombstone(EntityKind::Album, id));
            return Status::ok();
        }
        if (album->ownerId != m_me)
            return Status::ok();
        auto members = store::albumAssetIds(m_db, id);
        if (!members)
            return members.status();
        auto clientId = store::clientIdOfEntity(m_db, "album", id);
        if (!clientId)
            return clientId.status();
        Change c{.kind = EntityKind::Album, .id = id};
        c.album = std::move(album).value();
        c.albumAssetIds = std::move(members).value();
        c.clientId = *clientId;
        out.push_back(std::move(c));
        return Status::ok();
    }

    Status annotationChange(Id id, std::vector<Change>& out) {
        auto row = store::annotationById(m_db, id);
        if (!row) {
            if (row.status().code() != Code::NotFound)
                return row.status();
            out.push_back(tombstone(EntityKind::Annotation, id));
            return Status::ok();
        }
        if (row->ownerId != m_me)
            return Status::ok();
        auto clientId = store::clientIdOfEntity(m_db, "annotation", id);
        if (!clientId)
            return clientId.status();
        Change c{.kind = EntityKind::Annotation, .id = id};
        c.annotation = std::move(row).value();
        c.clientId = *clientId;
        out.push_back(std::move(c));
        return Status::ok();
    }

    // The statuses of `ids` that I may see, as upserts.
    Status statusViews(const std::vector<Id>& ids, std::vector<Change>& out) {
        auto views = m_statuses.views(m_db, m_access, ids);
        if (!views)
            return views.status();
        for (auto& view : *views) {
            Change c{.kind = view.status.inReplyToId ? EntityKind::Comment : EntityKind::Post, .id = view.status.id};
            c.status = std::move(view);
            out.push_back(std::move(c));
        }
        return Status::ok();
    }

    Status statusIfVisible(Id id, std::vector<Change>& out) { return statusViews({id}, out); }

    // The status if it belongs in my mirror (see changesOf) and I may see it.
    Status statusIfMirrored(Id id, std::vector<Change>& out) {
        auto row = store::statusById(m_db, id);
        if (!row)
            return row.status().code() == Code::NotFound ? Status::ok() : row.status();
        const bool mirrored = mine(row->accountId) || (row->inReplyToAccountId && mine(*row->inReplyToAccountId));
        return mirrored ? statusViews({id}, out) : Status::ok();
    }

    store::Database& m_db;
    social::StatusService& m_statuses;
    social::Access m_access;
    const Id m_me;
    std::set<Id> m_followees;
};

// Lines of one group carry the cursor before the group, except the last, which carries the
// cursor after it: a client that stops mid-group resumes at the group's start (re-applying an
// upsert changes nothing).
void appendGroup(std::vector<Change>& page, std::vector<Change>& group, const std::string& before,
                 const std::string& after) {
    for (std::size_t i = 0; i < group.size(); ++i) {
        group[i].cursor = i + 1 == group.size() ? after : before;
        page.push_back(std::move(group[i]));
    }
}

} // namespace

Result<ChangePage> ChangeStream::page(Id account, std::string_view cursorText, int limit) {
    limit = std::clamp(limit, 1, kMaxLimit);
    auto db = m_store.connection();
    if (!db)
        return db.status();
    store::ReadTransaction snapshot(**db);

    auto epoch = store::syncEpoch(**db);
    if (!epoch)
        return epoch.status();
    auto last = store::lastEventSeq(**db);
    if (!last)
        return last.status();
    // Serve only events the counters have taken in, so a post re-sent for a like shows the count
    // that includes it.
    auto counted = store::consumerCursor(**db, social::CountersConsumer::kName);
    if (!counted)
        return counted.status();
    const std::int64_t highWater = std::min(*last, *counted);

    ChangePage page;
    std::optional<Cursor> cursor;
    if (cursorText.empty()) {
        page.resetReason = "no cursor";
    } else if (cursor = parseCursor(cursorText); !cursor) {
        page.resetReason = "garbled cursor";
    } else if (cursor->epoch != *epoch || cursor->seq > *last) {
        page.resetReason = "unknown cursor";
    } else {
        auto oldest = store::oldestEventSeq(**db);
        if (!oldest)
            return oldest.status();
        if (*oldest > 0 && cursor->seq < *oldest - 1 && !cursor->snapshot)
            page.resetReason = "cursor too old";
    }
    if (page.resetReason)
        cursor = Cursor{*epoch, highWater, Snapshot{kSelf, 0}};

    PageBuilder builder(**db, m_statuses, account);
    PINHOLE_TRY(builder.loadFollowees());

    if (cursor->snapshot) {
        Cursor at = *cursor;
        while (at.snapshot && at.snapshot->phase < kDone && static_cast<int>(page.changes.size()) < limit) {
            std::vector<std::vector<Change>> groups;
            std::vector<Id> groupIds;
            Snapshot next;
            const int room = limit - static_cast<int>(page.changes.size());
            PINHOLE_TRY(builder.snapshotStep(at.snapshot->phase, at.snapshot->after, room, groups, next, groupIds));
            for (std::size_t i = 0; i < groups.size(); ++i) {
                const std::string before = formatCursor(at);
                at.snapshot->after = groupIds[i];
                appendGroup(page.changes, groups[i], before, formatCursor(at));
            }
            if (next.phase != at.snapshot->phase)
                at.snapshot = next; // the phase is done; otherwise `after` moved with the groups
        }
        if (at.snapshot && at.snapshot->phase >= kDone) {
            at.snapshot.reset(); // complete: the log continues where the snapshot began
            page.snapshotComplete = true;
        }
        page.cursor = formatCursor(at);
        page.more = at.snapshot.has_value() || at.seq < highWater;
        return page;
    }

    // The log after the cursor, up to the high-water mark, at most kScanWindow events examined.
    const std::int64_t upTo = std::min(highWater, cursor->seq + kScanWindow);
    auto events = store::eventsConcerning(**db, account, cursor->seq, upTo, limit);
    if (!events)
        return events.status();
    Cursor at = *cursor;
    for (const auto& event : *events) {
        std::vector<Change> group;
        PINHOLE_TRY(builder.changesOf(event, group));
        if (!page.changes.empty() && page.changes.size() + group.size() > static_cast<std::size_t>(limit)) {
            page.cursor = formatCursor(at);
            page.more = true;
            return page;
        }
        const std::string before = formatCursor(Cursor{*epoch, event.seq - 1, std::nullopt});
        at.seq = event.seq;
        appendGroup(page.changes, group, before, formatCursor(at));
    }
    // Every event concerning the account up to `upTo` was read, unless the query was cut at limit.
    if (static_cast<int>(events->size()) < limit)
        at.seq = std::max(at.seq, upTo);
    page.cursor = formatCursor(at);
    page.more = at.seq < highWater;
    return page;
}

} // namespace pinhole::server::sync
