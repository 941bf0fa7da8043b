// Crash consistency (issue 10): the real pinholed under a mixed load from seven clients — photo
// uploads, posts, likes, follows and unfollows (inline below), tus uploads chunk by chunk,
// annotation edits, batch annotation operations and album edits (tests/server/crash/*.sh) — is
// killed with SIGKILL at random moments, 30 times, and restarted each time. initTestCase runs
// that; each test then checks one writer: everything it had acknowledged is there after the
// restarts, nothing it had not finished is half there, and `admin check` (integrity_check,
// foreign_key_check, every file's hash) is clean, no job is stuck, counters equal a recount and
// the event log has no gap. How each check was shown to fail: docs/testing.md.
#include "httpclient.h"
#include "serverprocess.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QMap>
#include <QProcess>
#include <QRandomGenerator>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using pinhole::test::HttpClient;
using pinhole::test::ServerProcess;

namespace {

const QString kPassword = QStringLiteral("correct horse battery staple");
// Leases of a second, so a job a killed server was running returns to the queue at once.
const QString kConfig = QStringLiteral("[jobs]\nlease_seconds = 1\n");
constexpr int kKills = 30;
constexpr int kTusChunk = 128 * 1024; // big.jpg, ~350 KB, is three PATCHes
constexpr int kTusWriteDelayMs = 150; // each tus chunk's write waits this long first
constexpr int kBatchItems = 500;      // what batch.sh stages in each operation
// The batch writer's annotations: "<count> <distinct payloads>"; "0 0" or "500 1" when whole.
const QString kBatchShape =
    QStringLiteral("SELECT count(*) || ' ' || count(DISTINCT payload) FROM annotations WHERE writer = 'crash-bot'");
// Albums whose positions are not 0..n-1 (a gap or a repeat).
const QString kAlbumGaps = QStringLiteral(
    "SELECT count(*) FROM (SELECT album_id FROM album_assets GROUP BY album_id "
    "HAVING min(position) != 0 OR max(position) != count(*) - 1 OR count(DISTINCT position) != count(*))");

QByteArray readFile(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// One line per answered request that the client logged: "<media id> <sha256>" for uploads.
QList<QByteArrayList> lines(const QString& path) {
    QList<QByteArrayList> out;
    for (const QByteArray& line : readFile(path).split('\n'))
        if (const QByteArrayList fields = line.split(' '); fields.size() >= 2 && !fields[0].isEmpty())
            out << fields;
    return out;
}

// The clients: bash loops with curl, each reading the server's current URL from url.txt (it
// changes with every restart) until the stop file appears. (Ordinary literals: moc misreads raw
// strings with quotes.) A request counts as acknowledged
// only when curl got a 2xx answer, and only then is it logged.
const char* const kUploader = "i=0; while [ ! -e stop ]; do i=$((i+1)); { cat photo.jpg; echo \"u$i\"; } > up.jpg\n"
                              "  sha=$(sha256sum up.jpg | cut -c1-64)\n"
                              "  id=$(curl -sf -m 5 -H \"Authorization: Bearer $ALICE\" -F file=@up.jpg \"$(cat "
                              "url.txt)/api/v2/media\" | firstid)\n"
                              "  [ -n \"$id\" ] && echo \"$id $sha\" >> uploads.txt; done";
const char* const kPoster =
    "while [ ! -e stop ]; do id=$(tail -n 1 uploads.txt 2>/dev/null | cut -d\" \" -f1)\n"
    "  [ -z \"$id\" ] && continue; u=$(cat url.txt)\n"
    "  post=$(curl -sf -m 5 -H \"Authorization: Bearer $ALICE\" -d \"status=crash&media_ids[]=$id\" "
    "\"$u/api/v1/statuses\" | firstid)\n"
    "  [ -n \"$post\" ] && echo \"$post posted\" >> posts.txt &&\n"
    "  curl -sf -m 5 -X POST -H \"Authorization: Bearer $BOB\" \"$u/api/v1/statuses/$post/favourite\" >/dev/null &&\n"
    "  echo \"$post liked\" >> posts.txt; done";
const char* const kFollower =
    "while [ ! -e stop ]; do u=$(cat url.txt)\n"
    "  curl -sf -m 5 -X POST -H \"Authorization: Bearer $BOB\" \"$u/api/v1/accounts/$ALICE_ID/follow\" >/dev/null &&\n"
    "  echo \"x followed\" >> follows.txt\n"
    "  curl -sf -m 5 -X POST -H \"Authorization: Bearer $BOB\" \"$u/api/v1/accounts/$ALICE_ID/unfollow\" >/dev/null "
    "&&\n"
    "  echo \"x unfollowed\" >> follows.txt; done";
// The first "id" of a JSON answer (the object's own: ids of nested objects come after it).
const char* const kFirstId = "firstid() { grep -o \"\\\"id\\\":\\\"[0-9]*\\\"\" | head -n 1 | tr -dc 0-9; }\n";

} // namespace

class TestCrash : public QObject {
    Q_OBJECT
    ServerProcess m_server{kConfig};
    QTemporaryDir m_dir;
    QString m_alice;

