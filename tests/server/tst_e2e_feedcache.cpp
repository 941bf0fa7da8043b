// The in-memory caches behind the hot read path, through the real pinholed: a bearer token
// revoked by another process is refused from the next request, and a home timeline page kept in
// memory (api/mastodon/statuscache.h) is never shown once it would show the viewer what they may
// no longer see or miss what changed: a block, a deleted post, a private post after an unfollow,
// the viewer's own favourite, a new post. Each staleness case first proves the page is answered
// from memory (the hit counter of /metrics moves), then changes one thing and reads the same page
// at once. Feeds are written by the event log's consumers after a request returns, so waits for
// a post to arrive are on conditions (QTRY_*), never on time.
#include "socialfixture.h"

#include <QRegularExpression>

using pinhole::test::HttpClient;
using pinhole::test::ServerProcess;
using pinhole::test::SocialFixture;

class TestFeedCache : public QObject {
    Q_OBJECT
    ServerProcess m_server;
    SocialFixture m_social{m_server};

    // Home pages answered from memory so far (pinhole_home_pages_total{result="hit"}).
    qint64 pageHits() {
        const QString text = QString::fromUtf8(HttpClient(m_server.baseUrl()).get("/metrics").body);
        static const QRegularExpression line(QStringLiteral("pinhole_home_pages_total\\{result=.hit.\\} (\\d+)"));
        const auto m = line.match(text);
        return m.hasMatch() ? m.captured(1).toLongLong() : -1;
    }

    // `follower` follows `author`, who posts one photo (with `visibility`); waits until the post
    // is in the follower's feed and a read of the page is answered from memory.
    // Returns the post's id (empty on failure, with the failed check reported).
    QString postSeenFromMemory(const QString& author, const QString& follower, const QString& visibility = "public") {
        if (m_social.postTo(follower, "/api/v1/accounts/" + m_social.idOf(author) + "/follow").status != 200)
            return {};
        const QString post = m_social.photoPost(author, "cached " + visibility, visibility);
        if (post.isEmpty())
            return {};
        // Until the consumers have applied the post's event (each outdates the page once), a read
        // is a miss; then the page read before is answered from memory.
        const bool fromMemory = QTest::qWaitFor(
            [&] {
                const qint64 before = pageHits();
                return m_social.homeIds(follower, "limit=20").contains(post) && pageHits() == before + 1;
            },
            20000);
        return fromMemory ? post : QString();
    }

private slots:
    void initTestCase() { QVERIFY(m_server.start()); }
    void cleanupTestCase() { QCOMPARE(m_server.stop(), 0); }

    void tokenRevokedByAnotherProcessIsRefusedAtOnce() {
        const QString ada = m_social.user("ada");
        HttpClient http(m_server.baseUrl(), ada);
        QCOMPARE(http.get("/api/v1/accounts/verify_credentials").status, 200);
        QCOMPARE(http.get("/api/v1/accounts/verify_credentials").status, 200); // from the token cache
        QString out;
        QCOMPARE(m_server.admin({"reset-password", "ada", "--password-stdin"}, "a brand new passphrase\n", &out), 0);
        QCOMPARE(http.get("/api/v1/accounts/verify_credentials").status, 401);
        QCOMPARE(http.get("/api/v1/timelines/home").status, 401);
    }

    void tokenRevokedThroughOAuthIsRefusedAtOnce() {
        QVERIFY(m_server.createUser("bea", pinhole::test::kSocialPassword));
        HttpClient http(m_server.baseUrl());
        const QString token = http.login("bea", pinhole::test::kSocialPassword);
        const QJsonObject app = http.app();
        http.setToken(token);
        QCOMPARE(http.get("/api/v1/timelines/home").status, 200);
        QCOMPARE(http.get("/api/v1/timelines/home").status, 200);
        http.setToken({});
        QCOMPARE(
            http.postJson("/oauth/revoke",
                          {{"client_id", app["client_id"]}, {"client_secret", app["client_secret"]}, {"token", token}})
                .status,
            200);
        http.setToken(token);
        QCOMPARE(http.get("/api/v1/timelines/home").status, 401);
    }

