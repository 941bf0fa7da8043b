// Derivatives: thumb (square), preview (1080 wide) and large (2048 long edge) come out upright
// for all eight EXIF orientations (checked on pixels), in 8-bit sRGB, without any metadata, never
// upscaled, with a deterministic ThumbHash placeholder; bad originals are refused with a reason.
#include "media/derivatives.h"
#include "media/imaging.h"
#include "media/placeholder.h"

#include <vips/vips8>

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace pinhole::server;
using namespace pinhole::server::media;
using vips::VImage;

Q_DECLARE_METATYPE(pinhole::server::Code)

namespace {

using Rgb = std::vector<double>;
const Rgb kRed = {230, 20, 20};
const Rgb kGreen = {20, 200, 40};
const Rgb kBlue = {20, 40, 220};

VImage solid(int width, int height, const Rgb& rgb) {
    return VImage::black(width, height).new_from_image(rgb);
}

// 300x200, upright: red top-left block, green top-right block, blue elsewhere. Two adjacent
// corners tell all eight flips and rotations apart.
VImage markedUpright() {
    return solid(300, 200, kBlue).insert(solid(120, 80, kRed), 0, 0).insert(solid(120, 80, kGreen), 180, 0);
}

// What a camera stores for `orientation`: the upright view, transformed by the inverse of the
// rotation/flip that orientation asks a viewer to apply.
VImage storedFor(const VImage& upright, int orientation) {
    switch (orientation) {
    case 2: return upright.fliphor();
    case 3: return upright.rot180();
    case 4: return upright.flipver();
    case 5: return upright.rot90().fliphor(); // transpose
    case 6: return upright.rot270();          // viewer turns it 90 degrees clockwise
    case 7: return upright.rot90().flipver(); // transverse
    case 8: return upright.rot90();           // viewer turns it 90 degrees anticlockwise
    default: return upright;
    }
}

QString runTool(const QString& program, const QStringList& args, QByteArray* out = nullptr) {
    QProcess p;
    p.start(program, args);
    if (!p.waitForFinished(120'000))
        return program + " did not finish";
    if (out)
        *out = p.readAllStandardOutput();
    if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
        return program + " failed: " + QString::fromUtf8(p.readAllStandardError());
    return {};
}

bool colourNear(const std::vector<double>& pixel, const Rgb& expected, double tolerance = 24) {
    if (pixel.size() < 3)
        return false;
    for (int c = 0; c < 3; ++c)
        if (std::abs(pixel[std::size_t(c)] - expected[std::size_t(c)]) > tolerance)
            return false;
    return true;
}

QByteArray describe(const std::vector<double>& pixel) {
    QByteArray s = "(";
    for (double v : pixel)
        s += QByteArray::number(v) + " ";
    return s + ")";
}

std::vector<std::string> vipsFields(const VImage& image) {
    std::vector<std::string> names;
    gchar** fields = vips_image_get_fields(image.get_image());
    for (gchar** f = fields; f && *f; ++f)
        names.emplace_back(*f);
    g_strfreev(fields);
    return names;
}

// The average colour a ThumbHash carries in its header (the first three bytes), as a client
// decoding it would compute: L, P, Q averages back to RGB in 0..255.
Rgb averageOfThumbHash(const QByteArray& hash) {
    const auto byte = [&](int i) { return std::uint32_t(static_cast<unsigned char>(hash[i])); };
    const std::uint32_t header = byte(0) | (byte(1) << 8) | (byte(2) << 16);
    const double l = (header & 63) / 63.0;
    const double p = ((header >> 6) & 63) / 31.5 - 1;
    const double q = ((header >> 12) & 63) / 31.5 - 1;
    const double b = l - 2.0 / 3 * p;
    const double r = (3 * l - b + q) / 2;
    const double g = r - q;
    const auto clamp = [](double v) { return std::clamp(v, 0.0, 1.0) * 255; };
    return {clamp(r), clamp(g), clamp(b)};
}

} // namespace

class TestDerivatives : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    int m_count = 0;

    QString fresh(const QString& suffix) { return m_dir.filePath(QString("in-%1%2").arg(++m_count).arg(suffix)); }
    QString outDir() { return m_dir.filePath(QString("out-%1").arg(++m_count)); }

    QString saved(const VImage& image, const QString& suffix, vips::VOption* options = nullptr) {
        const QString file = fresh(suffix);
        image.write_to_file(file.toUtf8().constData(), options);
        return file;
    }

    static Result<DerivativeSet> derive(const QString& original, const QString& out, const DerivativeOptions& o = {}) {
        return makeDerivatives(original.toStdString(), out.toStdString(), o);
    }

    static VImage load(const Derivative& d) { return VImage::new_from_file(d.path.c_str()); }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        QVERIFY(initImaging().isOk());
    }

