#include "media/xmp.h"

#include "media/exiv2support.h"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#include <exiv2/exiv2.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>

namespace pinhole::server::media {

namespace {

constexpr const char* kRegions = "Xmp.mwg-rs.Regions";
constexpr const char* kMpRegions = "Xmp.MP.RegionInfo/MPRI:Regions";
constexpr char kLightroomSeparator = '|';
constexpr char kDigikamSeparator = '/';

// ---- reading ----------------------------------------------------------------------------------

const Exiv2::Xmpdatum* find(const Exiv2::XmpData& xmp, const std::string& key) {
    auto it = xmp.findKey(Exiv2::XmpKey(key));
    return it == xmp.end() ? nullptr : &*it;
}

std::optional<std::string> text(const Exiv2::XmpData& xmp, const std::string& key) {
    const Exiv2::Xmpdatum* d = find(xmp, key);
    if (!d || d->count() == 0)
        return std::nullopt;
    return d->toString();
}

// The items of an array property (a bag or a sequence of text).
std::vector<std::string> items(const Exiv2::XmpData& xmp, const std::string& key) {
    std::vector<std::string> out;
    if (const Exiv2::Xmpdatum* d = find(xmp, key))
        for (long i = 0; i < d->count(); ++i)
            out.push_back(d->toString(i));
    return out;
}

Result<double> number(std::string_view s, const std::string& what) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '+'))
        s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ')
        s.remove_suffix(1);
    double v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v))
        return invalidArgument(what + " is not a number: \"" + std::string(s) + "\"");
    return v;
}

Status checkText(const std::string& s, const std::string& what, bool multiline) {
    if (s.size() > kMaxXmpTextBytes)
        return invalidArgument(what + " is longer than " + std::to_string(kMaxXmpTextBytes) + " bytes");
    for (unsigned char c : s)
        if ((c < 0x20 && !(multiline && (c == '\n' || c == '\t'))) || c == 0x7f)
            return invalidArgument(what + " contains a control character");
    return {};
}

std::vector<std::string> split(const std::string& path, char separator) {
    std::vector<std::string> levels;
    std::size_t start = 0;
    for (;;) {
        const std::size_t at = path.find(separator, start);
        std::string level = path.substr(start, at == std::string::npos ? std::string::npos : at - start);
        if (!level.empty())
            levels.push_back(std::move(level));
        if (at == std::string::npos)
            return levels;
        start = at + 1;
    }
}

Status readTags(const Exiv2::XmpData& xmp, XmpSidecar& out) {
    std::vector<std::string> paths = items(xmp, "Xmp.lr.hierarchicalSubject");
    char separator = kLightroomSeparator;
    if (paths.empty()) {
        paths = items(xmp, "Xmp.digiKam.TagsList");
        separator = kDigikamSeparator;
    }
    std::set<std::string> levels; // every name a hierarchical tag already carries
    std::set<std::vector<std::string>> seen;
    const auto add = [&](std::vector<std::string> tag) -> Status {
        for (const std::string& level : tag)
            if (Status s = checkText(level, "the tag \"" + level.substr(0, 64) + "\"", false); !s)
                return s;
        if (tag.empty() || !seen.insert(tag).second)
            return {};
        if (out.tags.size() == kMaxXmpTags)
            return invalidArgument("the sidecar has more than " + std::to_string(kMaxXmpTags) + " tags");
        levels.insert(tag.begin(), tag.end());
        out.tags.push_back(std::move(tag));
        return {};
    };
    for (const std::string& path : paths)
        if (Status s = add(split(path, separator)); !s)
            return s;
    for (const std::string& keyword : items(xmp, "Xmp.dc.subject"))
        if (!levels.count(keyword))
            if (Status s = add({keyword}); !s)
                return s;
    return {};
}

Status readCaption(const Exiv2::XmpData& xmp, XmpSidecar& out) {
    const Exiv2::Xmpdatum* d = find(xmp, "Xmp.dc.description");
    if (!d)
        return {};
    std::string caption;
    if (const auto* alt = dynamic_cast<const Exiv2::LangAltValue*>(&d->value())) {
        auto it = alt->value_.find("x-default");
        if (it == alt->value_.end())
            it = alt->value_.begin();
        if (it != alt->value_.end())
            caption = it->second;
    } else {
        caption = d->toString();
    }
    if (caption.empty())
        return {};
    if (Status s = checkText(caption, "the caption (dc:description)", true); !s)
        return s;
    out.caption = std::move(caption);
    return {};
}

