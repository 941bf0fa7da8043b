// Debian's `toot` Mastodon client against the real pinholed: log in with login_cli (password
// on standard input), ask whoami and upload a photo, exactly as a user would. The slots run in
// order: the later ones use the login of loginCliThenWhoami.
#include "httpclient.h"
#include "serverprocess.h"

#include <QFile>
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
    QTemporaryDir m_home;

    QString runToot(const QStringList& args, const QByteArray& input = {}, int* exitCode = nullptr) {
        QProcess toot;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("HOME", m_home.path()); // toot keeps its config under ~/.config/toot
        env.insert("XDG_CONFIG_HOME", m_home.path() + "/.config");
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
