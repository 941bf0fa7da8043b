// The library and albums through the real pinholed (issue 5): listing with cursors and filters,
// the owner's edits and their validation, trash and restore, the purge after the retention (a
// server with a one-second retention) that keeps bytes another account still has, albums with an
// order that survives a restart, and strangers answered 404 everywhere.
#include "socialfixture.h"

#include <QDir>
#include <QFileInfo>

using pinhole::test::HttpClient;
using pinhole::test::HttpReply;
using pinhole::test::ServerProcess;
using pinhole::test::SocialFixture;

namespace {

const QString kAssets = QStringLiteral("/api/pinhole/v1/assets");
const QString kAlbums = QStringLiteral("/api/pinhole/v1/albums");

QByteArray jsonBytes(const QJsonObject& o) {
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QStringList idsOf(const QJsonArray& array) {
    QStringList out;
    for (const auto& v : array)
        out << v.toObject()["id"].toString();
    return out;
}

// Where the server keeps the original of these bytes (docs/ARCHITECTURE.md, "Storage").
QString originalPath(const QString& dataDir, const QString& sha) {
    return dataDir + "/media/originals/" + sha.left(2) + "/" + sha.mid(2, 2) + "/" + sha;
}
QString derivedDir(const QString& dataDir, const QString& sha) {
    return dataDir + "/media/derived/" + sha.left(2) + "/" + sha.mid(2, 2) + "/" + sha;
}

} // namespace

class TestLibrary : public QObject {
    Q_OBJECT
    ServerProcess m_server;
    SocialFixture m_social{m_server};
    QString m_alice, m_bob;
    QStringList m_photos; // alice's, m_photos[i] taken on 2024-01-(i+1) at noon UTC (a correction)

    HttpClient as(const QString& token) { return HttpClient(m_server.baseUrl(), token); }
    HttpReply send(const QString& token, const QByteArray& method, const QString& path, const QJsonObject& body) {
        return as(token).send(method, path, jsonBytes(body), "application/json");
    }
    // Every asset of a listing, page by page; fails the test on a page that is not 200.
    QStringList allPages(const QString& token, const QString& query, int limit, int* pages = nullptr) {
        QStringList ids;
        QString cursor;
        int n = 0;
        for (;;) {
            QUrlQuery q(query);
            q.addQueryItem("limit", QString::number(limit));
            if (!cursor.isEmpty())
                q.addQueryItem("cursor", cursor);
            const HttpReply r = as(token).get(kAssets + "?" + q.toString(QUrl::FullyEncoded));
            if (r.status != 200) {
                qWarning("listing answered %d: %s", r.status, r.body.constData());
                return {};
            }
            ++n;
            ids << idsOf(r.json()["assets"].toArray());
            if (r.json()["next_cursor"].isNull())
                break;
            cursor = r.json()["next_cursor"].toString();
            if (n > 100)
                return {}; // a cursor that never ends
        }
        if (pages)
            *pages = n;
        return ids;
    }
    QString album(const QString& token, const QString& name, const QStringList& assets = {}) {
        const QString id = send(token, "POST", kAlbums, {{"name", name}}).json()["id"].toString();
        if (!assets.isEmpty())
            send(token, "POST", kAlbums + "/" + id + "/assets", {{"asset_ids", QJsonArray::fromStringList(assets)}});
        return id;
    }
    QStringList albumOrder(const QString& token, const QString& albumId) {
        return allPages(token, "album=" + albumId, 50);
    }
    // A photo of these bytes through the Mastodon media API (processed when it answers).
    QString upload(const QString& token, const QByteArray& bytes) {
        const QByteArray boundary = "pinholeboundary";
        const QByteArray body = "--" + boundary +
                                "\r\nContent-Disposition: form-data; name=\"file\"; "
                                "filename=\"p.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n" +
                                bytes + "\r\n--" + boundary + "--\r\n";
        const HttpReply r = as(token).send("POST", "/api/v1/media", body, "multipart/form-data; boundary=" + boundary);
        return r.status == 200 ? r.json()["id"].toString() : QString();
    }

private slots:
    void initTestCase() {
        QVERIFY(m_server.start());
        m_alice = m_social.user("alice");
        m_bob = m_social.user("bob");
        QVERIFY(!m_alice.isEmpty() && !m_bob.isEmpty());
        for (int i = 0; i < 7; ++i) {
            const QString id = m_social.photo(m_alice);
            QVERIFY(!id.isEmpty());
            const QString day = QString("2024-01-%1T12:00:00Z").arg(i + 1, 2, 10, QChar('0'));
            QCOMPARE(send(m_alice, "PATCH", kAssets + "/" + id, {{"taken_at", day}}).status, 200);
            m_photos << id;
        }
    }
    void cleanupTestCase() { QCOMPARE(m_server.stop(), 0); }