Status readRating(const Exiv2::XmpData& xmp, XmpSidecar& out) {
    const auto value = text(xmp, "Xmp.xmp.Rating");
    if (!value || value->empty())
        return {};
    auto n = number(*value, "xmp:Rating");
    if (!n)
        return n.status();
    if (*n != std::floor(*n) || *n < -1 || *n > 5)
        return invalidArgument("xmp:Rating must be a whole number from -1 to 5, not " + *value);
    out.rating = static_cast<int>(*n);
    return {};
}

// A box that overlaps the image is clamped to it (editors write regions that stick out a little);
// one entirely outside, or of negative size, is refused.
Result<XmpBox> clampedBox(double left, double top, double w, double h, const std::string& what) {
    if (w < 0 || h < 0 || w > 1 + 1e-9 || h > 1 + 1e-9)
        return invalidArgument(what + " has a size outside 0..1");
    const double right = std::min(left + w, 1.0), bottom = std::min(top + h, 1.0);
    left = std::max(left, 0.0);
    top = std::max(top, 0.0);
    if (right < left || bottom < top)
        return invalidArgument(what + " lies outside the image");
    return XmpBox{left, top, right - left, bottom - top};
}

Status readMwgRegions(const Exiv2::XmpData& xmp, XmpSidecar& out) {
    const std::string base = std::string(kRegions);
    if (auto w = text(xmp, base + "/mwg-rs:AppliedToDimensions/stDim:w")) {
        auto h = text(xmp, base + "/mwg-rs:AppliedToDimensions/stDim:h");
        auto width = number(*w, "stDim:w");
        auto height = number(h.value_or(""), "stDim:h");
        if (!width || !height || *width < 0 || *height < 0 || *width > 1e6 || *height > 1e6)
            return invalidArgument("mwg-rs:AppliedToDimensions is not a size in pixels");
        out.width = static_cast<int>(*width);
        out.height = static_cast<int>(*height);
    }
    for (std::size_t i = 1;; ++i) {
        const std::string item = base + "/mwg-rs:RegionList[" + std::to_string(i) + "]";
        const std::string area = item + "/mwg-rs:Area/stArea:";
        const auto name = text(xmp, item + "/mwg-rs:Name");
        const auto x = text(xmp, area + "x");
        if (!name && !x && !find(xmp, item))
            return {};
        if (out.regions.size() == kMaxXmpRegions)
            return invalidArgument("the sidecar has more than " + std::to_string(kMaxXmpRegions) + " regions");
        const std::string what = "region " + std::to_string(i);
        if (const auto unit = text(xmp, area + "unit"); unit && *unit != "normalized")
            return invalidArgument(what + " has the unit \"" + *unit + "\"; MWG areas are normalized");
        auto cx = number(x.value_or(""), what + "'s stArea:x");
        auto cy = number(text(xmp, area + "y").value_or(""), what + "'s stArea:y");
        if (!cx || !cy)
            return !cx ? cx.status() : cy.status();
        // A point (a focus point, say) has no size.
        const auto wText = text(xmp, area + "w"), hText = text(xmp, area + "h");
        auto w = wText ? number(*wText, what + "'s stArea:w") : Result<double>(0.0);
        auto h = hText ? number(*hText, what + "'s stArea:h") : Result<double>(0.0);
        if (!w || !h)
            return !w ? w.status() : h.status();
        auto box = clampedBox(*cx - *w / 2, *cy - *h / 2, *w, *h, what);
        if (!box)
            return box.status();
        XmpRegion region{name.value_or(""), text(xmp, item + "/mwg-rs:Type").value_or(""), *box};
        if (Status s = checkText(region.name, what + "'s name", false); !s)
            return s;
        if (Status s = checkText(region.type, what + "'s type", false); !s)
            return s;
        out.regions.push_back(std::move(region));
    }
}

