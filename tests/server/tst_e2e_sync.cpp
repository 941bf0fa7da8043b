// The sync protocol's server side (docs/protocol.md) through the real pinholed: the change stream
// (snapshot, incremental pages, tombstones, cursors across a restart, resets, limits, what an
// account may and may not see) and batched operations (idempotence, refusals with reasons,
// conflicts by the HLC rules, batch limits). The stream serves events once the event log's
// consumers have taken them in, so checks that wait for a change poll (QTRY_*), never sleep.
#include "socialfixture.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QFile>
#include <QSet>
#include <QUuid>

using pinhole::test::HttpClient;
using pinhole::test::HttpReply;
using pinhole::test::ServerProcess;
using pinhole::test::SocialFixture;

namespace {

// One response of the change stream, its lines parsed.
struct Page {
    int status = 0;
    QByteArray contentType;
    QList<QJsonObject> lines;
    bool wellFormed = true; // every line a JSON object, the last one the end line

    QJsonObject end() const { return lines.isEmpty() ? QJsonObject{} : lines.last(); }
    bool more() const { return end()["more"].toBool(); }
    QString cursor() const { return end()["cursor"].toString(); }
    bool isReset() const { return !lines.isEmpty() && lines.first()["reset"].toBool(); }
    QList<QJsonObject> changes() const {
        QList<QJsonObject> out;
        for (const auto& l : lines)
            if (l.contains("kind"))
                out << l;
        return out;
    }
};

QString key(const QJsonObject& change) {
    return change["kind"].toString() + "/" + change["id"].toString() + "/" + change["op"].toString();
}

} // namespace

class TestSync : public QObject {
    Q_OBJECT
    ServerProcess m_server;
    SocialFixture m_social{m_server};
    int m_counter = 0;

    Page pull(const QString& token, const QString& cursor, int limit = 500) {
        QUrlQuery q;
        if (!cursor.isNull())
            q.addQueryItem("cursor", QString::fromLatin1(QUrl::toPercentEncoding(cursor)));
        q.addQueryItem("limit", QString::number(limit));
        const HttpReply r = m_social.get(token, "/api/pinhole/v1/sync/changes?" + q.toString(QUrl::FullyEncoded));
        Page page;
        page.status = r.status;
        page.contentType = r.header("Content-Type");
        for (const QByteArray& line : r.body.split('\n')) {
            if (line.isEmpty())
                continue;
            const QJsonDocument doc = QJsonDocument::fromJson(line);
            page.wellFormed = page.wellFormed && doc.isObject();
            page.lines << doc.object();
        }
        page.wellFormed = page.wellFormed && r.body.endsWith('\n') && page.end()["end"].toBool();
        return page;
    }

    // Every page from `cursor` until `more` is false; the changes in order, the final cursor.
    QList<QJsonObject> pullAll(const QString& token, QString& cursor, int limit = 500, bool* sawReset = nullptr) {
        QList<QJsonObject> changes;
        for (int pages = 0; pages < 10000; ++pages) {
            const Page page = pull(token, cursor, limit);
            if (page.status != 200 || !page.wellFormed)
                return {};
            if (sawReset && page.isReset())
                *sawReset = true;
            changes += page.changes();
            cursor = page.cursor();
            if (!page.more())
                break;
        }
        return changes;
    }

    static QSet<QString> keys(const QList<QJsonObject>& changes) {
        QSet<QString> out;
        for (const auto& c : changes)
            out << key(c);
        return out;
    }

    // Pulls from `cursor` until a change with this kind/id/op arrives (or the timeout).
    bool waitFor(const QString& token, QString& cursor, const QString& wanted, QList<QJsonObject>* seen = nullptr) {
        QList<QJsonObject> all;
        bool found = false;
        const QDeadlineTimer deadline(20000);
        for (;;) { // polls the condition, as QTRY_* does
            all += pullAll(token, cursor);
            found = keys(all).contains(wanted);
            if (found || deadline.hasExpired())
                break;
            QTest::qWait(20);
        }
        if (seen)
            *seen = all;
        return found;
    }

