#include "jobs/jobqueue.h"

#include "store/jobstore.h"

#include <boost/json/parse.hpp>

#include <algorithm>
#include <array>
#include <random>

namespace pinhole::server::jobs {

namespace {

constexpr std::array<std::pair<JobState, std::string_view>, 6> kStateNames{{
    {JobState::Invisible, "invisible"},
    {JobState::Pending, "pending"},
    {JobState::Running, "running"},
    {JobState::Completed, "completed"},
    {JobState::Canceled, "canceled"},
    {JobState::Errored, "errored"},
}};

// Every name in the table above is also in the CHECK of migration 3; a row can hold no other.
JobState stateOf(const std::string& text) {
    return stateFromName(text).value_or(JobState::Errored);
}

Job fromRecord(store::JobRecord r) {
    Job j;
    j.id = r.id;
    j.queue = std::move(r.queue);
    j.payload = std::move(r.payload);
    j.state = stateOf(r.state);
    j.priority = r.priority;
    j.deadline = r.deadline;
    j.visibleAt = r.visibleAt;
    j.exclusivityKey = std::move(r.exclusivityKey);
    j.attempts = r.attempts;
    j.maxAttempts = r.maxAttempts;
    j.leaseOwner = std::move(r.leaseOwner);
    j.leaseExpiresAt = r.leaseExpiresAt;
    j.cancelRequested = r.cancelRequested;
    j.lastError = std::move(r.lastError);
    j.createdAt = r.createdAt;
    j.updatedAt = r.updatedAt;
    j.completedAt = r.completedAt;
    return j;
}

std::vector<Job> fromRecords(std::vector<store::JobRecord> records) {
    std::vector<Job> jobs;
    jobs.reserve(records.size());
    for (auto& r : records)
        jobs.push_back(fromRecord(std::move(r)));
    return jobs;
}

store::JobLease leaseOf(const Job& job, std::string_view owner) {
    return {job.id, owner, job.attempts};
}

// A uniform double in [0, 1), without a lock: each thread has its own generator.
double uniform01() {
    thread_local std::mt19937_64 generator{std::random_device{}()};
    return std::uniform_real_distribution<double>(0.0, 1.0)(generator);
}

std::string jobName(Id id) {
    return "job " + idToString(id);
}

} // namespace

std::string_view stateName(JobState state) {
    for (const auto& [s, name] : kStateNames)
        if (s == state)
            return name;
    return "unknown";
}

std::optional<JobState> stateFromName(std::string_view text) {
    for (const auto& [s, name] : kStateNames)
        if (name == text)
            return s;
    return std::nullopt;
}

bool isValidQueueName(std::string_view name) {
    if (name.empty() || name.size() > 64)
        return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
               c == '-';
    });
}

JobQueue::JobQueue(store::Store& store, Options options) : m_store(store), m_options(std::move(options)) {}

std::chrono::milliseconds JobQueue::backoff(int attempt) const {
    // Doubling from the base, stopping at the cap before it could overflow.
    std::int64_t wait = std::max<std::int64_t>(m_options.baseBackoff.count(), 1);
    const std::int64_t cap = std::max<std::int64_t>(m_options.maxBackoff.count(), wait);
    for (int i = 1; i < attempt && wait < cap; ++i)
        wait *= 2;
    wait = std::min(wait, cap);
    const double stretch = 1.0 + std::max(m_options.jitter, 0.0) * uniform01();
    return std::chrono::milliseconds(static_cast<std::int64_t>(static_cast<double>(wait) * stretch));
}

Result<Job> JobQueue::enqueue(std::string_view queue, std::string payload, const EnqueueOptions& options) {
    auto db = m_store.connection();
    if (!db)
        return db.status();
    return enqueueIn(**db, queue, std::move(payload), options);
}