    void listing_pagesAreCompleteWithoutDuplicates_data() {
        QTest::addColumn<int>("limit");
        QTest::addColumn<int>("pages");
        QTest::newRow("1 per page") << 1 << 7;
        QTest::newRow("2 per page") << 2 << 4;
        QTest::newRow("exactly all") << 7 << 1;
        QTest::newRow("one page") << 50 << 1;
    }
    void listing_pagesAreCompleteWithoutDuplicates() {
        QFETCH(int, limit);
        QFETCH(int, pages);
        int seen = 0;
        const QStringList ids = allPages(m_alice, "taken_before=2024-02-01", limit, &seen);
        QStringList newestFirst = m_photos;
        std::reverse(newestFirst.begin(), newestFirst.end());
        QCOMPARE(ids, newestFirst);
        QCOMPARE(seen, pages);
    }

    void listing_filtersByCaptureDateRange() {
        // From the 3rd inclusive to the 6th exclusive: the photos of the 3rd, 4th and 5th.
        QCOMPARE(allPages(m_alice, "taken_after=2024-01-03&taken_before=2024-01-06", 2),
                 (QStringList{m_photos[4], m_photos[3], m_photos[2]}));
        QCOMPARE(allPages(m_alice, "taken_after=2024-01-07T11:00:00%2B01:00&taken_before=2024-02-01", 50),
                 QStringList{m_photos[6]}); // 12:00Z = 13:00+01:00, after 11:00+01:00
    }

    void listing_filtersByFavourite() {
        for (int i : {1, 5})
            QCOMPARE(send(m_alice, "PATCH", kAssets + "/" + m_photos[i], {{"favourite", true}}).status, 200);
        QCOMPARE(allPages(m_alice, "favourite=true&taken_before=2024-02-01", 50),
                 (QStringList{m_photos[5], m_photos[1]}));
        const QStringList others = allPages(m_alice, "favourite=false&taken_before=2024-02-01", 50);
        QCOMPARE(others.size(), 5);
        QVERIFY(!others.contains(m_photos[1]) && !others.contains(m_photos[5]));
        for (int i : {1, 5})
            QCOMPARE(send(m_alice, "PATCH", kAssets + "/" + m_photos[i], {{"favourite", false}}).status, 200);
    }

    void listing_filtersByAlbumInTheAlbumsOrder() {
        const QString id = album(m_alice, "Picks", {m_photos[6], m_photos[0], m_photos[3]});
        QCOMPARE(allPages(m_alice, "album=" + id, 2), (QStringList{m_photos[6], m_photos[0], m_photos[3]}));
        QCOMPARE(allPages(m_alice, "album=" + id + "&taken_before=2024-01-05", 50),
                 (QStringList{m_photos[0], m_photos[3]}));
    }

    void listing_filtersByHavingAnAnnotation() {
        const QString path = "/api/pinhole/v1/assets/" + m_photos[2] + "/annotations";
        const HttpReply tagged = as(m_alice).postJson(path, {{"schema", "tag"}, {"payload", QJsonObject{{"label", "kept"}}}});
        QCOMPARE(tagged.status, 201);
        QCOMPARE(allPages(m_alice, "has_annotation=true&taken_before=2024-02-01", 50), QStringList{m_photos[2]});
        const QStringList others = allPages(m_alice, "has_annotation=false&taken_before=2024-02-01", 50);
        QVERIFY(!others.contains(m_photos[2]) && others.contains(m_photos[0]));
        QCOMPARE(send(m_alice, "DELETE", "/api/pinhole/v1/annotations/" + tagged.json()["id"].toString(), {}).status, 200);
        QVERIFY(allPages(m_alice, "has_annotation=true&taken_before=2024-02-01", 50).isEmpty());
    }

