// The durable job queue, after Netflix's Timestone, in SQLite: deadline-then-priority order,
// leases that expire and return work to the queue, bounded attempts with backoff, and an
// exclusivity key so no two jobs on the same key (an asset id) ever run at once.
//
// Threading: a JobQueue is thread-safe and shared by every worker, handler and admin command;
// each call leases its own connection (or uses the caller's) and performs one short write
// transaction. It holds no lock of its own. Several processes may share one database.
#pragma once

#include "core/clock.h"
#include "core/ids.h"
#include "core/status.h"
#include "store/database.h"
#include "store/store.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pinhole::server::jobs {

// A job's life. Each transition is one write transaction, performed by the JobQueue function
// named in its row (through store/jobstore.cpp, whose UPDATEs are guarded by the state they
// leave, so a stale caller changes nothing):
//
//   from                performed by, when                                  to         and
//   (new)               enqueue()                                           Pending    Invisible instead if delayed
//   Invisible           dequeue(), once visible_at <= now                   Pending
//   Pending             dequeue()                                           Running    attempts += 1; leased
//   Running             extendLease()                                       Running    the lease moves on (heartbeat)
//   Running             cancel()                                            Running    cancel requested; the attempt
//                                                                                      goes on and keeps its key
//   Running             complete()                                          Completed  final, even if cancel requested
//   Running             fail(), attempts left                               Invisible  until now + backoff
//   Running             reclaimExpiredLeases(), attempts left               Pending
//   Running             fail() or reclaimExpiredLeases(), last attempt      Errored    last_error kept
//   Running             fail() or reclaimExpiredLeases(), cancel requested  Canceled
//   Invisible, Pending  cancel()                                            Canceled
//   Errored, Canceled   retry()                                             Pending    attempts reset to 0
//
// No other transition exists. An attempt counts when it starts (dequeue), so one whose worker
// died — the whole process included — counts too: a job that keeps killing its worker ends
// Errored instead of looping. The bookkeeping transitions (dequeue, complete, fail,
// extendLease, reclaim) commit with store::Durability::Deferred: they survive a kill, and an
// OS crash or power cut can only undo the last of them, which runs a job again; enqueue,
// cancel and retry, which callers acknowledge, are synced. A lease is lost only by being reclaimed (then complete(), fail()
// and extendLease() of the old holder change nothing); exclusivity therefore holds as long as
// live workers heartbeat, and the database's unique index on running keys backs it.
enum class JobState { Invisible, Pending, Running, Completed, Canceled, Errored };

std::string_view stateName(JobState state);
std::optional<JobState> stateFromName(std::string_view text);

struct Job {
    Id id = 0;
    std::string queue;
    std::string payload; // JSON text, as enqueued
    JobState state = JobState::Pending;
    int priority = 0;
    std::optional<std::int64_t> deadline; // Unix ms
    std::int64_t visibleAt = 0;           // Unix ms
    std::optional<std::string> exclusivityKey;
    int attempts = 0; // started so far, the running one included
    int maxAttempts = 1;
    std::optional<std::string> leaseOwner; // while running
    std::optional<std::int64_t> leaseExpiresAt;
    bool cancelRequested = false; // running, and cancel() was called
    std::optional<std::string> lastError;
    std::int64_t createdAt = 0;
    std::int64_t updatedAt = 0;
    std::optional<std::int64_t> completedAt; // when it reached a final state
};

struct EnqueueOptions {
    static constexpr int kDefaultMaxAttempts = 5;

    int priority = 0;                     // higher runs first among equal deadlines
    std::optional<std::int64_t> deadline; // Unix ms; earlier runs first; none runs after all
    std::optional<std::string> exclusivityKey;
    std::chrono::milliseconds delay{0};    // invisible until now + delay
    int maxAttempts = kDefaultMaxAttempts; // >= 1
};

struct JobFilter {
    std::optional<JobState> state;
    std::optional<std::string> queue;
    int limit = 100;
};

