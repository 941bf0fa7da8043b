// The social side of the sync engine (sync/social/social.h) against the real pinholed, with
// two or more accounts: one uses an Engine, the others plain HTTP (the Mastodon API), and each
// test reads what the engine's user would see.
#include "core/digest.h"
#include "engine/engine.h"
#include "httpclient.h"
#include "serverprocess.h"

#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace pinhole::sync;
using pinhole::test::HttpClient;
using pinhole::test::ServerProcess;

// Sync rounds until nothing waits any more.
#define SETTLE(engine) QTRY_VERIFY_WITH_TIMEOUT(settledRound(engine), 60000)
// Sync rounds until `condition` holds (what the stream brings only grows in these tests).
#define SYNC_UNTIL(engine, condition) QTRY_VERIFY_WITH_TIMEOUT((engine).syncOnce().isOk() && (condition), 30000)

namespace {
const QString kPassword = QStringLiteral("correct horse battery staple");

QString makeJpeg(const QString& dir, const QString& name) {
    const QString path = dir + "/" + name;
    QProcess p;
    p.start(QStandardPaths::findExecutable("vips"), {"gaussnoise", path, "96", "64"});
    return p.waitForFinished(60000) && p.exitCode() == 0 ? path : QString();
}

template <class T> const char* reason(const Result<T>& r) {
    return r.isOk() ? "" : r.status().message().c_str();
}

bool hasNotification(Engine& e, const std::string& type, const std::string& from) {
    auto list = e.social().notifications();
    if (!list)
        return false;
    for (const auto& n : *list)
        if (n.type == type && n.from.username == from)
            return true;
    return false;
}
} // namespace

class TestE2eSocialEngine : public QObject {
    Q_OBJECT
    ServerProcess m_server;
    QTemporaryDir m_dir;
    int m_files = 0;

    QString storePath(const QString& user) { return m_dir.path() + "/" + user + ".db"; }
    std::unique_ptr<Engine> client(const QString& user) {
        auto engine = Engine::open(storePath(user).toStdString());
        if (!engine || !(*engine)->login(m_server.baseUrl().toStdString(), user.toStdString(), kPassword.toStdString()))
            return nullptr;
        return std::move(*engine);
    }
    QString token(const QString& user) { return HttpClient(m_server.baseUrl()).login(user, kPassword); }
    QString idOf(const QString& user) {
        return HttpClient(m_server.baseUrl()).get("/api/v1/accounts/lookup?acct=" + user).json().value("id").toString();
    }
    bool settledRound(Engine& e) {
        auto r = e.syncOnce();
        if (!r) {
            qWarning("sync failed: %s", r.status().message().c_str());
            return false;
        }
        return !r->push.waiting && r->uploads.uploaded == 0;
    }
    std::string importPhoto(Engine& e) {
        const QString photo = makeJpeg(m_dir.path(), QString("p%1.jpg").arg(++m_files));
        if (photo.isEmpty() || !e.library().importPath(photo.toStdString()).isOk())
            return {};
        return *sha256OfFile(photo.toStdString());
    }
    // A public post of `user` through the Mastodon API; returns its id.
    QString postOver(HttpClient& h, const QString& caption) {
        QFile f(makeJpeg(m_dir.path(), QString("h%1.jpg").arg(++m_files)));
        if (!f.open(QIODevice::ReadOnly))
            return {};
        const QByteArray boundary = "pinholeboundary";
        const QByteArray body = "--" + boundary +
                                "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"b.jpg\"\r\n"
                                "Content-Type: image/jpeg\r\n\r\n" +
                                f.readAll() + "\r\n--" + boundary + "--\r\n";
        const auto media = h.send("POST", "/api/v1/media", body, "multipart/form-data; boundary=" + boundary);
        const QJsonObject status{{"status", caption}, {"media_ids", QJsonArray{media.json().value("id").toString()}}};
        return h.postJson("/api/v1/statuses", status).json().value("id").toString();
    }

private slots:
    void initTestCase() {
        QVERIFY(m_server.start());
        for (const char* user : {"alice", "bob", "carol", "dave", "erin", "frank", "gina"})
            QVERIFY(m_server.createUser(user, kPassword));
    }

