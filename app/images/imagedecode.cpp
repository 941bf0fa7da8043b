#include "images/imagedecode.h"

#include <QBuffer>
#include <QImageReader>

#include <algorithm>
#include <cmath>

namespace pinhole::app {

QSize uprightSize(QSize stored, int orientation) {
    return orientation >= 5 && orientation <= 8 ? stored.transposed() : stored;
}

namespace {
// `what` names the source in the error (a path, a URL).
DecodedImage decode(QImageReader& reader, const QString& what, int boundSide, DecodeBound bound) {
    reader.setAutoTransform(true);
    const QSize stored = reader.size(); // before the EXIF transformation
    if (boundSide > 0 && stored.isValid()) {
        // The bound applies to the upright image, and scaled size to the stored one: a quarter
        // turn swaps the sides, which changes nothing here because both bounds are on the
        // longer (Fit) or shorter (Cover) side whichever way the image stands.
        const int side = bound == DecodeBound::Fit ? std::max(stored.width(), stored.height())
                                                   : std::min(stored.width(), stored.height());
        if (side > boundSide) {
            const double scale = double(boundSide) / side;
            // Set BEFORE read(): the JPEG decoder then decodes at 1/2, 1/4 or 1/8 scale.
            reader.setScaledSize(QSize(std::max(1, int(std::lround(stored.width() * scale))),
                                       std::max(1, int(std::lround(stored.height() * scale)))));
        }
    }
    DecodedImage result;
    if (!reader.read(&result.image))
        result.error = QStringLiteral("%1: %2").arg(what, reader.errorString());
    return result;
}
} // namespace

DecodedImage decodeUpright(const QString& path, int boundSide, DecodeBound bound) {
    QImageReader reader(path);
    return decode(reader, path, boundSide, bound);
}

DecodedImage decodeUpright(const QByteArray& bytes, const QString& what, int boundSide, DecodeBound bound) {
    QBuffer buffer;
    buffer.setData(bytes);
    buffer.open(QIODevice::ReadOnly);
    QImageReader reader(&buffer);
    return decode(reader, what, boundSide, bound);
}

} // namespace pinhole::app
