// `pinholed admin jobs list|retry|cancel` against the data directory of a live server, and the
// job counts on its /metrics. The test enqueues on a queue no handler serves, so its job waits
// for the admin to act on it.
#include "httpclient.h"
#include "serverprocess.h"

#include "core/ids.h"
#include "jobs/jobqueue.h"
#include "store/store.h"

#include <QTest>

using pinhole::test::HttpClient;
using pinhole::test::ServerProcess;
using namespace pinhole::server;

namespace {
constexpr const char* kQueue = "e2e-probe"; // no handler serves it
} // namespace

class TestJobsAdmin : public QObject {
    Q_OBJECT
    ServerProcess m_server;
    Id m_job = 0;

    // Runs `pinholed admin jobs <args>`; returns the exit code, output in `out`.
    int jobs(const QStringList& args, QString* out) { return m_server.admin(QStringList{"jobs"} + args, {}, out); }
    // The listing's line for m_job, or empty.
    QString lineOfTheJob(const QStringList& args) {
        QString out;
        if (jobs(QStringList{"list"} + args, &out) != 0)
            return "listing failed: " + out;
        for (const QString& line : out.split('\n'))
            if (line.startsWith(QString::fromStdString(idToString(m_job)) + ' '))
                return line;
        return {};
    }

private slots:
    void initTestCase() { QVERIFY(m_server.start()); }
    // The server exits cleanly (under the sanitizer build, with no leak or error report).
    void cleanupTestCase() { QCOMPARE(m_server.stop(), 0); }

    void listOfAnEmptyQueueIsJustTheHeader() {
        QString out;
        QCOMPARE(jobs({"list"}, &out), 0);
        const QStringList lines = out.trimmed().split('\n');
        QCOMPARE(lines.size(), 1);
        for (const char* column : {"ID", "QUEUE", "STATE", "TRIES", "KEY", "UPDATED", "LAST ERROR"})
            QVERIFY2(lines[0].contains(column), qPrintable(out));
    }

    void listShowsAJobAndFiltersByStateAndQueue() {
        auto store = store::Store::open((m_server.dataDir() + "/pinhole.db").toStdString());
        QVERIFY(store.isOk());
        jobs::JobQueue queue(**store);
        jobs::EnqueueOptions o;
        o.exclusivityKey = "asset-42";
        auto job = queue.enqueue(kQueue, "{\"asset_id\":\"42\"}", o);
        QVERIFY(job.isOk());
        m_job = job->id;

        const QString line = lineOfTheJob({});
        QVERIFY2(line.contains(QString::fromLatin1(kQueue)) && line.contains("pending") && line.contains("0/5") &&
                     line.contains("asset-42"),
                 qPrintable(line));
        QVERIFY(!lineOfTheJob({"--state", "pending", "--queue", QString::fromLatin1(kQueue)}).isEmpty());
        QVERIFY(lineOfTheJob({"--state", "errored"}).isEmpty());
        QVERIFY(lineOfTheJob({"--queue", "derive"}).isEmpty());
    }

    void metricsCountTheJobsPerQueueAndState() {
        HttpClient http(m_server.baseUrl());
        const auto reply = http.get("/metrics");
        QCOMPARE(reply.status, 200);
        const QString body = QString::fromUtf8(reply.body);
        QVERIFY(body.contains("# TYPE pinhole_jobs gauge\n"));
        QVERIFY2(body.contains("pinhole_jobs{queue=\"e2e-probe\",state=\"pending\"} 1\n"), qPrintable(body));
        QVERIFY(body.contains("pinhole_jobs{queue=\"e2e-probe\",state=\"canceled\"} 0\n"));
    }

    void cancelThenRetry() {
        const QString id = QString::fromStdString(idToString(m_job));
        QString out;
        QCOMPARE(jobs({"cancel", id}, &out), 0);
        QVERIFY2(out.contains("canceled"), qPrintable(out));
        QVERIFY(lineOfTheJob({"--state", "canceled"}).contains("canceled"));

        QCOMPARE(jobs({"cancel", id}, &out), 1);
        QVERIFY2(out.contains("only invisible, pending or running jobs can be canceled"), qPrintable(out));

        QCOMPARE(jobs({"retry", id}, &out), 0);
        QVERIFY2(out.contains("pending again"), qPrintable(out));
        QVERIFY(lineOfTheJob({"--state", "pending"}).contains("pending"));

        QCOMPARE(jobs({"retry", id}, &out), 1);
        QVERIFY2(out.contains("only errored or canceled jobs can be retried"), qPrintable(out));
    }

    void unknownOrMalformedIdsFailClearly_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("retry of an unknown id") << QStringList{"retry", "123456789"} << "job 123456789 not found";
        QTest::newRow("cancel of an unknown id") << QStringList{"cancel", "123456789"} << "job 123456789 not found";
        QTest::newRow("retry of a non-number") << QStringList{"retry", "last"} << "\"last\" is not a job ID";
        QTest::newRow("cancel without an id") << QStringList{"cancel"} << "needs a job ID";
        QTest::newRow("unknown state") << QStringList{"list", "--state", "asleep"} << "--state must be";
        QTest::newRow("unknown subcommand") << QStringList{"purge"} << "admin jobs needs list, retry ID or cancel ID";
    }
    void unknownOrMalformedIdsFailClearly() {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        QString out;
        QVERIFY(jobs(args, &out) != 0);
        QVERIFY2(out.contains("pinholed: ") && out.contains(message), qPrintable(out));
    }
};

QTEST_GUILESS_MAIN(TestJobsAdmin)
#include "tst_e2e_jobs.moc"
