// Hostile images (issue 10, item 3): a corpus made at test time — truncated and corrupt JPEG, PNG,
// WebP and HEIC, zero bytes, a wrong extension, decompression bombs (huge declared dimensions in
// every format, a PNG chunk declaring 1 GiB, a PNG text chunk that inflates to 256 MiB, a real
// 36-megapixel image of one colour), CMYK, 16-bit, alpha, animated GIF and WebP, absurd EXIF
// (huge values, an IFD loop, offsets past the end) and a JPEG/HTML/ZIP polyglot.
//
// Each file is checked twice: in-process through the pipeline's functions (probeImage,
// readMetadata, makeDerivatives: each refusal has its Code and a reason; what is accepted yields
// sane metadata and upright, stripped JPEG derivatives), and through the real pinholed
// (POST /api/v2/media): refused at once with 4xx and {"error"}, or accepted and then processed
// ("ready") or failed with a reason on the asset. After every file /healthz answers, and at the
// end the server's peak resident memory (VmHWM) is within kMemoryBound.
// libvips (GLib) first: Qt's `signals` macro would break GLib's headers.
#include "media/derivatives.h"
#include "media/imageprobe.h"
#include "media/imaging.h"
#include "media/metadata.h"

#include <vips/vips8>

#include "httpclient.h"
#include "serverprocess.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace pinhole::server;
using pinhole::test::HttpClient;
using pinhole::test::HttpReply;
using pinhole::test::ServerProcess;
using vips::VImage;

