// Photo metadata: capture time, camera, lens, exposure, GPS and orientation come out of EXIF
// (written here with exiftool, as cameras would) or XMP; a file without any is fine; the size is
// reported upright.
#include "media/imaging.h"
#include "media/metadata.h"

#include <vips/vips8>

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace pinhole::server;
using namespace pinhole::server::media;
using vips::VImage;

namespace {

// Runs exiftool on `file`; returns its error output, empty on success.
QString exiftool(const QString& file, QStringList args) {
    QProcess p;
    args << "-overwrite_original"
         << "-q" << file;
    p.start("exiftool", args);
    if (!p.waitForFinished(60'000))
        return "exiftool did not finish";
    if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
        return "exiftool failed: " + QString::fromUtf8(p.readAllStandardError());
    return {};
}

bool near(std::optional<double> value, double expected, double tolerance = 1e-6) {
    return value && std::abs(*value - expected) <= tolerance;
}

} // namespace

class TestMetadata : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    int m_count = 0;

    // A fresh 60x40 JPEG (or `suffix`) with no metadata at all.
    QString plainImage(const char* suffix = ".jpg") {
        const QString file = m_dir.filePath(QString("photo-%1%2").arg(++m_count).arg(suffix));
        VImage::black(60, 40)
            .new_from_image({90, 120, 200})
            .write_to_file(file.toUtf8().constData(), VImage::option()->set("strip", true));
        return file;
    }

    // A JPEG carrying what a camera writes.
    QString cameraImage(const QStringList& extraTags = {}) {
        const QString file = plainImage();
        QStringList tags = {"-n",
                            "-Make=Canon",
                            "-Model=Canon EOS R6",
                            "-LensModel=RF24-105mm F4 L IS USM",
                            "-DateTimeOriginal=2024:05:01 14:03:22",
                            "-OffsetTimeOriginal=+02:00",
                            "-ExposureTime=0.004",
                            "-FNumber=2.8",
                            "-ISO=400",
                            "-FocalLength=50",
                            "-FocalLengthIn35mmFormat=80",
                            "-GPSLatitude=51.5007",
                            "-GPSLatitudeRef=N",
                            "-GPSLongitude=0.1246",
                            "-GPSLongitudeRef=W",
                            "-GPSAltitude=35.5",
                            "-GPSAltitudeRef=0"};
        tags += extraTags;
        const QString error = exiftool(file, tags);
        return error.isEmpty() ? file : QString();
    }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        QVERIFY(initImaging().isOk());
    }

    void readsCameraFields() {
        const QString file = cameraImage();
        QVERIFY(!file.isEmpty());
        const Result<PhotoMetadata> m = readMetadata(file.toStdString());
        QVERIFY2(m.isOk(), m.isOk() ? "" : m.status().message().c_str());
        QCOMPARE(m->format, ImageFormat::Jpeg);
        QCOMPARE(m->captureTime.value_or(""), std::string("2024-05-01T14:03:22+02:00"));
        QCOMPARE(m->cameraMake.value_or(""), std::string("Canon"));
        QCOMPARE(m->cameraModel.value_or(""), std::string("Canon EOS R6"));
        QCOMPARE(m->lens.value_or(""), std::string("RF24-105mm F4 L IS USM"));
        QVERIFY(near(m->exposureSeconds, 0.004));
        QVERIFY(near(m->fNumber, 2.8));
        QCOMPARE(m->iso.value_or(0), 400);
        QVERIFY(near(m->focalLengthMm, 50));
        QCOMPARE(m->focalLength35mm.value_or(0), 80);
    }

    void readsGpsInDecimalDegrees() {
        const QString file = cameraImage();
        QVERIFY(!file.isEmpty());
        const Result<PhotoMetadata> m = readMetadata(file.toStdString());
        QVERIFY(m.isOk());
        QVERIFY(m->gps.has_value());
        // EXIF stores degrees/minutes/seconds as rationals: agree to about a metre.
        QVERIFY(near(m->gps->latitude, 51.5007, 1e-5));
        QVERIFY(near(m->gps->longitude, -0.1246, 1e-5));
        QVERIFY(near(m->gps->altitudeMetres, 35.5, 1e-3));
    }

    void hemispheresAndDepthSetTheSign_data() {
        QTest::addColumn<QString>("latRef");
        QTest::addColumn<QString>("lonRef");
        QTest::addColumn<int>("altRef");
        QTest::addColumn<double>("latitude");
        QTest::addColumn<double>("longitude");
        QTest::addColumn<double>("altitude");
        QTest::newRow("north east, above sea") << "N"
                                               << "E" << 0 << 33.8568 << 151.2153 << 12.0;
        QTest::newRow("south east, above sea") << "S"
                                               << "E" << 0 << -33.8568 << 151.2153 << 12.0;
        QTest::newRow("north west, below sea") << "N"
                                               << "W" << 1 << 33.8568 << -151.2153 << -12.0;
        QTest::newRow("south west, below sea") << "S"
                                               << "W" << 1 << -33.8568 << -151.2153 << -12.0;
    }
    void hemispheresAndDepthSetTheSign() {
        QFETCH(QString, latRef);
        QFETCH(QString, lonRef);
        QFETCH(int, altRef);
        QFETCH(double, latitude);
        QFETCH(double, longitude);
        QFETCH(double, altitude);
        const QString file = plainImage();
        QCOMPARE(exiftool(file,
                          {"-n", "-GPSLatitude=33.8568", "-GPSLatitudeRef=" + latRef, "-GPSLongitude=151.2153",
                           "-GPSLongitudeRef=" + lonRef, "-GPSAltitude=12", QString("-GPSAltitudeRef=%1").arg(altRef)}),
                 QString());
        const Result<PhotoMetadata> m = readMetadata(file.toStdString());
        QVERIFY(m.isOk());
        QVERIFY(m->gps.has_value());
        QVERIFY(near(m->gps->latitude, latitude, 1e-5));
        QVERIFY(near(m->gps->longitude, longitude, 1e-5));
        QVERIFY(near(m->gps->altitudeMetres, altitude, 1e-3));
    }

