// `pinholed admin backup|restore|check` against the real server: a backup taken while uploads
// keep arriving restores into a fresh data directory that checks clean, serves every upload
// acknowledged before the backup began, byte for byte, and finishes the processing it had
// queued; check finds a flipped byte and a deleted file; damaged backups and non-empty targets
// are refused without writing anything.
#include "httpclient.h"
#include "serverprocess.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using pinhole::test::HttpClient;
using pinhole::test::ServerProcess;

namespace {

const QString kPassword = QStringLiteral("correct horse battery staple");

QByteArray sha256Hex(const QByteArray& data) {
    return QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex();
}

QByteArray readFile(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Flips one bit in the middle of a file.
bool flipAByte(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadWrite) || f.size() == 0)
        return false;
    const qint64 at = f.size() / 2;
    f.seek(at);
    char c = 0;
    f.getChar(&c);
    f.seek(at);
    return f.putChar(char(c ^ 0x01));
}

// Every file under `dir` whose path contains `part`.
QStringList filesUnder(const QString& dir, const QString& part) {
    QStringList found;
    QDirIterator it(dir, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        if (path.contains(part))
            found << path;
    }
    return found;
}

} // namespace

class TestBackup : public QObject {
    Q_OBJECT
    ServerProcess m_source;
    QTemporaryDir m_dir;
    QString m_token;
    QString m_photo;
    QStringList m_ackedBeforeBackup; // media ids answered before the backup started
    QString m_backup;

    // Media ids the load script has been answered for so far (one per line).
    QStringList acknowledged() const {
        QStringList ids;
        for (const QByteArray& line : readFile(m_dir.filePath("acked.txt")).split('\n'))
            if (const QString id = QJsonDocument::fromJson(line).object()["id"].toString(); !id.isEmpty())
                ids << id;
        return ids;
    }

private slots:
    void initTestCase() {
        QVERIFY(m_source.start());
        QVERIFY(m_source.createUser("ada", kPassword));
        m_token = HttpClient(m_source.baseUrl()).login("ada", kPassword);
        QVERIFY(!m_token.isEmpty());
        m_photo = m_dir.filePath("photo.jpg");
        QProcess vips;
        vips.start(QStandardPaths::findExecutable("vips"), {"gaussnoise", m_photo, "800", "600"});
        QVERIFY(vips.waitForFinished(60000) && vips.exitCode() == 0);
        m_backup = m_dir.filePath("backup");
    }
    void cleanupTestCase() { QCOMPARE(m_source.stop(), 0); }

