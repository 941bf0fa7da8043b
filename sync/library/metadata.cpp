#include "library/metadata.h"

#include <exiv2/exiv2.hpp>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <mutex>

namespace pinhole::sync {

std::optional<std::string> sniffImageFormat(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    char b[12] = {};
    if (!in.read(b, sizeof b))
        return std::nullopt;
    const auto* u = reinterpret_cast<const unsigned char*>(b);
    if (u[0] == 0xFF && u[1] == 0xD8 && u[2] == 0xFF)
        return "jpeg";
    if (std::memcmp(b, "\x89PNG\r\n\x1a\n", 8) == 0)
        return "png";
    if (std::memcmp(b, "RIFF", 4) == 0 && std::memcmp(b + 8, "WEBP", 4) == 0)
        return "webp";
    if (std::memcmp(b + 4, "ftyp", 4) == 0)
        return "heif";
    if (std::memcmp(b, "GIF8", 4) == 0)
        return "gif";
    if (std::memcmp(b, "II*\0", 4) == 0 || std::memcmp(b, "MM\0*", 4) == 0)
        return "tiff";
    return std::nullopt;
}

namespace {
std::optional<std::string> exifString(const Exiv2::ExifData& exif, const char* key) {
    const auto it = exif.findKey(Exiv2::ExifKey(key));
    if (it == exif.end())
        return std::nullopt;
    std::string value = it->toString();
    while (!value.empty() && (value.back() == ' ' || value.back() == '\0'))
        value.pop_back();
    if (value.empty())
        return std::nullopt;
    return value;
}

// A rational shown as people write it on a camera: "2.8", "35", never "28/10".
std::string decimalText(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4g", v);
    return buf;
}

std::optional<double> exifNumber(const Exiv2::ExifData& exif, const char* key) {
    const auto it = exif.findKey(Exiv2::ExifKey(key));
    if (it == exif.end() || it->count() == 0)
        return std::nullopt;
    const auto r = it->toRational(0);
    if (r.second == 0)
        return std::nullopt;
    return static_cast<double>(r.first) / r.second;
}

// "1/250" for exposures under a second (as a camera shows them), else seconds ("2", "0.5").
std::optional<std::string> exposureText(const Exiv2::ExifData& exif) {
    const auto it = exif.findKey(Exiv2::ExifKey("Exif.Photo.ExposureTime"));
    if (it == exif.end() || it->count() == 0)
        return std::nullopt;
    const auto r = it->toRational(0);
    if (r.first <= 0 || r.second <= 0)
        return std::nullopt;
    if (r.first < r.second) {
        const double denominator = static_cast<double>(r.second) / r.first;
        return "1/" + decimalText(std::round(denominator));
    }
    return decimalText(static_cast<double>(r.first) / r.second);
}

// GPS degrees, minutes, seconds and the N/S (E/W) reference as signed decimal degrees.
std::optional<double> gpsCoordinate(const Exiv2::ExifData& exif, const char* key, const char* refKey, char negative) {
    const auto it = exif.findKey(Exiv2::ExifKey(key));
    if (it == exif.end() || it->count() < 3)
        return std::nullopt;
    double degrees = 0;
    double scale = 1;
    for (long i = 0; i < 3; ++i, scale *= 60) {
        const auto r = it->toRational(i);
        if (r.second == 0)
            return std::nullopt;
        degrees += static_cast<double>(r.first) / r.second / scale;
    }
    const auto ref = exifString(exif, refKey);
    if (ref && !ref->empty() && (*ref)[0] == negative)
        degrees = -degrees;
    return degrees;
}
} // namespace

std::string mimeTypeOf(const std::string& format) {
    if (format.empty())
        return {};
    return "image/" + format; // jpeg, png, webp, heif, gif, tiff are all registered this way
}

PhotoMetadata readPhotoMetadata(const std::string& path) {
    static std::once_flag quiet;
    std::call_once(quiet, [] { Exiv2::LogMsg::setLevel(Exiv2::LogMsg::mute); });
    PhotoMetadata m;
    if (const auto format = sniffImageFormat(path))
        m.mimeType = mimeTypeOf(*format);
    try {
        auto image = Exiv2::ImageFactory::open(path);
        if (image.get() == nullptr)
            return m;
        image->readMetadata();
        if (image->pixelWidth() > 0)
            m.width = image->pixelWidth();
        if (image->pixelHeight() > 0)
            m.height = image->pixelHeight();
        const auto& exif = image->exifData();
        m.takenAt = exifString(exif, "Exif.Photo.DateTimeOriginal");
        m.cameraMake = exifString(exif, "Exif.Image.Make");
        m.cameraModel = exifString(exif, "Exif.Image.Model");
        if (const auto o = exif.findKey(Exiv2::ExifKey("Exif.Image.Orientation")); o != exif.end() && o->count() > 0) {
            const long value = o->toLong(0);
            if (value >= 1 && value <= 8)
                m.orientation = static_cast<int>(value);
        }
        m.lens = exifString(exif, "Exif.Photo.LensModel");
        m.exposureTime = exposureText(exif);
        if (const auto f = exifNumber(exif, "Exif.Photo.FNumber"); f && *f > 0)
            m.fNumber = decimalText(*f);
        m.iso = exifString(exif, "Exif.Photo.ISOSpeedRatings");
        if (const auto f = exifNumber(exif, "Exif.Photo.FocalLength"); f && *f > 0)
            m.focalLength = decimalText(*f);
        m.latitude = gpsCoordinate(exif, "Exif.GPSInfo.GPSLatitude", "Exif.GPSInfo.GPSLatitudeRef", 'S');
        m.longitude = gpsCoordinate(exif, "Exif.GPSInfo.GPSLongitude", "Exif.GPSInfo.GPSLongitudeRef", 'W');
    } catch (const Exiv2::AnyError&) {
        // Unreadable metadata is not an import failure: the asset keeps what is known.
    }
    return m;
}

} // namespace pinhole::sync
