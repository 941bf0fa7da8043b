#include "media/imageprobe.h"

#include "media/imaging.h"

#include <vips/vips8>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sys/stat.h>

namespace pinhole::server::media {

namespace {

bool startsWith(std::span<const unsigned char> bytes, std::size_t offset, std::string_view magic) {
    return bytes.size() >= offset + magic.size() && std::memcmp(bytes.data() + offset, magic.data(), magic.size()) == 0;
}

// HEIF is an ISO base media file: a box `ftyp` first, whose brands say what the file holds.
// HEVC-coded HEIF ("HEIC") names one of the heic-family brands; "mif1"/"msf1" are the generic
// HEIF brands, which AVIF files use too, so for those an AVIF brand among the compatible ones
// means AVIF (refused: it is not a format we accept).
std::optional<ImageFormat> sniffHeif(std::span<const unsigned char> head) {
    if (!startsWith(head, 4, "ftyp") || head.size() < 12)
        return std::nullopt;
    static constexpr std::string_view kHeicBrands[] = {"heic", "heix", "heim", "heis", "hevc", "hevx", "hevm", "hevs"};
    static constexpr std::string_view kGenericBrands[] = {"mif1", "msf1"};
    const std::string_view major(reinterpret_cast<const char*>(head.data()) + 8, 4);
    const auto isOneOf = [](std::string_view brand, auto& list) {
        return std::find(std::begin(list), std::end(list), brand) != std::end(list);
    };
    if (isOneOf(major, kHeicBrands))
        return ImageFormat::Heif;
    if (!isOneOf(major, kGenericBrands))
        return std::nullopt;
    // Compatible brands follow the minor version (bytes 12-15), up to the end of the box.
    const std::uint32_t boxSize = (std::uint32_t(head[0]) << 24) | (std::uint32_t(head[1]) << 16) |
                                  (std::uint32_t(head[2]) << 8) | std::uint32_t(head[3]);
    const std::size_t end = std::min<std::size_t>(head.size(), boxSize);
    for (std::size_t at = 16; at + 4 <= end; at += 4) {
        const std::string_view brand(reinterpret_cast<const char*>(head.data()) + at, 4);
        if (brand == "avif" || brand == "avis")
            return std::nullopt;
    }
    return ImageFormat::Heif;
}

// The libvips loader for each format (its nickname; "_buffer" appended for bytes in memory).
const char* loaderOf(ImageFormat format) {
    switch (format) {
    case ImageFormat::Jpeg: return "jpegload";
    case ImageFormat::Png: return "pngload";
    case ImageFormat::WebP: return "webpload";
    case ImageFormat::Heif: return "heifload";
    case ImageFormat::Gif: return "gifload";
    case ImageFormat::Tiff: return "tiffload";
    }
    return "";
}

Status unsupported() {
    return Status(Code::UnsupportedMediaType,
                  "the file is not an image in a format we accept (JPEG, PNG, WebP, HEIC/HEIF, GIF or TIFF)");
}

Status checkFileSize(std::uint64_t bytes, const ProbeLimits& limits) {
    if (bytes == 0)
        return unprocessable("the file is empty (0 bytes)");
    if (bytes > limits.maxFileBytes)
        return Status(Code::PayloadTooLarge, "the file is " + std::to_string(bytes / (1024 * 1024)) +
                                                 " MiB; the limit is " +
                                                 std::to_string(limits.maxFileBytes / (1024 * 1024)) + " MiB");
    return Status::ok();
}

// libpng allocates a text or unknown chunk whole, at its declared length, before reading it: a
// 541-byte PNG declaring a 1 GiB tEXt chunk made the decoder ask for 1 GiB (found by tests/fuzz,
// regressions/metadata/). So every chunk must fit in the file, which bounds any such allocation
// by the file size limit. `readAt(offset, out, 8)` reads 8 bytes of the file; false on failure.
template <class ReadAt> Status checkPngChunks(std::uint64_t fileBytes, ReadAt readAt) {
    constexpr std::uint64_t kSignatureBytes = 8;
    constexpr std::uint64_t kChunkOverhead = 12; // length, type, CRC
    for (std::uint64_t at = kSignatureBytes; at + 8 <= fileBytes;) {
        unsigned char head[8];
        if (!readAt(at, head, sizeof head))
            return internalError("cannot read the PNG file");
        const std::uint64_t length = (std::uint64_t(head[0]) << 24) | (std::uint64_t(head[1]) << 16) |
                                     (std::uint64_t(head[2]) << 8) | std::uint64_t(head[3]);
        const std::string_view type(reinterpret_cast<const char*>(head) + 4, 4);
        if (length > 0x7FFFFFFF || at + kChunkOverhead + length > fileBytes) {
            const bool printable = std::all_of(type.begin(), type.end(),
                                               [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); });
            return unprocessable("the PNG file is truncated or corrupt (" +
                                 (printable ? "its " + std::string(type) + " chunk" : std::string("a chunk")) +
                                 " declares " + std::to_string(length) + " bytes, past the end of the file)");
        }
        if (type == "IEND")
            break;
        at += kChunkOverhead + length;
    }
    return Status::ok();
}

// Reads the header through the format's own loader (lazily: no pixel is decoded) and applies the
// pixel bound. `setSource` names the input on the operation's options.
template <class SetSource>
Result<ImageProbe> probeHeader(ImageFormat format, std::uint64_t fileBytes, const ProbeLimits& limits, bool fromBuffer,
                               SetSource setSource) {
    PINHOLE_TRY(initImaging());
    ImageProbe probe;
    probe.format = format;
    probe.fileBytes = fileBytes;
    try {
        vips::VImage header;
        vips::VOption* options = vips::VImage::option()->set("access", VIPS_ACCESS_SEQUENTIAL);
        setSource(options);
        options->set("out", &header);
        const std::string loader = std::string(loaderOf(format)) + (fromBuffer ? "_buffer" : "");
        vips::VImage::call(loader.c_str(), options);
        probe.width = header.width();
        probe.height = header.height();
        probe.hasAlpha = header.has_alpha();
        probe.hasIccProfile = header.get_typeof(VIPS_META_ICC_NAME) != 0;
        if (header.get_typeof(VIPS_META_ORIENTATION) != 0) {
            const int orientation = header.get_int(VIPS_META_ORIENTATION);
            probe.orientation = orientation >= 1 && orientation <= 8 ? orientation : 1;
        }
    } catch (const vips::VError&) {
        return unprocessable("the " + std::string(formatName(format)) + " file is truncated or corrupt (" +
                             takeVipsError("its header cannot be read") + ")");
    }
    const std::uint64_t pixels = std::uint64_t(probe.width) * std::uint64_t(probe.height);
    if (pixels > limits.maxPixels)
        return Status(Code::PayloadTooLarge, "the image is " + std::to_string(probe.width) + " x " +
                                                 std::to_string(probe.height) + " pixels (" +
                                                 std::to_string(pixels / 1'000'000) + " megapixels); the limit is " +
                                                 std::to_string(limits.maxPixels / 1'000'000) + " megapixels");
    return probe;
}

} // namespace

