// XMP sidecars of a photo's annotations through the real pinholed, checked with exiftool (the
// reference reader and writer of the format): what Pinhole exports, exiftool reads with the same
// tags, caption, rating and regions; a sidecar exiftool writes imports into the same annotations;
// a region drawn on a photo taken sideways (EXIF orientation 6) still frames the same spot of the
// upright picture; a re-import replaces the previous import and leaves hand-made annotations be.
// JSON is written with single quotes (see obj()) so moc reads this file.
#include "socialfixture.h"

#include <QJsonArray>

#include <cmath>

using pinhole::test::HttpClient;
using pinhole::test::HttpReply;
using pinhole::test::ServerProcess;
using pinhole::test::SocialFixture;

namespace {

const QString kApi = "/api/pinhole/v1";

QJsonObject obj(QString text) {
    return QJsonDocument::fromJson(text.replace('\'', '"').toUtf8()).object();
}

// Runs a tool; its standard output, or nothing when it failed.
std::optional<QByteArray> run(const QString& program, const QStringList& args) {
    QProcess p;
    p.start(program, args);
    if (!p.waitForFinished(60'000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        qWarning() << program << args << "failed:" << p.readAllStandardError();
        return std::nullopt;
    }
    return p.readAllStandardOutput();
}

QJsonObject exiftoolReads(const QString& file) {
    const auto out = run("exiftool", {"-j", "-struct", "-XMP:all", file});
    return QJsonDocument::fromJson(out.value_or("[]")).array().first().toObject();
}

QStringList sorted(const QJsonValue& v) {
    QStringList out;
    for (const QJsonValue& item : v.toArray())
        out << item.toVariant().toString();
    out.sort();
    return out;
}

bool near(double a, double b) { return std::abs(a - b) <= 1e-4; }

} // namespace

class TestXmpSidecars : public QObject {
    Q_OBJECT
    ServerProcess m_server;
    SocialFixture m_social{m_server};
    QTemporaryDir m_dir;

    HttpClient client(const QString& token) { return HttpClient(m_server.baseUrl(), token); }

    HttpReply annotate(const QString& token, const QString& asset, const QString& schema, const QString& payload) {
        return client(token).postJson(kApi + "/assets/" + asset + "/annotations",
                                      {{"schema", schema}, {"payload", obj(payload)}});
    }

    // The payloads of an asset's annotations of `schema`.
    QList<QJsonObject> payloads(const QString& token, const QString& asset, const QString& schema) {
        QList<QJsonObject> out;
        for (const QJsonValue& a : client(token).get(kApi + "/assets/" + asset + "/annotations?schema=" + schema).jsonArray())
            out << a.toObject()["payload"].toObject();
        return out;
    }
    QStringList labels(const QString& token, const QString& asset) {
        QStringList out;
        for (const QJsonObject& p : payloads(token, asset, "tag"))
            out << p["label"].toString();
        out.sort();
        return out;
    }

    // Uploads a file through the Mastodon media API (it answers once processed); its id.
    QString upload(const QString& token, const QString& path) {
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            return {};
        const QByteArray boundary = "pinholeboundary";
        const QByteArray body = "--" + boundary +
                                "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"p.jpg\"\r\n"
                                "Content-Type: image/jpeg\r\n\r\n" +
                                f.readAll() + "\r\n--" + boundary + "--\r\n";
        const HttpReply r = client(token).send("POST", "/api/v1/media", body, "multipart/form-data; boundary=" + boundary);
        return r.status == 200 ? r.json()["id"].toString() : QString();
    }

    QString save(const QString& name, const QByteArray& bytes) {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size() ? path : QString();
    }

private slots:
    void initTestCase() { QVERIFY(m_server.start()); }
    void cleanupTestCase() { QCOMPARE(m_server.stop(), 0); }

