#include "jobs/workerpool.h"

#include "core/log.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <exception>

namespace pinhole::server::jobs {

namespace {

// Raises intervals that would turn a wait into a spin: a zero poll interval, or a lease so short
// that half of it is no time at all.
WorkerPoolOptions sane(WorkerPoolOptions o) {
    o.lease = std::max(o.lease, std::chrono::milliseconds(10));
    o.pollInterval = std::max(o.pollInterval, std::chrono::milliseconds(1));
    o.reclaimInterval = std::max(o.reclaimInterval, std::chrono::milliseconds(0));
    return o;
}

unsigned workersFor(unsigned requested) {
    if (requested > 0)
        return requested;
    return std::max(1u, std::thread::hardware_concurrency());
}

std::string defaultOwnerPrefix() {
    char host[256] = {};
    if (::gethostname(host, sizeof host - 1) != 0)
        host[0] = '\0';
    return std::string(host[0] ? host : "localhost") + ":" + std::to_string(::getpid());
}

// Runs the handler; an exception that escapes it is a failure like any other, with its message.
Status runHandler(const WorkerPool::Handler& handler, const Job& job) {
    try {
        return handler(job);
    } catch (const std::exception& e) {
        return internalError(std::string("uncaught exception: ") + e.what());
    } catch (...) {
        return internalError("uncaught exception of a type not derived from std::exception");
    }
}

} // namespace

WorkerPool::WorkerPool(JobQueue& queue, WorkerPoolOptions options)
    : m_queue(queue), m_options(sane(std::move(options))), m_workerCount(workersFor(m_options.workers)),
      m_running(m_workerCount) {
    const std::string prefix = m_options.ownerPrefix.empty() ? defaultOwnerPrefix() : m_options.ownerPrefix;
    for (unsigned i = 0; i < m_workerCount; ++i)
        m_owners.push_back(prefix + "/w" + std::to_string(i));
}

WorkerPool::~WorkerPool() {
    stop();
}

Status WorkerPool::registerHandler(std::string queue, Handler handler) {
    if (!isValidQueueName(queue))
        return invalidArgument("a queue name is 1 to 64 of A-Z, a-z, 0-9, '.', '_' and '-', got \"" + queue + "\"");
    if (!handler)
        return invalidArgument("a job handler must be callable");
    std::lock_guard lock(m_mutex);
    if (m_started)
        return conflict("job handlers must be registered before the worker pool starts");
    if (!m_handlers.emplace(queue, std::move(handler)).second)
        return conflict("queue \"" + queue + "\" has a handler already");
    return Status::ok();
}

void WorkerPool::start() {
    std::lock_guard lock(m_mutex);
    if (m_started)
        return;
    m_started = true;
    if (m_handlers.empty()) {
        log::info("job_workers_idle", {{"reason", "no job handlers registered"}});
        return;
    }
    for (const auto& [name, handler] : m_handlers)
        m_queueNames.push_back(name);
    for (unsigned i = 0; i < m_workerCount; ++i)
        m_workers.emplace_back([this, i] { workerLoop(i); });
    m_supervisorThread = std::thread([this] { supervisorLoop(); });
    log::info("job_workers_started", {{"workers", m_workerCount},
                                      {"lease_ms", static_cast<long long>(m_options.lease.count())},
                                      {"queues", static_cast<long long>(m_queueNames.size())}});
}

void WorkerPool::requestStop() {
    std::lock_guard lock(m_mutex);
    m_stopping = true;
    m_work.notify_all();
}

void WorkerPool::stop() {
    requestStop();
    // The supervisor keeps heartbeating while the last handlers finish, so it stops after them.
    for (auto& worker : m_workers)
        worker.join();
    m_workers.clear();
    {
        std::lock_guard lock(m_mutex);
        m_supervisorStopping = true;
        m_supervisor.notify_all();
    }
    if (m_supervisorThread.joinable())
        m_supervisorThread.join();
}

void WorkerPool::wake() {
    std::lock_guard lock(m_mutex);
    ++m_generation;
    m_work.notify_one();
}

Result<Job> WorkerPool::enqueue(std::string_view queue, std::string payload, const EnqueueOptions& options) {
    auto job = m_queue.enqueue(queue, std::move(payload), options);
    if (job)
        wake();
    return job;
}

Result<Job> WorkerPool::enqueueIn(store::Database& db, std::string_view queue, std::string payload,
                                  const EnqueueOptions& options) {
    auto job = m_queue.enqueueIn(db, queue, std::move(payload), options);
    if (job)
        wake();
    return job;
}

void WorkerPool::workerLoop(unsigned index) {
    const std::string& owner = m_owners[index];
    if (m_options.nice > 0 && ::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), m_options.nice) != 0)
        log::warn("job_worker_nice_failed", {{"error", std::strerror(errno)}});
    for (;;) {
        std::uint64_t seen = 0;
        {
            std::lock_guard lock(m_mutex);
            if (m_stopping)
                return;
            seen = m_generation; // read before dequeue: work enqueued during it is not missed
        }
        auto job = m_queue.dequeue(owner, m_options.lease, m_queueNames);
        if (job && *job) {
            runJob(index, **job);
            continue;
        }
        if (!job)
            log::warn("job_dequeue_failed", {{"worker", owner}, {"error", job.status().message()}});
        std::unique_lock lock(m_mutex);
        m_work.wait_for(lock, m_options.pollInterval, [&] { return m_stopping || m_generation != seen; });
    }
}