struct JobCount {
    std::string queue;
    JobState state = JobState::Pending;
    std::int64_t count = 0;
};

// Queue names are what handlers register under and what /metrics labels: 1-64 of [A-Za-z0-9._-].
bool isValidQueueName(std::string_view name);

class JobQueue {
public:
    // Unix milliseconds; tests pass a clock they move by hand.
    using Clock = std::function<std::int64_t()>;

    struct Options {
        Clock clock = nowMillis;
        // fail() makes attempt n wait baseBackoff * 2^(n-1), at most maxBackoff, stretched by a
        // random factor in [1, 1 + jitter) so failures that happened together do not retry
        // together.
        std::chrono::milliseconds baseBackoff{2000};
        std::chrono::milliseconds maxBackoff{std::chrono::minutes(15)};
        double jitter = 0.5;
    };

    explicit JobQueue(store::Store& store) : JobQueue(store, Options{}) {}
    JobQueue(store::Store& store, Options options);

    // Adds a job. InvalidArgument for a bad queue name, payload (not JSON), key or attempt bound.
    Result<Job> enqueue(std::string_view queue, std::string payload = "{}", const EnqueueOptions& options = {});
    // As enqueue(), on the caller's connection, so the job commits or rolls back with the
    // caller's transaction (an asset is never stored without its jobs).
    // REQUIRES: the caller holds a write transaction on `db`, or accepts an autocommit INSERT.
    Result<Job> enqueueIn(store::Database& db, std::string_view queue, std::string payload = "{}",
                          const EnqueueOptions& options = {});

    // Claims the best eligible job of `queues` for `workerId` until now + `lease`, in one write
    // transaction: invisible jobs whose time has come become pending, then the first pending job
    // by deadline (none last), priority (higher first) and age whose exclusivity key no running
    // job holds becomes running. nullopt if there is none.
    Result<std::optional<Job>> dequeue(std::string_view workerId, std::chrono::milliseconds lease,
                                       const std::vector<std::string>& queues);

    // The lease holder's operations: `job` is what dequeue() returned (its id and attempt are the
    // lease's fencing token). If the lease was lost — reclaimed after it expired, maybe claimed
    // again, or the job removed — they change nothing and return Conflict (NotFound if removed)
    // saying what happened. A lease that expired but was not reclaimed yet still holds.
    Status complete(const Job& job, std::string_view leaseOwner);
    // Records `error`; returns the job as it is now: Invisible until its backoff passes, or
    // Errored on its last attempt, or Canceled if a cancel was requested.
    Result<Job> fail(const Job& job, std::string_view leaseOwner, std::string_view error);
    // Heartbeat: the lease now ends at now + `lease`.
    Status extendLease(const Job& job, std::string_view leaseOwner, std::chrono::milliseconds lease);

    // Returns running jobs whose lease expired to the queue (Pending, or Errored if that was their
    // last attempt, or Canceled if requested); returns them as they are now.
    Result<std::vector<Job>> reclaimExpiredLeases();

    // For the admin. cancel(): Invisible|Pending -> Canceled; a Running job gets a cancel request
    // (see the state machine). retry(): Errored|Canceled -> Pending with attempts reset.
    // NotFound for an unknown id, Conflict for a job in a state the operation does not apply to.
    Result<Job> cancel(Id id);
    Result<Job> retry(Id id);

    Result<Job> get(Id id);
    // Newest first.
    Result<std::vector<Job>> list(const JobFilter& filter);
    // One entry per (queue, state) that has jobs.
    Result<std::vector<JobCount>> counts();

    std::int64_t now() const { return m_options.clock(); }
    // The wait before the next try after failed attempt `attempt` (1-based), jitter included.
    std::chrono::milliseconds backoff(int attempt) const;

private:
    // The Status for a lease-holder's `operation` on `job` that changed nothing: what happened.
    Status leaseLost(store::Database& db, const Job& job, std::string_view leaseOwner, std::string_view operation);

    store::Store& m_store;
    const Options m_options;
};

} // namespace pinhole::server::jobs
