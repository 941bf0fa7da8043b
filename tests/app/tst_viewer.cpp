// The viewer (qml/viewer/ViewerPage.qml over app/viewer/): its models pass
// QAbstractItemModelTester; tag autocomplete comes from the library's tags; the controller shows
// a photo's details and saves every annotation edit in the local library at once; and a region
// drawn with the mouse on the real page — fitted, or zoomed and panned — is stored in
// normalised coordinates on the UPRIGHT image of an EXIF orientation-6 photo. Saves a
// screenshot of the viewer with regions to build/screenshots/viewer-regions.png.
#include "images/imagedecode.h"
#include "images/providers.h"
#include "session.h"
#include "viewer/regionsmodel.h"
#include "viewer/tagsuggestionsmodel.h"
#include "viewer/viewercontroller.h"
#include "viewer/viewgeometry.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QProcess>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTemporaryDir>
#include <QTest>
#include <QtQml/qqmlextensionplugin.h>

Q_IMPORT_QML_PLUGIN(Pinhole_CorePlugin)
Q_IMPORT_QML_PLUGIN(PinholePlugin)

using namespace pinhole;
using namespace pinhole::app;

namespace {

const QColor kRed(220, 30, 30), kBlue(30, 30, 220);

// Stored 1600 x 1000, top half red, bottom half blue; with orientation 6 it stands 1000 x 1600
// with the red half on the RIGHT.
// With `details`, also the EXIF an info panel shows: date, camera, lens, exposure and place.
bool writeOrientationSixPhoto(const QString& path, QColor top, QColor bottom, bool details = false) {
    QImage image(1600, 1000, QImage::Format_RGB32);
    image.fill(bottom);
    for (int y = 0; y < 500; ++y)
        for (int x = 0; x < 1600; ++x)
            image.setPixelColor(x, y, top);
    if (!image.save(path, "jpg", 90))
        return false;
    QProcess exiftool;
    QStringList args{"-q", "-overwrite_original", "-Orientation#=6"};
    if (details)
        args << "-DateTimeOriginal=2024:05:01 18:30:00"
             << "-Make=FUJIFILM"
             << "-Model=X-T4"
             << "-LensModel=XF35mmF1.4 R"
             << "-ExposureTime=1/250"
             << "-FNumber=2.8"
             << "-ISO=200"
             << "-FocalLength=35"
             << "-GPSLatitude=48.8584"
             << "-GPSLatitudeRef=N"
             << "-GPSLongitude=2.2945"
             << "-GPSLongitudeRef=E";
    exiftool.start("exiftool", args << path);
    return exiftool.waitForFinished(30'000) && exiftool.exitCode() == 0;
}

bool near(double a, double b, double tolerance) {
    return std::abs(a - b) <= tolerance;
}

QByteArray text(QRectF r) {
    return QString("(%1, %2, %3 x %4)").arg(r.x()).arg(r.y()).arg(r.width()).arg(r.height()).toUtf8();
}

// A model like the library grid's: rows with a "sha256" role.
class PhotoListModel : public QStandardItemModel {
public:
    static constexpr int kSha256Role = Qt::UserRole + 1;
    explicit PhotoListModel(const QStringList& shas) {
        setItemRoleNames({{kSha256Role, "sha256"}});
        for (const QString& sha : shas) {
            auto* item = new QStandardItem;
            item->setData(sha, kSha256Role);
            appendRow(item);
        }
    }
};

} // namespace

class TestViewer : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<Session> m_session;
    QStringList m_shas; // newest first, as the library lists them