    void listing_refusesBadParameters_data() {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("field");
        QTest::newRow("limit 0") << "limit=0"
                                 << "limit";
        QTest::newRow("limit text") << "limit=ten"
                                    << "limit";
        QTest::newRow("garbled cursor") << "cursor=%21%21%21"
                                        << "cursor";
        QTest::newRow("cursor not base64 of ours") << "cursor=dGVzdA"
                                                   << "cursor";
        QTest::newRow("date in words") << "taken_after=yesterday"
                                       << "taken_after";
        QTest::newRow("no such day") << "taken_before=2024-02-30"
                                     << "taken_before";
        QTest::newRow("favourite maybe") << "favourite=maybe"
                                         << "favourite";
        QTest::newRow("trashed maybe") << "trashed=maybe"
                                       << "trashed";
    }
    void listing_refusesBadParameters() {
        QFETCH(QString, query);
        QFETCH(QString, field);
        const HttpReply r = as(m_alice).get(kAssets + "?" + query);
        QCOMPARE(r.status, 400);
        QVERIFY2(r.json()["error"].toString().contains(field), r.body.constData());
    }

    void listing_refusesACursorOfAnotherListing() {
        const HttpReply byTime = as(m_alice).get(kAssets + "?limit=1");
        const QString cursor = byTime.json()["next_cursor"].toString();
        QVERIFY(!cursor.isEmpty());
        const QString id = album(m_alice, "Other listing", {m_photos[0], m_photos[1]});
        QCOMPARE(as(m_alice).get(kAssets + "?album=" + id + "&cursor=" + cursor).status, 400);
    }

    void update_refusesBadInput_data() {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("field");
        QTest::newRow("title too long") << jsonBytes({{"title", QString(201, 'x')}}) << "title";
        QTest::newRow("title a number") << QByteArray("{\"title\": 5}") << "title";
        QTest::newRow("description too long") << jsonBytes({{"description", QString(1501, 'x')}}) << "description";
        QTest::newRow("favourite a word") << QByteArray("{\"favourite\": \"yes\"}") << "favourite";
        QTest::newRow("taken_at in words") << QByteArray("{\"taken_at\": \"last summer\"}") << "taken_at";
        QTest::newRow("taken_at without zone") << QByteArray("{\"taken_at\": \"2024-05-01T14:03:22\"}") << "taken_at";
        QTest::newRow("taken_at before 1800") << QByteArray("{\"taken_at\": \"1700-01-01T00:00:00Z\"}") << "taken_at";
        QTest::newRow("unknown field") << QByteArray("{\"titel\": \"typo\"}") << "titel";
        QTest::newRow("not JSON") << QByteArray("{\"title\": ") << "";
    }
    void update_refusesBadInput() {
        QFETCH(QByteArray, body);
        QFETCH(QString, field);
        const QString path = kAssets + "/" + m_photos[0];
        const QJsonObject before = as(m_alice).get(path).json();
        const HttpReply r = as(m_alice).send("PATCH", path, body, "application/json");
        QCOMPARE(r.status, 400);
        QVERIFY2(r.json()["error"].toString().contains(field), r.body.constData());
        QCOMPARE(as(m_alice).get(path).json(), before); // nothing half-applied
    }

