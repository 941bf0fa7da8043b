#include "media/placeholder.h"

#include <sodium.h>

#include <algorithm>
#include <cmath>
#include <numbers>

namespace pinhole::server::media {

namespace {

// One channel's DCT: the constant term (dc), the varying terms (ac) normalised to 0..1 around
// 0.5, and the scale that undoes the normalisation. Only the coefficients in the triangle
// cx/nx + cy/ny < 1 are kept: the low frequencies that a blurred preview shows.
struct ChannelCode {
    double dc = 0;
    std::vector<double> ac;
    double scale = 0;
};

ChannelCode encodeChannel(const std::vector<double>& channel, int w, int h, int nx, int ny) {
    ChannelCode code;
    std::vector<double> cosX(static_cast<std::size_t>(w));
    for (int cy = 0; cy < ny; ++cy) {
        for (int cx = 0; cx * ny < nx * (ny - cy); ++cx) {
            for (int x = 0; x < w; ++x)
                cosX[std::size_t(x)] = std::cos(std::numbers::pi / w * cx * (x + 0.5));
            double sum = 0;
            for (int y = 0; y < h; ++y) {
                const double cosY = std::cos(std::numbers::pi / h * cy * (y + 0.5));
                for (int x = 0; x < w; ++x)
                    sum += channel[std::size_t(x) + std::size_t(y) * std::size_t(w)] * cosX[std::size_t(x)] * cosY;
            }
            const double f = sum / (w * h);
            if (cx == 0 && cy == 0) {
                code.dc = f;
            } else {
                code.ac.push_back(f);
                code.scale = std::max(code.scale, std::abs(f));
            }
        }
    }
    if (code.scale > 0)
        for (double& f : code.ac)
            f = 0.5 + 0.5 / code.scale * f;
    return code;
}

// Rounds `v` (already scaled to 0..max) to an integer that fits the field it is packed into.
std::uint32_t quantise(double v, std::uint32_t max) {
    return static_cast<std::uint32_t>(std::clamp(std::round(v), 0.0, double(max)));
}

} // namespace

Result<std::vector<std::uint8_t>> thumbHash(int width, int height, int channels, std::span<const std::uint8_t> pixels) {
    if (width < 1 || height < 1 || width > kThumbHashMaxSide || height > kThumbHashMaxSide)
        return invalidArgument("thumbhash: the image must be 1-100 pixels on each side, not " + std::to_string(width) +
                               "x" + std::to_string(height));
    if (channels != 3 && channels != 4)
        return invalidArgument("thumbhash: pixels must be RGB or RGBA");
    const std::size_t count = std::size_t(width) * std::size_t(height);
    if (pixels.size() != count * std::size_t(channels))
        return invalidArgument("thumbhash: the pixel buffer does not match the image size");

    const auto alphaAt = [&](std::size_t i) { return channels == 4 ? pixels[i * 4 + 3] / 255.0 : 1.0; };
    const auto colourAt = [&](std::size_t i, int c) {
        return pixels[i * std::size_t(channels) + std::size_t(c)] / 255.0;
    };

    // The average colour, weighted by alpha: what transparent parts are composited onto below,
    // so they don't drag the colour towards black.
    double avgR = 0, avgG = 0, avgB = 0, avgA = 0;
    for (std::size_t i = 0; i < count; ++i) {
        const double a = alphaAt(i);
        avgR += a * colourAt(i, 0);
        avgG += a * colourAt(i, 1);
        avgB += a * colourAt(i, 2);
        avgA += a;
    }
    if (avgA > 0) {
        avgR /= avgA;
        avgG /= avgA;
        avgB /= avgA;
    }
    const bool hasAlpha = avgA < double(count);

    // Luminance gets more coefficients along the longer side (7, or 5 to leave room for alpha).
    const int lLimit = hasAlpha ? 5 : 7;
    const int longSide = std::max(width, height);
    const int lx = std::max(1, int(std::round(double(lLimit * width) / longSide)));
    const int ly = std::max(1, int(std::round(double(lLimit * height) / longSide)));

    std::vector<double> l(count), p(count), q(count), a(count);
    for (std::size_t i = 0; i < count; ++i) {
        const double alpha = alphaAt(i);
        const double r = avgR * (1 - alpha) + alpha * colourAt(i, 0);
        const double g = avgG * (1 - alpha) + alpha * colourAt(i, 1);
        const double b = avgB * (1 - alpha) + alpha * colourAt(i, 2);
        l[i] = (r + g + b) / 3;
        p[i] = (r + g) / 2 - b;
        q[i] = r - g;
        a[i] = alpha;
    }

    const ChannelCode lCode = encodeChannel(l, width, height, std::max(3, lx), std::max(3, ly));
    const ChannelCode pCode = encodeChannel(p, width, height, 3, 3);
    const ChannelCode qCode = encodeChannel(q, width, height, 3, 3);
    ChannelCode aCode;
    if (hasAlpha)
        aCode = encodeChannel(a, width, height, 5, 5);

    // Header: 24 bits (L, P, Q averages; L scale; alpha flag), then 16 bits (L coefficient count
    // along the short side, P and Q scales, landscape flag), little-endian.
    const bool isLandscape = width > height;
    const std::uint32_t header24 = quantise(63 * lCode.dc, 63) | (quantise(31.5 + 31.5 * pCode.dc, 63) << 6) |
                                   (quantise(31.5 + 31.5 * qCode.dc, 63) << 12) |
                                   (quantise(31 * lCode.scale, 31) << 18) | (std::uint32_t(hasAlpha) << 23);
    const std::uint32_t header16 = std::uint32_t(isLandscape ? ly : lx) | (quantise(63 * pCode.scale, 63) << 3) |
                                   (quantise(63 * qCode.scale, 63) << 9) | (std::uint32_t(isLandscape) << 15);
    std::vector<std::uint8_t> hash = {
        std::uint8_t(header24 & 255), std::uint8_t((header24 >> 8) & 255), std::uint8_t(header24 >> 16),
        std::uint8_t(header16 & 255), std::uint8_t(header16 >> 8),
    };
    if (hasAlpha)
        hash.push_back(std::uint8_t(quantise(15 * aCode.dc, 15) | (quantise(15 * aCode.scale, 15) << 4)));

    // The AC coefficients, 4 bits each, two per byte (low nibble first), L then P, Q, A.
    const std::size_t acStart = hash.size();
    std::size_t acIndex = 0;
    for (const ChannelCode* code : {&lCode, &pCode, &qCode, static_cast<const ChannelCode*>(&aCode)}) {
        for (double f : code->ac) {
            const std::size_t byte = acStart + acIndex / 2;
            if (byte >= hash.size())
                hash.push_back(0);
            hash[byte] |= std::uint8_t(quantise(15 * f, 15) << ((acIndex & 1) * 4));
            ++acIndex;
        }
    }
    return hash;
}

std::string toBase64(std::span<const std::uint8_t> bytes) {
    std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(), sodium_base64_VARIANT_ORIGINAL);
    out.resize(out.size() - 1); // the terminating NUL sodium writes
    return out;
}

} // namespace pinhole::server::media
