// SQL for the job queue (the `jobs` table of migration 3). jobs/jobqueue.h owns the state machine
// and decides the transitions; these functions only perform them, each guarded by the state it
// expects, so a stale caller changes nothing. Callers pass the connection and hold any
// transaction; functions marked REQUIRES: a write transaction read and then write.
// Threading: as Database, one thread per connection at a time.
#pragma once

#include "core/ids.h"
#include "core/status.h"
#include "store/database.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pinhole::server::store {

// One row of `jobs`, as stored. `state` is one of the CHECK's names.
struct JobRecord {
    Id id = 0;
    std::string queue;
    std::string payload = "{}"; // JSON text
    std::string state;
    int priority = 0;
    std::optional<std::int64_t> deadline; // Unix ms
    std::int64_t visibleAt = 0;
    std::optional<std::string> exclusivityKey;
    int attempts = 0;
    int maxAttempts = 1;
    std::optional<std::string> leaseOwner;
    std::optional<std::int64_t> leaseExpiresAt;
    bool cancelRequested = false;
    std::optional<std::string> lastError;
    std::int64_t createdAt = 0;
    std::int64_t updatedAt = 0;
    std::optional<std::int64_t> completedAt;
};

// The fencing token of a lease: a claim is identified by the job, the worker and the attempt, so a
// worker that lost its lease (reclaimed, maybe claimed again by itself) cannot act on the new one.
struct JobLease {
    Id id = 0;
    std::string_view owner;
    int attempt = 0;
};

Status insertJob(Database& db, const JobRecord& job);
// NotFound if there is no such job.
Result<JobRecord> jobById(Database& db, Id id);

// invisible -> pending for every job whose visible_at has come; returns how many.
Result<int> promoteVisibleJobs(Database& db, std::int64_t now);
// Claims the best pending job of `queues` (see the ORDER BY in jobstore.cpp) whose exclusivity key
// no running job holds: it becomes running, leased to `owner` until `leaseExpiresAt`, with one
// more attempt. nullopt if there is none.
// REQUIRES: a write transaction (the choice and the claim must see the same snapshot).
Result<std::optional<JobRecord>> claimNextJob(Database& db, const std::vector<std::string>& queues,
                                              std::string_view owner, std::int64_t leaseExpiresAt, std::int64_t now);

// running -> completed, if `lease` still holds. false (and nothing changed) if it does not.
Result<bool> completeLeasedJob(Database& db, const JobLease& lease, std::int64_t now);
// running -> invisible until `retryAt`, errored when the attempts are spent, canceled when a
// cancel was requested; keeps `error` as last_error. nullopt (nothing changed) if `lease` does
// not hold.
Result<std::optional<JobRecord>> failLeasedJob(Database& db, const JobLease& lease, std::string_view error,
                                               std::int64_t retryAt, std::int64_t now);
// Moves lease_expires_at to `expiresAt`; false (nothing changed) if `lease` does not hold.
Result<bool> extendJobLease(Database& db, const JobLease& lease, std::int64_t expiresAt, std::int64_t now);
// Running jobs whose lease expired by `now`: back to pending, or errored when the attempts are
// spent, or canceled when a cancel was requested. Returns the rows as they are now.
Result<std::vector<JobRecord>> reclaimExpiredJobs(Database& db, std::int64_t now);
// Ends every running job's lease now: in a backup's copy of the database, whose workers belong
// to the live server (then reclaimExpiredJobs returns them to the queue).
Status expireAllLeases(Database& db);

// invisible|pending -> canceled; running -> cancel_requested. nullopt (nothing changed) in any
// other state.
Result<std::optional<JobRecord>> cancelJob(Database& db, Id id, std::int64_t now);
// errored|canceled -> pending now, attempts reset. nullopt (nothing changed) in any other state.
Result<std::optional<JobRecord>> retryJob(Database& db, Id id, std::int64_t now);

struct JobRecordFilter {
    std::optional<std::string> state;
    std::optional<std::string> queue;
    int limit = 100;
};
// Newest first.
Result<std::vector<JobRecord>> listJobs(Database& db, const JobRecordFilter& filter);

struct JobCountRecord {
    std::string queue;
    std::string state;
    std::int64_t count = 0;
};
// One row per (queue, state) that has jobs, ordered by queue then state.
Result<std::vector<JobCountRecord>> countJobs(Database& db);

} // namespace pinhole::server::store
