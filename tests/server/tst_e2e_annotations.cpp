// Annotations through the real pinholed: the built-in schemas, validation errors naming the field,
// schema versions side by side, revisions (409 when stale), batch operations replacing a writer's
// set atomically, search by tag, caption word and region label scoped to what the viewer may see,
// and 404 for other people's photos. The search index follows the event log after the request
// returns, so searches wait on conditions (QTRY_*), never on time.
// JSON is written with single quotes (see obj()) so moc reads this file.
#include "socialfixture.h"

#include <QSet>

using pinhole::test::HttpClient;
using pinhole::test::HttpReply;
using pinhole::test::ServerProcess;
using pinhole::test::SocialFixture;

namespace {

const QString kApi = "/api/pinhole/v1";

QJsonObject obj(QString text) {
    return QJsonDocument::fromJson(text.replace('\'', '"').toUtf8()).object();
}

} // namespace

class TestAnnotations : public QObject {
    Q_OBJECT
    ServerProcess m_server;
    SocialFixture m_social{m_server};

    HttpClient client(const QString& token) { return HttpClient(m_server.baseUrl(), token); }

    HttpReply annotate(const QString& token, const QString& asset, const QString& schema, const QString& payload,
                       int version = 0) {
        QJsonObject body{{"schema", schema}, {"payload", obj(payload)}};
        if (version > 0)
            body["version"] = version;
        return client(token).postJson(kApi + "/assets/" + asset + "/annotations", body);
    }
    HttpReply send(const QString& token, const QByteArray& method, const QString& path, const QJsonObject& body = {}) {
        return client(token).send(method, kApi + path, QJsonDocument(body).toJson(), "application/json");
    }

    // The values of one payload field of an asset's annotations of `schema`, sorted.
    QStringList values(const QString& token, const QString& asset, const QString& schema, const QString& field) {
        QStringList out;
        for (const auto& a :
             m_social.get(token, kApi + "/assets/" + asset + "/annotations?schema=" + schema).jsonArray())
            out << a.toObject()["payload"].toObject()[field].toString();
        out.sort();
        return out;
    }
    // The ids of the annotations a search answers.
    QStringList search(const QString& token, const QString& query) {
        return SocialFixture::ids(m_social.get(token, kApi + "/annotations/search?" + query));
    }
    QString words(const QString& text) { return "q=" + QUrl::toPercentEncoding(text); }

private slots:
    void initTestCase() { QVERIFY(m_server.start()); }
    void cleanupTestCase() { QCOMPARE(m_server.stop(), 0); }

    void builtInSchemasAreRegistered() {
        const QString ann = m_social.user("ann");
        const HttpReply r = m_social.get(ann, kApi + "/schemas");
        QCOMPARE(r.status, 200);
        QSet<QString> names;
        for (const auto& s : r.jsonArray()) {
            QVERIFY(s.toObject()["builtin"].toBool());
            QCOMPARE(s.toObject()["version"].toInt(), 1);
            names << s.toObject()["name"].toString();
        }
        QCOMPARE(names, (QSet<QString>{"tag", "caption", "region", "rating", "favorite"}));
        const HttpReply region = m_social.get(ann, kApi + "/schemas/region");
        QCOMPARE(region.status, 200);
        QCOMPARE(region.json()["fields"].toObject()["box"].toObject()["type"].toString(), QString("box"));
        QCOMPARE(m_social.get(ann, kApi + "/schemas/nosuch").status, 404);
    }

