#include "media/derivatives.h"

#include "media/atomicwrite.h"
#include "media/imaging.h"
#include "media/placeholder.h"
#include "media/resample.h"

#include <vips/vips8>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <memory>
#include <span>

namespace pinhole::server::media {

namespace {

using vips::VImage;

// A size in pixels.
struct Size {
    int width = 0;
    int height = 0;
};

Size scaled(Size s, double factor) {
    return {std::max(1, int(std::lround(s.width * factor))), std::max(1, int(std::lround(s.height * factor)))};
}

// The target size of each derivative, computed from the upright size of the original, so that
// every derivative has the same aspect ratio whatever size the decoded base comes out at.
struct Plan {
    Size large;
    Size preview;
    int thumbSide = 0;
    // Scale of the base, the one decoded image: big enough for every derivative (the large size,
    // unless the preview's width or the thumb's short side asks for more on a very long image).
    Size base;
};

Plan planFor(Size upright, const DerivativeOptions& o) {
    const int longEdge = std::max(upright.width, upright.height);
    const int shortEdge = std::min(upright.width, upright.height);
    const double largeScale = std::min(1.0, double(o.largeLongEdge) / longEdge);
    const double previewScale =
        std::min({1.0, double(o.previewWidth) / upright.width, double(o.previewMaxHeight) / upright.height});
    const double thumbScale = std::min(1.0, double(o.thumbSize) / shortEdge);
    Plan plan;
    plan.large = scaled(upright, largeScale);
    plan.preview = scaled(upright, previewScale);
    plan.thumbSide = std::min(o.thumbSize, shortEdge);
    plan.base = scaled(upright, std::max({largeScale, previewScale, thumbScale}));
    return plan;
}

// Resizes to exactly `target` (no-op when already there) with Lanczos-3: our resampler for the
// 8-bit reductions every photo takes (media/resample.h, several times faster), libvips' resize
// for anything else.
VImage resizedTo(const VImage& image, Size target) {
    if (image.width() == target.width && image.height() == target.height)
        return image;
    if (canResample(image, target.width, target.height))
        return resample(image, target.width, target.height);
    return image.resize(double(target.width) / image.width(),
                        VImage::option()->set("vscale", double(target.height) / image.height()));
}

// libjpeg can scale by 1/2, 1/4 or 1/8 while it decodes (in the DCT domain, keeping each
// block's low frequencies: a proper low-pass, not pixel dropping), which is what makes a 12 MP
// photo cheap. We take the largest scale that still decodes at least `base` pixels, as sharp
// does by default ("fastShrinkOnLoad"). libvips' thumbnail keeps a further 2x margin, which for a
// 4608x2880 photo and a 2048 px target means decoding every pixel and then a 2.25x Lanczos
// reduction: 171 ms of CPU on this machine, against 97 ms for a 1/2 decode and a 1.125x one.
int jpegShrinkFor(Size stored, Size base) {
    int shrink = 8;
    while (shrink > 1 && (stored.width / shrink < base.width || stored.height / shrink < base.height))
        shrink /= 2;
    return shrink;
}

// Settles colour and layout: 8-bit sRGB, three bands, alpha flattened onto white (JPEG has no
// alpha). An embedded profile (Adobe RGB, Display P3, a CMYK press profile) is converted to
// sRGB; without one, RGB is taken as sRGB and CMYK goes through libvips' built-in CMYK profile.
VImage toSrgb(VImage image) {
    if (image.get_typeof(VIPS_META_ICC_NAME) != 0)
        image = image.icc_transform("srgb", VImage::option()->set("embedded", true)->set("depth", 8));
    if (image.has_alpha())
        image = image.flatten(VImage::option()->set("background", std::vector<double>{255, 255, 255}));
    if (image.interpretation() != VIPS_INTERPRETATION_sRGB || image.format() != VIPS_FORMAT_UCHAR || image.bands() != 3)
        image = image.colourspace(VIPS_INTERPRETATION_sRGB).cast(VIPS_FORMAT_UCHAR);
    return image;
}

// Decodes the original once, shrinking on load, to exactly `base` pixels (upright), in 8-bit
// sRGB without alpha, held in memory so that every derivative reads it instead of the file.
VImage decodeBase(const std::string& path, const ImageProbe& probe, Size base) {
    // Refuse truncated files; tolerate recoverable damage (a few bad blocks in an old JPEG)
    // rather than lose the photo.
    constexpr VipsFailOn kFailOn = VIPS_FAIL_ON_TRUNCATED;
    const bool sideways = probe.orientation >= 5;
    VImage image;
    if (probe.format == ImageFormat::Jpeg) {
        const Size storedBase = sideways ? Size{base.height, base.width} : base;
        image =
            VImage::jpegload(path.c_str(), VImage::option()
                                               ->set("shrink", jpegShrinkFor({probe.width, probe.height}, storedBase))
                                               ->set("access", VIPS_ACCESS_SEQUENTIAL)
                                               ->set("fail_on", kFailOn));
        image = toSrgb(resizedTo(image, storedBase)).copy_memory();
        // Rotating needs random access, so it comes after the sequential decode, on the smaller image.
        if (probe.orientation != 1)
            image = image.autorot().copy_memory();
        return image;
    }
    // Every other format through libvips' thumbnail, which knows their reduced decodes (WebP's
    // scaling, HEIF's embedded thumbnails, TIFF pyramids) and rotates by the orientation tag.
    image = VImage::thumbnail(
        path.c_str(), base.width,
        VImage::option()->set("height", base.height)->set("size", VIPS_SIZE_DOWN)->set("fail_on", kFailOn));
    image = toSrgb(image).copy_memory();
    // The thumbnail fits the box; make it exactly the base so every derivative's size is the plan's.
    return resizedTo(image, base).copy_memory();
}

struct BlobDeleter {
    void operator()(VipsBlob* blob) const { vips_area_unref(VIPS_AREA(blob)); }
};
using Blob = std::unique_ptr<VipsBlob, BlobDeleter>;

std::span<const unsigned char> bytesOf(const Blob& blob) {
    const VipsArea* area = VIPS_AREA(blob.get());
    return {static_cast<const unsigned char*>(area->data), area->length};
}

Blob encodeJpeg(const VImage& image, int quality) {
    return Blob(image.jpegsave_buffer(VImage::option()
                                          ->set("Q", quality)
                                          ->set("optimize_coding", true)
                                          ->set("interlace", false)
                                          ->set("strip", true)));
}

// REQUIRES: `small` fits in kThumbHashMaxSide, 8-bit sRGB (3 bands).
std::string placeholderOf(const VImage& small) {
    std::size_t size = 0;
    std::unique_ptr<void, decltype(&g_free)> pixels(small.write_to_memory(&size), g_free);
    const Result<std::vector<std::uint8_t>> hash =
        thumbHash(small.width(), small.height(), small.bands(), {static_cast<const std::uint8_t*>(pixels.get()), size});
    // Cannot fail: the size and the layout are the ones thumbHash() asks for.
    return hash.isOk() ? toBase64(hash.value()) : std::string();
}

// The images of one asset held in memory, smallest last.
class Sources {
public:
    explicit Sources(VImage base) { m_images.push_back(std::move(base)); }

