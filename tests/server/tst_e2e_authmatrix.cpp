// The authorization matrix: every endpoint of the social core and the media API, asked by an
// anonymous client, a stranger, a pending follower, a follower, a blocked account and the owner,
// about public, unlisted and private posts of an open and a locked account, and the annotations
// of their photos. Each row states what must be seen (exact statuses, or presence/absence in
// lists and searches); nothing private may leak.
#include "socialfixture.h"

using pinhole::test::HttpClient;
using pinhole::test::HttpReply;
using pinhole::test::ServerProcess;
using pinhole::test::SocialFixture;

namespace {
const QStringList kViewers{"anonymous", "stranger", "pending", "follower", "blocked", "owner"};
const QStringList kVisibilities{"public", "unlisted", "private"};
} // namespace

class TestAuthMatrix : public QObject {
    Q_OBJECT
    ServerProcess m_server;
    SocialFixture m_social{m_server};
    QHash<QString, QString> m_tokens;                 // viewer role or owner name -> token
    QHash<QString, QString> m_posts, m_media, m_comments, m_annotations; // "<owner>/<visibility>" -> id
    QHash<QString, QString> m_albums; // owner -> an album of the three photos

    QString token(const QString& viewer, const QString& owner) const {
        if (viewer == "anonymous")
            return {};
        return m_tokens.value(viewer == "owner" ? owner : viewer);
    }

    static QStringList idsIn(const QJsonArray& array) {
        QStringList out;
        for (const auto& v : array)
            out << v.toObject()["id"].toString();
        return out;
    }

    // The rule, written independently of the server: who may see a post.
    static bool maySee(const QString& viewer, bool locked, const QString& visibility) {
        if (viewer == "owner" || viewer == "follower")
            return true;
        if (viewer == "blocked")
            return false;
        return !locked && visibility != "private";
    }

private slots:
    void initTestCase() {
        QVERIFY(m_server.start());
        for (const auto& name : {"olive", "lara", "stranger", "pending", "follower", "blocked"})
            m_tokens[name] = m_social.user(name);
        QCOMPARE(HttpClient(m_server.baseUrl(), m_tokens["lara"])
                     .patchJson("/api/v1/accounts/update_credentials", {{"locked", true}})
                     .status,
                 200);
        for (const auto& owner : {"olive", "lara"}) {
            const QString ownerId = m_social.idOf(m_tokens[owner]);
            for (const auto& who : {"follower", "blocked"})
                QCOMPARE(m_social.postTo(m_tokens[who], "/api/v1/accounts/" + ownerId + "/follow").status, 200);
        }
        QCOMPARE(m_social.postTo(m_tokens["pending"], "/api/v1/accounts/" + m_social.idOf(m_tokens["lara"]) + "/follow")
                     .json()["requested"].toBool(), true);
        for (const auto& who : {"follower", "blocked"})
            QCOMPARE(m_social.postTo(m_tokens["lara"], "/api/v1/follow_requests/" + m_social.idOf(m_tokens[who]) +
                                                           "/authorize").status, 200);
        for (const auto& owner : {"olive", "lara"}) {
            QCOMPARE(m_social.postTo(m_tokens[owner], "/api/v1/accounts/" + m_social.idOf(m_tokens["blocked"]) + "/block")
                         .status, 200);
            for (const auto& v : kVisibilities) {
                const QString key = QString(owner) + "/" + v;
                m_media[key] = m_social.photo(m_tokens[owner]);
                const HttpReply post = m_social.post(m_tokens[owner], "matrix #matrix " + key, {m_media[key]}, v);
                QCOMPARE(post.status, 200);
                m_posts[key] = post.json()["id"].toString();
                m_comments[key] = m_social.post(m_tokens[owner], "own comment", {}, "public", m_posts[key]).json()["id"].toString();
                QCOMPARE(m_social.postTo(m_tokens["follower"], "/api/v1/statuses/" + m_posts[key] + "/favourite").status, 200);
                const QJsonObject tag{{"schema", "tag"}, {"payload", QJsonObject{{"label", "matrix " + QString(key).replace('/', ' ')}}}};
                const HttpReply annotation = HttpClient(m_server.baseUrl(), m_tokens[owner])
                                                 .postJson("/api/pinhole/v1/assets/" + m_media[key] + "/annotations", tag);
                QCOMPARE(annotation.status, 201);
                m_annotations[key] = annotation.json()["id"].toString();
            }
        }
        // The annotation search index has them all.
        for (const auto& owner : {"olive", "lara"})
            QTRY_COMPARE_WITH_TIMEOUT(
                m_social.get(m_tokens[owner], QString("/api/pinhole/v1/annotations/search?q=matrix+") + owner)
                    .jsonArray().size(),
                3, 20000);
        for (const auto& owner : {"olive", "lara"}) {
            HttpClient http(m_server.baseUrl(), m_tokens[owner]);
            m_albums[owner] = http.postJson("/api/pinhole/v1/albums", {{"name", "matrix album"}}).json()["id"].toString();
            QJsonArray photos;
            for (const auto& v : kVisibilities)
                photos.append(m_media[QString(owner) + "/" + v]);
            QCOMPARE(http.postJson("/api/pinhole/v1/albums/" + m_albums[owner] + "/assets", {{"asset_ids", photos}}).status, 200);
        }
        // Fan-out done: the follower's feed holds all six posts.
        QTRY_COMPARE_WITH_TIMEOUT(m_social.homeIds(m_tokens["follower"]).size(), 6, 20000);
    }
    void cleanupTestCase() { QCOMPARE(m_server.stop(), 0); }

