#include "media/metadata.h"

#include "core/log.h"
#include "media/exiv2support.h"

// exiv2 0.27's interface is built on std::auto_ptr, deprecated since C++11; the warning is about
// its headers and the handles they return, which we only hold within one function.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#include <exiv2/exiv2.hpp>

#include <cctype>
#include <cmath>
#include <stdexcept>

namespace pinhole::server::media {

namespace {

std::string trimmed(std::string s) {
    const auto notSpace = [](unsigned char c) { return !std::isspace(c) && c != '\0'; };
    while (!s.empty() && !notSpace(static_cast<unsigned char>(s.back())))
        s.pop_back();
    std::size_t start = 0;
    while (start < s.size() && !notSpace(static_cast<unsigned char>(s[start])))
        ++start;
    return s.substr(start);
}

// Looks tags up in the file's EXIF first, then in EXIF converted from its XMP (where editors and
// some phones put what cameras put in EXIF).
class Tags {
public:
    Tags(const Exiv2::ExifData& exif, const Exiv2::ExifData& fromXmp, const Exiv2::XmpData& xmp)
        : m_sources{&exif, &fromXmp}, m_xmp(xmp) {}

    // An XMP property as text (exiv2 does not convert every XMP property to EXIF, dates notably).
    std::optional<std::string> xmpText(const char* key) const {
        auto it = m_xmp.findKey(Exiv2::XmpKey(key));
        if (it == m_xmp.end())
            return std::nullopt;
        std::string s = trimmed(it->toString());
        return s.empty() ? std::nullopt : std::optional(s);
    }

    const Exiv2::Exifdatum* find(const char* key) const {
        const Exiv2::ExifKey exifKey(key);
        for (const Exiv2::ExifData* source : m_sources) {
            auto it = source->findKey(exifKey);
            if (it != source->end() && it->count() > 0)
                return &*it;
        }
        return nullptr;
    }

    std::optional<std::string> text(const char* key) const {
        const Exiv2::Exifdatum* datum = find(key);
        if (!datum)
            return std::nullopt;
        std::string s = trimmed(datum->toString());
        if (s.empty())
            return std::nullopt;
        return s;
    }

    // The n-th rational of a tag as a number; nothing for a zero denominator or a failed conversion.
    std::optional<double> rational(const char* key, long n = 0) const {
        const Exiv2::Exifdatum* datum = find(key);
        if (!datum || datum->count() <= n)
            return std::nullopt;
        const Exiv2::Rational r = datum->toRational(n);
        if (!datum->value().ok() || r.second == 0)
            return std::nullopt;
        const double v = double(r.first) / double(r.second);
        return std::isfinite(v) ? std::optional(v) : std::nullopt;
    }