    void invalidPayloadsAreRefusedNamingTheField() {
        const QString bea = m_social.user("bea");
        const QString photo = m_social.photo(bea);
        HttpReply r =
            annotate(bea, photo, "region", "{'box': {'x': 0.9, 'y': 0.1, 'w': 0.2, 'h': 0.2}, 'kind': 'face'}");
        QCOMPARE(r.status, 422);
        QCOMPARE(r.json()["error"].toString(), QString("payload.box.w: x + w must be at most 1"));
        r = annotate(bea, photo, "rating", "{'value': 9}");
        QCOMPARE(r.status, 422);
        QCOMPARE(r.json()["error"].toString(), QString("payload.value: must be in 0..5"));
        r = annotate(bea, photo, "tag", "{}");
        QCOMPARE(r.json()["error"].toString(), QString("payload.label: required"));
        QCOMPARE(annotate(bea, photo, "nosuch", "{}").status, 422);
        QCOMPARE(client(bea).postJson(kApi + "/assets/" + photo + "/annotations", {{"schema", "tag"}}).status, 422);
        QCOMPARE(client(bea)
                     .send("POST", kApi + "/assets/" + photo + "/annotations", "{not json", "application/json")
                     .status,
                 400);
        QVERIFY(values(bea, photo, "tag", "label").isEmpty()); // nothing was stored

        r = annotate(bea, photo, "region",
                     "{'box': {'x': 0.5, 'y': 0.25, 'w': 0.5, 'h': 0.5}, 'kind': 'face', 'label': 'Bea'}");
        QCOMPARE(r.status, 201);
        QCOMPARE(r.json()["schema"].toString(), QString("region"));
        QCOMPARE(r.json()["schema_version"].toInt(), 1);
        QCOMPARE(r.json()["revision"].toInt(), 1);
        QCOMPARE(r.json()["author_id"].toString(), m_social.idOf(bea));
        QCOMPARE(r.json()["payload"].toObject()["box"].toObject()["w"].toDouble(), 0.5);
        const HttpReply got = m_social.get(bea, kApi + "/annotations/" + r.json()["id"].toString());
        QCOMPARE(got.status, 200);
        QCOMPARE(got.json()["payload"].toObject()["label"].toString(), QString("Bea"));
    }