    void update_setsEachFieldAndClearsTheCorrection() {
        const QString id = m_social.photo(m_alice);
        const QString path = kAssets + "/" + id;
        QCOMPARE(as(m_alice).get(path).json()["taken_at"], QJsonValue(QJsonValue::Null)); // noise has no EXIF time
        HttpReply r = send(m_alice, "PATCH", path,
                           {{"title", "Eiger"},
                            {"description", "North face"},
                            {"favourite", true},
                            {"taken_at", "2023-07-14T08:30:00+02:00"}});
        QCOMPARE(r.status, 200);
        const QJsonObject got = as(m_alice).get(path).json();
        QCOMPARE(got["title"].toString(), QString("Eiger"));
        QCOMPARE(got["description"].toString(), QString("North face"));
        QCOMPARE(got["favourite"].toBool(), true);
        QCOMPARE(got["taken_at"].toString(), QString("2023-07-14T06:30:00.000Z"));
        QCOMPARE(got["taken_at_corrected"].toBool(), true);
        // Only what the body names changes; null takes the correction back.
        QCOMPARE(send(m_alice, "PATCH", path, {{"taken_at", QJsonValue(QJsonValue::Null)}}).status, 200);
        const QJsonObject after = as(m_alice).get(path).json();
        QCOMPARE(after["taken_at"], QJsonValue(QJsonValue::Null));
        QCOMPARE(after["taken_at_corrected"].toBool(), false);
        QCOMPARE(after["title"].toString(), QString("Eiger"));
        QCOMPARE(send(m_alice, "DELETE", path, {}).status, 200); // out of the way of the listings
    }

    void trash_hidesAndRestoreBringsBack() {
        const QString id = m_social.photo(m_alice);
        const QString albumId = album(m_alice, "With a trashed member", {m_photos[0], id, m_photos[1]});
        HttpReply r = as(m_alice).send("DELETE", kAssets + "/" + id);
        QCOMPARE(r.status, 200);
        QVERIFY(r.json()["trashed_at"].isString());
        QVERIFY(!allPages(m_alice, "", 50).contains(id));
        QVERIFY(allPages(m_alice, "trashed=true", 50).contains(id));
        QCOMPARE(albumOrder(m_alice, albumId), (QStringList{m_photos[0], m_photos[1]}));
        QCOMPARE(as(m_alice).get(kAlbums + "/" + albumId).json()["asset_count"].toInt(), 2);
        QCOMPARE(as(m_alice).get(kAssets + "/" + id).status, 200); // the owner still sees it in the trash
        const HttpReply posted = m_social.post(m_alice, "from the trash", {id});
        QCOMPARE(posted.status, 422); // a post never shows a trashed photo
        QVERIFY(posted.json()["error"].toString().contains("trash"));

        r = as(m_alice).send("POST", kAssets + "/" + id + "/restore");
        QCOMPARE(r.status, 200);
        QVERIFY(r.json()["trashed_at"].isNull());
        QVERIFY(allPages(m_alice, "", 50).contains(id));
        QVERIFY(!allPages(m_alice, "trashed=true", 50).contains(id));
        QCOMPARE(albumOrder(m_alice, albumId), (QStringList{m_photos[0], id, m_photos[1]})); // back in its place
    }

    void trash_refusesAPhotoInAPost() {
        const QString id = m_social.photo(m_alice);
        const HttpReply post = m_social.post(m_alice, "in a post", {id});
        QCOMPARE(post.status, 200);
        const HttpReply r = as(m_alice).send("DELETE", kAssets + "/" + id);
        QCOMPARE(r.status, 409);
        QVERIFY(r.json()["error"].toString().contains("post"));
        QVERIFY(as(m_alice).get(kAssets + "/" + id).json()["trashed_at"].isNull());
        QCOMPARE(as(m_bob)
                     .get("/api/v1/statuses/" + post.json()["id"].toString())
                     .json()["media_attachments"]
                     .toArray()
                     .size(),
                 1);
    }

