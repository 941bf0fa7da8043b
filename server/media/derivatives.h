// Derivatives: from one original, the three sizes the apps show (thumb, preview, large) and a
// ThumbHash placeholder, upright, in sRGB, stripped of all metadata, written crash-safely.
// The original is decoded ONCE, with shrink-on-load, at the smallest size that still serves the
// largest derivative; every smaller one is resized in memory from the smallest image already made
// that is big enough (large -> preview -> thumb -> placeholder). Calling libvips' thumbnail once
// per size, as Immich does through sharp, decodes the file once per size instead.
// Threading: makeDerivatives() is thread-safe; run one per job worker, as many as there are cores
// (libvips itself uses kVipsThreadsPerPipeline threads per call, see imaging.h).
//
// Format: JPEG (libjpeg-turbo), quality kJpegQuality, baseline, optimised Huffman tables, 4:2:0.
// WebP would be 25-30% smaller, but: (1) Qt, which the desktop app is built on, reads JPEG out
// of the box and WebP only with an extra image-format plugin package; (2) every Mastodon client
// (toot, phone apps, old browsers) displays JPEG; (3) JPEG encodes several times faster, which on
// a 2-core home server is the difference that matters when a whole library is imported.
#pragma once

#include "core/status.h"
#include "media/imageprobe.h"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace pinhole::server::media {

// The thumb is square. 360 px fills one cell of the 3-column grid on a 1080 px-wide screen (the
// Instagram grid) at 1:1, and a 180 px desktop grid cell at 2x; 1000 of them are ~25 MB, so a
// whole library's thumbnails can always be kept on the client.
inline constexpr int kThumbSize = 360;
// The preview fills a phone screen's width, and the feed column at 2x on the desktop.
inline constexpr int kPreviewWidth = 1080;
// ...and stays at most this tall, so a 1:10 panorama cannot make a 1080 x 10800 "preview".
inline constexpr int kPreviewMaxHeight = 4096;
// The large size is for full-screen viewing; the original (owner only) is there for more.
inline constexpr int kLargeLongEdge = 2048;
// Visually lossless for photos at these sizes, about half the bytes of quality 95.
inline constexpr int kJpegQuality = 82;
// Placeholders are computed from the image scaled to fit this square (ThumbHash's maximum).
inline constexpr int kPlaceholderSide = 100;

inline constexpr std::string_view kDerivativeMimeType = "image/jpeg";

enum class Variant { Thumb, Preview, Large };
// "thumb", "preview", "large": the names in /media/<id>/<variant>.
std::string_view variantName(Variant variant);
// "thumb.jpg", ...: the file makeDerivatives() writes in its output directory (by the variant or
// its name).
std::string derivativeFileName(Variant variant);
std::string derivativeFileName(std::string_view variantName);

enum class CropFocus {
    Attention, // the region a viewer looks at first (skin tones, saturation, edges); libvips' smartcrop
    Centre,    // the middle of the image
};

struct DerivativeOptions {
    int thumbSize = kThumbSize;
    int previewWidth = kPreviewWidth;
    int previewMaxHeight = kPreviewMaxHeight;
    int largeLongEdge = kLargeLongEdge;
    int jpegQuality = kJpegQuality;
    CropFocus thumbCrop = CropFocus::Attention;
    ProbeLimits limits;
};

struct Derivative {
    Variant variant = Variant::Thumb;
    std::string path;
    int width = 0;
    int height = 0;
    std::uint64_t bytes = 0;
};

struct DerivativeSet {
    Derivative thumb;
    Derivative preview;
    Derivative large;
    std::string placeholder; // ThumbHash, base64 (placeholder.h)
    ImageFormat sourceFormat = ImageFormat::Jpeg;
};

// Makes the three derivatives of the image at `originalPath` into `outputDir` (created if
// missing; existing files of the same names are replaced atomically) and its placeholder.
// An original smaller than a size is never upscaled: that derivative keeps the original's size
// (and a small thumb stays square, at the original's short side).
// Refusals: those of probeImage() (format, size, pixel bound, before anything is decoded);
// Unprocessable when the image data is truncated or corrupt; Internal for an I/O failure.
Result<DerivativeSet> makeDerivatives(const std::string& originalPath, const std::string& outputDir,
                                      const DerivativeOptions& options = {});

// An account's avatar: square, kAvatarSide px (Mastodon shows avatars at most 400 px; a smaller
// image is scaled up, as Mastodon does), upright, sRGB, centre-cropped, JPEG without metadata.
inline constexpr int kAvatarSide = 400;
// An avatar upload is held in memory by the request, so its bytes are bounded well below a
// photo's (Mastodon's own limit is 8 MB); the pixel bound is a photo's.
inline constexpr std::uint64_t kMaxAvatarBytes = 8ull * 1024 * 1024;

// The avatar made from the image `bytes` (an upload), as JPEG bytes.
// Refusals: those of probeImageBytes() with a kMaxAvatarBytes file bound; Unprocessable when the
// image data is truncated or corrupt.
Result<std::string> makeAvatar(std::span<const unsigned char> bytes);

} // namespace pinhole::server::media