void WorkerPool::runJob(unsigned index, const Job& job) {
    const std::string& owner = m_owners[index];
    const std::string id = idToString(job.id);
    {
        std::lock_guard lock(m_mutex);
        m_running[index] = Running{job, SteadyClock::now() + heartbeatPeriod(), false};
        m_supervisor.notify_all(); // its next wake-up may now be this job's heartbeat
    }
    log::debug("job_started", {{"job", id}, {"queue", job.queue}, {"attempt", job.attempts}, {"worker", owner}});
    const auto started = SteadyClock::now();

    const auto handler = m_handlers.find(job.queue); // read-only since start()
    const Status result = handler == m_handlers.end()
                              ? internalError("no handler is registered for queue \"" + job.queue + "\"")
                              : runHandler(handler->second, job);

    {
        std::lock_guard lock(m_mutex);
        m_running[index].reset(); // before reporting, so no heartbeat races the final state
    }
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(SteadyClock::now() - started).count();
    if (result) {
        if (Status s = m_queue.complete(job, owner); !s)
            log::warn("job_result_refused", {{"job", id}, {"queue", job.queue}, {"error", s.message()}});
        else
            log::info("job_completed", {{"job", id}, {"queue", job.queue}, {"attempt", job.attempts}, {"ms", ms}});
        return;
    }
    auto failed = m_queue.fail(job, owner, result.message());
    if (!failed) {
        log::warn("job_result_refused", {{"job", id},
                                         {"queue", job.queue},
                                         {"error", failed.status().message()},
                                         {"handler_error", result.message()}});
        return;
    }
    if (failed->state == JobState::Invisible)
        log::warn("job_failed", {{"job", id},
                                 {"queue", job.queue},
                                 {"attempt", job.attempts},
                                 {"max_attempts", job.maxAttempts},
                                 {"error", result.message()},
                                 {"retry_in_ms", static_cast<long long>(failed->visibleAt - m_queue.now())}});
    else
        log::error("job_ended", {{"job", id},
                                 {"queue", job.queue},
                                 {"state", stateName(failed->state)},
                                 {"attempt", job.attempts},
                                 {"error", result.message()}});
}

void WorkerPool::supervisorLoop() {
    const auto reclaimEvery = m_options.reclaimInterval.count() > 0 ? SteadyClock::duration(m_options.reclaimInterval)
                                                                    : SteadyClock::duration(heartbeatPeriod());
    auto nextReclaim = SteadyClock::now(); // at once: leases a previous process left behind
    for (;;) {
        const auto now = SteadyClock::now();
        if (now >= nextReclaim) {
            reclaimExpiredLeases();
            nextReclaim = now + reclaimEvery;
        }
        heartbeatDueLeases(now);

        std::unique_lock lock(m_mutex);
        if (m_supervisorStopping)
            return;
        auto wakeAt = nextReclaim;
        for (const auto& running : m_running)
            if (running && !running->leaseLost)
                wakeAt = std::min(wakeAt, running->nextHeartbeat);
        // Woken early by a job starting (its heartbeat may be due sooner) or by stop().
        m_supervisor.wait_until(lock, wakeAt);
    }
}

void WorkerPool::heartbeatDueLeases(SteadyClock::time_point now) {
    std::vector<std::pair<unsigned, Job>> due;
    {
        std::lock_guard lock(m_mutex);
        for (unsigned i = 0; i < m_running.size(); ++i) {
            auto& running = m_running[i];
            if (running && !running->leaseLost && running->nextHeartbeat <= now) {
                due.emplace_back(i, running->job);
                running->nextHeartbeat = now + heartbeatPeriod();
            }
        }
    }
    for (const auto& [index, job] : due) {
        const Status s = m_queue.extendLease(job, m_owners[index], m_options.lease);
        if (s)
            continue;
        std::lock_guard lock(m_mutex);
        auto& running = m_running[index];
        if (!running || running->job.id != job.id || running->job.attempts != job.attempts)
            continue; // it finished meanwhile: the refusal is only the race with its completion
        if (s.code() == Code::Conflict || s.code() == Code::NotFound) {
            // The handler cannot be interrupted; its complete() or fail() will be refused too.
            running->leaseLost = true;
            log::warn("job_lease_lost", {{"job", idToString(job.id)}, {"queue", job.queue}, {"error", s.message()}});
        } else {
            // A transient failure (the database busy): try again soon, well within the lease.
            running->nextHeartbeat = now + heartbeatPeriod() / 4;
            log::warn("job_heartbeat_failed", {{"job", idToString(job.id)}, {"error", s.message()}});
        }
    }
}

void WorkerPool::reclaimExpiredLeases() {
    auto reclaimed = m_queue.reclaimExpiredLeases();
    if (!reclaimed) {
        log::warn("job_reclaim_failed", {{"error", reclaimed.status().message()}});
        return;
    }
    for (const auto& job : *reclaimed)
        log::warn("job_lease_expired", {{"job", idToString(job.id)},
                                        {"queue", job.queue},
                                        {"state", stateName(job.state)},
                                        {"attempts", job.attempts},
                                        {"error", job.lastError.value_or("")}});
    if (reclaimed->empty())
        return;
    std::lock_guard lock(m_mutex);
    ++m_generation;
    m_work.notify_all();
}

} // namespace pinhole::server::jobs
