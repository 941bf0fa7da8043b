// Image probing: the format comes from the bytes, never the name; the header alone gives the
// size; empty, mislabelled, truncated, oversized and decompression-bomb files are refused with a
// clear reason before anything is decoded.
#include "media/imageprobe.h"
#include "media/imaging.h"

#include <vips/vips8>

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace pinhole::server;
using namespace pinhole::server::media;
using vips::VImage;

Q_DECLARE_METATYPE(pinhole::server::Code)

namespace {

// A 3-band 8-bit image of one colour.
VImage solid(int width, int height, std::vector<double> rgb = {200, 60, 30}) {
    return VImage::black(width, height).new_from_image(rgb);
}

void writeBytes(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    QCOMPARE(f.write(bytes), bytes.size());
}

QByteArray readBytes(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

std::uint32_t crc32(const QByteArray& bytes) {
    std::uint32_t crc = 0xFFFFFFFFu;
    for (char c : bytes) {
        crc ^= static_cast<unsigned char>(c);
        for (int k = 0; k < 8; ++k)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

QByteArray bigEndian(std::uint32_t v) {
    QByteArray b(4, '\0');
    for (int i = 0; i < 4; ++i)
        b[i] = char((v >> (24 - 8 * i)) & 0xFF);
    return b;
}

QByteArray pngChunk(const char* type, const QByteArray& data) {
    const QByteArray typed = QByteArray(type) + data;
    return bigEndian(std::uint32_t(data.size())) + typed + bigEndian(crc32(typed));
}

// A well-formed PNG header declaring width x height 8-bit RGB pixels, followed by a few bytes of
// image data: what a decompression bomb looks like to a header reader.
QByteArray declaredPng(std::uint32_t width, std::uint32_t height) {
    QByteArray ihdr = bigEndian(width) + bigEndian(height);
    ihdr += QByteArray::fromHex("0802000000"); // depth 8, RGB, deflate, adaptive filter, no interlace
    return QByteArray::fromHex("89504E470D0A1A0A") + pngChunk("IHDR", ihdr) +
           pngChunk("IDAT", QByteArray::fromHex("789C0300000001")) + pngChunk("IEND", {});
}

std::span<const unsigned char> asBytes(const QByteArray& b) {
    return {reinterpret_cast<const unsigned char*>(b.constData()), std::size_t(b.size())};
}

} // namespace

class TestImageProbe : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString path(const QString& name) const { return m_dir.filePath(name); }

    // Saves `image` in the format `suffix` names, then renames it to `name`, so the name the
    // probe sees says nothing (or lies) about the content.
    QString saved(const VImage& image, const char* suffix, const QString& name) {
        const QString tmp = path(QStringLiteral("tmp") + suffix);
        image.write_to_file(tmp.toUtf8().constData());
        QFile::remove(path(name));
        if (!QFile::rename(tmp, path(name)))
            return {};
        return path(name);
    }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        QVERIFY(initImaging().isOk());
    }

    void recognisesEachFormatFromItsBytes_data() {
        QTest::addColumn<QString>("suffix");
        QTest::addColumn<int>("format");
        QTest::newRow("jpeg") << ".jpg" << int(ImageFormat::Jpeg);
        QTest::newRow("png") << ".png" << int(ImageFormat::Png);
        QTest::newRow("webp") << ".webp" << int(ImageFormat::WebP);
        QTest::newRow("heic") << ".heic" << int(ImageFormat::Heif);
        QTest::newRow("gif") << ".gif" << int(ImageFormat::Gif);
        QTest::newRow("tiff") << ".tif" << int(ImageFormat::Tiff);
    }
    void recognisesEachFormatFromItsBytes() {
        QFETCH(QString, suffix);
        QFETCH(int, format);
        // Named without an extension: only the bytes can tell.
        const QString file = saved(solid(64, 48), suffix.toUtf8().constData(), "upload-" + suffix.mid(1));
        const Result<ImageProbe> probe = probeImage(file.toStdString());
        QVERIFY2(probe.isOk(), probe.isOk() ? "" : probe.status().message().c_str());
        QCOMPARE(int(probe->format), format);
        QCOMPARE(probe->width, 64);
        QCOMPARE(probe->height, 48);
        QCOMPARE(probe->fileBytes, std::uint64_t(QFile(file).size()));
    }

    void misleadingNameIsIgnored() {
        const QString file = saved(solid(10, 10), ".png", "photo.jpg");
        const Result<ImageProbe> probe = probeImage(file.toStdString());
        QVERIFY(probe.isOk());
        QCOMPARE(probe->format, ImageFormat::Png);
        QCOMPARE(mimeTypeOf(probe->format), std::string_view("image/png"));
    }

    void sniffsMagicNumbers_data() {
        QTest::addColumn<QByteArray>("head");
        QTest::addColumn<int>("format"); // -1: not a format we accept
        QTest::newRow("jpeg") << QByteArray::fromHex("FFD8FFE000104A464946") << int(ImageFormat::Jpeg);
        QTest::newRow("png") << QByteArray::fromHex("89504E470D0A1A0A0000") << int(ImageFormat::Png);
        QTest::newRow("gif87a") << QByteArray("GIF87a....") << int(ImageFormat::Gif);
        QTest::newRow("gif89a") << QByteArray("GIF89a....") << int(ImageFormat::Gif);
        QTest::newRow("webp") << QByteArray("RIFF\x10\0\0\0WEBPVP8 ", 16) << int(ImageFormat::WebP);
        QTest::newRow("tiff little-endian") << QByteArray("II\x2A\0\x08\0\0\0", 8) << int(ImageFormat::Tiff);
        QTest::newRow("tiff big-endian") << QByteArray("MM\0\x2A\0\0\0\x08", 8) << int(ImageFormat::Tiff);
        QTest::newRow("bigtiff") << QByteArray("II\x2B\0\x08\0\0\0", 8) << int(ImageFormat::Tiff);
        QTest::newRow("heic") << QByteArray("\0\0\0\x18"
                                            "ftypheic\0\0\0\0mif1heic",
                                            24)
                              << int(ImageFormat::Heif);
        QTest::newRow("generic heif") << QByteArray("\0\0\0\x18"
                                                    "ftypmif1\0\0\0\0mif1heic",
                                                    24)
                                      << int(ImageFormat::Heif);
        QTest::newRow("avif") << QByteArray("\0\0\0\x1C"
                                            "ftypavif\0\0\0\0avifmif1miaf",
                                            28)
                              << -1;
        QTest::newRow("avif as mif1") << QByteArray("\0\0\0\x18"
                                                    "ftypmif1\0\0\0\0mif1avif",
                                                    24)
                                      << -1;
        QTest::newRow("mp4 video") << QByteArray("\0\0\0\x18"
                                                 "ftypisom\0\0\0\0isomiso2",
                                                 24)
                                   << -1;
        QTest::newRow("riff wave") << QByteArray("RIFF\x10\0\0\0WAVEfmt ", 16) << -1;
        QTest::newRow("text") << QByteArray("Hello, this is not a photo") << -1;
        QTest::newRow("svg") << QByteArray("<svg xmlns=\"http://www.w3.org/2000/svg\"/>") << -1;
        QTest::newRow("pdf") << QByteArray("%PDF-1.7\n") << -1;
        QTest::newRow("two bytes of jpeg") << QByteArray::fromHex("FFD8") << -1;
        QTest::newRow("nothing") << QByteArray() << -1;
    }
    void sniffsMagicNumbers() {
        QFETCH(QByteArray, head);
        QFETCH(int, format);
        const std::optional<ImageFormat> sniffed = sniffFormat(asBytes(head));
        QCOMPARE(sniffed ? int(*sniffed) : -1, format);
    }

    void refusesWithAReason_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<Code>("code");
        QTest::addColumn<QString>("reason");
        QTest::newRow("zero-byte file") << "empty.jpg" << QByteArray() << Code::Unprocessable << "empty";
        QTest::newRow("text file named .jpg") << "notes.jpg" << QByteArray("just some text, honestly\n")
                                              << Code::UnsupportedMediaType << "not an image in a format we accept";
        QTest::newRow("PNG declaring 100000x100000")
            << "bomb.png" << declaredPng(100000, 100000) << Code::PayloadTooLarge << "limit is 100 megapixels";
        QTest::newRow("JPEG cut inside its header") << "cut.jpg" << QByteArray::fromHex("FFD8FFE000104A4649460001")
                                                    << Code::Unprocessable << "truncated or corrupt";
        QTest::newRow("PNG with a broken header")
            << "broken.png" << QByteArray::fromHex("89504E470D0A1A0A0000000D49484452DEADBEEF") << Code::Unprocessable
            << "truncated or corrupt";
    }
    void refusesWithAReason() {
        QFETCH(QString, name);
        QFETCH(QByteArray, bytes);
        QFETCH(Code, code);
        QFETCH(QString, reason);
        writeBytes(path(name), bytes);
        const Result<ImageProbe> probe = probeImage(path(name).toStdString());
        QVERIFY(!probe.isOk());
        QCOMPARE(probe.status().code(), code);
        QVERIFY2(QString::fromStdString(probe.status().message()).contains(reason), probe.status().message().c_str());
        // The same verdict for the bytes in memory.
        const Result<ImageProbe> inMemory = probeImageBytes(asBytes(bytes));
        QVERIFY(!inMemory.isOk());
        QCOMPARE(inMemory.status().code(), code);
    }

