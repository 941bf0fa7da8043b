// ThumbHash placeholders: ~25 bytes that a client decodes into a blurred preview of a photo
// (colours, rough shapes, aspect ratio, alpha) to show while the real thumbnail loads.
// Written here from the public description of the format (Evan Wallace's ThumbHash): the average
// colour plus a few low-frequency DCT coefficients of luminance (L) and two colour-difference
// channels (P = yellow-blue, Q = red-green), and of alpha when there is any, each quantised.
// Threading: pure functions, thread-safe.
#pragma once

#include "core/status.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace pinhole::server::media {

// ThumbHash is defined for images of at most 100 x 100 pixels: the DCT sees nothing finer, and
// the cost grows with the pixel count for no gain. Scale the image to fit first.
inline constexpr int kThumbHashMaxSide = 100;

// The hash of an image of `width` x `height` pixels (each 1..kThumbHashMaxSide), given as
// interleaved 8-bit sRGB(A): `channels` is 3 (RGB, opaque) or 4 (RGBA, not premultiplied), rows
// top to bottom without padding. Deterministic: the same pixels always give the same bytes.
// InvalidArgument for a size out of range or a pixel buffer of the wrong length.
Result<std::vector<std::uint8_t>> thumbHash(int width, int height, int channels, std::span<const std::uint8_t> pixels);

// Standard base64 with padding (RFC 4648 section 4), the form ThumbHash placeholders travel in.
std::string toBase64(std::span<const std::uint8_t> bytes);

} // namespace pinhole::server::media
