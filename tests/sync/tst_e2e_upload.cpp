// The uploader against the real pinholed: a photo goes up by tus and gets its server id; the
// server stopped in the middle of an upload leaves an acknowledged offset, and the next run
// resumes there (HEAD) instead of sending the file again; bytes the account has already are
// never sent (assets/check); a file that changed since import is parked with the reason.
#include "core/digest.h"
#include "engine/engine.h"
#include "httpclient.h"
#include "serverprocess.h"
#include "upload/uploader.h"

#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace pinhole::sync;
using pinhole::test::HttpClient;
using pinhole::test::ServerProcess;

namespace {
const QString kPassword = QStringLiteral("correct horse battery staple");

// A JPEG of noise (so it is incompressible and unique) of about w*h*3 bytes at quality 100.
QString makeJpeg(const QString& dir, const QString& name, int w, int h) {
    const QString path = dir + "/" + name;
    QProcess p;
    p.start(QStandardPaths::findExecutable("vips"),
            {"gaussnoise", path + "[Q=100]", QString::number(w), QString::number(h)});
    if (!p.waitForFinished(60000) || p.exitCode() != 0)
        return {};
    return path;
}

struct Client {
    std::unique_ptr<Engine> engine;
    net::HttpClient http;
    std::string base;
};
} // namespace

class TestE2eUpload : public QObject {
    Q_OBJECT
    ServerProcess m_server;
    QTemporaryDir m_dir;
    int m_clients = 0;

    std::unique_ptr<Client> client() {
        auto c = std::make_unique<Client>();
        auto engine = Engine::open((m_dir.path() + QString("/client%1.db").arg(++m_clients)).toStdString());
        if (!engine)
            return nullptr;
        c->engine = std::move(*engine);
        if (!c->engine->login(m_server.baseUrl().toStdString(), "alice", kPassword.toStdString()))
            return nullptr;
        pointAtServer(*c);
        return c;
    }
    void pointAtServer(Client& c) {
        c.base = m_server.baseUrl().toStdString();
        QVERIFY(c.engine->setServerUrl(c.base).isOk());
        c.http.setBearer(*c.engine->store().meta("access_token"));
    }
    QString uploadState(Client& c, const std::string& sha, qint64* offset = nullptr) {
        auto q = c.engine->store().db().prepare(
            "SELECT u.state, u.upload_offset FROM uploads u JOIN assets a ON a.id = u.asset_id WHERE a.sha256 = ?");
        q.bind(1, sha);
        if (!q.step().value())
            return {};
        if (offset)
            *offset = q.int64(1);
        return QString::fromStdString(q.text(0));
    }

private slots:
    void initTestCase() {
        QVERIFY(m_server.start());
        QVERIFY(m_server.createUser("alice", kPassword));
    }

    void aPhotoIsUploadedAndGetsItsServerId() {
        auto c = client();
        QVERIFY(c);
        const QString photo = makeJpeg(m_dir.path(), "small.jpg", 64, 64);
        QVERIFY(!photo.isEmpty());
        QVERIFY(c->engine->library().importPath(photo.toStdString()).isOk());
        Uploader uploader(c->engine->store(), c->http, c->base);
        auto report = uploader.run(wallMillis());
        QVERIFY2(report.isOk(), report.isOk() ? "" : report.status().message().c_str());
        QCOMPARE(report->uploaded, 1);

        const std::string sha = *sha256OfFile(photo.toStdString());
        auto asset = c->engine->library().asset(sha).value();
        QVERIFY(asset->serverId.has_value());
        HttpClient http(m_server.baseUrl(), QString::fromStdString(*c->engine->store().meta("access_token")));
        const auto served = http.get("/api/pinhole/v1/assets/" + QString::fromStdString(*asset->serverId));
        QCOMPARE(served.status, 200);
        QCOMPARE(served.json().value("sha256").toString().toStdString(), sha);
        QCOMPARE(uploadState(*c, sha), QStringLiteral("done"));
    }

