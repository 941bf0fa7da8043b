// Decoding a photo file for display: upright (its EXIF orientation applied) and, when a bound is
// given, decoded at reduced size (a JPEG's DCT scaling) rather than decoded whole and shrunk.
// Threading: pure functions, thread-safe; called on the image pool, never the GUI thread.
#pragma once

#include <QByteArray>
#include <QImage>
#include <QSize>
#include <QString>

namespace pinhole::app {

// How large to decode. `Fit` bounds both sides (previews); `Cover` makes the shorter side the
// given length (grid thumbnails, which are cropped to their cells); an invalid size decodes the
// original size. Never enlarges.
enum class DecodeBound { Fit, Cover };

struct DecodedImage {
    QImage image; // upright; null on failure
    QString error;
};

DecodedImage decodeUpright(const QString& path, int boundSide, DecodeBound bound);
// The same for an image file's bytes (fetched from the server); `what` names them in the error.
DecodedImage decodeUpright(const QByteArray& bytes, const QString& what, int boundSide, DecodeBound bound);

// The size of `stored` (the pixel size as the file stores it) once `orientation` (EXIF 1..8) is
// applied: 5..8 turn it a quarter, swapping width and height.
QSize uprightSize(QSize stored, int orientation);

} // namespace pinhole::app
