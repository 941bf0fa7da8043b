// The media pipeline through the real pinholed: tus uploads that resume (after a refused PATCH,
// a connection cut mid-request and a server restart) and verify checksums, deduplication, refusal of what is not a
// usable image, the Mastodon media endpoints, and /media/<id>/<variant> with its caching, ranges and privacy.
#include "httpclient.h"
#include "serverprocess.h"

#include <QCryptographicHash>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using pinhole::test::HttpClient;
using pinhole::test::HttpReply;
using pinhole::test::ServerProcess;

namespace {

const QString kPassword = QStringLiteral("correct horse battery staple");
using Headers = QList<QPair<QByteArray, QByteArray>>;

bool run(const QString& program, const QStringList& args) {
    QProcess p;
    p.start(QStandardPaths::findExecutable(program), args);
    return p.waitForFinished(60000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

QByteArray readFile(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// PNG chunk CRC (ISO 3309), big-endian.
QByteArray crc32(const QByteArray& data) {
    quint32 crc = 0xffffffffu;
    for (char ch : data) {
        crc ^= static_cast<quint8>(ch);
        for (int k = 0; k < 8; ++k)
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
    }
    crc ^= 0xffffffffu;
    return QByteArray::fromHex(QByteArray::number(crc, 16).rightJustified(8, '0'));
}

// One PNG chunk: length, type, data, CRC of type and data.
QByteArray pngChunk(const QByteArray& type, const QByteArray& data) {
    const QByteArray length = QByteArray::fromHex(QByteArray::number(data.size(), 16).rightJustified(8, '0'));
    return length + type + data + crc32(type + data);
}

QByteArray sha256Hex(const QByteArray& data) {
    return QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex();
}

} // namespace

class TestMedia : public QObject {
    Q_OBJECT
    ServerProcess m_server;
    QTemporaryDir m_dir;
    QString m_photo; // a JPEG with camera data and GPS
    QString m_token;
    QString m_strangerToken;

    HttpReply createUpload(HttpClient& http, qint64 length, const QByteArray& sha = {}) {
        Headers h{{"Tus-Resumable", "1.0.0"}, {"Upload-Length", QByteArray::number(length)}};
        if (!sha.isEmpty())
            h.append(
                {"Upload-Metadata", "filename " + QByteArray("photo.jpg").toBase64() + ",sha256 " + sha.toBase64()});
        return http.send("POST", "/api/pinhole/v1/uploads", {}, {}, h);
    }
    HttpReply patch(HttpClient& http, const QString& location, qint64 offset, const QByteArray& chunk,
                    const QByteArray& checksum = {}) {
        Headers h{{"Tus-Resumable", "1.0.0"}, {"Upload-Offset", QByteArray::number(offset)}};
        if (!checksum.isEmpty())
            h.append({"Upload-Checksum", "sha256 " + checksum});
        return http.send("PATCH", QUrl(location).path(), chunk, "application/offset+octet-stream", h);
    }
    // A PATCH whose connection drops after `sent` bytes of its body (the client's network broke).
    void brokenPatch(const QString& location, qint64 offset, const QByteArray& chunk, qsizetype sent) {
        const QUrl base(m_server.baseUrl());
        QTcpSocket socket;
        socket.connectToHost(base.host(), quint16(base.port()));
        QVERIFY(socket.waitForConnected(10000));
        socket.write("PATCH " + QUrl(location).path().toUtf8() + " HTTP/1.1\r\nHost: " + base.authority().toUtf8() +
                     "\r\nAuthorization: Bearer " + m_token.toUtf8() +
                     "\r\nTus-Resumable: 1.0.0\r\nUpload-Offset: " + QByteArray::number(offset) +
                     "\r\nContent-Type: application/offset+octet-stream\r\nContent-Length: " +
                     QByteArray::number(chunk.size()) + "\r\n\r\n" + chunk.left(sent));
        while (socket.bytesToWrite() > 0)
            QVERIFY(socket.waitForBytesWritten(10000));
        socket.abort();
    }
    QString uploadWhole(HttpClient& http, const QByteArray& bytes, int* finalStatus = nullptr) {
        const HttpReply created = createUpload(http, bytes.size(), sha256Hex(bytes));
        const HttpReply done = patch(http, QString::fromUtf8(created.header("location")), 0, bytes);
        if (finalStatus)
            *finalStatus = done.status;
        return QString::fromUtf8(done.header("pinhole-asset-id"));
    }
    HttpReply postMultipart(HttpClient& http, const QString& path, const QByteArray& file, const QByteArray& name) {
        const QByteArray boundary = "pinholeTestBoundary";
        QByteArray body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name +
                          "\"\r\n\r\n" + file + "\r\n--" + boundary +
                          "\r\nContent-Disposition: form-data; "
                          "name=\"description\"\r\n\r\nA test photo\r\n--" +
                          boundary + "--\r\n";
        return http.send("POST", path, body, "multipart/form-data; boundary=" + boundary);
    }
    QJsonObject waitReady(HttpClient& http, const QString& assetId) {
        QJsonObject asset;
        [&] {
            QTRY_VERIFY_WITH_TIMEOUT(
                (asset = http.get("/api/pinhole/v1/assets/" + assetId).json())["state"] != "processing", 60000);
        }();
        return asset;
    }

    // Whether the server's /metrics counts a running job (cheap enough to poll).
    static bool jobsRunning(HttpClient& http) {
        static const QRegularExpression running("pinhole_jobs\\{queue=\"[^\"]+\",state=\"running\"\\} [1-9]");
        return running.match(QString::fromUtf8(http.get("/metrics").body)).hasMatch();
    }
    // The line of a running job in `pinholed admin jobs list`, or empty.
    static QString runningJob(const ServerProcess& server) {
        QString out;
        if (server.admin({"jobs", "list", "--state", "running"}, {}, &out) != 0)
            return {};
        const QStringList lines = out.trimmed().split('\n');
        return lines.size() > 1 ? lines[1] : QString();
    }

private slots:
    void cleanupTestCase() { QCOMPARE(m_server.stop(), 0); }

    void initTestCase() {
        QVERIFY(m_server.start());
        QVERIFY(m_server.createUser("alice", kPassword));
        QVERIFY(m_server.createUser("mallory", kPassword));
        HttpClient http(m_server.baseUrl());
        m_token = http.login("alice", kPassword);
        m_strangerToken = http.login("mallory", kPassword);
        QVERIFY(!m_token.isEmpty() && !m_strangerToken.isEmpty());

        m_photo = m_dir.filePath("photo.jpg");
        QVERIFY(run("convert", {"-size", "1600x1200", "plasma:red-blue", "-quality", "92", m_photo}));
        QVERIFY(run("exiftool", {"-overwrite_original", "-Make=Pinhole Optics", "-Model=Test Camera",
                                 "-DateTimeOriginal=2024:05:01 14:03:22", "-GPSLatitude=48.8584", "-GPSLatitudeRef=N",
                                 "-GPSLongitude=2.2945", "-GPSLongitudeRef=E", m_photo}));
    }

    void optionsAdvertisesTheTusExtensions() {
        HttpClient http(m_server.baseUrl());
        const HttpReply r = http.send("OPTIONS", "/api/pinhole/v1/uploads");
        QCOMPARE(r.status, 204);
        QCOMPARE(r.header("tus-version"), QByteArray("1.0.0"));
        for (const char* ext : {"creation", "checksum", "termination", "expiration"})
            QVERIFY(r.header("tus-extension").contains(ext));
        QCOMPARE(r.header("tus-checksum-algorithm"), QByteArray("sha256"));
    }

    void interruptedUploadResumesToTheExactBytes() {
        const QByteArray bytes = readFile(m_photo);
        QVERIFY(bytes.size() > 200000);
        HttpClient http(m_server.baseUrl(), m_token);
        const HttpReply created = createUpload(http, bytes.size(), sha256Hex(bytes));
        QCOMPARE(created.status, 201);
        QVERIFY(!created.header("upload-expires").isEmpty());
        const QString location = QString::fromUtf8(created.header("location"));
        QVERIFY(location.contains("/api/pinhole/v1/uploads/"));

        // First piece, then "the connection broke": the client asks where to resume.
        QCOMPARE(patch(http, location, 0, bytes.left(70000)).status, 204);
        HttpReply head = http.send("HEAD", QUrl(location).path(), {}, {}, {{"Tus-Resumable", "1.0.0"}});
        QCOMPARE(head.status, 200);
        QCOMPARE(head.header("upload-offset").toLongLong(), 70000);
        QCOMPARE(head.header("upload-length").toLongLong(), bytes.size());
        // A PATCH at the wrong offset changes nothing.
        QCOMPARE(patch(http, location, 50000, bytes.mid(50000, 1000)).status, 409);
        // A request cut off in its body appends nothing: the offset stays where it was acknowledged.
        brokenPatch(location, 70000, bytes.mid(70000, 60000), 25000);
        head = http.send("HEAD", QUrl(location).path(), {}, {}, {{"Tus-Resumable", "1.0.0"}});
        QCOMPARE(head.header("upload-offset").toLongLong(), 70000);
        QCOMPARE(patch(http, location, 70000, bytes.mid(70000, 60000)).status, 204);

        // The server restarts in the middle: the acknowledged offset survives.
        QCOMPARE(m_server.stop(), 0);
        QVERIFY(m_server.start());
        HttpClient again(m_server.baseUrl(), m_token);
        head = again.send("HEAD", QUrl(location).path(), {}, {}, {{"Tus-Resumable", "1.0.0"}});
        QCOMPARE(head.header("upload-offset").toLongLong(), 130000);
        const QString resumed = m_server.baseUrl() + QUrl(location).path();
        const HttpReply done = patch(again, resumed, 130000, bytes.mid(130000));
        QCOMPARE(done.status, 204);
        QCOMPARE(done.header("upload-offset").toLongLong(), bytes.size());
        const QString assetId = QString::fromUtf8(done.header("pinhole-asset-id"));
        QVERIFY(!assetId.isEmpty());

        const HttpReply original = again.get("/media/" + assetId + "/original");
        QCOMPARE(original.status, 200);
        QCOMPARE(sha256Hex(original.body), sha256Hex(bytes));
    }

    // Regression (found by tst_e2e_crash): a kill after an upload's last byte was recorded and
    // before its asset was, left it complete without an asset for good — every resuming PATCH
    // of no bytes at the final offset answered 204 without Pinhole-Asset-Id. Now that PATCH
    // finishes the ingest (the file still waiting) or finds the asset the ingest made.
    void uploadWhoseIngestACrashStoppedCompletesOnResume_data() {
        QTest::addColumn<bool>("ingested");
        QTest::newRow("stopped before the library took the file") << false;
        QTest::newRow("stopped after the asset, before the upload recorded it") << true;
    }
    void uploadWhoseIngestACrashStoppedCompletesOnResume() {
        QFETCH(bool, ingested);
        const QByteArray bytes = readFile(m_photo) + QByteArray(ingested ? "ingested" : "waiting");
        HttpClient http(m_server.baseUrl(), m_token);
        const HttpReply created = createUpload(http, bytes.size(), sha256Hex(bytes));
        const QString id = QString::fromUtf8(created.header("location")).section('/', -1);
        QString assetId;
        if (ingested) {
            const HttpReply done = patch(http, QString::fromUtf8(created.header("location")), 0, bytes);
            QCOMPARE(done.status, 204);
            assetId = QString::fromUtf8(done.header("pinhole-asset-id"));
        } else {
            QCOMPARE(patch(http, QString::fromUtf8(created.header("location")), 0, bytes.left(1000)).status, 204);
        }
        // What the crash left: every byte recorded, no asset on the upload.
        QCOMPARE(m_server.stop(), 0);
        const QString db = m_server.dataDir() + "/pinhole.db";
        QVERIFY(run("sqlite3",
                    {db, QString("UPDATE uploads SET \"offset\" = length, asset_id = NULL WHERE id = '%1'").arg(id)}));
        if (!ingested) {
            QFile part(m_server.dataDir() + "/uploads/" + id + ".part");
            QVERIFY(part.exists());
            QVERIFY(part.open(QIODevice::WriteOnly | QIODevice::Truncate) && part.write(bytes) == bytes.size());
        }
        QVERIFY(m_server.start());
        HttpClient again(m_server.baseUrl(), m_token);
        const QString path = "/api/pinhole/v1/uploads/" + id;
        const HttpReply head = again.send("HEAD", path, {}, {}, {{"Tus-Resumable", "1.0.0"}});
        QCOMPARE(head.header("upload-offset").toLongLong(), bytes.size());
        QVERIFY(head.header("pinhole-asset-id").isEmpty());

        const HttpReply resumed = patch(again, m_server.baseUrl() + path, bytes.size(), {});
        QCOMPARE(resumed.status, 204);
        const QString resumedAsset = QString::fromUtf8(resumed.header("pinhole-asset-id"));
        QVERIFY(!resumedAsset.isEmpty());
        if (ingested)
            QCOMPARE(resumedAsset, assetId);
        QCOMPARE(sha256Hex(again.get("/media/" + resumedAsset + "/original").body), sha256Hex(bytes));
    }

    void wrongChunkChecksumIsRefusedAndNothingStored() {
        const QByteArray bytes = readFile(m_photo);
        HttpClient http(m_server.baseUrl(), m_token);
        const QString location = QString::fromUtf8(createUpload(http, bytes.size()).header("location"));
        const QByteArray wrong = QCryptographicHash::hash("other bytes", QCryptographicHash::Sha256).toBase64();
        QCOMPARE(patch(http, location, 0, bytes.left(1000), wrong).status, 460);
        const HttpReply head = http.send("HEAD", QUrl(location).path(), {}, {}, {{"Tus-Resumable", "1.0.0"}});
        QCOMPARE(head.header("upload-offset").toLongLong(), 0);
        const QByteArray right = QCryptographicHash::hash(bytes.left(1000), QCryptographicHash::Sha256).toBase64();
        QCOMPARE(patch(http, location, 0, bytes.left(1000), right).status, 204);
    }

    void wrongDeclaredFileHashStoresNoAsset() {
        QByteArray bytes = readFile(m_photo);
        bytes.append("trailing"); // still a JPEG, but other bytes than declared
        HttpClient http(m_server.baseUrl(), m_token);
        const HttpReply created = createUpload(http, bytes.size(), sha256Hex(readFile(m_photo) + "x"));
        const HttpReply done = patch(http, QString::fromUtf8(created.header("location")), 0, bytes);
        QCOMPARE(done.status, 460);
        QVERIFY(done.header("pinhole-asset-id").isEmpty());
        const HttpReply check =
            http.postJson("/api/pinhole/v1/assets/check", {{"sha256", QJsonArray{QString(sha256Hex(bytes))}}});
        QCOMPARE(check.json()["existing"].toArray().size(), 0);
    }

    void theSameFileTwiceIsOneAsset() {
        QByteArray bytes = readFile(m_photo);
        bytes.append("dedup"); // distinct from the other tests' file
        HttpClient http(m_server.baseUrl(), m_token);
        int status = 0;
        const QString first = uploadWhole(http, bytes, &status);
        QCOMPARE(status, 204);
        const QString second = uploadWhole(http, bytes, &status);
        QCOMPARE(status, 204);
        QCOMPARE(second, first);
        const HttpReply check = http.postJson("/api/pinhole/v1/assets/check",
                                              {{"sha256", QJsonArray{QString(sha256Hex(bytes)), QString(64, 'a')}}});
        QCOMPARE(check.status, 200);
        QCOMPARE(check.json()["existing"].toArray(), QJsonArray{QString(sha256Hex(bytes))});
        // Another account uploading the same bytes gets its own asset.
        HttpClient stranger(m_server.baseUrl(), m_strangerToken);
        const QString theirs = uploadWhole(stranger, bytes, &status);
        QCOMPARE(status, 204);
        QVERIFY(theirs != first);
    }

    void processedAssetHasMetadataAndCleanDerivatives() {
        HttpClient http(m_server.baseUrl(), m_token);
        QByteArray bytes = readFile(m_photo);
        const QString id = uploadWhole(http, bytes);
        const QJsonObject asset = waitReady(http, id);
        QCOMPARE(asset["state"].toString(), QString("ready"));
        QCOMPARE(asset["width"].toInt(), 1600);
        QCOMPARE(asset["camera"].toObject()["make"].toString(), QString("Pinhole Optics"));
        QVERIFY(qAbs(asset["gps"].toObject()["latitude"].toDouble() - 48.8584) < 1e-3); // the owner sees GPS
        QVERIFY(!asset["placeholder"].toObject()["hash"].toString().isEmpty());
        for (const char* variant : {"thumb", "preview", "large"}) {
            const HttpReply r = http.get("/media/" + id + "/" + variant);
            QCOMPARE(r.status, 200);
            QCOMPARE(r.header("content-type"), QByteArray("image/jpeg"));
            QVERIFY(r.header("cache-control").contains("immutable"));
            const QString path = m_dir.filePath(QString("d-") + variant + ".jpg");
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(r.body);
            f.close();
            QProcess exif;
            exif.start(QStandardPaths::findExecutable("exiftool"), {"-s", "-GPS:all", "-EXIF:all", "-XMP:all", path});
            QVERIFY(exif.waitForFinished(60000));
            const QString tags = QString::fromUtf8(exif.readAllStandardOutput());
            QVERIFY2(!tags.contains("GPS") && !tags.contains("Make"), qPrintable(variant + (": " + tags)));
        }
        QCOMPARE(http.get("/media/" + id + "/thumb").body.size() > 0, true);
    }

    void rangesAndConditionalRequests() {
        HttpClient http(m_server.baseUrl(), m_token);
        const QByteArray bytes = readFile(m_photo);
        const QString id = uploadWhole(http, bytes);
        const QString path = "/media/" + id + "/original";
        const HttpReply whole = http.get(path);
        QCOMPARE(whole.status, 200);
        const QByteArray etag = whole.header("etag");
        QVERIFY(!etag.isEmpty());
        QCOMPARE(whole.header("accept-ranges"), QByteArray("bytes"));

        HttpReply r = http.send("GET", path, {}, {}, {{"Range", "bytes=100-199"}});
        QCOMPARE(r.status, 206);
        QCOMPARE(r.body, bytes.mid(100, 100));
        QCOMPARE(r.header("content-range"), "bytes 100-199/" + QByteArray::number(bytes.size()));
        r = http.send("GET", path, {}, {}, {{"Range", "bytes=-10"}});
        QCOMPARE(r.status, 206);
        QCOMPARE(r.body, bytes.right(10));
        r = http.send("GET", path, {}, {}, {{"Range", "bytes=" + QByteArray::number(bytes.size()) + "-"}});
        QCOMPARE(r.status, 416);
        QCOMPARE(r.header("content-range"), "bytes */" + QByteArray::number(bytes.size()));
        r = http.send("GET", path, {}, {}, {{"Range", "bytes=0-1,5-6"}}); // several ranges: whole file
        QCOMPARE(r.status, 200);
        r = http.send("GET", path, {}, {}, {{"If-None-Match", etag}});
        QCOMPARE(r.status, 304);
        QVERIFY(r.body.isEmpty());
        r = http.send("GET", path, {}, {}, {{"If-None-Match", "\"something-else\""}});
        QCOMPARE(r.status, 200);
        r = http.send("GET", path, {}, {}, {{"Range", "bytes=0-9"}, {"If-Range", "\"stale\""}});
        QCOMPARE(r.status, 200);
    }

    void strangersAndAnonymousGet404() {
        HttpClient http(m_server.baseUrl(), m_token);
        const QString id = uploadWhole(http, readFile(m_photo));
        waitReady(http, id);
        HttpClient stranger(m_server.baseUrl(), m_strangerToken);
        HttpClient anonymous(m_server.baseUrl(), {});
        for (const char* variant : {"original", "large", "thumb"}) {
            QCOMPARE(stranger.get("/media/" + id + "/" + variant).status, 404);
            QCOMPARE(anonymous.get("/media/" + id + "/" + variant).status, 404);
        }
        QCOMPARE(stranger.get("/api/pinhole/v1/assets/" + id).status, 404);
        QCOMPARE(stranger.get("/api/v1/media/" + id).status, 404);
    }

    void badFilesAreRefusedWithAReason_data() {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<int>("status");
        QTest::newRow("zero bytes") << "empty" << 422;
        QTest::newRow("text named .jpg") << "text" << 415;
        QTest::newRow("PNG declaring 100000x100000") << "bomb" << 413;
    }
    void badFilesAreRefusedWithAReason() {
        QFETCH(QString, kind);
        QFETCH(int, status);
        QByteArray bytes;
        if (kind == "text") {
            bytes = "just some text, not a photo\n";
        } else if (kind == "bomb") {
            // A well-formed PNG whose IHDR claims 100000 x 100000 RGB pixels (30 GB decoded).
            bytes = QByteArray::fromHex("89504e470d0a1a0a") +
                    pngChunk("IHDR", QByteArray::fromHex("000186a0000186a00802000000")) +
                    pngChunk("IDAT", qCompress(QByteArray(64, '\0')).mid(4)) + pngChunk("IEND", {});
        }
        HttpClient http(m_server.baseUrl(), m_token);
        const HttpReply r = postMultipart(http, "/api/v2/media", bytes, "photo.jpg");
        QCOMPARE(r.status, status);
        QVERIFY2(!r.json()["error"].toString().isEmpty(), r.body);
        QCOMPARE(http.get("/healthz").status, 200);
    }

    void truncatedJpegFailsWithAReasonOnTheAsset() {
        const QByteArray bytes = readFile(m_photo);
        HttpClient http(m_server.baseUrl(), m_token);
        const HttpReply r = postMultipart(http, "/api/v2/media", bytes.left(bytes.size() / 2), "half.jpg");
        QVERIFY2(r.status == 202 || r.status == 422, r.body);
        if (r.status == 202) {
            const QString id = r.json()["id"].toString();
            const QJsonObject asset = waitReady(http, id);
            QCOMPARE(asset["state"].toString(), QString("failed"));
            QVERIFY(!asset["failure"].toString().isEmpty());
            QCOMPARE(http.get("/api/v1/media/" + id).status, 422);
        }
        QCOMPARE(http.get("/healthz").status, 200);
    }

    void mastodonV2MediaIsProcessedAsynchronously() {
        HttpClient http(m_server.baseUrl(), m_token);
        QByteArray bytes = readFile(m_photo);
        bytes.append("v2");
        const HttpReply created = postMultipart(http, "/api/v2/media", bytes, "x.bin");
        QVERIFY2(created.status == 202 || created.status == 200, created.body);
        const QString id = created.json()["id"].toString();
        QCOMPARE(created.json()["description"].toString(), QString("A test photo"));
        QJsonObject media;
        QTRY_VERIFY_WITH_TIMEOUT(!(media = http.get("/api/v1/media/" + id).json())["url"].isNull(), 60000);
        QCOMPARE(media["type"].toString(), QString("image"));
        QVERIFY(!media["thumbhash"].toString().isEmpty());
        const HttpReply large = http.get(QUrl(media["url"].toString()).path());
        QCOMPARE(large.status, 200);
        QCOMPARE(large.header("content-type"), QByteArray("image/jpeg"));
    }

    void mastodonV1MediaAnswersWhenProcessed() {
        HttpClient http(m_server.baseUrl(), m_token);
        QByteArray bytes = readFile(m_photo);
        bytes.append("v1");
        const HttpReply created = postMultipart(http, "/api/v1/media", bytes, "x.jpg");
        QCOMPARE(created.status, 200);
        QVERIFY(!created.json()["url"].isNull());
        QVERIFY(!created.json()["preview_url"].isNull());
        const QString id = created.json()["id"].toString();
        const HttpReply updated =
            http.send("PUT", "/api/v1/media/" + id,
                      QJsonDocument(QJsonObject{{"description", "New words"}, {"focus", "0.5,-0.25"}}).toJson(),
                      "application/json");
        QCOMPARE(updated.status, 200);
        QCOMPARE(updated.json()["description"].toString(), QString("New words"));
        QCOMPARE(updated.json()["meta"].toObject()["focus"].toObject()["y"].toDouble(), -0.25);
    }

    // pinholed is killed (SIGKILL) while a processing job runs; after the restart the job's lease
    // expires, it runs again (its second attempt) and every asset ends processed.
    void jobOfAKilledServerRunsAgainAfterRestart() {
        ServerProcess server("[jobs]\nworkers = 1\nlease_seconds = 1\n");
        QVERIFY(server.start());
        QVERIFY(server.createUser("kim", kPassword));
        const QString token = HttpClient(server.baseUrl()).login("kim", kPassword);
        HttpClient http(server.baseUrl(), token);
        // Large enough that processing takes a while; one worker runs the jobs one after another.
        const QString big = m_dir.filePath("big.jpg");
        QVERIFY(run("vips", {"gaussnoise", big, "4000", "3000"}));
        QStringList ids;
        for (int i = 0; i < 8; ++i) {
            const HttpReply r = postMultipart(http, "/api/v2/media", readFile(big) + QByteArray::number(i), "big.jpg");
            QCOMPARE(r.status, 202);
            ids << r.json()["id"].toString();
        }
        // Which job the kill interrupted is read from the database once the process is gone; a
        // kill that fell between two jobs interrupted none, so then the server starts and is
        // killed again.
        QString interrupted;
        for (int round = 0; round < 5 && interrupted.isEmpty(); ++round) {
            HttpClient probe(server.baseUrl());
            // Latched: "a job is running" flickers between jobs, and QTRY evaluates its condition
            // again after the loop, so an unlatched probe can read false right after reading true.
            bool seenRunning = false;
            QTRY_VERIFY_WITH_TIMEOUT(seenRunning = seenRunning || jobsRunning(probe), 60000);
            server.kill();
            interrupted = runningJob(server).section(' ', 0, 0);
            QVERIFY(server.start());
        }
        QVERIFY2(!interrupted.isEmpty(), "no kill interrupted a running job");
        HttpClient again(server.baseUrl(), token);
        for (const QString& id : ids) {
            QJsonObject media;
            QTRY_VERIFY_WITH_TIMEOUT(!(media = again.get("/api/v1/media/" + id).json())["url"].isNull(), 60000);
        }
        QString jobs;
        QCOMPARE(server.admin({"jobs", "list"}, {}, &jobs), 0);
        bool rerun = false;
        for (const QString& line : jobs.split('\n')) {
            QVERIFY2(!line.contains("running") && !line.contains("pending"), qPrintable(jobs));
            if (line.startsWith(interrupted + ' '))
                rerun = line.contains("completed") && line.contains("2/");
        }
        QVERIFY2(rerun, qPrintable("job " + interrupted + " was not run a second time:\n" + jobs));
        QCOMPARE(server.stop(), 0);
    }
};

QTEST_GUILESS_MAIN(TestMedia)
#include "tst_e2e_media.moc"
