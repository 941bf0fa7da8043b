// The image providers (app/images/): photos come out upright at a reduced decode size, grid
// thumbnails are cached on disk and served from there on the next request (and the next
// launch), a cancelled request does no work and stores nothing, and ThumbHash placeholders
// decode what the server's encoder (server/media/placeholder.h) made. Test photos are made at
// run time with QImage and exiftool.
//
// The ThumbHashes below are the server encoder's output for the images described next to them,
// computed by a throw-away program that called pinhole::server::media::thumbHash() and
// toBase64() on exactly those pixels (the app cannot include the server's headers: both
// libraries have a core/status.h). Rerun it if the encoder changes.
#include "images/imagedecode.h"
#include "images/providers.h"
#include "images/thumbhash.h"

#include <QDir>
#include <QMutex>
#include <QProcess>
#include <QQuickTextureFactory>
#include <QSemaphore>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace pinhole::app;

namespace {

const QColor kRed(220, 30, 30), kBlue(30, 30, 220);

// A JPEG stored `size` pixels large whose top half is red and bottom half blue.
QString writeTwoTonePhoto(const QString& path, QSize size) {
    QImage image(size, QImage::Format_RGB32);
    image.fill(kBlue);
    for (int y = 0; y < size.height() / 2; ++y)
        for (int x = 0; x < size.width(); ++x)
            image.setPixelColor(x, y, kRed);
    return image.save(path, "jpg", 95) ? path : QString();
}

bool setOrientation(const QString& path, int orientation) {
    QProcess exiftool;
    exiftool.start("exiftool",
                   {"-q", "-overwrite_original", QStringLiteral("-Orientation#=%1").arg(orientation), path});
    return exiftool.waitForFinished(30'000) && exiftool.exitStatus() == QProcess::NormalExit &&
           exiftool.exitCode() == 0;
}

bool near(QColor a, QColor b, int tolerance) {
    return std::abs(a.red() - b.red()) <= tolerance && std::abs(a.green() - b.green()) <= tolerance &&
           std::abs(a.blue() - b.blue()) <= tolerance;
}

QString describe(QColor c) {
    return QStringLiteral("rgb(%1,%2,%3)").arg(c.red()).arg(c.green()).arg(c.blue());
}

const QString kSha = QString(64, QLatin1Char('a'));

// Waits for a response to finish and returns its image (null on error).
QImage imageOf(QQuickImageResponse* response) {
    QSignalSpy finished(response, &QQuickImageResponse::finished);
    if (!finished.wait(30'000))
        return {};
    std::unique_ptr<QQuickTextureFactory> factory(response->textureFactory());
    return factory ? factory->image() : QImage();
}

} // namespace

class TestImages : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QThreadPool m_pool;

    ImageServices services(const QString& photo, const QString& cacheDir) {
        return {[photo](const QString& sha) { return sha == kSha ? photo : QString(); },
                std::make_shared<ThumbnailCache>(cacheDir), &m_pool};
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void anOrientationSixPhotoComesOutUpright() {
        // Stored landscape 160x100, top red; turned a quarter clockwise it stands 100x160 with
        // the red half on the right.
        const QString photo = writeTwoTonePhoto(m_dir.filePath("six.jpg"), QSize(160, 100));
        QVERIFY(!photo.isEmpty());
        QVERIFY(setOrientation(photo, 6));

        const DecodedImage decoded = decodeUpright(photo, 0, DecodeBound::Fit);
        QVERIFY2(decoded.error.isEmpty(), qPrintable(decoded.error));
        QCOMPARE(decoded.image.size(), QSize(100, 160));
        QVERIFY2(near(decoded.image.pixelColor(80, 80), kRed, 40),
                 qPrintable(describe(decoded.image.pixelColor(80, 80))));
        QVERIFY2(near(decoded.image.pixelColor(20, 80), kBlue, 40),
                 qPrintable(describe(decoded.image.pixelColor(20, 80))));
        QCOMPARE(uprightSize(QSize(160, 100), 6), QSize(100, 160));
        QCOMPARE(uprightSize(QSize(160, 100), 3), QSize(160, 100));
    }

    void theThumbnailIsUprightAndDecodedSmall() {
        const QString photo = writeTwoTonePhoto(m_dir.filePath("big.jpg"), QSize(2400, 1600));
        QVERIFY(setOrientation(photo, 6));
        ThumbProvider provider(services(photo, m_dir.filePath("thumbs-small")));
        const QImage thumb = imageOf(provider.requestImageResponse(kSha, QSize(200, 200)));
        // Shorter side 256 (the bucket covering 200), upright: portrait.
        QCOMPARE(thumb.size(), QSize(256, 384));
        QVERIFY(near(thumb.pixelColor(200, 190), kRed, 40));

        PreviewProvider preview(services(photo, m_dir.filePath("thumbs-small")), PreviewProvider::kMaxSide);
        QCOMPARE(imageOf(preview.requestImageResponse(kSha, QSize())).size(), QSize(1600 * 2048 / 2400, 2048));
    }

    void theSecondRequestIsServedFromTheDiskCache() {
        const QString photo = writeTwoTonePhoto(m_dir.filePath("cached.jpg"), QSize(600, 400));
        const QString cacheDir = m_dir.filePath("thumbs-cache");
        {
            ThumbProvider provider(services(photo, cacheDir));
            QVERIFY(!imageOf(provider.requestImageResponse(kSha, QSize(256, 256))).isNull());
        }
        const QString cached = ThumbnailCache(cacheDir).pathFor(kSha, 256);
        QVERIFY2(QFileInfo::exists(cached), qPrintable(cached));
        QVERIFY(cached.startsWith(cacheDir + "/aa/"));

        // The original is gone: only the cache can answer, also for a new provider (a relaunch).
        QVERIFY(QFile::remove(photo));
        ThumbProvider relaunched(services(photo, cacheDir));
        const QImage again = imageOf(relaunched.requestImageResponse(kSha, QSize(256, 256)));
        QCOMPARE(again.size(), QSize(384, 256));
        QVERIFY(near(again.pixelColor(192, 20), kRed, 40));
    }

    void aCancelledRequestFinishesAndStoresNothing() {
        const QString photo = writeTwoTonePhoto(m_dir.filePath("cancel.jpg"), QSize(600, 400));
        const QString cacheDir = m_dir.filePath("thumbs-cancel");
        QThreadPool pool;
        pool.setMaxThreadCount(1);
        // Hold the only pool thread so the request is still queued when it is cancelled.
        QSemaphore started, release;
        pool.start([&] {
            started.release();
            release.acquire();
        });
        started.acquire();

        ImageServices s = services(photo, cacheDir);
        s.pool = &pool;
        ThumbProvider provider(s);
        std::unique_ptr<QQuickImageResponse> response(provider.requestImageResponse(kSha, QSize(256, 256)));
        QSignalSpy finished(response.get(), &QQuickImageResponse::finished);
        response->cancel();
        QCOMPARE(finished.count(), 1);
        QCOMPARE(response->errorString(), QString("cancelled"));

        release.release();
        pool.waitForDone();
        QCoreApplication::processEvents(); // a (wrong) late result would arrive as a queued call
        QCOMPARE(finished.count(), 1);
        QVERIFY(!QFileInfo::exists(ThumbnailCache(cacheDir).pathFor(kSha, 256)));
    }

    // A photo imported on another device has no local file: each provider asks the media cache
    // for the server's variant that fits it, and decodes that file.
    void aPhotoWithoutALocalFileComesFromTheMediaCache() {
        const QString serverThumb = writeTwoTonePhoto(m_dir.filePath("server-thumb.jpg"), QSize(360, 360));
        const QString serverLarge = writeTwoTonePhoto(m_dir.filePath("server-large.jpg"), QSize(2048, 1365));
        const QString serverOriginal = writeTwoTonePhoto(m_dir.filePath("server-original.jpg"), QSize(3000, 2000));
        QVERIFY(!serverThumb.isEmpty() && !serverLarge.isEmpty() && !serverOriginal.isEmpty());
        QStringList asked;
        QMutex askedMutex;
        ImageServices s{[](const QString&) { return QString(); }, // no local file
                        std::make_shared<ThumbnailCache>(m_dir.filePath("thumbs-remote")), &m_pool,
                        [&](const QString& sha, pinhole::sync::MediaVariant variant, const std::function<bool()>&) {
                            QMutexLocker lock(&askedMutex);
                            asked << QString::fromLatin1(pinhole::sync::variantName(variant));
                            if (sha != kSha)
                                return QString();
                            switch (variant) {
                            case pinhole::sync::MediaVariant::Thumb: return serverThumb;
                            case pinhole::sync::MediaVariant::Large: return serverLarge;
                            case pinhole::sync::MediaVariant::Original: return serverOriginal;
                            default: return QString();
                            }
                        }};
        ThumbProvider thumbs(s);
        const QImage thumb = imageOf(thumbs.requestImageResponse(kSha, QSize(200, 200)));
        QCOMPARE(thumb.size(), QSize(256, 256));
        QVERIFY(near(thumb.pixelColor(128, 20), kRed, 40));
        QVERIFY(QFileInfo::exists(ThumbnailCache(m_dir.filePath("thumbs-remote")).pathFor(kSha, 256)));

        PreviewProvider preview(s, PreviewProvider::kMaxSide);
        QCOMPARE(imageOf(preview.requestImageResponse(kSha, QSize())).size(), QSize(2048, 1365));
        PreviewProvider original(s, 0);
        QCOMPARE(imageOf(original.requestImageResponse(kSha, QSize())).size(), QSize(3000, 2000));
        QCOMPARE(asked, (QStringList{"thumb", "large", "original"}));

        // Nothing anywhere: an error, not an image.
        std::unique_ptr<QQuickImageResponse> missing(
            thumbs.requestImageResponse(QString(64, QLatin1Char('b')), QSize(64, 64)));
        QVERIFY(imageOf(missing.get()).isNull());
        QVERIFY(missing->errorString().contains("no local or cached file"));
    }

    void aNameThatIsNotAHashReachesNoFile_data() {
        QTest::addColumn<QString>("id");
        QTest::newRow("traversal") << "../../etc/passwd";
        QTest::newRow("upper case") << QString(64, QLatin1Char('A'));
        QTest::newRow("short") << "abc";
    }
    void aNameThatIsNotAHashReachesNoFile() {
        QFETCH(QString, id);
        ThumbProvider provider({[](const QString&) { return QString("/etc/passwd"); },
                                std::make_shared<ThumbnailCache>(m_dir.filePath("t")), &m_pool});
        std::unique_ptr<QQuickImageResponse> response(provider.requestImageResponse(id, QSize(256, 256)));
        QVERIFY(imageOf(response.get()).isNull());
        QVERIFY(response->errorString().contains("not an asset hash"));
    }

    // 100 x 50 RGB, the left half (220, 30, 30), the right half (30, 30, 220).
    void aServerThumbHashDecodesToTheImage() {
        const QString base64 = "l7YCtJ6I0Ll1d3iHiHd/ePiIiA==";
        const QByteArray bytes = thumbHashFromText(base64);
        QCOMPARE(bytes.size(), 19); // 5 header bytes, then 18 L + 5 P + 5 Q coefficients of 4 bits
        QCOMPARE(thumbHashAspectRatio(bytes), 7.0 / 4.0); // 7 luminance terms across, 4 down
        const QImage image = decodeThumbHash(bytes);
        QCOMPARE(image.size(), QSize(32, 18));
        // Blurred, but red on the left, blue on the right, opaque, and the average colour kept.
        const QColor left = image.pixelColor(3, 9), right = image.pixelColor(28, 9);
        QVERIFY2(left.red() > 150 && left.blue() < 90, qPrintable(describe(left)));
        QVERIFY2(right.blue() > 150 && right.red() < 90, qPrintable(describe(right)));
        QCOMPARE(left.alpha(), 255);
        double r = 0, b = 0;
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x < image.width(); ++x) {
                r += image.pixelColor(x, y).red();
                b += image.pixelColor(x, y).blue();
            }
        const double n = image.width() * image.height();
        QVERIFY2(std::abs(r / n - 125) < 12 && std::abs(b / n - 125) < 12,
                 qPrintable(QString("avg r %1 b %2").arg(r / n).arg(b / n)));

        // The same hash as it travels in an image:// URL (base64url, unpadded) through the provider.
        const QString url =
            QString::fromLatin1(bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
        PlaceholderProvider provider(&m_pool);
        QCOMPARE(imageOf(provider.requestImageResponse(url, QSize())).convertToFormat(QImage::Format_RGBA8888), image);
    }

    void aThumbHashWithAlphaKeepsTheTransparentSide() {
        // 40 x 80 RGBA (0, 200, 0), the top half transparent (alpha 0), the bottom opaque.
        const QImage image = decodeThumbHash(thumbHashFromText("EHuAAwBYeIB3eId4gHf4h3iIgIiHqHg="));
        QCOMPARE(image.size(), QSize(19, 32)); // with alpha, 5 luminance terms down and 3 across
        QVERIFY(image.pixelColor(9, 2).alpha() < 80);
        QVERIFY(image.pixelColor(9, 29).alpha() > 180);
        QVERIFY(image.pixelColor(9, 29).green() > 120);
    }

    void garbageIsNotAThumbHash() {
        QVERIFY(decodeThumbHash(QByteArray("\x01\x02", 2)).isNull());
        QVERIFY(thumbHashFromText("not base64 at all!").isEmpty());
    }
};

QTEST_MAIN(TestImages)
#include "tst_images.moc"
