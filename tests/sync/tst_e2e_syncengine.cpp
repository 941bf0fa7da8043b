// The sync engine against the real pinholed (docs/protocol.md), read as a specification:
// - a client offline for the whole test queues everything, and drains it when the server appears;
// - an operation sent twice (its answer lost) is applied once;
// - a permanent refusal is parked with its reason and the rest continues;
// - a caption edited on two clients: both converge on the server's winner (last writer by HLC),
//   and the losing text stays as a conflict record;
// - likes from two clients converge, and an unlike only removes the like it saw (add-wins);
// - the watcher thread syncs a nudged edit and calls back;
// - a pull cut by the server stopping resumes and applies nothing twice;
// - a client in step receives one new change in one round trip.
#include "core/digest.h"
#include "engine/engine.h"
#include "httpclient.h"
#include "serverprocess.h"

#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <atomic>

using namespace pinhole::sync;
using pinhole::test::HttpClient;
using pinhole::test::ServerProcess;

// Sync rounds until nothing waits any more.
#define SETTLE(engine) QTRY_VERIFY_WITH_TIMEOUT(settledRound(engine), 60000)

namespace {
const QString kPassword = QStringLiteral("correct horse battery staple");

QString makeJpeg(const QString& dir, const QString& name, int w = 96, int h = 64) {
    const QString path = dir + "/" + name;
    QProcess p;
    p.start(QStandardPaths::findExecutable("vips"), {"gaussnoise", path, QString::number(w), QString::number(h)});
    return p.waitForFinished(60000) && p.exitCode() == 0 ? path : QString();
}

int count(Engine& e, const std::string& sql) {
    auto q = e.store().db().prepare(sql);
    return q.step().value() ? static_cast<int>(q.int64(0)) : -1;
}

// One sync round, then count(): for polling what the stream brings.
int countAfterRound(Engine& e, const std::string& sql) {
    return e.syncOnce().isOk() ? count(e, sql) : -1;
}
} // namespace

class TestE2eSyncEngine : public QObject {
    Q_OBJECT
    ServerProcess m_server;
    QTemporaryDir m_dir;
    int m_clients = 0;
    QString m_aliceToken;
    QString m_aliceId;

    std::unique_ptr<Engine> client(const char* user = "alice") {
        auto engine = Engine::open((m_dir.path() + QString("/client%1.db").arg(++m_clients)).toStdString());
        if (!engine || !(*engine)->login(m_server.baseUrl().toStdString(), user, kPassword.toStdString()))
            return nullptr;
        return std::move(*engine);
    }
    HttpClient alice() { return HttpClient(m_server.baseUrl(), m_aliceToken); }

    // One sync round; true when nothing waits any more (a post waits for its photos to be
    // processed by the server). SETTLE polls it.
    bool settledRound(Engine& e) {
        auto r = e.syncOnce();
        if (!r) {
            qWarning("sync failed: %s", r.status().message().c_str());
            return false;
        }
        return !r->push.waiting && r->uploads.uploaded == 0;
    }
    std::string importPhoto(Engine& e, const QString& name) {
        const QString photo = makeJpeg(m_dir.path(), name);
        if (photo.isEmpty() || !e.library().importPath(photo.toStdString()).isOk())
            return {};
        return *sha256OfFile(photo.toStdString());
    }
    // A public post by bob (through the Mastodon API), for alice's clients to like.
    QString bobPost(const QString& caption) {
        HttpClient bob(m_server.baseUrl());
        bob.setToken(bob.login("bob", kPassword));
        const QString photo = makeJpeg(m_dir.path(), "bob-" + QString::number(++m_clients) + ".jpg");
        QFile f(photo);
        if (!f.open(QIODevice::ReadOnly))
            return {};
        const QByteArray boundary = "pinholeboundary";
        const QByteArray body = "--" + boundary +
                                "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"b.jpg\"\r\n"
                                "Content-Type: image/jpeg\r\n\r\n" +
                                f.readAll() + "\r\n--" + boundary + "--\r\n";
        const auto media = bob.send("POST", "/api/v1/media", body, "multipart/form-data; boundary=" + boundary);
        const QJsonObject status{{"status", caption}, {"media_ids", QJsonArray{media.json().value("id").toString()}}};
        return bob.postJson("/api/v1/statuses", status).json().value("id").toString();
    }
    QJsonArray aliceStatuses() { return alice().get("/api/v1/accounts/" + m_aliceId + "/statuses").jsonArray(); }

private slots:
    void initTestCase() {
        QVERIFY(m_server.start());
        QVERIFY(m_server.createUser("alice", kPassword));
        QVERIFY(m_server.createUser("bob", kPassword));
        HttpClient http(m_server.baseUrl());
        m_aliceToken = http.login("alice", kPassword);
        QVERIFY(!m_aliceToken.isEmpty());
        m_aliceId = alice().get("/api/v1/accounts/verify_credentials").json().value("id").toString();
    }

