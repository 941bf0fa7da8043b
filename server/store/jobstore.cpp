#include "store/jobstore.h"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

namespace pinhole::server::store {

namespace {

constexpr const char* kColumns =
    "id, queue, payload, state, priority, deadline, visible_at, exclusivity_key, attempts, max_attempts, "
    "lease_owner, lease_expires_at, cancel_requested, last_error, created_at, updated_at, completed_at";

// The lease predicate every lease-holder's operation is guarded by (binds ?1 id, ?2 owner,
// ?3 attempt): the job is still running, for this worker, in this attempt.
constexpr const char* kLeaseHolds = " WHERE id = ?1 AND state = 'running' AND lease_owner = ?2 AND attempts = ?3";

// Whether a running job that stops running now ends for good rather than going back to the queue:
// a cancel was requested, or that was its last attempt. SET expressions see the old row.
constexpr const char* kEndsForGood = "(cancel_requested = 1 OR attempts >= max_attempts)";

std::optional<std::int64_t> optInt64(const Query& q, int c) {
    return q.isNull(c) ? std::nullopt : std::optional<std::int64_t>(q.int64(c));
}
std::optional<std::string> optText(const Query& q, int c) {
    return q.isNull(c) ? std::nullopt : std::optional<std::string>(q.text(c));
}

// REQUIRES: `q` is positioned on a row of kColumns.
JobRecord readRow(const Query& q) {
    JobRecord j;
    j.id = q.int64(0);
    j.queue = q.text(1);
    j.payload = q.text(2);
    j.state = q.text(3);
    j.priority = static_cast<int>(q.int64(4));
    j.deadline = optInt64(q, 5);
    j.visibleAt = q.int64(6);
    j.exclusivityKey = optText(q, 7);
    j.attempts = static_cast<int>(q.int64(8));
    j.maxAttempts = static_cast<int>(q.int64(9));
    j.leaseOwner = optText(q, 10);
    j.leaseExpiresAt = optInt64(q, 11);
    j.cancelRequested = q.int64(12) != 0;
    j.lastError = optText(q, 13);
    j.createdAt = q.int64(14);
    j.updatedAt = q.int64(15);
    j.completedAt = optInt64(q, 16);
    return j;
}

// Steps `q` to completion (an UPDATE ... RETURNING makes all its changes on the first step).
Result<std::vector<JobRecord>> readAll(Query& q) {
    std::vector<JobRecord> rows;
    for (;;) {
        auto row = q.step();
        if (!row)
            return row.status();
        if (!*row)
            return rows;
        rows.push_back(readRow(q));
    }
}

Result<std::optional<JobRecord>> readAtMostOne(Query& q) {
    auto rows = readAll(q);
    if (!rows)
        return rows.status();
    if (rows->empty())
        return std::optional<JobRecord>();
    return std::optional<JobRecord>(std::move(rows->front()));
}

Query& bindLease(Query& q, const JobLease& lease) {
    return q.bind(1, lease.id).bind(2, lease.owner).bind(3, lease.attempt);
}

} // namespace

Status insertJob(Database& db, const JobRecord& j) {
    auto q = db.prepare(std::string("INSERT INTO jobs (") + kColumns +
                        ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)");
    q.bind(1, j.id).bind(2, j.queue).bind(3, j.payload).bind(4, j.state).bind(5, j.priority).bind(6, j.deadline);
    q.bind(7, j.visibleAt).bind(8, j.exclusivityKey).bind(9, j.attempts).bind(10, j.maxAttempts);
    q.bind(11, j.leaseOwner).bind(12, j.leaseExpiresAt).bind(13, j.cancelRequested).bind(14, j.lastError);
    q.bind(15, j.createdAt).bind(16, j.updatedAt).bind(17, j.completedAt);
    return q.run();
}

Result<JobRecord> jobById(Database& db, Id id) {
    auto q = db.prepare(std::string("SELECT ") + kColumns + " FROM jobs WHERE id = ?1");
    q.bind(1, id);
    auto job = readAtMostOne(q);
    if (!job)
        return job.status();
    if (!*job)
        return notFound("job " + idToString(id) + " not found");
    return std::move(**job);
}

Result<int> promoteVisibleJobs(Database& db, std::int64_t now) {
    auto q = db.prepare("UPDATE jobs SET state = 'pending', updated_at = ?1 WHERE state = 'invisible' AND "
                        "visible_at <= ?1");
    q.bind(1, now);
    PINHOLE_TRY(q.run());
    return db.changes();
}

Result<std::optional<JobRecord>> claimNextJob(Database& db, const std::vector<std::string>& queues,
                                              std::string_view owner, std::int64_t leaseExpiresAt, std::int64_t now) {
    if (queues.empty())
        return std::optional<JobRecord>();
    boost::json::array names;
    for (const auto& name : queues)
        names.emplace_back(name);
    // Earliest deadline first (none sorts last), then higher priority, then older; the jobs_pending
    // index holds exactly this order, so the scan stops at the first eligible row. `+j.queue`
    // keeps the planner off the queue index, which would make it sort every pending job.
    // A job whose key a running job holds is skipped; the unique index jobs_running_key would
    // refuse the claim anyway.
    auto q = db.prepare(std::string("UPDATE jobs SET state = 'running', attempts = attempts + 1, lease_owner = ?1, "
                                    "lease_expires_at = ?2, updated_at = ?3 "
                                    "WHERE id = (SELECT j.id FROM jobs j WHERE j.state = 'pending' "
                                    "AND +j.queue IN (SELECT value FROM json_each(?4)) "
                                    "AND (j.exclusivity_key IS NULL OR NOT EXISTS (SELECT 1 FROM jobs r "
                                    "WHERE r.state = 'running' AND r.exclusivity_key = j.exclusivity_key)) "
                                    "ORDER BY j.deadline IS NULL, j.deadline, j.priority DESC, j.created_at, j.id "
                                    "LIMIT 1) RETURNING ") +
                        kColumns);
    q.bind(1, owner).bind(2, leaseExpiresAt).bind(3, now).bind(4, boost::json::serialize(names));
    return readAtMostOne(q);
}

Result<bool> completeLeasedJob(Database& db, const JobLease& lease, std::int64_t now) {
    auto q = db.prepare(std::string("UPDATE jobs SET state = 'completed', lease_owner = NULL, lease_expires_at = NULL, "
                                    "completed_at = ?4, updated_at = ?4") +
                        kLeaseHolds);
    bindLease(q, lease).bind(4, now);
    PINHOLE_TRY(q.run());
    return db.changes() == 1;
}

Result<std::optional<JobRecord>> failLeasedJob(Database& db, const JobLease& lease, std::string_view error,
                                               std::int64_t retryAt, std::int64_t now) {
    auto q = db.prepare(std::string("UPDATE jobs SET "
                                    "state = CASE WHEN cancel_requested = 1 THEN 'canceled' "
                                    "WHEN attempts >= max_attempts THEN 'errored' ELSE 'invisible' END, "
                                    "visible_at = CASE WHEN ") +
                        kEndsForGood + " THEN visible_at ELSE ?5 END, completed_at = CASE WHEN " + kEndsForGood +
                        " THEN ?6 ELSE NULL END, lease_owner = NULL, lease_expires_at = NULL, last_error = ?4, "
                        "updated_at = ?6" +
                        kLeaseHolds + " RETURNING " + kColumns);
    bindLease(q, lease).bind(4, error).bind(5, retryAt).bind(6, now);
    return readAtMostOne(q);
}

Result<bool> extendJobLease(Database& db, const JobLease& lease, std::int64_t expiresAt, std::int64_t now) {
    auto q = db.prepare(std::string("UPDATE jobs SET lease_expires_at = ?4, updated_at = ?5") + kLeaseHolds);
    bindLease(q, lease).bind(4, expiresAt).bind(5, now);
    PINHOLE_TRY(q.run());
    return db.changes() == 1;
}

Result<std::vector<JobRecord>> reclaimExpiredJobs(Database& db, std::int64_t now) {
    auto q = db.prepare(std::string("UPDATE jobs SET "
                                    "state = CASE WHEN cancel_requested = 1 THEN 'canceled' "
                                    "WHEN attempts >= max_attempts THEN 'errored' ELSE 'pending' END, "
                                    "visible_at = CASE WHEN ") +
                        kEndsForGood + " THEN visible_at ELSE ?1 END, completed_at = CASE WHEN " + kEndsForGood +
                        " THEN ?1 ELSE NULL END, "
                        "last_error = 'the lease of ' || lease_owner || ' expired during attempt ' || attempts || "
                        "' of ' || max_attempts || ' (the worker stopped or hung)', "
                        "lease_owner = NULL, lease_expires_at = NULL, updated_at = ?1 "
                        "WHERE state = 'running' AND lease_expires_at <= ?1 RETURNING " +
                        kColumns);
    q.bind(1, now);
    return readAll(q);
}

Status expireAllLeases(Database& db) {
    return db.prepare("UPDATE jobs SET lease_expires_at = 0 WHERE state = 'running'").run();
}

Result<std::optional<JobRecord>> cancelJob(Database& db, Id id, std::int64_t now) {
    // A running job keeps running (and keeps its exclusivity key) until its worker reports back or
    // its lease expires; only then may another job on the same key start.
    auto q = db.prepare(std::string("UPDATE jobs SET "
                                    "state = CASE WHEN state = 'running' THEN state ELSE 'canceled' END, "
                                    "cancel_requested = CASE WHEN state = 'running' THEN 1 ELSE 0 END, "
                                    "completed_at = CASE WHEN state = 'running' THEN NULL ELSE ?2 END, "
                                    "updated_at = ?2 "
                                    "WHERE id = ?1 AND state IN ('invisible', 'pending', 'running') RETURNING ") +
                        kColumns);
    q.bind(1, id).bind(2, now);
    return readAtMostOne(q);
}

Result<std::optional<JobRecord>> retryJob(Database& db, Id id, std::int64_t now) {
    auto q = db.prepare(std::string("UPDATE jobs SET state = 'pending', attempts = 0, cancel_requested = 0, "
                                    "visible_at = ?2, completed_at = NULL, updated_at = ?2 "
                                    "WHERE id = ?1 AND state IN ('errored', 'canceled') RETURNING ") +
                        kColumns);
    q.bind(1, id).bind(2, now);
    return readAtMostOne(q);
}

Result<std::vector<JobRecord>> listJobs(Database& db, const JobRecordFilter& filter) {
    auto q = db.prepare(std::string("SELECT ") + kColumns +
                        " FROM jobs WHERE (?1 IS NULL OR state = ?1) AND (?2 IS NULL OR queue = ?2) "
                        "ORDER BY id DESC LIMIT ?3");
    q.bind(1, filter.state).bind(2, filter.queue).bind(3, filter.limit);
    return readAll(q);
}

Result<std::vector<JobCountRecord>> countJobs(Database& db) {
    auto q = db.prepare("SELECT queue, state, count(*) FROM jobs GROUP BY queue, state ORDER BY queue, state");
    std::vector<JobCountRecord> counts;
    for (;;) {
        auto row = q.step();
        if (!row)
            return row.status();
        if (!*row)
            return counts;
        counts.push_back({q.text(0), q.text(1), q.int64(2)});
    }
}

} // namespace pinhole::server::store