    int statusesCount(const QString& token) {
        return m_social.get(token, "/api/v1/accounts/" + m_social.idOf(token)).json()["statuses_count"].toInt();
    }

    // Pulls until a pull from `cursor` yields nothing. The stream serves what the counters have
    // taken in, so the caller first waits for the counters to show its last change (then nothing
    // of the account is pending) and what follows is caused by the test alone.
    bool settle(const QString& token, QString& cursor) {
        const QDeadlineTimer deadline(20000);
        for (;;) {
            if (pullAll(token, cursor).isEmpty() && !cursor.isEmpty())
                return true;
            if (deadline.hasExpired())
                return false;
            QTest::qWait(20);
        }
    }

    QString hlc(qint64 offsetMillis = 0) {
        return QString::number(((QDateTime::currentMSecsSinceEpoch() + offsetMillis) << 16) + ++m_counter);
    }
    static QString uuid() { return QUuid::createUuid().toString(QUuid::WithoutBraces); }
    QJsonObject op(const QString& kind, const QJsonObject& payload, const QString& id = uuid(),
                   const QString& stamp = {}) {
        return QJsonObject{
            {"op_id", id}, {"hlc", stamp.isEmpty() ? hlc() : stamp}, {"kind", kind}, {"payload", payload}};
    }
    HttpReply sendOps(const QString& token, const QJsonArray& ops) {
        return sendRaw(token, QJsonDocument(QJsonObject{{"ops", ops}}).toJson(QJsonDocument::Compact));
    }
    HttpReply sendRaw(const QString& token, const QByteArray& body) {
        return HttpClient(m_server.baseUrl(), token).send("POST", "/api/pinhole/v1/sync/ops", body, "application/json");
    }
    QJsonObject result(const HttpReply& r, int i = 0) { return r.json()["results"].toArray()[i].toObject(); }

private slots:
    void initTestCase() { QVERIFY(m_server.start()); }
    void cleanupTestCase() { QCOMPARE(m_server.stop(), 0); }

    void firstSyncIsASnapshotOfTheAccountsOwnThings() {
        const QString ann = m_social.user("ann");
        const QString photo = m_social.photo(ann);
        const QString post = m_social.post(ann, "first #sync", {photo}).json()["id"].toString();
        const Page first = pull(ann, QString());
        QCOMPARE(first.status, 200);
        QVERIFY(first.contentType.startsWith("application/x-ndjson"));
        QVERIFY(first.wellFormed);
        QVERIFY(first.isReset());
        QCOMPARE(first.lines.first()["reason"].toString(), QString("no cursor"));
        QString cursor;
        bool reset = false;
        const auto changes = pullAll(ann, cursor, 500, &reset);
        QVERIFY(reset);
        const QSet<QString> got = keys(changes);
        QVERIFY(got.contains("account/" + m_social.idOf(ann) + "/upsert"));
        QVERIFY(got.contains("asset/" + photo + "/upsert"));
        QVERIFY(got.contains("post/" + post + "/upsert"));
        // Parents before children: the photo before the post that shows it.
        int assetAt = -1, postAt = -1;
        for (int i = 0; i < changes.size(); ++i) {
            if (key(changes[i]) == "asset/" + photo + "/upsert" && assetAt < 0)
                assetAt = i;
            if (key(changes[i]) == "post/" + post + "/upsert" && postAt < 0)
                postAt = i;
        }
        QVERIFY(assetAt < postAt);
        for (const auto& c : changes)
            if (key(c) == "asset/" + photo + "/upsert")
                QCOMPARE(c["data"].toObject()["id"].toString(), photo);
    }

