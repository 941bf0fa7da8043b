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
};

// Best effort: a file exiv2 can't read yields empty metadata (the server reads it again).
PhotoMetadata readPhotoMetadata(const std::string& path);

} // namespace pinhole::sync
