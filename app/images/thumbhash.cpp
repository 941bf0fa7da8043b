#include "images/thumbhash.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

namespace pinhole::app {

namespace {

// The fixed part of a hash, as the encoder packs it: 24 bits (L, P, Q averages; L scale; alpha
// flag), then 16 bits (L coefficients along the short side, P and Q scales, landscape flag),
// little-endian, then one byte of alpha average and scale when the image has alpha.
struct Header {
    double lDc, pDc, qDc, lScale, pScale, qScale;
    bool hasAlpha, isLandscape;
    int lx, ly; // luminance coefficients along x and y (at least 3 each)
    double aDc = 1, aScale = 0;
    int acStart; // the byte where the 4-bit AC coefficients begin
};

constexpr int kFixedBytes = 5;

Header readHeader(const QByteArray& h) {
    const auto byte = [&](int i) { return std::uint32_t(std::uint8_t(h[i])); };
    const std::uint32_t header24 = byte(0) | (byte(1) << 8) | (byte(2) << 16);
    const std::uint32_t header16 = byte(3) | (byte(4) << 8);
    Header r{};
    r.lDc = double(header24 & 63) / 63;
    r.pDc = double((header24 >> 6) & 63) / 31.5 - 1;
    r.qDc = double((header24 >> 12) & 63) / 31.5 - 1;
    r.lScale = double((header24 >> 18) & 31) / 31;
    r.hasAlpha = (header24 >> 23) != 0;
    r.pScale = double((header16 >> 3) & 63) / 63;
    r.qScale = double((header16 >> 9) & 63) / 63;
    r.isLandscape = (header16 >> 15) != 0;
    // The encoder gives the longer side 7 coefficients (5 with alpha) and stores the shorter.
    const int longSide = r.hasAlpha ? 5 : 7;
    const int shortSide = int(header16 & 7);
    r.lx = std::max(3, r.isLandscape ? longSide : shortSide);
    r.ly = std::max(3, r.isLandscape ? shortSide : longSide);
    if (r.hasAlpha && h.size() > kFixedBytes) {
        r.aDc = double(byte(5) & 15) / 15;
        r.aScale = double(byte(5) >> 4) / 15;
    }
    r.acStart = r.hasAlpha ? kFixedBytes + 1 : kFixedBytes;
    return r;
}

// How many AC coefficients the triangle cx/nx + cy/ny < 1 holds, without the DC term.
int acCount(int nx, int ny) {
    int n = 0;
    for (int cy = 0; cy < ny; ++cy)
        for (int cx = cy ? 0 : 1; cx * ny < nx * (ny - cy); ++cx)
            ++n;
    return n;
}

// Reads the next `acCount(nx, ny)` 4-bit coefficients (low nibble first) from `*index` on and
// undoes the encoder's normalisation: 0..15 back to -1..1, times the channel's scale.
std::vector<double> readChannel(const QByteArray& h, int acStart, int* index, int nx, int ny, double scale) {
    std::vector<double> ac;
    for (int cy = 0; cy < ny; ++cy) {
        for (int cx = cy ? 0 : 1; cx * ny < nx * (ny - cy); ++cx, ++*index) {
            const int nibble = (std::uint8_t(h[acStart + (*index >> 1)]) >> ((*index & 1) * 4)) & 15;
            ac.push_back((nibble / 7.5 - 1) * scale);
        }
    }
    return ac;
}

} // namespace

QByteArray thumbHashFromText(const QString& text) {
    const auto result = QByteArray::fromBase64Encoding(text.toLatin1(), QByteArray::Base64UrlEncoding |
                                                                            QByteArray::AbortOnBase64DecodingErrors);
    if (result)
        return *result;
    const auto standard = QByteArray::fromBase64Encoding(text.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    return standard ? *standard : QByteArray();
}

double thumbHashAspectRatio(const QByteArray& hash) {
    if (hash.size() < kFixedBytes)
        return 1;
    const Header header = readHeader(hash);
    const int longSide = header.hasAlpha ? 5 : 7;
    const int shortSide = int(std::uint8_t(hash[3]) & 7);
    if (shortSide == 0)
        return 1;
    return header.isLandscape ? double(longSide) / shortSide : double(shortSide) / longSide;
}

QImage decodeThumbHash(const QByteArray& hash) {
    if (hash.size() < kFixedBytes)
        return {};
    const Header hd = readHeader(hash);
    const int acTotal = acCount(hd.lx, hd.ly) + 2 * acCount(3, 3) + (hd.hasAlpha ? acCount(5, 5) : 0);
    if (hash.size() < hd.acStart + (acTotal + 1) / 2)
        return {};

    int index = 0;
    const std::vector<double> lAc = readChannel(hash, hd.acStart, &index, hd.lx, hd.ly, hd.lScale);
    // P and Q were scaled down by the encoder's quantisation range; 1.25 is the format's
    // published correction that restores their saturation.
    const std::vector<double> pAc = readChannel(hash, hd.acStart, &index, 3, 3, hd.pScale * 1.25);
    const std::vector<double> qAc = readChannel(hash, hd.acStart, &index, 3, 3, hd.qScale * 1.25);
    std::vector<double> aAc;
    if (hd.hasAlpha)
        aAc = readChannel(hash, hd.acStart, &index, 5, 5, hd.aScale);

    const double ratio = thumbHashAspectRatio(hash);
    const int w = int(std::lround(ratio > 1 ? 32 : 32 * ratio));
    const int h = int(std::lround(ratio > 1 ? 32 / ratio : 32));
    QImage image(std::max(1, w), std::max(1, h), QImage::Format_RGBA8888);

    const int maxX = std::max(hd.lx, hd.hasAlpha ? 5 : 3);
    const int maxY = std::max(hd.ly, hd.hasAlpha ? 5 : 3);
    std::vector<double> fx(static_cast<std::size_t>(maxX)), fy(static_cast<std::size_t>(maxY));
    const auto toByte = [](double v) { return std::uint8_t(std::lround(255 * std::clamp(v, 0.0, 1.0))); };
    for (int y = 0; y < image.height(); ++y) {
        std::uint8_t* line = image.scanLine(y);
        for (int x = 0; x < image.width(); ++x) {
            double l = hd.lDc, p = hd.pDc, q = hd.qDc, a = hd.aDc;
            for (int cx = 0; cx < maxX; ++cx)
                fx[std::size_t(cx)] = std::cos(std::numbers::pi / image.width() * (x + 0.5) * cx);
            for (int cy = 0; cy < maxY; ++cy)
                fy[std::size_t(cy)] = std::cos(std::numbers::pi / image.height() * (y + 0.5) * cy);

            // The same triangles, in the same order, as the encoder wrote them.
            std::size_t j = 0;
            for (int cy = 0; cy < hd.ly; ++cy) {
                const double fy2 = fy[std::size_t(cy)] * 2;
                for (int cx = cy ? 0 : 1; cx * hd.ly < hd.lx * (hd.ly - cy); ++cx, ++j)
                    l += lAc[j] * fx[std::size_t(cx)] * fy2;
            }
            j = 0;
            for (int cy = 0; cy < 3; ++cy) {
                const double fy2 = fy[std::size_t(cy)] * 2;
                for (int cx = cy ? 0 : 1; cx < 3 - cy; ++cx, ++j) {
                    const double f = fx[std::size_t(cx)] * fy2;
                    p += pAc[j] * f;
                    q += qAc[j] * f;
                }
            }
            if (hd.hasAlpha) {
                j = 0;
                for (int cy = 0; cy < 5; ++cy) {
                    const double fy2 = fy[std::size_t(cy)] * 2;
                    for (int cx = cy ? 0 : 1; cx < 5 - cy; ++cx, ++j)
                        a += aAc[j] * fx[std::size_t(cx)] * fy2;
                }
            }

            // Back from L (luminance), P (yellow-blue) and Q (red-green) to RGB.
            const double b = l - 2.0 / 3.0 * p;
            const double r = (3 * l - b + q) / 2;
            const double g = r - q;
            line[x * 4 + 0] = toByte(r);
            line[x * 4 + 1] = toByte(g);
            line[x * 4 + 2] = toByte(b);
            line[x * 4 + 3] = toByte(a);
        }
    }
    return image;
}

} // namespace pinhole::app