    void aFollowerLikesAndCommentsAndThePosterSeesItAll() {
        auto alice = client("alice");
        QVERIFY(alice);
        const std::string a = importPhoto(*alice), b = importPhoto(*alice);
        QVERIFY(!a.empty() && !b.empty());
        QVERIFY(alice->library().post({a, b}, "Two photos #alpine").isOk());
        SETTLE(*alice);
        SYNC_UNTIL(*alice, alice->social().feed()->posts.size() == 1);
        auto feed = alice->social().feed();
        QVERIFY2(feed.isOk(), reason(feed));
        const SocialPost post = feed->posts.front();
        QCOMPARE(post.media.size(), std::size_t(2));
        QCOMPARE(post.author.username, std::string("alice"));
        const QString postId = QString::fromStdString(post.id);

        HttpClient bob(m_server.baseUrl(), token("bob"));
        QCOMPARE(bob.send("POST", "/api/v1/accounts/" + idOf("alice") + "/follow").status, 200);
        QCOMPARE(bob.send("POST", "/api/v1/statuses/" + postId + "/favourite").status, 200);
        QCOMPARE(bob.postJson("/api/v1/statuses", {{"status", "Lovely light"}, {"in_reply_to_id", postId}}).status,
                 200);

        SYNC_UNTIL(*alice, hasNotification(*alice, "follow", "bob") && hasNotification(*alice, "favourite", "bob") &&
                               hasNotification(*alice, "mention", "bob"));
        QCOMPARE(alice->social().unreadNotificationCount().value(), 3);
        auto thread = alice->social().thread(post.id);
        QVERIFY2(thread.isOk(), reason(thread));
        QCOMPARE(thread->post.likes, std::int64_t(1));
        QCOMPARE(thread->post.comments, std::int64_t(1));
        QCOMPARE(thread->comments.size(), std::size_t(1));
        QCOMPARE(thread->comments.front().text, std::string("Lovely light"));
        QCOMPARE(thread->comments.front().author.username, std::string("bob"));
        auto followers = alice->social().followers();
        QVERIFY(followers.isOk());
        QCOMPARE(followers->size(), std::size_t(1));
        QVERIFY(alice->social().markNotificationsRead().isOk());
        QCOMPARE(alice->social().unreadNotificationCount().value(), 0);

        // Alice answers through the engine: her comment shows at once, then as the server's.
        auto op = alice->social().comment(post.id, "Thank you!");
        QVERIFY(op.isOk());
        QVERIFY(alice->social().thread(post.id)->comments.back().pending);
        SETTLE(*alice);
        SYNC_UNTIL(*alice, alice->social().thread(post.id)->comments.size() == 2 &&
                               !alice->social().thread(post.id)->comments.back().pending);
        const auto context = bob.get("/api/v1/statuses/" + postId + "/context").json();
        QCOMPARE(context.value("descendants").toArray().size(), 2);
    }

    void aLockedAccountsFollowRequestIsApprovedThroughTheEngine() {
        auto carol = client("carol");
        QVERIFY(carol);
        ProfileEdit edit;
        edit.locked = true;
        edit.displayName = "Carol C.";
        auto updated = carol->social().updateProfile(edit);
        QVERIFY2(updated.isOk(), reason(updated));
        QVERIFY(updated->locked);
        QCOMPARE(updated->displayName, std::string("Carol C."));
        // Carol's app has synced before (a snapshot carries no notifications, only the stream).
        QVERIFY(carol->syncOnce().isOk());

        HttpClient dave(m_server.baseUrl(), token("dave"));
        const QString carolId = idOf("carol"), daveId = idOf("dave");
        const auto asked = dave.send("POST", "/api/v1/accounts/" + carolId + "/follow").json();
        QVERIFY(asked.value("requested").toBool());

        SYNC_UNTIL(*carol, hasNotification(*carol, "follow_request", "dave"));
        QVERIFY(carol->social().notifications()->front().actionable);
        auto requests = carol->social().followRequests();
        QVERIFY(requests.isOk());
        QCOMPARE(requests->size(), std::size_t(1));
        QCOMPARE(requests->front().username, std::string("dave"));
        auto op = carol->social().approveFollowRequest(daveId.toStdString());
        QVERIFY2(op.isOk(), reason(op));
        QVERIFY(!carol->social().notifications()->front().actionable); // answered, pending
        QCOMPARE(carol->social().followRequests()->size(), std::size_t(0));
        SETTLE(*carol);
        QCOMPARE(carol->status()->operations.parked, 0);
        const auto rel = dave.get("/api/v1/accounts/relationships?id[]=" + carolId).jsonArray();
        QCOMPARE(rel.size(), 1);
        QVERIFY(rel.first().toObject().value("following").toBool());
        SYNC_UNTIL(*carol, carol->social().profile(daveId.toStdString()).isOk() &&
                               carol->social().profile(daveId.toStdString())->relationship->followedBy);
    }