Result<Job> JobQueue::enqueueIn(store::Database& db, std::string_view queue, std::string payload,
                                const EnqueueOptions& options) {
    if (!isValidQueueName(queue))
        return invalidArgument("a queue name is 1 to 64 of A-Z, a-z, 0-9, '.', '_' and '-', got \"" +
                               std::string(queue) + "\"");
    boost::system::error_code ec;
    boost::json::parse(payload, ec);
    if (ec)
        return invalidArgument("a job's payload must be JSON: " + ec.message());
    if (options.exclusivityKey && options.exclusivityKey->empty())
        return invalidArgument("an exclusivity key must not be empty (leave it out for none)");
    if (options.maxAttempts < 1)
        return invalidArgument("a job needs at least one attempt");
    if (options.delay.count() < 0)
        return invalidArgument("a job's delay must not be negative");

    const std::int64_t now = m_options.clock();
    store::JobRecord r;
    r.id = newId();
    r.queue = std::string(queue);
    r.payload = std::move(payload);
    r.state = std::string(stateName(options.delay.count() > 0 ? JobState::Invisible : JobState::Pending));
    r.priority = options.priority;
    r.deadline = options.deadline;
    r.visibleAt = now + options.delay.count();
    r.exclusivityKey = options.exclusivityKey;
    r.maxAttempts = options.maxAttempts;
    r.createdAt = r.updatedAt = now;
    PINHOLE_TRY(store::insertJob(db, r));
    return fromRecord(std::move(r));
}

Result<std::optional<Job>> JobQueue::dequeue(std::string_view workerId, std::chrono::milliseconds lease,
                                             const std::vector<std::string>& queues) {
    if (workerId.empty())
        return invalidArgument("a worker needs an id to hold a lease");
    if (lease.count() <= 0)
        return invalidArgument("a lease must last longer than zero");
    if (queues.empty())
        return std::optional<Job>();
    auto db = m_store.connection();
    if (!db)
        return db.status();
    store::Transaction tx(**db, store::Durability::Deferred);
    PINHOLE_TRY(tx.status());
    const std::int64_t now = m_options.clock();
    PINHOLE_TRY(store::promoteVisibleJobs(**db, now));
    auto claimed = store::claimNextJob(**db, queues, workerId, now + lease.count(), now);
    if (!claimed)
        return claimed.status();
    PINHOLE_TRY(tx.commit());
    if (!*claimed)
        return std::optional<Job>();
    return std::optional<Job>(fromRecord(std::move(**claimed)));
}

Status JobQueue::leaseLost(store::Database& db, const Job& job, std::string_view leaseOwner,
                           std::string_view operation) {
    const std::string what =
        "cannot " + std::string(operation) + " " + jobName(job.id) + " for " + std::string(leaseOwner) + ": ";
    auto current = store::jobById(db, job.id);
    if (!current)
        return current.status().code() == Code::NotFound ? notFound(what + "it no longer exists") : current.status();
    if (current->state != stateName(JobState::Running))
        return conflict(what + "its lease was lost (it is " + current->state + " now)");
    if (current->leaseOwner != leaseOwner)
        return conflict(what + "its lease was lost (it is leased to " + current->leaseOwner.value_or("nobody") +
                        " now)");
    return conflict(what + "its lease of attempt " + std::to_string(job.attempts) +
                    " was lost (it expired and the job was claimed again: attempt " +
                    std::to_string(current->attempts) + ")");
}

Status JobQueue::complete(const Job& job, std::string_view leaseOwner) {
    auto db = m_store.connection();
    if (!db)
        return db.status();
    store::Transaction tx(**db, store::Durability::Deferred);
    PINHOLE_TRY(tx.status());
    auto done = store::completeLeasedJob(**db, leaseOf(job, leaseOwner), m_options.clock());
    if (!done)
        return done.status();
    if (!*done)
        return leaseLost(**db, job, leaseOwner, "complete");
    return tx.commit();
}

Result<Job> JobQueue::fail(const Job& job, std::string_view leaseOwner, std::string_view error) {
    auto db = m_store.connection();
    if (!db)
        return db.status();
    store::Transaction tx(**db, store::Durability::Deferred);
    PINHOLE_TRY(tx.status());
    const std::int64_t now = m_options.clock();
    const std::int64_t retryAt = now + backoff(job.attempts).count();
    auto failed = store::failLeasedJob(**db, leaseOf(job, leaseOwner), error, retryAt, now);
    if (!failed)
        return failed.status();
    if (!*failed)
        return leaseLost(**db, job, leaseOwner, "fail");
    PINHOLE_TRY(tx.commit());
    return fromRecord(std::move(**failed));
}

