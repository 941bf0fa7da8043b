// The export-xmp job through the real pinholed: `pinholed admin export-xmp NAME --dest DIR`
// queues it, the server's workers write one XMP sidecar per photo of that account (and nobody
// else's) into DIR with progress in DIR/progress.json, exiftool reads the sidecars with the same
// tags, caption, rating and regions, and a second run rewrites nothing that did not change.
// JSON is written with single quotes (see obj()) so moc reads this file.
#include "socialfixture.h"

#include <QDir>
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

QJsonObject exiftoolReads(const QString& file) {
    QProcess p;
    p.start("exiftool", {"-j", "-struct", "-XMP:all", file});
    if (!p.waitForFinished(60'000) || p.exitCode() != 0)
        return {};
    return QJsonDocument::fromJson(p.readAllStandardOutput()).array().first().toObject();
}

QJsonObject readJson(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(f.readAll()).object() : QJsonObject();
}

QStringList sorted(const QJsonValue& v) {
    QStringList out;
    for (const QJsonValue& item : v.toArray())
        out << item.toVariant().toString();
    out.sort();
    return out;
}

bool near(double a, double b) {
    return std::abs(a - b) <= 1e-4;
}

} // namespace

class TestXmpExportJob : public QObject {
    Q_OBJECT
    ServerProcess m_server;
    SocialFixture m_social{m_server};
    QTemporaryDir m_dir;
    QString m_ann, m_first, m_second;

    HttpClient client(const QString& token) { return HttpClient(m_server.baseUrl(), token); }
    int annotate(const QString& asset, const QString& schema, const QString& payload) {
        return client(m_ann)
            .postJson(kApi + "/assets/" + asset + "/annotations", {{"schema", schema}, {"payload", obj(payload)}})
            .status;
    }
    QString shaOf(const QString& asset) {
        return client(m_ann).get(kApi + "/assets/" + asset).json()["sha256"].toString();
    }
    // How many export-xmp jobs have completed (the admin's view of the queue).
    int completedJobs() {
        QString out;
        if (m_server.admin({"jobs", "list", "--queue", "export-xmp", "--state", "completed"}, {}, &out) != 0)
            return -1;
        return static_cast<int>(out.count("completed"));
    }
    QString dest() const { return m_dir.path() + "/ann-xmp"; }

private slots:
    void initTestCase() {
        QVERIFY(m_server.start());
        m_ann = m_social.user("ann");
        m_first = m_social.photo(m_ann);
        m_second = m_social.photo(m_ann);
        QVERIFY(!m_first.isEmpty() && !m_second.isEmpty());
        const QString bob = m_social.user("bob");
        QVERIFY(!m_social.photo(bob).isEmpty()); // not ann's: never in her export
        QCOMPARE(annotate(m_first, "tag", "{'label': 'Places/Norway/Bergen'}"), 201);
        QCOMPARE(annotate(m_first, "tag", "{'label': 'boats'}"), 201);
        QCOMPARE(annotate(m_first, "caption", "{'text': 'Harbour at dawn'}"), 201);
        QCOMPARE(annotate(m_first, "rating", "{'value': 5}"), 201);
        QCOMPARE(annotate(m_first, "region",
                          "{'box': {'x': 0.125, 'y': 0.25, 'w': 0.5, 'h': 0.25}, 'kind': 'face', 'label': 'Ann'}"),
                 201);
        QCOMPARE(annotate(m_second, "tag", "{'label': 'sunset'}"), 201);
    }
    void cleanupTestCase() { QCOMPARE(m_server.stop(), 0); }

    void theJobWritesASidecarPerPhotoThatExiftoolReads() {
        QString out;
        QCOMPARE(m_server.admin({"export-xmp", "ann", "--dest", dest()}, {}, &out), 0);
        QVERIFY2(out.contains("queued export-xmp job"), qPrintable(out));
        QTRY_COMPARE_WITH_TIMEOUT(completedJobs(), 1, 30000);

        const QJsonObject progress = readJson(dest() + "/progress.json");
        QCOMPARE(progress["finished"].toBool(), true);
        QCOMPARE(progress["done"].toInt(), 2);
        QCOMPARE(progress["total"].toInt(), 2);
        QCOMPARE(progress["written"].toInt(), 2);
        QStringList expected{shaOf(m_first) + ".xmp", shaOf(m_second) + ".xmp"};
        expected.sort();
        QCOMPARE(QDir(dest()).entryList({"*.xmp"}, QDir::Files, QDir::Name), expected); // bob's photo is not there

        const QJsonObject got = exiftoolReads(dest() + "/" + shaOf(m_first) + ".xmp");
        QCOMPARE(sorted(got["HierarchicalSubject"]), QStringList({"Places|Norway|Bergen", "boats"}));
        QCOMPARE(sorted(got["Subject"]), QStringList({"Bergen", "boats"}));
        QCOMPARE(got["Description"].toString(), QString("Harbour at dawn"));
        QCOMPARE(got["Rating"].toInt(), 5);
        const QJsonArray regions = got["RegionInfo"].toObject()["RegionList"].toArray();
        QCOMPARE(regions.size(), 1);
        const QJsonObject region = regions.first().toObject();
        QCOMPARE(region["Name"].toString(), QString("Ann"));
        QCOMPARE(region["Type"].toString(), QString("Face"));
        const QJsonObject area = region["Area"].toObject();
        QVERIFY(near(area["X"].toDouble(), 0.375)); // centre-based: x + w/2
        QVERIFY(near(area["Y"].toDouble(), 0.375));
        QVERIFY(near(area["W"].toDouble(), 0.5));
        QVERIFY(near(area["H"].toDouble(), 0.25));
        QCOMPARE(sorted(exiftoolReads(dest() + "/" + shaOf(m_second) + ".xmp")["Subject"]), QStringList({"sunset"}));
    }

    void aSecondRunRewritesOnlyWhatChanged() {
        QCOMPARE(m_server.admin({"export-xmp", "ann", "--dest", dest()}), 0);
        QTRY_COMPARE_WITH_TIMEOUT(completedJobs(), 2, 30000);
        QJsonObject progress = readJson(dest() + "/progress.json");
        QCOMPARE(progress["written"].toInt(), 0);
        QCOMPARE(progress["unchanged"].toInt(), 2);

        QCOMPARE(annotate(m_second, "tag", "{'label': 'beach'}"), 201);
        QCOMPARE(m_server.admin({"export-xmp", "ann", "--dest", dest()}), 0);
        QTRY_COMPARE_WITH_TIMEOUT(completedJobs(), 3, 30000);
        progress = readJson(dest() + "/progress.json");
        QCOMPARE(progress["written"].toInt(), 1);
        QCOMPARE(progress["unchanged"].toInt(), 1);
        QCOMPARE(sorted(exiftoolReads(dest() + "/" + shaOf(m_second) + ".xmp")["Subject"]),
                 QStringList({"beach", "sunset"}));
    }

    void anUnknownAccountIsRefused() {
        QString out;
        QVERIFY(m_server.admin({"export-xmp", "nobody", "--dest", dest()}, {}, &out) != 0);
        QVERIFY2(out.contains("no account nobody"), qPrintable(out));
    }
};

QTEST_GUILESS_MAIN(TestXmpExportJob)
#include "tst_e2e_xmpexport.moc"
