#include "viewer/viewgeometry.h"

#include <algorithm>

namespace pinhole::app {

ViewGeometry::ViewGeometry(QObject* parent) : QObject(parent) {}

void ViewGeometry::setSourceSize(QSizeF size) {
    if (size == m_sourceSize)
        return;
    m_sourceSize = size;
    fit(); // a new photo opens fitted
}

void ViewGeometry::setOrientation(int orientation) {
    if (orientation == m_orientation)
        return;
    m_orientation = orientation;
    fit();
}

void ViewGeometry::setViewSize(QSizeF size) {
    if (size == m_viewSize)
        return;
    const QPointF oldCentre(m_viewSize.width() / 2, m_viewSize.height() / 2);
    const QPointF centreOnImage = mapToImage(oldCentre);
    m_viewSize = size;
    if (m_fitted) {
        fit();
        return;
    }
    // Keep what was in the middle in the middle.
    const QSizeF shown = uprightSize() * m_scale;
    m_offset = QPointF(size.width() / 2 - centreOnImage.x() * shown.width(),
                       size.height() / 2 - centreOnImage.y() * shown.height());
    clampOffset();
    emit geometryChanged();
}

QSizeF ViewGeometry::uprightSize() const {
    return m_orientation >= 5 && m_orientation <= 8 ? m_sourceSize.transposed() : m_sourceSize;
}

qreal ViewGeometry::fitScale() const {
    const QSizeF upright = uprightSize();
    if (upright.isEmpty() || m_viewSize.isEmpty())
        return 1;
    return std::min(m_viewSize.width() / upright.width(), m_viewSize.height() / upright.height());
}

void ViewGeometry::fit() {
    m_scale = fitScale();
    m_fitted = true;
    const QSizeF shown = uprightSize() * m_scale;
    m_offset = QPointF((m_viewSize.width() - shown.width()) / 2, (m_viewSize.height() - shown.height()) / 2);
    emit geometryChanged();
}

void ViewGeometry::zoomTo(qreal scale, QPointF anchor) {
    if (uprightSize().isEmpty())
        return;
    const QPointF onImage = mapToImage(anchor);
    m_scale = std::clamp(scale, fitScale() / 2, std::max(kMaxScale, fitScale()));
    m_fitted = qFuzzyCompare(m_scale, fitScale());
    if (m_fitted) {
        fit();
        return;
    }
    const QSizeF shown = uprightSize() * m_scale;
    m_offset = QPointF(anchor.x() - onImage.x() * shown.width(), anchor.y() - onImage.y() * shown.height());
    clampOffset();
    emit geometryChanged();
}

void ViewGeometry::toggleActualSize(QPointF anchor) {
    if (m_fitted && !qFuzzyCompare(fitScale(), 1.0))
        zoomTo(1, anchor);
    else
        fit();
}

void ViewGeometry::panBy(qreal dx, qreal dy) {
    m_offset += QPointF(dx, dy);
    clampOffset();
    emit geometryChanged();
}

void ViewGeometry::clampOffset() {
    const QSizeF shown = uprightSize() * m_scale;
    const auto clampAxis = [](qreal offset, qreal shownLength, qreal viewLength) {
        if (shownLength <= viewLength)
            return (viewLength - shownLength) / 2;
        return std::clamp(offset, viewLength - shownLength, 0.0);
    };
    m_offset = QPointF(clampAxis(m_offset.x(), shown.width(), m_viewSize.width()),
                       clampAxis(m_offset.y(), shown.height(), m_viewSize.height()));
}

QPointF ViewGeometry::mapToImage(QPointF viewPoint) const {
    const QRectF rect = imageRect();
    if (rect.isEmpty())
        return {};
    return {(viewPoint.x() - rect.x()) / rect.width(), (viewPoint.y() - rect.y()) / rect.height()};
}

QPointF ViewGeometry::mapFromImage(QPointF imagePoint) const {
    const QRectF rect = imageRect();
    return {rect.x() + imagePoint.x() * rect.width(), rect.y() + imagePoint.y() * rect.height()};
}

QRectF ViewGeometry::mapRectToImage(QRectF viewRect) const {
    const QRectF n = QRectF(mapToImage(viewRect.topLeft()), mapToImage(viewRect.bottomRight())).normalized();
    return n.intersected(QRectF(0, 0, 1, 1));
}

QRectF ViewGeometry::mapRectFromImage(QRectF imageRect) const {
    return QRectF(mapFromImage(imageRect.topLeft()), mapFromImage(imageRect.bottomRight()));
}

QRectF ViewGeometry::movedRect(QRectF imageRect, qreal dx, qreal dy) const {
    const QRectF shown = this->imageRect();
    if (shown.isEmpty())
        return imageRect;
    QRectF moved = imageRect.translated(dx / shown.width(), dy / shown.height());
    moved.moveLeft(std::clamp(moved.left(), 0.0, 1.0 - moved.width()));
    moved.moveTop(std::clamp(moved.top(), 0.0, 1.0 - moved.height()));
    return moved;
}

} // namespace pinhole::app
