#include "media/resample.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <numbers>
#include <vector>

// On x86-64 the row filter has an AVX2 version, chosen at run time when the CPU has it.
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define PINHOLE_RESAMPLE_AVX2 1
#include <immintrin.h>
#else
#define PINHOLE_RESAMPLE_AVX2 0
#endif

namespace pinhole::server::media {

namespace {

using vips::VImage;

constexpr int kLobes = 3;
// Weights are fixed point with this many fraction bits; one pixel times the largest weight,
// summed over every tap, stays far inside 32 bits.
constexpr int kWeightBits = 14;
constexpr int kWeightOne = 1 << kWeightBits;

double lanczos3(double x) {
    x = std::abs(x);
    if (x < 1e-9)
        return 1;
    if (x >= kLobes)
        return 0;
    const double px = std::numbers::pi * x;
    return kLobes * std::sin(px) * std::sin(px / kLobes) / (px * px);
}

// The filter along one axis, from `in` samples to `out`: output i is the weighted sum of the
// `taps` input samples from first[i] on. Every output has the same number of taps (zero weights
// pad the ones cut by an edge), so the row filter has one shape.
struct AxisFilter {
    int taps = 0;
    std::vector<int> first;              // per output
    std::vector<std::int16_t> weights;   // per output, `taps` each
};

// Worked example: 2304 -> 2048 is a scale of 1.125; output 0 is centred on input 0.0625 and the
// kernel, stretched by the scale, reaches 3.375 inputs either side: inputs -3..3, of which -3..-1
// lie outside and are folded onto input 0 (edge extended by copying).
AxisFilter axisFilter(int in, int out) {
    if (in == out) {
        AxisFilter identity;
        identity.taps = 1;
        for (int i = 0; i < out; ++i)
            identity.first.push_back(i);
        identity.weights.assign(std::size_t(out), kWeightOne);
        return identity;
    }
    const double scale = double(in) / out;
    const double support = kLobes * scale;
    struct Span {
        int lo = 0;
        std::vector<double> weights;
    };
    std::vector<Span> spans(static_cast<std::size_t>(out));
    int taps = 1;
    for (int i = 0; i < out; ++i) {
        const double centre = (i + 0.5) * scale - 0.5;
        const int first = int(std::ceil(centre - support));
        const int last = int(std::floor(centre + support));
        Span& span = spans[std::size_t(i)];
        span.lo = std::clamp(first, 0, in - 1);
        const int hi = std::clamp(last, 0, in - 1);
        span.weights.assign(std::size_t(hi - span.lo + 1), 0.0);
        double total = 0;
        for (int j = first; j <= last; ++j) {
            const double w = lanczos3((j - centre) / scale);
            span.weights[std::size_t(std::clamp(j, 0, in - 1) - span.lo)] += w;
            total += w;
        }
        for (double& w : span.weights)
            w /= total;
        taps = std::max(taps, hi - span.lo + 1);
    }
    AxisFilter filter;
    filter.taps = taps;
    filter.first.resize(std::size_t(out));
    filter.weights.assign(std::size_t(out) * std::size_t(taps), 0);
    for (int i = 0; i < out; ++i) {
        const Span& span = spans[std::size_t(i)];
        const int start = std::min(span.lo, in - taps);
        filter.first[std::size_t(i)] = start;
        std::int16_t* w = &filter.weights[std::size_t(i) * std::size_t(taps)];
        // Rounded to fixed point, the error put on the largest weight so that they sum to one
        // exactly and a flat area stays flat.
        int sum = 0;
        std::size_t largest = 0;
        for (std::size_t k = 0; k < span.weights.size(); ++k) {
            const std::size_t at = std::size_t(span.lo - start) + k;
            w[at] = std::int16_t(std::lround(span.weights[k] * kWeightOne));
            sum += w[at];
            if (w[at] > w[largest])
                largest = at;
        }
        w[largest] = std::int16_t(w[largest] + kWeightOne - sum);
    }
    return filter;
}

// out[i] = sum over k of weights[k] * rows[k][i], rounded and clamped to 0..255, for i in
// [from, n): the portable version, and the tail of the vectorised one.
void filterRowsFrom(const std::uint8_t* const* rows, const std::int16_t* weights, int taps, std::size_t from,
                    std::size_t n, std::uint8_t* out) {
    for (std::size_t i = from; i < n; ++i) {
        std::int32_t sum = kWeightOne / 2;
        for (int k = 0; k < taps; ++k)
            sum += rows[k][i] * std::int32_t(weights[k]);
        out[i] = std::uint8_t(std::clamp(sum >> kWeightBits, 0, 255));
    }
}

#if PINHOLE_RESAMPLE_AVX2
// Eight bytes from `bytes`, zero-extended to 32 bits.
__attribute__((target("avx2"), always_inline)) inline __m256i widen(const std::uint8_t* bytes) {
    return _mm256_cvtepu8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(bytes)));
}