    void fileWithoutMetadataHasEmptyFields_data() {
        QTest::addColumn<QString>("suffix");
        QTest::newRow("jpeg") << ".jpg";
        QTest::newRow("png") << ".png";
        QTest::newRow("webp") << ".webp";
        QTest::newRow("gif") << ".gif";
        QTest::newRow("tiff") << ".tif";
        QTest::newRow("heic") << ".heic";
    }
    void fileWithoutMetadataHasEmptyFields() {
        QFETCH(QString, suffix);
        const QString file = plainImage(suffix.toUtf8().constData());
        const Result<PhotoMetadata> m = readMetadata(file.toStdString());
        QVERIFY2(m.isOk(), m.isOk() ? "" : m.status().message().c_str());
        QCOMPARE(m->width, 60);
        QCOMPARE(m->height, 40);
        QCOMPARE(m->orientation, 1);
        QVERIFY(!m->captureTime);
        QVERIFY(!m->cameraMake);
        QVERIFY(!m->cameraModel);
        QVERIFY(!m->lens);
        QVERIFY(!m->exposureSeconds);
        QVERIFY(!m->fNumber);
        QVERIFY(!m->iso);
        QVERIFY(!m->focalLengthMm);
        QVERIFY(!m->gps);
    }

    void sizeIsUpright_data() {
        QTest::addColumn<int>("orientation");
        QTest::addColumn<int>("width");
        QTest::addColumn<int>("height");
        for (int o = 1; o <= 8; ++o)
            QTest::addRow("orientation %d", o) << o << (o >= 5 ? 40 : 60) << (o >= 5 ? 60 : 40);
    }
    void sizeIsUpright() {
        QFETCH(int, orientation);
        QFETCH(int, width);
        QFETCH(int, height);
        const QString file = plainImage();
        QCOMPARE(exiftool(file, {"-n", QString("-Orientation=%1").arg(orientation)}), QString());
        const Result<PhotoMetadata> m = readMetadata(file.toStdString());
        QVERIFY(m.isOk());
        QCOMPARE(m->orientation, orientation);
        QCOMPARE(m->width, width);
        QCOMPARE(m->height, height);
    }

    void xmpFillsInWhatExifLacks() {
        const QString file = plainImage(".png");
        QCOMPARE(exiftool(file, {"-XMP-exif:DateTimeOriginal=2021:12:24 18:30:00+01:00", "-XMP-tiff:Make=Apple",
                                 "-XMP-exif:GPSLatitude=48 51 29.9 N", "-XMP-exif:GPSLongitude=2 17 40.2 E"}),
                 QString());
        const Result<PhotoMetadata> m = readMetadata(file.toStdString());
        QVERIFY(m.isOk());
        QCOMPARE(m->captureTime.value_or(""), std::string("2021-12-24T18:30:00+01:00"));
        QCOMPARE(m->cameraMake.value_or(""), std::string("Apple"));
        QVERIFY(m->gps.has_value());
        QVERIFY(near(m->gps->latitude, 48.858306, 1e-4));
        QVERIFY(near(m->gps->longitude, 2.294500, 1e-4));
    }

    void captureTimeWithoutOffsetHasNone() {
        const QString file = plainImage();
        QCOMPARE(exiftool(file, {"-DateTimeOriginal=2019:07:04 09:15:00"}), QString());
        const Result<PhotoMetadata> m = readMetadata(file.toStdString());
        QVERIFY(m.isOk());
        QCOMPARE(m->captureTime.value_or(""), std::string("2019-07-04T09:15:00"));
    }

    void unsetCameraClockIsNoCaptureTime() {
        const QString file = plainImage();
        QCOMPARE(exiftool(file, {"-DateTimeOriginal#=0000:00:00 00:00:00"}), QString());
        const Result<PhotoMetadata> m = readMetadata(file.toStdString());
        QVERIFY(m.isOk());
        QVERIFY(!m->captureTime);
    }

    void apertureValueStandsInForFNumber() {
        const QString file = plainImage();
        // exiftool takes the f-number and stores its APEX value, 2 log2(2.8) = 2.97.
        QCOMPARE(exiftool(file, {"-ApertureValue=2.8"}), QString());
        const Result<PhotoMetadata> m = readMetadata(file.toStdString());
        QVERIFY(m.isOk());
        QVERIFY(near(m->fNumber, 2.8, 1e-9));
    }

    void refusalsOfTheProbeAreKept() {
        const QString file = m_dir.filePath("letter.jpg");
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("Dear diary,\n");
        f.close();
        const Result<PhotoMetadata> m = readMetadata(file.toStdString());
        QVERIFY(!m.isOk());
        QCOMPARE(m.status().code(), Code::UnsupportedMediaType);
    }
};

QTEST_GUILESS_MAIN(TestMetadata)
#include "tst_metadata.moc"
