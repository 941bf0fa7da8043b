// Mastodon's JSON entities (https://docs.joinmastodon.org/entities/), rendered from our rows.
// Ids are strings; times are ISO 8601 with milliseconds.
#pragma once

#include "auth/oauthservice.h"
#include "store/accountstore.h"

#include <boost/json/object.hpp>

#include <string>

namespace pinhole::server::api::mastodon {

boost::json::object accountJson(const store::Account& account, const std::string& baseUrl);
// verify_credentials and update_credentials: the Account plus its `source`.
boost::json::object credentialAccountJson(const store::Account& account, const std::string& baseUrl);
boost::json::object tokenJson(const auth::IssuedToken& token);

} // namespace pinhole::server::api::mastodon
