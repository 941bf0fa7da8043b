// The app's controllers against the real pinholed: a self-signed server's fingerprint is shown
// to trust before signing in, then pinned, and a changed certificate is refused with a warning;
// registering an account; edits made while the server is unreachable are kept, shown as
// pending and offline, and reach the server once it is back; and a photo imported on another
// device is shown from the server through the media cache.
#include "account/accountcontroller.h"
#include "albums/albumlistmodel.h"
#include "app.h"
#include "apptest.h"
#include "httpclient.h"
#include "images/providers.h"
#include "serverprocess.h"

#include <QJsonArray>
#include <QQuickTextureFactory>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>

using namespace pinhole;
using pinhole::test::HttpClient;
using pinhole::test::ServerProcess;

namespace {
const QString kPassword = QStringLiteral("correct horse battery");

QString fingerprintOf(ServerProcess& server) {
    return QRegularExpression("fingerprint: ([0-9A-F:]{95})").match(server.stdoutText()).captured(1);
}
// A provider's answer: its image, null on error (or after 30 s).
QImage imageOf(QQuickImageResponse* response) {
    std::unique_ptr<QQuickImageResponse> owned(response);
    QSignalSpy finished(response, &QQuickImageResponse::finished);
    if (!finished.wait(30'000))
        return {};
    std::unique_ptr<QQuickTextureFactory> factory(response->textureFactory());
    return factory ? factory->image() : QImage();
}
} // namespace

class TestE2eAppSync : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    int m_profiles = 0;

    std::unique_ptr<app::App> newApp() {
        auto services =
            std::make_unique<app::App>(m_dir.path() + "/profile" + QString::number(++m_profiles), QString());
        services->start();
        return services;
    }

private slots:
    void initTestCase() {
        QCoreApplication::setOrganizationName("PinholeTest");
        QCoreApplication::setApplicationName("tst_e2e_appsync");
    }

    void aSelfSignedServerIsTrustedOnceThenPinned() {
        ServerProcess server({}, {"--tls-self-signed"});
        QVERIFY(server.start());
        QVERIFY(server.createUser("alice", kPassword));
        auto services = newApp();
        auto* account = services->account();
        QTRY_VERIFY(account->ready());

        account->signIn(server.baseUrl(), "alice", kPassword);
        QTRY_VERIFY_WITH_TIMEOUT(!account->trustFingerprint().isEmpty(), 15'000);
        QCOMPARE(account->trustFingerprint(), fingerprintOf(server));
        QVERIFY(!account->signedIn());

        account->trustServer();
        QTRY_VERIFY_WITH_TIMEOUT(account->signedIn(), 15'000);
        QVERIFY(account->error().isEmpty());

        // Signed out and back in: the pinned key is used, no second question.
        account->signOut();
        QTRY_VERIFY(!account->signedIn());
        account->signIn(server.baseUrl(), "alice", kPassword);
        QTRY_VERIFY_WITH_TIMEOUT(account->signedIn(), 15'000);
        QVERIFY(account->trustFingerprint().isEmpty());
    }

    void aChangedCertificateIsRefusedWithAWarning() {
        ServerProcess first({}, {"--tls-self-signed"});
        QVERIFY(first.start());
        QVERIFY(first.createUser("alice", kPassword));
        auto services = newApp();
        auto* account = services->account();
        QTRY_VERIFY(account->ready());
        account->signIn(first.baseUrl(), "alice", kPassword);
        QTRY_VERIFY_WITH_TIMEOUT(!account->trustFingerprint().isEmpty(), 15'000);
        account->trustServer();
        QTRY_VERIFY_WITH_TIMEOUT(account->signedIn(), 15'000);

        // The account's server address now answers with another certificate (another key).
        ServerProcess impostor({}, {"--tls-self-signed"});
        QVERIFY(impostor.start());
        QVERIFY(impostor.createUser("alice", kPassword));
        const auto moved = test::onLibraryThread<bool>(services->session(), [&impostor](sync::Engine& engine) {
            return engine.setServerUrl(impostor.baseUrl().toStdString()).isOk();
        });
        QVERIFY(moved);
        account->signOut();
        QTRY_VERIFY(!account->signedIn());

        account->signIn(impostor.baseUrl(), "alice", kPassword);
        QTRY_VERIFY_WITH_TIMEOUT(!account->error().isEmpty(), 15'000);
        QVERIFY(account->keyChanged());
        QVERIFY2(account->error().contains("certificate has changed"), qPrintable(account->error()));
        QVERIFY(account->error().contains(fingerprintOf(impostor)));
        QVERIFY(account->trustFingerprint().isEmpty()); // not offered to trust
        QVERIFY(!account->signedIn());
    }

    void registeringCreatesTheAccountAndSignsIn() {
        ServerProcess server;
        QVERIFY(server.start());
        auto services = newApp();
        auto* account = services->account();
        QTRY_VERIFY(account->ready());
        account->registerAccount(server.baseUrl(), "carol", "carol@example.org", kPassword);
        QTRY_VERIFY_WITH_TIMEOUT(account->signedIn(), 15'000);
        QCOMPARE(account->username(), QString("carol"));
        HttpClient http(server.baseUrl());
        QVERIFY(!http.login("carol", kPassword).isEmpty());
    }

    // Imported and uploaded by pinhole-sync on device A; the app (device B) has no file of it, so
    // the image providers fetch the server's thumbnail and large image into the media cache.
    void aPhotoFromAnotherDeviceIsShownFromTheServer() {
        ServerProcess server;
        QVERIFY(server.start());
        QVERIFY(server.createUser("alice", kPassword));
        const QString photo = m_dir.path() + "/elsewhere/red.jpg";
        QVERIFY(test::makePhoto(photo, QColor(220, 30, 30), "2024:06:01 09:00:00", 800, 600));
        {
            auto a = sync::Engine::open((m_dir.path() + "/elsewhere/pinhole.db").toStdString());
            QVERIFY(a.isOk());
            QVERIFY((*a)->login(server.baseUrl().toStdString(), "alice", kPassword.toStdString()).isOk());
            QVERIFY((*a)->library().importPath(photo.toStdString()).isOk());
            QTRY_VERIFY_WITH_TIMEOUT((*a)->syncOnce().isOk() && (*a)->status().value().uploadsDone == 1, 30'000);
        }

        auto services = newApp();
        auto* account = services->account();
        QTRY_VERIFY(account->ready());
        account->signIn(server.baseUrl(), "alice", kPassword);
        QTRY_VERIFY_WITH_TIMEOUT(account->signedIn(), 15'000);
        QTRY_COMPARE_WITH_TIMEOUT(services->library()->count(), 1, 30'000);
        const QString sha = services->library()->sha256At(0);
        QVERIFY(services->session().localPathOf(sha).isEmpty());

        app::Session& session = services->session();
        QThreadPool pool;
        const app::ImageServices images{
            [&session](const QString& s) { return session.localPathOf(s); },
            std::make_shared<app::ThumbnailCache>(m_dir.path() + "/thumbs-elsewhere"), &pool,
            [&session](const QString& s, sync::MediaVariant variant, const std::function<bool()>& cancelled) {
                return session.mediaFileOf(s, variant, cancelled);
            }};
        app::ThumbProvider thumbs(images);
        // The server derives its thumbnail after the upload: asked again until it has.
        QImage thumb;
        QTRY_VERIFY_WITH_TIMEOUT(!(thumb = imageOf(thumbs.requestImageResponse(sha, QSize(200, 200)))).isNull(),
                                 30'000);
        QCOMPARE(thumb.size(), QSize(256, 256)); // from the server's 360 px square
        const QColor centre = thumb.pixelColor(128, 128);
        QVERIFY2(centre.red() > 170 && centre.green() < 80, qPrintable(centre.name()));
        app::PreviewProvider preview(images, app::PreviewProvider::kMaxSide);
        QCOMPARE(imageOf(preview.requestImageResponse(sha, QSize())).size(), QSize(800, 600)); // large: not upscaled

        // Both files are now in the media cache of the app's profile.
        const auto cached = test::onLibraryThread<bool>(session, [sha = sha.toStdString()](sync::Engine& engine) {
            return engine.media()->cached(sha, sync::MediaVariant::Thumb).has_value() &&
                   engine.media()->cached(sha, sync::MediaVariant::Large).has_value();
        });
        QVERIFY(cached);
    }

    void editsWhileTheServerIsUnreachableSyncAfterwards() {
        ServerProcess server;
        QVERIFY(server.start());
        QVERIFY(server.createUser("alice", kPassword));
        const QString photo = m_dir.path() + "/offline/beach.jpg";
        QVERIFY(test::makePhoto(photo, QColor(20, 120, 200), "2024:07:14 16:00:00"));

        auto services = newApp();
        auto* account = services->account();
        auto* status = services->status();
        QTRY_VERIFY(account->ready());
        account->signIn(server.baseUrl(), "alice", kPassword);
        QTRY_VERIFY_WITH_TIMEOUT(account->signedIn(), 15'000);
        services->importer()->importPaths({photo});
        QTRY_COMPARE(services->library()->count(), 1);
        // Uploaded and synced while online.
        QTRY_VERIFY2_WITH_TIMEOUT(
            status->uploadsDone() == 1 && status->pendingUploads() == 0,
            qPrintable(QString("uploads done %1, pending %2, last error [%3] synced %4 online %5 assets %6")
                           .arg(status->uploadsDone())
                           .arg(status->pendingUploads())
                           .arg(status->lastError())
                           .arg(status->syncedOnce())
                           .arg(status->online())
                           .arg(status->assets())),
            30'000);
        QTRY_VERIFY_WITH_TIMEOUT(status->online(), 15'000);

        QCOMPARE(server.stop(), 0);
        services->session().syncNow();
        QTRY_VERIFY_WITH_TIMEOUT(status->syncedOnce() && !status->online(), 30'000);

        // Offline edits: two tags.
        services->library()->selectAll();
        services->library()->tagSelection("offline");
        services->library()->tagSelection("beach");
        QTRY_VERIFY_WITH_TIMEOUT(status->pendingOperations() >= 2, 15'000);
        QVERIFY(!status->online());

        // The server is back (at a new port): the edits go out.
        QVERIFY(server.start());
        const auto moved = test::onLibraryThread<bool>(services->session(), [&server](sync::Engine& engine) {
            return engine.setServerUrl(server.baseUrl().toStdString()).isOk();
        });
        QVERIFY(moved);
        services->session().syncNow();
        QTRY_VERIFY_WITH_TIMEOUT(status->online() && status->pendingOperations() == 0, 30'000);
        QVERIFY2(status->parkedOperations().isEmpty(),
                 qPrintable(status->parkedOperations().isEmpty()
                                ? QString()
                                : status->parkedOperations().first().toMap().value("kind").toString() + ": " +
                                      status->parkedOperations().first().toMap().value("reason").toString()));

        HttpClient http(server.baseUrl());
        http.setToken(http.login("alice", kPassword));
        const auto assets = http.get("/api/pinhole/v1/assets?limit=10").json()["assets"].toArray();
        QCOMPARE(assets.size(), 1);
        const QString id = assets.first().toObject()["id"].toString();
        const QByteArray tags = http.get("/api/pinhole/v1/assets/" + id + "/annotations?schema=tag").body;
        QVERIFY2(tags.contains("offline") && tags.contains("beach"), tags.constData());
    }
};

QTEST_MAIN(TestE2eAppSync)
#include "tst_e2e_appsync.moc"
