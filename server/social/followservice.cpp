#include "social/followservice.h"

#include "core/clock.h"
#include "social/visibility.h"
#include "store/eventstore.h"
#include "store/followstore.h"

namespace pinhole::server::social {

using store::Edge;
using store::EventType;

Result<Relationship> relationshipOf(store::Database& db, Id viewer, Id account) {
    Relationship r;
    r.id = account;
    auto following = store::hasEdge(db, Edge::Follow, viewer, account);
    auto followedBy = store::hasEdge(db, Edge::Follow, account, viewer);
    auto requested = store::hasEdge(db, Edge::FollowRequest, viewer, account);
    auto requestedBy = store::hasEdge(db, Edge::FollowRequest, account, viewer);
    auto blocking = store::hasEdge(db, Edge::Block, viewer, account);
    auto blockedBy = store::hasEdge(db, Edge::Block, account, viewer);
    for (const auto* x : {&following, &followedBy, &requested, &requestedBy, &blocking, &blockedBy})
        if (!*x)
            return x->status();
    r.following = *following;
    r.followedBy = *followedBy;
    r.requested = *requested;
    r.requestedBy = *requestedBy;
    r.blocking = *blocking;
    r.blockedBy = *blockedBy;
    return r;
}

namespace {

// Removes an edge and records it; nothing if there was none.
Status removeEdge(store::Database& db, Edge edge, Id from, Id to, std::int64_t now) {
    auto removed = store::deleteEdge(db, edge, from, to);
    if (!removed)
        return removed.status();
    if (!*removed)
        return Status::ok();
    const EventType type = edge == Edge::Follow          ? EventType::FollowDeleted
                           : edge == Edge::FollowRequest ? EventType::FollowRequestDeleted
                                                         : EventType::BlockDeleted;
    return store::appendEvent(db, {.type = type, .actorId = from, .accountId = to}, now);
}

Status addFollow(store::Database& db, Id follower, Id followee, std::int64_t now) {
    auto added = store::insertEdge(db, Edge::Follow, follower, followee, newId(), now);
    if (!added)
        return added.status();
    if (!*added)
        return Status::ok();
    return store::appendEvent(db, {.type = EventType::FollowCreated, .actorId = follower, .accountId = followee},
                              now);
}

} // namespace

Result<Relationship> FollowService::follow(Id viewer, Id target, const store::AlsoInTransaction& also) {
    if (viewer == target)
        return unprocessable("you cannot follow yourself");
    auto db = m_store.connection();
    if (!db)
        return db.status();
    store::Transaction tx(**db);
    PINHOLE_TRY(tx.status());
    auto account = store::accountById(**db, target);
    if (!account)
        return account.status();
    auto ties = tiesOf(**db, viewer, target);
    if (!ties)
        return ties.status();
    if (!mayInteract(*ties))
        return permissionDenied("you cannot follow this account");
    const std::int64_t now = nowMillis();
    if (!ties->following) {
        if (account->locked) {
            auto asked = store::insertEdge(**db, Edge::FollowRequest, viewer, target, newId(), now);
            if (!asked)
                return asked.status();
            if (*asked)
                PINHOLE_TRY(store::appendEvent(
                    **db, {.type = EventType::FollowRequested, .actorId = viewer, .accountId = target}, now));
        } else {
            PINHOLE_TRY(addFollow(**db, viewer, target, now));
        }
    }
    if (also)
        PINHOLE_TRY(also(**db, target));
    auto r = relationshipOf(**db, viewer, target);
    PINHOLE_TRY(tx.commit());
    m_events.notify();
    return r;
}

Result<Relationship> FollowService::unfollow(Id viewer, Id target, const store::AlsoInTransaction& also) {
    auto db = m_store.connection();
    if (!db)
        return db.status();
    store::Transaction tx(**db);
    PINHOLE_TRY(tx.status());
    PINHOLE_TRY(store::accountById(**db, target));
    const std::int64_t now = nowMillis();
    PINHOLE_TRY(removeEdge(**db, Edge::Follow, viewer, target, now));
    PINHOLE_TRY(removeEdge(**db, Edge::FollowRequest, viewer, target, now));
    if (also)
        PINHOLE_TRY(also(**db, target));
    auto r = relationshipOf(**db, viewer, target);
    PINHOLE_TRY(tx.commit());
    m_events.notify();
    return r;
}

Result<Relationship> FollowService::block(Id viewer, Id target) {
    if (viewer == target)
        return unprocessable("you cannot block yourself");
    auto db = m_store.connection();
    if (!db)
        return db.status();
    store::Transaction tx(**db);
    PINHOLE_TRY(tx.status());
    PINHOLE_TRY(store::accountById(**db, target));
    const std::int64_t now = nowMillis();
    for (auto [from, to] : {std::pair{viewer, target}, std::pair{target, viewer}}) {
        PINHOLE_TRY(removeEdge(**db, Edge::Follow, from, to, now));
        PINHOLE_TRY(removeEdge(**db, Edge::FollowRequest, from, to, now));
    }
    auto added = store::insertEdge(**db, Edge::Block, viewer, target, newId(), now);
    if (!added)
        return added.status();
    if (*added)
        PINHOLE_TRY(
            store::appendEvent(**db, {.type = EventType::BlockCreated, .actorId = viewer, .accountId = target}, now));
    auto r = relationshipOf(**db, viewer, target);
    PINHOLE_TRY(tx.commit());
    m_events.notify();
    return r;
}

Result<Relationship> FollowService::unblock(Id viewer, Id target) {
    auto db = m_store.connection();
    if (!db)
        return db.status();
    store::Transaction tx(**db);
    PINHOLE_TRY(tx.status());
    PINHOLE_TRY(store::accountById(**db, target));
    PINHOLE_TRY(removeEdge(**db, Edge::Block, viewer, target, nowMillis()));
    auto r = relationshipOf(**db, viewer, target);
    PINHOLE_TRY(tx.commit());
    m_events.notify();
    return r;
}

Result<Relationship> FollowService::authorize(Id owner, Id requester, const store::AlsoInTransaction& also) {
    auto db = m_store.connection();
    if (!db)
        return db.status();
    store::Transaction tx(**db);
    PINHOLE_TRY(tx.status());
    auto asked = store::hasEdge(**db, Edge::FollowRequest, requester, owner);
    if (!asked)
        return asked.status();
    if (!*asked)
        return notFound("no follow request from this account");
    const std::int64_t now = nowMillis();
    PINHOLE_TRY(removeEdge(**db, Edge::FollowRequest, requester, owner, now));
    PINHOLE_TRY(addFollow(**db, requester, owner, now));
    if (also)
        PINHOLE_TRY(also(**db, requester));
    auto r = relationshipOf(**db, owner, requester);
    PINHOLE_TRY(tx.commit());
    m_events.notify();
    return r;
}

Result<Relationship> FollowService::reject(Id owner, Id requester, const store::AlsoInTransaction& also) {
    auto db = m_store.connection();
    if (!db)
        return db.status();
    store::Transaction tx(**db);
    PINHOLE_TRY(tx.status());
    auto asked = store::hasEdge(**db, Edge::FollowRequest, requester, owner);
    if (!asked)
        return asked.status();
    if (!*asked)
        return notFound("no follow request from this account");
    PINHOLE_TRY(removeEdge(**db, Edge::FollowRequest, requester, owner, nowMillis()));
    if (also)
        PINHOLE_TRY(also(**db, requester));
    auto r = relationshipOf(**db, owner, requester);
    PINHOLE_TRY(tx.commit());
    m_events.notify();
    return r;
}

Result<std::vector<Relationship>> FollowService::relationships(Id viewer, const std::vector<Id>& ids) {
    auto db = m_store.connection();
    if (!db)
        return db.status();
    std::vector<Relationship> out;
    for (Id id : ids) {
        auto account = store::accountById(**db, id);
        if (!account) {
            if (account.status().code() == Code::NotFound)
                continue;
            return account.status();
        }
        auto r = relationshipOf(**db, viewer, id);
        if (!r)
            return r.status();
        out.push_back(*r);
    }
    return out;
}

Result<Paged<store::Account>> FollowService::accountsOf(store::Database& db,
                                                        const std::vector<store::EdgeEntry>& edges) {
    Paged<store::Account> out;
    std::vector<Id> ids;
    for (const auto& e : edges) {
        ids.push_back(e.id);
        auto a = store::accountById(db, e.accountId);
        if (!a)
            return a.status();
        out.items.push_back(std::move(a).value());
    }
    setCursors(out, ids);
    return out;
}

Result<Paged<store::Account>> FollowService::list(std::optional<Id> viewer, Id account, const store::Page& page,
                                                  bool followersList) {
    auto db = m_store.connection();
    if (!db)
        return db.status();
    Access access(**db, viewer);
    auto may = access.mayViewFollowLists(account);
    if (!may)
        return may.status();
    if (!*may)
        return Paged<store::Account>{};
    auto edges = followersList ? store::edgesTo(**db, Edge::Follow, account, page)
                               : store::edgesFrom(**db, Edge::Follow, account, page);
    if (!edges)
        return edges.status();
    auto out = accountsOf(**db, *edges);
    if (!out || !viewer)
        return out;
    // Neither side of a block appears in the other's view of a list.
    std::vector<store::Account> kept;
    for (auto& a : out->items) {
        auto t = access.ties(a.id);
        if (!t)
            return t.status();
        if (mayInteract(*t))
            kept.push_back(std::move(a));
    }
    out->items = std::move(kept);
    return out;
}

Result<Paged<store::Account>> FollowService::followers(std::optional<Id> viewer, Id account,
                                                       const store::Page& page) {
    return list(viewer, account, page, true);
}

Result<Paged<store::Account>> FollowService::following(std::optional<Id> viewer, Id account,
                                                       const store::Page& page) {
    return list(viewer, account, page, false);
}

Result<Paged<store::Account>> FollowService::followRequests(Id owner, const store::Page& page) {
    auto db = m_store.connection();
    if (!db)
        return db.status();
    auto edges = store::edgesTo(**db, Edge::FollowRequest, owner, page);
    if (!edges)
        return edges.status();
    return accountsOf(**db, *edges);
}

Result<Paged<store::Account>> FollowService::blocks(Id owner, const store::Page& page) {
    auto db = m_store.connection();
    if (!db)
        return db.status();
    auto edges = store::edgesFrom(**db, Edge::Block, owner, page);
    if (!edges)
        return edges.status();
    return accountsOf(**db, *edges);
}

} // namespace pinhole::server::social