    void streamShowsTheFeedButNeverAStrangersPrivateThings() {
        const QString bob = m_social.user("bob");
        const QString carl = m_social.user("carl");
        const QString dan = m_social.user("dan");
        QCOMPARE(m_social.postTo(bob, "/api/v1/accounts/" + m_social.idOf(carl) + "/follow").status, 200);
        QString cursor;
        pullAll(bob, cursor);
        QVERIFY(!cursor.isEmpty());

        const QString danPhoto = m_social.photo(dan);
        const QString danPrivate = m_social.photoPost(dan, "dan only for followers", "private");
        const QString danPublic = m_social.photoPost(dan, "dan public");
        const QString carlPrivate = m_social.photoPost(carl, "carl for followers", "private");
        QList<QJsonObject> seen;
        QVERIFY(waitFor(bob, cursor, "post/" + carlPrivate + "/upsert", &seen));
        // A full snapshot of bob's world must not hold them either.
        QString fresh;
        seen += pullAll(bob, fresh);
        const QSet<QString> got = keys(seen);
        for (const QString& leak :
             {"asset/" + danPhoto + "/upsert", "post/" + danPrivate + "/upsert", "post/" + danPublic + "/upsert"})
            QVERIFY2(!got.contains(leak), qPrintable(leak));
        for (const auto& c : seen) // carl's photos only inside carl's posts, never as library assets
            QVERIFY(c["kind"].toString() != "asset");
        QVERIFY(got.contains("relationship/" + m_social.idOf(carl) + "/upsert"));
    }

    void aLikeArrivesAfterItsPostWithTheNewCount() {
        const QString eve = m_social.user("eve");
        const QString fay = m_social.user("fay");
        const QString post = m_social.photoPost(fay, "like me");
        QString cursor;
        pullAll(eve, cursor);
        QCOMPARE(m_social.postTo(eve, "/api/v1/statuses/" + post + "/favourite").status, 200);
        QList<QJsonObject> seen;
        QVERIFY(waitFor(eve, cursor, "like/" + post + "/upsert", &seen));
        int postAt = -1, likeAt = -1;
        for (int i = 0; i < seen.size(); ++i) {
            if (key(seen[i]) == "post/" + post + "/upsert") {
                postAt = i;
                QCOMPARE(seen[i]["data"].toObject()["favourites_count"].toInt(), 1);
                QVERIFY(seen[i]["data"].toObject()["favourited"].toBool());
            }
            if (key(seen[i]) == "like/" + post + "/upsert" && likeAt < 0)
                likeAt = i;
        }
        QVERIFY(postAt >= 0 && postAt < likeAt);

        QCOMPARE(m_social.postTo(eve, "/api/v1/statuses/" + post + "/unfavourite").status, 200);
        QVERIFY(waitFor(eve, cursor, "like/" + post + "/delete"));
    }

    void aDeletedPostArrivesAsATombstone() {
        const QString gus = m_social.user("gus");
        const QString post = m_social.photoPost(gus, "short-lived");
        QString cursor;
        QVERIFY(waitFor(gus, cursor, "post/" + post + "/upsert"));
        QCOMPARE(HttpClient(m_server.baseUrl(), gus).send("DELETE", "/api/v1/statuses/" + post).status, 200);
        QList<QJsonObject> seen;
        QVERIFY(waitFor(gus, cursor, "post/" + post + "/delete", &seen));
        for (const auto& c : seen)
            if (key(c) == "post/" + post + "/delete")
                QVERIFY(!c.contains("data"));
    }

    void anAssetChangeArrivesInTheStream() {
        const QString hal = m_social.user("hal");
        const QString photo = m_social.photo(hal);
        QString cursor;
        pullAll(hal, cursor);
        const HttpReply put =
            HttpClient(m_server.baseUrl(), hal)
                .send("PUT", "/api/v1/media/" + photo,
                      QJsonDocument(QJsonObject{{"description", "a red door"}}).toJson(), "application/json");
        QCOMPARE(put.status, 200);
        QList<QJsonObject> seen;
        QVERIFY(waitFor(hal, cursor, "asset/" + photo + "/upsert", &seen));
        QCOMPARE(seen.last()["data"].toObject()["description"].toString(), QString("a red door"));
    }

