// bench_thumbs: derivative throughput of Pinhole's pipeline (makeDerivatives: one decode per
// image, every size derived from it) against libvips' thumbnail operation called once per size,
// as Immich does through sharp. Both produce the same files (thumb 360 square with attention
// crop, preview 1080 wide, large 2048 long edge, JPEG Q82 optimised and stripped, written
// crash-safely the same way) plus the 100 px image a placeholder is computed from.
// bench/thumbs.sh runs it; it prints one JSON object per run on stdout.
//
//   bench_thumbs --mode pipeline|per-size --threads N --out DIR FILE...
//
// Threading: N worker threads take images from a shared counter; libvips runs one thread per
// pipeline in both modes (imaging.h), so both use exactly N threads.
#include "media/atomicwrite.h"
#include "media/derivatives.h"
#include "media/imaging.h"
#include "media/placeholder.h"

#include <vips/vips8>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

using namespace pinhole::server;
using namespace pinhole::server::media;
using vips::VImage;

namespace {

struct BlobDeleter {
    void operator()(VipsBlob* blob) const { vips_area_unref(VIPS_AREA(blob)); }
};

// Encodes and writes like makeDerivatives does, so only the image work differs between modes.
Status saveJpeg(const VImage& image, const std::string& dir, const std::string& name) {
    std::unique_ptr<VipsBlob, BlobDeleter> blob(image.jpegsave_buffer(VImage::option()
                                                                          ->set("Q", kJpegQuality)
                                                                          ->set("optimize_coding", true)
                                                                          ->set("interlace", false)
                                                                          ->set("strip", true)));
    const VipsArea* area = VIPS_AREA(blob.get());
    return writeFileAtomically(dir, name, {static_cast<const unsigned char*>(area->data), area->length});
}

VImage thumbnailOf(const std::string& path, int width, int height, bool crop) {
    vips::VOption* options =
        VImage::option()->set("height", height)->set("size", VIPS_SIZE_DOWN)->set("fail_on", VIPS_FAIL_ON_TRUNCATED);
    if (crop)
        options->set("crop", VIPS_INTERESTING_ATTENTION);
    VImage image = VImage::thumbnail(path.c_str(), width, options);
    // Same outputs as the pipeline, which makes everything 3-band sRGB (one input is greyscale).
    if (image.interpretation() != VIPS_INTERPRETATION_sRGB)
        image = image.colourspace(VIPS_INTERPRETATION_sRGB);
    return image;
}

// The reference: one thumbnail call (one decode of the file) per output.
Status perSize(const std::string& path, const std::string& dir) {
    try {
        std::filesystem::create_directories(dir);
        PINHOLE_TRY(saveJpeg(thumbnailOf(path, kLargeLongEdge, kLargeLongEdge, false), dir, "large.jpg"));
        PINHOLE_TRY(saveJpeg(thumbnailOf(path, kPreviewWidth, kPreviewMaxHeight, false), dir, "preview.jpg"));
        PINHOLE_TRY(saveJpeg(thumbnailOf(path, kThumbSize, kThumbSize, true), dir, "thumb.jpg"));
        const VImage tiny = thumbnailOf(path, kPlaceholderSide, kPlaceholderSide, false);
        std::size_t size = 0;
        std::unique_ptr<void, decltype(&g_free)> pixels(tiny.write_to_memory(&size), g_free);
        const auto hash = thumbHash(tiny.width(), tiny.height(), tiny.bands(),
                                    {static_cast<const std::uint8_t*>(pixels.get()), size});
        PINHOLE_TRY(hash);
        if (toBase64(hash.value()).empty())
            return internalError("empty placeholder");
        return syncDirectory(dir);
    } catch (const vips::VError&) {
        return internalError(takeVipsError("libvips failed"));
    }
}

int usage() {
    std::fprintf(stderr, "usage: bench_thumbs --mode pipeline|per-size --threads N --out DIR FILE...\n");
    return 2;
}

} // namespace

int main(int argc, char** argv) {
    std::string mode, out;
    int threads = 0;
    std::vector<std::string> files;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--mode" && i + 1 < argc)
            mode = argv[++i];
        else if (arg == "--threads" && i + 1 < argc)
            threads = std::atoi(argv[++i]);
        else if (arg == "--out" && i + 1 < argc)
            out = argv[++i];
        else if (!arg.empty() && arg[0] != '-')
            files.push_back(arg);
        else
            return usage();
    }
    if ((mode != "pipeline" && mode != "per-size") || threads < 1 || out.empty() || files.empty())
        return usage();
    if (const Status s = initImaging(); !s.isOk()) {
        std::fprintf(stderr, "bench_thumbs: %s\n", s.message().c_str());
        return 1;
    }

    std::atomic<std::size_t> next{0};
    std::mutex failureMutex;
    std::string failure;
    const auto work = [&] {
        for (std::size_t i = next++; i < files.size(); i = next++) {
            const std::string dir = out + "/" + std::to_string(i);
            Status status;
            if (mode == "pipeline") {
                const Result<DerivativeSet> set = makeDerivatives(files[i], dir);
                status = set.isOk() ? Status::ok() : set.status();
            } else {
                status = perSize(files[i], dir);
            }
            if (!status.isOk()) {
                std::lock_guard lock(failureMutex);
                failure = files[i] + ": " + status.message();
            }
        }
    };
    const auto start = std::chrono::steady_clock::now();
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
        pool.emplace_back(work);
    for (std::thread& t : pool)
        t.join();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!failure.empty()) {
        std::fprintf(stderr, "bench_thumbs: %s\n", failure.c_str());
        return 1;
    }
    std::printf(
        "{\"mode\": \"%s\", \"threads\": %d, \"images\": %zu, \"seconds\": %.4f, \"images_per_second\": %.4f}\n",
        mode.c_str(), threads, files.size(), seconds, double(files.size()) / seconds);
    return 0;
}
