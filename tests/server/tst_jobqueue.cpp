// The durable job queue on a clock the test drives: dequeue order (deadline, priority, age),
// delays, leases that expire and return the job (a killed worker), bounded attempts with growing
// backoff, exclusivity keys (in dequeue and in the database itself), lost leases that change
// nothing, cancel and retry, and the counts /metrics reports.
#include "core/log.h"
#include "jobs/jobmetrics.h"
#include "jobs/jobqueue.h"
#include "store/database.h"
#include "store/store.h"

#include <QTemporaryDir>
#include <QTest>

#include <map>

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

constexpr std::int64_t kStart = 1700000000000; // an arbitrary Unix ms

// What a test compares to see that an operation changed nothing.
std::string snapshot(const Job& j) {
    return std::string(stateName(j.state)) + "|" + j.leaseOwner.value_or("-") + "|" + std::to_string(j.attempts) + "|" +
           std::to_string(j.leaseExpiresAt.value_or(-1)) + "|" + j.lastError.value_or("-") + "|" +
           std::to_string(j.visibleAt) + "|" + std::to_string(j.updatedAt);
}

} // namespace

class TestJobQueue : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    int m_databases = 0;
    std::int64_t m_now = kStart;
    std::unique_ptr<store::Store> m_store;
    std::unique_ptr<JobQueue> m_queue;
    const std::vector<std::string> m_queues{"q"}; // what take() dequeues from

    // A queue whose backoff is exactly base * 2^(n-1) .. 1.5 times that, on the test's clock.
    JobQueue::Options options() {
        JobQueue::Options o;
        o.clock = [this] { return m_now; };
        o.baseBackoff = 1000ms;
        o.maxBackoff = 60000ms;
        o.jitter = 0.5;
        return o;
    }
    Job enqueue(const std::string& name, const EnqueueOptions& o = {}, const std::string& queue = "q") {
        auto job = m_queue->enqueue(queue, '"' + name + '"', o); // the payload: the name, in JSON
        if (!job)
            qFatal("enqueue failed: %s", job.status().message().c_str());
        return *job;
    }
    std::optional<Job> take(const std::string& worker = "w1", std::chrono::milliseconds lease = 10000ms) {
        auto job = m_queue->dequeue(worker, lease, m_queues);
        if (!job)
            qFatal("dequeue failed: %s", job.status().message().c_str());
        return *job;
    }
    Job get(Id id) {
        auto job = m_queue->get(id);
        if (!job)
            qFatal("get failed: %s", job.status().message().c_str());
        return *job;
    }
    static std::string nameOf(const Job& job) { return job.payload.substr(1, job.payload.size() - 2); }

