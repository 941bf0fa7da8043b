// Downscaling of 8-bit images with a separable Lanczos-3 filter, the kernel libvips' resize uses,
// written for speed: libvips 8.14 reduces horizontally one pixel and one band at a time (about
// 60 ms of CPU to take a 4608x2880 photo's half-size decode down to 2048 px), where this does
// the same in a few ms with vectorised rows. It exists only because the derivative pipeline
// spends most of its time there; anything it does not handle goes to libvips (canResample()).
// Threading: pure functions, thread-safe; the work runs on the calling thread.
#pragma once

#include <vips/vips8>

namespace pinhole::server::media {

// True when resample() handles `image` -> width x height: 8-bit unsigned, 1, 3 or 4 bands
// (grey, RGB, RGBA/CMYK; bands are filtered independently, alpha is not premultiplied, as
// libvips' resize does), and a reduction (or no change) along each axis.
bool canResample(const vips::VImage& image, int width, int height);

// `image` resized to exactly width x height with Lanczos-3, sample centres aligned (the output
// pixel x covers input [x * scale, (x + 1) * scale)), edges extended by copying, as libvips does.
// The result is a memory image carrying all of `image`'s metadata (ICC profile, orientation,
// EXIF, ...) so that colour management and rotation still work after it.
// REQUIRES: canResample(image, width, height). Throws vips::VError when libvips cannot render
// `image` (a corrupt file behind a lazy loader).
vips::VImage resample(const vips::VImage& image, int width, int height);

} // namespace pinhole::server::media