    void asset_inAVisiblePostIsSeenWithoutPrivateFields() {
        const QString shown = m_social.photo(m_alice);
        QCOMPARE(m_social.post(m_alice, "public", {shown}, "public").status, 200);
        const QString hidden = m_social.photo(m_alice);
        QCOMPARE(m_social.post(m_alice, "followers only", {hidden}, "private").status, 200);

        for (const QString& token : {m_bob, QString()}) {
            const HttpReply r = as(token).get(kAssets + "/" + shown);
            QCOMPARE(r.status, 200);
            const QJsonObject a = r.json();
            QCOMPARE(a["id"].toString(), shown);
            for (const char* ownerOnly : {"sha256", "gps", "camera", "favourite", "trashed_at", "taken_at"})
                QVERIFY2(!a.contains(ownerOnly), ownerOnly);
            QVERIFY(a["variants"].toObject().contains("thumb"));
            QVERIFY(!a["variants"].toObject().contains("original"));
            QCOMPARE(as(token).get(kAssets + "/" + hidden).status, 404);
        }
        QVERIFY(as(m_alice).get(kAssets + "/" + shown).json().contains("sha256"));
    }

    void albums_createEditAndDelete() {
        HttpReply r = send(m_alice, "POST", kAlbums, {{"name", "Alps"}, {"description", "Summer 2024"}});
        QCOMPARE(r.status, 200);
        const QString id = r.json()["id"].toString();
        QCOMPARE(r.json()["asset_count"].toInt(), 0);
        QVERIFY(r.json()["cover_asset_id"].isNull());
        QVERIFY(idsOf(as(m_alice).get(kAlbums).json()["albums"].toArray()).contains(id));

        const QString path = kAlbums + "/" + id;
        QCOMPARE(send(m_alice, "PATCH", path, {{"cover_asset_id", m_photos[2]}}).status, 400); // not a member
        QCOMPARE(send(m_alice, "POST", path + "/assets", {{"asset_ids", QJsonArray{m_photos[2]}}}).status, 200);
        r = send(m_alice, "PATCH", path, {{"name", "Alpes"}, {"description", "Été"}, {"cover_asset_id", m_photos[2]}});
        QCOMPARE(r.status, 200);
        const QJsonObject got = as(m_alice).get(path).json();
        QCOMPARE(got["name"].toString(), QString("Alpes"));
        QCOMPARE(got["description"].toString(), QString::fromUtf8("Été"));
        QCOMPARE(got["cover_asset_id"].toString(), m_photos[2]);
        QCOMPARE(got["asset_count"].toInt(), 1);
        // Removing the cover from the album leaves the album without one.
        QCOMPARE(as(m_alice).send("DELETE", path + "/assets/" + m_photos[2]).json()["cover_asset_id"],
                 QJsonValue(QJsonValue::Null));

        QCOMPARE(as(m_alice).send("DELETE", path).status, 200);
        QCOMPARE(as(m_alice).get(path).status, 404);
        QVERIFY(!idsOf(as(m_alice).get(kAlbums).json()["albums"].toArray()).contains(id));
        QCOMPARE(as(m_alice).get(kAssets + "/" + m_photos[2]).status, 200); // the photos stay
    }

    void albums_refuseBadInput_data() {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("suffix");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::newRow("empty name") << QByteArray("POST") << "" << QByteArray("{\"name\": \"\"}") << 400;
        QTest::newRow("no name") << QByteArray("POST") << "" << QByteArray("{}") << 400;
        QTest::newRow("name too long") << QByteArray("POST") << "" << jsonBytes({{"name", QString(201, 'n')}}) << 400;
        QTest::newRow("unknown field") << QByteArray("POST") << "" << QByteArray("{\"name\": \"x\", \"colour\": 1}")
                                       << 400;
        QTest::newRow("rename empty") << QByteArray("PATCH") << "/{album}" << QByteArray("{\"name\": \"\"}") << 400;
        QTest::newRow("cover a number") << QByteArray("PATCH") << "/{album}" << QByteArray("{\"cover_asset_id\": 5}")
                                        << 400;
        QTest::newRow("add nothing") << QByteArray("POST") << "/{album}/assets" << QByteArray("{\"asset_ids\": []}")
                                     << 400;
        QTest::newRow("add numbers") << QByteArray("POST") << "/{album}/assets" << QByteArray("{\"asset_ids\": [1]}")
                                     << 400;
        QTest::newRow("add at -1") << QByteArray("POST") << "/{album}/assets"
                                   << QByteArray("{\"asset_ids\": [\"{photo}\"], \"position\": -1}") << 400;
        QTest::newRow("add unknown asset")
            << QByteArray("POST") << "/{album}/assets" << QByteArray("{\"asset_ids\": [\"123\"]}") << 404;
        QTest::newRow("move without position")
            << QByteArray("PATCH") << "/{album}/assets/{photo}" << QByteArray("{}") << 400;
        QTest::newRow("move to -2") << QByteArray("PATCH") << "/{album}/assets/{photo}"
                                    << QByteArray("{\"position\": -2}") << 400;
        QTest::newRow("move a non-member")
            << QByteArray("PATCH") << "/{album}/assets/{other}" << QByteArray("{\"position\": 0}") << 404;
    }
    void albums_refuseBadInput() {
        QFETCH(QByteArray, method);
        QFETCH(QString, suffix);
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        const QString id = album(m_alice, "Input checks", {m_photos[0]});
        suffix.replace("{album}", id).replace("{photo}", m_photos[0]).replace("{other}", m_photos[1]);
        body.replace("{photo}", m_photos[0].toUtf8());
        const HttpReply r = as(m_alice).send(method, kAlbums + suffix, body, "application/json");
        QCOMPARE(r.status, status);
        QVERIFY(!r.json()["error"].toString().isEmpty());
        QCOMPARE(albumOrder(m_alice, id), QStringList{m_photos[0]}); // unchanged
    }