Status JobQueue::extendLease(const Job& job, std::string_view leaseOwner, std::chrono::milliseconds lease) {
    if (lease.count() <= 0)
        return invalidArgument("a lease must last longer than zero");
    auto db = m_store.connection();
    if (!db)
        return db.status();
    store::Transaction tx(**db, store::Durability::Deferred);
    PINHOLE_TRY(tx.status());
    const std::int64_t now = m_options.clock();
    auto extended = store::extendJobLease(**db, leaseOf(job, leaseOwner), now + lease.count(), now);
    if (!extended)
        return extended.status();
    if (!*extended)
        return leaseLost(**db, job, leaseOwner, "extend the lease of");
    return tx.commit();
}

Result<std::vector<Job>> JobQueue::reclaimExpiredLeases() {
    auto db = m_store.connection();
    if (!db)
        return db.status();
    store::Transaction tx(**db, store::Durability::Deferred);
    PINHOLE_TRY(tx.status());
    auto reclaimed = store::reclaimExpiredJobs(**db, m_options.clock());
    if (!reclaimed)
        return reclaimed.status();
    PINHOLE_TRY(tx.commit());
    return fromRecords(std::move(reclaimed).value());
}

Result<Job> JobQueue::cancel(Id id) {
    auto db = m_store.connection();
    if (!db)
        return db.status();
    store::Transaction tx(**db);
    PINHOLE_TRY(tx.status());
    auto canceled = store::cancelJob(**db, id, m_options.clock());
    if (!canceled)
        return canceled.status();
    if (!*canceled) {
        auto job = store::jobById(**db, id);
        if (!job)
            return job.status();
        return conflict(jobName(id) + " is " + job->state +
                        ": only invisible, pending or running jobs can be canceled");
    }
    PINHOLE_TRY(tx.commit());
    return fromRecord(std::move(**canceled));
}

Result<Job> JobQueue::retry(Id id) {
    auto db = m_store.connection();
    if (!db)
        return db.status();
    store::Transaction tx(**db);
    PINHOLE_TRY(tx.status());
    auto retried = store::retryJob(**db, id, m_options.clock());
    if (!retried)
        return retried.status();
    if (!*retried) {
        auto job = store::jobById(**db, id);
        if (!job)
            return job.status();
        return conflict(jobName(id) + " is " + job->state + ": only errored or canceled jobs can be retried");
    }
    PINHOLE_TRY(tx.commit());
    return fromRecord(std::move(**retried));
}

Result<Job> JobQueue::get(Id id) {
    auto db = m_store.connection();
    if (!db)
        return db.status();
    auto job = store::jobById(**db, id);
    if (!job)
        return job.status();
    return fromRecord(std::move(job).value());
}

Result<std::vector<Job>> JobQueue::list(const JobFilter& filter) {
    if (filter.limit < 1)
        return invalidArgument("a job listing's limit must be at least 1");
    store::JobRecordFilter f;
    if (filter.state)
        f.state = std::string(stateName(*filter.state));
    f.queue = filter.queue;
    f.limit = filter.limit;
    auto db = m_store.connection();
    if (!db)
        return db.status();
    auto jobs = store::listJobs(**db, f);
    if (!jobs)
        return jobs.status();
    return fromRecords(std::move(jobs).value());
}

Result<std::vector<JobCount>> JobQueue::counts() {
    auto db = m_store.connection();
    if (!db)
        return db.status();
    auto rows = store::countJobs(**db);
    if (!rows)
        return rows.status();
    std::vector<JobCount> counts;
    counts.reserve(rows->size());
    for (auto& row : *rows)
        counts.push_back({std::move(row.queue), stateOf(row.state), row.count});
    return counts;
}

} // namespace pinhole::server::jobs
