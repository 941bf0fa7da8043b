// An asset's annotations as an XMP sidecar (media/xmp.h) and back, in the dialect digiKam,
// Lightroom and exiftool share; the mapping is documented in docs/annotations.md:
//
//   tag      label "Places/Paris"      <-> the tag path {Places, Paris}
//   caption  text                      <-> dc:description
//   rating   value 1-5, 0 (rejected)   <-> xmp:Rating 1-5, -1
//   region   box, label, kind          <-> an MWG region: area, Name, Type (face <-> Face,
//                                          pet <-> Pet; object and text have no MWG type, and
//                                          any other type imports as object)
//
// Boxes stay relative to the upright image on both sides, and AppliedToDimensions is the
// asset's upright size. An import replaces, schema by schema, what the previous import of the
// asset wrote (a batch operation per schema under the writer "xmp:<asset id>", so readers see the
// old set or the new one, never a mix); annotations written by hand are never touched by it.
#pragma once

#include "annotations/annotationservice.h"
#include "store/assetstore.h"

#include <string>
#include <string_view>

namespace pinhole::server::annotations {

// An import's annotations carry the writer "xmp:<asset id>".
inline constexpr const char* kXmpWriterPrefix = "xmp:";

struct XmpImportSummary {
    int tags = 0;
    int regions = 0;
    int skippedRegions = 0; // points (no size): MWG focus points, which are not annotations
    bool caption = false;
    std::optional<int> rating;
};

// The sidecar of what `viewer` may read of the asset's annotations.
Result<std::string> exportXmp(AnnotationService& annotations, std::optional<Id> viewer, const store::Asset& asset);

// Imports a sidecar into the asset's annotations; only its owner may (the service decides).
// A sidecar that cannot be read, or a value that no schema accepts, changes nothing.
Result<XmpImportSummary> importXmp(AnnotationService& annotations, Id account, const store::Asset& asset,
                                   std::string_view packet);

} // namespace pinhole::server::annotations
