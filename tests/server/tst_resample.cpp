// The resampler (server/media/resample.h) against libvips' own Lanczos-3 resize: the same image
// within 40 dB PSNR for 1, 3 and 4 bands, odd sizes, one-pixel outputs and one axis alone; a flat
// image stays exactly flat; metadata survives; a lazy (sequentially decoded) input gives the
// same result as one in memory; what it does not handle is said so by canResample().
#include "media/imaging.h"
#include "media/resample.h"

#include <vips/vips8>

#include <QTest>

#include <cmath>
#include <cstring>

using namespace pinhole::server::media;
using vips::VImage;

namespace {

// A smooth, photo-like test card with detail at several scales, different in every band:
// gradients, rings and blurred noise (seeded: the same every run), 8-bit.
VImage testCard(int width, int height, int bands) {
    const VImage xy = VImage::xyz(width, height);
    const VImage x = xy[0];
    const VImage y = xy[1];
    const VImage rings = ((x - width / 2.0).pow(2) + (y - height / 2.0).pow(2)).pow(0.5);
    std::vector<VImage> planes;
    for (int b = 0; b < bands; ++b) {
        const VImage noise = VImage::gaussnoise(width, height, VImage::option()->set("sigma", 60)->set("mean", 128)->set("seed", 42 + b))
                                 .gaussblur(1.5 + b);
        const VImage wave = ((rings * (0.05 + 0.02 * b)).sin() * 60); // degrees: rings a few px apart
        const VImage ramp = (b % 2 == 0 ? x * (80.0 / width) : y * (80.0 / height));
        planes.push_back((noise * 0.6 + wave + ramp + 20).cast(VIPS_FORMAT_UCHAR));
    }
    return VImage::bandjoin(planes).copy_memory();
}

VImage vipsResize(const VImage& image, int width, int height) {
    return image.resize(double(width) / image.width(), VImage::option()->set("vscale", double(height) / image.height()));
}

double psnr(const VImage& a, const VImage& b) {
    const VImage d = a.cast(VIPS_FORMAT_DOUBLE) - b.cast(VIPS_FORMAT_DOUBLE);
    const double mse = (d * d).avg();
    return mse == 0 ? 99 : 10 * std::log10(255.0 * 255.0 / mse);
}

} // namespace

