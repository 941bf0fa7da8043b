#include "media/imaging.h"

#include "core/log.h"

#include <vips/vips.h>

#include <mutex>

namespace pinhole::server::media {

namespace {

// Each asset is decoded once and never again, so libvips' operation cache could only hold on to
// decoded pixels and open file descriptors (of originals that may since have been deleted).
constexpr int kVipsCacheOperations = 0;
// Longest libvips error detail we pass on: it ends up in an asset's "failed, why" text.
constexpr std::size_t kMaxErrorDetail = 300;

// The libvips loader classes the probe lets through (JPEG, PNG, WebP, HEIF, GIF, TIFF). Blocking
// all the others (SVG, PDF, Matlab, FITS, ImageMagick, ...) shrinks what untrusted bytes can reach.
constexpr const char* kAllowedLoaders[] = {
    "VipsForeignLoadJpeg", "VipsForeignLoadPng",   "VipsForeignLoadWebp",
    "VipsForeignLoadHeif", "VipsForeignLoadNsgif", "VipsForeignLoadTiff",
};

// libvips reports warnings (a slightly damaged file that still decodes) through GLib's log. The
// server's stderr carries one JSON object per line, so they go through our log instead.
void forwardGlibLog(const gchar* domain, GLogLevelFlags level, const gchar* message, gpointer) {
    const bool serious = (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL)) != 0;
    log::write(serious ? log::Level::Error : log::Level::Debug, "vips_message",
               {{"domain", domain ? domain : "vips"}, {"message", message ? message : ""}});
}

Status startVips() {
    if (VIPS_INIT("pinholed") != 0)
        return internalError("cannot initialise libvips: " + takeVipsError("unknown error"));
    g_log_set_handler("VIPS", static_cast<GLogLevelFlags>(G_LOG_LEVEL_MASK | G_LOG_FLAG_FATAL), forwardGlibLog,
                      nullptr);
    vips_concurrency_set(kVipsThreadsPerPipeline);
    vips_cache_set_max(kVipsCacheOperations);
    vips_block_untrusted_set(TRUE);
    vips_operation_block_set("VipsForeignLoad", TRUE);
    for (const char* loader : kAllowedLoaders)
        vips_operation_block_set(loader, FALSE);
    log::debug("vips_started", {{"version", vips_version_string()}, {"threads", kVipsThreadsPerPipeline}});
    return Status::ok();
}

} // namespace

Status initImaging() {
    static std::once_flag once;
    static Status status;
    std::call_once(once, [] { status = startVips(); });
    return status;
}

std::string takeVipsError(const char* fallback) {
    char* raw = vips_error_buffer_copy();
    std::string all = raw ? raw : "";
    g_free(raw);
    // One line per libvips frame ("VipsJpeg: Premature end of input file\n..."): keep them all,
    // on one line, so the reason reads as a sentence in an asset's error field.
    std::string out;
    std::size_t start = 0;
    while (start < all.size()) {
        std::size_t end = all.find('\n', start);
        if (end == std::string::npos)
            end = all.size();
        std::string line = all.substr(start, end - start);
        if (!line.empty() && out.find(line) == std::string::npos)
            out += (out.empty() ? "" : "; ") + line;
        start = end + 1;
    }
    if (out.empty())
        return fallback;
    if (out.size() > kMaxErrorDetail)
        out = out.substr(0, kMaxErrorDetail) + "...";
    return out;
}

} // namespace pinhole::server::media