    void post_data() {
        QTest::addColumn<QString>("viewer");
        QTest::addColumn<QString>("owner");
        QTest::addColumn<QString>("visibility");
        for (const auto& viewer : kViewers)
            for (const auto& owner : {"olive", "lara"})
                for (const auto& v : kVisibilities)
                    QTest::addRow("%s-%s-%s", qPrintable(viewer), owner, qPrintable(v)) << viewer << QString(owner) << v;
    }

    void post() {
        QFETCH(QString, viewer);
        QFETCH(QString, owner);
        QFETCH(QString, visibility);
        const QString key = owner + "/" + visibility;
        const bool locked = owner == "lara";
        const bool sees = maySee(viewer, locked, visibility);
        const QString t = token(viewer, owner);
        const QString post = m_posts[key], media = m_media[key];
        const int seen = sees ? 200 : 404;

        QCOMPARE(m_social.get(t, "/api/v1/statuses/" + post).status, seen);
        QCOMPARE(m_social.get(t, "/api/v1/statuses/" + m_comments[key]).status, seen);
        const HttpReply context = m_social.get(t, "/api/v1/statuses/" + post + "/context");
        QCOMPARE(context.status, seen);
        if (sees)
            QCOMPARE(context.json()["descendants"].toArray().size(), 1);
        const HttpReply likes = m_social.get(t, "/api/v1/statuses/" + post + "/favourited_by");
        QCOMPARE(likes.status, seen);
        if (sees)
            QCOMPARE(SocialFixture::ids(likes), QStringList{m_social.idOf(m_tokens["follower"])});

        // Media bytes: derivatives with the post, the original to its owner only.
        for (const auto& variant : {"thumb", "preview", "large"})
            QCOMPARE(m_social.get(t, "/media/" + media + "/" + variant).status, seen);
        QCOMPARE(m_social.get(t, "/media/" + media + "/original").status, viewer == "owner" ? 200 : 404);
        // The library's asset: whoever sees the post gets the shared view, only the owner the full one.
        const HttpReply asset = m_social.get(t, "/api/pinhole/v1/assets/" + media);
        QCOMPARE(asset.status, seen);
        QCOMPARE(asset.json().contains("sha256"), viewer == "owner");
        QCOMPARE(idsIn(m_social.get(t, "/api/pinhole/v1/assets?limit=200").json()["assets"].toArray()).contains(media),
                 viewer == "owner");
        // The Mastodon media API is the uploader's own.
        QCOMPARE(m_social.get(t, "/api/v1/media/" + media).status, viewer == "owner" ? 200 : t.isEmpty() ? 401 : 404);

        // Lists: the account's statuses, the public and tag timelines, the home feed, search.
        const QString ownerId = m_social.idOf(m_tokens[owner]);
        QCOMPARE(SocialFixture::ids(m_social.get(t, "/api/v1/accounts/" + ownerId + "/statuses?limit=40")).contains(post), sees);
        const bool listed = sees && visibility == "public";
        QCOMPARE(SocialFixture::ids(m_social.get(t, "/api/v1/timelines/public?limit=40")).contains(post), listed);
        QCOMPARE(SocialFixture::ids(m_social.get(t, "/api/v1/timelines/tag/matrix?limit=40")).contains(post), listed);
        const HttpReply found = m_social.get(t, "/api/v2/search?type=statuses&q=" + QUrl::toPercentEncoding(key));
        QCOMPARE(found.json()["statuses"].toArray().size(), listed ? 1 : 0);
        if (!t.isEmpty())
            QCOMPARE(m_social.homeIds(t).contains(post), viewer == "owner" || viewer == "follower");
        else
            QCOMPARE(m_social.get(t, "/api/v1/timelines/home").status, 401);

        // Acting on it: a favourite and a comment only where it can be seen.
        if (t.isEmpty()) {
            QCOMPARE(m_social.postTo(t, "/api/v1/statuses/" + post + "/favourite").status, 401);
        } else {
            QCOMPARE(m_social.postTo(t, "/api/v1/statuses/" + post + "/favourite").status, seen);
            QCOMPARE(m_social.postTo(t, "/api/v1/statuses/" + post + "/unfavourite").status, seen);
            if (viewer == "follower") // the follower's like is part of the fixture: put it back
                QCOMPARE(m_social.postTo(t, "/api/v1/statuses/" + post + "/favourite").status, 200);
            const HttpReply reply = m_social.post(t, "comment", {}, "public", post);
            QCOMPARE(reply.status, seen);
            if (reply.status == 200)
                QCOMPARE(HttpClient(m_server.baseUrl(), t).send("DELETE", "/api/v1/statuses/" + reply.json()["id"].toString()).status, 200);
        }
        // The photo's annotations: read with the photo, found by search with it, written by the owner.
        const QString annotations = "/api/pinhole/v1/assets/" + media + "/annotations";
        QCOMPARE(m_social.get(t, annotations).status, seen);
        QCOMPARE(m_social.get(t, "/api/pinhole/v1/annotations/" + m_annotations[key]).status, seen);
        const HttpReply searched = m_social.get(t, "/api/pinhole/v1/annotations/search?q=matrix+" + owner + "+" + visibility);
        QCOMPARE(searched.status, 200);
        QCOMPARE(SocialFixture::ids(searched).contains(m_annotations[key]), sees);
        const HttpReply written = HttpClient(m_server.baseUrl(), t)
                                      .postJson(annotations, {{"schema", "favorite"}, {"payload", QJsonObject{}}});
        QCOMPARE(written.status, t.isEmpty() ? 401 : viewer == "owner" ? 201 : sees ? 403 : 404);
        if (written.status == 201)
            QCOMPARE(HttpClient(m_server.baseUrl(), t)
                         .send("DELETE", "/api/pinhole/v1/annotations/" + written.json()["id"].toString()).status, 200);
        if (!t.isEmpty() && viewer != "owner")
            QCOMPARE(HttpClient(m_server.baseUrl(), t).send("DELETE", "/api/pinhole/v1/annotations/" + m_annotations[key]).status,
                     sees ? 403 : 404);

        // Only the owner deletes (tried last; the owner's own delete is not exercised here).
        if (!t.isEmpty() && viewer != "owner")
            QCOMPARE(HttpClient(m_server.baseUrl(), t).send("DELETE", "/api/v1/statuses/" + post).status, 404);
    }