    // An image of exactly `target` pixels, resized from the smallest held image that is at
    // least that big, and held in memory as a source for the next (smaller) ones.
    VImage derive(Size target) {
        const VImage* from = &m_images.front();
        for (const VImage& image : m_images)
            if (image.width() >= target.width && image.height() >= target.height &&
                std::int64_t(image.width()) * image.height() < std::int64_t(from->width()) * from->height())
                from = &image;
        if (from->width() == target.width && from->height() == target.height)
            return *from;
        VImage made = resizedTo(*from, target).copy_memory();
        m_images.push_back(made);
        return made;
    }

private:
    std::vector<VImage> m_images;
};

struct Encoded {
    Variant variant;
    Size size;
    Blob bytes;
};

} // namespace

std::string_view variantName(Variant variant) {
    switch (variant) {
    case Variant::Thumb: return "thumb";
    case Variant::Preview: return "preview";
    case Variant::Large: return "large";
    }
    return "unknown";
}

std::string derivativeFileName(Variant variant) {
    return derivativeFileName(variantName(variant));
}

std::string derivativeFileName(std::string_view variantName) {
    return std::string(variantName) + ".jpg";
}

Result<DerivativeSet> makeDerivatives(const std::string& originalPath, const std::string& outputDir,
                                      const DerivativeOptions& options) {
    if (options.thumbSize < 1 || options.previewWidth < 1 || options.previewMaxHeight < 1 ||
        options.largeLongEdge < 1 || options.jpegQuality < 1 || options.jpegQuality > 100)
        return invalidArgument("derivative sizes must be positive and the quality 1-100");
    PINHOLE_TRY(initImaging());
    Result<ImageProbe> probe = probeImage(originalPath, options.limits);
    PINHOLE_TRY(probe);
    const bool sideways = probe->orientation >= 5;
    const Size upright = sideways ? Size{probe->height, probe->width} : Size{probe->width, probe->height};
    const Plan plan = planFor(upright, options);

    VImage base;
    try {
        base = decodeBase(originalPath, *probe, plan.base);
    } catch (const vips::VError&) {
        return unprocessable("the " + std::string(formatName(probe->format)) +
                             " image cannot be decoded: it is truncated or corrupt (" +
                             takeVipsError("no detail from the decoder") + ")");
    }

    DerivativeSet set;
    set.sourceFormat = probe->format;
    std::vector<Encoded> encoded;
    try {
        // Each size is resized from the smallest image already in memory that is at least as
        // big (large from the base, preview from large, ...): each step is a small reduction
        // of few pixels, where going from the base every time would redo the big one.
        Sources sources{base};
        const VImage large = sources.derive(plan.large);
        const VImage preview = sources.derive(plan.preview);
        // The thumb: the short side scaled to the thumb's side, then the square crop.
        const bool portrait = plan.base.width <= plan.base.height;
        const double thumbScale = double(plan.thumbSide) / std::min(plan.base.width, plan.base.height);
        Size beforeCrop = scaled(plan.base, thumbScale);
        (portrait ? beforeCrop.width : beforeCrop.height) = plan.thumbSide;
        const VImage thumb =
            sources.derive(beforeCrop)
                .smartcrop(plan.thumbSide, plan.thumbSide,
                           VImage::option()->set("interesting", options.thumbCrop == CropFocus::Attention
                                                                    ? VIPS_INTERESTING_ATTENTION
                                                                    : VIPS_INTERESTING_CENTRE));
        const Size tiny =
            scaled(plan.base, std::min(1.0, double(kPlaceholderSide) / std::max(plan.base.width, plan.base.height)));
        set.placeholder = placeholderOf(sources.derive(tiny));
        encoded.push_back({Variant::Large, {large.width(), large.height()}, encodeJpeg(large, options.jpegQuality)});
        encoded.push_back(
            {Variant::Preview, {preview.width(), preview.height()}, encodeJpeg(preview, options.jpegQuality)});
        encoded.push_back({Variant::Thumb, {thumb.width(), thumb.height()}, encodeJpeg(thumb, options.jpegQuality)});
    } catch (const vips::VError&) {
        return internalError("cannot make derivatives of " + originalPath + ": " + takeVipsError("libvips failed"));
    }

    std::error_code ec;
    std::filesystem::create_directories(outputDir, ec);
    if (ec)
        return internalError("cannot create " + outputDir + ": " + ec.message());
    for (const Encoded& e : encoded) {
        const std::string name = derivativeFileName(e.variant);
        PINHOLE_TRY(writeFileAtomically(outputDir, name, bytesOf(e.bytes)));
        Derivative& d = e.variant == Variant::Thumb     ? set.thumb
                        : e.variant == Variant::Preview ? set.preview
                                                        : set.large;
        std::string path = outputDir;
        path.append("/").append(name);
        d = {e.variant, std::move(path), e.size.width, e.size.height, bytesOf(e.bytes).size()};
    }
    PINHOLE_TRY(syncDirectory(outputDir));
    return set;
}

Result<std::string> makeAvatar(std::span<const unsigned char> bytes) {
    PINHOLE_TRY(initImaging());
    const Result<ImageProbe> probe = probeImageBytes(bytes, ProbeLimits{.maxFileBytes = kMaxAvatarBytes});
    PINHOLE_TRY(probe);
    try {
        // thumbnail_buffer shrinks on load, rotates upright and crops the middle square; the blob
        // only borrows `bytes`, which outlive it.
        std::unique_ptr<VipsBlob, BlobDeleter> source(vips_blob_new(nullptr, bytes.data(), bytes.size()));
        VImage image = VImage::thumbnail_buffer(source.get(), kAvatarSide,
                                                VImage::option()
                                                    ->set("height", kAvatarSide)
                                                    ->set("crop", VIPS_INTERESTING_CENTRE)
                                                    ->set("size", VIPS_SIZE_BOTH)
                                                    ->set("fail_on", VIPS_FAIL_ON_TRUNCATED));
        const Blob jpeg = encodeJpeg(toSrgb(image).copy_memory(), kJpegQuality);
        const auto out = bytesOf(jpeg);
        return std::string(reinterpret_cast<const char*>(out.data()), out.size());
    } catch (const vips::VError&) {
        return unprocessable("avatar: the " + std::string(formatName(probe->format)) +
                             " image cannot be decoded: it is truncated or corrupt (" +
                             takeVipsError("no detail from the decoder") + ")");
    }
}

} // namespace pinhole::server::media
