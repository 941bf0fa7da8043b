// Local import with no server at all: files join the library at once, the same bytes are one
// asset (also from two folders), what is not an image is skipped, each new asset's upload is
// queued, and --album puts every file into one album with an outbox operation per change.
#include "core/digest.h"
#include "library/library.h"
#include "outbox/outbox.h"
#include "store/localstore.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace pinhole::sync;

namespace {
// Bytes that start like a JPEG (the importer judges by the bytes); `salt` makes them unique.
QByteArray fakeJpeg(const QByteArray& salt) {
    return QByteArray::fromHex("ffd8ffe000104a464946") + salt + QByteArray::fromHex("ffd9");
}

void writeFile(const QString& path, const QByteArray& bytes) {
    QDir().mkpath(QFileInfo(path).path());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}

int count(store::LocalStore& s, const char* sql) {
    auto q = s.db().prepare(sql);
    return q.step().value() ? static_cast<int>(q.int64(0)) : -1;
}
} // namespace

class TestImport : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::unique_ptr<store::LocalStore> m_store;
    std::uint64_t m_wall = 1'000'000;
    HybridLogicalClock m_clock{[this] { return m_wall; }};

private slots:
    void init() {
        QFile::remove(m_dir.path() + "/lib.db");
        auto s = store::LocalStore::open((m_dir.path() + "/lib.db").toStdString());
        QVERIFY(s.isOk());
        m_store = std::move(*s);
    }

    void theSameFileInTwoFoldersIsOneAsset() {
        const QString root = m_dir.path() + "/two";
        writeFile(root + "/a/photo.jpg", fakeJpeg("same"));
        writeFile(root + "/b/copy-of-photo.jpg", fakeJpeg("same"));
        writeFile(root + "/b/other.jpg", fakeJpeg("other"));
        Library library(*m_store, m_clock);

        auto report = library.importPath(root.toStdString());
        QVERIFY(report.isOk());
        QCOMPARE(report->files, 3);
        QCOMPARE(report->newAssets, 2);
        QCOMPARE(report->duplicates, 1);

        auto assets = library.assets();
        QVERIFY(assets.isOk());
        QCOMPARE(assets->size(), std::size_t(2));
        const std::string sameSha = sha256Hex(fakeJpeg("same").toStdString());
        auto same = library.asset(sameSha);
        QVERIFY(same.isOk() && same->has_value());
        QCOMPARE((*same)->files.size(), std::size_t(2)); // both places are remembered
        QCOMPARE((*same)->size, fakeJpeg("same").size());
    }

    void importingAgainAddsNothing() {
        const QString root = m_dir.path() + "/again";
        writeFile(root + "/x.jpg", fakeJpeg("again-x"));
        Library library(*m_store, m_clock);
        QVERIFY(library.importPath(root.toStdString()).isOk());
        auto second = library.importPath(root.toStdString());
        QVERIFY(second.isOk());
        QCOMPARE(second->newAssets, 0);
        QCOMPARE(second->duplicates, 1);
        QCOMPARE(count(*m_store, "SELECT count(*) FROM assets"), 1);
        QCOMPARE(count(*m_store, "SELECT count(*) FROM uploads"), 1);
    }

    void filesThatAreNotImagesAreSkipped() {
        const QString root = m_dir.path() + "/mixed";
        writeFile(root + "/notes.txt", "hello");
        writeFile(root + "/fake.jpg", "not really a jpeg");
        writeFile(root + "/real.jpg", fakeJpeg("mixed-real"));
        Library library(*m_store, m_clock);
        auto report = library.importPath(root.toStdString());
        QVERIFY(report.isOk());
        QCOMPARE(report->skipped, 2);
        QCOMPARE(report->newAssets, 1);
    }

    void eachNewAssetQueuesOneUpload() {
        const QString root = m_dir.path() + "/queue";
        for (int i = 0; i < 3; ++i)
            writeFile(root + QString("/%1.jpg").arg(i), fakeJpeg("queue" + QByteArray::number(i)));
        Library library(*m_store, m_clock);
        QVERIFY(library.importPath(root.toStdString()).isOk());
        QCOMPARE(count(*m_store, "SELECT count(*) FROM uploads WHERE state = 'pending'"), 3);
    }

    void progressReportsEveryFile() {
        const QString root = m_dir.path() + "/progress";
        for (int i = 0; i < 4; ++i)
            writeFile(root + QString("/%1.jpg").arg(i), fakeJpeg("progress" + QByteArray::number(i)));
        Library library(*m_store, m_clock);
        std::vector<int> seen;
        QVERIFY(library
                    .importPath(root.toStdString(), {},
                                [&](const ImportProgress& p) {
                                    QCOMPARE(p.total, 4);
                                    seen.push_back(p.done);
                                })
                    .isOk());
        QCOMPARE(seen, (std::vector<int>{1, 2, 3, 4}));
    }

    void anAlbumCollectsTheImportAndQueuesItsOperations() {
        const QString root = m_dir.path() + "/album";
        writeFile(root + "/1.jpg", fakeJpeg("album1"));
        writeFile(root + "/2.jpg", fakeJpeg("album2"));
        Library library(*m_store, m_clock);
        QVERIFY(library.importPath(root.toStdString(), std::string("Holidays")).isOk());
        QVERIFY(library.importPath(root.toStdString(), std::string("Holidays")).isOk());
        auto albums = library.albums();
        QVERIFY(albums.isOk());
        QCOMPARE(albums->size(), std::size_t(1));
        QCOMPARE(albums->front().name, std::string("Holidays"));
        QCOMPARE(albums->front().assetSha256s.size(), std::size_t(2));
        Outbox outbox(m_store->db());
        auto queued = outbox.list(OpState::Queued);
        QVERIFY(queued.isOk());
        QCOMPARE(queued->front().kind, std::string("album.create"));
        QCOMPARE(count(*m_store, "SELECT count(*) FROM outbox WHERE kind = 'album.create'"), 1);
    }

    void aMissingPathIsAClearError() {
        Library library(*m_store, m_clock);
        auto report = library.importPath((m_dir.path() + "/does-not-exist").toStdString());
        QVERIFY(!report.isOk());
        QCOMPARE(report.status().code(), Code::NotFound);
    }

    void editsChangeTheLibraryAndQueueOperationsInOrder() {
        const QString root = m_dir.path() + "/edits";
        writeFile(root + "/e.jpg", fakeJpeg("edits"));
        Library library(*m_store, m_clock);
        QVERIFY(library.importPath(root.toStdString()).isOk());
        const std::string sha = sha256Hex(fakeJpeg("edits").toStdString());
        QVERIFY(library.addTag(sha, "beach").isOk());
        QVERIFY(library.addTag(sha, "sunset").isOk());
        QVERIFY(library.removeTag(sha, "beach").isOk());
        QVERIFY(library.setCaption(sha, "An evening").isOk());
        QCOMPARE(library.tags(sha).value(), (std::vector<std::string>{"sunset"}));
        QCOMPARE(library.asset(sha).value()->caption, std::string("An evening"));

        auto ops = Outbox(m_store->db()).list(OpState::Queued).value();
        std::vector<std::string> kinds;
        for (const auto& op : ops)
            kinds.push_back(op.kind);
        QCOMPARE(kinds, (std::vector<std::string>{"annotation.upsert", "annotation.upsert", "annotation.delete",
                                                  "asset.update"}));
        for (std::size_t i = 1; i < ops.size(); ++i)
            QVERIFY(ops[i].hlc > ops[i - 1].hlc);
    }

    void editingAnUnknownAssetIsRefused() {
        Library library(*m_store, m_clock);
        QCOMPARE(library.addTag(std::string(64, '0'), "x").code(), Code::NotFound);
        QCOMPARE(count(*m_store, "SELECT count(*) FROM outbox"), 0);
    }
};

QTEST_GUILESS_MAIN(TestImport)
#include "tst_import.moc"
