// pinhole-cli as a user runs it, against the real pinholed: login (and its errors and exit
// codes), import with dedupe and upload, status, post; and kill -9 at points spread over
// import and upload, ten times in a row: the local database passes integrity_check every time,
// and the final state has every photo exactly once, locally and on the server; and kill -9 of
// `post`, after which the outbox holds each queued post once and the server shows it once.
#include "core/digest.h"
#include "engine/engine.h"
#include "httpclient.h"
#include "serverprocess.h"
#include "store/database.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QMap>
#include <QProcess>
#include <QRandomGenerator>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using pinhole::test::HttpClient;
using pinhole::test::ServerProcess;
namespace store = pinhole::sync::store;

namespace {
const QString kPassword = QStringLiteral("correct horse battery staple");

struct Run {
    int exitCode = -1;
    QString out, err;
};

// A noise JPEG; `w`x`h` decides its size.
QString makeJpeg(const QString& dir, const QString& name, int w = 96, int h = 64) {
    QDir().mkpath(dir);
    const QString path = dir + "/" + name;
    QProcess p;
    p.start(QStandardPaths::findExecutable("vips"),
            {"gaussnoise", path + "[Q=95]", QString::number(w), QString::number(h)});
    return p.waitForFinished(60000) && p.exitCode() == 0 ? path : QString();
}

// One integer from the CLI's store, read through a connection of our own (read-only).
int query(const QString& db, const char* sql) {
    if (!QFile::exists(db))
        return 0;
    auto conn = store::Database::open(db.toStdString(), {true, 5000});
    if (!conn)
        return -1;
    auto q = (*conn)->prepare(sql);
    auto row = q.step();
    return row.isOk() && *row ? static_cast<int>(q.int64(0)) : -1;
}
} // namespace

class TestE2eCli : public QObject {
    Q_OBJECT
    ServerProcess m_server{"[auth]\nlogin_attempts_per_address = 1000\n"};
    QTemporaryDir m_dir;
    int m_profiles = 0;

    Run cli(const QString& profile, const QStringList& args, const QByteArray& input = {}) {
        QProcess p;
        p.start(PINHOLE_CLI_PATH, QStringList{"--profile", profile} + args);
        p.waitForStarted();
        p.write(input);
        p.closeWriteChannel();
        p.waitForFinished(120000);
        return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
                QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
    }
    QString loggedIn(const QString& user = "alice") {
        const QString profile = m_dir.path() + QString("/profile%1").arg(++m_profiles);
        const Run r = cli(profile, {"login", m_server.baseUrl(), user, "--password-stdin"}, kPassword.toUtf8() + "\n");
        return r.exitCode == 0 ? profile : QString();
    }
    QString token(const QString& user = "alice") { return HttpClient(m_server.baseUrl()).login(user, kPassword); }

private slots:
    void initTestCase() {
        QVERIFY(QFile::exists(PINHOLE_CLI_PATH));
        QVERIFY(m_server.start());
        QVERIFY(m_server.createUser("alice", kPassword));
        QVERIFY(m_server.createUser("carol", kPassword)); // libraries of their own for the kill tests
        QVERIFY(m_server.createUser("dave", kPassword));
        QVERIFY(m_server.createUser("erin", kPassword));
    }