    void anOfflineClientQueuesEverythingAndDrainsWhenTheServerAppears() {
        auto e = client();
        QVERIFY(e);
        QVERIFY(m_server.stop() == 0);

        const std::string sha = importPhoto(*e, "offline.jpg");
        QVERIFY(!sha.empty());
        QVERIFY(e->library().setCaption(sha, "Written on a train").isOk());
        QVERIFY(e->library().post({sha}, "Posted from a tunnel #offline").isOk());
        for (int i = 0; i < 3; ++i) { // rounds while offline: nothing is lost, nothing counted
            auto r = e->syncOnce();
            QVERIFY(!r.isOk());
            QCOMPARE(r.status().code(), Code::Unavailable);
        }
        QCOMPARE(count(*e, "SELECT count(*) FROM outbox WHERE state = 'queued' AND attempts = 0"), 2);
        QCOMPARE(count(*e, "SELECT count(*) FROM uploads WHERE state = 'pending'"), 1);

        QVERIFY(m_server.start());
        QVERIFY(e->setServerUrl(m_server.baseUrl().toStdString()).isOk());
        SETTLE(*e);

        auto status = e->status().value();
        QCOMPARE(status.operations.applied, 2);
        QCOMPARE(status.operations.queued + status.operations.sending + status.operations.parked, 0);
        QCOMPARE(status.uploadsDone, 1);
        auto asset = e->library().asset(sha).value();
        QVERIFY(asset->serverId);
        const auto served = alice().get("/api/pinhole/v1/assets/" + QString::fromStdString(*asset->serverId)).json();
        QCOMPARE(served.value("description").toString(), QStringLiteral("Written on a train"));
        const auto posts = aliceStatuses();
        QCOMPARE(posts.size(), 1);
        QVERIFY(posts[0].toObject().value("content").toString().contains("Posted from a tunnel"));
        // The post comes back through the change stream into the local mirror (the stream
        // serves it once the server's consumers have taken it in: a round or two later).
        QTRY_COMPARE_WITH_TIMEOUT(countAfterRound(*e, "SELECT count(*) FROM mirror WHERE kind = 'post'"), 1, 10000);
    }

    void anOperationSentTwiceIsAppliedOnce() {
        auto e = client();
        QVERIFY(e);
        const std::string sha = importPhoto(*e, "twice.jpg");
        SETTLE(*e); // the photo is up
        const int before = aliceStatuses().size();
        auto opId = e->library().post({sha}, "Only once");
        QVERIFY(opId.isOk());
        SETTLE(*e);
        QCOMPARE(aliceStatuses().size(), before + 1);

        // The answer was lost (the process died before recording it): the op is sent again.
        QVERIFY(
            e->store().db().prepare("UPDATE outbox SET state = 'queued' WHERE op_id = ?").bind(1, *opId).run().isOk());
        SETTLE(*e);
        QCOMPARE(aliceStatuses().size(), before + 1);
        auto q = e->store().db().prepare("SELECT state, json_extract(result, '$.status') FROM outbox WHERE op_id = ?");
        q.bind(1, *opId);
        QVERIFY(q.step().value());
        QCOMPARE(q.text(0), std::string("applied"));
        QCOMPARE(q.text(1), std::string("already_applied"));
    }

    void aPermanentRefusalIsParkedWithItsReasonAndTheRestContinues() {
        auto e = client();
        QVERIFY(e);
        const std::string sha = importPhoto(*e, "refusal.jpg");
        SETTLE(*e);
        QVERIFY(e->library().like("424242424242").isOk()); // a post that does not exist
        QVERIFY(e->library().setCaption(sha, "After the refusal").isOk());
        SETTLE(*e);

        auto status = e->status().value();
        QCOMPARE(status.parkedOperations.size(), std::size_t(1));
        QCOMPARE(status.parkedOperations.front().kind, std::string("like"));
        QVERIFY(status.parkedOperations.front().reason.has_value());
        QVERIFY(!status.parkedOperations.front().reason->empty());
        auto asset = e->library().asset(sha).value();
        const auto served = alice().get("/api/pinhole/v1/assets/" + QString::fromStdString(*asset->serverId)).json();
        QCOMPARE(served.value("description").toString(), QStringLiteral("After the refusal"));

        // Parked, never retried by itself; the user may discard it (it stays, as discarded).
        SETTLE(*e);
        QCOMPARE(e->status()->operations.parked, 1);
        QVERIFY(e->discardOperation(status.parkedOperations.front().id).isOk());
        QCOMPARE(e->status()->operations.discarded, 1);
    }