    void exiftoolReadsTheExportedAnnotations() {
        const QString ann = m_social.user("ann");
        const QString photo = m_social.photo(ann);
        QCOMPARE(annotate(ann, photo, "tag", "{'label': 'Places/Portugal/Lisbon'}").status, 201);
        QCOMPARE(annotate(ann, photo, "tag", "{'label': 'sunset'}").status, 201);
        QCOMPARE(annotate(ann, photo, "caption", "{'text': 'Praia at dusk, with Bo & Rex'}").status, 201);
        QCOMPARE(annotate(ann, photo, "rating", "{'value': 4}").status, 201);
        QCOMPARE(annotate(ann, photo, "region",
                          "{'box': {'x': 0.125, 'y': 0.25, 'w': 0.2, 'h': 0.15}, 'kind': 'face', 'label': 'Bo'}")
                     .status,
                 201);
        QCOMPARE(annotate(ann, photo, "region", "{'box': {'x': 0.5, 'y': 0.5, 'w': 0.4, 'h': 0.3}, 'kind': 'pet', 'label': 'Rex'}")
                     .status,
                 201);
        QCOMPARE(annotate(ann, photo, "region", "{'box': {'x': 0, 'y': 0, 'w': 0.1, 'h': 0.1}, 'kind': 'object', 'label': 'Kite'}")
                     .status,
                 201);

        const HttpReply r = client(ann).get(kApi + "/assets/" + photo + "/xmp");
        QCOMPARE(r.status, 200);
        QCOMPARE(r.header("content-type"), QByteArray("application/rdf+xml"));
        const QJsonObject got = exiftoolReads(save("export.xmp", r.body));
        QCOMPARE(sorted(got["HierarchicalSubject"]), QStringList({"Places|Portugal|Lisbon", "sunset"}));
        QCOMPARE(sorted(got["Subject"]), QStringList({"Lisbon", "sunset"}));
        QCOMPARE(got["Description"].toString(), QString("Praia at dusk, with Bo & Rex"));
        QCOMPARE(got["Rating"].toInt(), 4);
        const QJsonObject info = got["RegionInfo"].toObject();
        QCOMPARE(info["AppliedToDimensions"].toObject()["W"].toInt(), 120); // the fixture's photos are 120x90
        QCOMPARE(info["AppliedToDimensions"].toObject()["H"].toInt(), 90);
        QMap<QString, QJsonObject> regions;
        for (const QJsonValue& v : info["RegionList"].toArray())
            regions[v.toObject()["Name"].toString()] = v.toObject();
        QCOMPARE(regions.keys(), QStringList({"Bo", "Kite", "Rex"}));
        QCOMPARE(regions["Bo"]["Type"].toString(), QString("Face"));
        QCOMPARE(regions["Rex"]["Type"].toString(), QString("Pet"));
        QVERIFY(!regions["Kite"].contains("Type")); // MWG has no type for a thing
        // MWG areas are centre-based and normalised.
        const QJsonObject bo = regions["Bo"]["Area"].toObject();
        QVERIFY2(near(bo["X"].toDouble(), 0.225) && near(bo["Y"].toDouble(), 0.325) && near(bo["W"].toDouble(), 0.2) &&
                     near(bo["H"].toDouble(), 0.15),
                 QJsonDocument(bo).toJson().constData());
        QCOMPARE(bo["Unit"].toString(), QString("normalized"));
    }