    void albums_keepAnOrderedMembership() {
        const QString id = album(m_alice, "Order", {m_photos[0], m_photos[1]});
        const QString members = kAlbums + "/" + id + "/assets";
        // At the end, at a position, and again (an asset already there keeps its place).
        QCOMPARE(send(m_alice, "POST", members, {{"asset_ids", QJsonArray{m_photos[2], m_photos[3]}}}).status, 200);
        QCOMPARE(send(m_alice, "POST", members, {{"asset_ids", QJsonArray{m_photos[4]}}, {"position", 1}}).status, 200);
        QCOMPARE(send(m_alice, "POST", members, {{"asset_ids", QJsonArray{m_photos[0]}}, {"position", 3}}).status, 200);
        QCOMPARE(albumOrder(m_alice, id),
                 (QStringList{m_photos[0], m_photos[4], m_photos[1], m_photos[2], m_photos[3]}));
        // Moves forward, backward, past the end; a removal closes the gap.
        QCOMPARE(send(m_alice, "PATCH", members + "/" + m_photos[0], {{"position", 2}}).status, 200);
        QCOMPARE(albumOrder(m_alice, id),
                 (QStringList{m_photos[4], m_photos[1], m_photos[0], m_photos[2], m_photos[3]}));
        QCOMPARE(send(m_alice, "PATCH", members + "/" + m_photos[3], {{"position", 0}}).status, 200);
        QCOMPARE(send(m_alice, "PATCH", members + "/" + m_photos[4], {{"position", 99}}).status, 200);
        QCOMPARE(albumOrder(m_alice, id),
                 (QStringList{m_photos[3], m_photos[1], m_photos[0], m_photos[2], m_photos[4]}));
        const HttpReply removed = as(m_alice).send("DELETE", members + "/" + m_photos[1]);
        QCOMPARE(removed.status, 200);
        QCOMPARE(removed.json()["asset_count"].toInt(), 4);
        QCOMPARE(as(m_alice).send("DELETE", members + "/" + m_photos[1]).status, 404);
        const HttpReply listed = as(m_alice).get(kAssets + "?album=" + id);
        QJsonArray positions;
        for (const auto& a : listed.json()["assets"].toArray())
            positions.append(a.toObject()["position"]);
        QCOMPARE(positions, (QJsonArray{0, 1, 2, 3}));
        // An asset may be in several albums.
        const QString second = album(m_alice, "Second", {m_photos[0]});
        QCOMPARE(albumOrder(m_alice, second), QStringList{m_photos[0]});
        QVERIFY(albumOrder(m_alice, id).contains(m_photos[0]));
    }