// The same with AVX2, 32 samples at a time, their sums in four registers across all the taps.
// (GCC neither vectorises the portable loop well nor turns 8-bit loads into vpmovzxbd through
// its generic vector types, hence intrinsics; the CPU is checked once, at run time.)
__attribute__((target("avx2"))) void filterRowsAvx2(const std::uint8_t* const* rows, const std::int16_t* weights,
                                                    int taps, std::size_t n, std::uint8_t* out) {
    constexpr std::size_t kBlock = 32;
    const __m256i half = _mm256_set1_epi32(kWeightOne / 2);
    // packs/packus work within 128-bit lanes; this puts the 4-byte groups back in order.
    const __m256i order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
    std::size_t at = 0;
    for (; at + kBlock <= n; at += kBlock) {
        __m256i s0 = half, s1 = half, s2 = half, s3 = half;
        for (int k = 0; k < taps; ++k) {
            const __m256i w = _mm256_set1_epi32(weights[k]);
            const std::uint8_t* p = rows[k] + at;
            s0 = _mm256_add_epi32(s0, _mm256_mullo_epi32(widen(p), w));
            s1 = _mm256_add_epi32(s1, _mm256_mullo_epi32(widen(p + 8), w));
            s2 = _mm256_add_epi32(s2, _mm256_mullo_epi32(widen(p + 16), w));
            s3 = _mm256_add_epi32(s3, _mm256_mullo_epi32(widen(p + 24), w));
        }
        const __m256i low = _mm256_packs_epi32(_mm256_srai_epi32(s0, kWeightBits), _mm256_srai_epi32(s1, kWeightBits));
        const __m256i high = _mm256_packs_epi32(_mm256_srai_epi32(s2, kWeightBits), _mm256_srai_epi32(s3, kWeightBits));
        const __m256i bytes = _mm256_permutevar8x32_epi32(_mm256_packus_epi16(low, high), order);
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + at), bytes);
    }
    filterRowsFrom(rows, weights, taps, at, n, out);
}
#endif

void filterRows(const std::uint8_t* const* rows, const std::int16_t* weights, int taps, std::size_t n,
                std::uint8_t* out) {
#if PINHOLE_RESAMPLE_AVX2
    static const bool avx2 = __builtin_cpu_supports("avx2");
    if (avx2)
        return filterRowsAvx2(rows, weights, taps, n, out);
#endif
    filterRowsFrom(rows, weights, taps, 0, n, out);
}

// dst's row x is src's column x (pixels of Bands bytes), in tiles that stay in the cache.
// Three-byte pixels move as four-byte words, the extra byte overwritten by the next pixel; the
// last pixel of a row in src and in dst moves as three bytes, so nothing is read or written
// outside either image.
template <int Bands>
void transpose(const std::uint8_t* src, std::size_t srcStride, int width, int height, std::uint8_t* dst,
               std::size_t dstStride) {
    constexpr int kTile = 16;
    constexpr int kWord = Bands == 3 ? 4 : Bands;
    for (int y0 = 0; y0 < height; y0 += kTile) {
        const int y1 = std::min(height, y0 + kTile);
        for (int x0 = 0; x0 < width; x0 += kTile) {
            const int x1 = std::min(width, x0 + kTile);
            for (int x = x0; x < x1; ++x) {
                std::uint8_t* d = dst + std::size_t(x) * dstStride + std::size_t(y0) * Bands;
                const std::uint8_t* s = src + std::size_t(y0) * srcStride + std::size_t(x) * Bands;
                const int wordEnd = x + 1 < width ? std::min(y1, height - 1) : y0;
                int y = y0;
                for (; y < wordEnd; ++y, d += Bands, s += srcStride)
                    std::memcpy(d, s, kWord);
                for (; y < y1; ++y, d += Bands, s += srcStride)
                    std::memcpy(d, s, Bands);
            }
        }
    }
}

void transposePixels(int bands, const std::uint8_t* src, std::size_t srcStride, int width, int height,
                     std::uint8_t* dst, std::size_t dstStride) {
    switch (bands) {
    case 1: transpose<1>(src, srcStride, width, height, dst, dstStride); break;
    case 3: transpose<3>(src, srcStride, width, height, dst, dstStride); break;
    default: transpose<4>(src, srcStride, width, height, dst, dstStride); break;
    }
}