    void aSidecarWrittenByExiftoolImports() {
        const QString cy = m_social.user("cy");
        const QString photo = m_social.photo(cy);
        QCOMPARE(annotate(cy, photo, "tag", "{'label': 'by hand'}").status, 201);
        const QString file = m_dir.filePath("by-exiftool.xmp");
        QVERIFY(run("exiftool", {"-q", "-o", file, "-XMP-dc:Subject=beach", "-XMP-dc:Subject=Lisbon",
                                 "-XMP-lr:HierarchicalSubject=Places|Portugal|Lisbon", "-XMP-xmp:Rating=3",
                                 "-XMP-dc:Description=Praia at dusk",
                                 "-XMP-mwg-rs:RegionInfo={AppliedToDimensions={W=120,H=90,Unit=pixel},"
                                 "RegionList=[{Area={X=0.5,Y=0.4,W=0.2,H=0.3,Unit=normalized},Name=Bo,Type=Face},"
                                 "{Area={X=0.8,Y=0.8,W=0.1,H=0.1,Unit=normalized},Name=Kite}]}"}));
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray sidecar = f.readAll();
        const HttpReply r = client(cy).send("PUT", kApi + "/assets/" + photo + "/xmp", sidecar, "application/rdf+xml");
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json()["tags"].toInt(), 2);
        QCOMPARE(r.json()["regions"].toInt(), 2);

        QCOMPARE(labels(cy, photo), QStringList({"Places/Portugal/Lisbon", "beach", "by hand"}));
        QCOMPARE(payloads(cy, photo, "caption").value(0)["text"].toString(), QString("Praia at dusk"));
        QCOMPARE(payloads(cy, photo, "rating").value(0)["value"].toInt(), 3);
        QMap<QString, QJsonObject> regions;
        for (const QJsonObject& p : payloads(cy, photo, "region"))
            regions[p["label"].toString()] = p;
        QCOMPARE(regions.keys(), QStringList({"Bo", "Kite"}));
        QCOMPARE(regions["Bo"]["kind"].toString(), QString("face"));
        QCOMPARE(regions["Kite"]["kind"].toString(), QString("object"));
        const QJsonObject box = regions["Bo"]["box"].toObject(); // top-left based
        QVERIFY(near(box["x"].toDouble(), 0.4) && near(box["y"].toDouble(), 0.25) && near(box["w"].toDouble(), 0.2) &&
                near(box["h"].toDouble(), 0.3));

        // A second import replaces the first one's annotations, not the hand-made tag.
        const QString smaller = m_dir.filePath("smaller.xmp");
        QVERIFY(run("exiftool", {"-q", "-o", smaller, "-XMP-dc:Subject=harbour"}));
        QFile g(smaller);
        QVERIFY(g.open(QIODevice::ReadOnly));
        QCOMPARE(client(cy).send("PUT", kApi + "/assets/" + photo + "/xmp", g.readAll(), "application/rdf+xml").status, 200);
        QCOMPARE(labels(cy, photo), QStringList({"by hand", "harbour"}));
        QVERIFY(payloads(cy, photo, "region").isEmpty());
        QVERIFY(payloads(cy, photo, "caption").isEmpty());

        // What is not XMP changes nothing.
        const HttpReply bad = client(cy).send("PUT", kApi + "/assets/" + photo + "/xmp", "not a sidecar", "application/rdf+xml");
        QCOMPARE(bad.status, 422);
        QVERIFY2(bad.json()["error"].toString().contains("XMP"), bad.body.constData());
        QCOMPARE(labels(cy, photo), QStringList({"by hand", "harbour"}));
    }

