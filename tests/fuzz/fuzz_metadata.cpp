// Image bytes through metadata extraction (readMetadata: the probe, then EXIF/XMP with exiv2),
// from a file as the job reads an original. Damaged metadata leaves fields empty; it must never
// crash, hang or report an impossible value.
#include "fuzzsupport.h"

#include "media/metadata.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <unistd.h>

using namespace pinhole::server;

namespace {
const std::string& inputPath() {
    static const std::string path = [] {
        const char* tmp = std::getenv("TMPDIR");
        std::string p =
            std::string(tmp && *tmp ? tmp : "/tmp") + "/pinhole-fuzz-metadata-" + std::to_string(::getpid());
        std::atexit([] { std::remove(inputPath().c_str()); });
        return p;
    }();
    return path;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    pinhole::fuzz::quietLogs();
    FILE* out = std::fopen(inputPath().c_str(), "wb");
    if (!out || std::fwrite(data, 1, size, out) != size || std::fclose(out) != 0)
        std::abort();
    const auto meta = media::readMetadata(inputPath());
    if (!meta)
        return 0;
    if (meta->width <= 0 || meta->height <= 0 || meta->orientation < 1 || meta->orientation > 8)
        std::abort();
    if (meta->gps && (!(std::abs(meta->gps->latitude) <= 90) || !(std::abs(meta->gps->longitude) <= 180)))
        std::abort();
    return 0;
}
