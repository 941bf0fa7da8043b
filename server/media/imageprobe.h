// Validation before work: what an uploaded file is, judged by its bytes (never its name), and
// whether it is small enough to decode. Reads the magic number and then only the header, through
// the libvips loader for that format, so a decompression bomb is refused before any pixel exists.
// Threading: every function here is thread-safe and may run on any number of threads at once.
#pragma once

#include "core/status.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace pinhole::server::media {

// Largest file we accept. It covers an uncompressed 8-bit RGB TIFF at the pixel bound below
// (100 MP x 3 bytes = 286 MiB); every compressed photo is far smaller.
inline constexpr std::uint64_t kMaxImageFileBytes = 300ull * 1024 * 1024;
// Largest image we decode, in pixels (width x height, before any rotation): above every camera
// sold today (the largest are near 100 MP), and it bounds a decode to ~300 MB of RGB.
inline constexpr std::uint64_t kMaxImagePixels = 100'000'000;

enum class ImageFormat { Jpeg, Png, WebP, Heif, Gif, Tiff };

// "JPEG", "PNG", ... for messages; "image/jpeg", ... for HTTP.
std::string_view formatName(ImageFormat format);
std::string_view mimeTypeOf(ImageFormat format);

// The format announced by a file's first bytes, or nothing if it is none we accept. 32 bytes are
// always enough (kSniffBytes); fewer only fail to recognise. Pure: safe on any input, fuzzable.
inline constexpr std::size_t kSniffBytes = 32;
std::optional<ImageFormat> sniffFormat(std::span<const unsigned char> head);

struct ProbeLimits {
    std::uint64_t maxFileBytes = kMaxImageFileBytes;
    std::uint64_t maxPixels = kMaxImagePixels;
};

struct ImageProbe {
    ImageFormat format = ImageFormat::Jpeg;
    // As stored, before EXIF orientation (metadata.h has the upright size). For a GIF or a
    // multi-page TIFF/HEIF, of the first frame or the primary image, which is what we derive from.
    int width = 0;
    int height = 0;
    // EXIF orientation as the loader reports it (1-8; 1 when absent or when the decoder itself
    // already applies the rotation, as for HEIF).
    int orientation = 1;
    bool hasAlpha = false;
    bool hasIccProfile = false;
    std::uint64_t fileBytes = 0;
};

// Probes the file at `path`: its size, its format from the magic number, then its header.
// Refusals, each with a message meant for the file's owner:
//   PayloadTooLarge       the file or the pixel count is above `limits`
//   UnsupportedMediaType  not JPEG, PNG, WebP, HEIC/HEIF, GIF or TIFF (whatever its name says)
//   Unprocessable         empty, or truncated/corrupt before the end of its header
//   NotFound / Internal   the file cannot be opened or read
Result<ImageProbe> probeImage(const std::string& path, const ProbeLimits& limits = {});

// The same for bytes in memory (an upload's buffer, a fuzzer's input).
Result<ImageProbe> probeImageBytes(std::span<const unsigned char> bytes, const ProbeLimits& limits = {});

} // namespace pinhole::server::media
