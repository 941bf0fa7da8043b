// Avatars through the real pinholed: PATCH update_credentials with a multipart `avatar` stores a
// square JPEG without metadata, served publicly at a URL that changes with the avatar; what is
// not an image, too large, or a `header` is refused with a clear error and changes nothing; the
// change reaches the sync change stream and the cached statuses of the account; admin check
// verifies avatar files and admin backup carries them.
#include "socialfixture.h"


using pinhole::test::HttpClient;
using pinhole::test::HttpReply;
using pinhole::test::ServerProcess;
using pinhole::test::SocialFixture;

namespace {

QByteArray multipart(const QByteArray& boundary, const QByteArray& field, const QByteArray& bytes,
                     const QByteArray& text = {}) {
    QByteArray body;
    if (!text.isEmpty())
        body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"display_name\"\r\n\r\n" + text + "\r\n";
    body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field +
            "\"; filename=\"me.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n" + bytes + "\r\n--" + boundary + "--\r\n";
    return body;
}

} // namespace

class TestAvatars : public QObject {
    Q_OBJECT
    ServerProcess m_server;
    SocialFixture m_social{m_server};
    QTemporaryDir m_dir;
    int m_users = 0;

    // `what` of the image `bytes` as vipsheader reads it ("width", "height"), -1 if unreadable.
    int header(const QByteArray& bytes, const char* what) {
        const QString path = m_dir.filePath("served.jpg");
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
            return -1;
        f.close();
        QProcess vips;
        vips.start(QStandardPaths::findExecutable("vipsheader"), {"-f", what, path});
        if (!vips.waitForFinished(60000) || vips.exitCode() != 0)
            return -1;
        bool ok = false;
        const int value = vips.readAllStandardOutput().trimmed().toInt(&ok);
        return ok ? value : -1;
    }

    // A `width` x `height` JPEG of noise with EXIF GPS, made with vips and exiftool.
    QByteArray jpeg(int width, int height) {
        const QString path = m_dir.filePath(QString("a%1x%2.jpg").arg(width).arg(height));
        QProcess vips;
        vips.start(QStandardPaths::findExecutable("vips"),
                   {"gaussnoise", path, QString::number(width), QString::number(height)});
        if (!vips.waitForFinished(60000) || vips.exitCode() != 0)
            return {};
        QProcess exif;
        exif.start(QStandardPaths::findExecutable("exiftool"),
                   {"-q", "-overwrite_original", "-GPSLatitude=48.85", "-GPSLatitudeRef=N", path});
        if (!exif.waitForFinished(60000) || exif.exitCode() != 0)
            return {};
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

    HttpReply patchAvatar(const QString& token, const QByteArray& field, const QByteArray& bytes,
                          const QByteArray& displayName = {}) {
        return HttpClient(m_server.baseUrl(), token)
            .send("PATCH", "/api/v1/accounts/update_credentials", multipart("avatarboundary", field, bytes, displayName),
                  "multipart/form-data; boundary=avatarboundary");
    }

    QString avatarOf(const QString& token) {
        return m_social.get(token, "/api/v1/accounts/verify_credentials").json()["avatar"].toString();
    }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        QVERIFY(m_server.start());
    }
    void cleanupTestCase() { QCOMPARE(m_server.stop(), 0); }

    void anUploadedAvatarIsServedPubliclyAsASquareWithoutMetadata() {
        const QString ada = m_social.user("ada");
        const QString defaultAvatar = avatarOf(ada);
        QVERIFY(defaultAvatar.endsWith("/static/avatar-missing.png"));
        const HttpReply r = patchAvatar(ada, "avatar", jpeg(900, 600), "Ada L.");
        QCOMPARE(r.status, 200);
        const QString url = r.json()["avatar"].toString();
        QVERIFY2(url.contains("/avatars/") && url.endsWith(".jpg"), qPrintable(url));
        QCOMPARE(r.json()["avatar_static"].toString(), url);
        QCOMPARE(r.json()["display_name"].toString(), QString("Ada L.")); // text fields of the same form
        QCOMPARE(avatarOf(ada), url);

        // Public: no token.
        const HttpReply file = HttpClient(m_server.baseUrl()).get(QUrl(url).path());
        QCOMPARE(file.status, 200);
        QCOMPARE(file.header("content-type"), QByteArray("image/jpeg"));
        QVERIFY(file.header("cache-control").contains("immutable"));
        QCOMPARE(header(file.body, "width"), 400);
        QCOMPARE(header(file.body, "height"), 400);
        QVERIFY2(!file.body.contains("Exif"), "the avatar keeps no EXIF (the upload had GPS)");
        // Revalidation by ETag.
        const HttpReply again = HttpClient(m_server.baseUrl())
                                    .send("GET", QUrl(url).path(), {}, {}, {{"If-None-Match", file.header("etag")}});
        QCOMPARE(again.status, 304);
    }

    void aNewAvatarGetsANewUrl() {
        const QString bo = m_social.user("bo");
        const HttpReply first = patchAvatar(bo, "avatar", jpeg(300, 300));
        QCOMPARE(first.status, 200);
        const HttpReply second = patchAvatar(bo, "avatar", jpeg(500, 800));
        QCOMPARE(second.status, 200);
        QVERIFY(first.json()["avatar"].toString() != second.json()["avatar"].toString());
        // A profile edit without an avatar keeps it.
        QCOMPARE(HttpClient(m_server.baseUrl(), bo)
                     .patchJson("/api/v1/accounts/update_credentials", {{"note", "hello"}})
                     .json()["avatar"]
                     .toString(),
                 second.json()["avatar"].toString());
    }

