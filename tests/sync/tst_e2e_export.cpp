// pinhole-cli export and import-export between two real pinholed: an account exported from
// server A (photos, titles, albums in order, annotations, posts with comments, profile) and
// imported into a fresh account on server B reads the same on B; the originals in the export
// are byte-identical; an export continues after a kill or a partial download; an import run
// twice, or killed and run again, or into the account it came from, creates nothing twice.
#include "core/digest.h"
#include "httpclient.h"
#include "serverprocess.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMap>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using pinhole::test::HttpClient;
using pinhole::test::ServerProcess;

namespace {
const QString kPassword = QStringLiteral("correct horse battery staple");

struct Run {
    int exitCode = -1;
    QString out, err;
};

QString makeJpeg(const QString& dir, const QString& name, int w = 96, int h = 64) {
    QDir().mkpath(dir);
    const QString path = dir + "/" + name;
    QProcess p;
    p.start(QStandardPaths::findExecutable("vips"),
            {"gaussnoise", path + "[Q=95]", QString::number(w), QString::number(h)});
    return p.waitForFinished(60000) && p.exitCode() == 0 ? path : QString();
}

QString sha256Of(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash h(QCryptographicHash::Sha256);
    h.addData(&f);
    return QString::fromLatin1(h.result().toHex());
}

QString compact(const QJsonValue& v) {
    return v.isObject() ? QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact)) : v.toString();
}

// What the tests compare between the two servers, keyed by content (SHA-256), never by ids.
struct AccountView {
    QMap<QString, QJsonObject> assets;       // sha -> asset
    QMap<QString, QStringList> annotations;  // sha -> sorted "schema payload"
    QMap<QString, QStringList> albumMembers; // album name -> member shas in order
    QMap<QString, QString> albumCovers;      // album name -> cover sha
    QStringList posts;                       // oldest first: "caption | sha sha"
    QMap<QString, QStringList> comments;     // post caption -> "author: text" in order
    QString displayName, note;
};

AccountView viewOf(const QString& baseUrl, const QString& token) {
    AccountView v;
    HttpClient http(baseUrl, token);
    const QJsonObject me = http.get("/api/v1/accounts/verify_credentials").json();
    v.displayName = me.value("display_name").toString();
    v.note = me.value("source").toObject().value("note").toString();
    QMap<QString, QString> shaById;
    for (const auto& a : http.get("/api/pinhole/v1/assets?limit=200").json().value("assets").toArray()) {
        const QJsonObject asset = a.toObject();
        v.assets.insert(asset.value("sha256").toString(), asset);
        shaById.insert(asset.value("id").toString(), asset.value("sha256").toString());
        QStringList notes;
        for (const auto& n :
             http.get("/api/pinhole/v1/assets/" + asset.value("id").toString() + "/annotations").jsonArray())
            notes << n.toObject().value("schema").toString() + " " + compact(n.toObject().value("payload"));
        notes.sort();
        v.annotations.insert(asset.value("sha256").toString(), notes);
    }
    for (const auto& a : http.get("/api/pinhole/v1/albums").json().value("albums").toArray()) {
        const QJsonObject album = a.toObject();
        QStringList members;
        for (const auto& m :
             http.get("/api/pinhole/v1/assets?album=" + album.value("id").toString()).json().value("assets").toArray())
            members << m.toObject().value("sha256").toString();
        v.albumMembers.insert(album.value("name").toString(), members);
        v.albumCovers.insert(album.value("name").toString(), shaById.value(album.value("cover_asset_id").toString()));
    }
    const QJsonArray statuses =
        http.get("/api/v1/accounts/" + me.value("id").toString() + "/statuses?exclude_replies=true&limit=40")
            .jsonArray();
    for (qsizetype i = statuses.size() - 1; i >= 0; --i) {
        const QJsonObject s = statuses.at(i).toObject();
        QStringList shas;
        for (const auto& m : s.value("media_attachments").toArray())
            shas << shaById.value(m.toObject().value("id").toString());
        v.posts << s.value("text").toString() + " | " + shas.join(' ');
        QStringList comments;
        for (const auto& c : http.get("/api/v1/statuses/" + s.value("id").toString() + "/context")
                                 .json()
                                 .value("descendants")
                                 .toArray())
            comments << c.toObject().value("account").toObject().value("acct").toString() + ": " +
                            c.toObject().value("text").toString();
        v.comments.insert(s.value("text").toString(), comments);
    }
    return v;
}