    // A kept page is answered before the request reaches a handler thread (http/router.h
    // QuickHandler); the token's scope is still checked there, and a token without read access
    // gets the handler's refusal, not the page.
    void keptPageIsNotShownToATokenOutsideItsScope() {
        const QString pia = m_social.user("pia");
        const QString quy = m_social.user("quy");
        QVERIFY(!postSeenFromMemory(pia, quy).isEmpty());
        HttpClient writeOnly(m_server.baseUrl());
        writeOnly.setToken(writeOnly.login("quy", pinhole::test::kSocialPassword, "write"));
        QCOMPARE(writeOnly.get("/api/v1/accounts/verify_credentials").status, 403); // its grant is now cached
        const qint64 before = pageHits();
        const auto refused = writeOnly.get("/api/v1/timelines/home?limit=20");
        QCOMPARE(refused.status, 403);
        QVERIFY(refused.body.contains("read:statuses"));
        QCOMPARE(pageHits(), before);
    }

    void keptPageHidesPostsOfWhoBlocksTheViewer() {
        const QString cal = m_social.user("cal");
        const QString dee = m_social.user("dee");
        const QString post = postSeenFromMemory(cal, dee);
        QVERIFY(!post.isEmpty());
        QCOMPARE(m_social.postTo(cal, "/api/v1/accounts/" + m_social.idOf(dee) + "/block").status, 200);
        QVERIFY(!m_social.homeIds(dee, "limit=20").contains(post));
    }

    void keptPageHidesPostsOfWhomTheViewerBlocks() {
        const QString eli = m_social.user("eli");
        const QString fay = m_social.user("fay");
        const QString post = postSeenFromMemory(eli, fay);
        QVERIFY(!post.isEmpty());
        QCOMPARE(m_social.postTo(fay, "/api/v1/accounts/" + m_social.idOf(eli) + "/block").status, 200);
        QVERIFY(!m_social.homeIds(fay, "limit=20").contains(post));
    }

    void keptPageDropsADeletedPost() {
        const QString gus = m_social.user("gus");
        const QString hal = m_social.user("hal");
        const QString post = postSeenFromMemory(gus, hal);
        QVERIFY(!post.isEmpty());
        QCOMPARE(HttpClient(m_server.baseUrl(), gus).send("DELETE", "/api/v1/statuses/" + post).status, 200);
        QVERIFY(!m_social.homeIds(hal, "limit=20").contains(post));
    }

    void keptPageHidesAPrivatePostAfterAnUnfollow() {
        const QString ida = m_social.user("ida");
        const QString jay = m_social.user("jay");
        const QString post = postSeenFromMemory(ida, jay, "private");
        QVERIFY(!post.isEmpty());
        QCOMPARE(m_social.postTo(jay, "/api/v1/accounts/" + m_social.idOf(ida) + "/unfollow").status, 200);
        QVERIFY(!m_social.homeIds(jay, "limit=20").contains(post));
        QCOMPARE(m_social.get(jay, "/api/v1/statuses/" + post).status, 404); // the rule, not the cache
    }

    void keptPageShowsTheViewersNewFavourite() {
        const QString kai = m_social.user("kai");
        const QString lou = m_social.user("lou");
        const QString post = postSeenFromMemory(kai, lou);
        QVERIFY(!post.isEmpty());
        QCOMPARE(m_social.postTo(lou, "/api/v1/statuses/" + post + "/favourite").status, 200);
        const QJsonArray page = m_social.get(lou, "/api/v1/timelines/home?limit=20").jsonArray();
        QVERIFY(!page.isEmpty());
        QCOMPARE(page.at(0).toObject()["id"].toString(), post);
        QCOMPARE(page.at(0).toObject()["favourited"].toBool(), true);
    }

    // The page shows only max's post; oli, whom ned follows too, is on none of it, so only the
    // page's dependency on every followed account brings oli's new post in.
    void keptPageShowsANewPostOfAnotherFollowedAccount() {
        const QString max = m_social.user("max");
        const QString ned = m_social.user("ned");
        const QString oli = m_social.user("oli");
        QCOMPARE(m_social.postTo(ned, "/api/v1/accounts/" + m_social.idOf(oli) + "/follow").status, 200);
        QVERIFY(!postSeenFromMemory(max, ned).isEmpty());
        const QString second = m_social.photoPost(oli, "a post by another");
        QVERIFY(!second.isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(m_social.homeIds(ned, "limit=20").value(0) == second, 20000);
    }
};

QTEST_GUILESS_MAIN(TestFeedCache)
#include "tst_e2e_feedcache.moc"
