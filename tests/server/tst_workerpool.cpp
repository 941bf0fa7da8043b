// The worker pool: handlers run per queue, a failure (or an escaped exception) is retried and
// then errored, a dead worker's job is run again, long handlers keep their lease by heartbeat,
// jobs on one key never overlap under several workers, and stop() finishes what is in flight.
// Threads meet through condition variables and latches; a timeout only bounds a failing test.
#include "core/log.h"
#include "jobs/jobqueue.h"
#include "jobs/workerpool.h"
#include "store/store.h"

#include <sys/resource.h>
#include <unistd.h>

#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <array>
#include <atomic>
#include <condition_variable>
#include <latch>
#include <mutex>
#include <stdexcept>
#include <thread>

using namespace pinhole::server;
using namespace pinhole::server::jobs;
using namespace std::chrono_literals;

namespace pinhole::server::jobs {
// Readable QCOMPARE failures: "running" rather than 2.
char* toString(JobState state) {
    return qstrdup(std::string(stateName(state)).c_str());
}
} // namespace pinhole::server::jobs

namespace {

// A count another thread waits to reach zero; the wait is bounded so a broken pool fails the
// test instead of hanging it.
class Countdown {
public:
    explicit Countdown(int count) : m_count(count) {}
    void countDown() {
        std::lock_guard lock(m_mutex);
        if (--m_count <= 0)
            m_zero.notify_all();
    }
    bool wait(std::chrono::seconds bound = 120s) {
        std::unique_lock lock(m_mutex);
        return m_zero.wait_for(lock, bound, [this] { return m_count <= 0; });
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_zero;
    int m_count;
};

// A gate handlers wait at until the test opens it.
class Gate {
public:
    void open() {
        std::lock_guard lock(m_mutex);
        m_open = true;
        m_opened.notify_all();
    }
    bool wait(std::chrono::seconds bound = 120s) {
        std::unique_lock lock(m_mutex);
        return m_opened.wait_for(lock, bound, [this] { return m_open; });
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_opened;
    bool m_open = false;
};

void atomicMax(std::atomic<int>& max, int value) {
    int seen = max.load();
    while (value > seen && !max.compare_exchange_weak(seen, value)) {
    }
}

} // namespace

class TestWorkerPool : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    int m_databases = 0;
    std::unique_ptr<store::Store> m_store;
    std::unique_ptr<JobQueue> m_queue;
    std::atomic<std::int64_t> m_fakeNow{0}; // for tests that drive the queue's clock

    static WorkerPoolOptions poolOptions(unsigned workers) {
        WorkerPoolOptions o;
        o.workers = workers;
        o.lease = 60s;
        o.pollInterval = 50ms; // how soon an idle worker notices that a retry's backoff ended
        o.ownerPrefix = "test";
        return o;
    }
    JobQueue::Options fastRetries(JobQueue::Clock clock = nowMillis) {
        JobQueue::Options o;
        o.clock = std::move(clock);
        o.baseBackoff = 1ms;
        o.maxBackoff = 1ms;
        o.jitter = 0;
        return o;
    }
    Job get(Id id) {
        auto job = m_queue->get(id);
        if (!job)
            qFatal("get failed: %s", job.status().message().c_str());
        return *job;
    }
    std::int64_t count(JobState state) {
        const auto counts = m_queue->counts();
        if (!counts)
            qFatal("counts failed: %s", counts.status().message().c_str());
        std::int64_t n = 0;
        for (const auto& c : counts.value())
            if (c.state == state)
                n += c.count;
        return n;
    }

private slots:
    void initTestCase() { log::setMinimumLevel(log::Level::Warn); } // failures and retries only
    void init() {
        auto store =
            store::Store::open((m_dir.path() + "/pool" + QString::number(++m_databases) + ".db").toStdString());
        QVERIFY(store.isOk());
        m_store = std::move(store).value();
        m_queue = std::make_unique<JobQueue>(*m_store, fastRetries());
    }
    void cleanup() {
        m_queue.reset();
        m_store.reset();
    }

    void defaultsToOneWorkerPerCore() {
        WorkerPool pool(*m_queue, {});
        QCOMPARE(pool.workerCount(), std::max(1u, std::thread::hardware_concurrency()));
    }