    void loginSucceedsWithThePasswordOnStdin() {
        const QString profile = m_dir.path() + "/login-ok";
        const Run r =
            cli(profile, {"login", m_server.baseUrl(), "alice", "--password-stdin"}, kPassword.toUtf8() + "\n");
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains("signed in"));
        const Run status = cli(profile, {"status"});
        QCOMPARE(status.exitCode, 0);
        QVERIFY(status.out.contains(m_server.baseUrl()));
        QVERIFY(status.out.contains("alice"));
    }

    void aWrongPasswordIsRefusedWithExitCode4() {
        const Run r = cli(m_dir.path() + "/login-bad", {"login", m_server.baseUrl(), "alice", "--password-stdin"},
                          "wrong password\n");
        QCOMPARE(r.exitCode, 4);
        QVERIFY(!r.err.isEmpty());
    }

    void anUnreachableServerIsExitCode3() {
        ServerProcess gone;
        QVERIFY(gone.start());
        const QString url = gone.baseUrl();
        gone.stop();
        const Run r =
            cli(m_dir.path() + "/login-gone", {"login", url, "alice", "--password-stdin"}, kPassword.toUtf8() + "\n");
        QCOMPARE(r.exitCode, 3);
    }

    void aSelfSignedServerIsPinnedOnFirstUseAndAnotherKeyRefused() {
        ServerProcess tls({}, {"--tls-self-signed"});
        QVERIFY(tls.start());
        QVERIFY(tls.createUser("alice", kPassword));
        QVERIFY(tls.baseUrl().startsWith("https://"));
        QString printed;
        QCOMPARE(tls.admin({"fingerprint"}, {}, &printed), 0);
        const QString profile = m_dir.path() + "/tls";
        const Run r = cli(profile, {"login", tls.baseUrl(), "alice", "--password-stdin"}, kPassword.toUtf8() + "\n");
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.err.contains(printed.trimmed()), qPrintable(r.err)); // the user can compare
        QCOMPARE(cli(profile, {"status"}).exitCode, 0);

        // Another server (another key) at the pinned account's address: refused, exit code 4.
        ServerProcess other({}, {"--tls-self-signed"});
        QVERIFY(other.start());
        {
            auto engine = pinhole::sync::Engine::open((profile + "/pinhole.db").toStdString());
            QVERIFY(engine.isOk());
            QVERIFY((*engine)->setServerUrl(other.baseUrl().toStdString()).isOk());
            auto round = (*engine)->syncOnce();
            QVERIFY(!round.isOk());
            QCOMPARE(round.status().code(), pinhole::sync::Code::Untrusted);
        }
        QCOMPARE(cli(profile, {"sync", "--once"}).exitCode, 4);
    }

    void usageErrorsAreExitCode2() {
        QCOMPARE(cli(m_dir.path() + "/usage", {"frobnicate"}).exitCode, 2);
        QCOMPARE(cli(m_dir.path() + "/usage", {"post", "x.jpg"}).exitCode, 2); // no --caption
    }

    void syncWithoutLoginSaysSo() {
        const Run r = cli(m_dir.path() + "/nologin", {"sync", "--once"});
        QCOMPARE(r.exitCode, 4);
        QVERIFY(r.err.contains("login"));
    }

    void importAddsDedupesAndUploads() {
        const QString profile = loggedIn();
        QVERIFY(!profile.isEmpty());
        const QString photos = m_dir.path() + "/import";
        QVERIFY(!makeJpeg(photos + "/a", "1.jpg").isEmpty());
        QVERIFY(!makeJpeg(photos + "/a", "2.jpg").isEmpty());
        QVERIFY(QFile::copy(photos + "/a/1.jpg", photos + "/b-copy.jpg"));
        const Run r = cli(profile, {"import", photos});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("imported 2 new photos (1 already in the library"), qPrintable(r.out));
        const Run status = cli(profile, {"status"});
        QVERIFY2(status.out.contains("photos:      2"), qPrintable(status.out));
        QVERIFY2(status.out.contains("0 pending, 2 done, 0 parked"), qPrintable(status.out));
        QVERIFY(!status.out.contains("last sync:   never"));
    }

    void postPublishesThePhotosWithTheCaption() {
        const QString profile = loggedIn();
        QVERIFY(!profile.isEmpty());
        const QString photo = makeJpeg(m_dir.path() + "/post", "p.jpg");
        const Run r = cli(profile, {"post", photo, "--caption", "Harbour at night #cli"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        HttpClient http(m_server.baseUrl(), token());
        const QString me = http.get("/api/v1/accounts/verify_credentials").json().value("id").toString();
        bool found = false;
        for (const auto& s : http.get("/api/v1/accounts/" + me + "/statuses").jsonArray())
            found = found || s.toObject().value("content").toString().contains("Harbour at night");
        QVERIFY(found);
    }

    void killedTenTimesDuringImportLosesAndDuplicatesNothing() {
        const QString profile = loggedIn("carol");
        QVERIFY(!profile.isEmpty());
        const QString db = profile + "/pinhole.db";
        const QString photos = m_dir.path() + "/kill";
        constexpr int kPhotos = 40;
        QStringList hashes;
        for (int i = 0; i < kPhotos; ++i) {
            const QString p = makeJpeg(photos, QString("k%1.jpg").arg(i), 400, 300);
            QVERIFY(!p.isEmpty());
            hashes << QString::fromStdString(*pinhole::sync::sha256OfFile(p.toStdString()));
        }
        // Progress = assets imported + uploads finished (0..80); each run is killed a little
        // further along, so the kills fall in hashing, in the database writes and in uploads.
        const char* progress =
            "SELECT (SELECT count(*) FROM assets) + (SELECT count(*) FROM uploads WHERE state = 'done')";
        for (int i = 0; i < 10; ++i) {
            QProcess p;
            p.start(PINHOLE_CLI_PATH, {"--profile", profile, "import", photos});
            QVERIFY(p.waitForStarted());
            const int target = std::min(query(db, progress) + 1 + (i % 3), 2 * kPhotos - 1);
            QTRY_VERIFY_WITH_TIMEOUT(query(db, progress) >= target || p.state() == QProcess::NotRunning, 60000);
            p.kill(); // SIGKILL
            p.waitForFinished();
            QCOMPARE(query(db, "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check != 'ok'"), 0);
            QCOMPARE(query(db, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
        }
        const Run last = cli(profile, {"import", photos});
        QVERIFY2(last.exitCode == 0, qPrintable(last.err));
        QCOMPARE(query(db, "SELECT count(*) FROM assets"), kPhotos);
        QCOMPARE(query(db, "SELECT count(DISTINCT sha256) FROM assets"), kPhotos);
        QCOMPARE(query(db, "SELECT count(*) FROM asset_files"), kPhotos);
        QCOMPARE(query(db, "SELECT count(*) FROM uploads WHERE state = 'done'"), kPhotos);
        QCOMPARE(query(db, "SELECT count(*) FROM assets WHERE server_id IS NULL"), 0);
        QCOMPARE(query(db, "SELECT count(DISTINCT server_id) FROM assets"), kPhotos);
        HttpClient http(m_server.baseUrl(), token("carol"));
        QJsonArray all;
        for (const auto& h : hashes)
            all.append(h);
        const auto existing =
            http.postJson("/api/pinhole/v1/assets/check", {{"sha256", all}}).json().value("existing").toArray();
        QCOMPARE(existing.size(), kPhotos);
    }

    void killedTenTimesDuringSyncSendsEveryOperationOnce() {
        const QString profile = loggedIn("dave");
        QVERIFY(!profile.isEmpty());
        const QString db = profile + "/pinhole.db";
        const QString photos = m_dir.path() + "/push";
        constexpr int kPosts = 12;
        for (int i = 0; i < kPosts; ++i)
            QVERIFY(!makeJpeg(photos, QString("p%1.jpg").arg(i)).isEmpty());
        QCOMPARE(cli(profile, {"import", photos, "--offline"}).exitCode, 0);
        { // queue a caption and a post per photo, as the app would
            auto engine = pinhole::sync::Engine::open(db.toStdString());
            QVERIFY(engine.isOk());
            auto assets = (*engine)->library().assets().value();
            QCOMPARE(static_cast<int>(assets.size()), kPosts);
            for (int i = 0; i < kPosts; ++i) {
                const auto& sha = assets[static_cast<std::size_t>(i)].sha256;
                QVERIFY((*engine)->library().setCaption(sha, "caption " + std::to_string(i)).isOk());
                QVERIFY((*engine)->library().post({sha}, "kill post " + std::to_string(i)).isOk());
            }
        }
        // Progress = uploads done + operations applied + mirrored posts; each run is killed a
        // little further along (uploads, pushes, pulls).
        const char* progress = "SELECT (SELECT count(*) FROM uploads WHERE state = 'done') + "
                               "(SELECT count(*) FROM outbox WHERE state = 'applied') + "
                               "(SELECT count(*) FROM mirror WHERE kind = 'post')";
        for (int i = 0; i < 10; ++i) {
            QProcess p;
            p.start(PINHOLE_CLI_PATH, {"--profile", profile, "sync", "--once"});
            QVERIFY(p.waitForStarted());
            const int target = query(db, progress) + 1 + (i % 3);
            QTRY_VERIFY_WITH_TIMEOUT(query(db, progress) >= target || p.state() == QProcess::NotRunning, 60000);
            p.kill(); // SIGKILL
            p.waitForFinished();
            QCOMPARE(query(db, "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check != 'ok'"), 0);
            QCOMPARE(query(db, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
        }
        // Then sync until everything is answered and the stream has brought the posts back.
        QTRY_VERIFY_WITH_TIMEOUT(cli(profile, {"sync", "--once"}).exitCode == 0 &&
                                     query(db, "SELECT count(*) FROM outbox WHERE state != 'applied'") == 0 &&
                                     query(db, "SELECT count(*) FROM mirror WHERE kind = 'post'") == kPosts,
                                 120000);
        QCOMPARE(query(db, "SELECT count(*) FROM outbox WHERE state = 'applied'"), 2 * kPosts);

        HttpClient http(m_server.baseUrl(), token("dave"));
        const QString me = http.get("/api/v1/accounts/verify_credentials").json().value("id").toString();
        const auto statuses = http.get("/api/v1/accounts/" + me + "/statuses?limit=40").jsonArray();
        QCOMPARE(statuses.size(), kPosts); // every post once: none lost, none twice
        QSet<QString> captions;
        for (const auto& s : statuses)
            captions.insert(s.toObject().value("content").toString());
        QCOMPARE(captions.size(), kPosts);
    }

    // `pinhole-cli post` killed at a random moment, twelve times: before, while or after it
    // queues the post (printing "post queued (operation …)") and while it uploads and pushes.
    // The store opens after every kill, the outbox holds each queued post exactly once, and once
    // synced the server has each post exactly once — a resent operation id is answered, not
    // applied again.
    void killedWhilePostingKeepsEveryQueuedPostOnceEverywhere() {
        const QString profile = loggedIn("erin");
        QVERIFY(!profile.isEmpty());
        const QString db = profile + "/pinhole.db";
        constexpr int kRuns = 12;
        QMap<QString, QString> queued; // op id -> caption, as the CLI acknowledged them
        auto acknowledged = [&](const QString& out, const QString& caption) {
            if (const auto at = out.indexOf("post queued (operation "); at >= 0)
                queued[out.mid(at + 23).section(')', 0, 0)] = caption;
        };
        // A client that stalls between the server's answer and recording it
        // (sync/replication/push.cpp): kills often fall after an operation was applied and
        // before the outbox knows, so the next run sends it again.
        qputenv("PINHOLE_TEST_PUSH_RECORD_DELAY_MS", "300");
        // One run to its end tells how long a run takes here; the kills spread over that.
        const QString first = makeJpeg(m_dir.path() + "/erin", "whole.jpg", 400, 300);
        QElapsedTimer clock;
        clock.start();
        const Run whole = cli(profile, {"post", first, "--caption", "erin post whole."});
        const int runMillis = static_cast<int>(clock.elapsed());
        QVERIFY2(whole.exitCode == 0, qPrintable(whole.err));
        acknowledged(whole.out, "erin post whole.");
        for (int i = 0; i < kRuns; ++i) {
            const QString photo = makeJpeg(m_dir.path() + "/erin", QString("e%1.jpg").arg(i), 400, 300);
            QVERIFY(!photo.isEmpty());
            const QString caption = QString("erin post %1.").arg(i); // the dot: "post 1." is not in "post 11."
            QProcess p;
            p.start(PINHOLE_CLI_PATH, {"--profile", profile, "post", photo, "--caption", caption});
            QVERIFY(p.waitForStarted());
            // A random moment of the run, not synchronisation.
            p.waitForFinished(QRandomGenerator::global()->bounded(1, runMillis + 1));
            p.kill(); // SIGKILL (a no-op if it finished)
            p.waitForFinished();
            acknowledged(QString::fromUtf8(p.readAllStandardOutput()), caption);
            QVERIFY(pinhole::sync::Engine::open(db.toStdString()).isOk()); // the store opens
            QCOMPARE(query(db, "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check != 'ok'"), 0);
        }
        qunsetenv("PINHOLE_TEST_PUSH_RECORD_DELAY_MS");
        qInfo("%lld of %d killed posts acknowledged as queued (a run takes %d ms)",
              static_cast<long long>(queued.size() - 1), kRuns, runMillis);
        QVERIFY(queued.size() > 1);
        for (auto it = queued.cbegin(); it != queued.cend(); ++it)
            QCOMPARE(query(db, qPrintable("SELECT count(*) FROM outbox WHERE op_id = '" + it.key() + "'")), 1);
        QCOMPARE(query(db, "SELECT count(*) FROM outbox WHERE kind = 'post.create'"),
                 query(db, "SELECT count(DISTINCT payload) FROM outbox WHERE kind = 'post.create'"));

        QTRY_VERIFY_WITH_TIMEOUT(cli(profile, {"sync", "--once"}).exitCode == 0 &&
                                     query(db, "SELECT count(*) FROM outbox WHERE state != 'applied'") == 0,
                                 120000);
        HttpClient http(m_server.baseUrl(), token("erin"));
        const QString me = http.get("/api/v1/accounts/verify_credentials").json().value("id").toString();
        QMap<QString, int> onServer;
        for (const auto& s : http.get("/api/v1/accounts/" + me + "/statuses?limit=40").jsonArray())
            ++onServer[s.toObject().value("content").toString()];
        QCOMPARE(onServer.size(), query(db, "SELECT count(*) FROM outbox WHERE kind = 'post.create'"));
        for (auto it = onServer.cbegin(); it != onServer.cend(); ++it)
            QVERIFY2(it.value() == 1, qPrintable(it.key())); // none twice
        for (const QString& caption : std::as_const(queued)) {
            bool found = false;
            for (auto it = onServer.cbegin(); it != onServer.cend(); ++it)
                found = found || it.key().contains(caption);
            QVERIFY2(found, qPrintable(caption)); // none lost
        }
    }
};

QTEST_GUILESS_MAIN(TestE2eCli)
#include "tst_e2e_cli.moc"
