// Crash consistency (issue 10): the real pinholed under a mixed load — photo uploads, posts,
// likes, follows and unfollows from three clients — is killed with SIGKILL at random moments,
// 30 times, and restarted each time. Afterwards every acknowledged upload is there with its
// SHA-256, `admin check` (integrity_check, foreign_key_check, every file's hash) is clean, no
// job is left pending or running, every counter equals a recount, and the event log has no gap.
#include "httpclient.h"
#include "serverprocess.h"

#include <QCryptographicHash>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
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
    "  id=$(curl -sf -m 5 -H \"Authorization: Bearer $ALICE\" -F file=@up.jpg \"$(cat url.txt)/api/v2/media\" | firstid)\n"
    "  [ -n \"$id\" ] && echo \"$id $sha\" >> uploads.txt; done";
const char* const kPoster = "while [ ! -e stop ]; do id=$(tail -n 1 uploads.txt 2>/dev/null | cut -d\" \" -f1)\n"
    "  [ -z \"$id\" ] && continue; u=$(cat url.txt)\n"
    "  post=$(curl -sf -m 5 -H \"Authorization: Bearer $ALICE\" -d \"status=crash&media_ids[]=$id\" \"$u/api/v1/statuses\" | firstid)\n"
    "  [ -n \"$post\" ] && echo \"$post posted\" >> posts.txt &&\n"
    "  curl -sf -m 5 -X POST -H \"Authorization: Bearer $BOB\" \"$u/api/v1/statuses/$post/favourite\" >/dev/null &&\n"
    "  echo \"$post liked\" >> posts.txt; done";
const char* const kFollower = "while [ ! -e stop ]; do u=$(cat url.txt)\n"
    "  curl -sf -m 5 -X POST -H \"Authorization: Bearer $BOB\" \"$u/api/v1/accounts/$ALICE_ID/follow\" >/dev/null &&\n"
    "  echo \"x followed\" >> follows.txt\n"
    "  curl -sf -m 5 -X POST -H \"Authorization: Bearer $BOB\" \"$u/api/v1/accounts/$ALICE_ID/unfollow\" >/dev/null &&\n"
    "  echo \"x unfollowed\" >> follows.txt; done";
// The first "id" of a JSON answer (the object's own: ids of nested objects come after it).
const char* const kFirstId = "firstid() { grep -o \"\\\"id\\\":\\\"[0-9]*\\\"\" | head -n 1 | tr -dc 0-9; }\n";

} // namespace

class TestCrash : public QObject {
    Q_OBJECT
    ServerProcess m_server{kConfig};
    QTemporaryDir m_dir;

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

private slots:
    void killedAgainAndAgainLosesNothingAcknowledged() {
        QVERIFY(m_server.start());
        QVERIFY(m_server.createUser("alice", kPassword));
        QVERIFY(m_server.createUser("bob", kPassword));
        const QString alice = HttpClient(m_server.baseUrl()).login("alice", kPassword);
        const QString bob = HttpClient(m_server.baseUrl()).login("bob", kPassword);
        QVERIFY(!alice.isEmpty() && !bob.isEmpty());
        const QString aliceId =
            HttpClient(m_server.baseUrl(), alice).get("/api/v1/accounts/verify_credentials").json()["id"].toString();
        QProcess vips;
        vips.start(QStandardPaths::findExecutable("vips"), {"gaussnoise", m_dir.filePath("photo.jpg"), "320", "240"});
        QVERIFY(vips.waitForFinished(60000) && vips.exitCode() == 0);
        QVERIFY(writeUrl());

        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("ALICE", alice);
        env.insert("BOB", bob);
        env.insert("ALICE_ID", aliceId);
        std::vector<std::unique_ptr<QProcess>> clients;
        for (const char* script : {kUploader, kPoster, kFollower}) {
            auto p = std::make_unique<QProcess>();
            p->setWorkingDirectory(m_dir.path());
            p->setProcessEnvironment(env);
            p->start("bash", {"-c", QString(kFirstId) + script});
            QVERIFY(p->waitForStarted());
            clients.push_back(std::move(p));
        }

        // Each round: let the load run until one more upload is acknowledged, plus a random
        // 0-300 ms, then SIGKILL and restart.
        for (int round = 0; round < kKills; ++round) {
            const auto before = lines(m_dir.filePath("uploads.txt")).size();
            QTRY_VERIFY_WITH_TIMEOUT(lines(m_dir.filePath("uploads.txt")).size() > before, 30000);
            QTest::qWait(QRandomGenerator::global()->bounded(300)); // a random moment, not synchronisation
            m_server.kill();
            QVERIFY2(m_server.start(), qPrintable(m_server.log().right(2000)));
            QVERIFY(writeUrl());
        }
        QFile(m_dir.filePath("stop")).open(QIODevice::WriteOnly);
        for (auto& p : clients)
            QVERIFY(p->waitForFinished(60000));

        qInfo("acknowledged before and between %d kills: %lld uploads, %lld posts and likes, %lld follows and unfollows",
              kKills, static_cast<long long>(lines(m_dir.filePath("uploads.txt")).size()),
              static_cast<long long>(lines(m_dir.filePath("posts.txt")).size()),
              static_cast<long long>(lines(m_dir.filePath("follows.txt")).size()));
        // Every acknowledged upload is there, byte for byte.
        HttpClient http(m_server.baseUrl(), alice);
        const auto uploads = lines(m_dir.filePath("uploads.txt"));
        QVERIFY(uploads.size() >= kKills);
        for (const QByteArrayList& upload : uploads) {
            const auto original = http.get("/media/" + QString::fromUtf8(upload[0]) + "/original");
            QVERIFY2(original.status == 200, upload[0].constData());
            QCOMPARE(QCryptographicHash::hash(original.body, QCryptographicHash::Sha256).toHex(), upload[1]);
        }
        // Every acknowledged post and like is there.
        for (const QByteArrayList& post : lines(m_dir.filePath("posts.txt"))) {
            const auto status = http.get("/api/v1/statuses/" + QString::fromUtf8(post[0]));
            QVERIFY2(status.status == 200, post[0].constData());
            if (post[1] == "liked")
                QVERIFY(status.json()["favourites_count"].toInt() >= 1);
        }
        QVERIFY(!lines(m_dir.filePath("follows.txt")).isEmpty());

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
};

QTEST_GUILESS_MAIN(TestCrash)
#include "tst_e2e_crash.moc"