    void unknownOrGarbledCursorAnswersAReset_data() {
        QTest::addColumn<QString>("cursor");
        QTest::addColumn<QString>("reason");
        QTest::newRow("garbage") << "not a cursor"
                                 << "garbled cursor";
        QTest::newRow("other version") << "2.1.1"
                                       << "garbled cursor";
        QTest::newRow("leading zero") << "1.01.1"
                                      << "garbled cursor";
        QTest::newRow("too long") << QString(200, '1') << "garbled cursor";
        QTest::newRow("another server") << "OTHER_EPOCH"
                                        << "unknown cursor";
        QTest::newRow("ahead of the log") << "AHEAD"
                                          << "unknown cursor";
    }
    void unknownOrGarbledCursorAnswersAReset() {
        QFETCH(QString, cursor);
        QFETCH(QString, reason);
        static const QString ivy = m_social.user("ivy");
        // "another server": take a real cursor's form with a different epoch.
        QString real;
        pullAll(ivy, real);
        const QStringList parts = real.split('.');
        QVERIFY(parts.size() == 3);
        if (cursor == "OTHER_EPOCH")
            cursor = QString("1.%1.%2").arg(parts[1].toLongLong() + 1).arg(parts[2]);
        if (cursor == "AHEAD")
            cursor = QString("1.%1.%2").arg(parts[1]).arg(parts[2].toLongLong() + 1000000);
        const Page page = pull(ivy, cursor);
        QCOMPARE(page.status, 200);
        QVERIFY(page.wellFormed);
        QVERIFY(page.isReset());
        QCOMPARE(page.lines.first()["reason"].toString(), reason);
        QVERIFY(keys(page.changes()).contains("account/" + m_social.idOf(ivy) + "/upsert"));
    }

    void limitIsRespectedAndPagingIsCompleteWithoutDuplicates() {
        const QString jo = m_social.user("jo");
        QStringList posts;
        for (int i = 0; i < 4; ++i)
            posts << m_social.photoPost(jo, QString("post %1").arg(i));
        QTRY_COMPARE_WITH_TIMEOUT(statusesCount(jo), 4, 20000);
        QString whole;
        QVERIFY(settle(jo, whole));
        whole.clear();
        const QSet<QString> expected = keys(pullAll(jo, whole, 1000));
        QCOMPARE(expected.size(), 1 + 4 + 4); // jo, 4 photos, 4 posts

        QString cursor;
        QList<QJsonObject> paged;
        for (int pages = 0; pages < 100; ++pages) {
            const Page page = pull(jo, cursor, 2);
            QCOMPARE(page.status, 200);
            QVERIFY(page.changes().size() <= 2);
            paged += page.changes();
            cursor = page.cursor();
            if (!page.more())
                break;
        }
        QCOMPARE(paged.size(), expected.size()); // no duplicates
        QCOMPARE(keys(paged), expected);

        // Then incremental pages, limit 1.
        for (int i = 0; i < 3; ++i)
            posts << m_social.photoPost(jo, QString("later %1").arg(i));
        QSet<QString> later;
        QTRY_VERIFY_WITH_TIMEOUT(([&] {
                                     for (const auto& c : pullAll(jo, cursor, 1))
                                         later << key(c);
                                     return later.contains("post/" + posts.last() + "/upsert");
                                 }()),
                                 20000);
        for (int i = 4; i < 7; ++i)
            QVERIFY(later.contains("post/" + posts[i] + "/upsert"));

        QCOMPARE(pull(jo, cursor, 0).status, 400);
        QCOMPARE(pull(jo, cursor, 1001).status, 400);
    }

