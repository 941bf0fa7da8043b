// XMP sidecars in the dialect digiKam, Lightroom and exiftool share: what Pinhole reads from and
// writes to them, independent of how annotations store it (annotations/ maps between the two).
//
//   tags      dc:subject (leaf names), lr:hierarchicalSubject ("Places|Paris"),
//             digiKam:TagsList ("Places/Paris"); read in that order of preference, plus any
//             dc:subject keyword that is not already a level of a hierarchical tag
//   caption   dc:description (x-default)
//   rating    xmp:Rating, -1 (rejected) to 5
//   regions   MWG regions (mwg-rs:Regions: AppliedToDimensions, RegionList of Name, Type and a
//             normalised centre-based Area); on import also Microsoft's MP:RegionInfo
//             (MPReg:Rectangle "x, y, w, h", top-left based) when a file has no MWG regions
//
// Areas are relative to the upright image (EXIF orientation applied), as MWG specifies, and so
// are AppliedToDimensions. Here a region's box is top-left based, like Pinhole's `box` type.
// Threading: both functions are thread-safe.
#pragma once

#include "core/status.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pinhole::server::media {

// Limits of what a sidecar may hold; a larger one is refused, not truncated.
inline constexpr std::size_t kMaxXmpBytes = 1 << 20;
inline constexpr std::size_t kMaxXmpTags = 1000;
inline constexpr std::size_t kMaxXmpRegions = 1000;
inline constexpr std::size_t kMaxXmpTextBytes = 4096; // a tag level, a name, the caption

struct XmpBox {
    double x = 0, y = 0, w = 0, h = 0; // top-left corner and size, each in 0..1
};

struct XmpRegion {
    std::string name;
    std::string type; // MWG's Face, Pet, Focus or BarCode; empty when the sidecar gives none
    XmpBox area;
};

struct XmpSidecar {
    // Each tag is a path from the root: {"Places", "Paris"}; a flat keyword has one level.
    std::vector<std::vector<std::string>> tags;
    std::optional<std::string> caption;
    std::optional<int> rating;
    std::vector<XmpRegion> regions;
    // The upright image's size in pixels (mwg-rs:AppliedToDimensions); 0 when unknown.
    int width = 0;
    int height = 0;
};

// Reads a sidecar (an XMP packet, with or without the xpacket wrapper). Refuses, naming what
// and why, a packet that is not XMP, is larger than kMaxXmpBytes, or holds a value out of its
// range (a rating of 7, an area outside the image, a non-normalised unit).
Result<XmpSidecar> readXmp(std::string_view packet);

// Writes a sidecar holding exactly what `sidecar` says. Refuses a tag level that is empty or
// contains '|' (lr:hierarchicalSubject's separator), a rating out of range, and a box outside 0..1.
// A sidecar with nothing to say (no tags, caption, rating or regions) is written as no bytes.
Result<std::string> writeXmp(const XmpSidecar& sidecar);

} // namespace pinhole::server::media
