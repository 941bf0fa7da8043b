#include "images/thumbnailcache.h"

#include <QDir>
#include <QFileInfo>
#include <QImageReader>
#include <QImageWriter>
#include <QPainter>
#include <QSaveFile>

namespace pinhole::app {

bool ThumbnailCache::isSha256(const QString& text) {
    if (text.size() != 64)
        return false;
    return std::all_of(text.begin(), text.end(), [](QChar c) {
        return (c >= QLatin1Char('0') && c <= QLatin1Char('9')) || (c >= QLatin1Char('a') && c <= QLatin1Char('f'));
    });
}

QString ThumbnailCache::pathFor(const QString& sha256, int side) const {
    return QStringLiteral("%1/%2/%3-%4.jpg").arg(m_root, sha256.left(2), sha256).arg(side);
}

QImage ThumbnailCache::load(const QString& sha256, int side) const {
    QImageReader reader(pathFor(sha256, side));
    return reader.read(); // null when absent
}

bool ThumbnailCache::store(const QString& sha256, int side, const QImage& image) const {
    const QString path = pathFor(sha256, side);
    if (!QDir().mkpath(QFileInfo(path).absolutePath()))
        return false;
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return false;
    QImageWriter writer(&file, "jpg");
    writer.setQuality(85);
    // Thumbnails are stored upright; JPEG has no alpha, so composite onto white first.
    QImage opaque = image;
    if (image.hasAlphaChannel()) {
        opaque = QImage(image.size(), QImage::Format_RGB32);
        opaque.fill(Qt::white);
        QPainter(&opaque).drawImage(0, 0, image);
    }
    return writer.write(opaque) && file.commit();
}

} // namespace pinhole::app