namespace {

const QString kPassword = QStringLiteral("correct horse battery staple");

// The bound on pinholed's peak resident memory over the whole corpus. pinholed idles at about
// 30 MB (PRODUCT.md, bench idle). On top: one POST /api/v2/media body, up to 64 MiB, held by the
// session and again as the handler's copy of the file part; and the derive jobs (one per core,
// two here), each holding its decoded base (at most 2048 px on the long edge for a wide image,
// 1080 x 4096 for a tall one, 8-bit RGB: under 25 MB) and the derivatives made from it, while
// the decoders stream the original in strips. The files here are small: the bound is on what
// the pixels and chunks they declare could make the server allocate, e.g. 30 GB for the
// 100000 x 100000 PNG, 256 MiB of inflated PNG text, 108 MB of decoded 36-megapixel RGB.
// So 256 MiB: what a small home server can give it, far below any of those.
// Under AddressSanitizer every allocation carries a redzone and freed memory stays in a 256 MiB
// quarantine, so the bound there is 4x that (still far below any bomb's decoded size).
#if defined(__SANITIZE_ADDRESS__)
constexpr qint64 kMemoryBoundKiB = 4 * 256 * 1024;
#else
constexpr qint64 kMemoryBoundKiB = 256 * 1024;
#endif

bool run(const QString& program, const QStringList& args) {
    QProcess p;
    p.start(QStandardPaths::findExecutable(program), args);
    return p.waitForFinished(120000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

QByteArray readFile(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool writeFile(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

QByteArray encoded(const VImage& image, const char* suffix) {
    void* buffer = nullptr;
    size_t size = 0;
    image.write_to_buffer(suffix, &buffer, &size);
    QByteArray out(static_cast<const char*>(buffer), qsizetype(size));
    g_free(buffer);
    return out;
}

// A smooth colour image, so that encoders produce real entropy-coded data to cut and corrupt.
VImage gradient(int width, int height) {
    const VImage x = VImage::xyz(width, height)[0] * (255.0 / width);
    const VImage y = VImage::xyz(width, height)[1] * (255.0 / height);
    return x.bandjoin(y)
        .bandjoin((x + y) / 2)
        .cast(VIPS_FORMAT_UCHAR)
        .copy(VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
}

quint32 crc32(const QByteArray& data) {
    quint32 crc = 0xffffffffu;
    for (char ch : data) {
        crc ^= static_cast<quint8>(ch);
        for (int k = 0; k < 8; ++k)
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

QByteArray be32(quint32 v) {
    QByteArray b(4, '\0');
    for (int i = 0; i < 4; ++i)
        b[i] = char((v >> (24 - 8 * i)) & 0xff);
    return b;
}

QByteArray le16(quint16 v) {
    return QByteArray(1, char(v & 0xff)) + char(v >> 8);
}

QByteArray le32(quint32 v) {
    return le16(quint16(v & 0xffff)) + le16(quint16(v >> 16));
}

QByteArray pngChunk(const QByteArray& type, const QByteArray& data, quint32 declaredLength) {
    return be32(declaredLength) + type + data + be32(crc32(type + data));
}

QByteArray pngChunk(const QByteArray& type, const QByteArray& data) {
    return pngChunk(type, data, quint32(data.size()));
}

// Inserts `chunk` right after a PNG's IHDR (signature 8 bytes + IHDR 25 bytes).
QByteArray withPngChunk(const QByteArray& png, const QByteArray& chunk) {
    return png.left(33) + chunk + png.mid(33);
}

// Inserts a marker segment right after a JPEG's SOI.
QByteArray withJpegSegment(const QByteArray& jpeg, quint8 marker, const QByteArray& payload) {
    const int length = int(payload.size()) + 2;
    return jpeg.left(2) + char(0xff) + char(marker) + char(length >> 8) + char(length & 0xff) + payload + jpeg.mid(2);
}

// Rewrites the frame size of a JPEG's first SOF0/SOF2 segment.
QByteArray withJpegSize(QByteArray jpeg, quint16 width, quint16 height) {
    for (int i = 2; i + 9 < jpeg.size(); ++i) {
        if (quint8(jpeg[i]) == 0xff && (quint8(jpeg[i + 1]) == 0xc0 || quint8(jpeg[i + 1]) == 0xc2)) {
            jpeg[i + 5] = char(height >> 8);
            jpeg[i + 6] = char(height & 0xff);
            jpeg[i + 7] = char(width >> 8);
            jpeg[i + 8] = char(width & 0xff);
            return jpeg;
        }
    }
    return {};
}

// Rewrites the size of a GIF's first frame (its image descriptor follows the global colour table
// and any extension blocks).
QByteArray withGifFrameSize(QByteArray gif, quint16 width, quint16 height) {
    qsizetype at = 13;
    if (quint8(gif[10]) & 0x80)
        at += 3 * (qsizetype(1) << ((quint8(gif[10]) & 7) + 1));
    while (at < gif.size() && quint8(gif[at]) == 0x21) { // extension: label, then sub-blocks
        at += 2;
        while (at < gif.size() && gif[at] != 0)
            at += quint8(gif[at]) + 1;
        ++at;
    }
    if (at + 9 > gif.size() || quint8(gif[at]) != 0x2c)
        return {};
    gif.replace(at + 5, 4, le16(width) + le16(height));
    return gif;
}

// One little-endian IFD entry: tag, type, count, value or offset.
QByteArray ifdEntry(quint16 tag, quint16 type, quint32 count, quint32 value) {
    return le16(tag) + le16(type) + le32(count) + le32(value);
}
constexpr quint16 kShort = 3, kLong = 4, kRational = 5, kAscii = 2;

// An APP1 EXIF payload: "Exif\0\0", a little-endian TIFF header and `ifds` (offsets inside the
// TIFF data start at 0 for "II"; IFD0 is at 8).
QByteArray exifPayload(const QByteArray& tiffAfterHeader) {
    return QByteArray("Exif\0\0", 6) + QByteArray("II*\0", 4) + le32(8) + tiffAfterHeader;
}

// What the pipeline must make of a file.
enum class Expect {
    Ready,            // accepted and processed: metadata and derivatives
    FailedProcessing, // accepted (its header is sound), then fails to decode: asset failed, reason
    Refused,          // refused at upload, before any decode: the Code in the row
};

} // namespace

Q_DECLARE_METATYPE(pinhole::server::Code)
Q_DECLARE_METATYPE(Expect)

class TestHostileImages : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    ServerProcess m_server;
    QString m_token;
    QMap<QString, QByteArray> m_corpus;

    QString tmp(const QString& name) const { return m_dir.filePath(name); }

    QByteArray viaImageMagick(const QString& name, const QStringList& args) {
        const QString out = tmp("im-" + name);
        if (!run("convert", args + QStringList{out}))
            return {};
        return readFile(out);
    }

    HttpReply postMultipart(HttpClient& http, const QByteArray& file, const QByteArray& name) {
        const QByteArray boundary = "hostileBoundary7d1e";
        const QByteArray body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" +
                                name + "\"\r\nContent-Type: image/jpeg\r\n\r\n" + file + "\r\n--" + boundary + "--\r\n";
        return http.send("POST", "/api/v2/media", body, "multipart/form-data; boundary=" + boundary);
    }

    qint64 serverMemoryKiB(const char* field) const {
        QFile status(QStringLiteral("/proc/%1/status").arg(m_server.pid()));
        if (!status.open(QIODevice::ReadOnly))
            return -1;
        for (const QByteArray& line : status.readAll().split('\n'))
            if (line.startsWith(field))
                return line.mid(qsizetype(qstrlen(field)) + 1).trimmed().split(' ').first().toLongLong();
        return -1;
    }

    void makeCorpus() {
        const VImage photo = gradient(320, 240);
        const QByteArray jpeg = encoded(photo, ".jpg[Q=90]");
        const QByteArray png = encoded(photo, ".png");
        const QByteArray webp = encoded(photo, ".webp[Q=80]");
        const QByteArray heic = encoded(photo, ".heic[Q=50]");
        QVERIFY(!jpeg.isEmpty() && !png.isEmpty() && !webp.isEmpty() && !heic.isEmpty());
        auto& c = m_corpus;

        // Truncated and corrupt.
        c["zero bytes"] = QByteArray();
        c["text named .jpg"] = "<html>not a photo</html>\n";
        c["jpeg cut in half"] = jpeg.left(jpeg.size() / 2);
        c["jpeg cut after its header"] = jpeg.left(jpeg.indexOf("\xff\xda") + 20);
        QByteArray scrambled = jpeg;
        for (qsizetype i = scrambled.size() / 3; i < scrambled.size() * 2 / 3; i += 7)
            scrambled[i] = char(scrambled[i] ^ 0x5a);
        c["jpeg with scrambled scan data"] = scrambled;
        c["png cut in half"] = png.left(png.size() / 2);
        QByteArray badCrc = png;
        badCrc[badCrc.indexOf("IDAT") + 10] = char(badCrc[badCrc.indexOf("IDAT") + 10] ^ 0xff);
        c["png with a corrupt IDAT"] = badCrc;
        c["webp cut in half"] = webp.left(webp.size() / 2);
        c["heic cut in half"] = heic.left(heic.size() / 2);
        c["png named .jpg"] = png;

        // Decompression bombs: what the header declares, refused before any pixel is decoded.
        c["png declaring 100000 x 100000"] =
            QByteArray::fromHex("89504e470d0a1a0a") +
            pngChunk("IHDR", be32(100000) + be32(100000) + QByteArray::fromHex("0802000000")) +
            pngChunk("IDAT", QByteArray::fromHex("789c030000000001")) + pngChunk("IEND", {});
        c["jpeg declaring 65500 x 65500"] = withJpegSize(jpeg, 65500, 65500);
        QByteArray gif = encoded(gradient(16, 16), ".gif");
        gif.replace(6, 4, le16(65535) + le16(65535)); // the logical screen
        c["gif declaring 65535 x 65535"] = withGifFrameSize(gif, 65535, 65535);
        // WebP: the VP8X canvas (24-bit width - 1, height - 1) and the VP8L bitstream's header
        // (signature 0x2f, then 14 bits each of width - 1 and height - 1) must agree.
        QByteArray lossless = encoded(gradient(16, 16), ".webp[lossless]");
        const qsizetype vp8x = lossless.indexOf("VP8X");
        const qsizetype vp8l = lossless.indexOf("VP8L");
        QVERIFY(vp8x > 0 && vp8l > 0);
        const quint32 side = 12000 - 1;
        lossless.replace(vp8x + 12, 6, le32(side).left(3) + le32(side).left(3));
        lossless.replace(vp8l + 9, 4, le32(side | side << 14 | (quint32(quint8(lossless[vp8l + 12])) & 0xf0u) << 24));
        c["webp declaring 12000 x 12000"] = lossless;
        c["png with a chunk declaring 1 GiB"] =
            withPngChunk(png, pngChunk("tEXt", QByteArray("Comment\0x", 9), 1u << 30));
        // zTXt "Comment": 256 MiB of spaces, deflated to about 256 KiB.
        c["png with text inflating to 256 MiB"] = withPngChunk(
            png, pngChunk("zTXt", QByteArray("Comment\0\0", 9) + qCompress(QByteArray(256 << 20, ' '), 9).mid(4)));
        c["36-megapixel png of one colour"] =
            encoded(VImage::black(6000, 6000, VImage::option()->set("bands", 3)), ".png[compression=9]");

        // Exotic but legitimate.
        c["cmyk jpeg"] = viaImageMagick("cmyk.jpg", {"-size", "320x240", "gradient:red-blue", "-colorspace", "CMYK"});
        c["16-bit png"] = viaImageMagick("deep16.png", {"-size", "320x240", "gradient:red-blue", "-depth", "16"});
        c["16-bit tiff"] = viaImageMagick("deep16.tif", {"-size", "320x240", "gradient:red-blue", "-depth", "16"});
        c["png with alpha"] = viaImageMagick("alpha.png", {"-size", "320x240", "gradient:red-none"});
        c["webp with alpha"] = encoded(gradient(320, 240).bandjoin(128), ".webp[Q=80]");
        c["animated gif"] = viaImageMagick(
            "anim.gif", {"-size", "320x240", "xc:red", "xc:blue", "xc:green", "-delay", "10", "-loop", "0"});
        c["animated webp"] =
            viaImageMagick("anim.webp", {"-size", "320x240", "xc:red", "xc:blue", "-delay", "10", "-loop", "0"});
        c["heic"] = heic;

        // Absurd EXIF, in an APP1 segment of a sound JPEG.
        // Huge values: orientation 65535, ISO 65535, rationals with zero and huge denominators,
        // an ASCII Make claiming 4 GiB, GPS degrees far past 90.
        const quint32 exifIfd = 8 + 2 + 4 * 12 + 4; // after IFD0 (4 entries)
        const quint32 gpsIfd = exifIfd + 2 + 3 * 12 + 4;
        const quint32 data = gpsIfd + 2 + 2 * 12 + 4;
        QByteArray huge = le16(4) + ifdEntry(0x010f, kAscii, 0xfffffff0u, data) + ifdEntry(0x0112, kShort, 1, 65535) +
                          ifdEntry(0x8769, kLong, 1, exifIfd) + ifdEntry(0x8825, kLong, 1, gpsIfd) + le32(0);
        huge += le16(3) + ifdEntry(0x8827, kShort, 1, 65535) + ifdEntry(0x829a, kRational, 1, data) +
                ifdEntry(0x829d, kRational, 1, data + 8) + le32(0);
        huge += le16(2) + ifdEntry(0x0001, kAscii, 2, 'N') + ifdEntry(0x0002, kRational, 3, data + 16) + le32(0);
        huge += le32(0xffffffffu) + le32(0) + le32(1) + le32(0xffffffffu) + le32(0xffffffffu) + le32(1) + le32(7) +
                le32(0) + le32(1) + le32(0);
        c["exif with huge values"] = withJpegSegment(jpeg, 0xe1, exifPayload(huge));
        // A loop: IFD0's next IFD is IFD0, and its EXIF sub-IFD is IFD0 too.
        const QByteArray loop = le16(2) + ifdEntry(0x0112, kShort, 1, 6) + ifdEntry(0x8769, kLong, 1, 8) + le32(8);
        c["exif with an ifd loop"] = withJpegSegment(jpeg, 0xe1, exifPayload(loop));
        // Offsets past the end: values, the sub-IFDs and the next IFD all point beyond the data;
        // IFD1 would hold 65535 entries.
        const QByteArray wild = le16(4) + ifdEntry(0x010f, kAscii, 64, 0x7ffffff0u) +
                                ifdEntry(0x0132, kAscii, 20, 0xfffffff0u) + ifdEntry(0x8769, kLong, 1, 0x7fffffffu) +
                                ifdEntry(0x8825, kLong, 1, 0xfffffffcu) + le32(8 + 2 + 4 * 12 + 4) + le16(0xffff);
        c["exif with offsets past the end"] = withJpegSegment(jpeg, 0xe1, exifPayload(wild));

        // A polyglot: a sound JPEG whose comment is an HTML page and which ends in a ZIP archive.
        const QByteArray html = "<html><script>alert('pinhole-polyglot')</script></html>";
        const QByteArray zip = QByteArray::fromHex("504b0506") + QByteArray(18, '\0'); // an empty archive
        c["jpeg + html + zip polyglot"] = withJpegSegment(jpeg, 0xfe, html) + zip;

        c["gif that exiv2 does not recognise"] = readFile(qEnvironmentVariable("PINHOLE_SOURCE_DIR") +
                                                          "/tests/fuzz/regressions/metadata/exiv2-no-image-gif");

        for (auto it = c.cbegin(); it != c.cend(); ++it)
            QVERIFY2(it.key() == "zero bytes" || !it.value().isEmpty(), qPrintable("could not make: " + it.key()));
    }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        QVERIFY(media::initImaging().isOk());
        makeCorpus();
        if (QTest::currentTestFailed())
            return;
        QVERIFY(m_server.start());
        QVERIFY(m_server.createUser("alice", kPassword));
        m_token = HttpClient(m_server.baseUrl()).login("alice", kPassword);
        QVERIFY(!m_token.isEmpty());
    }

    void cleanupTestCase() { QCOMPARE(m_server.stop(), 0); }

    void eachFile_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<Expect>("expect");
        QTest::addColumn<Code>("refusal");   // for Expect::Refused
        QTest::addColumn<QString>("reason"); // in the refusal's message, for Expect::Refused
        QTest::addColumn<int>("width");      // upright, for Expect::Ready
        QTest::addColumn<int>("height");
        const auto ready = [](const char* name, int w, int h) {
            QTest::newRow(name) << QString(name) << Expect::Ready << Code::Ok << QString() << w << h;
        };
        const auto failed = [](const char* name) {
            QTest::newRow(name) << QString(name) << Expect::FailedProcessing << Code::Ok << QString() << 0 << 0;
        };
        const auto refused = [](const char* name, Code code, const char* reason) {
            QTest::newRow(name) << QString(name) << Expect::Refused << code << QString(reason) << 0 << 0;
        };
        refused("zero bytes", Code::Unprocessable, "the file is empty");
        refused("text named .jpg", Code::UnsupportedMediaType, "not an image in a format we accept");
        failed("jpeg cut in half");
        failed("jpeg cut after its header");
        ready("jpeg with scrambled scan data", 320, 240);
        refused("png cut in half", Code::Unprocessable, "PNG file is truncated or corrupt");
        failed("png with a corrupt IDAT");
        refused("webp cut in half", Code::Unprocessable, "WebP file is truncated or corrupt");
        refused("heic cut in half", Code::Unprocessable, "HEIF file is truncated or corrupt");
        ready("png named .jpg", 320, 240);
        refused("png declaring 100000 x 100000", Code::PayloadTooLarge, "100000 x 100000 pixels");
        refused("jpeg declaring 65500 x 65500", Code::PayloadTooLarge, "65500 x 65500 pixels");
        refused("gif declaring 65535 x 65535", Code::PayloadTooLarge, "the limit is 100 megapixels");
        refused("webp declaring 12000 x 12000", Code::PayloadTooLarge, "12000 x 12000 pixels");
        // Regression (tests/fuzz, regressions/metadata/png-1gib-text-chunk): refused from the chunk
        // table, before libpng allocates the 1 GiB the chunk declares.
        refused("png with a chunk declaring 1 GiB", Code::Unprocessable, "its tEXt chunk declares 1073741824 bytes");
        ready("png with text inflating to 256 MiB", 320, 240);
        ready("36-megapixel png of one colour", 6000, 6000);
        ready("cmyk jpeg", 320, 240);
        ready("16-bit png", 320, 240);
        ready("16-bit tiff", 320, 240);
        ready("png with alpha", 320, 240);
        ready("webp with alpha", 320, 240);
        ready("animated gif", 320, 240);
        ready("animated webp", 320, 240);
        ready("heic", 320, 240);
        ready("exif with huge values", 320, 240);
        ready("exif with an ifd loop", 240, 320); // its orientation 6 (a quarter turn) is honoured
        ready("exif with offsets past the end", 320, 240);
        ready("jpeg + html + zip polyglot", 320, 240);
        // Regression (tests/fuzz, regressions/metadata/exiv2-no-image-gif): exiv2 recognises no
        // image in this 48-byte GIF that libvips reads; readMetadata used the null image it returned.
        ready("gif that exiv2 does not recognise", 512, 31239);
    }

    // In-process: the probe refuses before decoding, with the row's Code and a reason; whatever it
    // accepts either decodes into upright 8-bit sRGB JPEG derivatives without metadata, or fails
    // as Unprocessable with a reason. readMetadata never fails on what the probe accepted.
    void eachFile() {
        QFETCH(QString, name);
        QFETCH(Expect, expect);
        QFETCH(Code, refusal);
        QFETCH(QString, reason);
        QFETCH(int, width);
        QFETCH(int, height);
        QVERIFY2(m_corpus.contains(name), qPrintable(name));
        const QString file = tmp("in-" + QString::number(qHash(name)));
        QVERIFY(writeFile(file, m_corpus[name]));

        const Result<media::ImageProbe> probe = media::probeImage(file.toStdString());
        const Result<media::PhotoMetadata> meta = media::readMetadata(file.toStdString());
        if (expect == Expect::Refused) {
            QVERIFY2(!probe.isOk(), "accepted");
            QCOMPARE(probe.status().code(), refusal);
            QVERIFY2(QString::fromStdString(probe.status().message()).contains(reason),
                     probe.status().message().c_str());
            QVERIFY(!meta.isOk());
            QCOMPARE(meta.status().code(), refusal);
        } else {
            QVERIFY2(probe.isOk(), probe.isOk() ? "" : probe.status().message().c_str());
            QVERIFY2(meta.isOk(), meta.isOk() ? "" : meta.status().message().c_str());
            QVERIFY(meta->orientation >= 1 && meta->orientation <= 8);
            if (meta->iso)
                QVERIFY(*meta->iso > 0);
            if (meta->gps) {
                QVERIFY(std::abs(meta->gps->latitude) <= 90);
                QVERIFY(std::abs(meta->gps->longitude) <= 180);
            }
        }

        const QString out = tmp("out-" + QString::number(qHash(name)));
        const Result<media::DerivativeSet> made = media::makeDerivatives(file.toStdString(), out.toStdString());
        switch (expect) {
        case Expect::Refused:
            QVERIFY(!made.isOk());
            QCOMPARE(made.status().code(), refusal);
            break;
        case Expect::FailedProcessing:
            QVERIFY2(!made.isOk(), "decoded");
            QCOMPARE(made.status().code(), Code::Unprocessable);
            QVERIFY(!made.status().message().empty());
            break;
        case Expect::Ready: {
            QVERIFY2(made.isOk(), made.isOk() ? "" : made.status().message().c_str());
            QCOMPARE(meta->width, width);
            QCOMPARE(meta->height, height);
            for (const media::Derivative* d : {&made->thumb, &made->preview, &made->large}) {
                const VImage image = VImage::new_from_file(d->path.c_str());
                QCOMPARE(image.width(), d->width);
                QCOMPARE(image.height(), d->height);
                QCOMPARE(image.bands(), 3);
                QCOMPARE(image.format(), VIPS_FORMAT_UCHAR);
                QCOMPARE(image.get_typeof(VIPS_META_EXIF_NAME), GType(0));
                // The large derivative keeps the upright aspect ratio (within a pixel of rounding).
                if (d == &made->large)
                    QVERIFY(std::abs(double(d->width) / d->height - double(width) / height) < 0.02);
                // Re-encoded pixels only: nothing of a polyglot's other lives survives.
                QVERIFY(!readFile(QString::fromStdString(d->path)).contains("pinhole-polyglot"));
            }
            QVERIFY(!made->placeholder.empty());
            break;
        }
        }
    }

    // Through the real server: the same outcomes over HTTP, /healthz after each.
    void eachFileThroughTheServer_data() { eachFile_data(); }
    void eachFileThroughTheServer() {
        QFETCH(QString, name);
        QFETCH(Expect, expect);
        QFETCH(Code, refusal);
        QFETCH(QString, reason);
        QFETCH(int, width);
        QFETCH(int, height);
        HttpClient http(m_server.baseUrl(), m_token);
        const HttpReply r = postMultipart(http, m_corpus[name], "photo.jpg");
        if (expect == Expect::Refused) {
            QCOMPARE(r.status, refusal == Code::PayloadTooLarge        ? 413
                               : refusal == Code::UnsupportedMediaType ? 415
                                                                       : 422);
            QVERIFY2(r.json()["error"].toString().contains(reason), r.body);
        } else {
            QVERIFY2(r.status == 202 || r.status == 200, r.body);
            const QString id = r.json()["id"].toString();
            QJsonObject asset;
            QTRY_VERIFY_WITH_TIMEOUT(
                (asset = http.get("/api/pinhole/v1/assets/" + id).json())["state"].toString() != "processing", 120000);
            if (expect == Expect::FailedProcessing) {
                QCOMPARE(asset["state"].toString(), QString("failed"));
                QVERIFY(!asset["failure"].toString().isEmpty());
                QCOMPARE(http.get("/api/v1/media/" + id).status, 422);
            } else {
                QVERIFY2(asset["state"].toString() == "ready", qPrintable(asset["failure"].toString()));
                QCOMPARE(asset["width"].toInt(), width);
                QCOMPARE(asset["height"].toInt(), height);
                const HttpReply thumb = http.get("/media/" + id + "/thumb");
                QCOMPARE(thumb.status, 200);
                QCOMPARE(thumb.header("content-type"), QByteArray("image/jpeg"));
                QVERIFY(!thumb.body.contains("pinhole-polyglot"));
                // The original is the owner's bytes as sent, labelled by what they are, never sniffed.
                const HttpReply original = http.get("/media/" + id + "/original");
                QCOMPARE(original.status, 200);
                QCOMPARE(original.body, m_corpus[name]);
                QCOMPARE(original.header("x-content-type-options"), QByteArray("nosniff"));
                QVERIFY(original.header("content-type").startsWith("image/"));
            }
        }
        QCOMPARE(http.get("/healthz").status, 200);
        QVERIFY(m_server.isRunning());
    }

    // After the whole corpus (test functions run in order), the server's peak resident memory.
    void serverMemoryStayedWithinItsBound() {
        const qint64 peak = serverMemoryKiB("VmHWM:");
        const qint64 now = serverMemoryKiB("VmRSS:");
        qInfo("pinholed after the hostile corpus: VmHWM %lld KiB, VmRSS %lld KiB (bound %lld KiB)", peak, now,
              kMemoryBoundKiB);
        QVERIFY(peak > 0 && now > 0);
        QVERIFY2(peak <= kMemoryBoundKiB, qPrintable(QString("peak %1 KiB").arg(peak)));
    }
};

QTEST_GUILESS_MAIN(TestHostileImages)
#include "tst_hostile_images.moc"