    void aCaptionEditedOnTwoClientsConvergesAndKeepsTheLosingText() {
        auto first = client();
        auto second = client();
        QVERIFY(first && second);
        const std::string sha = importPhoto(*first, "caption.jpg");
        SETTLE(*first);
        QVERIFY(second->library().importPath((m_dir.path() + "/caption.jpg").toStdString()).isOk());
        SETTLE(*second); // bytes known: not sent again; the server id comes by the stream

        // Both edit offline; the second edits later, so its stamp is not smaller (on a tie the
        // server keeps what it has, which is the second's as well).
        QVERIFY(first->library().setCaption(sha, "Lake at dawn").isOk());
        QVERIFY(second->library().setCaption(sha, "Lake at dawn, Annecy").isOk());

        SETTLE(*second); // the later edit arrives first: applied
        SETTLE(*first);  // the earlier one loses: conflict, kept as a record
        SETTLE(*second);

        const QString winner = QStringLiteral("Lake at dawn, Annecy");
        const auto asset = first->library().asset(sha).value();
        const auto served = alice().get("/api/pinhole/v1/assets/" + QString::fromStdString(*asset->serverId)).json();
        QCOMPARE(served.value("description").toString(), winner);
        QCOMPARE(QString::fromStdString(asset->caption), winner);
        QCOMPARE(QString::fromStdString(second->library().asset(sha).value()->caption), winner);
        const auto conflicts = first->library().conflicts().value();
        QCOMPARE(conflicts.size(), std::size_t(1));
        QCOMPARE(conflicts.front().lost, std::string("Lake at dawn"));
        QCOMPARE(QString::fromStdString(conflicts.front().kept), winner);
    }

    void likesFromTwoClientsConverge() {
        const QString bobPost = this->bobPost("Bob's lake");
        QVERIFY(!bobPost.isEmpty());

        auto first = client();
        auto second = client();
        QVERIFY(first && second);
        QVERIFY(first->library().like(bobPost.toStdString()).isOk());
        QVERIFY(second->library().like(bobPost.toStdString()).isOk());
        SETTLE(*first);
        SETTLE(*second);
        SETTLE(*first);
        const auto post = alice().get("/api/v1/statuses/" + bobPost).json();
        QCOMPARE(post.value("favourites_count").toInt(), 1);
        QCOMPARE(post.value("favourited").toBool(), true);
        for (Engine* e : {first.get(), second.get()})
            QCOMPARE(
                count(*e, "SELECT count(*) FROM mirror WHERE kind = 'like' AND id = '" + bobPost.toStdString() + "'"),
                1);
    }

    void aPullCutByTheServerStoppingResumesAndAppliesNothingTwice() {
        // Two clients in step with the server (their snapshots done).
        auto reference = client();
        auto e = client();
        QVERIFY(reference && e);
        SETTLE(*reference);
        SETTLE(*e);
        // Then changes to pull: photos of alice's library, from another computer.
        auto source = client();
        QVERIFY(source);
        for (int i = 0; i < 4; ++i)
            QVERIFY(!importPhoto(*source, QString("pull%1.jpg").arg(i)).empty());
        SETTLE(*source);
        // Processing a photo is a change too (processing -> ready): wait until all are done,
        // so both clients pull the same, quiet log.
        const auto assets = source->library().assets().value();
        for (const auto& asset : assets)
            QTRY_COMPARE_WITH_TIMEOUT(
                alice()
                    .get("/api/pinhole/v1/assets/" + QString::fromStdString(asset.serverId.value_or("")))
                    .json()
                    .value("state")
                    .toString(),
                QStringLiteral("ready"), 30000);

        // The reference pulls them in one go, one change a page.
        net::HttpClient refHttp;
        refHttp.setBearer(*reference->store().meta("access_token"));
        Puller refPuller(reference->store(), refHttp, m_server.baseUrl().toStdString());
        refPuller.setPageSize(1);
        auto whole = refPuller.run();
        QVERIFY(whole.isOk());
        QVERIFY(whole->changes >= 4);

        // The same pull, cut: the server stops after the second committed page.
        net::HttpClient http;
        http.setBearer(*e->store().meta("access_token"));
        int pages = 0;
        int changesBeforeCut = 0;
        Puller cut(e->store(), http, m_server.baseUrl().toStdString());
        cut.setPageSize(1);
        cut.onPage([&](int changes) {
            changesBeforeCut += changes;
            if (++pages == 2)
                m_server.stop();
        });
        auto first = cut.run();
        QVERIFY(!first.isOk());
        QCOMPARE(first.status().code(), Code::Unavailable);

        QVERIFY(m_server.start());
        QVERIFY(e->setServerUrl(m_server.baseUrl().toStdString()).isOk());
        Puller resumed(e->store(), http, m_server.baseUrl().toStdString());
        resumed.setPageSize(1);
        auto rest = resumed.run();
        QVERIFY2(rest.isOk(), rest.isOk() ? "" : rest.status().message().c_str());
        QCOMPARE(rest->resets, 0); // the cursor survived the restart
        // The pages before the cut plus the rest are exactly the reference's: none twice.
        QCOMPARE(changesBeforeCut + rest->changes, whole->changes);
        QCOMPARE(count(*e, "SELECT count(*) FROM mirror"), count(*reference, "SELECT count(*) FROM mirror"));
        QCOMPARE(count(*e, "SELECT count(*) FROM assets"), count(*reference, "SELECT count(*) FROM assets"));
    }