    void library_data() {
        QTest::addColumn<QString>("viewer");
        QTest::addColumn<QString>("owner");
        for (const auto& viewer : kViewers)
            for (const auto& owner : {"olive", "lara"})
                QTest::addRow("%s-%s", qPrintable(viewer), owner) << viewer << QString(owner);
    }

    // Albums and library edits are the owner's alone, whatever the viewer sees of the posts.
    void library() {
        QFETCH(QString, viewer);
        QFETCH(QString, owner);
        const QString t = token(viewer, owner);
        const int others = t.isEmpty() ? 401 : 404;
        const int expected = viewer == "owner" ? 200 : others;
        const QString album = "/api/pinhole/v1/albums/" + m_albums[owner];
        QCOMPARE(m_social.get(t, album).status, expected);
        QCOMPARE(m_social.get(t, "/api/pinhole/v1/assets?album=" + m_albums[owner]).status, expected);
        const QStringList albums = idsIn(m_social.get(t, "/api/pinhole/v1/albums").json()["albums"].toArray());
        QCOMPARE(albums.contains(m_albums[owner]), viewer == "owner");
        if (viewer == "owner")
            return; // the owner's own edits are specified in tst_e2e_library
        HttpClient http(m_server.baseUrl(), t);
        const QString media = m_media[owner + "/public"];
        QCOMPARE(http.patchJson("/api/pinhole/v1/assets/" + media, {{"title", "mine"}}).status, others);
        QCOMPARE(http.send("DELETE", "/api/pinhole/v1/assets/" + media).status, others);
        QCOMPARE(http.patchJson(album, {{"name", "mine"}}).status, others);
        QCOMPARE(http.send("DELETE", album + "/assets/" + media).status, others);
        QCOMPARE(http.send("DELETE", album).status, others);
        QCOMPARE(m_social.get(m_tokens[owner], album).json()["asset_count"].toInt(), 3);
    }

