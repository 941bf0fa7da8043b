// Image bytes: the format from the magic number (sniffFormat) and the header through the
// format's libvips loader (probeImageBytes), which must refuse a decompression bomb before
// decoding: an accepted image is within the pixel bound and has a positive size.
#include "fuzzsupport.h"

#include "media/imageprobe.h"

#include <cstdlib>

using namespace pinhole::server;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    pinhole::fuzz::quietLogs();
    const std::span<const unsigned char> bytes(data, size);
    const auto sniffed = media::sniffFormat(bytes.first(std::min(size, media::kSniffBytes)));
    const auto probe = media::probeImageBytes(bytes);
    if (!probe)
        return 0;
    if (!sniffed || probe->format != *sniffed || probe->width <= 0 || probe->height <= 0 ||
        std::uint64_t(probe->width) * std::uint64_t(probe->height) > media::kMaxImagePixels || probe->orientation < 1 ||
        probe->orientation > 8 || probe->fileBytes != size)
        std::abort();
    return 0;
}