    void cursorSurvivesARestart() {
        const QString kim = m_social.user("kim");
        const QString before = m_social.photoPost(kim, "before the restart");
        QString cursor;
        QVERIFY(waitFor(kim, cursor, "post/" + before + "/upsert"));
        QTRY_COMPARE_WITH_TIMEOUT(statusesCount(kim), 1, 20000);
        QVERIFY(settle(kim, cursor));
        QCOMPARE(m_server.stop(), 0);
        QVERIFY(m_server.start());
        const Page page = pull(kim, cursor);
        QCOMPARE(page.status, 200);
        QVERIFY(!page.isReset());
        QVERIFY2(page.changes().isEmpty(), qPrintable(QStringList(keys(page.changes()).values()).join(" ")));
        const QString after = m_social.photoPost(kim, "after the restart");
        QList<QJsonObject> seen;
        QVERIFY(waitFor(kim, cursor, "post/" + after + "/upsert", &seen));
        QVERIFY(!keys(seen).contains("post/" + before + "/upsert"));
    }

    void theEndpointsNeedAToken() {
        QCOMPARE(HttpClient(m_server.baseUrl()).get("/api/pinhole/v1/sync/changes").status, 401);
        QCOMPARE(sendOps({}, {op("like", {{"status_id", "1"}})}).status, 401);
    }

    // The client's tests load golden pages (tests/fixtures/sync/*.ndjson); the real server's lines
    // must carry every field those pages have, with the same JSON types, kind by kind.
    void linesHaveTheShapeOfTheGoldenFixtures() {
        QHash<QString, QJsonObject> golden; // "kind/op" -> a fixture line
        for (const char* name : {"changes_snapshot", "changes_tombstones", "changes_unfollow"}) {
            QFile f(qEnvironmentVariable("PINHOLE_SOURCE_DIR") + "/tests/fixtures/sync/" + name + ".ndjson");
            QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(f.fileName()));
            for (const QByteArray& line : f.readAll().split('\n')) {
                const QJsonObject o = QJsonDocument::fromJson(line).object();
                if (o.contains("kind"))
                    golden.insert(o["kind"].toString() + "/" + o["op"].toString(), o);
                else if (!o.isEmpty())
                    golden.insert(o.contains("reset") ? "reset" : "end", o);
            }
        }
        const QString zed = m_social.user("zed");
        const QString amy = m_social.user("amy");
        QCOMPARE(m_social.postTo(zed, "/api/v1/accounts/" + m_social.idOf(amy) + "/follow").status, 200);
        const QString amys = m_social.photoPost(amy, "amy's");
        QCOMPARE(m_social.postTo(zed, "/api/v1/statuses/" + amys + "/favourite").status, 200);
        const QString mine = m_social.photoPost(zed, "zed's");
        QCOMPARE(m_social.post(zed, "a comment", {}, "public", mine).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(statusesCount(zed), 2, 20000);
        QString cursor;
        QList<QJsonObject> lines = pull(zed, QString()).lines; // the reset line, then a snapshot
        lines += pullAll(zed, cursor);
        QCOMPARE(HttpClient(m_server.baseUrl(), zed).send("DELETE", "/api/v1/statuses/" + mine).status, 200);
        QCOMPARE(m_social.postTo(zed, "/api/v1/accounts/" + m_social.idOf(amy) + "/unfollow").status, 200);
        QList<QJsonObject> later;
        QVERIFY(waitFor(zed, cursor, "relationship/" + m_social.idOf(amy) + "/upsert", &later));
        lines += later;
        lines << pull(zed, cursor).end();

        QSet<QString> checked;
        for (const QJsonObject& line : lines) {
            const QString k = line.contains("kind") ? line["kind"].toString() + "/" + line["op"].toString()
                                                    : (line.contains("reset") ? "reset" : "end");
            if (!golden.contains(k))
                continue;
            const QJsonObject want = golden[k];
            for (auto it = want.begin(); it != want.end(); ++it) {
                QVERIFY2(line.contains(it.key()), qPrintable(k + " lacks " + it.key()));
                QCOMPARE(line[it.key()].type(), it.value().type());
            }
            const QJsonObject wantData = want["data"].toObject(), data = line["data"].toObject();
            for (auto it = wantData.begin(); it != wantData.end(); ++it) {
                QVERIFY2(data.contains(it.key()), qPrintable(k + " data lacks " + it.key()));
                if (!it.value().isNull() && !data[it.key()].isNull())
                    QCOMPARE(data[it.key()].type(), it.value().type());
            }
            checked << k;
        }
        for (const char* k : {"reset", "end", "account/upsert", "relationship/upsert", "asset/upsert", "post/upsert",
                              "comment/upsert", "like/upsert", "post/delete"})
            QVERIFY2(checked.contains(QString(k)), k);
    }