    void aRefusedFollowIsRevertedWithItsReason() {
        auto erin = client("erin");
        QVERIFY(erin);
        HttpClient frank(m_server.baseUrl(), token("frank"));
        const QString frankId = idOf("frank");
        QCOMPARE(frank.send("POST", "/api/v1/accounts/" + idOf("erin") + "/block").status, 200);
        SYNC_UNTIL(*erin, erin->social().profile(frankId.toStdString()).isOk());
        QVERIFY(erin->social().profile(frankId.toStdString())->relationship->blockedBy);

        QVERIFY(erin->social().follow(frankId.toStdString()).isOk());
        QVERIFY(erin->social().follow("999999999").isOk());                              // no such account
        QVERIFY(erin->social().profile(frankId.toStdString())->relationship->following); // at once
        SETTLE(*erin);
        auto r = erin->social().profile(frankId.toStdString())->relationship;
        QVERIFY(!r->following && !r->requested && !r->pending); // reverted
        auto refusals = erin->social().refusals();
        QVERIFY(refusals.isOk());
        QCOMPARE(refusals->size(), std::size_t(2));
        for (const auto& refusal : *refusals) {
            QCOMPARE(refusal.kind, std::string("follow"));
            QVERIFY2(!refusal.reason.empty(), refusal.target.c_str());
        }
        QCOMPARE(refusals->back().target, frankId.toStdString()); // newest first
    }

    void searchFindsPeopleAndHashtagsOnline() {
        auto gina = client("gina");
        QVERIFY(gina);
        HttpClient bob(m_server.baseUrl(), token("bob"));
        QVERIFY(!postOver(bob, "Peaks #summitday").isEmpty());
        auto people = gina->social().search("bob");
        QVERIFY2(people.isOk(), reason(people));
        QCOMPARE(people->accounts.size(), std::size_t(1));
        QCOMPARE(people->accounts.front().username, std::string("bob"));
        auto tags = gina->social().search("summit");
        QVERIFY2(tags.isOk(), reason(tags));
        QCOMPARE(tags->hashtags, std::vector<std::string>{"summitday"});
        QVERIFY(tags->accounts.empty());
        QCOMPARE(gina->social().search("").status().code(), Code::InvalidArgument);
        ProfileEdit avatar;
        avatar.avatarSha256 = "00"; // no such photo in the library
        QCOMPARE(gina->social().updateProfile(avatar).status().code(), Code::NotFound);
        ProfileEdit tooLong;
        tooLong.displayName = std::string(1000, 'x');
        auto refused = gina->social().updateProfile(tooLong);
        QVERIFY(!refused.isOk());
        QVERIFY2(refused.status().message().find("display_name") != std::string::npos, reason(refused));
    }

    // Last: it stops and restarts the server.
    void aLikeMadeOfflineShowsAtOnceSurvivesReopeningAndSyncsLater() {
        HttpClient bob(m_server.baseUrl(), token("bob"));
        const QString bobPost = postOver(bob, "From bob");
        QVERIFY(!bobPost.isEmpty());
        const std::string postId = bobPost.toStdString();
        {
            auto alice = Engine::open(storePath("alice").toStdString());
            QVERIFY(alice.isOk());
            QVERIFY((*alice)->social().follow(idOf("bob").toStdString()).isOk());
            SETTLE(**alice);
            SYNC_UNTIL(**alice, (*alice)->social().thread(postId).isOk());
            QVERIFY(m_server.stop() == 0);
            QVERIFY((*alice)->social().like(postId).isOk());
            auto shown = (*alice)->social().thread(postId);
            QVERIFY(shown.isOk());
            QCOMPARE(shown->post.likes, std::int64_t(1));
            QVERIFY(shown->post.likedByMe && shown->post.pendingLike);
            QCOMPARE((*alice)->syncOnce().status().code(), Code::Unavailable);
        }
        auto alice = Engine::open(storePath("alice").toStdString()); // the app restarted
        QVERIFY(alice.isOk());
        auto shown = (*alice)->social().thread(postId);
        QVERIFY(shown.isOk());
        QVERIFY(shown->post.likedByMe && shown->post.pendingLike);
        QCOMPARE(shown->post.likes, std::int64_t(1));

        QVERIFY(m_server.start());
        QVERIFY((*alice)->setServerUrl(m_server.baseUrl().toStdString()).isOk());
        SETTLE(**alice);
        SYNC_UNTIL(**alice, !(*alice)->social().thread(postId)->post.pendingLike &&
                                (*alice)->social().thread(postId)->post.likedByMe);
        QCOMPARE((*alice)->social().thread(postId)->post.likes, std::int64_t(1));
        auto who = HttpClient(m_server.baseUrl()).get("/api/v1/statuses/" + bobPost + "/favourited_by").jsonArray();
        QCOMPARE(who.size(), 1);
        QCOMPARE(who.first().toObject().value("username").toString(), QString("alice"));
    }
};

QTEST_GUILESS_MAIN(TestE2eSocialEngine)
#include "tst_e2e_socialengine.moc"
