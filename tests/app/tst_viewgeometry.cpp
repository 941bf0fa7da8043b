// ViewGeometry: the one mapping between the viewer's view coordinates and normalised
// coordinates on the upright image — fitted, zoomed around a point, panned, and for a photo
// whose EXIF orientation stands it on its side.
#include "viewer/viewgeometry.h"

#include <QTest>

using pinhole::app::ViewGeometry;

namespace {
bool close(QPointF a, QPointF b) {
    return std::abs(a.x() - b.x()) < 1e-9 && std::abs(a.y() - b.y()) < 1e-9;
}
bool close(QRectF a, QRectF b) {
    return close(a.topLeft(), b.topLeft()) && close(a.bottomRight(), b.bottomRight());
}
QByteArray text(QRectF r) {
    return QString("(%1,%2 %3x%4)").arg(r.x()).arg(r.y()).arg(r.width()).arg(r.height()).toUtf8();
}
} // namespace

class TestViewGeometry : public QObject {
    Q_OBJECT
private slots:
    void aFittedLandscapeIsCentred() {
        ViewGeometry g;
        g.setViewSize({1000, 800});
        g.setSourceSize({4000, 2000});
        QCOMPARE(g.scale(), 0.25);
        QVERIFY(g.fitted());
        QCOMPARE(g.imageRect(), QRectF(0, 150, 1000, 500));
        QVERIFY(close(g.mapToImage({500, 400}), {0.5, 0.5}));
        QVERIFY(close(g.mapToImage({0, 150}), {0, 0}));
    }

    // The worked example of viewgeometry.h.
    void anOrientationSixPhotoMapsOnItsUprightShape() {
        ViewGeometry g;
        g.setViewSize({1000, 800});
        g.setSourceSize({4000, 3000});
        g.setOrientation(6);
        QCOMPARE(g.uprightSize(), QSizeF(3000, 4000));
        QCOMPARE(g.imageRect(), QRectF(200, 0, 600, 800));
        // A box drawn over the upright image's top-right quarter.
        QVERIFY2(close(g.mapRectToImage({500, 0, 300, 400}), {0.5, 0, 0.5, 0.5}),
                 text(g.mapRectToImage({500, 0, 300, 400})));
        g.zoomTo(1, {500, 400});
        QCOMPARE(g.imageRect(), QRectF(-1000, -1600, 3000, 4000));
        QVERIFY(close(g.mapToImage({500, 400}), {0.5, 0.5}));
    }

    void zoomingKeepsThePointUnderTheAnchor_data() {
        QTest::addColumn<QPointF>("anchor");
        QTest::addColumn<qreal>("factor");
        QTest::newRow("centre x2") << QPointF(500, 400) << 2.0;
        QTest::newRow("off-centre x3") << QPointF(300, 350) << 3.0;
        QTest::newRow("near a corner x1.5") << QPointF(100, 200) << 1.5;
    }
    void zoomingKeepsThePointUnderTheAnchor() {
        QFETCH(QPointF, anchor);
        QFETCH(qreal, factor);
        ViewGeometry g;
        g.setViewSize({1000, 800});
        g.setSourceSize({4000, 2000});
        const QPointF before = g.mapToImage(anchor);
        g.zoomBy(factor, anchor);
        QVERIFY(!g.fitted());
        QCOMPARE(g.scale(), 0.25 * factor);
        // Unless the bounds moved the image (an image smaller than the view stays centred).
        const QRectF r = g.imageRect();
        if (r.height() >= 800)
            QVERIFY2(close(g.mapToImage(anchor), before), text(r));
        else
            QCOMPARE(r.center().y(), 400.0);
        // And back: the same point maps to the same view point.
        QVERIFY(close(g.mapFromImage(g.mapToImage(anchor)), anchor));
    }

    void panningStopsAtTheEdges() {
        ViewGeometry g;
        g.setViewSize({1000, 800});
        g.setSourceSize({4000, 2000});
        g.zoomTo(1, {0, 0}); // 4000 x 2000 at (0, 0)
        QCOMPARE(g.imageRect().topLeft(), QPointF(0, 0));
        g.panBy(-500, -300);
        QCOMPARE(g.imageRect().topLeft(), QPointF(-500, -300));
        QVERIFY(close(g.mapToImage({500, 300}), {0.25, 0.3}));
        g.panBy(-10000, -10000);
        QCOMPARE(g.imageRect().topLeft(), QPointF(1000 - 4000, 800 - 2000));
        g.panBy(20000, 20000);
        QCOMPARE(g.imageRect().topLeft(), QPointF(0, 0));
    }

    void aRegionDrawnWhileZoomedAndPannedIsOnTheImage() {
        ViewGeometry g;
        g.setViewSize({1000, 800});
        g.setSourceSize({3000, 4000}); // as stored
        g.setOrientation(8);           // stands 4000 x 3000
        g.zoomTo(0.5, {500, 400});     // 2000 x 1500, centred on the image's middle
        g.panBy(-200, 100);
        const QRectF drawn(400, 300, 100, 50);
        const QRectF n = g.mapRectToImage(drawn);
        QVERIFY2(close(g.mapRectFromImage(n), drawn), text(n));
        QVERIFY(close(QPointF(n.width(), n.height()), QPointF(100.0 / 2000, 50.0 / 1500)));
        // Drawn backwards (bottom-right to top-left): the same box.
        QVERIFY(close(g.mapRectToImage(QRectF(drawn.bottomRight(), drawn.topLeft())), n));
    }

    void aBoxDrawnPastTheImageIsClipped() {
        ViewGeometry g;
        g.setViewSize({1000, 800});
        g.setSourceSize({4000, 2000}); // at (0, 150) 1000 x 500
        QVERIFY(close(g.mapRectToImage({900, 100, 300, 200}), {0.9, 0, 0.1, 0.3}));
    }

    void movingABoxKeepsItInside() {
        ViewGeometry g;
        g.setViewSize({1000, 800});
        g.setSourceSize({4000, 2000});
        QVERIFY(close(g.movedRect({0.1, 0.1, 0.2, 0.2}, 100, 50), {0.2, 0.2, 0.2, 0.2}));
        QVERIFY(close(g.movedRect({0.1, 0.1, 0.2, 0.2}, 5000, -5000), {0.8, 0, 0.2, 0.2}));
    }

    void actualSizeTogglesWithFit() {
        ViewGeometry g;
        g.setViewSize({1000, 800});
        g.setSourceSize({4000, 2000});
        g.toggleActualSize({500, 400});
        QCOMPARE(g.scale(), 1.0);
        g.toggleActualSize({500, 400});
        QVERIFY(g.fitted());
        QCOMPARE(g.scale(), 0.25);
        // A fitted view stays fitted when the window changes.
        g.setViewSize({500, 800});
        QCOMPARE(g.scale(), 0.125);
    }
};

QTEST_MAIN(TestViewGeometry)
#include "tst_viewgeometry.moc"