    void anOperationSentTwiceIsAppliedOnce() {
        const QString lee = m_social.user("lee");
        const QString photo = m_social.photo(lee);
        const QJsonObject create =
            op("post.create", {{"text", "offline #post"}, {"media_ids", QJsonArray{photo}}, {"visibility", "public"}});
        const HttpReply first = sendOps(lee, {create});
        QCOMPARE(first.status, 200);
        QCOMPARE(result(first)["status"].toString(), QString("applied"));
        const QString id = result(first)["id"].toString();
        QVERIFY(!id.isEmpty());
        const HttpReply again = sendOps(lee, {create});
        QCOMPARE(again.status, 200);
        QCOMPARE(result(again)["status"].toString(), QString("already_applied"));
        QCOMPARE(result(again)["id"].toString(), id);
        const auto statuses =
            SocialFixture::ids(m_social.get(lee, "/api/v1/accounts/" + m_social.idOf(lee) + "/statuses"));
        QCOMPARE(statuses, QStringList{id});
    }

    void operationsGoThroughTheDomainServices() {
        const QString mia = m_social.user("mia");
        const QString ned = m_social.user("ned");
        const QString photo = m_social.photo(mia);
        const QString createId = uuid();
        const HttpReply r =
            sendOps(mia, {op("post.create", {{"text", "hello"}, {"media_ids", QJsonArray{photo}}}, createId),
                          op("like", {{"status_id", "op:" + createId}}),
                          op("comment.create", {{"post_id", "op:" + createId}, {"text", "my own comment"}}),
                          op("follow", {{"account_id", m_social.idOf(ned)}})});
        QCOMPARE(r.status, 200);
        for (int i = 0; i < 4; ++i)
            QCOMPARE(result(r, i)["status"].toString(), QString("applied"));
        const QString post = result(r, 0)["id"].toString();
        QCOMPARE(result(r, 1)["id"].toString(), post);
        const QJsonObject status = m_social.get(mia, "/api/v1/statuses/" + post).json();
        QVERIFY(status["favourited"].toBool());
        QTRY_COMPARE_WITH_TIMEOUT(m_social.get(mia, "/api/v1/statuses/" + post).json()["replies_count"].toInt(), 1,
                                  20000);
        QVERIFY(result(r, 3)["current"].toObject()["following"].toBool());
        QVERIFY(m_social.get(mia, "/api/v1/accounts/relationships?id[]=" + m_social.idOf(ned))
                    .jsonArray()[0]
                    .toObject()["following"]
                    .toBool());
    }

