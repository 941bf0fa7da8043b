// What a local import learns about a photo before any server sees it: its format (by its
// bytes, not its name) and the EXIF basics, through exiv2. Threading: thread-safe.
#pragma once

#include <optional>
#include <string>

namespace pinhole::sync {

// "jpeg", "png", "webp", "heif", "gif", "tiff" — the formats the server accepts — or nullopt.
std::optional<std::string> sniffImageFormat(const std::string& path);

struct PhotoMetadata {
    std::optional<int> width;
    std::optional<int> height;
    std::optional<std::string> takenAt; // EXIF DateTimeOriginal, "YYYY:MM:DD HH:MM:SS"
    std::optional<std::string> cameraMake;
    std::optional<std::string> cameraModel;
    int orientation = 1;                       // EXIF 1..8 (1: upright as stored)
    std::optional<std::string> lens;           // Exif.Photo.LensModel
    std::optional<std::string> exposureTime;   // "1/250", "2" (seconds)
    std::optional<std::string> fNumber;        // "2.8"
    std::optional<std::string> iso;            // "400"
    std::optional<std::string> focalLength;    // "35" (mm)
    std::optional<double> latitude, longitude; // decimal degrees, north and east positive
    std::string mimeType;                      // from the bytes: "image/jpeg"; "" if unknown
};

// "image/jpeg" for "jpeg" and so on (sniffImageFormat's names).
std::string mimeTypeOf(const std::string& format);

// Best effort: a file exiv2 can't read yields empty metadata (the server reads it again).
PhotoMetadata readPhotoMetadata(const std::string& path);

} // namespace pinhole::sync