std::string_view formatName(ImageFormat format) {
    switch (format) {
    case ImageFormat::Jpeg: return "JPEG";
    case ImageFormat::Png: return "PNG";
    case ImageFormat::WebP: return "WebP";
    case ImageFormat::Heif: return "HEIF";
    case ImageFormat::Gif: return "GIF";
    case ImageFormat::Tiff: return "TIFF";
    }
    return "unknown";
}

std::string_view mimeTypeOf(ImageFormat format) {
    switch (format) {
    case ImageFormat::Jpeg: return "image/jpeg";
    case ImageFormat::Png: return "image/png";
    case ImageFormat::WebP: return "image/webp";
    case ImageFormat::Heif: return "image/heic";
    case ImageFormat::Gif: return "image/gif";
    case ImageFormat::Tiff: return "image/tiff";
    }
    return "application/octet-stream";
}

std::optional<ImageFormat> sniffFormat(std::span<const unsigned char> head) {
    if (startsWith(head, 0, "\xFF\xD8\xFF"))
        return ImageFormat::Jpeg;
    if (startsWith(head, 0, "\x89PNG\r\n\x1A\n"))
        return ImageFormat::Png;
    if (startsWith(head, 0, "GIF87a") || startsWith(head, 0, "GIF89a"))
        return ImageFormat::Gif;
    if (startsWith(head, 0, "RIFF") && startsWith(head, 8, "WEBP"))
        return ImageFormat::WebP;
    // Classic TIFF (42) and BigTIFF (43), little- and big-endian.
    if (startsWith(head, 0, std::string_view("II\x2A\x00", 4)) ||
        startsWith(head, 0, std::string_view("MM\x00\x2A", 4)) ||
        startsWith(head, 0, std::string_view("II\x2B\x00", 4)) ||
        startsWith(head, 0, std::string_view("MM\x00\x2B", 4)))
        return ImageFormat::Tiff;
    return sniffHeif(head);
}

