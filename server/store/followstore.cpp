#include "store/followstore.h"

#include <string>

namespace pinhole::server::store {

namespace {

struct Table {
    const char* name;
    const char* from;
    const char* to;
};

Table tableOf(Edge edge) {
    switch (edge) {
    case Edge::Follow: return {"follows", "follower_id", "followee_id"};
    case Edge::FollowRequest: return {"follow_requests", "requester_id", "target_id"};
    case Edge::Block: return {"blocks", "blocker_id", "blocked_id"};
    }
    return {"follows", "follower_id", "followee_id"};
}

Result<std::vector<Id>> ids(Query& q) {
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

Result<std::vector<EdgeEntry>> entries(Database& db, Edge edge, Id account, const Page& page, bool incoming) {
    const Table t = tableOf(edge);
    const std::string mine = incoming ? t.to : t.from, other = incoming ? t.from : t.to;
    auto q = db.prepare(std::string("SELECT id, ") + other + " FROM " + t.name + " WHERE " + mine +
                        " = ?1 AND id < ?2 AND id > ?3 ORDER BY id " + page.order() + " LIMIT ?4");
    q.bind(1, account).bind(2, page.upper()).bind(3, page.lower()).bind(4, page.limit);
    std::vector<EdgeEntry> out;
    for (;;) {
        auto row = q.step();
        if (!row)
            return row.status();
        if (!*row)
            break;
        out.push_back({q.int64(0), q.int64(1)});
    }
    newestFirst(page, out);
    return out;
}

} // namespace

Result<bool> hasEdge(Database& db, Edge edge, Id from, Id to) {
    const Table t = tableOf(edge);
    auto q = db.prepare(std::string("SELECT 1 FROM ") + t.name + " WHERE " + t.from + " = ?1 AND " + t.to + " = ?2");
    q.bind(1, from).bind(2, to);
    return q.step();
}

Result<std::vector<Id>> edgesAmong(Database& db, Edge edge, Id from, const std::vector<Id>& others, bool incoming) {
    if (others.empty())
        return std::vector<Id>{};
    const Table t = tableOf(edge);
    const std::string mine = incoming ? t.to : t.from, other = incoming ? t.from : t.to;
    auto q = db.prepare("SELECT " + other + " FROM " + t.name + " WHERE " + mine + " = ?1 AND " + other +
                        " IN (SELECT value FROM json_each(?2))");
    q.bind(1, from).bindIds(2, others);
    return ids(q);
}

Result<bool> insertEdge(Database& db, Edge edge, Id from, Id to, Id id, std::int64_t now) {
    const Table t = tableOf(edge);
    auto q = db.prepare(std::string("INSERT OR IGNORE INTO ") + t.name + " (" + t.from + ", " + t.to +
                        ", id, created_at) VALUES (?1, ?2, ?3, ?4)");
    q.bind(1, from).bind(2, to).bind(3, id).bind(4, now);
    PINHOLE_TRY(q.run());
    return db.changes() > 0;
}

Result<bool> deleteEdge(Database& db, Edge edge, Id from, Id to) {
    const Table t = tableOf(edge);
    auto q = db.prepare(std::string("DELETE FROM ") + t.name + " WHERE " + t.from + " = ?1 AND " + t.to + " = ?2");
    q.bind(1, from).bind(2, to);
    PINHOLE_TRY(q.run());
    return db.changes() > 0;
}

Result<std::vector<EdgeEntry>> edgesTo(Database& db, Edge edge, Id to, const Page& page) {
    return entries(db, edge, to, page, true);
}

Result<std::vector<EdgeEntry>> edgesFrom(Database& db, Edge edge, Id from, const Page& page) {
    return entries(db, edge, from, page, false);
}

Result<std::vector<Id>> followerIds(Database& db, Id account) {
    auto q = db.prepare("SELECT follower_id FROM follows WHERE followee_id = ?1");
    q.bind(1, account);
    return ids(q);
}

Result<std::vector<Id>> followeeIds(Database& db, Id account) {
    auto q = db.prepare("SELECT followee_id FROM follows WHERE follower_id = ?1");
    q.bind(1, account);
    return ids(q);
}

} // namespace pinhole::server::store