    void account_data() {
        QTest::addColumn<QString>("viewer");
        QTest::addColumn<QString>("owner");
        for (const auto& viewer : kViewers)
            for (const auto& owner : {"olive", "lara"})
                QTest::addRow("%s-%s", qPrintable(viewer), owner) << viewer << QString(owner);
    }

    // Follower lists, notifications and the owner's requests.
    void account() {
        QFETCH(QString, viewer);
        QFETCH(QString, owner);
        const QString t = token(viewer, owner);
        const QString ownerId = m_social.idOf(m_tokens[owner]);
        const bool locked = owner == "lara";
        const bool seesLists = viewer == "owner" || viewer == "follower" || (!locked && viewer != "blocked");
        const HttpReply account = m_social.get(t, "/api/v1/accounts/" + ownerId);
        QCOMPARE(account.status, 200); // the profile itself is public, as on Mastodon
        const HttpReply followers = m_social.get(t, "/api/v1/accounts/" + ownerId + "/followers");
        QCOMPARE(followers.status, 200);
        QCOMPARE(SocialFixture::ids(followers).contains(m_social.idOf(m_tokens["follower"])), seesLists);
        QVERIFY(!SocialFixture::ids(followers).contains(m_social.idOf(m_tokens["blocked"])));

        // Requests and notifications are their recipient's only.
        const HttpReply requests = m_social.get(t, "/api/v1/follow_requests");
        const HttpReply notifications = m_social.get(t, "/api/v1/notifications");
        if (t.isEmpty()) {
            QCOMPARE(requests.status, 401);
            QCOMPARE(notifications.status, 401);
        } else {
            QCOMPARE(requests.status, 200);
            QCOMPARE(SocialFixture::ids(requests).contains(m_social.idOf(m_tokens["pending"])), viewer == "owner" && locked);
            QCOMPARE(notifications.status, 200);
            const bool ownerNotified = notifications.body.contains("\"favourite\"");
            QCOMPARE(ownerNotified, viewer == "owner");
            QVERIFY(!notifications.body.contains("\"username\":\"blocked\""));
        }
    }
};

QTEST_GUILESS_MAIN(TestAuthMatrix)
#include "tst_e2e_authmatrix.moc"
