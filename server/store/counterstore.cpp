#include "store/counterstore.h"

namespace pinhole::server::store {

namespace {

// The recount, from the rows: one row per account / status with every counter.
constexpr const char* kAccountRecount = R"sql(
SELECT a.id,
       (SELECT count(*) FROM follows WHERE followee_id = a.id),
       (SELECT count(*) FROM follows WHERE follower_id = a.id),
       (SELECT count(*) FROM statuses WHERE account_id = a.id)
FROM accounts a)sql";
constexpr const char* kStatusRecount = R"sql(
SELECT s.id,
       (SELECT count(*) FROM favourites WHERE status_id = s.id),
       (SELECT count(*) FROM statuses r WHERE r.in_reply_to_id = s.id)
FROM statuses s)sql";

} // namespace

Result<AccountCounts> accountCounts(Database& db, Id accountId) {
    auto q = db.prepare("SELECT followers_count, following_count, statuses_count FROM account_counters "
                        "WHERE account_id = ?1");
    q.bind(1, accountId);
    auto row = q.step();
    if (!row)
        return row.status();
    if (!*row)
        return AccountCounts{};
    return AccountCounts{q.int64(0), q.int64(1), q.int64(2)};
}

Result<StatusCounts> statusCounts(Database& db, Id statusId) {
    auto q = db.prepare("SELECT favourites_count, replies_count FROM status_counters WHERE status_id = ?1");
    q.bind(1, statusId);
    auto row = q.step();
    if (!row)
        return row.status();
    if (!*row)
        return StatusCounts{};
    return StatusCounts{q.int64(0), q.int64(1)};
}

Result<std::unordered_map<Id, AccountCounts>> accountCountsOf(Database& db, const std::vector<Id>& accountIds) {
    std::unordered_map<Id, AccountCounts> out;
    if (accountIds.empty())
        return out;
    auto q = db.prepare("SELECT account_id, followers_count, following_count, statuses_count FROM account_counters "
                        "WHERE account_id IN (SELECT value FROM json_each(?1))");
    q.bindIds(1, accountIds);
    for (;;) {
        auto row = q.step();
        if (!row)
            return row.status();
        if (!*row)
            return out;
        out[q.int64(0)] = AccountCounts{q.int64(1), q.int64(2), q.int64(3)};
    }
}

Result<std::unordered_map<Id, StatusCounts>> statusCountsOf(Database& db, const std::vector<Id>& statusIds) {
    std::unordered_map<Id, StatusCounts> out;
    if (statusIds.empty())
        return out;
    auto q = db.prepare("SELECT status_id, favourites_count, replies_count FROM status_counters "
                        "WHERE status_id IN (SELECT value FROM json_each(?1))");
    q.bindIds(1, statusIds);
    for (;;) {
        auto row = q.step();
        if (!row)
            return row.status();
        if (!*row)
            return out;
        out[q.int64(0)] = StatusCounts{q.int64(1), q.int64(2)};
    }
}

Status addAccountCounts(Database& db, Id accountId, const AccountCounts& d) {
    auto q = db.prepare(R"sql(
INSERT INTO account_counters (account_id, followers_count, following_count, statuses_count)
SELECT ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM accounts WHERE id = ?1)
ON CONFLICT (account_id) DO UPDATE SET followers_count = followers_count + excluded.followers_count,
    following_count = following_count + excluded.following_count,
    statuses_count = statuses_count + excluded.statuses_count)sql");
    q.bind(1, accountId).bind(2, d.followers).bind(3, d.following).bind(4, d.statuses);
    return q.run();
}

Status addStatusCounts(Database& db, Id statusId, const StatusCounts& d) {
    auto q = db.prepare(R"sql(
INSERT INTO status_counters (status_id, favourites_count, replies_count)
SELECT ?1, ?2, ?3 WHERE EXISTS (SELECT 1 FROM statuses WHERE id = ?1)
ON CONFLICT (status_id) DO UPDATE SET favourites_count = favourites_count + excluded.favourites_count,
    replies_count = replies_count + excluded.replies_count)sql");
    q.bind(1, statusId).bind(2, d.favourites).bind(3, d.replies);
    return q.run();
}

Status deleteStatusCounts(Database& db, Id statusId) {
    auto q = db.prepare("DELETE FROM status_counters WHERE status_id = ?1");
    q.bind(1, statusId);
    return q.run();
}

Result<std::vector<CounterDifference>> counterDifferences(Database& db) {
    std::vector<CounterDifference> out;
    auto a = db.prepare(std::string("SELECT r.*, coalesce(c.followers_count, 0), coalesce(c.following_count, 0), "
                                    "coalesce(c.statuses_count, 0) FROM (") +
                        kAccountRecount + ") r LEFT JOIN account_counters c ON c.account_id = r.id");
    for (;;) {
        auto row = a.step();
        if (!row)
            return row.status();
        if (!*row)
            break;
        const char* names[] = {"followers_count", "following_count", "statuses_count"};
        for (int i = 0; i < 3; ++i)
            if (a.int64(1 + i) != a.int64(4 + i))
                out.push_back({names[i], a.int64(0), a.int64(4 + i), a.int64(1 + i)});
    }
    auto s =
        db.prepare(std::string("SELECT r.*, coalesce(c.favourites_count, 0), coalesce(c.replies_count, 0) FROM (") +
                   kStatusRecount + ") r LEFT JOIN status_counters c ON c.status_id = r.id");
    for (;;) {
        auto row = s.step();
        if (!row)
            return row.status();
        if (!*row)
            break;
        const char* names[] = {"favourites_count", "replies_count"};
        for (int i = 0; i < 2; ++i)
            if (s.int64(1 + i) != s.int64(3 + i))
                out.push_back({names[i], s.int64(0), s.int64(3 + i), s.int64(1 + i)});
    }
    return out;
}

Status rewriteCounters(Database& db) {
    PINHOLE_TRY(db.exec("DELETE FROM account_counters; DELETE FROM status_counters;"));
    PINHOLE_TRY(db.exec(std::string("INSERT INTO account_counters (account_id, followers_count, following_count, "
                                    "statuses_count) ") +
                        kAccountRecount));
    return db.exec(std::string("INSERT INTO status_counters (status_id, favourites_count, replies_count) ") +
                   kStatusRecount);
}

} // namespace pinhole::server::store
