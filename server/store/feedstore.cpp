#include "store/feedstore.h"

#include <string>

namespace pinhole::server::store {

Status pushToFeeds(Database& db, Id statusId, Id authorId, const std::vector<Id>& accounts) {
    for (Id account : accounts) {
        auto q = db.prepare("INSERT OR IGNORE INTO home_feed (account_id, status_id, author_id) VALUES (?1, ?2, ?3)");
        q.bind(1, account).bind(2, statusId).bind(3, authorId);
        PINHOLE_TRY(q.run());
    }
    return Status::ok();
}

Status removeFromFeeds(Database& db, Id statusId, const std::vector<Id>& accounts) {
    for (Id account : accounts) {
        auto q = db.prepare("DELETE FROM home_feed WHERE account_id = ?1 AND status_id = ?2");
        q.bind(1, account).bind(2, statusId);
        PINHOLE_TRY(q.run());
    }
    return Status::ok();
}

Status removeAuthorFromFeed(Database& db, Id accountId, Id authorId) {
    auto q = db.prepare("DELETE FROM home_feed WHERE account_id = ?1 AND author_id = ?2");
    q.bind(1, accountId).bind(2, authorId);
    return q.run();
}

Status trimFeed(Database& db, Id accountId, int cap) {
    auto q = db.prepare("DELETE FROM home_feed WHERE account_id = ?1 AND status_id <= (SELECT status_id FROM "
                        "home_feed WHERE account_id = ?1 ORDER BY status_id DESC LIMIT 1 OFFSET ?2)");
    q.bind(1, accountId).bind(2, cap);
    return q.run();
}

Result<bool> feedIsEmpty(Database& db, Id accountId) {
    auto q = db.prepare("SELECT 1 FROM home_feed WHERE account_id = ?1 LIMIT 1");
    q.bind(1, accountId);
    auto row = q.step();
    if (!row)
        return row.status();
    return !*row;
}

Result<std::vector<Id>> feedPage(Database& db, Id accountId, const Page& page) {
    auto q = db.prepare(std::string("SELECT h.status_id FROM home_feed h WHERE h.account_id = ?1 AND h.status_id < ?2 "
                                    "AND h.status_id > ?3 AND (h.author_id = ?1 OR EXISTS (SELECT 1 FROM follows f "
                                    "WHERE f.follower_id = ?1 AND f.followee_id = h.author_id)) ORDER BY h.status_id ") +
                        page.order() + " LIMIT ?4");
    q.bind(1, accountId).bind(2, page.upper()).bind(3, page.lower()).bind(4, page.limit);
    std::vector<Id> out;
    for (;;) {
        auto row = q.step();
        if (!row)
            return row.status();
        if (!*row)
            break;
        out.push_back(q.int64(0));
    }
    newestFirst(page, out);
    return out;
}

Result<std::vector<Id>> followedAbove(Database& db, Id followerId, std::int64_t threshold) {
    // From the (few) accounts above the threshold, by the index on followers_count, to the follows.
    auto q = db.prepare("SELECT c.account_id FROM account_counters c WHERE c.followers_count > ?2 AND EXISTS "
                        "(SELECT 1 FROM follows f WHERE f.follower_id = ?1 AND f.followee_id = c.account_id)");
    q.bind(1, followerId).bind(2, threshold);
    std::vector<Id> out;
    for (;;) {
        auto row = q.step();
        if (!row)
            return row.status();
        if (!*row)
            return out;
        out.push_back(q.int64(0));
    }
}

} // namespace pinhole::server::store