private slots:
    void initTestCase() { log::setMinimumLevel(log::Level::Warn); } // failures and retries only
    void init() {
        m_now = kStart;
        auto store =
            store::Store::open((m_dir.path() + "/jobs" + QString::number(++m_databases) + ".db").toStdString());
        QVERIFY(store.isOk());
        m_store = std::move(store).value();
        m_queue = std::make_unique<JobQueue>(*m_store, options());
    }
    void cleanup() {
        m_queue.reset();
        m_store.reset();
    }

    // Each job is "name deadline priority age": deadline "-" for none, age = ms before the
    // dequeue that it was enqueued. Expected: the names in dequeue order.
    void dequeuesByDeadlineThenPriorityThenAge_data() {
        QTest::addColumn<QStringList>("jobs");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("earlier deadline first")
            << QStringList{"a 5000 0 10", "b 3000 0 10", "c 4000 0 10"} << QStringList{"b", "c", "a"};
        QTest::newRow("a deadline beats priority") << QStringList{"a - 100 10", "b 9000 0 10"} << QStringList{"b", "a"};
        QTest::newRow("no deadline sorts after any deadline")
            << QStringList{"a - 0 50", "b 999999999 0 10"} << QStringList{"b", "a"};
        QTest::newRow("a passed deadline is still first")
            << QStringList{"a 8000 0 10", "b 1 0 10"} << QStringList{"b", "a"};
        QTest::newRow("higher priority first at equal deadline")
            << QStringList{"a 4000 1 10", "b 4000 7 10", "c 4000 -3 10"} << QStringList{"b", "a", "c"};
        QTest::newRow("higher priority first without deadlines")
            << QStringList{"a - 0 10", "b - 2 10", "c - 1 10"} << QStringList{"b", "c", "a"};
        QTest::newRow("older first at equal deadline and priority")
            << QStringList{"a 4000 0 10", "b 4000 0 30", "c 4000 0 20"} << QStringList{"b", "c", "a"};
        QTest::newRow("older first without deadlines, whatever the insertion order")
            << QStringList{"a - 0 1", "b - 0 3", "c - 0 2"} << QStringList{"b", "c", "a"};
        QTest::newRow("all three keys") << QStringList{"a - 5 40",   "b 6000 0 10", "c 6000 0 20",
                                                       "d 6000 9 5", "e - 5 50",    "f 2000 -9 1"}
                                        << QStringList{"f", "d", "c", "b", "e", "a"};
    }
    void dequeuesByDeadlineThenPriorityThenAge() {
        QFETCH(QStringList, jobs);
        QFETCH(QStringList, expected);
        const std::int64_t dequeueAt = kStart + 1000;
        for (const QString& spec : jobs) {
            const QStringList f = spec.split(' ');
            EnqueueOptions o;
            if (f[1] != "-")
                o.deadline = kStart + f[1].toLongLong();
            o.priority = f[2].toInt();
            m_now = dequeueAt - f[3].toLongLong();
            enqueue(f[0].toStdString(), o);
        }
        m_now = dequeueAt;
        QStringList order;
        while (auto job = take())
            order << QString::fromStdString(nameOf(*job));
        QCOMPARE(order, expected);
    }

    void delayedJobIsInvisibleUntilItsTime() {
        EnqueueOptions o;
        o.delay = 5000ms;
        const Job job = enqueue("later", o);
        QCOMPARE(job.state, JobState::Invisible);
        QVERIFY(!take());
        m_now += 4999;
        QVERIFY(!take());
        QCOMPARE(get(job.id).state, JobState::Invisible);
        m_now += 1;
        const auto taken = take();
        QVERIFY(taken);
        QCOMPARE(taken->id, job.id);
        QCOMPARE(taken->state, JobState::Running);
    }

    void dequeueTakesOnlyTheGivenQueues() {
        enqueue("elsewhere", {}, "other");
        QVERIFY(!take());
        auto job = m_queue->dequeue("w1", 1000ms, {"q", "other"});
        QVERIFY(job.isOk() && *job);
        QCOMPARE((*job)->queue, std::string("other"));
    }

    // A killed worker: it claimed a job and never reported back. Once the lease expires the job
    // is claimed again, by another worker, and completes.
    void expiredLeaseReturnsTheJobWhichThenCompletes() {
        const Job job = enqueue("photo");
        const auto first = take("w1", 1000ms);
        QVERIFY(first);
        QCOMPARE(first->attempts, 1);
        QCOMPARE(first->leaseExpiresAt, std::optional<std::int64_t>(kStart + 1000));

        m_now += 999;
        QVERIFY(m_queue->reclaimExpiredLeases()->empty());
        QVERIFY(!take("w2"));

        m_now += 1;
        const auto reclaimed = m_queue->reclaimExpiredLeases();
        QVERIFY(reclaimed.isOk());
        QCOMPARE(reclaimed->size(), std::size_t(1));
        QCOMPARE(reclaimed->front().state, JobState::Pending);
        QVERIFY(reclaimed->front().lastError->find("lease of w1 expired") != std::string::npos);

        const auto second = take("w2", 1000ms);
        QVERIFY(second);
        QCOMPARE(second->id, job.id);
        QCOMPARE(second->attempts, 2);
        QCOMPARE(second->leaseOwner, std::optional<std::string>("w2"));
        QVERIFY(m_queue->complete(*second, "w2").isOk());
        const Job done = get(job.id);
        QCOMPARE(done.state, JobState::Completed);
        QCOMPARE(done.completedAt, std::optional<std::int64_t>(m_now));
        QVERIFY(!done.leaseOwner);
    }

    void expiredLeaseOnTheLastAttemptErrors() {
        EnqueueOptions o;
        o.maxAttempts = 1;
        const Job job = enqueue("poison", o);
        QVERIFY(take("w1", 1000ms));
        m_now += 1000;
        const auto reclaimed = m_queue->reclaimExpiredLeases();
        QCOMPARE(reclaimed->size(), std::size_t(1));
        QCOMPARE(get(job.id).state, JobState::Errored);
        QVERIFY(get(job.id).lastError->find("expired") != std::string::npos);
        m_now += 1000000;
        QVERIFY(!take());
    }

    void heartbeatKeepsTheLease() {
        const Job job = enqueue("long");
        const auto running = take("w1", 1000ms);
        m_now += 900;
        QVERIFY(m_queue->extendLease(*running, "w1", 1000ms).isOk());
        QCOMPARE(get(job.id).leaseExpiresAt, std::optional<std::int64_t>(kStart + 1900));
        m_now += 900; // past the first lease, within the extended one
        QVERIFY(m_queue->reclaimExpiredLeases()->empty());
        QVERIFY(m_queue->complete(*running, "w1").isOk());
        QCOMPARE(get(job.id).attempts, 1);
    }

    void failedAttemptsBackOffLongerThenError() {
        EnqueueOptions o;
        o.maxAttempts = 4;
        const Job job = enqueue("flaky", o);
        std::int64_t previousWait = 0;
        for (int attempt = 1; attempt <= 3; ++attempt) {
            const auto running = take();
            QVERIFY(running);
            QCOMPARE(running->attempts, attempt);
            const std::string error = "try " + std::to_string(attempt) + " failed";
            const auto failed = m_queue->fail(*running, "w1", error);
            QVERIFY(failed.isOk());
            QCOMPARE(failed->state, JobState::Invisible);
            QCOMPARE(failed->lastError, std::optional<std::string>(error));
            const std::int64_t wait = failed->visibleAt - m_now;
            const std::int64_t base = 1000LL << (attempt - 1);
            QVERIFY2(wait >= base && wait <= base * 3 / 2, std::to_string(wait).c_str());
            QVERIFY(wait > previousWait);
            previousWait = wait;
            m_now = failed->visibleAt - 1;
            QVERIFY(!take());
            m_now += 1;
        }
        const auto last = take();
        QVERIFY(last);
        QCOMPARE(last->attempts, 4);
        const auto errored = m_queue->fail(*last, "w1", "the last error");
        QVERIFY(errored.isOk());
        QCOMPARE(errored->state, JobState::Errored);
        QCOMPARE(get(job.id).lastError, std::optional<std::string>("the last error"));
        QCOMPARE(get(job.id).completedAt, std::optional<std::int64_t>(m_now));
        m_now += 10000000;
        QVERIFY(!take());
    }

    void backoffIsCappedAndNeverOverflows() {
        for (int attempt : {7, 60, 1000, 1 << 30}) {
            const auto wait = m_queue->backoff(attempt).count();
            QVERIFY2(wait >= 60000 && wait <= 90000, std::to_string(wait).c_str());
        }
    }

    // Two jobs on one key: the second is skipped while the first runs, even with a higher
    // priority than a job on another key, and runs once the first is done.
    void jobsWithOneKeyNeverRunAtOnce() {
        EnqueueOptions asset1;
        asset1.exclusivityKey = "asset-1";
        const Job a = enqueue("a", asset1);
        asset1.priority = 10;
        const Job b = enqueue("b", asset1);
        EnqueueOptions asset2;
        asset2.exclusivityKey = "asset-2";
        const Job c = enqueue("c", asset2);

        const auto first = take("w1");
        QCOMPARE(first->id, b.id); // the highest priority
        const auto second = m_queue->dequeue("w2", 10000ms, m_queues);
        QVERIFY2(second.isOk(), second.isOk() ? "" : second.status().message().c_str());
        QVERIFY(*second);
        QCOMPARE((*second)->id, c.id); // a is skipped: b holds asset-1
        QVERIFY(!take("w3"));
        QCOMPARE(get(a.id).state, JobState::Pending);

        QVERIFY(m_queue->complete(*first, "w1").isOk());
        const auto third = take("w3");
        QVERIFY(third);
        QCOMPARE(third->id, a.id);
    }

    void aKeyIsFreedWhenItsJobFailsOrItsLeaseIsReclaimed() {
        EnqueueOptions o;
        o.exclusivityKey = "asset-1";
        enqueue("a", o);
        const Job b = enqueue("b", o);
        const auto first = take("w1", 1000ms);
        QVERIFY(!take("w2"));
        m_now += 1000;
        QVERIFY(m_queue->reclaimExpiredLeases().isOk());
        const auto again = take("w2", 1000ms); // a again (older), b still waits
        QCOMPARE(again->id, first->id);
        QVERIFY(!take("w3"));
        QVERIFY(m_queue->fail(*again, "w2", "boom").isOk());
        const auto next = take("w3");
        QVERIFY(next);
        QCOMPARE(next->id, b.id);
    }

    // The database itself refuses a second running job on one key, whoever writes the SQL.
    void uniqueIndexRefusesASecondRunningJobWithOneKey() {
        auto db = m_store->connection();
        QVERIFY(db.isOk());
        const char* insert = "INSERT INTO jobs (id, queue, state, visible_at, exclusivity_key, max_attempts, "
                             "lease_owner, lease_expires_at, created_at, updated_at) VALUES ";
        QVERIFY((*db)->exec(std::string(insert) + "(1, 'q', 'running', 0, 'k', 1, 'w1', 9, 0, 0)").isOk());
        QVERIFY(!(*db)->exec(std::string(insert) + "(2, 'q', 'running', 0, 'k', 1, 'w2', 9, 0, 0)").isOk());
        QVERIFY((*db)->exec(std::string(insert) + "(3, 'q', 'pending', 0, 'k', 1, NULL, NULL, 0, 0)").isOk());
        const Status update =
            (*db)->exec("UPDATE jobs SET state = 'running', lease_owner = 'w3', lease_expires_at = 9 WHERE id = 3");
        QVERIFY(!update.isOk());
        QVERIFY(update.message().find("UNIQUE") != std::string::npos);
        // Only running jobs are covered: finished ones may share a key freely.
        QVERIFY((*db)->exec(std::string(insert) + "(4, 'q', 'completed', 0, 'k', 1, NULL, NULL, 0, 0)").isOk());
        QVERIFY((*db)->exec(std::string(insert) + "(5, 'q', 'completed', 0, 'k', 1, NULL, NULL, 0, 0)").isOk());
    }

    void schemaRefusesImpossibleRows() {
        auto db = m_store->connection();
        const char* insert = "INSERT INTO jobs (id, queue, payload, state, visible_at, max_attempts, lease_owner, "
                             "lease_expires_at, created_at, updated_at) VALUES ";
        QVERIFY(!(*db)->exec(std::string(insert) + "(1, 'q', '{}', 'sleeping', 0, 1, NULL, NULL, 0, 0)").isOk());
        QVERIFY(!(*db)->exec(std::string(insert) + "(2, 'q', 'not json', 'pending', 0, 1, NULL, NULL, 0, 0)").isOk());
        QVERIFY(!(*db)->exec(std::string(insert) + "(3, 'q', '{}', 'running', 0, 1, NULL, NULL, 0, 0)").isOk());
        QVERIFY(!(*db)->exec(std::string(insert) + "(4, 'q', '{}', 'pending', 0, 1, 'w1', 5, 0, 0)").isOk());
        QVERIFY(!(*db)->exec(std::string(insert) + "(5, 'q', '{}', 'pending', 0, 0, NULL, NULL, 0, 0)").isOk());
    }

    // The old holder of a lost lease — reclaimed, maybe claimed again, by another worker or even
    // by itself — can neither complete, fail nor extend it; the job stays exactly as it was.
    void lostLeaseChangesNothing_data() {
        QTest::addColumn<QString>("operation");
        QTest::addColumn<QString>("then");
        for (const char* op : {"complete", "fail", "extend"}) {
            QTest::addRow("%s after a reclaim", op) << op << "reclaimed";
            QTest::addRow("%s after another worker claimed it", op) << op << "claimed by w2";
            QTest::addRow("%s after the same worker claimed it again", op) << op << "claimed by w1";
            QTest::addRow("%s by a worker that never held it", op) << op << "wrong owner";
        }
    }
    void lostLeaseChangesNothing() {
        QFETCH(QString, operation);
        QFETCH(QString, then);
        const Job job = enqueue("x");
        const auto stale = take("w1", 1000ms);
        std::string actor = "w1";
        if (then == "wrong owner") {
            actor = "w9";
        } else {
            m_now += 1000;
            QCOMPARE(m_queue->reclaimExpiredLeases()->size(), std::size_t(1));
            if (then == "claimed by w2")
                QVERIFY(take("w2", 1000ms));
            else if (then == "claimed by w1")
                QVERIFY(take("w1", 1000ms));
        }
        m_now += 10;
        const std::string before = snapshot(get(job.id));
        Status s;
        if (operation == "complete") {
            s = m_queue->complete(*stale, actor);
        } else if (operation == "fail") {
            const auto failed = m_queue->fail(*stale, actor, "late");
            s = failed.isOk() ? Status::ok() : failed.status();
        } else {
            s = m_queue->extendLease(*stale, actor, 5000ms);
        }
        QCOMPARE(s.code(), Code::Conflict);
        QVERIFY2(s.message().find("lease") != std::string::npos, s.message().c_str());
        QCOMPARE(snapshot(get(job.id)), before);
    }

    void cancelStopsQueuedJobs() {
        EnqueueOptions later;
        later.delay = 1000ms;
        const Job pending = enqueue("p");
        const Job invisible = enqueue("i", later);
        for (const Job& job : {pending, invisible}) {
            const auto canceled = m_queue->cancel(job.id);
            QVERIFY(canceled.isOk());
            QCOMPARE(canceled->state, JobState::Canceled);
            QCOMPARE(canceled->completedAt, std::optional<std::int64_t>(m_now));
        }
        m_now += 5000;
        QVERIFY(!take());
        const auto again = m_queue->cancel(pending.id);
        QCOMPARE(again.status().code(), Code::Conflict);
        QVERIFY(again.status().message().find("is canceled") != std::string::npos);
        QCOMPARE(m_queue->cancel(424242).status().code(), Code::NotFound);
    }

    // A running attempt is not interrupted and keeps its key; it then ends canceled instead of
    // being retried — unless it succeeds.
    void cancelOfARunningJobLetsItsAttemptFinish() {
        EnqueueOptions o;
        o.exclusivityKey = "asset-1";
        const Job a = enqueue("a", o);
        const Job b = enqueue("b", o);
        const auto running = take("w1");
        const auto canceled = m_queue->cancel(a.id);
        QVERIFY(canceled.isOk());
        QCOMPARE(canceled->state, JobState::Running);
        QVERIFY(canceled->cancelRequested);
        QVERIFY(!take("w2")); // b still waits for the key
        const auto failed = m_queue->fail(*running, "w1", "gave up");
        QCOMPARE(failed->state, JobState::Canceled);
        m_now += 10000000;
        const auto next = take("w2");
        QCOMPARE(next->id, b.id);
        QVERIFY(m_queue->cancel(b.id).isOk());
        QVERIFY(m_queue->complete(*next, "w2").isOk());
        QCOMPARE(get(b.id).state, JobState::Completed);
    }

    void retryRunsAnErroredOrCanceledJobAgain() {
        EnqueueOptions once;
        once.maxAttempts = 1;
        const Job errored = enqueue("e", once);
        QVERIFY(m_queue->fail(*take(), "w1", "broken").isOk());
        QCOMPARE(get(errored.id).state, JobState::Errored);
        const Job canceled = enqueue("c");
        QVERIFY(m_queue->cancel(canceled.id).isOk());

        for (const Job& job : {errored, canceled}) {
            const auto retried = m_queue->retry(job.id);
            QVERIFY(retried.isOk());
            QCOMPARE(retried->state, JobState::Pending);
            QCOMPARE(retried->attempts, 0);
            QVERIFY(!retried->completedAt);
        }
        const auto again = take();
        QCOMPARE(again->id, errored.id);
        QCOMPARE(again->attempts, 1);
        QCOMPARE(m_queue->retry(errored.id).status().code(), Code::Conflict); // running now
        QCOMPARE(m_queue->retry(424242).status().code(), Code::NotFound);
    }

    void enqueueRefusesBadInput_data() {
        QTest::addColumn<QString>("queue");
        QTest::addColumn<QString>("payload");
        QTest::addColumn<QString>("key");
        QTest::addColumn<int>("maxAttempts");
        QTest::addColumn<int>("delayMs");
        QTest::newRow("empty queue name") << ""
                                          << "{}"
                                          << "k" << 1 << 0;
        QTest::newRow("queue name with a space") << "a b"
                                                 << "{}"
                                                 << "k" << 1 << 0;
        QTest::newRow("queue name with a quote") << "a\"b"
                                                 << "{}"
                                                 << "k" << 1 << 0;
        QTest::newRow("payload not JSON") << "q"
                                          << "{oops"
                                          << "k" << 1 << 0;
        QTest::newRow("empty key") << "q"
                                   << "{}"
                                   << "" << 1 << 0;
        QTest::newRow("no attempt") << "q"
                                    << "{}"
                                    << "k" << 0 << 0;
        QTest::newRow("negative delay") << "q"
                                        << "{}"
                                        << "k" << 1 << -1;
    }
    void enqueueRefusesBadInput() {
        QFETCH(QString, queue);
        QFETCH(QString, payload);
        QFETCH(QString, key);
        QFETCH(int, maxAttempts);
        QFETCH(int, delayMs);
        EnqueueOptions o;
        o.exclusivityKey = key.toStdString();
        o.maxAttempts = maxAttempts;
        o.delay = std::chrono::milliseconds(delayMs);
        const auto job = m_queue->enqueue(queue.toStdString(), payload.toStdString(), o);
        QCOMPARE(job.status().code(), Code::InvalidArgument);
        QVERIFY(m_queue->list({})->empty());
    }

    void enqueueInCommitsOrRollsBackWithTheCallersTransaction() {
        auto db = m_store->connection();
        {
            store::Transaction tx(**db);
            QVERIFY(m_queue->enqueueIn(**db, "q", "{}").isOk());
        } // rolled back
        QVERIFY(m_queue->list({})->empty());
        {
            store::Transaction tx(**db);
            QVERIFY(m_queue->enqueueIn(**db, "q", "{}").isOk());
            QVERIFY(tx.commit().isOk());
        }
        QCOMPARE(m_queue->list({})->size(), std::size_t(1));
    }

    void listFiltersByStateAndQueue() {
        const Job a = enqueue("a");
        const Job b = enqueue("b", {}, "other");
        QVERIFY(m_queue->cancel(a.id).isOk());
        JobFilter canceled;
        canceled.state = JobState::Canceled;
        QCOMPARE(m_queue->list(canceled)->size(), std::size_t(1));
        QCOMPARE(m_queue->list(canceled)->front().id, a.id);
        JobFilter other;
        other.queue = "other";
        QCOMPARE(m_queue->list(other)->front().id, b.id);
        const auto all = m_queue->list({});
        QCOMPARE(all->size(), std::size_t(2));
        QCOMPARE(all->front().id, b.id); // newest first
        JobFilter one;
        one.limit = 1;
        QCOMPARE(m_queue->list(one)->size(), std::size_t(1));
    }

    void countsPerQueueAndState() {
        EnqueueOptions later;
        later.delay = 60000ms;
        enqueue("p1");
        enqueue("p2");
        enqueue("i", later);
        enqueue("x", {}, "other");
        const auto running = take();
        QVERIFY(m_queue->complete(*running, "w1").isOk());
        QVERIFY(take()); // the second "q" job runs

        std::map<std::pair<std::string, std::string>, std::int64_t> counts;
        const auto all = m_queue->counts();
        QVERIFY(all.isOk());
        for (const auto& c : all.value())
            counts[{c.queue, std::string(stateName(c.state))}] = c.count;
        const std::map<std::pair<std::string, std::string>, std::int64_t> expected{
            {{"q", "completed"}, 1}, {{"q", "running"}, 1}, {{"q", "invisible"}, 1}, {{"other", "pending"}, 1}};
        QCOMPARE(counts, expected);

        std::string metrics;
        QVERIFY(renderJobMetrics(*m_queue, metrics).isOk());
        QVERIFY(metrics.find("# TYPE pinhole_jobs gauge\n") != std::string::npos);
        QVERIFY(metrics.find("pinhole_jobs{queue=\"q\",state=\"running\"} 1\n") != std::string::npos);
        QVERIFY(metrics.find("pinhole_jobs{queue=\"q\",state=\"pending\"} 0\n") != std::string::npos);
        QVERIFY(metrics.find("pinhole_jobs{queue=\"other\",state=\"pending\"} 1\n") != std::string::npos);
        QVERIFY(metrics.find("pinhole_jobs{queue=\"other\",state=\"errored\"} 0\n") != std::string::npos);
    }

    void stateNamesRoundTrip() {
        for (JobState s : {JobState::Invisible, JobState::Pending, JobState::Running, JobState::Completed,
                           JobState::Canceled, JobState::Errored})
            QCOMPARE(stateFromName(stateName(s)), std::optional<JobState>(s));
        QVERIFY(!stateFromName("sleeping"));
    }
};

QTEST_APPLESS_MAIN(TestJobQueue)
#include "tst_jobqueue.moc"