    void badAvatarsAreRefusedClearlyAndChangeNothing_data() {
        QTest::addColumn<QByteArray>("field");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("message");
        QTest::newRow("not an image") << QByteArray("avatar") << QByteArray("<html>hello</html>") << 415 << "avatar:";
        QTest::newRow("truncated JPEG") << QByteArray("avatar") << QByteArray("\xff\xd8\xff\xe0\x00\x10JFIF", 10)
                                        << 422 << "avatar:";
        QTest::newRow("empty") << QByteArray("avatar") << QByteArray() << 422 << "avatar: the file is empty";
        QTest::newRow("header") << QByteArray("header") << QByteArray("x") << 422 << "header: header images";
        // Above the route's body bound (8 MiB + 64 KiB): refused before the body is read.
        QTest::newRow("too large") << QByteArray("avatar") << QByteArray(9 * 1024 * 1024, 'x') << 413 << "";
    }
    void badAvatarsAreRefusedClearlyAndChangeNothing() {
        QFETCH(QByteArray, field);
        QFETCH(QByteArray, bytes);
        QFETCH(int, status);
        QFETCH(QString, message);
        const QString cy = m_social.user(QString("cy%1").arg(m_users++));
        const HttpReply r = patchAvatar(cy, field, bytes, "Changed");
        QCOMPARE(r.status, status);
        if (!message.isEmpty())
            QVERIFY2(r.json()["error"].toString().startsWith(message), r.body.constData());
        const QJsonObject me = m_social.get(cy, "/api/v1/accounts/verify_credentials").json();
        QVERIFY(me["avatar"].toString().endsWith("/static/avatar-missing.png"));
        QVERIFY(me["display_name"].toString() != "Changed");
    }

    void anAvatarAsATextFieldIsRefused() {
        const QString di = m_social.user("di");
        const HttpReply r = HttpClient(m_server.baseUrl(), di)
                                .patchJson("/api/v1/accounts/update_credentials", {{"avatar", "https://x/y.png"}});
        QCOMPARE(r.status, 422);
        QVERIFY2(r.json()["error"].toString().contains("multipart"), r.body.constData());
    }

    void anUnknownAvatarIs404() {
        const HttpReply r = HttpClient(m_server.baseUrl()).get("/avatars/" + QString(64, 'a') + ".jpg");
        QCOMPARE(r.status, 404);
        QCOMPARE(HttpClient(m_server.baseUrl()).get("/avatars/..%2Fpinhole.db").status, 404);
    }

    // The account change is an event: the follower's cached statuses and change stream show it.
    void aFollowerSeesTheNewAvatarOnCachedPostsAndInTheChangeStream() {
        const QString eve = m_social.user("eve");
        const QString fay = m_social.user("fay");
        QCOMPARE(m_social.postTo(fay, "/api/v1/accounts/" + m_social.idOf(eve) + "/follow").status, 200);
        const QString post = m_social.photoPost(eve, "before the avatar");
        QVERIFY(!post.isEmpty());
        auto authorAvatar = [&] {
            for (const auto& v : m_social.get(fay, "/api/v1/timelines/home").jsonArray())
                if (v.toObject()["id"].toString() == post)
                    return v.toObject()["account"].toObject()["avatar"].toString();
            return QString();
        };
        QTRY_VERIFY_WITH_TIMEOUT(authorAvatar().endsWith("/static/avatar-missing.png"), 20000); // now cached
        const HttpReply r = patchAvatar(eve, "avatar", jpeg(640, 480));
        QCOMPARE(r.status, 200);
        const QString url = r.json()["avatar"].toString();
        QTRY_COMPARE_WITH_TIMEOUT(authorAvatar(), url, 20000);
        const QByteArray changes = m_social.get(fay, "/api/pinhole/v1/sync/changes").body;
        QVERIFY2(changes.contains(url.toUtf8()), "the change stream carries the account with its avatar");
    }

    // After the others: avatars exist. A backup carries them, check verifies them by their hash.
    void backupCarriesAvatarsAndCheckVerifiesThem() {
        const QString gus = m_social.user("gus");
        const HttpReply r = patchAvatar(gus, "avatar", jpeg(420, 420));
        QCOMPARE(r.status, 200);
        const QString file = QUrl(r.json()["avatar"].toString()).fileName(); // <sha256>.jpg
        QString out;
        QCOMPARE(m_server.admin({"check"}, {}, &out), 0);
        const QString backup = m_dir.filePath("backup");
        QCOMPARE(m_server.admin({"backup", backup}, {}, &out), 0);
        const QString sharded = "media/avatars/" + file.left(2) + "/" + file.mid(2, 2) + "/" + file;
        QVERIFY2(QFile::exists(backup + "/" + sharded), qPrintable(out));

        // A damaged avatar file is a problem check names.
        const QString live = m_server.dataDir() + "/" + sharded;
        QFile f(live);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QVERIFY(f.seek(f.size() / 2));
        QVERIFY(f.write("XXXX") == 4);
        f.close();
        QVERIFY(m_server.admin({"check"}, {}, &out) != 0);
        QVERIFY2(out.contains("corrupt " + sharded), qPrintable(out));
        QFile original(backup + "/" + sharded);
        QVERIFY(QFile::remove(live) && original.copy(live));
        QCOMPARE(m_server.admin({"check"}, {}, &out), 0);
    }
};

QTEST_GUILESS_MAIN(TestAvatars)
#include "tst_e2e_avatars.moc"
