#include "feed/fanout.h"

#include "store/counterstore.h"
#include "store/feedstore.h"
#include "store/followstore.h"
#include "store/statusstore.h"

namespace pinhole::server::feed {

using store::EventType;

namespace {
constexpr std::uint64_t kTrimEvery = 16;

// splitmix64: spreads (status, account) pairs evenly over the trim slots.
std::uint64_t mix(std::uint64_t x) {
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}
} // namespace

Status FanoutConsumer::maybeTrim(store::Database& db, Id account, Id statusId) {
    if (mix(static_cast<std::uint64_t>(statusId) ^ mix(static_cast<std::uint64_t>(account))) % kTrimEvery != 0)
        return Status::ok();
    return store::trimFeed(db, account, m_options.feedLength);
}

Status FanoutConsumer::fanOut(store::Database& db, const store::Event& e) {
    if (e.parentId || !e.statusId) // comments live in their thread, not in feeds
        return Status::ok();
    auto exists = store::statusById(db, *e.statusId);
    if (!exists)
        return exists.status().code() == Code::NotFound ? Status::ok() : exists.status();
    std::vector<Id> readers{e.actorId};
    auto counts = store::accountCounts(db, e.actorId);
    if (!counts)
        return counts.status();
    if (counts->followers <= m_options.celebrityFollowers) {
        auto followers = store::followerIds(db, e.actorId);
        if (!followers)
            return followers.status();
        readers.insert(readers.end(), followers->begin(), followers->end());
    }
    PINHOLE_TRY(store::pushToFeeds(db, *e.statusId, e.actorId, readers));
    for (Id reader : readers)
        PINHOLE_TRY(maybeTrim(db, reader, *e.statusId));
    return Status::ok();
}

Status FanoutConsumer::backfill(store::Database& db, Id follower, Id followee) {
    auto still = store::hasEdge(db, store::Edge::Follow, follower, followee);
    if (!still)
        return still.status();
    if (!*still) // unfollowed since
        return Status::ok();
    store::Page page;
    page.limit = m_options.followBackfill;
    auto recent = store::accountStatusIds(db, followee, page, true);
    if (!recent)
        return recent.status();
    for (Id status : *recent)
        PINHOLE_TRY(store::pushToFeeds(db, status, followee, {follower}));
    return store::trimFeed(db, follower, m_options.feedLength);
}

Status FanoutConsumer::apply(store::Database& db, const store::Event& e) {
    switch (e.type) {
    case EventType::StatusCreated:
        return fanOut(db, e);
    case EventType::StatusDeleted: {
        if (!e.statusId)
            return Status::ok();
        // Every feed holding it belongs to the author or a current follower: an unfollow or a
        // block removed the others' copies already.
        auto followers = store::followerIds(db, e.actorId);
        if (!followers)
            return followers.status();
        followers->push_back(e.actorId);
        return store::removeFromFeeds(db, *e.statusId, *followers);
    }
    case EventType::FollowCreated:
        return e.accountId ? backfill(db, e.actorId, *e.accountId) : Status::ok();
    case EventType::FollowDeleted:
        return e.accountId ? store::removeAuthorFromFeed(db, e.actorId, *e.accountId) : Status::ok();
    case EventType::BlockCreated:
        if (!e.accountId)
            return Status::ok();
        PINHOLE_TRY(store::removeAuthorFromFeed(db, e.actorId, *e.accountId));
        return store::removeAuthorFromFeed(db, *e.accountId, e.actorId);
    default:
        return Status::ok();
    }
}

} // namespace pinhole::server::feed
