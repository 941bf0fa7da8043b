// Mastodon's JSON entities (https://docs.joinmastodon.org/entities/), rendered from our rows.
// Ids are strings; times are ISO 8601 with milliseconds.
#pragma once

#include "auth/oauthservice.h"
#include "store/accountstore.h"
#include "store/assetstore.h"

#include <boost/json/object.hpp>

#include <string>

namespace pinhole::server::api::mastodon {

boost::json::object accountJson(const store::Account& account, const std::string& baseUrl);
// verify_credentials and update_credentials: the Account plus its `source`.
boost::json::object credentialAccountJson(const store::Account& account, const std::string& baseUrl);
boost::json::object tokenJson(const auth::IssuedToken& token);
// A MediaAttachment; `url` and `preview_url` are null until the derivatives exist.
boost::json::object mediaAttachmentJson(const store::Asset& asset, const std::string& baseUrl);

} // namespace pinhole::server::api::mastodon