    void bombMessageNamesTheDeclaredSize() {
        writeBytes(path("bomb2.png"), declaredPng(100000, 100000));
        const Result<ImageProbe> probe = probeImage(path("bomb2.png").toStdString());
        QVERIFY(!probe.isOk());
        QVERIFY2(probe.status().message().find("100000 x 100000") != std::string::npos,
                 probe.status().message().c_str());
    }

    void headerWithinTheBoundIsRead() {
        // The same construction, declaring a size within the bound, is read (so the refusal above
        // is the bound, not the hand-made file).
        writeBytes(path("declared.png"), declaredPng(5000, 4000));
        const Result<ImageProbe> probe = probeImage(path("declared.png").toStdString());
        QVERIFY2(probe.isOk(), probe.isOk() ? "" : probe.status().message().c_str());
        QCOMPARE(probe->width, 5000);
        QCOMPARE(probe->height, 4000);
    }

    void pixelBoundIsInclusive_data() {
        QTest::addColumn<quint64>("maxPixels");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("exactly at the bound") << quint64(64 * 48) << true;
        QTest::newRow("one pixel under the image") << quint64(64 * 48 - 1) << false;
    }
    void pixelBoundIsInclusive() {
        QFETCH(quint64, maxPixels);
        QFETCH(bool, accepted);
        const QString file = saved(solid(64, 48), ".jpg", "bound.jpg");
        ProbeLimits limits;
        limits.maxPixels = maxPixels;
        const Result<ImageProbe> probe = probeImage(file.toStdString(), limits);
        QCOMPARE(probe.isOk(), accepted);
        if (!accepted)
            QCOMPARE(probe.status().code(), Code::PayloadTooLarge);
    }

