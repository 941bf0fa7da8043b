// The disk cache of grid thumbnails: <root>/<first two hex digits>/<sha256>-<side>.jpg, so a
// second launch shows the grid without decoding a single original. Files are written whole
// (QSaveFile: a crash never leaves half a JPEG) and never change: an asset's bytes are its name.
// Threading: thread-safe (no state but the root; concurrent writers of one file each write
// whole files and the last rename wins, with identical content).
#pragma once

#include <QImage>
#include <QString>

namespace pinhole::app {

class ThumbnailCache {
public:
    explicit ThumbnailCache(QString root) : m_root(std::move(root)) {}

    // True for a name that may become a file name: 64 lower-case hex digits (an asset's SHA-256).
    static bool isSha256(const QString& text);

    // The file for `sha256` at `side` pixels. REQUIRES: isSha256(sha256).
    QString pathFor(const QString& sha256, int side) const;
    // The cached thumbnail, or a null image if there is none (or it cannot be read).
    QImage load(const QString& sha256, int side) const;
    // Stores `image`; false (and the cache stays without it) if it cannot be written.
    bool store(const QString& sha256, int side, const QImage& image) const;

    const QString& root() const { return m_root; }

private:
    QString m_root;
};

} // namespace pinhole::app