    bool writeUrl() {
        QFile f(m_dir.filePath("url.txt"));
        return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(m_server.baseUrl().toUtf8()) > 0;
    }
    QString sql(const QString& query) {
        QProcess p;
        p.start(QStandardPaths::findExecutable("sqlite3"), {m_server.dataDir() + "/pinhole.db", query});
        p.waitForFinished(30000);
        return QString::fromUtf8(p.readAllStandardOutput()).trimmed();
    }
    QList<QByteArrayList> logged(const char* name) { return lines(m_dir.filePath(name)); }
    HttpClient alice() { return HttpClient(m_server.baseUrl(), m_alice); }
    // Each logged "<asset> <sha256>": the original is there with exactly those bytes.
    void verifyOriginals(const char* log) {
        HttpClient http = alice();
        for (const QByteArrayList& upload : logged(log)) {
            const auto original = http.get("/media/" + QString::fromUtf8(upload[0]) + "/original");
            QVERIFY2(original.status == 200, upload[0].constData());
            QCOMPARE(QCryptographicHash::hash(original.body, QCryptographicHash::Sha256).toHex(), upload[1]);
        }
    }

private slots:
    void initTestCase() {
        // A slow disk for tus chunks (server/media/uploads.cpp): kills fall inside PATCHes.
        qputenv("PINHOLE_TEST_UPLOAD_WRITE_DELAY_MS", QByteArray::number(kTusWriteDelayMs));
        QVERIFY(m_server.start());
        QVERIFY(m_server.createUser("alice", kPassword));
        QVERIFY(m_server.createUser("bob", kPassword));
        m_alice = HttpClient(m_server.baseUrl()).login("alice", kPassword);
        const QString bob = HttpClient(m_server.baseUrl()).login("bob", kPassword);
        QVERIFY(!m_alice.isEmpty() && !bob.isEmpty());
        const QString aliceId = alice().get("/api/v1/accounts/verify_credentials").json()["id"].toString();
        for (const auto& [name, size] : {std::pair{"photo.jpg", QStringList{"320", "240"}},
                                         std::pair{"big.jpg[Q=95]", QStringList{"800", "600"}}}) {
            QProcess vips;
            vips.start(QStandardPaths::findExecutable("vips"), QStringList{"gaussnoise", m_dir.filePath(name)} + size);
            QVERIFY(vips.waitForFinished(60000) && vips.exitCode() == 0);
        }
        QVERIFY(writeUrl());

        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("ALICE", m_alice);
        env.insert("BOB", bob);
        env.insert("ALICE_ID", aliceId);
        env.insert("CHUNK", QString::number(kTusChunk));
        std::vector<QStringList> scripts;
        for (const char* script : {kUploader, kPoster, kFollower})
            scripts.push_back({"-c", QString(kFirstId) + script});
        for (const char* file : {"tus.sh", "annotate.sh", "batch.sh", "albums.sh"})
            scripts.push_back({QString(PINHOLE_CRASH_CLIENTS) + "/" + file});
        for (const QStringList& args : scripts) {
            auto p = std::make_unique<QProcess>();
            p->setWorkingDirectory(m_dir.path());
            p->setProcessEnvironment(env);
            p->setProcessChannelMode(QProcess::ForwardedErrorChannel);
            p->start("bash", args);
            QVERIFY(p->waitForStarted());
            m_clients.push_back(std::move(p));
        }

        // Each round: let the load run until one more upload is acknowledged, plus a random
        // 0-300 ms, then SIGKILL and restart.
        for (int round = 0; round < kKills; ++round) {
            const auto before = logged("uploads.txt").size();
            QTRY_VERIFY_WITH_TIMEOUT(logged("uploads.txt").size() > before, 30000);
            QTest::qWait(QRandomGenerator::global()->bounded(300)); // a random moment, not synchronisation
            m_server.kill();
            QVERIFY2(m_server.start(), qPrintable(m_server.log().right(2000)));
            // What the crash left, before any client can reach the new server (url.txt still
            // names the dead one).
            m_batchesAfterRestart << sql(kBatchShape);
            m_albumGapsAfterRestart << sql(kAlbumGaps);
            QVERIFY(writeUrl());
        }
        // The tus upload and the batch operation the last kill interrupted resume and complete.
        const auto tusDone = logged("tus-uploads.txt").size();
        const auto batchSteps = logged("batches.txt").size();
        QTRY_VERIFY_WITH_TIMEOUT(logged("tus-uploads.txt").size() > tusDone, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(
            logged("batches.txt").size() > batchSteps + 1 && logged("batches.txt").last()[2] == "committed", 60000);
        QFile(m_dir.filePath("stop")).open(QIODevice::WriteOnly);
        for (auto& p : m_clients)
            QVERIFY(p->waitForFinished(60000));

        qInfo("acknowledged before and between %d kills: %lld uploads, %lld posts and likes, %lld follows and "
              "unfollows, %lld tus PATCHes (%lld unanswered) completing %lld uploads, %lld annotation writes, "
              "%lld batch operation steps, %lld album edits",
              kKills, static_cast<long long>(logged("uploads.txt").size()),
              static_cast<long long>(logged("posts.txt").size()), static_cast<long long>(logged("follows.txt").size()),
              static_cast<long long>(logged("tus-offsets.txt").size()),
              static_cast<long long>(logged("tus-unanswered.txt").size()),
              static_cast<long long>(logged("tus-uploads.txt").size()),
              static_cast<long long>(logged("annotations.txt").size()),
              static_cast<long long>(logged("batches.txt").size()),
              static_cast<long long>(logged("albums.txt").size()));
    }

    void everyAcknowledgedUploadIsThereByteForByte() {
        QVERIFY(logged("uploads.txt").size() >= kKills);
        verifyOriginals("uploads.txt");
    }

    void everyAcknowledgedPostAndLikeIsThere() {
        HttpClient http = alice();
        for (const QByteArrayList& post : logged("posts.txt")) {
            const auto status = http.get("/api/v1/statuses/" + QString::fromUtf8(post[0]));
            QVERIFY2(status.status == 200, post[0].constData());
            if (post[1] == "liked")
                QVERIFY(status.json()["favourites_count"].toInt() >= 1);
        }
        QVERIFY(!logged("follows.txt").isEmpty());
    }

    // tus: the server never reports less than an offset it acknowledged (tus.sh compares HEAD
    // after each failure with the last acknowledged offset), and each upload resumed to its end
    // is the file that was sent.
    void tusResumesFromEveryAcknowledgedOffsetToTheRightBytes() {
        const QByteArray regressions = readFile(m_dir.filePath("tus-regressions.txt"));
        QVERIFY2(regressions.isEmpty(), regressions.constData());
        QVERIFY(!logged("tus-offsets.txt").isEmpty());
        QVERIFY2(!logged("tus-unanswered.txt").isEmpty(), "no kill fell in a PATCH");
        QVERIFY(!logged("tus-uploads.txt").isEmpty());
        verifyOriginals("tus-uploads.txt");
    }

    // An acknowledged edit of an annotation is there: its revision at least the acknowledged one,
    // with the acknowledged payload if no later (unanswered) edit applied.
    void everyAcknowledgedAnnotationEditIsThere() {
        QMap<QByteArray, QByteArrayList> last;
        for (const QByteArrayList& write : logged("annotations.txt"))
            last[write[0]] = write;
        QVERIFY(!last.isEmpty());
        HttpClient http = alice();
        for (const QByteArrayList& write : std::as_const(last)) {
            const auto reply = http.get("/api/pinhole/v1/annotations/" + QString::fromUtf8(write[0]));
            QVERIFY2(reply.status == 200, write[0].constData());
            const int revision = reply.json()["revision"].toInt();
            QVERIFY2(revision >= write[1].toInt(), write.join(' ').constData());
            if (revision == write[1].toInt())
                QCOMPARE(reply.json()["payload"].toObject()["label"].toString().toUtf8(), write[2]);
        }
    }

    // After each kill and at the end, the key holds no batch or exactly one whole batch (all
    // its 500 items, no other); at the end, one at least as recent as the last acknowledged
    // commit. An operation the kills interrupted shows nothing.
    void batchOperationsAreAllOrNothing() {
        QMap<int, QByteArray> opened;
        int lastCommitted = 0;
        for (const QByteArrayList& step : logged("batches.txt")) {
            if (step[2] == "opened")
                opened[step[0].toInt()] = step[1];
            else
                lastCommitted = step[0].toInt();
        }
        const QString asset = QString::fromUtf8(logged("uploads.txt").first()[0]);
        HttpClient http = alice();
        QMap<QString, int> batchLabels;
        QString after;
        for (;;) {
            const auto page = http.get("/api/pinhole/v1/assets/" + asset + "/annotations?schema=tag&limit=500" +
                                       (after.isEmpty() ? QString() : "&after_id=" + after))
                                  .jsonArray();
            for (const auto& a : page) {
                const QJsonObject annotation = a.toObject();
                if (annotation["writer"].toString() == "crash-bot")
                    ++batchLabels[annotation["payload"].toObject()["label"].toString()];
                after = annotation["id"].toString();
            }
            if (page.size() < 500)
                break;
        }
        // Never a mix of two batches, never part of one: after each kill, and at the end.
        const QString whole = QString("%1 1").arg(kBatchItems);
        for (int i = 0; i < m_batchesAfterRestart.size(); ++i)
            QVERIFY2(m_batchesAfterRestart[i] == "0 0" || m_batchesAfterRestart[i] == whole,
                     qPrintable(QString("after kill %1: %2").arg(i + 1).arg(m_batchesAfterRestart[i])));
        QVERIFY2(batchLabels.size() <= 1, qPrintable(QStringList(batchLabels.keys()).join(' ')));
        if (!batchLabels.isEmpty())
            QCOMPARE(batchLabels.first(), kBatchItems);
        // The kills interrupted some operations, and some commit was acknowledged.
        QVERIFY2(opened.size() > logged("batches.txt").size() - opened.size(), "every operation was committed");
        QVERIFY2(lastCommitted > 0, "no commit was acknowledged");
        QCOMPARE(batchLabels.size(), 1);
        const int round = batchLabels.firstKey().mid(QString("batch-").size()).toInt();
        QVERIFY2(round >= lastCommitted, qPrintable(batchLabels.firstKey()));
        const auto operation = http.get("/api/pinhole/v1/annotations/operations/" + QString::fromUtf8(opened[round]));
        QCOMPARE(operation.json()["state"].toString(), QString("committed"));
    }

    // Every acknowledged album, membership and rename is there, and each album's positions
    // count 0..n-1 without a gap or a repeat, after each kill and at the end.
    void everyAcknowledgedAlbumEditIsThere() {
        QMap<QByteArray, QSet<QString>> members;
        QMap<QByteArray, QString> names;
        for (const QByteArrayList& edit : logged("albums.txt")) {
            if (edit[1] == "created")
                members[edit[0]];
            else if (edit[1] == "has")
                members[edit[0]].insert(QString::fromUtf8(edit[2]));
            else
                names[edit[0]] = QString::fromUtf8(edit[2]);
        }
        QVERIFY(!names.isEmpty());
        HttpClient http = alice();
        for (auto it = members.cbegin(); it != members.cend(); ++it) {
            const QString album = QString::fromUtf8(it.key());
            const auto reply = http.get("/api/pinhole/v1/albums/" + album);
            QVERIFY2(reply.status == 200, it.key().constData());
            if (names.contains(it.key()))
                QCOMPARE(reply.json()["name"].toString(), names[it.key()]);
            QSet<QString> present;
            for (const auto& a :
                 http.get("/api/pinhole/v1/assets?album=" + album + "&limit=100").json()["assets"].toArray())
                present.insert(a.toObject()["id"].toString());
            QVERIFY2(present.contains(it.value()), it.key().constData());
        }
        QCOMPARE(sql(kAlbumGaps), QString("0"));
        for (int i = 0; i < m_albumGapsAfterRestart.size(); ++i)
            QVERIFY2(m_albumGapsAfterRestart[i] == "0", qPrintable(QString("after kill %1").arg(i + 1)));
    }

    void theDatabaseIsConsistentAndNoJobIsStuck() {
        // No job stuck: each completes, or fails with a reason, once the restarted server runs.
        QTRY_COMPARE_WITH_TIMEOUT(sql("SELECT count(*) FROM jobs WHERE state IN ('invisible','pending','running')"),
                                  QString("0"), 90000);
        QCOMPARE(sql("SELECT count(*) FROM jobs WHERE state = 'errored' AND coalesce(last_error, '') = ''"),
                 QString("0"));
        // The event log has no gap.
        QCOMPARE(sql("SELECT count(*) = max(seq) - min(seq) + 1 FROM events"), QString("1"));
        // Counters equal a recount; the database and every file check clean.
        QString out;
        QCOMPARE(m_server.admin({"recount"}, {}, &out), 0);
        QVERIFY2(out.contains("every counter equals its recount"), qPrintable(out));
        QCOMPARE(m_server.admin({"check"}, {}, &out), 0);
        QCOMPARE(m_server.stop(), 0);
    }

private:
    std::vector<std::unique_ptr<QProcess>> m_clients;
    QStringList m_batchesAfterRestart;   // kBatchShape after each restart
    QStringList m_albumGapsAfterRestart; // kAlbumGaps after each restart
};

QTEST_GUILESS_MAIN(TestCrash)
#include "tst_e2e_crash.moc"
