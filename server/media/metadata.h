// What a photo says about itself: when and with what it was taken, where, and which way is up.
// EXIF (or XMP, where a file has no EXIF for a field) is read with exiv2; the size and the
// orientation come from libvips' header, the same reading the derivatives are made from, so the
// upright size reported here is exactly the derivatives' aspect ratio.
// Threading: readMetadata() is thread-safe (exiv2's XMP parser is initialised once, here).
#pragma once

#include "core/status.h"
#include "media/imageprobe.h"

#include <optional>
#include <string>

namespace pinhole::server::media {

struct GpsPosition {
    double latitude = 0;                  // decimal degrees, north positive
    double longitude = 0;                 // decimal degrees, east positive
    std::optional<double> altitudeMetres; // above sea level; negative below
};

// Every field but the size and the orientation is optional: a file without EXIF is normal.
struct PhotoMetadata {
    ImageFormat format = ImageFormat::Jpeg;
    // Upright: width and height swapped for orientations 5-8 (a photo taken in portrait).
    int width = 0;
    int height = 0;
    // EXIF orientation 1-8 (1: stored upright). Derivatives are already rotated by it.
    int orientation = 1;
    // The camera's local time, ISO 8601: "2024-05-01T14:03:22", with the UTC offset appended
    // ("2024-05-01T14:03:22+02:00") when the camera recorded one.
    std::optional<std::string> captureTime;
    std::optional<std::string> cameraMake;
    std::optional<std::string> cameraModel;
    std::optional<std::string> lens;
    std::optional<double> exposureSeconds; // 1/250 s is 0.004
    std::optional<double> fNumber;         // f/2.8 is 2.8
    std::optional<int> iso;
    std::optional<double> focalLengthMm; // the real focal length
    std::optional<int> focalLength35mm;  // its 35 mm equivalent, when the camera says
    // Visible to the asset's owner only: the API layer must not show it to anyone else.
    std::optional<GpsPosition> gps;
};

// Probes the file (same refusals as probeImage) and reads its metadata. Damaged metadata in an
// image that is otherwise fine is not a refusal: the fields that could not be read stay empty
// and the problem is logged.
Result<PhotoMetadata> readMetadata(const std::string& path);

} // namespace pinhole::server::media