    void fileSizeIsBounded() {
        const QString file = saved(solid(64, 48), ".png", "size.png");
        ProbeLimits limits;
        limits.maxFileBytes = std::uint64_t(QFile(file).size()) - 1;
        const Result<ImageProbe> probe = probeImage(file.toStdString(), limits);
        QVERIFY(!probe.isOk());
        QCOMPARE(probe.status().code(), Code::PayloadTooLarge);
    }

    void missingFileIsNotFound() {
        const Result<ImageProbe> probe = probeImage(path("nope.jpg").toStdString());
        QVERIFY(!probe.isOk());
        QCOMPARE(probe.status().code(), Code::NotFound);
    }

    void reportsOrientationAlphaAndProfile() {
        VImage image = solid(30, 20).copy();
        image.set(VIPS_META_ORIENTATION, 6);
        const QString jpeg = saved(image, ".jpg", "rotated.jpg");
        Result<ImageProbe> probe = probeImage(jpeg.toStdString());
        QVERIFY(probe.isOk());
        QCOMPARE(probe->orientation, 6);
        QVERIFY(!probe->hasAlpha);

        const VImage rgba = solid(30, 20).bandjoin(VImage::black(30, 20).new_from_image(128));
        const QString png =
            saved(rgba.copy(VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB)), ".png", "alpha.png");
        probe = probeImage(png.toStdString());
        QVERIFY(probe.isOk());
        QVERIFY(probe->hasAlpha);
        QCOMPARE(probe->orientation, 1);
    }

    void bytesInMemoryAreProbedLikeFiles() {
        const QString file = saved(solid(33, 17), ".webp", "mem.webp");
        const QByteArray bytes = readBytes(file);
        const Result<ImageProbe> probe = probeImageBytes(asBytes(bytes));
        QVERIFY2(probe.isOk(), probe.isOk() ? "" : probe.status().message().c_str());
        QCOMPARE(probe->format, ImageFormat::WebP);
        QCOMPARE(probe->width, 33);
        QCOMPARE(probe->height, 17);
    }
};

QTEST_GUILESS_MAIN(TestImageProbe)
#include "tst_imageprobe.moc"