    void staleRevisionAnswers409() {
        const QString cal = m_social.user("cal");
        const QString photo = m_social.photo(cal);
        const QString id = annotate(cal, photo, "caption", "{'text': 'first'}").json()["id"].toString();
        HttpReply r = send(cal, "PUT", "/annotations/" + id, {{"revision", 1}, {"payload", obj("{'text': 'second'}")}});
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json()["revision"].toInt(), 2);
        // A writer that read revision 1 loses: 409, and the annotation keeps the newer text.
        r = send(cal, "PUT", "/annotations/" + id, {{"revision", 1}, {"payload", obj("{'text': 'stale'}")}});
        QCOMPARE(r.status, 409);
        QVERIFY(r.json()["error"].toString().startsWith("revision:"));
        QCOMPARE(values(cal, photo, "caption", "text"), QStringList{"second"});
        QCOMPARE(send(cal, "PUT", "/annotations/" + id, {{"payload", obj("{'text': 'x'}")}}).status, 422);
        QCOMPARE(send(cal, "PUT", "/annotations/" + id, {{"revision", 2}, {"payload", obj("{'text': ''}")}}).status,
                 422);
        QCOMPARE(client(cal).send("DELETE", kApi + "/annotations/" + id + "?revision=1").status, 409);
        QCOMPARE(client(cal).send("DELETE", kApi + "/annotations/" + id + "?revision=2").status, 200);
        QCOMPARE(m_social.get(cal, kApi + "/annotations/" + id).status, 404);
    }

    void schemaVersionsCoexist() {
        const QString dot = m_social.user("dot");
        const QString photo = m_social.photo(dot);
        HttpReply v1 = client(dot).postJson(kApi + "/schemas",
                                            obj("{'name': 'dot.quality', 'fields': {'score': {'type': 'integer', "
                                                "'min': 0, 'max': 10}}}"));
        QCOMPARE(v1.status, 201);
        QCOMPARE(v1.json()["version"].toInt(), 1);
        const QString old = annotate(dot, photo, "dot.quality", "{'score': 7}").json()["id"].toString();
        QVERIFY(!old.isEmpty());

        // Version 2 changes the score's type; the stored version-1 annotation is not rewritten.
        HttpReply v2 = client(dot).postJson(
            kApi + "/schemas", obj("{'name': 'dot.quality', 'fields': {'score': {'type': 'number', "
                                   "'min': 0, 'max': 1}, 'model': {'type': 'string', 'optional': true}}}"));
        QCOMPARE(v2.status, 201);
        QCOMPARE(v2.json()["version"].toInt(), 2);
        HttpReply stored = m_social.get(dot, kApi + "/annotations/" + old);
        QCOMPARE(stored.json()["schema_version"].toInt(), 1);
        QCOMPARE(stored.json()["payload"].toObject()["score"].toInt(), 7);
        QCOMPARE(m_social.get(dot, kApi + "/schemas/dot.quality?version=1")
                     .json()["fields"]
                     .toObject()["score"]
                     .toObject()["type"]
                     .toString(),
                 QString("integer"));

        // New annotations default to the newest version; the old one may still be written on purpose.
        QCOMPARE(annotate(dot, photo, "dot.quality", "{'score': 7}").status, 422);
        QCOMPARE(annotate(dot, photo, "dot.quality", "{'score': 0.7, 'model': 'm2'}").json()["schema_version"].toInt(),
                 2);
        QCOMPARE(annotate(dot, photo, "dot.quality", "{'score': 3}", 1).json()["schema_version"].toInt(), 1);
        // An update keeps the annotation's own version unless told otherwise.
        HttpReply r = send(dot, "PUT", "/annotations/" + old, {{"revision", 1}, {"payload", obj("{'score': 8}")}});
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json()["schema_version"].toInt(), 1);
        r = send(dot, "PUT", "/annotations/" + old,
                 {{"revision", 2}, {"version", 2}, {"payload", obj("{'score': 0.8}")}});
        QCOMPARE(r.json()["schema_version"].toInt(), 2);

        // The name is dot's: nobody else adds versions, and built-in names are nobody's.
        const QString eli = m_social.user("eli");
        QCOMPARE(client(eli).postJson(kApi + "/schemas", obj("{'name': 'dot.quality', 'fields': {}}")).status, 403);
        QCOMPARE(client(dot).postJson(kApi + "/schemas", obj("{'name': 'tag', 'fields': {}}")).status, 403);
        const HttpReply bad =
            client(dot).postJson(kApi + "/schemas", obj("{'name': 'dot.x', 'fields': {'a': {'type': 'date'}}}"));
        QCOMPARE(bad.status, 422);
        QVERIFY(bad.json()["error"].toString().startsWith("fields.a.type:"));
    }

    void otherPeoplesPhotosAnswer404() {
        const QString fay = m_social.user("fay");
        const QString gil = m_social.user("gil");
        const QString photo = m_social.photo(fay);
        const QString id = annotate(fay, photo, "tag", "{'label': 'secret'}").json()["id"].toString();
        for (const QString& who : {gil, QString()}) {
            QCOMPARE(m_social.get(who, kApi + "/assets/" + photo + "/annotations").status, 404);
            QCOMPARE(m_social.get(who, kApi + "/annotations/" + id).status, 404);
        }
        QCOMPARE(annotate(gil, photo, "tag", "{'label': 'mine now'}").status, 404);
        QCOMPARE(send(gil, "PUT", "/annotations/" + id, {{"revision", 1}, {"payload", obj("{'label': 'x'}")}}).status,
                 404);
        QCOMPARE(client(gil).send("DELETE", kApi + "/annotations/" + id).status, 404);
        QCOMPARE(annotate(QString(), photo, "tag", "{'label': 'x'}").status, 401);
        QCOMPARE(m_social.get(fay, kApi + "/annotations/" + id).json()["revision"].toInt(), 1); // untouched

        // Posted publicly, the photo's annotations are readable by anyone; still written by fay only.
        QCOMPARE(m_social.post(fay, "out in the open", {photo}).status, 200);
        QCOMPARE(values(gil, photo, "tag", "label"), QStringList{"secret"});
        QCOMPARE(m_social.get(QString(), kApi + "/annotations/" + id).status, 200);
        QCOMPARE(annotate(gil, photo, "tag", "{'label': 'mine now'}").status, 403);
        QCOMPARE(client(gil).send("DELETE", kApi + "/annotations/" + id).status, 403);

        // A followers-only post shows them to followers only.
        const QString hidden = m_social.photo(fay);
        annotate(fay, hidden, "tag", "{'label': 'close friends'}");
        QCOMPARE(m_social.post(fay, "followers only", {hidden}, "private").status, 200);
        QCOMPARE(m_social.get(gil, kApi + "/assets/" + hidden + "/annotations").status, 404);
        QCOMPARE(m_social.postTo(gil, "/api/v1/accounts/" + m_social.idOf(fay) + "/follow").status, 200);
        QCOMPARE(values(gil, hidden, "tag", "label"), QStringList{"close friends"});
    }

    void operationReplacesTheWritersSetAtomically() {
        const QString hal = m_social.user("hal");
        const QString p1 = m_social.photo(hal), p2 = m_social.photo(hal);
        const QString manual = annotate(hal, p1, "tag", "{'label': 'handmade'}").json()["id"].toString();

        auto open = [&] {
            return send(hal, "POST", "/annotations/operations", {{"schema", "tag"}, {"writer", "autotagger-2"}})
                .json()["id"]
                .toString();
        };
        auto add = [&](const QString& op, const QList<QPair<QString, QString>>& items) {
            QJsonArray list;
            for (const auto& [asset, label] : items)
                list.append(QJsonObject{{"asset_id", asset}, {"payload", QJsonObject{{"label", label}}}});
            return send(hal, "POST", "/annotations/operations/" + op + "/items", {{"items", list}});
        };
        const QString first = open();
        QVERIFY(!first.isEmpty());
        QCOMPARE(add(first, {{p1, "cat"}, {p1, "sofa"}, {p2, "dog"}}).json()["items"].toInt(), 3);
        HttpReply committed = send(hal, "POST", "/annotations/operations/" + first + "/commit");
        QCOMPARE(committed.status, 200);
        QCOMPARE(committed.json()["state"].toString(), QString("committed"));
        QCOMPARE(committed.json()["replaced"].toInt(), 0);
        QCOMPARE(values(hal, p1, "tag", "label"), (QStringList{"cat", "handmade", "sofa"}));

        // The next batch is staged; until its commit every reader sees the previous batch.
        const QString second = open();
        QCOMPARE(add(second, {{p1, "lion"}}).status, 200);
        QCOMPARE(values(hal, p1, "tag", "label"), (QStringList{"cat", "handmade", "sofa"}));
        QCOMPARE(values(hal, p2, "tag", "label"), QStringList{"dog"});
        // A bad item refuses the whole request, naming it, and stages nothing.
        HttpReply bad = add(second, {{p2, "wolf"}, {p2, ""}});
        QCOMPARE(bad.status, 422);
        QCOMPARE(bad.json()["error"].toString(), QString("items[1].payload.label: must have 1 to 200 characters"));
        QCOMPARE(send(hal, "GET", "/annotations/operations/" + second).json()["items"].toInt(), 1);
        QCOMPARE(add(second, {{p2, "wolf"}}).json()["items"].toInt(), 2);
        QCOMPARE(values(hal, p2, "tag", "label"), QStringList{"dog"});
        QTRY_COMPARE_WITH_TIMEOUT(search(hal, words("cat")).size(), 1, 20000);
        QCOMPARE(search(hal, words("lion")).size(), 0);

        // Nobody else sees, fills or commits it.
        const QString ivy = m_social.user("ivy");
        QCOMPARE(send(ivy, "GET", "/annotations/operations/" + second).status, 404);
        QCOMPARE(send(ivy, "POST", "/annotations/operations/" + second + "/commit").status, 404);

        committed = send(hal, "POST", "/annotations/operations/" + second + "/commit");
        QCOMPARE(committed.status, 200);
        QCOMPARE(committed.json()["replaced"].toInt(), 3);
        QCOMPARE(values(hal, p1, "tag", "label"), (QStringList{"handmade", "lion"}));
        QCOMPARE(values(hal, p2, "tag", "label"), QStringList{"wolf"});
        QCOMPARE(m_social.get(hal, kApi + "/annotations/" + manual).status, 200); // not the writer's: kept
        QCOMPARE(send(hal, "POST", "/annotations/operations/" + second + "/commit").status, 409);
        // Search follows: the old batch or the new one, never a mix of both.
        QTRY_VERIFY_WITH_TIMEOUT(search(hal, words("lion")).size() == 1 && search(hal, words("wolf")).size() == 1 &&
                                     search(hal, words("cat")).isEmpty() && search(hal, words("dog")).isEmpty(),
                                 20000);

        // An aborted batch changes nothing.
        const QString third = open();
        add(third, {{p1, "ghost"}});
        QCOMPARE(send(hal, "DELETE", "/annotations/operations/" + third).json()["state"].toString(),
                 QString("aborted"));
        QCOMPARE(send(hal, "POST", "/annotations/operations/" + third + "/commit").status, 409);
        QCOMPARE(values(hal, p1, "tag", "label"), (QStringList{"handmade", "lion"}));
    }

    void searchIsNeverAMixOfTwoBatches() {
        const QString jo = m_social.user("jo");
        QStringList photos;
        for (int i = 0; i < 3; ++i)
            photos << m_social.photo(jo);
        auto batch = [&](const QString& label) {
            const QString op = send(jo, "POST", "/annotations/operations", {{"schema", "tag"}, {"writer", "importer"}})
                                   .json()["id"]
                                   .toString();
            QJsonArray items;
            for (int copy = 0; copy < 20; ++copy)
                for (const auto& p : photos)
                    items.append(QJsonObject{{"asset_id", p}, {"payload", QJsonObject{{"label", label}}}});
            QCOMPARE(send(jo, "POST", "/annotations/operations/" + op + "/items", {{"items", items}}).status, 200);
            QCOMPARE(send(jo, "POST", "/annotations/operations/" + op + "/commit").status, 200);
        };
        batch("oldbatch");
        QTRY_COMPARE_WITH_TIMEOUT(search(jo, words("oldbatch") + "&limit=80").size(), 60, 20000);
        batch("newbatch");
        // Each answer holds all of one batch or none of it, until the new batch is all there.
        QString mixed;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                const int before = search(jo, words("oldbatch") + "&limit=80").size();
                const int after = search(jo, words("newbatch") + "&limit=80").size();
                if ((before != 0 && before != 60) || (after != 0 && after != 60))
                    mixed = QString("%1 old and %2 new").arg(before).arg(after);
                return !mixed.isEmpty() || (before == 0 && after == 60);
            }(),
            20000);
        QVERIFY2(mixed.isEmpty(), qPrintable("search showed part of a batch: " + mixed));
    }

    void searchFindsTagsCaptionWordsAndRegionLabelsTheViewerMaySee() {
        const QString kim = m_social.user("kim");
        const QString lee = m_social.user("lee");
        const QString walk = m_social.photo(kim), garden = m_social.photo(kim), lees = m_social.photo(lee);
        const QString tag = annotate(kim, garden, "tag", "{'label': 'sunflower'}").json()["id"].toString();
        const QString caption =
            annotate(kim, walk, "caption", "{'text': 'A walk along the Harbour at dusk'}").json()["id"].toString();
        const QString region = annotate(kim, walk, "region",
                                        "{'box': {'x': 0.1, 'y': 0.1, 'w': 0.2, 'h': 0.3}, 'kind': 'face', 'label': "
                                        "'Grandma Rosé'}")
                                   .json()["id"]
                                   .toString();
        const QString rating = annotate(kim, walk, "rating", "{'value': 4}").json()["id"].toString();
        const QString leesTag = annotate(lee, lees, "tag", "{'label': 'sunflower field'}").json()["id"].toString();

        // The index consumer applies events in log order: once lee's tag (written last) is found,
        // every annotation above is indexed too.
        QTRY_COMPARE_WITH_TIMEOUT(search(lee, words("sunflower")), QStringList{leesTag}, 20000);
        QCOMPARE(search(kim, words("sunflower")), QStringList{tag});
        QCOMPARE(search(kim, words("harbour")), QStringList{caption});
        QCOMPARE(search(kim, words("rose")), QStringList{region}); // case and accents folded
        QCOMPARE(search(kim, words("grandma ROSÉ")), QStringList{region});
        QCOMPARE(search(kim, words("harbour dusk")), QStringList{caption});
        QCOMPARE(search(kim, words("harbour sunflower")), QStringList{});
        QCOMPARE(search(kim, "schema=region&field.kind=face"), QStringList{region});
        QCOMPARE(search(kim, "schema=region&field.kind=pet"), QStringList{});
        QCOMPARE(search(kim, "schema=rating&field.value=4"), QStringList{rating});
        QCOMPARE(search(kim, words("rose") + "&schema=caption"), QStringList{});
        // Another user's private photos never show: each finds only their own sunflower.
        QCOMPARE(search(lee, words("sunflower")), QStringList{leesTag});
        QCOMPARE(search(lee, words("harbour")), QStringList{});
        QCOMPARE(search(QString(), words("sunflower")), QStringList{});
        QCOMPARE(search(lee, "schema=rating"), QStringList{});

        // Posted publicly, the walk's annotations are found by anyone; a followers-only post's are not.
        QCOMPARE(m_social.post(kim, "evening", {walk}).status, 200);
        QCOMPARE(m_social.post(kim, "for friends", {garden}, "private").status, 200);
        QCOMPARE(search(lee, words("harbour")), QStringList{caption});
        QCOMPARE(search(QString(), words("rose")), QStringList{region});
        QCOMPARE(search(lee, words("sunflower")), QStringList{leesTag});

        // Pages: newest first, the Link header's next page goes on where this one ended.
        const HttpReply page = m_social.get(kim, kApi + "/annotations/search?schema=region&limit=1");
        QCOMPARE(SocialFixture::ids(page), QStringList{region});
        const HttpReply all = m_social.get(kim, kApi + "/annotations/search?" + words("a") + "&limit=1");
        QCOMPARE(SocialFixture::ids(all), QStringList{caption});
        QVERIFY(all.header("Link").contains("max_id=" + caption.toUtf8()));
        const HttpReply next =
            m_social.get(kim, kApi + "/annotations/search?" + words("a") + "&limit=1&max_id=" + caption);
        QCOMPARE(SocialFixture::ids(next), QStringList{});
    }

    void badSearchesAnswer400() {
        const QString max = m_social.user("max");
        QCOMPARE(m_social.get(max, kApi + "/annotations/search").status, 400);
        QCOMPARE(m_social.get(max, kApi + "/annotations/search?q=%22%29%28*").status, 400); // no words
        QCOMPARE(m_social.get(max, kApi + "/annotations/search?schema=tag&field.bad-name=1").status, 400);
        QCOMPARE(m_social.get(max, kApi + "/annotations/search?q=" + QString(300, 'a')).status, 400);
        // FTS5 operators are plain words here, never a syntax error.
        QCOMPARE(m_social.get(max, kApi + "/annotations/search?" + words("NOT AND OR NEAR(a b)")).status, 200);
    }
};

QTEST_GUILESS_MAIN(TestAnnotations)
#include "tst_e2e_annotations.moc"