    void refusedOperationsSayWhy_data() {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("reason");
        QTest::newRow("album without its client id") << "album.create"
                                                     << "album_id: a UUID is required";
        QTest::newRow("annotation without its photo") << "annotation.upsert"
                                                      << "asset_id: an id is required";
        QTest::newRow("made up") << "teleport"
                                 << "unknown kind";
        QTest::newRow("someone else's photo") << "post.create"
                                              << "";
        QTest::newRow("clock far ahead") << "like"
                                         << "clock ahead of server";
        QTest::newRow("unknown reference") << "unlike"
                                           << "unknown op reference";
    }
    void refusedOperationsSayWhy() {
        QFETCH(QString, kind);
        QFETCH(QString, reason);
        static const QString oli = m_social.user("oli");
        static const QString pat = m_social.user("pat");
        static const QString patsPhoto = m_social.photo(pat);
        static const QString patsPost = m_social.photoPost(pat, "pat's");
        QJsonObject payload;
        QString stamp;
        if (kind == "post.create")
            payload = {{"text", "not mine"}, {"media_ids", QJsonArray{patsPhoto}}};
        if (kind == "like") {
            payload = {{"status_id", patsPost}};
            stamp = hlc(3600 * 1000);
        }
        if (kind == "unlike")
            payload = {{"status_id", "op:" + uuid()}};
        const HttpReply r = sendOps(oli, {op(kind, payload, uuid(), stamp)});
        QCOMPARE(r.status, 200);
        QCOMPARE(result(r)["status"].toString(), QString("refused"));
        QVERIFY(!result(r)["reason"].toString().isEmpty());
        if (!reason.isEmpty())
            QCOMPARE(result(r)["reason"].toString(), reason);
        QVERIFY(!m_social.get(oli, "/api/v1/statuses/" + patsPost).json()["favourited"].toBool());
    }

    void aStrangersPrivatePostIsRefusedAsNotFound() {
        const QString quin = m_social.user("quin");
        const QString ray = m_social.user("ray");
        const QString hidden = m_social.photoPost(ray, "followers only", "private");
        const HttpReply r = sendOps(
            quin, {op("like", {{"status_id", hidden}}), op("comment.create", {{"post_id", hidden}, {"text", "hi"}})});
        QCOMPARE(r.status, 200);
        for (int i = 0; i < 2; ++i) {
            QCOMPARE(result(r, i)["status"].toString(), QString("refused"));
            QVERIFY(result(r, i)["reason"].toString().contains("not found"));
        }
    }

    void deletingThroughOperationsLeavesATombstoneAndIsIdempotent() {
        const QString xan = m_social.user("xan");
        const QString post = m_social.photoPost(xan, "delete me offline");
        QString cursor;
        QVERIFY(waitFor(xan, cursor, "post/" + post + "/upsert"));
        const HttpReply first = sendOps(xan, {op("post.delete", {{"post_id", post}})});
        QCOMPARE(result(first)["status"].toString(), QString("applied"));
        // Another device deleted it too: the post is gone, which is what it asked for.
        const HttpReply second = sendOps(xan, {op("post.delete", {{"post_id", post}})});
        QCOMPARE(result(second)["status"].toString(), QString("applied"));
        QCOMPARE(m_social.get(xan, "/api/v1/statuses/" + post).status, 404);
        QVERIFY(waitFor(xan, cursor, "post/" + post + "/delete"));
        // Someone else's post is not theirs to delete, and says so as if it did not exist.
        const QString yul = m_social.user("yul");
        const QString yuls = m_social.photoPost(yul, "mine");
        const HttpReply other = sendOps(xan, {op("post.delete", {{"post_id", yuls}})});
        QCOMPARE(result(other)["status"].toString(), QString("refused"));
        QCOMPARE(m_social.get(yul, "/api/v1/statuses/" + yuls).status, 200);
    }

    void anUnlikeOlderThanTheLikeIsAConflict() {
        const QString sam = m_social.user("sam");
        const QString tia = m_social.user("tia");
        const QString post = m_social.photoPost(tia, "add-wins");
        const QString older = hlc(), newer = hlc();
        const HttpReply r = sendOps(sam, {op("like", {{"status_id", post}}, uuid(), newer),
                                          op("unlike", {{"status_id", post}}, uuid(), older)});
        QCOMPARE(result(r, 0)["status"].toString(), QString("applied"));
        QCOMPARE(result(r, 1)["status"].toString(), QString("conflict"));
        QVERIFY(result(r, 1)["current"].toObject()["liked"].toBool());
        QVERIFY(m_social.get(sam, "/api/v1/statuses/" + post).json()["favourited"].toBool());
    }

