// The social core through the real pinholed: idempotent posting, deletion from every feed and
// counter, the follow request flow, blocks, the celebrity pull path, counters against a recount,
// pagination while posts arrive, and the rendered-post cache behind the home timeline. Feeds and
// counters are written by the event log's consumers after the request returns, so the checks wait
// on conditions (QTRY_*), never on time.
#include "socialfixture.h"

#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSet>

using pinhole::test::HttpClient;
using pinhole::test::HttpReply;
using pinhole::test::ServerProcess;
using pinhole::test::SocialFixture;

class TestSocial : public QObject {
    Q_OBJECT
    ServerProcess m_server;
    SocialFixture m_social{m_server};

    int accountCount(const QString& token, const QString& id, const char* field) {
        return m_social.get(token, "/api/v1/accounts/" + id).json()[field].toInt();
    }

    // `status` as it appears in `token`'s home timeline (empty if it does not).
    QJsonObject homeStatus(const QString& token, const QString& status) {
        for (const auto& v : m_social.get(token, "/api/v1/timelines/home?limit=40").jsonArray())
            if (v.toObject()["id"].toString() == status)
                return v.toObject();
        return {};
    }

private slots:
    void initTestCase() { QVERIFY(m_server.start()); }
    void cleanupTestCase() { QCOMPARE(m_server.stop(), 0); }

    void retriedPostWithTheSameIdempotencyKeyPostsOnce() {
        const QString ann = m_social.user("ann");
        const QString media = m_social.photo(ann);
        const HttpReply first = m_social.post(ann, "once #only", {media}, "public", {}, "key-1");
        QCOMPARE(first.status, 200);
        QVERIFY(!first.json().contains("scheduled_at"));
        const HttpReply retry = m_social.post(ann, "once #only", {media}, "public", {}, "key-1");
        QCOMPARE(retry.status, 200);
        QCOMPARE(retry.json()["id"].toString(), first.json()["id"].toString());
        const HttpReply other = m_social.post(ann, "twice", {media}, "public", {}, "key-2");
        QVERIFY(other.json()["id"].toString() != first.json()["id"].toString());
        QCOMPARE(SocialFixture::ids(m_social.get(ann, "/api/v1/accounts/" + m_social.idOf(ann) + "/statuses")).size(), 2);
        QTRY_COMPARE_WITH_TIMEOUT(accountCount(ann, m_social.idOf(ann), "statuses_count"), 2, 20000);
    }

    void postNeedsOwnReadyPhotos() {
        const QString cy = m_social.user("cy");
        const QString dee = m_social.user("dee");
        const QString deesPhoto = m_social.photo(dee);
        QCOMPARE(m_social.post(cy, "no photo", {}).status, 422);
        QCOMPARE(m_social.post(cy, "not mine", {deesPhoto}).status, 422);
        QCOMPARE(m_social.post(cy, "bad visibility", {m_social.photo(cy)}, "direct").status, 422);
    }

