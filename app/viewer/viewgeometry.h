// Where the photo is on screen, and the ONE mapping between view coordinates and normalised
// coordinates on the upright image (0..1, top-left origin: the server's region schema). The
// viewer binds its image and region boxes to it and sends every pointer position through it;
// nothing else converts coordinates.
//
// Worked example: a photo stored 4000 x 3000 with EXIF orientation 6 stands 3000 x 4000. In a
// 1000 x 800 view, fitted, the scale is 800/4000 = 0.2, the image is 600 x 800 at x = 200; the
// view point (500, 400) is the image's centre, normalised (0.5, 0.5). At 100% (scale 1) around
// that point, the image is 3000 x 4000 at (-1000, -1600), and (500, 400) is still (0.5, 0.5).
//
// Threading: GUI thread (a QML object).
#pragma once

#include <QObject>
#include <QPointF>
#include <QRectF>
#include <QSizeF>
#include <QtQml/qqmlregistration.h>

namespace pinhole::app {

class ViewGeometry : public QObject {
    Q_OBJECT
    QML_ELEMENT
    // The photo's pixel size as stored and its EXIF orientation (1..8); 5..8 stand it on its side.
    Q_PROPERTY(QSizeF sourceSize READ sourceSize WRITE setSourceSize NOTIFY geometryChanged)
    Q_PROPERTY(int orientation READ orientation WRITE setOrientation NOTIFY geometryChanged)
    // The viewport's size.
    Q_PROPERTY(QSizeF viewSize READ viewSize WRITE setViewSize NOTIFY geometryChanged)
    Q_PROPERTY(QSizeF uprightSize READ uprightSize NOTIFY geometryChanged)
    // Screen pixels per image pixel (1 = 100%), and whether the image is fitted to the view
    // (then it stays fitted as the view resizes).
    Q_PROPERTY(qreal scale READ scale NOTIFY geometryChanged)
    Q_PROPERTY(qreal fitScale READ fitScale NOTIFY geometryChanged)
    Q_PROPERTY(bool fitted READ fitted NOTIFY geometryChanged)
    // The upright image's rectangle in view coordinates.
    Q_PROPERTY(QRectF imageRect READ imageRect NOTIFY geometryChanged)

public:
    static constexpr qreal kMaxScale = 8; // 800%: enough to check focus, not so far it is mush

    explicit ViewGeometry(QObject* parent = nullptr);

    QSizeF sourceSize() const { return m_sourceSize; }
    void setSourceSize(QSizeF size);
    int orientation() const { return m_orientation; }
    void setOrientation(int orientation);
    QSizeF viewSize() const { return m_viewSize; }
    void setViewSize(QSizeF size);

    QSizeF uprightSize() const;
    qreal scale() const { return m_scale; }
    qreal fitScale() const;
    bool fitted() const { return m_fitted; }
    QRectF imageRect() const { return {m_offset, uprightSize() * m_scale}; }

    // Fits the whole image in the view, centred.
    Q_INVOKABLE void fit();
    // Sets the scale (clamped to fitScale()/2 .. kMaxScale), keeping the image point under
    // `anchor` (view coordinates) where it is.
    Q_INVOKABLE void zoomTo(qreal scale, QPointF anchor);
    Q_INVOKABLE void zoomBy(qreal factor, QPointF anchor) { zoomTo(m_scale * factor, anchor); }
    // Fitted -> 100% around `anchor`; otherwise back to fitted.
    Q_INVOKABLE void toggleActualSize(QPointF anchor);
    // Moves the image by (dx, dy) view pixels, within bounds: an image larger than the view
    // cannot leave a gap at an edge; a smaller one stays centred on that axis.
    Q_INVOKABLE void panBy(qreal dx, qreal dy);

    // View point -> normalised upright-image point (may be outside 0..1 off the image).
    Q_INVOKABLE QPointF mapToImage(QPointF viewPoint) const;
    // Normalised upright-image point -> view point.
    Q_INVOKABLE QPointF mapFromImage(QPointF imagePoint) const;
    // View rectangle (any corner order) -> normalised rectangle, clipped to the image.
    Q_INVOKABLE QRectF mapRectToImage(QRectF viewRect) const;
    // Normalised rectangle -> view rectangle.
    Q_INVOKABLE QRectF mapRectFromImage(QRectF imageRect) const;
    // A normalised rectangle moved by (dx, dy) view pixels, kept whole inside the image.
    Q_INVOKABLE QRectF movedRect(QRectF imageRect, qreal dx, qreal dy) const;

signals:
    void geometryChanged();

private:
    void clampOffset();

    QSizeF m_sourceSize;
    int m_orientation = 1;
    QSizeF m_viewSize;
    qreal m_scale = 1;
    QPointF m_offset; // the image's top-left in view coordinates
    bool m_fitted = true;
};

} // namespace pinhole::app