    // Image work must yield the cores to request handlers: handlers (and the threads they
    // start, like libvips' workers) run at the pool's niceness, the caller's thread does not.
    void handlersRunAtTheConfiguredNiceness() {
        WorkerPoolOptions options = poolOptions(1);
        options.nice = 7;
        WorkerPool pool(*m_queue, options);
        Countdown done(1);
        std::atomic<int> handlerNice{-100}, childNice{-100};
        QVERIFY(pool.registerHandler("derive",
                                     [&](const Job&) {
                                         handlerNice = ::getpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()));
                                         std::thread([&] {
                                             childNice = ::getpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()));
                                         }).join();
                                         done.countDown();
                                         return Status::ok();
                                     })
                    .isOk());
        const int callerNice = ::getpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()));
        pool.start();
        QVERIFY(pool.enqueue("derive", "{}").isOk());
        QVERIFY(done.wait());
        pool.stop();
        QCOMPARE(handlerNice.load(), 7);
        QCOMPARE(childNice.load(), 7);
        QCOMPARE(::getpriority(PRIO_PROCESS, static_cast<id_t>(::gettid())), callerNice);
    }

    void handlersAreRegisteredOncePerQueueBeforeStart() {
        WorkerPool pool(*m_queue, poolOptions(1));
        const auto ok = [](const Job&) { return Status::ok(); };
        QVERIFY(pool.registerHandler("derive", ok).isOk());
        QCOMPARE(pool.registerHandler("derive", ok).code(), Code::Conflict);
        QCOMPARE(pool.registerHandler("bad name", ok).code(), Code::InvalidArgument);
        pool.start();
        QCOMPARE(pool.registerHandler("later", ok).code(), Code::Conflict);
        pool.stop();
    }

    void runsEachJobThroughItsQueuesHandler() {
        WorkerPool pool(*m_queue, poolOptions(2));
        Countdown done(4);
        std::mutex mutex;
        std::vector<std::string> seen; // guarded by mutex
        const auto record = [&](const char* queue) {
            return [&, queue](const Job& job) {
                {
                    std::lock_guard lock(mutex);
                    seen.push_back(std::string(queue) + ":" + job.payload);
                }
                done.countDown();
                return Status::ok();
            };
        };
        QVERIFY(pool.registerHandler("alpha", record("alpha")).isOk());
        QVERIFY(pool.registerHandler("beta", record("beta")).isOk());
        pool.start();
        QVERIFY(pool.enqueue("alpha", "1").isOk());
        QVERIFY(pool.enqueue("beta", "2").isOk());
        QVERIFY(pool.enqueue("alpha", "3").isOk());
        QVERIFY(pool.enqueue("beta", "4").isOk());
        QVERIFY(done.wait());
        pool.stop(); // the last complete() is recorded before stop() returns
        std::sort(seen.begin(), seen.end());
        QCOMPARE(seen, (std::vector<std::string>{"alpha:1", "alpha:3", "beta:2", "beta:4"}));
        QCOMPARE(count(JobState::Completed), std::int64_t(4));
    }

    void jobsOfQueuesWithoutAHandlerAreLeftAlone() {
        WorkerPool pool(*m_queue, poolOptions(1));
        Countdown done(1);
        QVERIFY(pool.registerHandler("mine",
                                     [&](const Job&) {
                                         done.countDown();
                                         return Status::ok();
                                     })
                    .isOk());
        const Job foreign = *m_queue->enqueue("someone-elses");
        pool.start();
        QVERIFY(pool.enqueue("mine").isOk());
        QVERIFY(done.wait());
        pool.stop();
        QCOMPARE(get(foreign.id).state, JobState::Pending);
    }

    void failingHandlerIsRetriedThenErrorsWithItsLastError() {
        WorkerPool pool(*m_queue, poolOptions(1));
        Countdown tried(3);
        std::atomic<int> attempts{0};
        QVERIFY(pool.registerHandler("flaky",
                                     [&](const Job& job) {
                                         attempts = job.attempts;
                                         tried.countDown();
                                         return internalError("disk full, attempt " + std::to_string(job.attempts));
                                     })
                    .isOk());
        EnqueueOptions o;
        o.maxAttempts = 3;
        pool.start();
        const Job job = *pool.enqueue("flaky", "{}", o);
        QVERIFY(tried.wait());
        pool.stop();
        QCOMPARE(attempts.load(), 3);
        const Job after = get(job.id);
        QCOMPARE(after.state, JobState::Errored);
        QCOMPARE(after.lastError, std::optional<std::string>("disk full, attempt 3"));
    }

    void escapedExceptionIsAFailureWithItsMessage() {
        WorkerPool pool(*m_queue, poolOptions(1));
        Countdown thrown(1);
        QVERIFY(pool.registerHandler("throws",
                                     [&](const Job&) -> Status {
                                         thrown.countDown();
                                         throw std::runtime_error("kaboom in the decoder");
                                     })
                    .isOk());
        EnqueueOptions once;
        once.maxAttempts = 1;
        pool.start();
        const Job job = *pool.enqueue("throws", "{}", once);
        QVERIFY(thrown.wait());
        pool.stop();
        const Job after = get(job.id);
        QCOMPARE(after.state, JobState::Errored);
        QVERIFY2(after.lastError->find("kaboom in the decoder") != std::string::npos, after.lastError->c_str());
    }

    // A worker of an earlier process claimed a job and died: once its lease has expired the pool
    // reclaims the job and runs it again. The queue's clock is the test's.
    void jobOfADeadWorkerIsRunAgain() {
        m_fakeNow = 1700000000000;
        m_queue = std::make_unique<JobQueue>(*m_store, fastRetries([this] { return m_fakeNow.load(); }));
        const Job job = *m_queue->enqueue("derive", "{}");
        QVERIFY(m_queue->dequeue("dead-process/w0", 1000ms, {"derive"})->has_value());
        m_fakeNow += 1000;

        WorkerPool pool(*m_queue, poolOptions(1));
        Countdown ran(1);
        std::atomic<int> attempt{0};
        QVERIFY(pool.registerHandler("derive",
                                     [&](const Job& j) {
                                         attempt = j.attempts;
                                         ran.countDown();
                                         return Status::ok();
                                     })
                    .isOk());
        pool.start(); // the supervisor reclaims at once
        QVERIFY(ran.wait());
        pool.stop();
        QCOMPARE(attempt.load(), 2);
        QCOMPARE(get(job.id).state, JobState::Completed);
    }

    // A handler running longer than its lease keeps the job: the supervisor extends the lease
    // every half lease, so it is never reclaimed and its completion is accepted.
    void longHandlerKeepsItsLeaseByHeartbeat() {
        WorkerPoolOptions o = poolOptions(1);
        o.lease = 3000ms;
        WorkerPool pool(*m_queue, o);
        Countdown started(1);
        Gate release;
        QVERIFY(pool.registerHandler("long",
                                     [&](const Job&) {
                                         started.countDown();
                                         release.wait();
                                         return Status::ok();
                                     })
                    .isOk());
        pool.start();
        const Job job = *pool.enqueue("long");
        QVERIFY(started.wait());
        const std::int64_t firstExpiry = *get(job.id).leaseExpiresAt;
        // Observed, not slept on: the heartbeat moves the lease, then the clock passes the first.
        QTRY_VERIFY_WITH_TIMEOUT(get(job.id).leaseExpiresAt.value_or(0) > firstExpiry, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(m_queue->now() > firstExpiry, 60000);
        QVERIFY(m_queue->reclaimExpiredLeases()->empty());
        QCOMPARE(get(job.id).state, JobState::Running);
        release.open();
        pool.stop();
        const Job after = get(job.id);
        QCOMPARE(after.state, JobState::Completed);
        QCOMPARE(after.attempts, 1);
    }

    // Hundreds of jobs on a few keys, several workers: per key, never more than one handler at a
    // time. The first kWorkers handlers meet at a latch, proving the workers do run side by side.
    void jobsWithOneKeyNeverOverlapAcrossWorkers() {
        constexpr unsigned kWorkers = 4;
        constexpr int kKeys = 8;
        constexpr int kJobs = 320;
        WorkerPool pool(*m_queue, poolOptions(kWorkers));
        std::array<std::atomic<int>, kKeys> running{};
        std::array<std::atomic<int>, kKeys> maxRunning{};
        std::atomic<int> runningAll{0};
        std::atomic<int> maxAll{0};
        std::atomic<int> calls{0};
        std::latch together(kWorkers);
        Countdown done(kJobs);
        QVERIFY(pool.registerHandler("derive",
                                     [&](const Job& job) {
                                         const int key = std::stoi(*job.exclusivityKey);
                                         atomicMax(maxRunning[key], ++running[key]);
                                         atomicMax(maxAll, ++runningAll);
                                         if (calls++ < static_cast<int>(kWorkers))
                                             together.arrive_and_wait(); // the first kWorkers jobs run at once
                                         for (int i = 0; i < 50; ++i)
                                             std::this_thread::yield(); // widen the window a second runner would hit
                                         --runningAll;
                                         --running[key];
                                         done.countDown();
                                         return Status::ok();
                                     })
                    .isOk());
        // Jobs of one key are enqueued together, so they come next to each other in dequeue order:
        // without exclusivity the first kWorkers jobs, all on key 0, would meet at the latch.
        for (int i = 0; i < kJobs; ++i) {
            EnqueueOptions o;
            o.exclusivityKey = std::to_string(i * kKeys / kJobs);
            QVERIFY(m_queue->enqueue("derive", "{}", o).isOk());
        }
        pool.start();
        QVERIFY(done.wait());
        pool.stop();
        for (int key = 0; key < kKeys; ++key)
            QCOMPARE(maxRunning[key].load(), 1);
        QCOMPARE(maxAll.load(), static_cast<int>(kWorkers));
        QCOMPARE(calls.load(), kJobs);
        QCOMPARE(count(JobState::Completed), std::int64_t(kJobs));
    }

    // stop() with a handler mid-job: no further job is taken, the running one finishes and is
    // recorded before stop() returns, and the rest stay queued.
    void stopFinishesTheRunningJobAndTakesNoMore() {
        WorkerPool pool(*m_queue, poolOptions(1));
        Countdown started(1);
        Gate release;
        std::atomic<int> calls{0};
        std::atomic<bool> stopReturned{false};
        std::atomic<bool> stopHadReturnedWhenTheHandlerEnded{false};
        QVERIFY(pool.registerHandler("work",
                                     [&](const Job&) {
                                         ++calls;
                                         started.countDown();
                                         release.wait();
                                         stopHadReturnedWhenTheHandlerEnded = stopReturned.load();
                                         return Status::ok();
                                     })
                    .isOk());
        pool.start();
        const Job first = *pool.enqueue("work");
        QVERIFY(started.wait());
        const Job second = *pool.enqueue("work");
        const Job third = *pool.enqueue("work");
        pool.requestStop();
        std::thread stopper([&] {
            pool.stop();
            stopReturned = true;
        });
        release.open();
        stopper.join();
        QVERIFY(!stopHadReturnedWhenTheHandlerEnded.load());
        QCOMPARE(calls.load(), 1);
        QCOMPARE(get(first.id).state, JobState::Completed);
        QCOMPARE(get(second.id).state, JobState::Pending);
        QCOMPARE(get(third.id).state, JobState::Pending);
    }

    // Idle workers are woken by stop(), not left to their poll interval (an hour here: the test
    // would time out).
    void stopWakesIdleWorkers() {
        WorkerPoolOptions o = poolOptions(3);
        o.pollInterval = std::chrono::hours(1);
        WorkerPool pool(*m_queue, o);
        QVERIFY(pool.registerHandler("idle", [](const Job&) { return Status::ok(); }).isOk());
        pool.start();
        pool.stop();
        pool.stop(); // idempotent
    }

    // Enqueue through the pool wakes an idle worker at once (an hour's poll would time out).
    void enqueueWakesAnIdleWorker() {
        WorkerPoolOptions o = poolOptions(2);
        o.pollInterval = std::chrono::hours(1);
        WorkerPool pool(*m_queue, o);
        Countdown ran(2);
        QVERIFY(pool.registerHandler("q",
                                     [&](const Job&) {
                                         ran.countDown();
                                         return Status::ok();
                                     })
                    .isOk());
        pool.start();
        QVERIFY(pool.enqueue("q").isOk());
        auto db = m_store->connection();
        {
            store::Transaction tx(**db);
            QVERIFY(pool.enqueueIn(**db, "q").isOk());
            QVERIFY(tx.commit().isOk());
        }
        QVERIFY(ran.wait());
        pool.stop();
    }
};

QTEST_APPLESS_MAIN(TestWorkerPool)
#include "tst_workerpool.moc"