    void anUnlikeOnlyRemovesTheLikeItSaw() {
        const QString post = bobPost("Add-wins");
        QVERIFY(!post.isEmpty());
        auto first = client();
        auto second = client();
        QVERIFY(first && second);
        // The second client unlikes (stamped first), then the first likes (stamped later):
        // the like wins whatever order they arrive in.
        QVERIFY(second->library().unlike(post.toStdString()).isOk());
        const auto unlikedAt = HybridLogicalClock::millisOf(std::stoull(*second->store().meta("hlc")));
        QTRY_VERIFY(wallMillis() > unlikedAt); // so the like's stamp is strictly later
        QVERIFY(first->library().like(post.toStdString()).isOk());
        SETTLE(*first);
        SETTLE(*second);
        auto q =
            second->store().db().prepare("SELECT json_extract(result, '$.status') FROM outbox WHERE kind = 'unlike'");
        QVERIFY(q.step().value());
        QVERIFY2(q.text(0) == "conflict", q.text(0).c_str());
        QCOMPARE(alice().get("/api/v1/statuses/" + post).json().value("favourited").toBool(), true);
        QTRY_COMPARE_WITH_TIMEOUT(
            countAfterRound(*second,
                            "SELECT count(*) FROM mirror WHERE kind = 'like' AND id = '" + post.toStdString() + "'"),
            1, 10000);
    }

    void theWatcherSyncsANudgedEditAndCallsBack() {
        auto e = client();
        QVERIFY(e);
        const QString post = bobPost("Watched");
        std::atomic<int> outboxChanges{0};
        e->onChange([&](Change c) {
            if (c == Change::Outbox)
                ++outboxChanges;
        });
        e->startWatching(60'000); // the interval alone would not come within the test
        QVERIFY(e->library().like(post.toStdString()).isOk());
        e->nudge();
        QTRY_VERIFY_WITH_TIMEOUT(outboxChanges > 0, 20000);
        e->stopWatching();
        QCOMPARE(alice().get("/api/v1/statuses/" + post).json().value("favourited").toBool(), true);
    }

    void aClientInStepGetsOneNewChangeInOneRoundTrip() {
        auto e = client();
        QVERIFY(e);
        SETTLE(*e);
        const auto before = e->status()->cursor;
        // One change on the server: a post by another computer of the same account.
        auto other = client();
        QVERIFY(other);
        const std::string sha = importPhoto(*other, "elsewhere.jpg");
        QVERIFY(other->library().post({sha}, "One change").isOk());
        SETTLE(*other);
        // The stream serves a change once the server's counters consumer has applied it
        // (docs/protocol.md), a few milliseconds after the post, longer under a sanitizer: wait
        // until a poll from the client's cursor would find it complete, as a client polling a
        // moment later does; then one request must bring it.
        QVERIFY(before.has_value());
        const QString probe = "/api/pinhole/v1/sync/changes?cursor=" + QUrl::toPercentEncoding(QString::fromStdString(*before));
        QTRY_VERIFY_WITH_TIMEOUT(alice().get(probe).body.contains("One change") &&
                                     alice().get(probe).body.contains("\"more\":false"),
                                 20000);

        auto r = e->syncOnce();
        QVERIFY(r.isOk());
        QCOMPARE(r->pull.requests, 1);
        QVERIFY(r->pull.changes >= 1);
        QVERIFY(e->status()->cursor != before);
        QCOMPARE(count(*e, "SELECT count(*) FROM mirror WHERE kind = 'post' AND body LIKE '%One change%'"), 1);
    }
};

QTEST_GUILESS_MAIN(TestE2eSyncEngine)
#include "tst_e2e_syncengine.moc"
