// Helpers for the app's suites: real photos (a Qt-written JPEG stamped by exiftool with a
// capture date), and waiting for a Session or App to open its store.
#pragma once

#include "session.h"

#include <QColor>
#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QProcess>
#include <QSignalSpy>
#include <QTest>

#include <optional>

namespace pinhole::test {

// Writes a small JPEG of one colour; with `takenAt` ("2024:05:01 10:00:00") its EXIF capture
// date. Returns false (with a warning) if exiftool failed.
inline bool makePhoto(const QString& path, const QColor& colour, const QString& takenAt = {}, int w = 64, int h = 48) {
    QDir().mkpath(QFileInfo(path).path());
    QImage image(w, h, QImage::Format_RGB32);
    image.fill(colour);
    if (!image.save(path, "JPEG", 85))
        return false;
    if (takenAt.isEmpty())
        return true;
    QProcess exiftool;
    exiftool.start("exiftool", {"-q", "-overwrite_original", "-DateTimeOriginal=" + takenAt, path});
    if (!exiftool.waitForFinished(30'000) || exiftool.exitCode() != 0) {
        qWarning() << "exiftool failed:" << exiftool.readAllStandardError();
        return false;
    }
    return true;
}

// Opens `session` on `storePath` and waits until it is open.
inline bool openSession(app::Session& session, const QString& storePath) {
    QSignalSpy opened(&session, &app::Session::opened);
    session.open(storePath);
    return opened.wait(10'000) && opened.first().at(0).toBool();
}

// Runs `task` on the library thread and waits for it.
template <typename T> T onLibraryThread(app::Session& session, std::function<T(sync::Engine&)> task) {
    std::optional<T> result;
    QObject context;
    session.call<T>(std::move(task), &context, [&result](T r) { result = std::move(r); });
    if (!QTest::qWaitFor([&result] { return result.has_value(); }, 30'000))
        qWarning("onLibraryThread: the task did not answer in 30 s");
    return result ? std::move(*result) : T{};
}

} // namespace pinhole::test
