// XMP sidecar bytes through import (readXmp), as PUT /assets/:id/xmp receives them. A sidecar is
// read or refused, never a crash or a hang; what is read holds only boxes within the image and
// ratings in range, and writing it and reading that again gives the same sidecar back.
#include "fuzzsupport.h"

#include "media/xmp.h"

#include <cstdlib>

using namespace pinhole::server;

namespace {
bool within(const media::XmpBox& b) {
    return b.x >= 0 && b.y >= 0 && b.w >= 0 && b.h >= 0 && b.x + b.w <= 1 + 1e-9 && b.y + b.h <= 1 + 1e-9;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    pinhole::fuzz::quietLogs();
    const auto sidecar = media::readXmp(std::string_view(reinterpret_cast<const char*>(data), size));
    if (!sidecar)
        return 0;
    for (const auto& r : sidecar->regions)
        if (!within(r.area))
            std::abort();
    if (sidecar->rating && (*sidecar->rating < -1 || *sidecar->rating > 5))
        std::abort();
    const auto written = media::writeXmp(*sidecar);
    if (!written)
        return 0; // e.g. a dc:subject keyword holding '|', which lr:hierarchicalSubject cannot carry
    if (written->empty()) { // nothing Pinhole keeps (e.g. an empty region bag): no sidecar at all
        if (!sidecar->tags.empty() || sidecar->caption || sidecar->rating || !sidecar->regions.empty())
            std::abort();
        return 0;
    }
    const auto again = media::readXmp(*written);
    if (!again || again->tags != sidecar->tags || again->caption != sidecar->caption ||
        again->rating != sidecar->rating || again->regions.size() != sidecar->regions.size())
        std::abort();
    return 0;
}