    std::optional<long> integer(const char* key) const {
        const Exiv2::Exifdatum* datum = find(key);
        if (!datum)
            return std::nullopt;
        const long v = datum->toLong(0);
        return datum->value().ok() ? std::optional(v) : std::nullopt;
    }

private:
    const Exiv2::ExifData* m_sources[2];
    const Exiv2::XmpData& m_xmp;
};

bool isDigits(const std::string& s, std::size_t from, std::size_t count) {
    if (s.size() < from + count)
        return false;
    for (std::size_t i = from; i < from + count; ++i)
        if (!std::isdigit(static_cast<unsigned char>(s[i])))
            return false;
    return true;
}

// EXIF writes "2024:05:01 14:03:22"; cameras without a set clock write zeros or spaces.
std::optional<std::string> isoDateTime(const std::optional<std::string>& exif) {
    if (!exif || exif->size() < 19)
        return std::nullopt;
    const std::string& s = *exif;
    if (!isDigits(s, 0, 4) || !isDigits(s, 5, 2) || !isDigits(s, 8, 2) || !isDigits(s, 11, 2) || !isDigits(s, 14, 2) ||
        !isDigits(s, 17, 2) || s.compare(0, 4, "0000") == 0)
        return std::nullopt;
    return s.substr(0, 4) + "-" + s.substr(5, 2) + "-" + s.substr(8, 2) + "T" + s.substr(11, 2) + ":" +
           s.substr(14, 2) + ":" + s.substr(17, 2);
}

// EXIF 2.31 offsets: "+02:00", "-05:30".
bool isUtcOffset(const std::string& s) {
    return s.size() == 6 && (s[0] == '+' || s[0] == '-') && isDigits(s, 1, 2) && s[3] == ':' && isDigits(s, 4, 2);
}

// XMP writes ISO 8601: "2024-05-01T14:03:22", optionally with fractions and "Z" or "+02:00".
std::optional<std::string> isoFromXmp(const std::optional<std::string>& xmp) {
    if (!xmp || xmp->size() < 19 || (*xmp)[4] != '-' || (*xmp)[7] != '-' || (*xmp)[10] != 'T')
        return std::nullopt;
    std::string exifForm = *xmp;
    exifForm[4] = exifForm[7] = ':';
    exifForm[10] = ' ';
    std::optional<std::string> time = isoDateTime(exifForm);
    if (!time)
        return std::nullopt;
    std::size_t zone = 19;
    if (zone < xmp->size() && (*xmp)[zone] == '.')
        while (++zone < xmp->size() && std::isdigit(static_cast<unsigned char>((*xmp)[zone])))
            ;
    const std::string rest = xmp->substr(std::min(zone, xmp->size()));
    if (rest == "Z")
        *time += "+00:00";
    else if (isUtcOffset(rest))
        *time += rest;
    return time;
}

std::optional<std::string> captureTime(const Tags& tags) {
    const std::pair<const char*, const char*> kCandidates[] = {
        {"Exif.Photo.DateTimeOriginal", "Exif.Photo.OffsetTimeOriginal"},
        {"Exif.Photo.DateTimeDigitized", "Exif.Photo.OffsetTimeDigitized"},
    };
    for (const auto& [timeKey, offsetKey] : kCandidates) {
        std::optional<std::string> time = isoDateTime(tags.text(timeKey));
        if (!time)
            continue;
        if (const std::optional<std::string> offset = tags.text(offsetKey); offset && isUtcOffset(*offset))
            *time += *offset;
        return time;
    }
    for (const char* key : {"Xmp.exif.DateTimeOriginal", "Xmp.photoshop.DateCreated", "Xmp.xmp.CreateDate"})
        if (std::optional<std::string> time = isoFromXmp(tags.xmpText(key)))
            return time;
    return std::nullopt;
}

// GPS coordinates are three rationals (degrees, minutes, seconds) and a hemisphere letter.
std::optional<double> coordinate(const Tags& tags, const char* key, const char* refKey, char negativeRef,
                                 double limit) {
    const std::optional<double> degrees = tags.rational(key, 0);
    if (!degrees)
        return std::nullopt;
    const double minutes = tags.rational(key, 1).value_or(0);
    const double seconds = tags.rational(key, 2).value_or(0);
    double value = *degrees + minutes / 60 + seconds / 3600;
    const std::optional<std::string> ref = tags.text(refKey);
    if (ref && !ref->empty() && std::toupper(static_cast<unsigned char>((*ref)[0])) == negativeRef)
        value = -value;
    if (!std::isfinite(value) || std::abs(value) > limit)
        return std::nullopt;
    return value;
}

std::optional<GpsPosition> gpsPosition(const Tags& tags) {
    const std::optional<double> latitude =
        coordinate(tags, "Exif.GPSInfo.GPSLatitude", "Exif.GPSInfo.GPSLatitudeRef", 'S', 90);
    const std::optional<double> longitude =
        coordinate(tags, "Exif.GPSInfo.GPSLongitude", "Exif.GPSInfo.GPSLongitudeRef", 'W', 180);
    if (!latitude || !longitude)
        return std::nullopt;
    GpsPosition gps{*latitude, *longitude, std::nullopt};
    if (std::optional<double> altitude = tags.rational("Exif.GPSInfo.GPSAltitude")) {
        if (tags.integer("Exif.GPSInfo.GPSAltitudeRef").value_or(0) == 1)
            *altitude = -*altitude;
        gps.altitudeMetres = altitude;
    }
    return gps;
}

std::optional<double> fNumber(const Tags& tags) {
    if (std::optional<double> f = tags.rational("Exif.Photo.FNumber"); f && *f > 0)
        return f;
    // ApertureValue is in APEX units: f-number = 2^(Av/2).
    if (const std::optional<double> av = tags.rational("Exif.Photo.ApertureValue"))
        return std::round(std::pow(2.0, *av / 2) * 10) / 10;
    return std::nullopt;
}

std::optional<std::string> lensName(const Tags& tags, const Exiv2::ExifData& exif) {
    if (std::optional<std::string> model = tags.text("Exif.Photo.LensModel"))
        return model;
    // Older cameras only name the lens in their maker notes; exiv2 knows how to read those.
    const auto it = Exiv2::lensName(exif);
    if (it == exif.end())
        return std::nullopt;
    std::string name = trimmed(it->print(&exif));
    if (name.empty() || name == "n/a" || name == "Unknown" || name.front() == '(')
        return std::nullopt;
    return name;
}

void readExif(const std::string& path, PhotoMetadata& out) {
    // Opened as a plain file: given a bare path, exiv2 would also fetch http:// and ssh:// URLs.
    Exiv2::BasicIo::AutoPtr io(new Exiv2::FileIo(path));
    Exiv2::Image::AutoPtr image = Exiv2::ImageFactory::open(io);
    // Given an I/O object (not a path), exiv2 returns no image, instead of throwing, when none of
    // its readers claims the bytes, though libvips read them: found by tests/fuzz with a 48-byte
    // GIF that exiv2 0.27 does not recognise (regressions/metadata/exiv2-no-image-gif).
    if (!image.get())
        throw std::runtime_error("exiv2 recognises no image format in the file");
    image->readMetadata();
    const Exiv2::ExifData& exif = image->exifData();
    Exiv2::ExifData fromXmp;
    if (!image->xmpData().empty())
        Exiv2::copyXmpToExif(image->xmpData(), fromXmp);
    const Tags tags(exif, fromXmp, image->xmpData());

    out.captureTime = captureTime(tags);
    out.cameraMake = tags.text("Exif.Image.Make");
    out.cameraModel = tags.text("Exif.Image.Model");
    out.lens = lensName(tags, exif);
    if (std::optional<double> t = tags.rational("Exif.Photo.ExposureTime"); t && *t > 0)
        out.exposureSeconds = t;
    out.fNumber = fNumber(tags);
    if (const auto isoIt = Exiv2::isoSpeed(exif); isoIt != exif.end()) {
        const long iso = isoIt->toLong(0);
        if (isoIt->value().ok() && iso > 0 && iso < 10'000'000)
            out.iso = int(iso);
    }
    if (std::optional<double> f = tags.rational("Exif.Photo.FocalLength"); f && *f > 0)
        out.focalLengthMm = f;
    if (std::optional<long> f35 = tags.integer("Exif.Photo.FocalLengthIn35mmFilm"); f35 && *f35 > 0 && *f35 < 100'000)
        out.focalLength35mm = int(*f35);
    out.gps = gpsPosition(tags);
}

} // namespace

Result<PhotoMetadata> readMetadata(const std::string& path) {
    Result<ImageProbe> probe = probeImage(path);
    PINHOLE_TRY(probe);
    PhotoMetadata out;
    out.format = probe->format;
    // The orientation libvips reads is the one the derivatives are rotated by. (For HEIF the
    // decoder applies the container's rotation itself, and any EXIF orientation must be ignored,
    // as the HEIF specification says; libvips then reports 1.)
    out.orientation = probe->orientation;
    const bool sideways = out.orientation >= 5;
    out.width = sideways ? probe->height : probe->width;
    out.height = sideways ? probe->width : probe->height;

    try {
        const XmpScope scope;
        readExif(path, out);
    } catch (const Exiv2::AnyError& e) {
        log::warn("metadata_unreadable", {{"path", path}, {"error", e.what()}});
    } catch (const std::exception& e) {
        log::warn("metadata_unreadable", {{"path", path}, {"error", e.what()}});
    }
    return out;
}

} // namespace pinhole::server::media

#pragma GCC diagnostic pop
