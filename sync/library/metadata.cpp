#include "library/metadata.h"

#include <exiv2/exiv2.hpp>

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
} // namespace

PhotoMetadata readPhotoMetadata(const std::string& path) {
    static std::once_flag quiet;
    std::call_once(quiet, [] { Exiv2::LogMsg::setLevel(Exiv2::LogMsg::mute); });
    PhotoMetadata m;
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
    } catch (const Exiv2::AnyError&) {
        // Unreadable metadata is not an import failure: the asset keeps what is known.
    }
    return m;
}

} // namespace pinhole::sync