    void everyOrientationComesOutUpright_data() {
        QTest::addColumn<int>("orientation");
        for (int o = 1; o <= 8; ++o)
            QTest::addRow("orientation %d", o) << o;
    }
    void everyOrientationComesOutUpright() {
        QFETCH(int, orientation);
        const QString original =
            saved(storedFor(markedUpright(), orientation), ".jpg", VImage::option()->set("Q", 95)->set("strip", true));
        QCOMPARE(runTool("exiftool",
                         {"-overwrite_original", "-q", "-n", QString("-Orientation=%1").arg(orientation), original}),
                 QString());
        DerivativeOptions options;
        options.thumbCrop = CropFocus::Centre; // so the thumb's corners are predictable too
        const Result<DerivativeSet> set = derive(original, outDir(), options);
        QVERIFY2(set.isOk(), set.isOk() ? "" : set.status().message().c_str());

        for (const Derivative* d : {&set->large, &set->preview}) {
            const VImage image = load(*d);
            QCOMPARE(image.width(), 300);
            QCOMPARE(image.height(), 200);
            const auto topLeft = image.getpoint(20, 15);
            const auto topRight = image.getpoint(280, 15);
            const auto bottom = image.getpoint(150, 180);
            QVERIFY2(colourNear(topLeft, kRed), variantName(d->variant).data() + (" top-left " + describe(topLeft)));
            QVERIFY2(colourNear(topRight, kGreen),
                     variantName(d->variant).data() + (" top-right " + describe(topRight)));
            QVERIFY2(colourNear(bottom, kBlue), variantName(d->variant).data() + (" bottom " + describe(bottom)));
        }
        // The thumb: the centred 200x200 square (x 50..250) of the upright view.
        const VImage thumb = load(set->thumb);
        QCOMPARE(thumb.width(), 200);
        QCOMPARE(thumb.height(), 200);
        QVERIFY2(colourNear(thumb.getpoint(10, 10), kRed), describe(thumb.getpoint(10, 10)));
        QVERIFY2(colourNear(thumb.getpoint(190, 10), kGreen), describe(thumb.getpoint(190, 10)));
        QVERIFY2(colourNear(thumb.getpoint(100, 180), kBlue), describe(thumb.getpoint(100, 180)));
    }

    void derivativesCarryNoMetadata() {
        // An original with everything a phone writes: EXIF with GPS, XMP, an ICC profile.
        const QString original = saved(markedUpright(), ".jpg", VImage::option()->set("Q", 95)->set("profile", "srgb"));
        QCOMPARE(runTool("exiftool", {"-overwrite_original", "-q", "-n", "-Make=Pixel", "-Model=Pixel 8",
                                      "-GPSLatitude=52.37", "-GPSLatitudeRef=N", "-GPSLongitude=4.89",
                                      "-GPSLongitudeRef=E", "-XMP-dc:Creator=Someone", "-Orientation=1", original}),
                 QString());
        const QStringList groups = {"-EXIF:all", "-GPS:all", "-XMP:all", "-IPTC:all", "-ICC_Profile:all", "-s", "-s"};
        QByteArray before;
        QCOMPARE(runTool("exiftool", QStringList(groups) << original, &before), QString());
        QVERIFY2(before.contains("GPSLatitude") && before.contains("Creator") && before.contains("ProfileDescription"),
                 before.constData()); // the check below can see metadata when there is some

        const Result<DerivativeSet> set = derive(original, outDir());
        QVERIFY(set.isOk());
        for (const Derivative* d : {&set->thumb, &set->preview, &set->large}) {
            QByteArray after;
            QCOMPARE(runTool("exiftool", QStringList(groups) << QString::fromStdString(d->path), &after), QString());
            QVERIFY2(after.trimmed().isEmpty(), variantName(d->variant).data() + (": " + after));
            for (const std::string& field : vipsFields(load(*d)))
                QVERIFY2(field != VIPS_META_EXIF_NAME && field != VIPS_META_XMP_NAME && field != VIPS_META_ICC_NAME &&
                             field != VIPS_META_IPTC_NAME && field.rfind("exif-", 0) != 0,
                         field.c_str());
        }
    }