    void anUploadCutByTheServerStoppingResumesFromItsOffset() {
        auto c = client();
        QVERIFY(c);
        const QString photo = makeJpeg(m_dir.path(), "big.jpg", 700, 500);
        QVERIFY(!photo.isEmpty());
        const qint64 size = QFile(photo).size();
        constexpr qint64 kChunk = 64 * 1024;
        QVERIFY(size > 4 * kChunk);
        QVERIFY(c->engine->library().importPath(photo.toStdString()).isOk());
        const std::string sha = *sha256OfFile(photo.toStdString());

        // First run: the server goes away right after acknowledging the first chunk.
        Uploader first(c->engine->store(), c->http, c->base);
        first.setChunkSize(kChunk);
        first.onProgress([&](const UploadProgress& p) {
            if (p.offset == kChunk)
                m_server.stop();
        });
        auto cut = first.run(wallMillis());
        QVERIFY(!cut.isOk());
        QCOMPARE(cut.status().code(), Code::Unavailable);
        qint64 offset = -1;
        QCOMPARE(uploadState(*c, sha, &offset), QStringLiteral("uploading"));
        QCOMPARE(offset, kChunk);

        // The server is back (on another port); the upload continues where the server says.
        QVERIFY(m_server.start());
        pointAtServer(*c);
        Uploader second(c->engine->store(), c->http, c->base);
        second.setChunkSize(kChunk);
        std::vector<std::int64_t> offsets;
        second.onProgress([&](const UploadProgress& p) { offsets.push_back(p.offset); });
        auto resumed = second.run(wallMillis());
        QVERIFY2(resumed.isOk(), resumed.isOk() ? "" : resumed.status().message().c_str());
        QCOMPARE(resumed->uploaded, 1);
        QCOMPARE(resumed->bytesSent, size - kChunk); // the first chunk was not sent again
        QCOMPARE(offsets.front(), 2 * kChunk);
        QCOMPARE(uploadState(*c, sha), QStringLiteral("done"));

        HttpClient http(m_server.baseUrl(), QString::fromStdString(*c->engine->store().meta("access_token")));
        auto asset = c->engine->library().asset(sha).value();
        const auto served = http.get("/api/pinhole/v1/assets/" + QString::fromStdString(*asset->serverId));
        QCOMPARE(served.json().value("sha256").toString().toStdString(), sha); // intact
    }

    void bytesTheAccountHasAreNeverSent() {
        auto first = client();
        QVERIFY(first);
        const QString photo = makeJpeg(m_dir.path(), "known.jpg", 200, 200);
        QVERIFY(first->engine->library().importPath(photo.toStdString()).isOk());
        QCOMPARE(Uploader(first->engine->store(), first->http, first->base).run(wallMillis())->uploaded, 1);

        auto second = client(); // another computer of the same account, same photo
        QVERIFY(second);
        QVERIFY(second->engine->library().importPath(photo.toStdString()).isOk());
        auto report = Uploader(second->engine->store(), second->http, second->base).run(wallMillis());
        QVERIFY(report.isOk());
        QCOMPARE(report->alreadyKnown, 1);
        QCOMPARE(report->uploaded, 0);
        QCOMPARE(report->bytesSent, 0);
        QCOMPARE(uploadState(*second, *sha256OfFile(photo.toStdString())), QStringLiteral("done"));
    }

    void aFileChangedSinceImportIsParkedWithTheReason() {
        auto c = client();
        QVERIFY(c);
        const QString photo = makeJpeg(m_dir.path(), "changed.jpg", 120, 120);
        QVERIFY(c->engine->library().importPath(photo.toStdString()).isOk());
        const std::string sha = *sha256OfFile(photo.toStdString());
        { // same size, other bytes: flip the last byte before the end marker
            QFile f(photo);
            QVERIFY(f.open(QIODevice::ReadWrite));
            QByteArray bytes = f.readAll();
            bytes[bytes.size() - 3] = static_cast<char>(bytes[bytes.size() - 3] ^ 0x55);
            f.seek(0);
            f.write(bytes);
        }
        auto report = Uploader(c->engine->store(), c->http, c->base).run(wallMillis());
        QVERIFY(report.isOk());
        QCOMPARE(report->parked, 1);
        QCOMPARE(uploadState(*c, sha), QStringLiteral("parked"));
        auto status = c->engine->status().value();
        QCOMPARE(status.parkedUploads.size(), std::size_t(1));
        QVERIFY2(status.parkedUploads.front().reason.find("changed since it was imported") != std::string::npos,
                 status.parkedUploads.front().reason.c_str());
    }
};

QTEST_GUILESS_MAIN(TestE2eUpload)
#include "tst_e2e_upload.moc"
