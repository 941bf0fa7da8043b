// Debian's `toot` Mastodon client against the real pinholed: log in with login_cli (password
// on standard input), ask whoami, upload a photo, then the social core as two people would use it:
// bob follows alice, alice posts a photo, bob sees it in his timeline and favourites it, looks
// alice up, unfollows. The slots run in order: later ones use the logins of earlier ones.
#include "httpclient.h"
#include "serverprocess.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

using pinhole::test::HttpClient;
using pinhole::test::ServerProcess;

class TestToot : public QObject {
    Q_OBJECT
    ServerProcess m_server;
    QTemporaryDir m_home;    // alice's toot
    QTemporaryDir m_bobHome; // bob's toot

    QString runToot(const QStringList& args, const QByteArray& input = {}, int* exitCode = nullptr) {
        return runTootIn(m_home, args, input, exitCode);
    }
    QString runTootIn(const QTemporaryDir& home, const QStringList& args, const QByteArray& input = {},
                      int* exitCode = nullptr) {
        QProcess toot;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("HOME", home.path()); // toot keeps its config under ~/.config/toot
        env.insert("XDG_CONFIG_HOME", home.path() + "/.config");
        env.insert("NO_COLOR", "1");
        toot.setProcessEnvironment(env);
        toot.start(QStandardPaths::findExecutable("toot"), args);
        toot.waitForStarted();
        toot.write(input);
        toot.closeWriteChannel();
        toot.waitForFinished(60000);
        if (exitCode)
            *exitCode = toot.exitCode();
        return QString::fromUtf8(toot.readAllStandardOutput() + toot.readAllStandardError());
    }

private slots:
    // The server exits cleanly (under the sanitizer build, with no leak or error report).
    void cleanupTestCase() { QCOMPARE(m_server.stop(), 0); }

    void initTestCase() {
        QVERIFY2(!QStandardPaths::findExecutable("toot").isEmpty(),
                 "toot is not installed (packaging/install-deps.sh)");
        QVERIFY(m_server.start());
        QVERIFY(m_server.createUser("alice", "correct horse battery staple"));
        QVERIFY(m_server.createUser("bob", "battery staple correct horse"));
    }

    QString instance() const {
        const QUrl url(m_server.baseUrl());
        return url.host() + ":" + QString::number(url.port());
    }
    // The token toot saved in `home`'s config.
    QString tokenOf(const QTemporaryDir& home) {
        QFile config(home.filePath(".config/toot/config.json"));
        if (!config.open(QIODevice::ReadOnly))
            return {};
        const QJsonObject users = QJsonDocument::fromJson(config.readAll()).object()["users"].toObject();
        return users.isEmpty() ? QString() : users.begin()->toObject()["access_token"].toString();
    }

    void loginCliThenWhoami() {
        const QUrl url(m_server.baseUrl());
        const QString instance = url.host() + ":" + QString::number(url.port());
        int code = -1;
        const QString login = runToot({"login_cli", "--disable-https", "-i", instance, "-e", "alice@example.org"},
                                      "correct horse battery staple\n", &code);
        QVERIFY2(code == 0, qPrintable(login));
        QVERIFY2(login.contains("Successfully logged in"), qPrintable(login));
        const QString whoami = runToot({"whoami"}, {}, &code);
        QVERIFY2(code == 0, qPrintable(whoami));
        QVERIFY2(whoami.contains("@alice"), qPrintable(whoami));
    }

    // `toot upload` uses POST /api/v1/media, which answers once the derivatives exist.
    void uploadPhotoWithDescription() {
        const QString photo = m_home.filePath("beach.jpg");
        QProcess vips;
        vips.start(QStandardPaths::findExecutable("vips"), {"gaussnoise", photo, "320", "240"});
        QVERIFY(vips.waitForFinished(60000) && vips.exitCode() == 0);

        int code = -1;
        const QString out = runToot({"upload", "--description", "Low tide", photo}, {}, &code);
        QVERIFY2(code == 0, qPrintable(out));
        const auto id = QRegularExpression("media ID (\\d+), type 'image'").match(out);
        QVERIFY2(id.hasMatch(), qPrintable(out));
        const auto url = QRegularExpression("URL: (http\\S+)").match(out);
        QVERIFY2(url.hasMatch(), qPrintable(out));

        // Check what the server kept with the token toot saved.
        QFile config(m_home.filePath(".config/toot/config.json"));
        QVERIFY(config.open(QIODevice::ReadOnly));
        const QJsonObject users = QJsonDocument::fromJson(config.readAll()).object()["users"].toObject();
        QVERIFY(!users.isEmpty());
        HttpClient http(m_server.baseUrl(), users.begin()->toObject()["access_token"].toString());
        const auto media = http.get("/api/v1/media/" + id.captured(1));
        QCOMPARE(media.status, 200);
        QCOMPARE(media.json()["description"].toString(), QString("Low tide"));
        const auto file = http.get(QUrl(url.captured(1)).path());
        QCOMPARE(file.status, 200);
        QCOMPARE(file.header("Content-Type"), QByteArray("image/jpeg"));
        QVERIFY(file.body.startsWith("\xff\xd8"));
    }