Result<ImageProbe> probeImage(const std::string& path, const ProbeLimits& limits) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        const int err = errno;
        if (err == ENOENT)
            return notFound("no file at " + path);
        return internalError("cannot stat " + path + ": " + std::strerror(err));
    }
    if (!S_ISREG(st.st_mode))
        return invalidArgument(path + " is not a regular file");
    PINHOLE_TRY(checkFileSize(std::uint64_t(st.st_size), limits));

    std::array<unsigned char, kSniffBytes> head{};
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return internalError("cannot open " + path + ": " + std::strerror(errno));
    in.read(reinterpret_cast<char*>(head.data()), head.size());
    const auto got = static_cast<std::size_t>(in.gcount());
    const std::optional<ImageFormat> format = sniffFormat(std::span(head.data(), got));
    if (!format)
        return unsupported();
    if (*format == ImageFormat::Png) {
        PINHOLE_TRY(checkPngChunks(std::uint64_t(st.st_size), [&](std::uint64_t at, unsigned char* out, std::size_t n) {
            in.clear();
            in.seekg(static_cast<std::streamoff>(at));
            in.read(reinterpret_cast<char*>(out), static_cast<std::streamsize>(n));
            return in.gcount() == static_cast<std::streamsize>(n);
        }));
    }
    return probeHeader(*format, std::uint64_t(st.st_size), limits, false,
                       [&](vips::VOption* options) { options->set("filename", path.c_str()); });
}

Result<ImageProbe> probeImageBytes(std::span<const unsigned char> bytes, const ProbeLimits& limits) {
    PINHOLE_TRY(checkFileSize(bytes.size(), limits));
    const std::optional<ImageFormat> format = sniffFormat(bytes.first(std::min(bytes.size(), kSniffBytes)));
    if (!format)
        return unsupported();
    if (*format == ImageFormat::Png) {
        PINHOLE_TRY(checkPngChunks(bytes.size(), [&](std::uint64_t at, unsigned char* out, std::size_t n) {
            std::memcpy(out, bytes.data() + at, n); // checkPngChunks reads only within fileBytes
            return true;
        }));
    }
    // The blob borrows `bytes` (no copy, no free): it and the header image die in probeHeader.
    VipsBlob* blob = vips_blob_new(nullptr, bytes.data(), bytes.size());
    Result<ImageProbe> probe =
        probeHeader(*format, bytes.size(), limits, true, [&](vips::VOption* options) { options->set("buffer", blob); });
    vips_area_unref(VIPS_AREA(blob));
    return probe;
}

} // namespace pinhole::server::media
