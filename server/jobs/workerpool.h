// The worker threads that run the job queue: each takes the best eligible job (JobQueue::dequeue),
// runs the handler registered for its queue, and completes or fails it from the handler's Status.
// A supervisor thread heartbeats the leases of handlers running longer than half a lease and
// returns expired leases (of workers that died, here or in an earlier process) to the queue.
//
// Threading: registerHandler() before start(); the handler table is read-only afterwards, so
// workers read it without a lock. start(), requestStop() and stop() belong to one controlling
// thread (the daemon's). enqueue(), enqueueIn() and wake() may be called from any thread, handlers
// included. Handlers run on the worker threads, one job per worker at a time; two handlers of one
// queue may run at once, never two jobs with the same exclusivity key.
//
// Adding a kind of job: pick a queue name, register a handler for it before start(), and enqueue
// jobs there (through the pool, so an idle worker wakes at once):
//     pool.registerHandler("export-xmp", [&](const jobs::Job& job) { return exporter.run(job.payload); });
//     pool.enqueue("export-xmp", R"({"asset_id":"42"})", {.exclusivityKey = "42"});
// A handler returns Status::ok() when done, or a failure to be retried with backoff (its message
// is kept as the job's last error); an exception that escapes it counts as a failure.
#pragma once

#include "core/status.h"
#include "jobs/jobqueue.h"
#include "store/database.h"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace pinhole::server::jobs {

struct WorkerPoolOptions {
    unsigned workers = 0; // 0: one per core
    // The workers' CPU niceness (0..19, Linux per-thread; threads they start inherit it): image
    // work yields the cores to request handlers, so uploads and reads stay fast while derivatives
    // are made.
    int nice = 10;
    // How long a claimed job stays leased without a heartbeat (at least 10 ms); a running
    // handler's lease is renewed every half lease.
    std::chrono::milliseconds lease{std::chrono::seconds(60)};
    // An idle worker looks for work at least this often even unwoken (at least 1 ms): another
    // process (the admin command) may enqueue or retry, and a failed job's backoff ends without a
    // notification.
    std::chrono::milliseconds pollInterval{std::chrono::seconds(2)};
    // How often expired leases are reclaimed; 0: every half lease.
    std::chrono::milliseconds reclaimInterval{0};
    // Prefix of the workers' lease owner names ("<prefix>/w3"); empty: "<hostname>:<pid>".
    std::string ownerPrefix;
};

class WorkerPool {
public:
    using Handler = std::function<Status(const Job&)>;

    WorkerPool(JobQueue& queue, WorkerPoolOptions options);
    // Stops the pool (see stop()).
    ~WorkerPool();
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    // REQUIRES: before start(). InvalidArgument for a bad queue name, Conflict for a second
    // handler of one queue.
    Status registerHandler(std::string queue, Handler handler);

    // Starts the workers and the supervisor. With no handler registered there is nothing to run
    // and no thread is started. REQUIRES: called once.
    void start();
    // Returns at once: idle workers exit, busy ones exit after their current job; no job is
    // taken after this. Queued jobs stay queued (they are durable).
    void requestStop();
    // requestStop(), then waits for the running handlers to finish and be completed or failed
    // (their leases heartbeated meanwhile), and joins every thread. Idempotent.
    void stop();

    // JobQueue's enqueue, then wakes an idle worker. enqueueIn's job becomes visible when the
    // caller commits: the woken worker's dequeue waits for that write transaction to end.
    Result<Job> enqueue(std::string_view queue, std::string payload = "{}", const EnqueueOptions& options = {});
    Result<Job> enqueueIn(store::Database& db, std::string_view queue, std::string payload = "{}",
                          const EnqueueOptions& options = {});
    // Tells idle workers there may be work (after a retry, say).
    void wake();

    unsigned workerCount() const { return m_workerCount; }
    JobQueue& queue() { return m_queue; }

private:
    using SteadyClock = std::chrono::steady_clock;

    // A job a worker is running, for the supervisor's heartbeats.
    struct Running {
        Job job;
        SteadyClock::time_point nextHeartbeat;
        bool leaseLost = false; // a heartbeat was refused: stop trying
    };

    void workerLoop(unsigned index);
    void runJob(unsigned index, const Job& job);
    void supervisorLoop();
    void heartbeatDueLeases(SteadyClock::time_point now);
    void reclaimExpiredLeases();
    SteadyClock::duration heartbeatPeriod() const { return m_options.lease / 2; }

    JobQueue& m_queue;
    const WorkerPoolOptions m_options;
    const unsigned m_workerCount;
    std::vector<std::string> m_owners;                      // per worker; fixed at construction
    std::map<std::string, Handler, std::less<>> m_handlers; // written before start() only
    std::vector<std::string> m_queueNames;                  // m_handlers' keys, fixed by start()

    std::mutex m_mutex;                   // guards everything below
    std::condition_variable m_work;       // workers wait here: m_generation or m_stopping changed
    std::condition_variable m_supervisor; // the supervisor waits here
    std::uint64_t m_generation = 0;       // bumped whenever there may be new work
    bool m_started = false;
    bool m_stopping = false;                       // no more jobs are taken
    bool m_supervisorStopping = false;             // set once every worker has exited
    std::vector<std::optional<Running>> m_running; // per worker
    std::vector<std::thread> m_workers;
    std::thread m_supervisorThread;
};

} // namespace pinhole::server::jobs