    void followPostTimelineFavouriteUnfollow() {
        int code = -1;
        QString out = runTootIn(m_bobHome, {"login_cli", "--disable-https", "-i", instance(), "-e", "bob@example.org"},
                                "battery staple correct horse\n", &code);
        QVERIFY2(code == 0, qPrintable(out));

        out = runTootIn(m_bobHome, {"follow", "alice"}, {}, &code);
        QVERIFY2(code == 0 && out.contains("You are now following alice"), qPrintable(out));

        const QString photo = m_home.filePath("photo.jpg");
        QProcess vips;
        vips.start(QStandardPaths::findExecutable("vips"), {"gaussnoise", photo, "400", "300"});
        QVERIFY(vips.waitForFinished(60000) && vips.exitCode() == 0);
        out = runToot({"post", "--media", photo, "Sunset at the pier #golden"}, {}, &code);
        QVERIFY2(code == 0, qPrintable(out));
        const auto posted = QRegularExpression("Toot posted: (http\\S+)/(\\d+)").match(out);
        QVERIFY2(posted.hasMatch(), qPrintable(out));
        const QString statusId = posted.captured(2);

        // The post reaches bob's home feed through the fan-out consumer.
        QTRY_VERIFY_WITH_TIMEOUT(runTootIn(m_bobHome, {"timeline"}).contains("Sunset at the pier"), 20000);
        out = runTootIn(m_bobHome, {"timeline"}, {}, &code);
        QVERIFY2(code == 0 && out.contains("@alice") && out.contains(statusId), qPrintable(out));

        out = runTootIn(m_bobHome, {"favourite", statusId}, {}, &code);
        QVERIFY2(code == 0 && out.contains("Status favourited"), qPrintable(out));
        HttpClient alice(m_server.baseUrl(), tokenOf(m_home));
        const auto status = alice.get("/api/v1/statuses/" + statusId);
        QCOMPARE(status.status, 200);
        QCOMPARE(status.json()["favourites_count"].toInt(), 1);
        QCOMPARE(status.json()["media_attachments"].toArray().size(), 1);

        out = runTootIn(m_bobHome, {"whois", "alice"}, {}, &code);
        QVERIFY2(code == 0 && out.contains("@alice") && out.contains("Followers: 1") && out.contains("Statuses: 1"),
                 qPrintable(out));

        out = runTootIn(m_bobHome, {"unfollow", "alice"}, {}, &code);
        QVERIFY2(code == 0 && out.contains("You are no longer following alice"), qPrintable(out));
        HttpClient bob(m_server.baseUrl(), tokenOf(m_bobHome));
        const auto relationship = bob.get("/api/v1/accounts/relationships?id[]=" + status.json()["account"].toObject()["id"].toString());
        QCOMPARE(relationship.status, 200);
        QCOMPARE(relationship.jsonArray().at(0).toObject()["following"].toBool(), false);

        out = runToot({"whoami"}, {}, &code);
        QVERIFY2(code == 0 && out.contains("@alice") && out.contains("Statuses: 1"), qPrintable(out));
        QTRY_VERIFY_WITH_TIMEOUT(runToot({"whoami"}).contains("Followers: 0"), 20000);
    }

    void wrongPasswordFailsToLogIn() {
        const QUrl url(m_server.baseUrl());
        int code = 0;
        const QString out = runToot({"login_cli", "--disable-https", "-i",
                                     url.host() + ":" + QString::number(url.port()), "-e", "alice@example.org"},
                                    "wrong password\n", &code);
        QVERIFY(code != 0);
        QVERIFY2(out.contains("Login failed"), qPrintable(out));
    }
};

QTEST_GUILESS_MAIN(TestToot)
#include "tst_e2e_toot.moc"