    void assetFieldsAreLastWriterWinsByHlc() {
        const QString uma = m_social.user("uma");
        const QString photo = m_social.photo(uma);
        const QString older = hlc(), newer = hlc();
        const HttpReply first = sendOps(
            uma,
            {op("asset.update", {{"asset_id", photo}, {"set", QJsonObject{{"description", "newer"}}}}, uuid(), newer)});
        QCOMPARE(result(first)["status"].toString(), QString("applied"));
        const HttpReply late = sendOps(
            uma,
            {op("asset.update", {{"asset_id", photo}, {"set", QJsonObject{{"description", "older"}}}}, uuid(), older)});
        QCOMPARE(result(late)["status"].toString(), QString("conflict"));
        QCOMPARE(result(late)["current"].toObject()["description"].toString(), QString("newer"));
        QCOMPARE(m_social.get(uma, "/api/pinhole/v1/assets/" + photo).json()["description"].toString(),
                 QString("newer"));

        // Someone else's photo looks like one that does not exist: a conflict with no state.
        const QString vic = m_social.user("vic");
        const HttpReply other =
            sendOps(vic, {op("asset.update", {{"asset_id", photo}, {"set", QJsonObject{{"description", "mine"}}}})});
        QCOMPARE(result(other)["status"].toString(), QString("conflict"));
        QVERIFY(result(other)["current"].isNull());
        QCOMPARE(m_social.get(uma, "/api/pinhole/v1/assets/" + photo).json()["description"].toString(),
                 QString("newer"));
    }

    void malformedBatchesAreRefusedWholeAndApplyNothing_data() {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::newRow("not json") << QByteArray("{ops:") << 400;
        QTest::newRow("no ops") << QByteArray("{\"ops\":[]}") << 400;
        QTest::newRow("ops not an array") << QByteArray("{\"ops\":{}}") << 400;
        QTest::newRow("op without op_id") << QByteArray("{\"ops\":[VALID,{\"kind\":\"like\"}]}") << 400;
        QTest::newRow("op_id not a uuid")
            << QByteArray("{\"ops\":[VALID,{\"op_id\":\"123\",\"kind\":\"like\"}]}") << 400;
        QTest::newRow("501 ops") << QByteArray("MANY") << 413;
        QTest::newRow("body over 1 MiB") << QByteArray("HUGE") << 413;
    }
    void malformedBatchesAreRefusedWholeAndApplyNothing() {
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        static const QString wes = m_social.user("wes");
        static const QString photo = m_social.photo(wes);
        const QJsonObject valid = op("asset.update", {{"asset_id", photo}, {"set", QJsonObject{{"description", "x"}}}});
        const QByteArray validText = QJsonDocument(valid).toJson(QJsonDocument::Compact);
        if (body == "MANY") {
            QJsonArray ops{valid};
            for (int i = 0; i < 500; ++i)
                ops.append(op("like", {{"status_id", "1"}}));
            body = QJsonDocument(QJsonObject{{"ops", ops}}).toJson(QJsonDocument::Compact);
        }
        if (body == "HUGE")
            body = QJsonDocument(
                       QJsonObject{{"ops", QJsonArray{valid, op("comment.create",
                                                                {{"post_id", "1"}, {"text", QString(1100000, 'x')}})}}})
                       .toJson(QJsonDocument::Compact);
        body.replace("VALID", validText);
        const HttpReply r = sendRaw(wes, body);
        QCOMPARE(r.status, status);
        QVERIFY(!r.json()["error"].toString().isEmpty());
        // The valid op in the refused batch was not applied: alone, it applies now.
        const HttpReply alone = sendOps(wes, {valid});
        QCOMPARE(result(alone)["status"].toString(), QString("applied"));
    }
};

QTEST_MAIN(TestSync)
#include "tst_e2e_sync.moc"