Status readMicrosoftRegions(const Exiv2::XmpData& xmp, XmpSidecar& out) {
    for (std::size_t i = 1;; ++i) {
        const std::string item = std::string(kMpRegions) + "[" + std::to_string(i) + "]";
        const auto rectangle = text(xmp, item + "/MPReg:Rectangle");
        if (!rectangle && !find(xmp, item))
            return {};
        if (out.regions.size() == kMaxXmpRegions)
            return invalidArgument("the sidecar has more than " + std::to_string(kMaxXmpRegions) + " regions");
        const std::string what = "Microsoft region " + std::to_string(i);
        std::vector<double> v;
        for (const std::string& part : split(rectangle.value_or(""), ',')) {
            auto n = number(part, what + "'s MPReg:Rectangle");
            if (!n)
                return n.status();
            v.push_back(*n);
        }
        if (v.size() != 4)
            return invalidArgument(what + "'s MPReg:Rectangle is not \"x, y, w, h\"");
        auto box = clampedBox(v[0], v[1], v[2], v[3], what);
        if (!box)
            return box.status();
        XmpRegion region{text(xmp, item + "/MPReg:PersonDisplayName").value_or(""), "Face", *box};
        if (Status s = checkText(region.name, what + "'s name", false); !s)
            return s;
        out.regions.push_back(std::move(region));
    }
}

// ---- writing ----------------------------------------------------------------------------------

// The shortest text that reads back as the same double.
std::string formatNumber(double v) {
    char buffer[32];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);
    return ec == std::errc() ? std::string(buffer, end) : std::string("0");
}

void addArray(Exiv2::XmpData& xmp, const std::string& key, Exiv2::TypeId type, const std::vector<std::string>& values) {
    if (values.empty())
        return;
    Exiv2::XmpArrayValue array(type);
    for (const std::string& v : values)
        array.read(v);
    xmp.add(Exiv2::XmpKey(key), &array);
}

void addContainer(Exiv2::XmpData& xmp, const std::string& key, Exiv2::XmpValue::XmpArrayType array) {
    Exiv2::XmpTextValue value("");
    if (array == Exiv2::XmpValue::xaNone)
        value.setXmpStruct();
    else
        value.setXmpArrayType(array);
    xmp.add(Exiv2::XmpKey(key), &value);
}

Status checkBox(const XmpBox& b, const std::string& what) {
    const auto in01 = [](double v) { return std::isfinite(v) && v >= 0 && v <= 1; };
    if (!in01(b.x) || !in01(b.y) || !in01(b.w) || !in01(b.h) || b.x + b.w > 1 + 1e-9 || b.y + b.h > 1 + 1e-9)
        return invalidArgument(what + " is not a box within the image (0..1)");
    return {};
}

Status addRegions(Exiv2::XmpData& xmp, const XmpSidecar& sidecar) {
    if (sidecar.regions.empty())
        return {};
    if (sidecar.regions.size() > kMaxXmpRegions)
        return invalidArgument("more than " + std::to_string(kMaxXmpRegions) + " regions");
    const std::string base = kRegions;
    addContainer(xmp, base, Exiv2::XmpValue::xaNone);
    if (sidecar.width > 0 && sidecar.height > 0) {
        addContainer(xmp, base + "/mwg-rs:AppliedToDimensions", Exiv2::XmpValue::xaNone);
        xmp[base + "/mwg-rs:AppliedToDimensions/stDim:w"] = std::to_string(sidecar.width);
        xmp[base + "/mwg-rs:AppliedToDimensions/stDim:h"] = std::to_string(sidecar.height);
        xmp[base + "/mwg-rs:AppliedToDimensions/stDim:unit"] = "pixel";
    }
    addContainer(xmp, base + "/mwg-rs:RegionList", Exiv2::XmpValue::xaBag);
    for (std::size_t i = 0; i < sidecar.regions.size(); ++i) {
        const XmpRegion& r = sidecar.regions[i];
        const std::string what = "region " + std::to_string(i + 1);
        if (Status s = checkBox(r.area, what); !s)
            return s;
        if (Status s = checkText(r.name, what + "'s name", false); !s)
            return s;
        if (Status s = checkText(r.type, what + "'s type", false); !s)
            return s;
        const std::string item = base + "/mwg-rs:RegionList[" + std::to_string(i + 1) + "]";
        addContainer(xmp, item, Exiv2::XmpValue::xaNone);
        if (!r.name.empty())
            xmp[item + "/mwg-rs:Name"] = r.name;
        if (!r.type.empty())
            xmp[item + "/mwg-rs:Type"] = r.type;
        addContainer(xmp, item + "/mwg-rs:Area", Exiv2::XmpValue::xaNone);
        xmp[item + "/mwg-rs:Area/stArea:x"] = formatNumber(r.area.x + r.area.w / 2);
        xmp[item + "/mwg-rs:Area/stArea:y"] = formatNumber(r.area.y + r.area.h / 2);
        xmp[item + "/mwg-rs:Area/stArea:w"] = formatNumber(r.area.w);
        xmp[item + "/mwg-rs:Area/stArea:h"] = formatNumber(r.area.h);
        xmp[item + "/mwg-rs:Area/stArea:unit"] = "normalized";
    }
    return {};
}