    void strangers_get404Everywhere_data() {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("get album") << QByteArray("GET") << "/albums/{album}" << QByteArray();
        QTest::newRow("edit album") << QByteArray("PATCH") << "/albums/{album}" << QByteArray("{\"name\": \"mine\"}");
        QTest::newRow("delete album") << QByteArray("DELETE") << "/albums/{album}" << QByteArray();
        QTest::newRow("add to album") << QByteArray("POST") << "/albums/{album}/assets"
                                      << QByteArray("{\"asset_ids\": [\"{bobs}\"]}");
        QTest::newRow("remove from album") << QByteArray("DELETE") << "/albums/{album}/assets/{asset}" << QByteArray();
        QTest::newRow("move in album") << QByteArray("PATCH") << "/albums/{album}/assets/{asset}"
                                       << QByteArray("{\"position\": 0}");
        QTest::newRow("list album") << QByteArray("GET") << "/assets?album={album}" << QByteArray();
        QTest::newRow("get asset") << QByteArray("GET") << "/assets/{asset}" << QByteArray();
        QTest::newRow("edit asset") << QByteArray("PATCH") << "/assets/{asset}" << QByteArray("{\"title\": \"mine\"}");
        QTest::newRow("trash asset") << QByteArray("DELETE") << "/assets/{asset}" << QByteArray();
        QTest::newRow("restore asset") << QByteArray("POST") << "/assets/{asset}/restore" << QByteArray();
        QTest::newRow("put into own album")
            << QByteArray("POST") << "/albums/{own}/assets" << QByteArray("{\"asset_ids\": [\"{asset}\"]}");
    }
    void strangers_get404Everywhere() {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        const QString albumId = album(m_alice, "Private", {m_photos[0]});
        const QString bobs = m_social.photo(m_bob);
        const QString own = album(m_bob, "Bob's");
        const auto fill = [&](QString text) {
            return text.replace("{album}", albumId)
                .replace("{asset}", m_photos[0])
                .replace("{bobs}", bobs)
                .replace("{own}", own);
        };
        const QJsonObject assetBefore = as(m_alice).get(kAssets + "/" + m_photos[0]).json();
        const HttpReply r =
            as(m_bob).send(method, "/api/pinhole/v1" + fill(path), fill(QString::fromUtf8(body)).toUtf8(),
                           body.isEmpty() ? QByteArray() : QByteArray("application/json"));
        QCOMPARE(r.status, 404);
        QVERIFY(!r.body.contains("Private") && !r.body.contains("alice"));
        // Nothing changed for the owner.
        QCOMPARE(as(m_alice).get(kAssets + "/" + m_photos[0]).json(), assetBefore);
        QCOMPARE(albumOrder(m_alice, albumId), QStringList{m_photos[0]});
        QCOMPARE(as(m_alice).get(kAlbums + "/" + albumId).json()["name"].toString(), QString("Private"));
        QVERIFY(albumOrder(m_bob, own).isEmpty());
    }

    void strangers_listOnlyTheirOwn() {
        const QStringList bobs = allPages(m_bob, "", 50);
        for (const QString& id : m_photos)
            QVERIFY(!bobs.contains(id));
        const QStringList albums = idsOf(as(m_bob).get(kAlbums).json()["albums"].toArray());
        for (const QString& id : idsOf(as(m_alice).get(kAlbums).json()["albums"].toArray()))
            QVERIFY(!albums.contains(id));
        QCOMPARE(as(QString()).get(kAssets).status, 401);
        QCOMPARE(as(QString()).get(kAlbums).status, 401);
    }

    void albums_orderSurvivesARestart() {
        const QString id = album(m_alice, "Kept", {m_photos[5], m_photos[2], m_photos[6], m_photos[1]});
        QCOMPARE(send(m_alice, "PATCH", kAlbums + "/" + id + "/assets/" + m_photos[1], {{"position", 0}}).status, 200);
        const QStringList before = albumOrder(m_alice, id);
        QCOMPARE(before, (QStringList{m_photos[1], m_photos[5], m_photos[2], m_photos[6]}));
        QCOMPARE(m_server.stop(), 0);
        QVERIFY(m_server.start());
        QCOMPARE(albumOrder(m_alice, id), before);
        QCOMPARE(as(m_alice).get(kAlbums + "/" + id).json()["name"].toString(), QString("Kept"));
    }

