// ThumbHash decoding: the ~25-byte placeholder the server computes for every photo
// (server/media/placeholder.h) back into a small blurred RGBA image, shown at once while the
// real thumbnail loads. Written from the public description of the format (Evan Wallace's
// ThumbHash): an average colour and a few low-frequency DCT coefficients of luminance, two
// colour differences and alpha, each quantised.
// Threading: pure functions, thread-safe.
#pragma once

#include <QByteArray>
#include <QImage>
#include <QString>

namespace pinhole::app {

// The hash's bytes from its text: standard base64 (as the server sends it) or base64url (as it
// travels in an image:// URL), padded or not. Empty if the text is not base64.
QByteArray thumbHashFromText(const QString& text);

// The width / height of the image the hash was made from, as well as the hash can tell it
// (the number of luminance coefficients along each side). 1 for a hash too short to read.
double thumbHashAspectRatio(const QByteArray& hash);

// The blurred image, at most 32 pixels on its longer side, in the original's aspect ratio,
// RGBA (not premultiplied). A null QImage for bytes that are not a ThumbHash (too short for
// its header or its coefficients).
QImage decodeThumbHash(const QByteArray& hash);

} // namespace pinhole::app