Status addTags(Exiv2::XmpData& xmp, const XmpSidecar& sidecar) {
    if (sidecar.tags.size() > kMaxXmpTags)
        return invalidArgument("more than " + std::to_string(kMaxXmpTags) + " tags");
    std::vector<std::string> leaves, lightroom, digikam;
    std::set<std::string> seenLeaves;
    for (const auto& tag : sidecar.tags) {
        if (tag.empty())
            return invalidArgument("a tag has no name");
        std::string lr, dk;
        for (const std::string& level : tag) {
            const std::string what = "the tag \"" + level.substr(0, 64) + "\"";
            if (level.empty())
                return invalidArgument("a tag has an empty level");
            if (level.find(kLightroomSeparator) != std::string::npos)
                return invalidArgument(what + " contains '|', which separates levels in lr:hierarchicalSubject");
            if (Status s = checkText(level, what, false); !s)
                return s;
            lr += (lr.empty() ? "" : std::string(1, kLightroomSeparator)) + level;
            dk += (dk.empty() ? "" : std::string(1, kDigikamSeparator)) + level;
        }
        if (seenLeaves.insert(tag.back()).second)
            leaves.push_back(tag.back());
        lightroom.push_back(std::move(lr));
        digikam.push_back(std::move(dk));
    }
    addArray(xmp, "Xmp.dc.subject", Exiv2::xmpBag, leaves);
    addArray(xmp, "Xmp.lr.hierarchicalSubject", Exiv2::xmpBag, lightroom);
    addArray(xmp, "Xmp.digiKam.TagsList", Exiv2::xmpSeq, digikam);
    return {};
}

} // namespace

Result<XmpSidecar> readXmp(std::string_view packet) {
    if (packet.size() > kMaxXmpBytes)
        return invalidArgument("the XMP sidecar is larger than " + std::to_string(kMaxXmpBytes) + " bytes");
    if (packet.empty())
        return invalidArgument("the XMP sidecar is empty");
    const XmpScope scope;
    Exiv2::XmpData xmp;
    try {
        if (Exiv2::XmpParser::decode(xmp, std::string(packet)) != 0)
            return invalidArgument("the sidecar is not an XMP packet");
    } catch (const std::exception& e) {
        return invalidArgument(std::string("the sidecar is not an XMP packet: ") + e.what());
    }
    XmpSidecar out;
    try {
        for (const auto reader : {readTags, readCaption, readRating, readMwgRegions})
            if (Status s = reader(xmp, out); !s)
                return s;
        if (out.regions.empty())
            if (Status s = readMicrosoftRegions(xmp, out); !s)
                return s;
    } catch (const std::exception& e) {
        return invalidArgument(std::string("the XMP sidecar could not be read: ") + e.what());
    }
    return out;
}

Result<std::string> writeXmp(const XmpSidecar& sidecar) {
    const XmpScope scope;
    Exiv2::XmpData xmp;
    try {
        if (Status s = addTags(xmp, sidecar); !s)
            return s;
        if (sidecar.caption && !sidecar.caption->empty()) {
            if (Status s = checkText(*sidecar.caption, "the caption", true); !s)
                return s;
            Exiv2::LangAltValue caption;
            caption.value_["x-default"] = *sidecar.caption;
            xmp.add(Exiv2::XmpKey("Xmp.dc.description"), &caption);
        }
        if (sidecar.rating) {
            if (*sidecar.rating < -1 || *sidecar.rating > 5)
                return invalidArgument("a rating is from -1 (rejected) to 5");
            xmp["Xmp.xmp.Rating"] = std::to_string(*sidecar.rating);
        }
        if (Status s = addRegions(xmp, sidecar); !s)
            return s;
        std::string packet;
        if (Exiv2::XmpParser::encode(packet, xmp, Exiv2::XmpParser::useCompactFormat) != 0)
            return internalError("exiv2 could not write the XMP packet");
        return packet;
    } catch (const std::exception& e) {
        return internalError(std::string("exiv2 could not write the XMP packet: ") + e.what());
    }
}

} // namespace pinhole::server::media

#pragma GCC diagnostic pop
