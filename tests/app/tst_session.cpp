// The bridge: a call's task runs on the library thread (where the engine lives) and its result
// arrives on the GUI thread; edits through run() announce libraryChanged; a destroyed context
// gets no answer; localPathOf knows the files the library thread read.
#include "session.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace pinhole;
using pinhole::app::Session;

namespace {
QByteArray fakeJpeg(const QByteArray& salt) {
    return QByteArray::fromHex("ffd8ffe000104a464946") + salt + QByteArray::fromHex("ffd9");
}
} // namespace

class TestSession : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::unique_ptr<Session> m_session;

    void openSession() {
        QFile::remove(m_dir.path() + "/lib.db");
        m_session = std::make_unique<Session>();
        QSignalSpy opened(m_session.get(), &Session::opened);
        m_session->open(m_dir.path() + "/lib.db");
        QVERIFY(opened.wait());
        QCOMPARE(opened.first().at(0).toBool(), true);
    }

private slots:
    void init() { openSession(); }
    void cleanup() { m_session.reset(); }

    void aCallRunsOnTheLibraryThreadAndAnswersOnTheGuiThread() {
        QThread* ranOn = nullptr;
        QThread* answeredOn = nullptr;
        std::string albumId;
        m_session->call<std::string>(
            [&ranOn](sync::Engine& engine) {
                ranOn = QThread::currentThread();
                return engine.library().createAlbum("Summer").value();
            },
            this,
            [&](std::string id) {
                answeredOn = QThread::currentThread();
                albumId = std::move(id);
            });
        QTRY_VERIFY(answeredOn != nullptr);
        QCOMPARE(ranOn, m_session->libraryThread());
        QVERIFY(ranOn != QCoreApplication::instance()->thread());
        QCOMPARE(answeredOn, QCoreApplication::instance()->thread());
        QVERIFY(!albumId.empty());

        // The worker really did it: the album is in the store.
        std::vector<sync::LocalAlbum> albums;
        bool read = false;
        m_session->call<std::vector<sync::LocalAlbum>>(
            [](sync::Engine& engine) { return engine.library().albums().value(); }, this,
            [&](std::vector<sync::LocalAlbum> all) {
                albums = std::move(all);
                read = true;
            });
        QTRY_VERIFY(read);
        QCOMPARE(albums.size(), std::size_t(1));
        QCOMPARE(albums.front().id, albumId);
        QCOMPARE(albums.front().name, std::string("Summer"));
    }

    void callsRunInTheOrderTheyWereAsked() {
        std::vector<int> order;
        for (int i = 0; i < 5; ++i)
            m_session->call<int>([i](sync::Engine&) { return i; }, this, [&order](int v) { order.push_back(v); });
        QTRY_COMPARE(order.size(), std::size_t(5));
        QCOMPARE(order, (std::vector<int>{0, 1, 2, 3, 4}));
    }

    void aDestroyedContextGetsNoAnswer() {
        auto* context = new QObject;
        bool answered = false;
        bool after = false;
        m_session->call<int>([](sync::Engine&) { return 1; }, context, [&answered](int) { answered = true; });
        delete context;
        // A later call answers after the first would have: by then the first was dropped.
        m_session->call([](sync::Engine&) {}, this, [&after] { after = true; });
        QTRY_VERIFY(after);
        QVERIFY(!answered);
    }

    void anEditThroughRunAnnouncesLibraryChanged() {
        QSignalSpy changed(m_session.get(), &Session::libraryChanged);
        m_session->run([](sync::Engine& engine) { (void)engine.library().createAlbum("Trip"); });
        QVERIFY(changed.wait());
    }

    void localPathOfKnowsTheImportedFiles() {
        const QString folder = m_dir.path() + "/photos";
        QDir().mkpath(folder);
        QFile f(folder + "/a.jpg");
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(fakeJpeg("a"));
        f.close();
        m_session->run([folder](sync::Engine& engine) { (void)engine.library().importPath(folder.toStdString()); });
        app::AssetSnapshot snapshot;
        m_session->loadAssets(this, [&snapshot](app::AssetSnapshot s) { snapshot = std::move(s); });
        QTRY_VERIFY(snapshot != nullptr);
        QCOMPARE(snapshot->size(), std::size_t(1));
        const QString sha = QString::fromStdString(snapshot->front().sha256);
        QCOMPARE(m_session->localPathOf(sha), folder + "/a.jpg");
        QCOMPARE(m_session->localPathOf(QStringLiteral("0000")), QString());
    }

    void aStoreThatCannotOpenSaysWhy() {
        Session session;
        QSignalSpy opened(&session, &Session::opened);
        session.open(m_dir.path() + "/no/such/folder/lib.db");
        QVERIFY(opened.wait());
        QCOMPARE(opened.first().at(0).toBool(), false);
        QVERIFY(!opened.first().at(1).toString().isEmpty());
    }
};

QTEST_MAIN(TestSession)
#include "tst_session.moc"