// A memory image of width x height with `like`'s bands, format and every metadata item.
VImage newImageLike(VipsImage* like, int width, int height) {
    VImage out(vips_image_new_memory());
    VipsImage* raw = out.get_image();
    if (vips_image_pipelinev(raw, VIPS_DEMAND_STYLE_THINSTRIP, like, nullptr) != 0)
        throw vips::VError();
    raw->Xsize = width;
    raw->Ysize = height;
    if (vips_image_write_prepare(raw) != 0)
        throw vips::VError();
    return out;
}

} // namespace

bool canResample(const VImage& image, int width, int height) {
    const int bands = image.bands();
    return image.format() == VIPS_FORMAT_UCHAR && image.coding() == VIPS_CODING_NONE &&
           (bands == 1 || bands == 3 || bands == 4) && width >= 1 && height >= 1 && width <= image.width() &&
           height <= image.height();
}

VImage resample(const VImage& image, int width, int height) {
    VipsImage* in = image.get_image();
    if (width == in->Xsize && height == in->Ysize)
        return image.copy_memory();
    const int bands = in->Bands;
    const std::size_t inRowBytes = std::size_t(in->Xsize) * std::size_t(bands);
    const AxisFilter vertical = axisFilter(in->Ysize, height);
    const AxisFilter horizontal = axisFilter(in->Xsize, width);
    VImage out = newImageLike(in, width, height);
    VipsImage* raw = out.get_image();
    const std::size_t outStride = VIPS_IMAGE_SIZEOF_LINE(raw);

    // Strips of kStrip output rows: the input rows a strip needs are read through a region (a
    // pointer into an image in memory; for a lazy one, such as a sequential JPEG decode, only
    // those rows are made), filtered vertically into `shortened`, turned so that columns become
    // rows (`turned`), filtered along those rows like the vertical pass (whole rows at once,
    // which vectorises) into `narrowed`, and turned back into the output. The strip buffers
    // are reused and stay in the cache.
    constexpr int kStrip = 32;
    struct RegionUnref {
        void operator()(VipsRegion* region) const { g_object_unref(region); }
    };
    const std::unique_ptr<VipsRegion, RegionUnref> region(vips_region_new(in));
    if (!region)
        throw vips::VError();
    const std::size_t stripBytes = std::size_t(kStrip) * std::size_t(bands);
    const auto shortened = std::make_unique_for_overwrite<std::uint8_t[]>(inRowBytes * kStrip);
    const auto turned = std::make_unique_for_overwrite<std::uint8_t[]>(std::size_t(in->Xsize) * stripBytes);
    const auto narrowed = std::make_unique_for_overwrite<std::uint8_t[]>(std::size_t(width) * stripBytes);
    std::vector<const std::uint8_t*> rows(static_cast<std::size_t>(std::max(vertical.taps, horizontal.taps)));
    for (int top = 0; top < height; top += kStrip) {
        const int count = std::min(kStrip, height - top);
        const int firstRow = vertical.first[std::size_t(top)];
        const int endRow = vertical.first[std::size_t(top + count - 1)] + vertical.taps;
        VipsRect need{0, firstRow, in->Xsize, endRow - firstRow};
        if (vips_region_prepare(region.get(), &need) != 0)
            throw vips::VError();
        for (int y = top; y < top + count; ++y) {
            for (int k = 0; k < vertical.taps; ++k)
                rows[std::size_t(k)] = VIPS_REGION_ADDR(region.get(), 0, vertical.first[std::size_t(y)] + k);
            filterRows(rows.data(), &vertical.weights[std::size_t(y) * std::size_t(vertical.taps)], vertical.taps,
                       inRowBytes, &shortened[std::size_t(y - top) * inRowBytes]);
        }
        const std::size_t columnBytes = std::size_t(count) * std::size_t(bands);
        transposePixels(bands, shortened.get(), inRowBytes, in->Xsize, count, turned.get(), columnBytes);
        for (int x = 0; x < width; ++x) {
            for (int k = 0; k < horizontal.taps; ++k)
                rows[std::size_t(k)] = &turned[std::size_t(horizontal.first[std::size_t(x)] + k) * columnBytes];
            filterRows(rows.data(), &horizontal.weights[std::size_t(x) * std::size_t(horizontal.taps)],
                       horizontal.taps, columnBytes, &narrowed[std::size_t(x) * columnBytes]);
        }
        transposePixels(bands, narrowed.get(), columnBytes, count, width, VIPS_IMAGE_ADDR(raw, 0, top), outStride);
    }
    return out;
}

} // namespace pinhole::server::media