    // Runs `task` on the library thread and waits for its answer.
    template <typename T> T onLibrary(std::function<T(sync::Engine&)> task) {
        std::optional<T> answer;
        m_session->call<T>(std::move(task), this, [&answer](T value) { answer = std::move(value); });
        if (!QTest::qWaitFor([&] { return answer.has_value(); }, 30'000))
            qWarning("no answer from the library thread in 30 s");
        return answer ? std::move(*answer) : T{};
    }

    std::vector<sync::Region> storedRegions(const QString& sha) {
        return onLibrary<std::vector<sync::Region>>([s = sha.toStdString()](sync::Engine& e) {
            auto r = e.library().regions(s);
            return r ? *r : std::vector<sync::Region>{};
        });
    }

    // The viewer page in a window, showing photo `index`.
    struct Viewer {
        std::unique_ptr<QQmlApplicationEngine> engine;
        QQuickWindow* window = nullptr;
        QQuickItem* page = nullptr;
        ViewerController* controller = nullptr;
        ViewGeometry* geometry = nullptr;
        QQuickItem* viewport = nullptr;
    };

    std::unique_ptr<Viewer> openViewer(QAbstractItemModel* model, int index) {
        auto v = std::make_unique<Viewer>();
        v->engine = std::make_unique<QQmlApplicationEngine>();
        v->engine->addImportPath("qrc:/qt/qml");
        registerImageProviders(*v->engine, *m_session, m_dir.filePath("thumbs"));
        v->engine->loadData("import QtQuick\nimport QtQuick.Controls\nimport Pinhole\n"
                            "ApplicationWindow { width: 1280; height: 820; visible: true\n"
                            "  ViewerPage { objectName: 'viewer'; anchors.fill: parent } }");
        if (v->engine->rootObjects().isEmpty())
            return nullptr;
        v->window = qobject_cast<QQuickWindow*>(v->engine->rootObjects().first());
        v->page = v->window->findChild<QQuickItem*>("viewer");
        if (!v->page)
            return nullptr;
        v->page->setProperty("model", QVariant::fromValue(static_cast<QObject*>(model)));
        v->page->setProperty("currentIndex", index);
        v->controller = v->page->property("controller").value<ViewerController*>();
        v->geometry = v->page->property("geometry").value<ViewGeometry*>();
        v->viewport = v->page->findChild<QQuickItem*>("viewport");
        if (!v->controller || !v->geometry || !v->viewport || !QTest::qWaitForWindowExposed(v->window))
            return nullptr;
        // Pushed like the grid pushes it (a model and an index), it found the engine's session.
        if (v->controller->session() != m_session.get())
            return nullptr;
        v->page->forceActiveFocus();
        return v;
    }

    // Drags with the left button from `from` to `to`, in the viewport's coordinates.
    static void drag(Viewer& v, QPointF from, QPointF to) {
        const QPoint a = v.viewport->mapToScene(from).toPoint(), b = v.viewport->mapToScene(to).toPoint();
        QTest::mousePress(v.window, Qt::LeftButton, {}, a);
        for (int step = 1; step <= 4; ++step)
            QTest::mouseMove(v.window, a + (b - a) * step / 4);
        QTest::mouseRelease(v.window, Qt::LeftButton, {}, b);
    }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        QQuickStyle::setStyle("Material");
        QQuickWindow::setGraphicsApi(QSGRendererInterface::Software);
        m_session = std::make_unique<Session>();
        QSignalSpy opened(m_session.get(), &Session::opened);
        m_session->open(m_dir.filePath("library.db"));
        QVERIFY(opened.wait(30'000));
        QVERIFY2(opened.first().at(0).toBool(), qPrintable(opened.first().at(1).toString()));

        QDir().mkpath(m_dir.filePath("photos"));
        QVERIFY(writeOrientationSixPhoto(m_dir.filePath("photos/six.jpg"), kRed, kBlue, true));
        QVERIFY(writeOrientationSixPhoto(m_dir.filePath("photos/other.jpg"), QColor(30, 160, 60), kBlue));
        const QString error = onLibrary<QString>([folder = m_dir.filePath("photos").toStdString()](sync::Engine& e) {
            auto report = e.library().importPath(folder);
            return report ? QString() : QString::fromStdString(report.status().message());
        });
        QVERIFY2(error.isEmpty(), qPrintable(error));
        std::optional<AssetSnapshot> assets;
        m_session->loadAssets(this, [&assets](AssetSnapshot s) { assets = s; });
        QTRY_VERIFY(assets.has_value());
        QCOMPARE(int((*assets)->size()), 2);
        for (const auto& a : **assets)
            m_shas << QString::fromStdString(a.sha256);
    }

    void cleanupTestCase() { m_session.reset(); }

    void theRegionsModelPassesTheTester() {
        RegionsModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        sync::Region a{"a", 0.1, 0.1, 0.2, 0.2, "face", "Ada"}, b{"b", 0.5, 0.5, 0.1, 0.1, "pet", ""};
        model.reset({a});
        model.add(b);
        QCOMPARE(model.rowCount(), 2);
        b.label = "Rex";
        QVERIFY(model.update(b));
        QCOMPARE(model.data(model.index(1), RegionsModel::LabelRole).toString(), QString("Rex"));
        QCOMPARE(model.data(model.index(0), RegionsModel::BoxRole).toRectF(), QRectF(0.1, 0.1, 0.2, 0.2));
        QVERIFY(model.remove("a"));
        QVERIFY(!model.remove("a"));
        QCOMPARE(model.data(model.index(0), RegionsModel::IdRole).toString(), QString("b"));
    }

    void tagSuggestionsRankPrefixesFirstThenUse() {
        TagSuggestionsModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setTags({{"beach", 5}, {"sea", 3}, {"bear", 2}, {"Beached whale", 1}, {"tree", 1}});
        model.setFilter("be");
        QStringList shown;
        for (int i = 0; i < model.rowCount(); ++i)
            shown << model.labelAt(i);
        QCOMPARE(shown, QStringList({"beach", "bear", "Beached whale"}));
        model.setFilter("ea");
        shown.clear();
        for (int i = 0; i < model.rowCount(); ++i)
            shown << model.labelAt(i);
        QCOMPARE(shown, QStringList({"beach", "sea", "bear", "Beached whale"}));
        model.setExcluded({"BEACH"}); // the photo's own tags, whatever their case
        QCOMPARE(model.labelAt(0), QString("sea"));
        QCOMPARE(model.data(model.index(0), TagSuggestionsModel::CountRole).toInt(), 3);
    }

    void theControllerShowsThePhotosDetailsUpright() {
        ViewerController controller;
        PhotoListModel photos(m_shas);
        controller.setSession(m_session.get());
        controller.setModel(&photos);
        controller.setCurrentIndex(0);
        QCOMPARE(controller.sha256(), m_shas[0]);
        QTRY_VERIFY(!controller.loading() && !controller.sourceSize().isEmpty());
        QCOMPARE(controller.sourceSize(), QSizeF(1600, 1000)); // as stored
        QCOMPARE(controller.orientation(), 6);
        QVERIFY2(controller.dimensions().startsWith("1000 × 1600"), qPrintable(controller.dimensions()));
        QVERIFY(!controller.fileSize().isEmpty());
        QCOMPARE(controller.camera(), QString("FUJIFILM X-T4"));
        QCOMPARE(controller.lens(), QString("XF35mmF1.4 R"));
        QCOMPARE(controller.exposure(), QString("1/250 s · ƒ/2.8 · ISO 200 · 35 mm"));
        QCOMPARE(controller.place(), QString("48.85840, 2.29450"));
        // The camera's wall-clock time, with no zone made up.
        QVERIFY2(controller.takenAt().contains("2024") && controller.takenAt().contains("18:30") &&
                     !controller.takenAt().contains("UTC"),
                 qPrintable(controller.takenAt()));
        QVERIFY(controller.next());
        QCOMPARE(controller.sha256(), m_shas[1]);
        QVERIFY(!controller.next());
        QVERIFY(controller.previous());
        QVERIFY(!controller.previous());
    }

    void annotationEditsAreSavedLocallyAtOnce() {
        ViewerController controller;
        controller.setSession(m_session.get());
        controller.setSha256(m_shas[1]);
        QTRY_VERIFY(!controller.loading() && !controller.sourceSize().isEmpty());
        controller.setRating(4);
        controller.setFavourite(true);
        controller.setCaption("Green over blue");
        controller.addTag("lake");
        // Shown at once, before any store answer.
        QCOMPARE(controller.rating(), 4);
        QVERIFY(controller.favourite());
        QCOMPARE(controller.tags(), QStringList({"lake"}));

        struct Stored {
            int rating = -1;
            bool favourite = false;
            std::string caption;
            std::vector<std::string> tags;
        };
        bool answered = false;
        Stored stored;
        m_session->call<Stored>(
            [sha = m_shas[1].toStdString()](sync::Engine& e) {
                Stored s;
                if (auto a = e.library().asset(sha); a && *a) {
                    s.rating = (*a)->rating;
                    s.favourite = (*a)->favourite;
                    s.caption = (*a)->caption;
                }
                if (auto t = e.library().tags(sha))
                    s.tags = *t;
                return s;
            },
            this,
            [&](Stored s) {
                stored = std::move(s);
                answered = true;
            });
        QTRY_VERIFY(answered);
        QCOMPARE(stored.rating, 4);
        QVERIFY(stored.favourite);
        QCOMPARE(stored.caption, std::string("Green over blue"));
        QCOMPARE(stored.tags, std::vector<std::string>{"lake"});
    }

    void aRefusedEditIsReportedAndUndoneOnScreen() {
        ViewerController controller;
        controller.setSession(m_session.get());
        controller.setSha256(m_shas[1]);
        QTRY_VERIFY(!controller.loading() && !controller.sourceSize().isEmpty());
        const int before = controller.rating();
        QSignalSpy failed(m_session.get(), &Session::editFailed);
        controller.setRating(9);          // the library accepts 0..5
        QCOMPARE(controller.rating(), 9); // shown at once...
        QVERIFY(failed.wait(30'000));
        QVERIFY2(failed.first().at(0).toString().startsWith("Saving the rating"),
                 qPrintable(failed.first().at(0).toString()));
        QTRY_COMPARE(controller.rating(), before); // ...and re-read when the store refused it
    }

    void tagAutocompleteComesFromTheLibrarysTags() {
        // "lake" is on the other photo (the test above); this one suggests it for "la".
        ViewerController controller;
        controller.setSession(m_session.get());
        controller.setSha256(m_shas[0]);
        QTRY_VERIFY(!controller.loading() && !controller.sourceSize().isEmpty());
        controller.tagSuggestions()->setFilter("la");
        QCOMPARE(controller.tagSuggestions()->rowCount(), 1);
        QCOMPARE(controller.tagSuggestions()->labelAt(0), QString("lake"));
    }

    void aRegionDrawnOnTheViewerIsStoredOnTheUprightImage_data() {
        QTest::addColumn<qreal>("zoom"); // 0: fitted
        QTest::addColumn<QPointF>("pan");
        QTest::newRow("fitted") << 0.0 << QPointF();
        QTest::newRow("150% and panned") << 1.5 << QPointF(-150, 200);
    }
    void aRegionDrawnOnTheViewerIsStoredOnTheUprightImage() {
        QFETCH(qreal, zoom);
        QFETCH(QPointF, pan);
        PhotoListModel photos(m_shas);
        const int index = 0;
        const QString sha = m_shas[index];
        auto viewer = openViewer(&photos, index);
        QVERIFY(viewer);
        ViewerController& controller = *viewer->controller;
        ViewGeometry& geometry = *viewer->geometry;
        QTRY_COMPARE(controller.orientation(), 6);
        QTRY_COMPARE(geometry.uprightSize(), QSizeF(1000, 1600));
        const int before = int(storedRegions(sha).size());

        // Where the upright 1000 x 1600 image is, worked out here independently of ViewGeometry.
        const QSizeF view(viewer->viewport->width(), viewer->viewport->height());
        QCOMPARE(geometry.viewSize(), view);
        double scale = std::min(view.width() / 1000, view.height() / 1600);
        QPointF origin((view.width() - 1000 * scale) / 2, (view.height() - 1600 * scale) / 2);
        if (zoom > 0) {
            // Zoom around the view's centre (the image's centre), then pan within bounds.
            geometry.zoomTo(zoom, QPointF(view.width() / 2, view.height() / 2));
            scale = zoom;
            origin = QPointF(view.width() / 2 - 500 * scale, view.height() / 2 - 800 * scale) + pan;
            geometry.panBy(pan.x(), pan.y());
        }
        QCOMPARE(geometry.imageRect().topLeft(), origin);

        // A box over the photo as it stands: from 60% to 85% across (the red half), 40% to 55% down.
        const QRectF wanted(0.60, 0.40, 0.25, 0.15);
        const QPointF from = origin + QPointF(wanted.left() * 1000 * scale, wanted.top() * 1600 * scale);
        const QPointF to = origin + QPointF(wanted.right() * 1000 * scale, wanted.bottom() * 1600 * scale);
        QVERIFY(QRectF(QPointF(0, 0), view).contains(from) && QRectF(QPointF(0, 0), view).contains(to));
        viewer->page->setProperty("drawing", true);
        drag(*viewer, from, to);

        QTRY_COMPARE(int(storedRegions(sha).size()), before + 1);
        const std::vector<sync::Region> regions = storedRegions(sha);
        const sync::Region& r = regions.back();
        // One view pixel of slack (mouse positions are whole pixels).
        const double slack = 1.5 / (1000 * scale);
        const QRectF got(r.x, r.y, r.w, r.h);
        QVERIFY2(near(r.x, wanted.x(), slack) && near(r.y, wanted.y(), slack) && near(r.w, wanted.width(), 2 * slack) &&
                     near(r.h, wanted.height(), 2 * slack),
                 text(got));
        QCOMPARE(r.kind, std::string("face"));
        // And it is on the red half of the UPRIGHT photo: decode it upright and look.
        const DecodedImage upright = decodeUpright(m_dir.filePath("photos/six.jpg"), 0, DecodeBound::Fit);
        QCOMPARE(upright.image.size(), QSize(1000, 1600));
        const QColor centre = upright.image.pixelColor(int(got.center().x() * 1000), int(got.center().y() * 1600));
        QVERIFY2(centre.red() > 150 && centre.blue() < 100, qPrintable(centre.name()));
        // Shown at once in the page's model too.
        QCOMPARE(controller.regions()->rowCount(), before + 1);
    }

    void aRegionCanBeNamedMovedAndDeleted() {
        PhotoListModel photos(m_shas);
        auto viewer = openViewer(&photos, 0);
        QVERIFY(viewer);
        ViewerController& controller = *viewer->controller;
        QTRY_COMPARE(viewer->geometry->uprightSize(), QSizeF(1000, 1600));
        QTRY_VERIFY(!controller.loading());
        const QString sha = m_shas[0];
        const QRectF box(0.2, 0.2, 0.3, 0.1);
        const QString id = controller.addRegion(box, "face", "");
        QVERIFY(!id.isEmpty());

        const auto stored = [this, sha, id]() -> sync::Region {
            for (const sync::Region& r : storedRegions(sha))
                if (r.id == id.toStdString())
                    return r;
            return {};
        };
        controller.updateRegion(id, box, "pet", "Rex");
        QTRY_COMPARE(stored().label, std::string("Rex"));
        QCOMPARE(stored().kind, std::string("pet"));

        // Dragging the box by 20 view pixels right moves it 20 / imageWidth along x.
        const QRectF onScreen = viewer->geometry->mapRectFromImage(box);
        drag(*viewer, onScreen.center(), onScreen.center() + QPointF(20, 0));
        const double dx = 20 / viewer->geometry->imageRect().width();
        const double slack = 1.5 / viewer->geometry->imageRect().width();
        QTRY_VERIFY2(near(stored().x, box.x() + dx, slack),
                     qPrintable(QString("x %1, wanted %2").arg(stored().x).arg(box.x() + dx)));
        QCOMPARE(stored().y, box.y());
        QCOMPARE(stored().w, box.width());

        // Selected by that drag, it has a handle at its bottom-right corner: 30 x 20 view pixels
        // more make it 30 / imageWidth wider and 20 / imageHeight taller, its corner fixed.
        const sync::Region moved = stored();
        const QRectF image = viewer->geometry->imageRect();
        const QPointF corner = viewer->geometry->mapFromImage({moved.x + moved.w, moved.y + moved.h});
        drag(*viewer, corner, corner + QPointF(30, 20));
        QTRY_VERIFY2(near(stored().w, moved.w + 30 / image.width(), 2 * slack),
                     qPrintable(QString("w %1, wanted %2").arg(stored().w).arg(moved.w + 30 / image.width())));
        QVERIFY(near(stored().h, moved.h + 20 / image.height(), 2.0 / image.height()));
        QVERIFY(near(stored().x, moved.x, 1e-6));

        const int count = int(storedRegions(sha).size());
        controller.removeRegion(id);
        QTRY_COMPARE(int(storedRegions(sha).size()), count - 1);
    }

    void arrowsStepThroughThePhotosAndEscGoesBack() {
        PhotoListModel photos(m_shas);
        auto viewer = openViewer(&photos, 0);
        QVERIFY(viewer);
        QSignalSpy closed(viewer->page, SIGNAL(closed()));
        QTest::keyClick(viewer->window, Qt::Key_Right);
        QCOMPARE(viewer->controller->currentIndex(), 1);
        QCOMPARE(viewer->controller->sha256(), m_shas[1]);
        QTest::keyClick(viewer->window, Qt::Key_Right); // the last photo: stays
        QCOMPARE(viewer->controller->currentIndex(), 1);
        QTest::keyClick(viewer->window, Qt::Key_Left);
        QCOMPARE(viewer->controller->sha256(), m_shas[0]);
        QTest::keyClick(viewer->window, Qt::Key_Escape);
        QCOMPARE(closed.count(), 1);
    }

    void theWheelZoomsAroundThePointerAndFFits() {
        PhotoListModel photos(m_shas);
        auto viewer = openViewer(&photos, 0);
        QVERIFY(viewer);
        ViewGeometry& geometry = *viewer->geometry;
        QTRY_COMPARE(geometry.uprightSize(), QSizeF(1000, 1600));
        const qreal fitted = geometry.scale();
        const QPointF at(viewer->viewport->width() / 2 + 40, viewer->viewport->height() / 2 - 30);
        const QPointF onImage = geometry.mapToImage(at);
        const QPointF scenePos = viewer->viewport->mapToScene(at);
        QWheelEvent wheel(scenePos, viewer->window->mapToGlobal(scenePos.toPoint()), QPoint(), QPoint(0, 240),
                          Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false, Qt::MouseEventNotSynthesized,
                          QPointingDevice::primaryPointingDevice());
        QCoreApplication::sendEvent(viewer->window, &wheel);
        QTRY_VERIFY(geometry.scale() > fitted * 1.2);
        QVERIFY(!geometry.fitted());
        // The point under the pointer stays there along y (the image is now taller than the view);
        // along x the image is still narrower than the view, so it stays centred.
        const QPointF after = geometry.mapToImage(at);
        QVERIFY2(near(after.y(), onImage.y(), 1e-6), qPrintable(QString("%1 -> %2").arg(onImage.y()).arg(after.y())));
        QVERIFY(geometry.imageRect().height() > viewer->viewport->height());
        QVERIFY(geometry.imageRect().width() < viewer->viewport->width());
        QCOMPARE(geometry.imageRect().center().x(), viewer->viewport->width() / 2);
        QTest::keyClick(viewer->window, Qt::Key_F);
        QVERIFY(geometry.fitted());
        QCOMPARE(geometry.scale(), fitted);
    }

    void screenshotOfTheViewerWithRegions() {
        PhotoListModel photos(m_shas);
        auto viewer = openViewer(&photos, 0);
        QVERIFY(viewer);
        ViewerController& controller = *viewer->controller;
        QTRY_VERIFY(!controller.sourceSize().isEmpty());
        controller.addRegion({0.58, 0.30, 0.30, 0.18}, "face", "Ada");
        controller.addRegion({0.10, 0.62, 0.35, 0.20}, "pet", "Rex");
        controller.addTag("sunset");
        controller.setRating(3);
        // The preview has arrived when it shows.
        auto* preview = viewer->page->findChild<QQuickItem*>("previewImage");
        QVERIFY(preview);
        QTRY_VERIFY_WITH_TIMEOUT(preview->isVisible(), 30'000);
        const QImage shot = viewer->window->grabWindow();
        QVERIFY(!shot.isNull());
        const QString dir = QCoreApplication::applicationDirPath() + "/../../screenshots";
        QVERIFY(QDir().mkpath(dir));
        QVERIFY(shot.save(dir + "/viewer-regions.png"));
        qInfo().noquote() << "screenshot:" << QDir(dir).absoluteFilePath("viewer-regions.png");
    }
};

QTEST_MAIN(TestViewer)
#include "tst_viewer.moc"