    void aRegionOnASidewaysPhotoFramesTheSameSpotAfterTheRoundTrip() {
        const QString dee = m_social.user("dee");
        // Upright, the photo is 200 wide and 300 high, black with a white square at x 20..79,
        // y 180..239. The camera stored it turned a quarter left, with orientation 6 (turn it a
        // quarter right to show it), as phones do when held upright.
        const QString black = m_dir.filePath("black.png"), white = m_dir.filePath("white.png"),
                      upright = m_dir.filePath("upright.png"), turned = m_dir.filePath("turned.png"),
                      stored = m_dir.filePath("sideways.jpg");
        QVERIFY(run("vips", {"black", black, "60", "60"}));
        QVERIFY(run("vips", {"linear", black, white, "1", "255", "--uchar"}));
        QVERIFY(run("vips", {"embed", white, upright, "20", "180", "200", "300"}));
        QVERIFY(run("vips", {"rot", upright, turned, "d270"}));
        QVERIFY(run("vips", {"copy", turned, stored + "[Q=95]"}));
        QVERIFY(run("exiftool", {"-q", "-overwrite_original", "-n", "-Orientation=6", stored}));
        const QString photo = upload(dee, stored);
        QVERIFY(!photo.isEmpty());
        const QJsonObject asset = client(dee).get(kApi + "/assets/" + photo).json();
        QCOMPARE(asset["width"].toInt(), 200);
        QCOMPARE(asset["height"].toInt(), 300);
        // The region as the app draws it: over the upright picture.
        QCOMPARE(annotate(dee, photo, "region", "{'box': {'x': 0.1, 'y': 0.6, 'w': 0.3, 'h': 0.2}, 'kind': 'face', 'label': 'Dee'}")
                     .status,
                 201);

        const QJsonObject got = exiftoolReads(save("sideways.xmp", client(dee).get(kApi + "/assets/" + photo + "/xmp").body));
        const QJsonObject info = got["RegionInfo"].toObject();
        QCOMPARE(info["AppliedToDimensions"].toObject()["W"].toInt(), 200);
        QCOMPARE(info["AppliedToDimensions"].toObject()["H"].toInt(), 300);
        const QJsonObject area = info["RegionList"].toArray().first().toObject()["Area"].toObject();
        // The exported area's centre, on the upright picture as the server shows it, is white;
        // just outside the area it is black.
        const QString url = client(dee).get("/api/v1/media/" + photo).json()["url"].toString();
        const HttpReply large = client(dee).get(QUrl(url).path());
        QCOMPARE(large.status, 200);
        const QString shown = save("shown.jpg", large.body);
        const auto pixel = [&](double x, double y) {
            const auto out = run("vips", {"getpoint", shown, QString::number(int(x * 200)), QString::number(int(y * 300))});
            return out ? out->trimmed().split(' ').value(0).toDouble() : -1.0;
        };
        QVERIFY(pixel(area["X"].toDouble(), area["Y"].toDouble()) > 200);
        QVERIFY(pixel(area["X"].toDouble(), area["Y"].toDouble() - area["H"].toDouble()) < 50);
        QVERIFY(pixel(area["X"].toDouble() + area["W"].toDouble(), area["Y"].toDouble()) < 50);

        // Imported back onto the photo, the region is where it was drawn.
        QCOMPARE(client(dee).send("DELETE", kApi + "/annotations/" +
                                                client(dee).get(kApi + "/assets/" + photo + "/annotations").jsonArray()[0].toObject()["id"].toString())
                     .status,
                 200);
        QFile f(m_dir.filePath("sideways.xmp"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(client(dee).send("PUT", kApi + "/assets/" + photo + "/xmp", f.readAll(), "application/rdf+xml").status, 200);
        const QJsonObject box = payloads(dee, photo, "region").value(0)["box"].toObject();
        QVERIFY2(near(box["x"].toDouble(), 0.1) && near(box["y"].toDouble(), 0.6) && near(box["w"].toDouble(), 0.3) &&
                     near(box["h"].toDouble(), 0.2),
                 QJsonDocument(box).toJson().constData());
    }

    void othersGetNotFound() {
        const QString eve = m_social.user("eve");
        const QString mal = m_social.user("mal");
        const QString photo = m_social.photo(eve);
        QCOMPARE(client(mal).get(kApi + "/assets/" + photo + "/xmp").status, 404);
        QCOMPARE(HttpClient(m_server.baseUrl()).get(kApi + "/assets/" + photo + "/xmp").status, 404);
        QCOMPARE(client(mal).send("PUT", kApi + "/assets/" + photo + "/xmp", "<x/>", "application/rdf+xml").status, 404);
        QCOMPARE(client(eve).get(kApi + "/assets/999999999/xmp").status, 404);
    }
};

QTEST_GUILESS_MAIN(TestXmpSidecars)
#include "tst_e2e_xmp.moc"
