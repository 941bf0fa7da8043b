// Pinhole's own JSON shapes (docs/api.md), for the owner of a library.
#pragma once

#include "store/assetstore.h"

#include <boost/json/object.hpp>

#include <string>

namespace pinhole::server::api::pinhole {

// The owner's full view of an asset: state, metadata (GPS included), derivative URLs and the
// placeholder. Never render this for anyone but the owner.
boost::json::object ownerAssetJson(const store::Asset& asset, const std::string& baseUrl);

} // namespace pinhole::server::api::pinhole