    void backupDuringUploadsRestoresWhatWasAcknowledged() {
        // The load: distinct photos (a counter appended to the JPEG) posted one after another
        // until the stop file appears; each answer is a line of acked.txt.
        QProcess load;
        load.setWorkingDirectory(m_dir.path());
        load.setProgram("bash");
        load.setArguments({"-c", R"(i=0; while [ ! -e stop ]; do i=$((i+1)); { cat photo.jpg; echo "$i"; } > up.jpg
                                curl -sf -H "Authorization: Bearer $TOKEN" -F file=@up.jpg "$URL/api/v2/media" >> acked.txt
                                echo >> acked.txt; done)"});
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("TOKEN", m_token);
        env.insert("URL", m_source.baseUrl());
        load.setProcessEnvironment(env);
        load.start();
        QVERIFY(load.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(acknowledged().size() >= 3, 60000);

        m_ackedBeforeBackup = acknowledged();
        QString out;
        QCOMPARE(m_source.admin({"backup", m_backup}, {}, &out), 0);
        QVERIFY2(out.contains("backed up"), qPrintable(out));
        // The load is still running: the backup was taken under writes.
        QTRY_VERIFY_WITH_TIMEOUT(acknowledged().size() > m_ackedBeforeBackup.size(), 60000);
        QFile(m_dir.filePath("stop")).open(QIODevice::WriteOnly);
        QVERIFY(load.waitForFinished(60000));

        ServerProcess restored;
        QCOMPARE(restored.admin({"restore", m_backup}, {}, &out), 0);
        QVERIFY2(out.contains("restored"), qPrintable(out));
        QCOMPARE(restored.admin({"check"}, {}, &out), 0);
        QVERIFY2(out.contains("no problems"), qPrintable(out));
        QVERIFY(restored.start());

        // Same account, same password; every acknowledged upload is there, byte for byte, and
        // the processing queued in the backup completes.
        HttpClient source(m_source.baseUrl(), m_token);
        HttpClient copy(restored.baseUrl(), HttpClient(restored.baseUrl()).login("ada", kPassword));
        for (const QString& id : m_ackedBeforeBackup) {
            QJsonObject media;
            QTRY_VERIFY_WITH_TIMEOUT(!(media = copy.get("/api/v1/media/" + id).json())["url"].isNull(), 60000);
            const auto original = copy.get("/media/" + id + "/original");
            QCOMPARE(original.status, 200);
            QCOMPARE(sha256Hex(original.body), sha256Hex(source.get("/media/" + id + "/original").body));
        }
        // Uploads answered after the backup began may or may not be in it (206: still being
        // processed); once the copy has worked through its queue it still checks clean.
        const QStringList all = acknowledged();
        for (const QString& id : all) {
            const int status = copy.get("/api/v1/media/" + id).status;
            QVERIFY2(status == 200 || status == 206 || (status == 404 && !m_ackedBeforeBackup.contains(id)),
                     qPrintable(id + ": " + QString::number(status)));
        }
        QCOMPARE(restored.admin({"check"}, {}, &out), 0);
        QVERIFY2(out.contains("no problems"), qPrintable(out));
        QCOMPARE(restored.stop(), 0);
    }

    void checkFindsAFlippedByteAndADeletedFile() {
        QString out;
        QCOMPARE(m_source.admin({"check"}, {}, &out), 0);
        QVERIFY2(out.contains("no problems"), qPrintable(out));

        const QStringList originals = filesUnder(m_source.dataDir() + "/media/originals", "");
        const QStringList thumbs = filesUnder(m_source.dataDir() + "/media/derived", "thumb.jpg");
        QVERIFY(originals.size() >= 2 && !thumbs.isEmpty());
        QVERIFY(flipAByte(originals.first()));
        QVERIFY(QFile::remove(thumbs.first()));

        QCOMPARE(m_source.admin({"check"}, {}, &out), 1);
        const QString corrupt = QDir(m_source.dataDir()).relativeFilePath(originals.first());
        const QString missing = QDir(m_source.dataDir()).relativeFilePath(thumbs.first());
        QVERIFY2(out.contains("corrupt " + corrupt + ": its SHA-256 is "), qPrintable(out));
        QVERIFY2(out.contains("missing " + missing), qPrintable(out));
        QVERIFY2(out.contains("2 problems"), qPrintable(out));

        // A backup of a damaged data directory says so and is left without a manifest.
        const QString second = m_dir.filePath("backup-of-damaged");
        QCOMPARE(m_source.admin({"backup", second}, {}, &out), 1);
        QVERIFY2(out.contains(corrupt) && out.contains(missing), qPrintable(out));
        QVERIFY(!QFile::exists(second + "/MANIFEST.json"));
    }

    void restoreRefusesADamagedBackupOrANonEmptyTarget() {
        QString out;
        ServerProcess occupied;
        QVERIFY(QDir().mkpath(occupied.dataDir()));
        QFile(occupied.dataDir() + "/something").open(QIODevice::WriteOnly);
        QCOMPARE(occupied.admin({"restore", m_backup}, {}, &out), 1);
        QVERIFY2(out.contains("is not empty"), qPrintable(out));

        QVERIFY(flipAByte(filesUnder(m_backup + "/media/originals", "").first()));
        ServerProcess target;
        QCOMPARE(target.admin({"restore", m_backup}, {}, &out), 1);
        QVERIFY2(out.contains("damaged; nothing was restored") && out.contains("corrupt media/originals/"),
                 qPrintable(out));
        QVERIFY(!QFile::exists(target.dataDir() + "/pinhole.db"));

        QCOMPARE(m_source.admin({"backup", m_backup}, {}, &out), 1);
        QVERIFY2(out.contains("is not empty"), qPrintable(out));
    }
};

QTEST_GUILESS_MAIN(TestBackup)
#include "tst_e2e_backup.moc"