    void deletedPostLeavesEveryFeedAndCounter() {
        const QString eve = m_social.user("eve");
        const QString fay = m_social.user("fay");
        const QString gus = m_social.user("gus");
        for (const auto& f : {fay, gus})
            QCOMPARE(m_social.postTo(f, "/api/v1/accounts/" + m_social.idOf(eve) + "/follow").status, 200);
        const QString post = m_social.photoPost(eve, "short-lived");
        const QString comment = m_social.post(fay, "nice", {}, "public", post).json()["id"].toString();
        QCOMPARE(m_social.postTo(gus, "/api/v1/statuses/" + post + "/favourite").json()["favourites_count"].toInt(), 1);
        for (const auto& reader : {eve, fay, gus})
            QTRY_VERIFY_WITH_TIMEOUT(m_social.homeIds(reader).contains(post), 20000);
        QTRY_COMPARE_WITH_TIMEOUT(m_social.get(eve, "/api/v1/statuses/" + post).json()["replies_count"].toInt(), 1, 20000);

        QCOMPARE(HttpClient(m_server.baseUrl(), fay).send("DELETE", "/api/v1/statuses/" + post).status, 404);
        QCOMPARE(HttpClient(m_server.baseUrl(), eve).send("DELETE", "/api/v1/statuses/" + post).status, 200);
        QCOMPARE(m_social.get(eve, "/api/v1/statuses/" + post).status, 404);
        QCOMPARE(m_social.get(fay, "/api/v1/statuses/" + comment).status, 404); // comments go with it
        for (const auto& reader : {eve, fay, gus})
            QTRY_VERIFY_WITH_TIMEOUT(!m_social.homeIds(reader).contains(post), 20000);
        QTRY_COMPARE_WITH_TIMEOUT(accountCount(eve, m_social.idOf(eve), "statuses_count"), 0, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(accountCount(eve, m_social.idOf(fay), "statuses_count"), 0, 20000);
        QCOMPARE(m_server.admin({"recount"}), 0);
    }

    void followRequestFlow() {
        const QString lou = m_social.user("lou");
        const QString max = m_social.user("max");
        const QString ned = m_social.user("ned");
        QCOMPARE(HttpClient(m_server.baseUrl(), lou).patchJson("/api/v1/accounts/update_credentials", {{"locked", true}}).status, 200);
        const QString secret = m_social.photoPost(lou, "locked away", "public");
        const QString louId = m_social.idOf(lou);

        const HttpReply asked = m_social.postTo(max, "/api/v1/accounts/" + louId + "/follow");
        QCOMPARE(asked.status, 200);
        QCOMPARE(asked.json()["requested"].toBool(), true);
        QCOMPARE(asked.json()["following"].toBool(), false);
        QCOMPARE(m_social.get(max, "/api/v1/statuses/" + secret).status, 404); // pending is not following
        m_social.postTo(ned, "/api/v1/accounts/" + louId + "/follow");

        QCOMPARE(SocialFixture::ids(m_social.get(lou, "/api/v1/follow_requests")),
                 QStringList({m_social.idOf(ned), m_social.idOf(max)}));
        QTRY_VERIFY_WITH_TIMEOUT(m_social.get(lou, "/api/v1/notifications").body.contains("follow_request"), 20000);

        const HttpReply authorized = m_social.postTo(lou, "/api/v1/follow_requests/" + m_social.idOf(max) + "/authorize");
        QCOMPARE(authorized.status, 200);
        QCOMPARE(authorized.json()["followed_by"].toBool(), true);
        QCOMPARE(m_social.postTo(lou, "/api/v1/follow_requests/" + m_social.idOf(ned) + "/reject").status, 200);
        QCOMPARE(m_social.postTo(lou, "/api/v1/follow_requests/" + m_social.idOf(ned) + "/reject").status, 404);
        QVERIFY(SocialFixture::ids(m_social.get(lou, "/api/v1/follow_requests")).isEmpty());

        QCOMPARE(m_social.get(max, "/api/v1/statuses/" + secret).status, 200);
        QCOMPARE(m_social.get(ned, "/api/v1/statuses/" + secret).status, 404);
        QTRY_VERIFY_WITH_TIMEOUT(m_social.homeIds(max).contains(secret), 20000); // backfilled
        QTRY_VERIFY_WITH_TIMEOUT(m_social.get(lou, "/api/v1/notifications").body.contains("\"follow\""), 20000);
    }

    void blockEndsFollowsBothWaysAndHidesEachFromTheOther() {
        const QString ola = m_social.user("ola");
        const QString pia = m_social.user("pia");
        const QString olaId = m_social.idOf(ola), piaId = m_social.idOf(pia);
        m_social.postTo(ola, "/api/v1/accounts/" + piaId + "/follow");
        m_social.postTo(pia, "/api/v1/accounts/" + olaId + "/follow");
        const QString olasPost = m_social.photoPost(ola, "before the block");
        QTRY_VERIFY_WITH_TIMEOUT(m_social.homeIds(pia).contains(olasPost), 20000);

        const HttpReply blocked = m_social.postTo(ola, "/api/v1/accounts/" + piaId + "/block");
        QCOMPARE(blocked.status, 200);
        QCOMPARE(blocked.json()["blocking"].toBool(), true);
        QCOMPARE(blocked.json()["following"].toBool(), false);
        QCOMPARE(blocked.json()["followed_by"].toBool(), false);
        QCOMPARE(m_social.get(pia, "/api/v1/accounts/relationships?id[]=" + olaId).jsonArray().at(0).toObject()["blocked_by"].toBool(), true);

        QVERIFY(!m_social.homeIds(pia).contains(olasPost));
        QCOMPARE(m_social.get(pia, "/api/v1/statuses/" + olasPost).status, 404);
        QVERIFY(SocialFixture::ids(m_social.get(pia, "/api/v1/accounts/" + olaId + "/statuses")).isEmpty());
        QCOMPARE(m_social.postTo(pia, "/api/v1/statuses/" + olasPost + "/favourite").status, 404);
        QCOMPARE(m_social.postTo(pia, "/api/v1/accounts/" + olaId + "/follow").status, 403);
        QCOMPARE(m_social.post(pia, "reply", {}, "public", olasPost).status, 404);
        QCOMPARE(m_social.get(ola, "/api/v1/blocks").jsonArray().size(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(accountCount(ola, olaId, "followers_count"), 0, 20000);

        QCOMPARE(m_social.postTo(ola, "/api/v1/accounts/" + piaId + "/unblock").json()["blocking"].toBool(), false);
        QCOMPARE(m_social.get(pia, "/api/v1/statuses/" + olasPost).status, 200);
    }

    // Pages of the home feed: every post exactly once, newest first, while new posts arrive; the
    // new ones appear through min_id (prev) pages.
    void paginationReturnsEveryPostOnceWhilePostsArrive() {
        const QString quinn = m_social.user("quinn");
        const QString rae = m_social.user("rae");
        m_social.postTo(rae, "/api/v1/accounts/" + m_social.idOf(quinn) + "/follow");
        const QString media = m_social.photo(quinn);
        QStringList posted;
        for (int i = 0; i < 12; ++i)
            posted.prepend(m_social.post(quinn, QString("page %1").arg(i), {media}).json()["id"].toString());
        QTRY_COMPARE_WITH_TIMEOUT(m_social.homeIds(rae).size(), 12, 20000);

        QStringList seen;
        QString query = "limit=5";
        QString newest;
        for (int page = 0; page < 10; ++page) {
            const HttpReply r = m_social.get(rae, "/api/v1/timelines/home?" + query);
            const QStringList ids = SocialFixture::ids(r);
            if (ids.isEmpty())
                break;
            if (newest.isEmpty())
                newest = ids.first();
            seen += ids;
            m_social.post(quinn, QString("arrived %1").arg(page), {media}); // a newer post meanwhile
            const auto next = QRegularExpression("<[^>]*\\?([^>]*)>; rel=\"next\"").match(QString(r.header("Link")));
            QVERIFY(next.hasMatch());
            query = next.captured(1);
        }
        QCOMPARE(seen, posted);
        // The posts that arrived meanwhile, by min_id pages from the newest seen.
        QStringList arrived;
        QTRY_VERIFY_WITH_TIMEOUT(m_social.homeIds(rae).size() >= 12 + 3, 20000);
        QString cursor = newest;
        for (int page = 0; page < 10; ++page) {
            QStringList ids = SocialFixture::ids(m_social.get(rae, "/api/v1/timelines/home?limit=2&min_id=" + cursor));
            if (ids.isEmpty())
                break;
            cursor = ids.first();
            std::reverse(ids.begin(), ids.end());
            arrived += ids;
        }
        const QSet<QString> unique(arrived.begin(), arrived.end());
        QCOMPARE(unique.size(), arrived.size());
        QVERIFY(arrived.size() >= 3);
        QVERIFY(std::is_sorted(arrived.begin(), arrived.end(), [](const QString& a, const QString& b) {
            return a.toLongLong() < b.toLongLong();
        }));
    }

    // The home timeline splices cached renderings of posts (api/mastodon/statuscache.h): the
    // viewer's own `favourited` is never another viewer's, and the counts follow each change.
    void homeTimelineShowsEachViewerItsOwnFavourite() {
        const QString ivy = m_social.user("ivy");
        const QString jon = m_social.user("jon");
        const QString kim = m_social.user("kim");
        for (const auto& follower : {jon, kim})
            QCOMPARE(m_social.postTo(follower, "/api/v1/accounts/" + m_social.idOf(ivy) + "/follow").status, 200);
        const QString post = m_social.photoPost(ivy, "liked by one");
        QVERIFY(!post.isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(m_social.homeIds(jon).contains(post) && m_social.homeIds(kim).contains(post), 20000);
        QCOMPARE(homeStatus(kim, post)["favourited"].toBool(), false); // rendered and cached

        QCOMPARE(m_social.postTo(jon, "/api/v1/statuses/" + post + "/favourite").status, 200);
        QCOMPARE(homeStatus(jon, post)["favourited"].toBool(), true);
        QCOMPARE(homeStatus(jon, post)["favourites_count"].toInt(), 1);
        QCOMPARE(homeStatus(kim, post)["favourited"].toBool(), false);
        QCOMPARE(homeStatus(kim, post)["favourites_count"].toInt(), 1);
        QCOMPARE(homeStatus(ivy, post)["favourited"].toBool(), false);

        QCOMPARE(m_social.postTo(jon, "/api/v1/statuses/" + post + "/unfavourite").status, 200);
        QCOMPARE(homeStatus(jon, post)["favourited"].toBool(), false);
        QCOMPARE(homeStatus(kim, post)["favourites_count"].toInt(), 0);
    }

    // A post read (and cached) once shows every later change: its author's profile and counts,
    // its photo's description, a comment's count, and its deletion.
    void homeTimelineShowsChangesToAPostReadBefore() {
        const QString nia = m_social.user("nia");
        const QString oto = m_social.user("oto");
        QCOMPARE(m_social.postTo(oto, "/api/v1/accounts/" + m_social.idOf(nia) + "/follow").status, 200);
        const QString media = m_social.photo(nia);
        const QString post = m_social.post(nia, "changes ahead", {media}).json()["id"].toString();
        QVERIFY(!post.isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(m_social.homeIds(oto).contains(post), 20000);
        // Read (and so cached) once the counters consumer has counted the post.
        QTRY_COMPARE_WITH_TIMEOUT(homeStatus(oto, post)["account"].toObject()["statuses_count"].toInt(), 1, 20000);

        HttpClient asNia(m_server.baseUrl(), nia);
        QCOMPARE(asNia.patchJson("/api/v1/accounts/update_credentials", {{"display_name", "Nia Renamed"}}).status, 200);
        QCOMPARE(homeStatus(oto, post)["account"].toObject()["display_name"].toString(), QString("Nia Renamed"));

        QCOMPARE(asNia
                     .send("PUT", "/api/v1/media/" + media,
                           QJsonDocument(QJsonObject{{"description", "A described photo"}}).toJson(),
                           "application/json")
                     .status,
                 200);
        QCOMPARE(homeStatus(oto, post)["media_attachments"].toArray().at(0).toObject()["description"].toString(),
                 QString("A described photo"));

        QCOMPARE(m_social.post(oto, "a comment", {}, "public", post).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(homeStatus(oto, post)["replies_count"].toInt(), 1, 20000);
        m_social.photoPost(nia, "a second post");
        QTRY_COMPARE_WITH_TIMEOUT(homeStatus(oto, post)["account"].toObject()["statuses_count"].toInt(), 2, 20000);

        QCOMPARE(HttpClient(m_server.baseUrl(), nia).send("DELETE", "/api/v1/statuses/" + post).status, 200);
        QVERIFY(!m_social.homeIds(oto).contains(post));
    }

    // A randomised mix of follows, posts, comments, favourites, deletes and blocks; then the
    // counters the consumers kept must equal a recount from the rows (`admin recount` exits 0).
    void countersEqualARecountAfterARandomMix() {
        QStringList tokens;
        for (int i = 0; i < 5; ++i)
            tokens << m_social.user(QString("mix%1").arg(i));
        QList<QStringList> photos;
        for (const auto& t : tokens)
            photos << QStringList{m_social.photo(t)};
        QStringList statuses;
        QRandomGenerator random(42);
        for (int step = 0; step < 120; ++step) {
            const int who = random.bounded(5), other = random.bounded(5);
            const QString& t = tokens[who];
            const QString otherId = m_social.idOf(tokens[other]);
            const QString status = statuses.isEmpty() ? QString() : statuses[random.bounded(statuses.size())];
            switch (random.bounded(9)) {
            case 0: m_social.postTo(t, "/api/v1/accounts/" + otherId + "/follow"); break;
            case 1: m_social.postTo(t, "/api/v1/accounts/" + otherId + "/unfollow"); break;
            case 2: statuses << m_social.post(t, "mix", photos[who]).json()["id"].toString(); break;
            case 3: if (!status.isEmpty()) statuses << m_social.post(t, "re", {}, "public", status).json()["id"].toString(); break;
            case 4: case 5: if (!status.isEmpty()) m_social.postTo(t, "/api/v1/statuses/" + status + "/favourite"); break;
            case 6: if (!status.isEmpty()) m_social.postTo(t, "/api/v1/statuses/" + status + "/unfavourite"); break;
            case 7: if (!status.isEmpty()) HttpClient(m_server.baseUrl(), t).send("DELETE", "/api/v1/statuses/" + status); break;
            case 8: if (random.bounded(4) == 0) m_social.postTo(t, "/api/v1/accounts/" + otherId + (random.bounded(2) ? "/block" : "/unblock")); break;
            }
            statuses.removeAll(QString());
        }
        QString out;
        QCOMPARE(m_server.admin({"recount"}, {}, &out), 0);
        QVERIFY2(out.contains("every counter equals its recount"), qPrintable(out));
    }
};

QTEST_GUILESS_MAIN(TestSocial)
#include "tst_e2e_social.moc"