QString reason(const Run& r) {
    return "exit " + QString::number(r.exitCode) + "\nstdout: " + r.out + "\nstderr: " + r.err;
}
} // namespace

class TestE2eExport : public QObject {
    Q_OBJECT
    ServerProcess m_a{"[auth]\nlogin_attempts_per_address = 1000\n"};
    ServerProcess m_b{"[auth]\nlogin_attempts_per_address = 1000\n"};
    QTemporaryDir m_dir;
    QString m_profileA, m_profileB, m_export;
    QStringList m_shas; // alice's photos on A, in the order made

    Run cli(const QString& profile, const QStringList& args, const QByteArray& input = {}) {
        QProcess p;
        p.start(PINHOLE_CLI_PATH, QStringList{"--profile", profile} + args);
        p.waitForStarted();
        p.write(input);
        p.closeWriteChannel();
        p.waitForFinished(300000);
        return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
                QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
    }
    QString login(const ServerProcess& server, const QString& name) {
        const QString profile = m_dir.path() + "/profile-" + name + "-" + QString::number(server.pid());
        const Run r = cli(profile, {"login", server.baseUrl(), "alice", "--password-stdin"}, kPassword.toUtf8() + "\n");
        return r.exitCode == 0 ? profile : QString();
    }
    QString token(const ServerProcess& server, const QString& user = "alice") {
        return HttpClient(server.baseUrl()).login(user, kPassword);
    }

private slots:
    // Alice's account on A: four photos (one big enough to take several ranges), a title and a
    // favourite, two albums in a chosen order with a cover, annotations of four schemas, two
    // posts, her own comment and Bob's, and a profile.
    void initTestCase() {
        QVERIFY(QFile::exists(PINHOLE_CLI_PATH));
        QVERIFY(m_a.start());
        QVERIFY(m_b.start());
        QVERIFY(m_a.createUser("alice", kPassword));
        QVERIFY(m_a.createUser("bob", kPassword));
        QVERIFY(m_b.createUser("alice", kPassword));
        m_profileA = login(m_a, "a");
        m_profileB = login(m_b, "b");
        QVERIFY(!m_profileA.isEmpty());
        QVERIFY(!m_profileB.isEmpty());

        const QString photos = m_dir.path() + "/photos";
        for (int i = 0; i < 3; ++i)
            QVERIFY(!makeJpeg(photos, QString("p%1.jpg").arg(i), 120 + i, 80).isEmpty());
        QVERIFY(!makeJpeg(photos, "big.jpg", 4000, 3000).isEmpty()); // > 8 MiB: several ranges
        for (const char* name : {"p0.jpg", "p1.jpg", "p2.jpg", "big.jpg"})
            m_shas << sha256Of(photos + "/" + name);
        const Run imported = cli(m_profileA, {"import", photos});
        QVERIFY2(imported.exitCode == 0, qPrintable(reason(imported)));

        HttpClient http(m_a.baseUrl(), token(m_a));
        QMap<QString, QString> idOf;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                idOf.clear();
                bool ready = true;
                for (const auto& a : http.get("/api/pinhole/v1/assets").json().value("assets").toArray()) {
                    idOf.insert(a.toObject().value("sha256").toString(), a.toObject().value("id").toString());
                    ready = ready && a.toObject().value("state").toString() == "ready";
                }
                return ready && idOf.size() == 4;
            }(),
            120000);
        const QString p0 = idOf[m_shas[0]], p1 = idOf[m_shas[1]], p2 = idOf[m_shas[2]], big = idOf[m_shas[3]];

        QCOMPARE(http.patchJson("/api/pinhole/v1/assets/" + p0,
                                {{"title", "Harbour"}, {"description", "At dawn"}, {"favourite", true}})
                     .status,
                 200);
        QCOMPARE(
            http.patchJson("/api/v1/accounts/update_credentials", {{"display_name", "Alice A."}, {"note", "Hello"}})
                .status,
            200);

        // Albums: "Alps" holds big, p0, p2 in that order (added in another order, then moved).
        const QString alps = http.postJson("/api/pinhole/v1/albums", {{"name", "Alps"}, {"description", "Summer"}})
                                 .json()
                                 .value("id")
                                 .toString();
        QCOMPARE(http.postJson("/api/pinhole/v1/albums/" + alps + "/assets", {{"asset_ids", QJsonArray{p0, p2, big}}})
                     .status,
                 200);
        QCOMPARE(http.patchJson("/api/pinhole/v1/albums/" + alps + "/assets/" + big, {{"position", 0}}).status, 200);
        QCOMPARE(http.patchJson("/api/pinhole/v1/albums/" + alps, {{"cover_asset_id", p2}}).status, 200);
        const QString sea = http.postJson("/api/pinhole/v1/albums", {{"name", "Sea"}}).json().value("id").toString();
        QCOMPARE(http.postJson("/api/pinhole/v1/albums/" + sea + "/assets", {{"asset_ids", QJsonArray{p1}}}).status,
                 200);

        auto annotate = [&](const QString& asset, const QString& schema, const QJsonObject& payload) {
            return http
                .postJson("/api/pinhole/v1/assets/" + asset + "/annotations",
                          {{"schema", schema}, {"payload", payload}})
                .status;
        };
        QCOMPARE(annotate(p0, "tag", {{"label", "places/Norway/Bergen"}}), 201);
        QCOMPARE(annotate(p0, "tag", {{"label", "boats"}}), 201);
        QCOMPARE(annotate(p0, "caption", {{"text", "Fishing boats at dawn"}}), 201);
        QCOMPARE(annotate(p1, "region",
                          {{"box", QJsonObject{{"x", 0.25}, {"y", 0.125}, {"w", 0.5}, {"h", 0.25}}},
                           {"kind", "face"},
                           {"label", "Ann"}}),
                 201);
        QCOMPARE(annotate(big, "rating", {{"value", 4}}), 201);

        auto post = [&](const QString& text, const QJsonArray& media) {
            return http.postJson("/api/v1/statuses", {{"status", text}, {"media_ids", media}, {"visibility", "public"}})
                .json()
                .value("id")
                .toString();
        };
        const QString first = post("Bergen mornings #boats", {p0, p1});
        QVERIFY(!first.isEmpty());
        QVERIFY(!post("The big one", {big}).isEmpty());
        QCOMPARE(http.postJson("/api/v1/statuses", {{"status", "More soon"}, {"in_reply_to_id", first}}).status, 200);
        HttpClient bob(m_a.baseUrl(), token(m_a, "bob"));
        QCOMPARE(bob.postJson("/api/v1/statuses", {{"status", "Lovely!"}, {"in_reply_to_id", first}}).status, 200);

        m_export = m_dir.path() + "/export";
    }

    void exportWritesByteIdenticalOriginalsSidecarsAndJson() {
        const Run r = cli(m_profileA, {"export", m_export});
        QVERIFY2(r.exitCode == 0, qPrintable(reason(r)));
        QVERIFY2(r.out.contains("exported 4 photos (4 downloaded"), qPrintable(r.out));
        QVERIFY2(r.err.contains("originals 4/4"), qPrintable(r.err)); // progress on stderr

        const QJsonObject manifest = [&] {
            QFile f(m_export + "/manifest.json");
            return f.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(f.readAll()).object() : QJsonObject();
        }();
        QCOMPARE(manifest.value("format").toString(), QString("pinhole-export"));
        QCOMPARE(manifest.value("version").toInt(), 1);
        QCOMPARE(manifest.value("complete").toBool(), true);
        for (const QString& sha : m_shas)
            QCOMPARE(sha256Of(m_export + "/originals/" + sha + ".jpg"), sha);
        // A sidecar for each annotated photo (p2 has no annotation: no empty sidecar).
        for (const int i : {0, 1, 3})
            QVERIFY2(QFile::exists(m_export + "/originals/" + m_shas[i] + ".jpg.xmp"), qPrintable(m_shas[i]));
        QVERIFY(!QFile::exists(m_export + "/originals/" + m_shas[2] + ".jpg.xmp"));
        QFile sidecar(m_export + "/originals/" + m_shas[0] + ".jpg.xmp");
        QVERIFY(sidecar.open(QIODevice::ReadOnly));
        const QByteArray xmp = sidecar.readAll();
        QVERIFY2(xmp.contains("Bergen") && xmp.contains("Fishing boats at dawn"), xmp.constData());
        // Nothing half-written is left behind.
        QDirIterator it(m_export, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            QVERIFY2(!path.endsWith(".part") && !path.endsWith(".tmp"), qPrintable(path));
        }
    }

    void aSecondExportContinuesAPartialOriginalFromWhereItStopped() {
        // The state a kill in the middle of the big original leaves: its first 8 MiB in a
        // .part file, no finished file, no manifest.
        const QString sha = m_shas[3];
        const QString original = m_export + "/originals/" + sha + ".jpg";
        const qint64 size = QFileInfo(original).size();
        constexpr qint64 kHead = 8 << 20;
        QVERIFY(size > kHead);
        QVERIFY(QFile::rename(original, m_export + "/originals/" + sha + ".part"));
        QVERIFY(QFile::resize(m_export + "/originals/" + sha + ".part", kHead));
        QVERIFY(QFile::remove(m_export + "/manifest.json"));

        const Run r = cli(m_profileA, {"export", m_export});
        QVERIFY2(r.exitCode == 0, qPrintable(reason(r)));
        // Only the missing tail was fetched; the other three were kept (their hashes checked).
        QVERIFY2(r.out.contains(QString("(1 downloaded, 3 already in %1, %2 bytes)").arg(m_export).arg(size - kHead)),
                 qPrintable(r.out));
        QCOMPARE(sha256Of(original), sha);
        QVERIFY(QFile::exists(m_export + "/manifest.json"));
    }

    void anExportKilledMidwayFinishesOnTheNextRun() {
        const QString dir = m_dir.path() + "/killed-export";
        QProcess p;
        p.start(PINHOLE_CLI_PATH, {"--profile", m_profileA, "export", dir});
        QVERIFY(p.waitForStarted());
        // Killed as soon as the first original lands (or the run ended first: then the next run
        // has nothing to fetch, and the end state must be the same).
        QTRY_VERIFY_WITH_TIMEOUT(!QDir(dir + "/originals").entryList({"*.jpg", "*.part"}, QDir::Files).isEmpty() ||
                                     p.state() == QProcess::NotRunning,
                                 60000);
        p.kill();
        p.waitForFinished();
        const Run r = cli(m_profileA, {"export", dir});
        QVERIFY2(r.exitCode == 0, qPrintable(reason(r)));
        for (const QString& sha : m_shas)
            QCOMPARE(sha256Of(dir + "/originals/" + sha + ".jpg"), sha);
        QVERIFY(QFile::exists(dir + "/manifest.json"));
    }

    void importExportRecreatesTheAccountOnAnotherServer() {
        const Run r = cli(m_profileB, {"import-export", m_export});
        QVERIFY2(r.exitCode == 0, qPrintable(reason(r)));
        QVERIFY2(r.out.contains(
                     "imported 4 photos (4 uploaded, 0 already here, 0 restored from the trash), 2 albums created"),
                 qPrintable(r.out));

        const AccountView a = viewOf(m_a.baseUrl(), token(m_a));
        const AccountView b = viewOf(m_b.baseUrl(), token(m_b));
        QCOMPARE(b.assets.keys(), a.assets.keys()); // the same bytes
        QCOMPARE(QSet<QString>(b.assets.keyBegin(), b.assets.keyEnd()), QSet<QString>(m_shas.begin(), m_shas.end()));
        for (const QString& sha : m_shas) {
            for (const char* field : {"title", "description", "favourite"})
                QCOMPARE(b.assets[sha].value(field), a.assets[sha].value(field));
        }
        QCOMPARE(b.annotations, a.annotations);
        QCOMPARE(b.annotations[m_shas[0]].size(), 3);
        QCOMPARE(b.albumMembers, a.albumMembers);
        QCOMPARE(b.albumMembers["Alps"], (QStringList{m_shas[3], m_shas[0], m_shas[2]}));
        QCOMPARE(b.albumCovers, a.albumCovers);
        QCOMPARE(b.posts, a.posts);
        QCOMPARE(b.posts.size(), 2);
        QCOMPARE(b.displayName, QString("Alice A."));
        QCOMPARE(b.note, a.note);
        // Her own comment comes back; Bob's cannot be written in his name.
        QCOMPARE(b.comments["Bergen mornings #boats"], QStringList{"alice: More soon"});
        QCOMPARE(a.comments["Bergen mornings #boats"], (QStringList{"alice: More soon", "bob: Lovely!"}));
    }

    void importExportTwiceCreatesNothingTwice() {
        const AccountView before = viewOf(m_b.baseUrl(), token(m_b));
        const Run r = cli(m_profileB, {"import-export", m_export});
        QVERIFY2(r.exitCode == 0, qPrintable(reason(r)));
        QVERIFY2(r.out.contains("(0 uploaded, 4 already here, 0 restored from the trash), 0 albums created, 0 updated"),
                 qPrintable(r.out));
        QVERIFY2(r.out.contains("0 posts created (2 already here), 0 comments created"), qPrintable(r.out));
        const AccountView after = viewOf(m_b.baseUrl(), token(m_b));
        QCOMPARE(after.assets.keys(), before.assets.keys());
        QCOMPARE(after.annotations, before.annotations);
        QCOMPARE(after.albumMembers, before.albumMembers);
        QCOMPARE(after.posts, before.posts);
        QCOMPARE(after.comments, before.comments);
    }

    void aPhotoTrashedOnTheTargetIsRestoredByTheImport() {
        HttpClient http(m_b.baseUrl(), token(m_b));
        QString id;
        for (const auto& a : http.get("/api/pinhole/v1/assets").json().value("assets").toArray())
            if (a.toObject().value("sha256").toString() == m_shas[2]) // in an album, in no post
                id = a.toObject().value("id").toString();
        QVERIFY(!id.isEmpty());
        QCOMPARE(http.send("DELETE", "/api/pinhole/v1/assets/" + id).status, 200);
        const Run r = cli(m_profileB, {"import-export", m_export});
        QVERIFY2(r.exitCode == 0, qPrintable(reason(r)));
        QVERIFY2(r.out.contains("(0 uploaded, 4 already here, 1 restored from the trash)"), qPrintable(r.out));
        QVERIFY(http.get("/api/pinhole/v1/assets/" + id).json().value("trashed_at").isNull());
        QCOMPARE(viewOf(m_b.baseUrl(), token(m_b)).albumMembers, viewOf(m_a.baseUrl(), token(m_a)).albumMembers);
    }

    void importIntoTheSourceAccountDuplicatesNothing() {
        const AccountView before = viewOf(m_a.baseUrl(), token(m_a));
        const Run r = cli(m_profileA, {"import-export", m_export});
        QVERIFY2(r.exitCode == 0, qPrintable(reason(r)));
        QVERIFY2(r.out.contains("(0 uploaded, 4 already here, 0 restored from the trash), 0 albums created, 0 updated, "
                                "0 annotations, 0 posts created (2 already here), 0 comments created"),
                 qPrintable(r.out));
        const AccountView after = viewOf(m_a.baseUrl(), token(m_a));
        QCOMPARE(after.assets.keys(), before.assets.keys());
        QCOMPARE(after.annotations, before.annotations);
        QCOMPARE(after.albumMembers, before.albumMembers);
        QCOMPARE(after.posts, before.posts);
        QCOMPARE(after.comments, before.comments);
    }

    void anImportKilledMidwayFinishesOnTheNextRunWithNothingTwice() {
        ServerProcess c{"[auth]\nlogin_attempts_per_address = 1000\n"};
        QVERIFY(c.start());
        QVERIFY(c.createUser("alice", kPassword));
        const QString profile = login(c, "c");
        QVERIFY(!profile.isEmpty());
        HttpClient http(c.baseUrl(), token(c));
        QProcess p;
        p.start(PINHOLE_CLI_PATH, {"--profile", profile, "import-export", m_export});
        QVERIFY(p.waitForStarted());
        // Killed once the first photo is on C (or, if the run ended first, not at all: the end
        // state must be the same either way).
        QTRY_VERIFY_WITH_TIMEOUT(!http.get("/api/pinhole/v1/assets").json().value("assets").toArray().isEmpty() ||
                                     p.state() == QProcess::NotRunning,
                                 120000);
        p.kill();
        p.waitForFinished();
        const Run r = cli(profile, {"import-export", m_export});
        QVERIFY2(r.exitCode == 0, qPrintable(reason(r)));
        const AccountView a = viewOf(m_a.baseUrl(), token(m_a));
        const AccountView got = viewOf(c.baseUrl(), token(c));
        QCOMPARE(got.assets.keys(), a.assets.keys());
        QCOMPARE(got.annotations, a.annotations);
        QCOMPARE(got.albumMembers, a.albumMembers);
        QCOMPARE(got.posts, a.posts); // each post once
        QCOMPARE(got.comments["Bergen mornings #boats"], QStringList{"alice: More soon"});
    }

    void importExportRefusesAFolderThatIsNoExport() {
        const QString empty = m_dir.path() + "/not-an-export";
        QVERIFY(QDir().mkpath(empty));
        const Run r = cli(m_profileB, {"import-export", empty});
        QCOMPARE(r.exitCode, 5);
        QVERIFY2(r.err.contains("manifest.json"), qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestE2eExport)
#include "tst_e2e_export.moc"