    // Its own server, whose trash keeps assets one second: alice and bob have the same bytes;
    // purging alice's keeps the file bob needs; purging bob's removes it.
    void purge_afterTheRetentionKeepsSharedBytes() {
        ServerProcess server(QStringLiteral("[library]\ntrash_retention_seconds = 1\n"));
        QVERIFY(server.start());
        SocialFixture social(server);
        const QString carol = social.user("carol"), dave = social.user("dave");
        QTemporaryDir dir;
        const QString file = dir.filePath("shared.jpg");
        QProcess vips;
        vips.start(QStandardPaths::findExecutable("vips"), {"gaussnoise", file, "64", "48"});
        QVERIFY(vips.waitForFinished(60000) && vips.exitCode() == 0);
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        const auto client = [&](const QString& token) { return HttpClient(server.baseUrl(), token); };
        const auto uploadTo = [&](const QString& token) {
            const QByteArray boundary = "pinholeboundary";
            const QByteArray body = "--" + boundary +
                                    "\r\nContent-Disposition: form-data; name=\"file\"; "
                                    "filename=\"p.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n" +
                                    bytes + "\r\n--" + boundary + "--\r\n";
            return client(token)
                .send("POST", "/api/v1/media", body, "multipart/form-data; boundary=" + boundary)
                .json()["id"]
                .toString();
        };
        const QString carols = uploadTo(carol), daves = uploadTo(dave);
        QVERIFY(!carols.isEmpty() && !daves.isEmpty() && carols != daves);
        const QString sha = client(carol).get(kAssets + "/" + carols).json()["sha256"].toString();
        QCOMPARE(client(dave).get(kAssets + "/" + daves).json()["sha256"].toString(), sha);
        const QString original = originalPath(server.dataDir(), sha);
        QVERIFY(QFileInfo::exists(original));
        const QString albumId = client(carol)
                                    .send("POST", kAlbums, jsonBytes({{"name", "Doomed"}}), "application/json")
                                    .json()["id"]
                                    .toString();
        QCOMPARE(client(carol)
                     .send("POST", kAlbums + "/" + albumId + "/assets", jsonBytes({{"asset_ids", QJsonArray{carols}}}),
                           "application/json")
                     .status,
                 200);

        QCOMPARE(client(carol).send("DELETE", kAssets + "/" + carols).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(client(carol).get(kAssets + "/" + carols).status, 404, 60000);
        QVERIFY(!allPages2(server, carol, "trashed=true").contains(carols));
        QCOMPARE(client(carol).get(kAlbums + "/" + albumId).json()["asset_count"].toInt(), 0);
        QCOMPARE(client(carol).send("POST", kAssets + "/" + carols + "/restore").status, 404);
        // dave's copy is whole: the file and its derivatives stay.
        QVERIFY(QFileInfo::exists(original));
        QCOMPARE(client(dave).get("/media/" + daves + "/original").body, bytes);
        QCOMPARE(client(dave).get("/media/" + daves + "/thumb").status, 200);

        QCOMPARE(client(dave).send("DELETE", kAssets + "/" + daves).status, 200);
        QTRY_VERIFY_WITH_TIMEOUT(!QFileInfo::exists(original), 60000);
        QTRY_VERIFY_WITH_TIMEOUT(!QFileInfo::exists(derivedDir(server.dataDir(), sha)), 10000);
        QCOMPARE(client(dave).get(kAssets + "/" + daves).status, 404);
        QCOMPARE(server.stop(), 0);
    }

private:
    static QStringList allPages2(ServerProcess& server, const QString& token, const QString& query) {
        const HttpReply r = HttpClient(server.baseUrl(), token).get(kAssets + "?limit=200&" + query);
        return idsOf(r.json()["assets"].toArray());
    }
};

QTEST_GUILESS_MAIN(TestLibrary)
#include "tst_e2e_library.moc"