class TestResample : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY(initImaging().isOk()); }

    void matchesLibvipsResize_data() {
        QTest::addColumn<int>("bands");
        QTest::addColumn<int>("inWidth");
        QTest::addColumn<int>("inHeight");
        QTest::addColumn<int>("outWidth");
        QTest::addColumn<int>("outHeight");
        for (int bands : {1, 3, 4}) {
            // The pipeline's steps: half-size decode -> large -> preview -> thumb -> placeholder.
            QTest::addRow("%d bands, large", bands) << bands << 2304 << 1440 << 2048 << 1280;
            QTest::addRow("%d bands, preview", bands) << bands << 2048 << 1280 << 1080 << 675;
            QTest::addRow("%d bands, portrait", bands) << bands << 720 << 1152 << 360 << 576;
            QTest::addRow("%d bands, placeholder", bands) << bands << 576 << 360 << 100 << 63;
            QTest::addRow("%d bands, odd sizes", bands) << bands << 1001 << 667 << 333 << 229;
            QTest::addRow("%d bands, width only", bands) << bands << 999 << 500 << 451 << 500;
            QTest::addRow("%d bands, height only", bands) << bands << 500 << 999 << 500 << 451;
            QTest::addRow("%d bands, to one row", bands) << bands << 40 << 30 << 20 << 1;
            QTest::addRow("%d bands, to one pixel", bands) << bands << 3 << 2 << 1 << 1;
            QTest::addRow("%d bands, from one column", bands) << bands << 1 << 300 << 1 << 97;
        }
    }
    void matchesLibvipsResize() {
        QFETCH(int, bands);
        QFETCH(int, inWidth);
        QFETCH(int, inHeight);
        QFETCH(int, outWidth);
        QFETCH(int, outHeight);
        const VImage in = testCard(inWidth, inHeight, bands);
        QVERIFY(canResample(in, outWidth, outHeight));
        const VImage ours = resample(in, outWidth, outHeight);
        const VImage theirs = vipsResize(in, outWidth, outHeight);
        QCOMPARE(ours.width(), outWidth);
        QCOMPARE(ours.height(), outHeight);
        QCOMPARE(ours.bands(), bands);
        QCOMPARE(ours.format(), VIPS_FORMAT_UCHAR);
        QCOMPARE(theirs.width(), outWidth);
        QCOMPARE(theirs.height(), outHeight);
        const double db = psnr(ours, theirs);
        QVERIFY2(db >= 40, qPrintable(QStringLiteral("PSNR %1 dB against libvips' resize").arg(db)));
    }

    void flatImageStaysExactlyFlat_data() {
        QTest::addColumn<int>("bands");
        QTest::addColumn<double>("value");
        for (int bands : {1, 3, 4})
            for (double value : {0.0, 1.0, 128.0, 254.0, 255.0})
                QTest::addRow("%d bands, %g", bands, value) << bands << value;
    }
    void flatImageStaysExactlyFlat() {
        QFETCH(int, bands);
        QFETCH(double, value);
        const VImage in =
            (VImage::black(777, 555, VImage::option()->set("bands", bands)) + value).cast(VIPS_FORMAT_UCHAR);
        for (const auto& [w, h] : {std::pair{640, 400}, std::pair{100, 71}, std::pair{1, 1}, std::pair{777, 3}}) {
            const VImage out = resample(in, w, h);
            QCOMPARE(out.min(), value);
            QCOMPARE(out.max(), value);
        }
    }

    void sameSizeIsTheSameImage() {
        const VImage in = testCard(123, 45, 3);
        const VImage out = resample(in, 123, 45);
        QCOMPARE((out == in).min(), 255.0);
    }

    // The pipeline colour-manages and rotates after resizing: both need the metadata.
    void keepsMetadata() {
        VImage in = testCard(400, 300, 3).copy();
        const std::vector<unsigned char> profile = {'n', 'o', 't', ' ', 'a', 'n', ' ', 'I', 'C', 'C'};
        vips_image_set_blob_copy(in.get_image(), VIPS_META_ICC_NAME, profile.data(), profile.size());
        in.set(VIPS_META_ORIENTATION, 6);
        in.set("exif-ifd0-Make", "Canon");
        const VImage out = resample(in, 200, 150);
        QCOMPARE(out.get_int(VIPS_META_ORIENTATION), 6);
        QCOMPARE(QByteArray(out.get_string("exif-ifd0-Make")), QByteArray("Canon"));
        std::size_t length = 0;
        const void* data = out.get_blob(VIPS_META_ICC_NAME, &length);
        QCOMPARE(length, profile.size());
        QVERIFY(std::memcmp(data, profile.data(), length) == 0);
        QCOMPARE(out.interpretation(), in.interpretation());
    }

    // The derivative pipeline hands it a JPEG being decoded top to bottom.
    void lazySequentialInputGivesTheSameResult() {
        const VImage card = testCard(1200, 800, 3);
        VipsBlob* blob = card.jpegsave_buffer(VImage::option()->set("Q", 90));
        const VImage decoded = VImage::jpegload_buffer(blob, VImage::option()->set("access", VIPS_ACCESS_SEQUENTIAL));
        const VImage fromMemory = resample(VImage::jpegload_buffer(blob).copy_memory(), 1000, 667);
        const VImage fromDecoder = resample(decoded, 1000, 667);
        vips_area_unref(VIPS_AREA(blob));
        QCOMPARE((fromDecoder == fromMemory).min(), 255.0);
    }

    void saysWhatItDoesNotHandle() {
        const VImage rgb = testCard(100, 100, 3);
        QVERIFY(canResample(rgb, 50, 50));
        QVERIFY(canResample(rgb, 100, 1));
        QVERIFY(!canResample(rgb, 101, 50)); // enlarging
        QVERIFY(!canResample(rgb, 50, 0));
        QVERIFY(!canResample(rgb.cast(VIPS_FORMAT_USHORT), 50, 50));
        QVERIFY(!canResample(rgb.extract_band(0, VImage::option()->set("n", 2)), 50, 50)); // grey + alpha
    }
};

QTEST_GUILESS_MAIN(TestResample)
#include "tst_resample.moc"