    void badOriginalsAreRefusedWithAReason_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<Code>("code");
        QTest::addColumn<QString>("reason");
        QTest::newRow("truncated JPEG") << "truncated.jpg" << Code::Unprocessable << "truncated or corrupt";
        QTest::newRow("zero-byte file") << "empty.jpg" << Code::Unprocessable << "empty";
        QTest::newRow("text file named .jpg") << "text.jpg" << Code::UnsupportedMediaType << "format we accept";
        QTest::newRow("PNG declaring 100000x100000") << "bomb.png" << Code::PayloadTooLarge << "megapixels";
    }
    void badOriginalsAreRefusedWithAReason() {
        QFETCH(QString, name);
        QFETCH(Code, code);
        QFETCH(QString, reason);
        const QString file = m_dir.filePath(name);
        QByteArray bytes;
        if (name == "truncated.jpg") {
            // A real photo-sized JPEG whose data stops at 60%: the header is intact, the scan is not.
            const QString whole = saved(VImage::gaussnoise(1600, 1200).cast(VIPS_FORMAT_UCHAR), ".jpg");
            QFile f(whole);
            QVERIFY(f.open(QIODevice::ReadOnly));
            bytes = f.readAll();
            bytes.truncate(bytes.size() * 6 / 10);
        } else if (name == "text.jpg") {
            bytes = "This is a shopping list, not a photo.\n";
        } else if (name == "bomb.png") {
            // A PNG header declaring 100000 x 100000 (30 GB of pixels), with a valid CRC.
            bytes = QByteArray::fromHex("89504E470D0A1A0A0000000D49484452000186A0000186A00802000000") +
                    QByteArray::fromHex("27309C9F") + QByteArray::fromHex("0000000749444154789C0300000001CCD2D916") +
                    QByteArray::fromHex("0000000049454E44AE426082");
        }
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(bytes);
        f.close();

        const QString out = outDir();
        const Result<DerivativeSet> set = derive(file, out);
        QVERIFY(!set.isOk());
        QCOMPARE(set.status().code(), code);
        QVERIFY2(QString::fromStdString(set.status().message()).contains(reason), set.status().message().c_str());
        QVERIFY(!QDir(out).exists() || QDir(out).isEmpty());
    }

    void everyAcceptedFormatMakesDerivatives_data() {
        QTest::addColumn<QString>("suffix");
        for (const char* s : {".jpg", ".png", ".webp", ".heic", ".gif", ".tif"})
            QTest::newRow(s + 1) << QString(s);
    }
    void everyAcceptedFormatMakesDerivatives() {
        QFETCH(QString, suffix);
        const Result<DerivativeSet> set = derive(saved(markedUpright(), suffix), outDir());
        QVERIFY2(set.isOk(), set.isOk() ? "" : set.status().message().c_str());
        QCOMPARE(load(set->large).width(), 300);
        QVERIFY(colourNear(load(set->large).getpoint(20, 15), kRed));
    }

    void exoticInputsBecome8BitSrgb_data() {
        QTest::addColumn<QString>("kind");
        QTest::newRow("CMYK JPEG with a profile") << "cmyk-profile";
        QTest::newRow("CMYK JPEG without a profile") << "cmyk-bare";
        QTest::newRow("16-bit PNG") << "png16";
        QTest::newRow("16-bit TIFF") << "tiff16";
        QTest::newRow("greyscale JPEG") << "grey";
    }
    void exoticInputsBecome8BitSrgb() {
        QFETCH(QString, kind);
        // Colour of the original and how close the derivative must come back to it.
        Rgb expected = {160, 80, 40};
        double tolerance = 8;
        QString original;
        if (kind == "cmyk-profile") {
            const VImage cmyk =
                solid(200, 150, expected).icc_transform("cmyk", VImage::option()->set("input_profile", "srgb"));
            QCOMPARE(cmyk.bands(), 4);
            original = saved(cmyk, ".jpg", VImage::option()->set("Q", 95));
            tolerance = 24; // a round trip through a press profile is not exact
        } else if (kind == "cmyk-bare") {
            original = fresh(".jpg");
            QCOMPARE(runTool("convert", {"-size", "200x150", "xc:rgb(160,80,40)", "-colorspace", "CMYK", "-quality",
                                         "95", original}),
                     QString());
            tolerance = 60; // naive CMYK numbers read through a press profile: only the hue survives
        } else if (kind == "png16" || kind == "tiff16") {
            const VImage deep = (solid(200, 150, expected) * 257)
                                    .cast(VIPS_FORMAT_USHORT)
                                    .copy(VImage::option()->set("interpretation", VIPS_INTERPRETATION_RGB16));
            original = saved(deep, kind == "png16" ? ".png" : ".tif");
            QCOMPARE(VImage::new_from_file(original.toUtf8().constData()).format(), VIPS_FORMAT_USHORT);
        } else {
            expected = {120, 120, 120};
            original = saved(VImage::black(200, 150).new_from_image(120).copy(
                                 VImage::option()->set("interpretation", VIPS_INTERPRETATION_B_W)),
                             ".jpg");
        }
        const Result<DerivativeSet> set = derive(original, outDir());
        QVERIFY2(set.isOk(), set.isOk() ? "" : set.status().message().c_str());
        for (const Derivative* d : {&set->thumb, &set->preview, &set->large}) {
            const VImage image = load(*d);
            QCOMPARE(image.bands(), 3);
            QCOMPARE(image.format(), VIPS_FORMAT_UCHAR);
            QCOMPARE(image.interpretation(), VIPS_INTERPRETATION_sRGB);
            const auto pixel = image.getpoint(image.width() / 2, image.height() / 2);
            QVERIFY2(colourNear(pixel, expected, tolerance), describe(pixel));
        }
    }

    void transparencyIsFlattenedOntoWhite() {
        const VImage clear = solid(80, 60, kRed)
                                 .bandjoin(VImage::black(80, 60))
                                 .copy(VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
        const Result<DerivativeSet> set = derive(saved(clear, ".png"), outDir());
        QVERIFY(set.isOk());
        const VImage large = load(set->large);
        QCOMPARE(large.bands(), 3);
        QVERIFY2(colourNear(large.getpoint(40, 30), {255, 255, 255}, 4), describe(large.getpoint(40, 30)));
    }

    void sizesFollowTheVariants_data() {
        QTest::addColumn<int>("width");
        QTest::addColumn<int>("height");
        QTest::addColumn<QSize>("large");
        QTest::addColumn<QSize>("preview");
        QTest::addColumn<int>("thumb");
        QTest::newRow("landscape 3:2") << 3000 << 2000 << QSize(2048, 1365) << QSize(1080, 720) << 360;
        QTest::newRow("portrait 2:3") << 2000 << 3000 << QSize(1365, 2048) << QSize(1080, 1620) << 360;
        QTest::newRow("square") << 2500 << 2500 << QSize(2048, 2048) << QSize(1080, 1080) << 360;
        QTest::newRow("tall panorama: preview height bounded")
            << 1000 << 5000 << QSize(410, 2048) << QSize(819, 4096) << 360;
        QTest::newRow("wide panorama: thumb still full size")
            << 8000 << 1000 << QSize(2048, 256) << QSize(1080, 135) << 360;
        QTest::newRow("small original is not upscaled") << 120 << 80 << QSize(120, 80) << QSize(120, 80) << 80;
        QTest::newRow("between the sizes") << 1500 << 1000 << QSize(1500, 1000) << QSize(1080, 720) << 360;
    }
    void sizesFollowTheVariants() {
        QFETCH(int, width);
        QFETCH(int, height);
        QFETCH(QSize, large);
        QFETCH(QSize, preview);
        QFETCH(int, thumb);
        const Result<DerivativeSet> set = derive(saved(solid(width, height, kBlue), ".jpg"), outDir());
        QVERIFY2(set.isOk(), set.isOk() ? "" : set.status().message().c_str());
        const auto sizeOf = [](const Derivative& d) { return QSize(d.width, d.height); };
        const auto sizeOnDisk = [&](const Derivative& d) {
            const VImage image = load(d);
            return QSize(image.width(), image.height());
        };
        QCOMPARE(sizeOf(set->large), large);
        QCOMPARE(sizeOf(set->preview), preview);
        QCOMPARE(sizeOf(set->thumb), QSize(thumb, thumb));
        for (const Derivative* d : {&set->thumb, &set->preview, &set->large}) {
            QCOMPARE(sizeOnDisk(*d), sizeOf(*d));
            QCOMPARE(std::uint64_t(QFile(QString::fromStdString(d->path)).size()), d->bytes);
        }
    }

    void thumbIsSquareWhateverTheShape_data() {
        QTest::addColumn<int>("width");
        QTest::addColumn<int>("height");
        QTest::newRow("landscape") << 1600 << 900;
        QTest::newRow("portrait") << 900 << 1600;
        QTest::newRow("smaller than a thumb") << 200 << 90;
    }
    void thumbIsSquareWhateverTheShape() {
        QFETCH(int, width);
        QFETCH(int, height);
        const Result<DerivativeSet> set = derive(
            saved(markedUpright().resize(double(width) / 300, VImage::option()->set("vscale", double(height) / 200)),
                  ".jpg"),
            outDir());
        QVERIFY(set.isOk());
        const VImage thumb = load(set->thumb);
        QCOMPARE(thumb.width(), thumb.height());
        QCOMPARE(thumb.width(), std::min({width, height, kThumbSize}));
    }

    void outputDirectoryHoldsExactlyTheDerivatives() {
        const QString original = saved(markedUpright(), ".jpg");
        const QString out = outDir();
        QVERIFY(derive(original, out).isOk());
        QVERIFY(derive(original, out).isOk()); // again: files are replaced, nothing is left over
        QDir dir(out);
        QCOMPARE(dir.entryList(QDir::Files | QDir::Hidden, QDir::Name),
                 QStringList({"large.jpg", "preview.jpg", "thumb.jpg"}));
    }

    void placeholderIsDeterministic() {
        const QString original = saved(markedUpright(), ".jpg");
        const Result<DerivativeSet> first = derive(original, outDir());
        const Result<DerivativeSet> second = derive(original, outDir());
        QVERIFY(first.isOk() && second.isOk());
        QVERIFY(!first->placeholder.empty());
        QCOMPARE(first->placeholder, second->placeholder);
        const QByteArray hash = QByteArray::fromBase64(QByteArray::fromStdString(first->placeholder),
                                                       QByteArray::AbortOnBase64DecodingErrors);
        QVERIFY(hash.size() >= 5 && hash.size() <= 32);
    }

    void placeholderCarriesTheAverageColour_data() {
        QTest::addColumn<Rgb>("colour");
        QTest::newRow("red") << kRed;
        QTest::newRow("green") << kGreen;
        QTest::newRow("blue") << kBlue;
        QTest::newRow("grey") << Rgb{128, 128, 128};
    }
    void placeholderCarriesTheAverageColour() {
        QFETCH(Rgb, colour);
        const Result<DerivativeSet> set = derive(saved(solid(400, 300, colour), ".png"), outDir());
        QVERIFY(set.isOk());
        const QByteArray hash = QByteArray::fromBase64(QByteArray::fromStdString(set->placeholder));
        const Rgb average = averageOfThumbHash(hash);
        QVERIFY2(colourNear(average, colour, 12), describe(average));
    }

    void thumbHashFlagsShapeAndAlpha() {
        std::vector<std::uint8_t> rgba(40 * 20 * 4, 255);
        Result<std::vector<std::uint8_t>> hash = thumbHash(40, 20, 4, rgba);
        QVERIFY(hash.isOk());
        QCOMPARE(hash->at(4) >> 7, 1); // landscape
        QCOMPARE(hash->at(2) >> 7, 0); // opaque
        for (std::size_t i = 3; i < rgba.size(); i += 4)
            rgba[i] = 0;                   // fully transparent
        hash = thumbHash(20, 40, 4, rgba); // and portrait
        QVERIFY(hash.isOk());
        QCOMPARE(hash->at(4) >> 7, 0);
        QCOMPARE(hash->at(2) >> 7, 1);
    }

    void thumbHashRefusesWhatItCannotEncode_data() {
        QTest::addColumn<int>("width");
        QTest::addColumn<int>("height");
        QTest::addColumn<int>("channels");
        QTest::addColumn<int>("bufferBytes");
        QTest::newRow("too wide") << 101 << 10 << 3 << 101 * 10 * 3;
        QTest::newRow("empty") << 0 << 10 << 3 << 0;
        QTest::newRow("two channels") << 10 << 10 << 2 << 200;
        QTest::newRow("short buffer") << 10 << 10 << 3 << 299;
    }
    void thumbHashRefusesWhatItCannotEncode() {
        QFETCH(int, width);
        QFETCH(int, height);
        QFETCH(int, channels);
        QFETCH(int, bufferBytes);
        const std::vector<std::uint8_t> pixels(std::size_t(bufferBytes), 7);
        const Result<std::vector<std::uint8_t>> hash = thumbHash(width, height, channels, pixels);
        QVERIFY(!hash.isOk());
        QCOMPARE(hash.status().code(), Code::InvalidArgument);
    }

    void base64IsStandardWithPadding_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::newRow("one") << QByteArray("f");
        QTest::newRow("two") << QByteArray("fo");
        QTest::newRow("three") << QByteArray("foo");
        QTest::newRow("high bits") << QByteArray::fromHex("FBFF00");
    }
    void base64IsStandardWithPadding() {
        QFETCH(QByteArray, bytes);
        const std::string encoded =
            toBase64({reinterpret_cast<const std::uint8_t*>(bytes.constData()), std::size_t(bytes.size())});
        QCOMPARE(QByteArray::fromStdString(encoded), bytes.toBase64());
    }
};

QTEST_GUILESS_MAIN(TestDerivatives)
#include "tst_derivatives.moc"
