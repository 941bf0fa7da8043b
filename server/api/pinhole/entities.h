// Pinhole's own JSON shapes (docs/api.md), for the owner of a library.
#pragma once

#include "store/albumstore.h"
#include "store/annotationstore.h"
#include "store/assetstore.h"

#include <boost/json/object.hpp>

#include <string>

namespace pinhole::server::api::pinhole {

// The owner's full view of an asset: state, metadata (GPS included), derivative URLs and the
// placeholder. Never render this for anyone but the owner.
boost::json::object ownerAssetJson(const store::Asset& asset, const std::string& baseUrl);
// What someone who may see a post showing the asset sees: no GPS, camera, hash, original, trash
// or favourite — the picture, its size, its alt text and title.
boost::json::object sharedAssetJson(const store::Asset& asset, const std::string& baseUrl);
boost::json::object albumJson(const store::Album& album);
// An annotation as the annotations API shows it (docs/api.md#annotations).
boost::json::object annotationJson(const store::AnnotationRow& row);

} // namespace pinhole::server::api::pinhole
